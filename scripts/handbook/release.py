"""`handbook release`: everything an edition publishes, in dist/, with a manifest.

Order matters: the PDFs, the open data and the offline zip are built first and listed in
dist/downloads.json; the site is built last, so its 下载 page and its per-page PDF links
offer exactly those files (see ``downloads``). dist/manifest.json lists every file with
its size and sha256 for whoever copies the edition to a server.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from .downloads import INDEX, Download, edition_stamp, write_index

OFFLINE_ZIP = "handbook-offline.zip"


def release(root: Path, dist: Path) -> int:
    """dist/: the PDFs (handbook, handouts, one per standard and per case), data/,
    handbook-offline.zip, downloads.json, site/ and manifest.json; 1 on any failure."""
    from .build import build_offline_zip, build_site
    from .export import write_export
    from .load.loader import load_project
    from .config import read_options
    from .output_guard import prepare_folder
    from .pdf import print_collection

    root = Path(root).resolve()
    dist = prepare_folder(dist, root, "release")  # never the project, its records or a folder it did not create
    options = read_options(root)
    collection = load_project(root)  # content errors are reported by the command line, like every command's
    if dist != root / options.downloads_dir:  # where the plugin looks for the files it offers
        print(f"note: the site offers the files of {root / options.downloads_dir} only; set the handbook plugin's "
              f"downloads_dir to {dist} for this site to offer these", file=sys.stderr)
    dist.mkdir(parents=True, exist_ok=True)
    printed = print_collection(collection, root, dist, cases=True)
    print(f"printed {len(printed)} PDFs ({sum(p.cached for p in printed)} unchanged, from the cache)")
    write_export(collection, dist / "data")
    if build_offline_zip(root, dist / OFFLINE_ZIP) != 0:
        return 1
    stamp = edition_stamp(collection)
    items = [Download(p.path, p.kind, p.title, p.subject, (dist / p.path).stat().st_size, stamp) for p in printed]
    items.append(Download(OFFLINE_ZIP, "offline", "离线版网站（解压后打开 handbook/index.html）", "",
                          (dist / OFFLINE_ZIP).stat().st_size, stamp))
    write_index(dist, collection, items)
    if build_site(root, dist / "site") != 0:
        return 1
    write_manifest(dist, collection)
    return 0


def write_manifest(dist: Path, collection) -> Path:
    files = sorted(p for p in dist.rglob("*") if p.is_file() and p.name != "manifest.json"
                   and not any(part.startswith(".") for part in p.relative_to(dist).parts))
    edition = collection.editions.current_edition if collection.editions else None
    manifest = {
        "edition": {"id": edition.id, "date": edition.date.isoformat(), "title": edition.title} if edition else None,
        "downloads": INDEX,
        "files": [{"file": p.relative_to(dist).as_posix(), "size": p.stat().st_size,
                   "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in files],
    }
    path = dist / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}: {len(files)} files")
    return path
