"""Atomic site build: build into a sibling temp folder, then swap it in.

A failed build (content error, strict-mode warning, crash) leaves the previous
site exactly as it was, so a bad record can never take the published site down.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input gives the same zip


def build_site(root: Path, site_dir: Path, offline: bool = False) -> int:
    root = Path(root).resolve()
    site = site_dir if site_dir.is_absolute() else root / site_dir
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HANDBOOK_OFFLINE="true" if offline else "false")
    if "SOURCE_DATE_EPOCH" not in env:  # not setdefault: outside git the fallback reads every record
        env["SOURCE_DATE_EPOCH"] = source_date_epoch(root)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=root, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed; {site} was left as it was", file=sys.stderr)
        return 1
    old = site.with_name(f".{site.name}.old-{os.getpid()}")
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    print(f"built {site}")
    return 0


def build_offline_zip(root: Path, zip_path: Path) -> int:
    """Build the file:// edition and pack it as one zip (stable order and timestamps)."""
    root = Path(root).resolve()
    target = zip_path if zip_path.is_absolute() else root / zip_path
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        site = Path(work) / "handbook"
        if build_site(root, site, offline=True) != 0:
            return 1
        partial = Path(work) / target.name
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in site.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"handbook/{path.relative_to(site).as_posix()}", date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        partial.replace(target)
    print(f"wrote {target}: unzip it and open handbook/index.html")
    return 0


def source_date_epoch(root: Path) -> str:
    """The build date MkDocs should use, so the same input gives the same bytes on any day:
    the last commit's time in a git checkout, else midnight UTC of the newest history date."""
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=20)
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    import datetime as dt

    from .errors import ContentErrors
    from .load.loader import load_collection

    try:
        collection = load_collection(root)
    except ContentErrors:
        return "0"  # the build will report the errors itself
    dates = [e.date for r in [*collection.cases, *collection.standards] for e in r.history] or [dt.date(1970, 1, 1)]
    return str(int(dt.datetime.combine(max(dates), dt.time(), dt.timezone.utc).timestamp()))


def release(root: Path, dist: Path) -> int:
    """dist/site/, dist/handbook-offline.zip, dist/data/, the PDFs (when chromium is there) and
    dist/manifest.json (file, size, sha256)."""
    import hashlib
    import json

    from .errors import ContentErrors
    from .export import write_export
    from .load.loader import load_collection

    root = Path(root).resolve()
    dist = dist if dist.is_absolute() else root / dist
    try:
        collection = load_collection(root)
    except ContentErrors as errors:
        print(errors, file=sys.stderr)
        return 1
    if build_site(root, dist / "site") != 0 or build_offline_zip(root, dist / "handbook-offline.zip") != 0:
        return 1
    write_export(collection, dist / "data")
    from .pdf import CHROMIUM, build_pdfs

    if Path(CHROMIUM).exists():  # PDFs where chromium is available to print them
        if build_pdfs(root, dist) != 0:
            return 1
    else:
        print("note: chromium not found, so dist/ has no PDFs (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
    files = sorted(p for p in dist.rglob("*") if p.is_file() and p.name != "manifest.json")
    edition = collection.editions.current_edition if collection.editions else None
    manifest = {
        "edition": {"id": edition.id, "date": edition.date.isoformat(), "title": edition.title} if edition else None,
        "files": [{"file": p.relative_to(dist).as_posix(), "size": p.stat().st_size,
                   "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in files],
    }
    (dist / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {dist}/manifest.json: {len(files)} files")
    return 0
