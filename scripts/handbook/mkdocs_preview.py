"""Part of the MkDocs adapter: under `mkdocs serve --dirty`, write only the pages whose output can differ.

A save under `make serve` rebuilds the whole site: every page goes through Material's template,
the link check and a write. With ``--dirty`` MkDocs skips a page whose file says it is not
modified, but generated files always say they are, and hand-written ones judge by dates only. So
this class decides for every page, once the whole site is known (``on_env``: every page's
Markdown rendered, the nav's titles set, Material's tag listings filled): a page is written again
unless everything its finished HTML is made of is what it was in the previous successful build
of this process: its own content, title, metadata and table of contents, its addresses, and what
every page shows (the nav with its titles, mkdocs.yml and what plugins changed in it, the theme's
own folder, the addresses of all files, the error banner of a broken record). Pages are still
read and rendered every time (the page cache makes that cheap), so links, anchors, tags and the
search index are checked and built from the whole site as in a cold build.

A build that fails (a strict warning, an error) forgets the previous state, so the next one
writes everything; outputs of files that no longer exist are removed, as a clean build would not
have them. Plain `mkdocs build` and `handbook build` never use this: they clean and write all.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from .build_cache import cache_key

_DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns on every --dirty build that navigation may be stale; here it is not (every page
    whose nav could differ is written again), and under --strict the warning would abort each build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_DIRTY_WARNING)


class PreviewRebuild:
    """Which pages a `mkdocs serve --dirty` rebuild must write; one instance lives as long as the server."""

    def __init__(self) -> None:
        self._written: dict[str, str] = {}  # src_uri -> key of the page's output in the last good build
        self._keys: dict[str, str] = {}  # src_uri -> key in this build
        self._site_key: str | None = None  # None until the whole site is known (on_env)
        self._outputs: set[str] = set()  # every output path a build of this process wrote
        self.pages_written = self.pages_kept = 0
        logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())

    def start(self, files) -> None:
        """Before the pages are read: every page counts as modified (MkDocs reads and renders it)."""
        self._site_key, self._keys = None, {}
        self.pages_written = self.pages_kept = 0
        for file in files:
            if file.is_documentation_page():
                file.is_modified = lambda file=file: self._modified(file)  # on this File only

    def site_known(self, config, nav, files, shown_on_every_page: str) -> None:
        """After every page is rendered: what all pages share, from here on each page is judged."""
        titles = [_nav_entry(item) for item in nav.items]
        addresses = sorted((f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files)
        config_text = Path(config.config_file_path).read_bytes().hex() if config.config_file_path else ""
        self._site_key = cache_key(json.dumps(titles, ensure_ascii=False), json.dumps(addresses), config_text,
                              str(config.copyright), json.dumps(config.extra, sort_keys=True, default=repr),
                              str(config.site_url), _folder_state(config.theme.custom_dir), shown_on_every_page)

    def _modified(self, file) -> bool:
        if self._site_key is None:
            return True
        page = file.page
        toc = json.dumps([_toc_entry(item) for item in page.toc], ensure_ascii=False)
        key = cache_key(self._site_key, file.src_uri, file.dest_uri, file.url, page.content or "", str(page.title),
                   json.dumps(page.meta, sort_keys=True, default=repr, ensure_ascii=False), toc)
        self._keys[file.src_uri] = key
        modified = self._written.get(file.src_uri) != key or not os.path.isfile(file.abs_dest_path)
        if modified:
            self.pages_written += 1
        else:
            self.pages_kept += 1
        return modified

    def finished(self, files) -> None:
        """After a build: remember what was written; remove outputs of files that are gone."""
        self._written = dict(self._keys)
        current = {os.path.normpath(f.abs_dest_path) for f in files}
        for path in sorted(self._outputs - current):
            Path(path).unlink(missing_ok=True)
        self._outputs = current

    def failed(self) -> None:
        """A failed build may have left any page half-judged: the next one writes every page."""
        self._written = {}


def _nav_entry(item) -> list:
    return [type(item).__name__, str(item.title), getattr(item, "url", None), [_nav_entry(c) for c in item.children or ()]]


def _toc_entry(item) -> list:
    return [item.title, item.id, item.level, [_toc_entry(c) for c in item.children]]


def _folder_state(folder: str | None) -> str:
    """Names, sizes and dates of the theme's own templates (custom_dir): a change rewrites every page."""
    if not folder or not os.path.isdir(folder):
        return ""
    state = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            stat = path.stat()
            state.append(f"{path.relative_to(folder).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(state)
