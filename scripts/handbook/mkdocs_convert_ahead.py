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

Pages are handed to the worker a few at a time (QUEUED), each read and keyed only then, so the
worker holds a few pages and its configuration, whatever the size of the site (a build's whole
memory, worker included, is what issue 19 limits).

`mkdocs serve` never uses this (a rebuild converts few pages), nor a build with fewer than
MIN_PAGES generated pages or with most of its last pages in the build cache (starting the
worker takes about a second). HANDBOOK_ONE_PROCESS=1 turns it off.
"""

from __future__ import annotations

import json
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

MIN_PAGES = 150  # fewer pages to convert: one process is as fast
QUEUED = 16  # pages handed to the worker and not yet answered: its memory stays that of a few pages
_SAMPLE = 40  # the last pages checked against the build cache before starting a worker


class PageToConvert(NamedTuple):
    index: int  # its place in MkDocs' order; the worker skips it once MkDocs has reached it
    src_uri: str
    markdown: str
    terms_text: str  # the page's glossary terms as JSON, as in the page cache's key
    key: str  # the page cache key MkDocs' process expects


class Candidate(NamedTuple):
    index: int  # its place in MkDocs' order
    src_uri: str


class ConvertAhead:
    """The worker of one build, as MkDocs' process sees it. Pages are handed over a few at a
    time, from the last one backwards, each prepared (read, keyed) only when handed over."""

    def __init__(self, config_file: str, directory_urls: bool, addresses: list[tuple[str, str, str, str]],
                 candidates: list[Candidate], prepare) -> None:
        """``prepare(candidate)``: the page as a PageToConvert, or None when the build cache holds it."""
        context = multiprocessing.get_context("spawn")  # a fork could inherit locks held by other threads
        self._position = context.Value("i", -1, lock=False)  # the index MkDocs is rendering
        self._index = {c.src_uri: c.index for c in candidates}
        self._waiting = list(candidates)  # handed over from the end
        self._prepare = prepare
        self._results: dict[str, dict] = {}
        self._queued = 0
        self._receive, send = context.Pipe(duplex=False)
        self._inbox = context.Queue()  # a queue: its own thread sends, so handing over never blocks
        self._worker = context.Process(target=_convert_from_the_end, daemon=True,
                                       args=(os.getpid(), config_file, directory_urls, addresses, self._inbox, self._position, send))
        self._worker.start()
        send.close()  # the worker's end: when the worker ends, receiving sees it
        self.used = 0
        self._hand_over()

    def take(self, src_uri: str, key: str) -> dict | None:
        """The worker's result for the page MkDocs is about to render, if it made one under ``key``."""
        index = self._index.get(src_uri)
        if index is not None and index > self._position.value:
            self._position.value = index
        self._drain()
        self._hand_over()
        entry = self._results.pop(key, None)
        self.used += entry is not None
        return entry

    def _hand_over(self) -> None:
        while self._queued < QUEUED and self._waiting and self._waiting[-1].index > self._position.value:
            page = self._prepare(self._waiting.pop())
            if page is not None:
                self._inbox.put(page)
                self._queued += 1

    def _drain(self) -> None:
        try:
            while self._receive.poll():
                key, entry = self._receive.recv()
                self._queued -= 1
                if entry is not None:
                    self._results[key] = entry
        except (EOFError, OSError):  # the worker has ended: what it sent is all there is
            self._waiting = []

    def close(self) -> None:
        self._position.value = 1 << 30  # skip whatever is still queued
        self._worker.terminate()
        self._worker.join(timeout=10)
        self._inbox.cancel_join_thread()  # pages still queued need not reach a stopped worker
        self._inbox.close()
        self._receive.close()
        self._results.clear()


class PageInputs:
    """What the worker is told about each page of this build, prepared from MkDocs' files."""

    def __init__(self, rendering: CachedRendering, config, files: Files, terms_of) -> None:
        """``terms_of(src_uri)`` gives a page's glossary terms and their key text (as the plugin hands them)."""
        self._rendering, self._files, self._terms_of = rendering, files, terms_of
        self._inputs = rendering.build_inputs(config, files)

    def candidates(self) -> list[Candidate]:
        """The generated pages of this build in MkDocs' order (None of them when the cache is off)."""
        if self._inputs is None:
            return []
        return [Candidate(index, file.src_uri) for index, file in enumerate(self._files.documentation_pages())
                if file.generated_by and file.inclusion.is_included()]

    def prepare(self, candidate: Candidate) -> PageToConvert | None:
        from mkdocs.utils.meta import get_data

        file = self._files.get_file_from_path(candidate.src_uri)
        markdown = get_data(file.content_string)[0]  # what MkDocs will read: the text after the front matter
        terms_text = self._terms_of(file.src_uri)[1]
        key = cache_key(self._inputs, file.src_uri, file.dest_uri, file.url, markdown, terms_text)
        if self._rendering.cache.holds(key):
            return None
        return PageToConvert(candidate.index, file.src_uri, markdown, terms_text, key)


def wanted(candidates: list[Candidate], prepare) -> bool:
    """Worth a second process: many generated pages, and most of the last ones (the worker's
    first) not in the build cache; not when turned off or on one core."""
    if len(candidates) < MIN_PAGES or os.environ.get("HANDBOOK_ONE_PROCESS") == "1" or (os.cpu_count() or 1) < 2:
        return False
    last = candidates[-_SAMPLE:]
    return sum(prepare(c) is not None for c in last) * 2 > len(last)


def _convert_from_the_end(parent: int, config_file: str, directory_urls: bool, addresses, inbox, position, send) -> None:
    worker_dies_with(parent)
    try:
        from mkdocs.config import load_config

        for name in ("", "mkdocs"):  # as in MkDocs' process: a render that logs is not sent
            logging.getLogger(name).setLevel(logging.INFO)
        config = load_config(config_file)
        config.use_directory_urls = directory_urls
        files = Files([_file(config, *address) for address in addresses])
        del addresses
        inputs = build_inputs(config, files)
        terms: dict[str, dict[str, str]] = {}
        while True:
            page = inbox.get()
            send.send((page.key, _convert(page, config, files, inputs, terms, position)))
    except Exception:  # noqa: BLE001 (anything: MkDocs goes on alone and reports what it meets itself)
        return


def _convert(page: PageToConvert, config, files: Files, inputs: str | None, terms: dict, position) -> dict | None:
    """The page cache entry of ``page``, or None: MkDocs has reached it, or the result would not be
    used (another key), or the render logged something (MkDocs renders it again and logs it)."""
    if inputs is None or position.value >= page.index:
        return None
    file = files.get_file_from_path(page.src_uri)
    if cache_key(inputs, file.src_uri, file.dest_uri, file.url, page.markdown, page.terms_text) != page.key:
        return None
    rendered = Page(None, file, config)
    rendered.markdown = page.markdown
    if page.terms_text not in terms:
        terms[page.terms_text] = json.loads(page.terms_text)
    try:
        with _LoggedDuringRender() as logged, defined_terms(terms[page.terms_text]):
            rendered.render(config, files)
        return None if logged.records else _snapshot(rendered)
    except Exception:  # noqa: BLE001 (MkDocs meets the same page and reports it, once)
        return None
    finally:
        file.page = None  # a Page hangs itself on its File: kept, every converted page would stay in memory


def _file(config, src_uri: str, dest_uri: str, url: str, inclusion: str) -> File:
    file = File(src_uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
    file.dest_uri, file.url, file.inclusion = dest_uri, url, InclusionLevel[inclusion]
    return file
