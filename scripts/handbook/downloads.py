"""What the site offers on its 下载 page: the files a release built for exactly this content.

`handbook release` prints the PDFs and packs the offline zip into dist/, then writes
dist/downloads.json with each file's size, its edition and a key of the collection it
was built from. The site build reads that index and publishes a file only when the key
matches the collection being built and the file is there with the recorded size; it
copies each one into the site (downloads/…), so every link points at a file the build
itself wrote. Without a matching index the site simply offers no PDFs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .model.collection import Collection
from .render.urls import download_src

INDEX = "downloads.json"
_SAFE_PATH = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*\.(?:pdf|zip)$")  # goes into links as is
KINDS = {"handbook": "手册全文", "handout": "培训讲义", "standard": "标准流程", "case": "案例", "offline": "离线版"}


@dataclass(frozen=True)
class Download:
    path: str  # relative to dist/ and to the site's downloads folder (render.urls.download_src)
    kind: str  # one of KINDS
    title: str
    subject: str  # the record id for per-record files, else ""
    size: int
    edition: str  # e.g. "第一版（2026-1）"

    @property
    def src_uri(self) -> str:
        return download_src(self.path)


class Downloads:
    """The published files, by path and by record, for templates (empty when none)."""

    def __init__(self, items: list[Download] | None = None):
        self.items = list(items or [])
        self._by_subject = {(d.kind, d.subject): d for d in self.items if d.subject}

    def __bool__(self) -> bool:
        return bool(self.items)

    def of_kind(self, kind: str) -> list[Download]:
        return [d for d in self.items if d.kind == kind]

    def for_record(self, kind: str, record_id: str) -> Download | None:
        return self._by_subject.get((kind, record_id))


def content_key(collection: Collection) -> str:
    """A hash of everything the printed files are made from in the collection."""
    records = {
        "cases": [c.model_dump(mode="json") for c in collection.cases],
        "standards": [s.model_dump(mode="json") for s in collection.standards],
        "sessions": [s.model_dump(mode="json") for s in collection.sessions],
        "glossary": [t.model_dump(mode="json") for t in collection.glossary],
        "editions": collection.editions.model_dump(mode="json") if collection.editions else None,
    }
    return hashlib.sha256(json.dumps(records, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def edition_stamp(collection: Collection) -> str:
    edition = collection.editions.current_edition if collection.editions else None
    return f"{edition.title}（{edition.id}）" if edition else ""


def write_index(dist: Path, collection: Collection, items: list[Download]) -> Path:
    path = Path(dist) / INDEX
    data = {"content": content_key(collection), "files": [asdict(d) for d in items]}
    partial = path.with_name(f".{INDEX}.part")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def read_index(dist: Path, collection: Collection) -> Downloads:
    """The downloads built for this collection that are present in ``dist``; none if stale."""
    path = Path(dist) / INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Downloads()
    if not isinstance(data, dict) or data.get("content") != content_key(collection):
        return Downloads()
    items = []
    for entry in data.get("files", []):
        try:
            item = Download(**entry)
        except TypeError:
            return Downloads()
        if not _SAFE_PATH.match(item.path) or ".." in item.path or item.kind not in KINDS:
            return Downloads()  # not an index this build wrote
        file = Path(dist) / item.path
        if not file.is_file() or file.stat().st_size != item.size:
            continue  # never offer a file that is not there as recorded
        items.append(item)
    return Downloads(items)
