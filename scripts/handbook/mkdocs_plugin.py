"""The thin MkDocs adapter: load the collection, hand its pages to MkDocs as virtual files.

All the work happens in ``load``, ``render`` and ``search``, which know nothing about
MkDocs. Nothing is ever written into docs/, cases/ or standards/ (that would loop
``mkdocs serve``); the search index is a set of generated files too.
"""

from __future__ import annotations

import functools
import html as html_lib
import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .build import DATE_FROM_HISTORY, history_epoch, newest_history_date
from .build_cache import FOLDER as BUILD_CACHE_FOLDER, BuildCache
from .config import DEFAULTS, missing_content_folders
from .downloads import Downloads, read_index
from .errors import ContentErrors, RenderError, display_path
from .load.loader import ParsedFiles, load_collection
from .load.parse_store import parses_kept_in
from .mkdocs_convert_ahead import ConvertAhead, PageInputs, wanted as convert_ahead_wanted
from .mkdocs_page_cache import CachedRendering
from .mkdocs_preview import PreviewRebuild
from .mkdocs_search_refresh import SearchRefresh
from .model.collection import Collection
from .render.escaping import neutralise_tooltips, safe_toc_title
from .render.cjk_abbr import defined_terms
from .render.finished_html import LostBlock, put_back, set_aside
from .render.pages import CompiledTemplates, glossary_terms, print_handbook_page, render_pages
from .render import urls
from .render.reuse import PageReuse, compute_now
from .render.urls import record_of
from .render.sanitise import content_error, sanitise
from .search import search_index_files
from .search.t2s_map import record_characters, t2s_script

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookConfig(Config):
    """The options and their defaults are defined once, in handbook.config (the CLI reads them too)."""

    cases_dir = opt.Type(str, default=DEFAULTS.cases_dir)
    standards_dir = opt.Type(str, default=DEFAULTS.standards_dir)
    templates_dir = opt.Type(str, default=DEFAULTS.templates_dir)
    list_page_size = opt.Type(int, default=DEFAULTS.list_page_size)
    downloads_dir = opt.Type(str, default=DEFAULTS.downloads_dir)
    print_page = opt.Type(bool, default=DEFAULTS.print_page)


