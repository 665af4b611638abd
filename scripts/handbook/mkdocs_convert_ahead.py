"""Part of the MkDocs adapter: a second process converts pages' Markdown ahead of MkDocs, from the end.

Python-Markdown is the largest part of a cold build and MkDocs converts the pages one after the
other in one process, so on a machine with two cores one is idle. When a build has many pages
that the build cache does not hold, a worker process (spawned, so it shares no state) converts
them from the last page backwards while MkDocs goes forwards; the two stop where they meet.

The worker proves nothing by itself: it renders each page the way MkDocs does (``Page.render``,
with the page's glossary terms) in a configuration it loads from the same mkdocs.yml, and it
computes the page cache's key from *its own* inputs (code, extension options, file addresses,
the page's address and Markdown, the terms). MkDocs' process takes a result only under the key
it computes itself for the page it is about to render, so a result made from anything different
(a plugin that changed an option or a page's Markdown, a different address) is never used, only
wasted. A render that logs anything is not sent: MkDocs renders that page itself and logs it.

`mkdocs serve` never uses this (a rebuild converts few pages), nor a build with fewer than
MIN_PAGES pages to convert (starting the worker takes about a second). HANDBOOK_ONE_PROCESS=1
turns it off.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import NamedTuple

from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .build_cache import cache_key
from .mkdocs_page_cache import CachedRendering, _LoggedDuringRender, _snapshot, build_inputs
from .mkdocs_search_refresh import worker_dies_with
from .render.cjk_abbr import defined_terms

log = logging.getLogger("mkdocs.plugins.handbook")

MIN_PAGES = 150  # fewer pages to convert: one process is as fast


class PageToConvert(NamedTuple):
    index: int  # its place in MkDocs' order; the worker stops once MkDocs has reached it
    src_uri: str
    markdown: str
    terms: dict[str, str]
    terms_text: str  # the text of the terms in the page cache's key
    key: str  # the page cache key MkDocs' process expects


class ConvertAhead:
    """The worker of one build, as MkDocs' process sees it."""

    def __init__(self, config_file: str, directory_urls: bool, addresses: list[tuple[str, str, str, str]],
                 pages: list[PageToConvert]) -> None:
        context = multiprocessing.get_context("spawn")  # a fork could inherit locks held by other threads
        self._position = context.Value("i", -1, lock=False)  # the index MkDocs is rendering
        self._index = {page.src_uri: page.index for page in pages}
        self._results: dict[str, dict] = {}
        self._receive, send = context.Pipe(duplex=False)
        self._worker = context.Process(target=_convert_from_the_end, daemon=True,
                                       args=(os.getpid(), config_file, directory_urls, addresses, pages[::-1], self._position, send))
        self._worker.start()
        send.close()  # the worker's end: when the worker ends, receiving sees it
        self.used = 0

    def take(self, src_uri: str, key: str) -> dict | None:
        """The worker's result for the page MkDocs is about to render, if it made one under ``key``."""
        index = self._index.get(src_uri)
        if index is not None and index > self._position.value:
            self._position.value = index
        self._drain()
        entry = self._results.pop(key, None)
        self.used += entry is not None
        return entry

    def _drain(self) -> None:
        try:
            while self._receive.poll():
                key, entry = self._receive.recv()
                self._results[key] = entry
        except (EOFError, OSError):  # the worker has ended: what it sent is all there is
            pass

    def close(self) -> None:
        self._position.value = 1 << 30  # stop at the next page
        self._worker.terminate()
        self._worker.join(timeout=10)
        self._receive.close()
        self._results.clear()


def pages_to_convert(rendering: CachedRendering, config, files: Files, terms_of) -> list[PageToConvert]:
    """The generated pages of this build, in MkDocs' order, whose Markdown the build cache does not hold.

    ``terms_of(src_uri)`` gives a page's glossary terms and their key text (as the plugin hands them)."""
    from mkdocs.utils.meta import get_data

    inputs = rendering.build_inputs(config, files)
    if inputs is None:
        return []
    pages = []
    for index, file in enumerate(files.documentation_pages()):
        if not file.generated_by or not file.inclusion.is_included():
            continue
        markdown = get_data(file.content_string)[0]  # what MkDocs will read: the text after the front matter
        terms, terms_text = terms_of(file.src_uri)
        key = cache_key(inputs, file.src_uri, file.dest_uri, file.url, markdown, terms_text)
        if not rendering.cache.holds(key):
            pages.append(PageToConvert(index, file.src_uri, markdown, terms, terms_text, key))
    return pages


def wanted(pages: list[PageToConvert]) -> bool:
    return len(pages) >= MIN_PAGES and os.environ.get("HANDBOOK_ONE_PROCESS") != "1" and (os.cpu_count() or 1) > 1


def _convert_from_the_end(parent: int, config_file: str, directory_urls: bool, addresses, pages: list[PageToConvert],
                          position, send) -> None:
    worker_dies_with(parent)
    from mkdocs.config import load_config

    for name in ("", "mkdocs"):  # as in MkDocs' process: a render that logs is not sent
        logging.getLogger(name).setLevel(logging.INFO)
    config = load_config(config_file)
    config.use_directory_urls = directory_urls
    files = Files([_file(config, *address) for address in addresses])
    inputs = build_inputs(config, files)
    if inputs is None:
        return
    for page in pages:
        if position.value >= page.index:
            return  # MkDocs has come this far
        file = files.get_file_from_path(page.src_uri)
        key = cache_key(inputs, file.src_uri, file.dest_uri, file.url, page.markdown, page.terms_text)
        if key != page.key:
            continue  # something differs from MkDocs' process: its result would not be used
        rendered = Page(None, file, config)
        rendered.markdown = page.markdown
        with _LoggedDuringRender() as logged, defined_terms(page.terms):
            rendered.render(config, files)
        if not logged.records:
            send.send((key, _snapshot(rendered)))


def _file(config, src_uri: str, dest_uri: str, url: str, inclusion: str) -> File:
    file = File(src_uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
    file.dest_uri, file.url, file.inclusion = dest_uri, url, InclusionLevel[inclusion]
    return file
