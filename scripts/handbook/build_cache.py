"""A content-addressed store under .cache/build, so that a rebuild skips the work whose input did not change.

Three things are kept, each in its own folder: the Python-Markdown result of each page
(``markdown/``, see mkdocs_page_cache.py: half of a cold build), the search index built
from the records (``search/``: jieba over every record) and the parsed YAML of each record
file (``yaml/``, see load/parse_store.py). The link check of finished pages is
not cached: it proves a clean page clean in about 1 ms (render/sanitise.py). The key is a sha256 of everything the work reads, including the handbook's source and
the libraries' versions (``code_version``), so an entry is never stale, only unused. Entries
are written atomically (a temporary file, then one rename); one that is unreadable,
truncated, altered or of the wrong shape is a miss, never an error. Nothing here imports MkDocs.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import tempfile
import time
from pathlib import Path

FOLDER = ".cache/build"  # under the project root; `make clean` removes it
_FORMAT = "handbook-page-cache 1"
_KEEP_DAYS = 30  # entries unused this long are removed after a build
# Libraries whose output is cached: a new version may render differently.
_LIBRARIES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "jieba", "PyYAML")


def cache_key(*parts: str) -> str:
    """The sha256 of the parts, each length-prefixed so that no two lists of parts collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The handbook's own source (its version, without relying on a bump) and the libraries' versions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}=={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.hexdigest()


class BuildCache:
    """JSON entries in ``folder``, one file per key, each carrying the sha256 of its own body."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = self.misses = 0
        # `mkdocs serve` sets a dict here: entries read or written once are then taken from memory
        # (entries are never changed after they are stored, so sharing them is safe)
        self.memory: dict[str, dict] | None = None
        # keys this build read or wrote: never pruned by it, whatever the clock says (a machine
        # whose clock jumps forward mid-build must not lose the entries it just wrote)
        self._used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def holds(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (it may still turn out unreadable)."""
        return (self.memory is not None and key in self.memory) or self._path(key).is_file()

    def get(self, key: str, use=None) -> dict | None:
        """The entry stored under ``key``, or None. ``use(entry)`` returns False for an entry of
        the wrong shape, which then counts as a miss like a missing or corrupt one."""
        kept = self.memory.get(key) if self.memory is not None else None
        if kept is not None and (use is None or use(kept)):
            self.hits += 1
            self._used.add(key)
            return kept
        path = self._path(key)
        try:
            header, body = path.read_bytes().split(b"\n", 1)
            name, digest = header.decode("ascii").rsplit(" ", 1)
            if name != _FORMAT or hashlib.sha256(body).hexdigest() != digest:
                raise ValueError("not an entry of this format, or altered")
            entry = json.loads(body)
            if not isinstance(entry, dict) or (use is not None and not use(entry)):
                raise ValueError("not an entry of the expected shape")
        except (OSError, ValueError, UnicodeDecodeError):  # missing, truncated, corrupt: compute again
            self.misses += 1
            return None
        try:
            os.utime(path)  # in use: keep it through the next prune
        except OSError:
            pass
        self.hits += 1
        self._used.add(key)
        if self.memory is not None:
            self.memory[key] = entry
        return entry

    def put(self, key: str, entry: dict) -> None:
        """Store atomically; a cache that cannot be written (read-only checkout, full disk) is skipped."""
        self._used.add(key)
        if self.memory is not None:
            self.memory[key] = entry
        body = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        data = f"{_FORMAT} {hashlib.sha256(body).hexdigest()}\n".encode("ascii") + body
        path = self._path(key)
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def prune(self, keep_days: float = _KEEP_DAYS) -> int:
        """Remove entries not used for ``keep_days`` (nor since the last prune) and stray temporary
        files; the number removed. Called once a build is over."""
        now = time.time()
        removed = 0
        used, self._used = self._used, set()
        for path in self.folder.glob("*/*"):
            if path.stem in used:
                continue
            try:
                # a temporary file an hour old belongs to a build that was killed, not to one running
                age_limit = 3600 if path.name.startswith(".tmp-") else keep_days * 86400
                if path.stat().st_mtime < now - age_limit:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed
