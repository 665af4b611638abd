"""The thin MkDocs adapter: load the collection, hand its pages to MkDocs as virtual files.

All the work happens in ``load``, ``render`` and ``search``, which know nothing about
MkDocs. Nothing is ever written into docs/, cases/ or standards/ (that would loop
``mkdocs serve``); the jieba dictionary goes to .cache/.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errors import ContentErrors
from .load.loader import load_collection
from .model.collection import Collection
from .render.escaping import neutralise_tooltips
from .render.pages import abbreviations, print_handbook_page, render_pages
from .search.dictionary import jieba_user_dict
from .search.pagefind import ENGINES, PagefindError, choose_engine, index_site, mark_for_index
from .search.t2s_map import t2s_script
from .search.worker_patch import WorkerPatchError, patch_search_worker

log = logging.getLogger("mkdocs.plugins.handbook")

T2S_SCRIPT = "assets/javascripts/t2s-map.js"


class HandbookConfig(Config):
    cases_dir = opt.Type(str, default="cases")
    standards_dir = opt.Type(str, default="standards")
    templates_dir = opt.Type(str, default="overrides/handbook")
    cache_dir = opt.Type(str, default=".cache/handbook")
    # auto: Material's search up to pagefind_from_cases - 1 cases, Pagefind from there on
    # (offline builds always use Material's: Pagefind cannot run from file://).
    search_engine = opt.Choice(ENGINES, default="auto")
    pagefind_from_cases = opt.Type(int, default=200)
    list_page_size = opt.Type(int, default=100)  # cases per page of long lists


class HandbookPlugin(BasePlugin[HandbookConfig]):
    """Adds the generated pages, the glossary's hover definitions and search support.

    List it before ``search`` in mkdocs.yml: it hands the search plugin its jieba
    dictionary during ``on_config``.
    """

    collection: Collection | None = None

    def on_config(self, config):
        # jieba (used by the search plugin) logs its dictionary loading at DEBUG to stderr.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.root = Path(config.config_file_path).parent
        try:
            self.collection = load_collection(self.root, self.config.cases_dir, self.config.standards_dir)
        except ContentErrors as errors:
            raise PluginError(f"{len(errors.errors)} content error(s):\n{errors}") from None
        self.search_engine = choose_engine(self.config.search_engine, len(self.collection.cases),
                                           self.config.pagefind_from_cases, offline=_offline(config))
        if self.search_engine == "pagefind":
            self._use_pagefind(config)
        else:
            if _offline(config) and len(self.collection.cases) >= self.config.pagefind_from_cases:
                log.info("handbook: the offline bundle of %d cases keeps Material's one-piece search index "
                         "(Pagefind cannot run from file://); expect about 65 KB per case", len(self.collection.cases))
            self._configure_search(config)
        if self.collection.editions:  # the footer names the edition a printed page came from
            edition = self.collection.editions.current_edition
            stamp = f"{edition.title}（{edition.id}），{edition.date.year}年{edition.date.month}月{edition.date.day}日发布。"
            config.copyright = f"{config.copyright or ''} {stamp}".strip()
        self.abbreviations = abbreviations(self.collection)
        return config

    def _use_pagefind(self, config) -> None:
        search = _search_plugin(config)
        if search is not None:  # else it still builds its one-piece index, and every page fetches it
            search.config.enabled = False
        config.extra["handbook_search_page"] = "search/" if config.use_directory_urls else "search.html"
        log.info("handbook: %d cases: searching with Pagefind (chunked index)", len(self.collection.cases))

    def _configure_search(self, config) -> None:
        path = self.root / self.config.cache_dir / "jieba_user_dict.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = jieba_user_dict(self.collection)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        search = _search_plugin(config)
        if search is not None and not search.config.get("jieba_dict_user"):
            search.config.jieba_dict_user = str(path)
        else:  # the user chose their own dictionary: add ours to jieba directly
            import jieba

            jieba.load_userdict(str(path))

    def on_files(self, files: Files, *, config) -> Files:
        pages = render_pages(self.collection, self.root / self.config.templates_dir,
                             directory_urls=config.use_directory_urls, site_url=config.site_url,
                             search_page=self.search_engine == "pagefind", list_page_size=self.config.list_page_size)
        if os.environ.get("HANDBOOK_PRINT") == "true":  # the PDF edition's one-page handbook
            pages.append(print_handbook_page(self.collection, self.root / self.config.templates_dir, config.use_directory_urls))
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} would hide a generated page; remove or rename it")
            files.append(File.generated(config, page.src_uri, content=page.content))
        text = json.dumps([r.model_dump(mode="json") for r in [*self.collection.cases, *self.collection.standards]], ensure_ascii=False)
        files.append(File.generated(config, T2S_SCRIPT, content=t2s_script(text)))
        log.info("handbook: %d cases, %d standards, %d figures", len(self.collection.cases), len(self.collection.standards), self.collection.metric_count)
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        return markdown + "\n\n" + self.abbreviations if self.abbreviations else markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        # Material's tooltips render title attributes as HTML: keep them text.
        html = neutralise_tooltips(html)
        if self.search_engine == "pagefind":
            html = mark_for_index(html, page.meta.get("search"))
        return html

    def on_post_build(self, *, config) -> None:
        if self.search_engine == "pagefind":
            try:
                index_site(Path(config.site_dir))
            except PagefindError as error:
                raise PluginError(f"cannot build the Pagefind search index: {error}") from None
            return
        search = _search_plugin(config)
        if search is None or not search.config.enabled:
            return
        try:
            patch_search_worker(Path(config.site_dir))
        except WorkerPatchError as error:
            raise PluginError(f"cannot fix Chinese query segmentation: {error} (see handbook/search/worker_patch.py)") from None

    def on_serve(self, server, *, config, builder):
        for folder in (self.config.cases_dir, self.config.standards_dir, self.config.templates_dir):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def _search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def _offline(config) -> bool:
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline and offline.config.enabled)
