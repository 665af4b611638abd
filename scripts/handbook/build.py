"""Atomic site build: build into a hidden sibling folder, then swap it in with one rename.

A failed build (content error, strict-mode warning, crash, full disk, kill) leaves the
previous site exactly as it was, so a bad record can never take the published site down.
The target must be a folder handbook created (see output_guard); the swap, the lock and
the clean-up of killed builds are in atomic_output.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from .atomic_output import replace_file, replace_folder
from .config import read_options
from .output_guard import MARKER, OutputRefused, check_file, check_folder, prepare_folder

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input gives the same zip
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Set by handbook for its mkdocs child outside a git checkout: the plugin sets SOURCE_DATE_EPOCH
# from the newest history date of the records it loads (history_epoch)
DATE_FROM_HISTORY = "HANDBOOK_BUILD_DATE_FROM_HISTORY"


def build_site(root: Path, site_dir: Path, offline: bool = False) -> int:
    root = Path(root).resolve()
    options = read_options(root)
    site = check_folder(site_dir, root)
    _refuse_emptying(root, site, options.cases_dir)
    built = replace_folder(site, "build", lambda staging: _mkdocs_build(root, staging, offline) == 0)
    if not built:
        print(f"build failed; {site} was left as it was", file=sys.stderr)
        return 1
    print(f"built {site}")
    return 0


def build_offline_zip(root: Path, zip_path: Path) -> int:
    """Build the file:// edition and pack it as one zip (stable order and timestamps)."""
    root = Path(root).resolve()
    target = check_file(zip_path, root)

    def write(work: Path) -> Path | None:
        site = work / "handbook"
        if _mkdocs_build(root, site, offline=True) != 0:
            print(f"build failed; {target} was left as it was", file=sys.stderr)
            return None
        partial = work / target.name
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != MARKER):
                info = zipfile.ZipInfo(f"handbook/{path.relative_to(site).as_posix()}", date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        return partial

    if not replace_file(target, "offline", write):
        return 1
    print(f"wrote {target}: unzip it and open handbook/index.html")
    return 0


def _mkdocs_build(root: Path, site: Path, offline: bool) -> int:
    """`mkdocs build --strict` into `site`, in a child that dies with us (see _die_with_parent)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HANDBOOK_OFFLINE="true" if offline else "false")
    if "SOURCE_DATE_EPOCH" not in env:
        commit = _last_commit_epoch(root)
        if commit is not None:
            env["SOURCE_DATE_EPOCH"] = commit
        else:  # outside git: the plugin dates the build from the records it loads (reading them here too cost a second load)
            env[DATE_FROM_HISTORY] = "1"
    command = [sys.executable, "-m", "handbook.build", "build", "--strict",
               "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site)]
    return subprocess.run(command, cwd=root, env=env, preexec_fn=_die_with_parent(os.getpid())).returncode


def _die_with_parent(parent: int):
    """Ask Linux to send the mkdocs child SIGTERM when handbook dies (even by kill -9), so no
    orphan keeps writing a staging folder; SIGINT/SIGTERM to handbook stop the child in
    subprocess.run itself."""
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)

    def preexec() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # died before prctl took effect
            os._exit(1)
    return preexec


def _refuse_emptying(root: Path, site: Path, cases_dir: str) -> None:
    """An empty collection may start a handbook, but never replace a published one: if the
    site to be replaced lists cases and the cases folder holds no record, refuse."""
    if any(p.suffix in (".yaml", ".yml") and p.name != "edition.yaml" for p in (root / cases_dir).glob("*.y*ml")):
        return
    try:
        published = len(json.loads((site / "data" / "cases.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return
    if published:
        raise OutputRefused(f"{root / cases_dir}: expected case records, found none; refusing to replace "
                            f"{site} ({published} cases) with an empty handbook")


def history_epoch(newest: dt.date) -> str:
    """The build date outside git, so the same input gives the same bytes on any day (in a git
    checkout it is the last commit's time): midnight UTC of the newest history date, never later
    than now: gzip (sitemap.xml.gz) cannot store a date past 2106, and a build cannot be dated in
    the future anyway."""
    return str(min(int(dt.datetime.combine(newest, dt.time(), dt.timezone.utc).timestamp()), int(time.time())))


def _last_commit_epoch(root: Path) -> str | None:
    """The last commit's time in a git checkout (never later than now), else None."""
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=20)
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return str(min(int(result.stdout.strip()), int(time.time())))
    except (OSError, subprocess.SubprocessError):
        pass
    return None


def newest_history_date(collection) -> dt.date:
    return max((e.date for r in [*collection.cases, *collection.standards] for e in r.history), default=dt.date(1970, 1, 1))


def _mkdocs_main(argv: list[str]) -> int:
    """`python -m handbook.build ARGS` = `mkdocs ARGS`, but an OS error (disk full, no
    permission) is one line instead of a traceback; the parent keeps the old site."""
    from mkdocs.__main__ import cli

    try:
        cli.main(args=argv, prog_name="mkdocs")
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_mkdocs_main(sys.argv[1:]))
