"""Part of the MkDocs adapter, for `make serve` only: the search index is refreshed after the pages are served.

One changed record changes the BM25 weights of every other, so the index is built whole, and at
1,000 cases that takes longer than the rest of a preview rebuild. Under `mkdocs serve` a rebuild
whose index is not in the build cache ships the previous index (search may miss the last edit
for a few seconds) and a worker process builds the new one on the other core. When it is done it
is stored in the build cache (the next rebuild picks it up) and written into the served folder,
unless a newer rebuild has started since (then that rebuild's own refresh wins) or a rebuild is
running (then it is written when that rebuild ends). `mkdocs build` never comes here: it builds
the index in the build, as before.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from .build_cache import BuildCache
from .model.collection import Collection
from .search import search_index_files

log = logging.getLogger("mkdocs.plugins.handbook")


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _build_in_worker(collection: Collection, directory_urls: bool, cache_folder: str) -> dict[str, str]:
    return search_index_files(collection, directory_urls, BuildCache(Path(cache_folder)))


def worker_dies_with(server: int) -> None:
    """First thing in a worker: Linux sends it SIGTERM when ``server`` (the mkdocs process) dies
    (kill, kill -9, a closed terminal), so no worker outlives it; a Ctrl-C stops it through its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops the worker (no traceback)
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != server:  # the server died before prctl took effect
        os._exit(1)


class SearchRefresh:
    """The search index of a serve process: what the last build shipped, and the refresh under way."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0  # one per rebuild; a refresh writes only if it is still the newest
        self._building = False
        self._shipped: dict[str, str] | None = None  # the index files the last rebuild put in the site
        self._pending: dict[str, str] | None = None  # a finished refresh waiting for the rebuild to end
        self._site_dir: str | None = None
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None

    def files_for_rebuild(self, collection: Collection, directory_urls: bool, cache: BuildCache, site_dir: str) -> dict[str, str]:
        """The index files this rebuild ships: the right ones if cached, else the previous ones (and a refresh starts)."""
        with self._lock:
            self._generation += 1
            generation, self._building, self._pending, self._site_dir = self._generation, True, None, site_dir
        files = search_index_files(collection, directory_urls, cache, build=False)
        if files is None and self._shipped is None:  # the first build: nothing to show meanwhile
            files = search_index_files(collection, directory_urls, cache)
        elif files is None:
            files = self._shipped
            log.info("handbook: the search index of the previous build is served until the refreshed one is ready")
            self._start(collection, directory_urls, cache, generation)
        self._shipped = files
        return files

    def rebuild_ended(self) -> None:
        """After a rebuild (good or failed): write a refresh that finished meanwhile."""
        with self._lock:
            self._building = False
            pending, self._pending = self._pending, None
            if pending is not None:
                self._write(pending)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def _start(self, collection: Collection, directory_urls: bool, cache: BuildCache, generation: int) -> None:
        if self._executor is None:  # spawn: a fork of the threaded server could inherit held locks
            self._executor = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                                    initializer=worker_dies_with, initargs=(os.getpid(),))
        future = self._executor.submit(_build_in_worker, collection, directory_urls, str(cache.folder))
        future.add_done_callback(lambda done: self._finished(done, generation))

    def _finished(self, future: concurrent.futures.Future, generation: int) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            sys.stderr.write(f"the search index was not refreshed: {error}\n")
            return
        files = future.result()
        with self._lock:
            if generation != self._generation:
                return  # a newer rebuild has started its own refresh (or found its index cached)
            self._shipped = files
            if self._building:
                self._pending = files
            else:
                self._write(files)
        log.info("handbook: search index refreshed (served once any running rebuild ends)")

    def _write(self, files: dict[str, str]) -> None:
        """Each file replaced in one rename, so the server never sends half a file."""
        for path, text in files.items():
            target = Path(self._site_dir, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(temporary, 0o644)  # as MkDocs writes the site's files (mkstemp makes them 0600)
            os.replace(temporary, target)
