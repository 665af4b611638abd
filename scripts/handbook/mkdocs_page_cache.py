"""Part of the MkDocs adapter: reuse a page's Python-Markdown result when its input is unchanged.

MkDocs turns each page's Markdown into HTML in ``Page.render`` (a new Markdown instance per
page). That call reads only the page's final Markdown (after every plugin's
``on_page_markdown``), the glossary terms the handbook defines for it, the page's own address,
the addresses of the other files (relative links), the Markdown extensions with their options and the code of Python-Markdown, MkDocs,
the extensions and the handbook; and it sets only ``content``, ``toc``, the title found in the
text, the anchors the page has and the anchors it links to. So the page's ``render`` is wrapped
(on this one Page object, nothing patched globally): the key is a sha256 of all those inputs,
and on a hit the five results are put back as they were, the table of contents through MkDocs'
own ``get_toc``. Everything after ``render`` (the handbook's ``on_page_content``, the theme, the
search index) runs as in a cold build, so the output is byte-identical (tests/test_page_cache.py).

A render that logs anything (a broken link, with ``validation: warn``) is not stored, so a
warning that fails a --strict build is never silenced by the next build. When the extension
options hold something without a stable description (an Extension object, say), the cache is
off for that build.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping
from pathlib import Path

from mkdocs.structure.toc import get_toc

from .build_cache import BuildCache, cache_key, code_version

log = logging.getLogger("mkdocs.plugins.handbook")

class CachedRendering:
    """Wraps ``Page.render`` of each page of one build with the cache in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.cache = BuildCache(folder)
        self._files = None  # the Files of the build the inputs were computed for
        self._inputs: str | None = None
        self.ahead = None  # a ConvertAhead while a second process converts pages (mkdocs_convert_ahead.py)

    def install(self, page, also_read: str = "") -> None:
        """``also_read``: a text of what else the page's ``render`` reads (its glossary terms)."""
        render = page.render
        page.render = functools.partial(self._render, page, render, also_read)

    def _render(self, page, render, also_read: str, config, files) -> None:
        inputs = self.build_inputs(config, files)
        if inputs is None:
            render(config, files)
            return
        key = cache_key(inputs, page.file.src_uri, page.file.dest_uri, page.file.url, page.markdown, also_read)
        if self.cache.get(key, use=lambda entry: _restore(page, entry, files)) is not None:
            return
        converted = self.ahead.take(page.file.src_uri, key) if self.ahead else None
        if converted is not None and _restore(page, converted, files):
            self.cache.put(key, converted)
            return
        with _LoggedDuringRender() as logged:
            render(config, files)
        if not logged.records:
            self.cache.put(key, _snapshot(page))

    def build_inputs(self, config, files) -> str | None:
        """What every page of this build shares (None: no stable description, no cache)."""
        if self._files is not files:
            self._files, self._inputs = files, build_inputs(config, files)
        return self._inputs


def build_inputs(config, files) -> str | None:
    """Code, extension options and the site's file addresses, as one key part; None when the
    options hold something without a stable description (the cache is off for that build)."""
    try:
        options = _stable_json({
            "extensions": config.markdown_extensions, "options": config.mdx_configs,
            "directory_urls": config.use_directory_urls, "validation": config.validation,
        })
    except TypeError as error:
        log.info("handbook: page cache off for this build (%s)", error)
        return None
    addresses = json.dumps(sorted((f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files))
    return cache_key(code_version(), options, addresses)


def _snapshot(page) -> dict:
    links = page.links_to_anchors
    return {
        "content": page.content,
        "toc": [_toc_token(item) for item in page.toc],
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links_to_anchors": None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
    }


def _toc_token(item) -> dict:
    return {"name": item.title, "id": item.id, "level": item.level, "children": [_toc_token(c) for c in item.children]}


def _restore(page, entry: dict, files) -> bool:
    """Put a stored render back on the page; False (page untouched) when the entry does not fit."""
    try:
        content, title, links = entry["content"], entry["title"], entry["links_to_anchors"]
        toc = get_toc(entry["toc"])
        anchors = set(entry["anchors"])
        if not isinstance(content, str) or not (title is None or isinstance(title, str)):
            return False
        if links is not None:
            links = {files.get_file_from_path(src_uri): dict(anchors_of) for src_uri, anchors_of in links.items()}
            if None in links:
                return False
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    page.content, page.toc, page._title_from_render = content, toc, title
    page.present_anchor_ids = anchors
    if links is not None:
        page.links_to_anchors = links
    return True


class _LoggedDuringRender(logging.Handler):
    """Collects what MkDocs, Python-Markdown or an extension logs (INFO and up) while a page renders."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self._loggers = [logging.getLogger(), logging.getLogger("mkdocs")]  # mkdocs' CLI stops propagation

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self):
        for logger in self._loggers:
            logger.addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for logger in self._loggers:
            logger.removeHandler(self)


def _stable_json(value) -> str:
    return json.dumps(value, sort_keys=True, default=_describe, ensure_ascii=False)


def _describe(value):
    """A description of a configuration value that is the same in every process, or TypeError."""
    if isinstance(value, functools.partial):
        return {"partial": _describe(value.func), "args": list(value.args), "keywords": value.keywords}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
    if callable(value) and hasattr(value, "__qualname__") and hasattr(value, "__module__"):
        return f"{value.__module__}.{value.__qualname__}"
    if isinstance(value, int):  # enums such as validation levels
        return int(value)
    raise TypeError(f"no stable description of {type(value).__name__} in markdown_extensions")