def _render_errors_in_one_line(event):
    """A broken (overridden) template stops the build with one line naming it and the page."""

    @functools.wraps(event)
    def run(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except RenderError as error:
            raise PluginError(str(error)) from None
    return run


class HandbookPlugin(BasePlugin[HandbookConfig]):
    """Adds the generated pages, the glossary's hover definitions and the search index.

    Its ``on_config`` runs first wherever it is listed in mkdocs.yml, and its
    ``on_post_page`` last (it checks every address).
    """

    root: Path | None = None  # the project folder (that of mkdocs.yml)
    collection: Collection | None = None
    serving = False  # under `mkdocs serve`: a broken record must not stop the preview
    last_good: Collection | None = None
    content_errors: list[str] = []
    rendering: CachedRendering | None = None  # the build cache (.cache/build), in three parts
    search_cache: BuildCache | None = None
    yaml_cache: BuildCache | None = None  # and the parsed record files (load/parse_store.py)
    preview: PreviewRebuild | None = None  # `mkdocs serve --dirty` (make serve): write only changed pages
    search_refresh: SearchRefresh | None = None  # and refresh the search index after serving them
    parsed_files: ParsedFiles | None = None  # and re-validate only the record files that changed
    page_reuse: PageReuse | None = None  # and render again only the pages whose inputs changed
    finished_blocks: dict[str, list[str]] = {}
    converted_ahead = 0  # pages of this build whose Markdown a second process converted

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also makes MkDocs keep this instance across serve rebuilds,
        # which is what lets the last good collection outlive a broken save.
        self.serving = command == "serve"
        if self.serving and dirty and self.preview is None:
            self.preview, self.search_refresh, self.parsed_files = PreviewRebuild(), SearchRefresh(), ParsedFiles()
            self.page_reuse, self.theme_templates = PageReuse(), CompiledTemplates()

    def on_shutdown(self) -> None:
        if self.search_refresh:
            self.search_refresh.close()

    @event_priority(100)  # first, wherever it is listed: it hands search its dictionary
    def on_config(self, config):
        check_prerequisites(config)
        # jieba (used by the search plugin) logs its dictionary loading at DEBUG to stderr.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        root = Path(config.config_file_path).parent
        if root != self.root:
            # MkDocs keeps one instance of a plugin with on_startup per process, whatever the
            # project: a build of another project in this process starts without this one's
            # build cache and last good records
            self.root, self.rendering, self.last_good = root, None, None
        missing = missing_content_folders(self.root, self.config.cases_dir, self.config.standards_dir)
        if missing:  # a typo must not publish an empty handbook
            raise PluginError("\n".join(missing))
        if self.rendering is None:  # kept across `mkdocs serve` rebuilds, like the plugin
            folder = self.root / BUILD_CACHE_FOLDER
            self.rendering = CachedRendering(folder / "markdown")
            self.search_cache, self.yaml_cache = BuildCache(folder / "search"), BuildCache(folder / "yaml")
            if self.preview:  # a long-running preview: the pages' Markdown results stay in memory
                self.rendering.cache.memory = {}
        try:
            with parses_kept_in(self.yaml_cache):
                self.collection = load_collection(self.root, self.config.cases_dir, self.config.standards_dir, self.parsed_files)
            self.last_good, self.content_errors = self.collection, []
        except ContentErrors as errors:
            if not self.serving:
                raise PluginError(f"{len(errors.errors)} content error(s):\n{errors}") from None
            self._keep_serving(errors)
        if os.environ.get(DATE_FROM_HISTORY) == "1" and "SOURCE_DATE_EPOCH" not in os.environ:
            # `handbook build` outside git: date the build by the newest history date of the records just loaded
            os.environ["SOURCE_DATE_EPOCH"] = history_epoch(newest_history_date(self.collection))
        if self.collection.editions:  # the footer names the edition a printed page came from
            edition = self.collection.editions.current_edition
            stamp = f"{edition.title}（{edition.id}），{edition.date.year}年{edition.date.month}月{edition.date.day}日发布。"
            config.copyright = f"{config.copyright or ''} {stamp}".strip()
        self.page_terms = {}  # record id (None: other pages) -> (glossary terms, their key text), filled as pages render
        return config

    def _keep_serving(self, errors: ContentErrors) -> None:
        """Serve the last good collection (or an empty one) with the errors on every page.

        Raising here would make `mkdocs serve` wait, with every request hanging, until the
        file is fixed. The errors go to stderr, not the log, so --strict does not abort."""
        self.content_errors = [str(error) for error in errors.errors]
        kept = "the last good version" if self.last_good else "an empty handbook"
        sys.stderr.write(f"{len(self.content_errors)} content error(s); serving {kept} until they are fixed:\n{errors}\n")
        self.collection = self.last_good or Collection()

    @_render_errors_in_one_line
    def on_files(self, files: Files, *, config) -> Files:
        # the offline zip leaves the PDFs to the website (and cannot hold itself)
        downloads = Downloads() if _offline(config) else read_index(self.root / self.config.downloads_dir, self.collection)
        self.finished_blocks = {}  # src_uri -> the page's finished HTML blocks (render/finished_html.py)
        pages = render_pages(self.collection, self.root / self.config.templates_dir,
                             directory_urls=config.use_directory_urls, site_url=config.site_url,
                             list_page_size=self.config.list_page_size,
                             downloads=downloads, reuse=self.page_reuse)
        if self.config.print_page:
            pages.append(print_handbook_page(self.collection, self.root / self.config.templates_dir, config.use_directory_urls))
        # page templates under the theme's folder (overrides/handbook) shape pages; they are not site files
        templates = os.path.abspath(self.root / self.config.templates_dir) + os.sep
        for file in [f for f in files if f.abs_src_path and os.path.abspath(f.abs_src_path).startswith(templates)]:
            files.remove(file)
        for item in downloads.items:
            files.append(File.generated(config, item.src_uri, abs_src_path=str(self.root / self.config.downloads_dir / item.path)))
        listed = _nav_paths(config.nav)
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} would hide a generated page; remove or rename it")
            # case, standard, facet and list pages are reached through the indexes, not the nav
            inclusion = InclusionLevel.UNDEFINED if page.src_uri in listed else InclusionLevel.NOT_IN_NAV
            content = page.content
            if isinstance(content, str) and page.src_uri.endswith(".md"):
                # tables the templates finished as HTML skip Python-Markdown (on_page_content puts them back)
                content, blocks = set_aside(content)
                if blocks:
                    self.finished_blocks[page.src_uri] = blocks
            files.append(File.generated(config, page.src_uri, content=content, inclusion=inclusion))
        remember = self.page_reuse.value if self.page_reuse else compute_now
        han = set().union(*(remember("characters", record_characters, r) for r in [*self.collection.cases, *self.collection.standards]))
        files.append(File.generated(config, urls.T2S_SCRIPT, content=t2s_script(han)))
        # The header's search leads to the search page (the offline bundle has no directory URLs).
        config.extra["handbook_search_page"] = urls.page_url(urls.SEARCH, config.use_directory_urls)
        if self.search_refresh:
            index = self.search_refresh.files_for_rebuild(self.collection, config.use_directory_urls, self.search_cache, config.site_dir)
        else:
            index = search_index_files(self.collection, config.use_directory_urls, self.search_cache)
        for path, script in index.items():
            files.append(File.generated(config, path, content=script))
        log.info("handbook: %d cases, %d standards, %d figures", len(self.collection.cases), len(self.collection.standards), self.collection.metric_count)
        return files

    @event_priority(-100)  # last: the files and the nav are final
    def on_nav(self, nav, *, config, files):
        self._nav, self._files = nav, files
        if self.preview:
            self.preview.start(files)
        elif not self.serving and config.config_file_path:  # MkDocs converts the pages next: a second process starts from the end
            inputs = PageInputs(self.rendering, config, files, lambda src_uri: self._terms_of(record_of(src_uri)))
            candidates = inputs.candidates()
            if convert_ahead_wanted(candidates, inputs.prepare):
                addresses = [(f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files]
                self.rendering.ahead = ConvertAhead(config.config_file_path, config.use_directory_urls, addresses,
                                                    candidates, inputs.prepare)
        return nav

    def _stop_converting_ahead(self) -> None:
        if self.rendering and self.rendering.ahead:
            self.converted_ahead = self.rendering.ahead.used
            self.rendering.ahead.close()
            self.rendering.ahead = None

    @event_priority(-100)  # after Material's tags plugin fills its listings (priority 100)
    def on_env(self, env, *, config, files):
        self._stop_converting_ahead()  # every page is converted by now
        if self.preview:
            # MkDocs makes a new theme environment each rebuild: keep Material's templates compiled
            env.bytecode_cache = self.theme_templates
            banner = json.dumps([self.content_errors, bool(self.last_good)], ensure_ascii=False)
            self.preview.site_known(config, self._nav, files, banner)
        return env

    def on_pre_page(self, page, *, config, files):
        terms, described = self._terms_of(record_of(page.file.src_uri))
        render = page.render
        page.render = functools.partial(_render_with_terms, terms, render)
        # Python-Markdown is half of a build: reuse its result when the page's input is unchanged
        self.rendering.install(page, described)
        return page

    def _terms_of(self, record_id: str | None) -> tuple[dict[str, str], str]:
        """The glossary's hover definitions on a page about ``record_id`` (a case or standard
        has its own senses), and a text of them for the page cache's key."""
        if record_id not in self.page_terms:
            terms = glossary_terms(self.collection, record_id)
            self.page_terms[record_id] = terms, json.dumps(terms, ensure_ascii=False)
        return self.page_terms[record_id]

    def on_page_content(self, html: str, *, page, config, files) -> str:
        blocks = self.finished_blocks.get(page.file.src_uri)
        if blocks:
            try:
                html = put_back(html, blocks)
            except LostBlock as error:
                raise PluginError(f"{page.file.src_uri}: {error}") from None
        # Material's tooltips render title attributes, and the text of overflowing
        # table-of-contents entries, as HTML: keep both text.
        html = neutralise_tooltips(html)
        _make_toc_safe(page.toc)
        return html

    @event_priority(-100)  # last: what is checked is what is written
    def on_post_page(self, output: str, *, page, config) -> str:
        # Links and sources are judged in the finished HTML, not in the Markdown (see sanitise.py;
        # about 1 ms a clean page, so it runs on every build: nothing to cache).
        output, refused = sanitise(output)
        for item in refused:
            log.error("%s", content_error(item, self._sources_of(page, config)))
        if self.content_errors:  # `mkdocs serve` with a broken record: say so on every page
            output = _with_error_banner(output, self.content_errors, bool(self.last_good))
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        # the theme's own pages (404.html) show the errors too; sitemap.xml is left alone
        if self.content_errors and template_name.endswith(".html"):
            return _with_error_banner(output_content, self.content_errors, bool(self.last_good))
        return output_content

    def on_post_build(self, *, config) -> None:
        markdown, search, parsed = self.rendering.cache, self.search_cache, self.yaml_cache
        log.info("handbook: reused from %s: the Markdown of %d of %d pages; search index %s; the parsed YAML of %d of %d texts%s",
                 BUILD_CACHE_FOLDER, markdown.hits, markdown.hits + markdown.misses, "reused" if search.hits else "not reused",
                 parsed.hits, parsed.hits + parsed.misses,
                 f"; {self.converted_ahead} pages converted by a second process" if self.converted_ahead else "")
        self.converted_ahead = 0
        for cache in (markdown, search, self.yaml_cache):
            cache.hits = cache.misses = 0
            cache.prune()
        if self.preview:
            self.preview.finished(self._files)
            log.info("handbook: preview rebuild wrote %d pages, kept %d unchanged", self.preview.pages_written, self.preview.pages_kept)
        if self.search_refresh:
            self.search_refresh.rebuild_ended()

    def on_build_error(self, *, error) -> None:
        self._stop_converting_ahead()
        if self.preview:
            self.preview.failed()
        if self.search_refresh:
            self.search_refresh.rebuild_ended()

    def _sources_of(self, page, config) -> list[tuple[str, str]]:
        """The files a page's text comes from, the page's own record first (to find a line)."""
        src = page.file.src_uri
        stem, folder = src.rsplit(".", 1)[0], src.split("/", 1)[0]
        own = {"standards": f"{self.config.standards_dir}/{stem.split('/', 1)[-1]}.md",
               "cases": f"{self.config.cases_dir}/{stem.split('/', 1)[-1]}.yaml",
               "training": f"{self.config.standards_dir}/sessions/{stem.split('/', 1)[-1]}.yaml"}.get(folder)
        paths = ([own] if own else []) + ([] if page.file.generated_by else [display_path(Path(config.docs_dir) / src, self.root)])
        paths += sorted(p.relative_to(self.root).as_posix() for p in (self.root / self.config.standards_dir).glob("*.md"))
        sources = []
        for path in dict.fromkeys(paths):
            try:
                sources.append((path, (self.root / path).read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
        return sources or [(f"generated page {src}", "")]


    def on_serve(self, server, *, config, builder):
        # the theme folder too (`mkdocs serve` watches it only with --watch-theme): the page
        # templates live in it, and may be added after the server started
        folders = [self.root / self.config.cases_dir, self.root / self.config.standards_dir, self.root / self.config.templates_dir]
        if config.theme.custom_dir:
            folders.append(Path(config.theme.custom_dir))
        for folder in dict.fromkeys(os.path.abspath(f) for f in folders):
            if os.path.isdir(folder):
                server.watch(folder)
        server.builder = _never_stuck(server.builder)
        return server


def _render_with_terms(terms: dict[str, str], render, config, files) -> None:
    with defined_terms(terms):
        render(config, files)


def _never_stuck(builder):
    """A rebuild that fails for any other reason leaves the previous site served: MkDocs would
    otherwise hold every request until a build succeeds."""
    def build(*args, **kwargs):
        try:
            return builder(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 (anything: the preview must keep answering)
            sys.stderr.write(f"the rebuild failed, still serving the previous build: {error}\n")
    return build


def _with_error_banner(output: str, errors: list[str], kept: bool) -> str:
    """The page with the current content errors on top, as `handbook validate` prints them."""
    shown = "这是上一次正确保存时的内容" if kept else "还没有能显示的内容"
    lines = "\n".join(html_lib.escape(error) for error in errors)
    banner = (f'<div class="admonition failure hb-content-errors" role="alert"><p class="admonition-title">'
              f'记录有 {len(errors)} 处错误，{shown}；改正并保存后自动刷新</p><pre>{lines}</pre></div>')
    for anchor in ('<article class="md-content__inner md-typeset">', "<body"):
        at = output.find(anchor)
        if at != -1:
            at = output.index(">", at) + 1
            return output[:at] + banner + output[at:]
    return banner + output


# Markdown extensions the generated pages rely on (mkdocs itself always adds toc and tables):
# escapeall makes the escaping in render/escaping.py literal; without it pages show backslashes.
REQUIRED_EXTENSIONS = ("pymdownx.escapeall", "handbook.render.cjk_abbr", "attr_list", "md_in_html",
                       "admonition", "def_list")


def check_prerequisites(config) -> None:
    """Fail with one message when mkdocs.yml lacks what the handbook's pages need."""
    listed = {str(name).removeprefix("markdown.extensions.") for name in config.markdown_extensions}
    missing = [name for name in REQUIRED_EXTENSIONS if name not in listed]
    if missing:
        raise PluginError(f"mkdocs.yml: markdown_extensions: expected {', '.join(missing)} (the handbook plugin's "
                          f"pages rely on {'them' if len(missing) > 1 else 'it'}), got {'them' if len(missing) > 1 else 'it'} missing")


def _make_toc_safe(items) -> None:
    for item in items:
        item.title = safe_toc_title(item.title)
        _make_toc_safe(item.children)


def _nav_paths(nav) -> set[str]:
    """The page paths the nav of mkdocs.yml lists (its sections are lists and one-key mappings)."""
    if isinstance(nav, dict):
        nav = list(nav.values())
    if isinstance(nav, list):
        return set().union(*(_nav_paths(item) for item in nav))
    return {nav} if isinstance(nav, str) else set()


def _offline(config) -> bool:
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline and offline.config.enabled)
