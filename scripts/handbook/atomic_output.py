"""Replace an output folder or file in one step, one writer at a time.

The new version is written into a hidden sibling (`.site.new-XXXX`), marked as handbook
output, and swapped in only when it is complete. A failure or a kill at any moment
leaves the previous version in place; leftovers of a killed run are removed by the next
run, which holds a lock (`.site.lock`) so that two runs never write the same target.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

from filelock import FileLock, Timeout

from .output_guard import OutputRefused, make_folder, mark

LOCK_WAIT_SECONDS = 600
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h


def replace_folder(target: Path, command: str, write: Callable[[Path], bool]) -> bool:
    """Call write(staging) and, if it returns True, make staging the new `target`."""
    with _locked(target, command):
        staging = _staging(target, command)
        try:
            if not write(staging):
                return False
            swap_in(staging, target)
            return True
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # after a swap it holds the old version


def replace_file(target: Path, command: str, write: Callable[[Path], Path | None]) -> bool:
    """Call write(work folder) for a finished file and move it onto `target` (one rename)."""
    with _locked(target, command):
        work = _staging(target, command)
        try:
            made = write(work)
            if made is None:
                return False
            os.replace(made, target)
            return True
        finally:
            shutil.rmtree(work, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Put the folder `staging` at `target` atomically; the old version ends up in `staging`.

    Why renameat2(RENAME_EXCHANGE) rather than `site` as a symlink to versioned folders:
    `site` stays a real folder, so `cp -r site`, `tar`, rsync, web servers, the offline
    zip and the release manifest see exactly what they saw before, and a reader finds
    the old site or the new one at every instant. Linux has had it since 3.15 (ext4,
    xfs, btrfs, tmpfs, overlayfs). Where it is missing the swap falls back to two renames,
    still under the lock; a kill between them is repaired by the next run (`_clean_stale`)."""
    if not os.path.lexists(target):
        os.rename(staging, target)  # onto a missing name: atomic on POSIX
        return
    try:
        _exchange(staging, target)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
        staging.rename(target)
        old.rename(staging)


def _exchange(a: Path, b: Path) -> None:
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


class _locked:
    """Hold `.<name>.lock` next to the target; a second run waits, saying so, then gives up."""

    def __init__(self, target: Path, command: str):
        self.target, self.command = target, command
        self.lock = FileLock(target.with_name(f".{target.name}.lock"))

    def __enter__(self):
        make_folder(self.target.parent, self.command)
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            print(f"waiting for another handbook command writing {self.target} to finish…", file=sys.stderr, flush=True)
            try:
                self.lock.acquire(timeout=LOCK_WAIT_SECONDS)
            except Timeout:
                raise OutputRefused(f"{self.target}: another handbook command has been writing it for "
                                    f"{LOCK_WAIT_SECONDS} s; try again when it has finished") from None
        _clean_stale(self.target)
        return self

    def __exit__(self, *exc):
        self.lock.release()


def _staging(target: Path, command: str) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it 0700: web servers must read the site
    mark(staging, command)  # before anything else: mkdocs keeps hidden files when it cleans
    return staging


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _clean_stale(target: Path) -> None:
    """Remove what killed runs left next to `target` (we hold its lock, so none is in use);
    if a kill between two renames of an older version left no target, restore the old one."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(new|old)-[A-Za-z0-9_]+$")
    leftovers = sorted((p for p in target.parent.iterdir() if pattern.match(p.name) and p.is_dir() and not p.is_symlink()),
                       key=lambda p: p.stat().st_mtime)
    old = [p for p in leftovers if ".old-" in p.name]
    if old and not os.path.lexists(target):
        old[-1].rename(target)
        leftovers.remove(old[-1])
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
