"""Render the collection into Markdown pages (src path → text); no MkDocs involved.

Templates live in ``render/templates``; a project can override any of them by
placing a file of the same name in its templates directory (``overrides/handbook``).
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from markupsafe import Markup, escape

from ..downloads import KINDS, Downloads, edition_stamp
from ..errors import RenderError, display_path
from ..model.collection import Collection
from .escaping import cn_date, finalize, format_number, inline, paragraphs, safe_markdown
from ..export import export_files
from .feed import feed_json
from .field_reference import DOCUMENTED, field_rows
from .compare import case_series_charts, compare_data_script, overview_charts
from .flow_svg import flow_svg
from .listing import FACET_PREVIEW, LIST_PAGE_SIZE, facet_value_key, paginate
from .location_svg import location_svg
from . import urls
from .urls import page_url, slug
from .reuse import PageReuse, compute_now, template_files_stamp
from .presentation import citation_groups, heading_ids, mark_figures, quoted_inner, short_name, standard_short
from .finished_html import finished_html
from .template_docx import template_docx


@dataclass(frozen=True)
class Page:
    """A generated file: where it goes in the site and its content (Markdown for pages)."""

    src_uri: str
    content: str | bytes


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept for the life of the process: every render_pages call makes a new
    environment, and compiling the ~60 templates again is a tenth of a preview rebuild. Jinja keys
    each entry by the template's name and file and checks the source's checksum, so an edited
    template is compiled again; the environments sharing it are all made alike (make_environment)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()
PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def make_environment(templates_dir: Path | None = None) -> Environment:
    loaders = []
    if templates_dir is not None and Path(templates_dir).is_dir():
        loaders.append(FileSystemLoader(str(templates_dir)))
    loaders.append(PackageLoader("handbook", "render/templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        finalize=finalize,
        autoescape=False,  # the output is Markdown; ``finalize`` does the escaping
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.globals.update(urls.TEMPLATE_GLOBALS)
    env.globals["finished_html"] = finished_html
    env.filters.update(
        paragraphs=paragraphs,
        inline=inline,
        number=lambda v: format_number(v),
        slug=slug,
        front_matter=_front_matter,
        join_inline=lambda items, sep="、": Markup(sep.join(inline(i) for i in items)),
        cn_date=cn_date,
        html=lambda value: Markup(escape(str(value))),  # for raw-HTML contexts, where Markdown escapes would show
        safe_markdown=safe_markdown,
        url_link=_url_link,
        quoted_inner=quoted_inner,
        file_size=file_size,
        citation_groups=citation_groups,
        mark_figures=mark_figures,
        short_name=short_name,
        standard_short=standard_short,
        heading_ids=heading_ids,
    )
    return env


def render_pages(collection: Collection, templates_dir: Path | None = None, directory_urls: bool = True,
                 site_url: str | None = None,
                 list_page_size: int = LIST_PAGE_SIZE, downloads: Downloads | None = None,
                 reuse: PageReuse | None = None) -> list[Page]:
    """Every generated file of the site, in a stable order.

    Lists of more than ``list_page_size`` cases are split into pages (see ``listing``).
    The search page's index is written by ``handbook.search``, not here.

    ``directory_urls`` must match the site's URL style: links written as raw HTML
    (tables with filters, SVG) are not rewritten by MkDocs, so ``href()`` builds them.

    ``reuse`` (the preview keeps one) gives back the previous render's text of every page whose
    template would read the same things again (see ``reuse.py``); the result is the same.
    """
    env = make_environment(templates_dir)
    env.globals["directory_urls"] = directory_urls
    # the objects every page may read; under ``reuse`` a template reads them through a recorder
    shared = {"collection": collection, "sources": collection.sources,
              "downloads": downloads or Downloads()}  # files the release built for this content
    context = {"search_page": True, "print_mode": False}
    if reuse is not None:
        reuse.begin((template_files_stamp(templates_dir, PACKAGE_TEMPLATES), directory_urls, site_url))
    remember = reuse.value if reuse is not None else compute_now

    def render(template: str, src_uri: str, **extra) -> Page:
        if reuse is None:
            return Page(src_uri, render_template(env, template, src_uri, **shared, **context, **extra))
        text = reuse.render(template, src_uri, shared, {**context, **extra},
                            lambda values: render_template(env, template, src_uri, **values))
        return Page(src_uri, text)

    all_cases = paginate(collection.cases, *urls.all_cases_pages(), list_page_size)
    pages = [
        render("home.md.j2", urls.HOME),
        render("cases_index.md.j2", urls.CASES, listing=all_cases[0]),
        render("map.md.j2", urls.MAP, map_svg=remember("map", location_svg, collection.cases, urls.MAP, directory_urls)),
        render("standards_index.md.j2", urls.STANDARDS),
        render("glossary.md.j2", urls.GLOSSARY),
        render("changelog.md.j2", urls.CHANGELOG),
        render("overview.md.j2", urls.OVERVIEW, charts=overview_charts(collection)),
        render("compare.md.j2", urls.COMPARE),
        render("training_index.md.j2", urls.TRAINING),
        render("editor_guide.md.j2", urls.EDITOR_GUIDE,
               reference=[(title, field_rows(model)) for title, model in DOCUMENTED]),
    ]
    data = export_files(collection, remember)
    pages.append(render("search.md.j2", urls.SEARCH))  # search/index.html offline too
    pages.append(render("data.md.j2", urls.DATA, sizes={name: len(content) for name, content in data.items()}))
    pages.append(render("downloads.md.j2", urls.DOWNLOADS, sizes={name: len(content) for name, content in data.items()},
                        kinds=KINDS, stamp=edition_stamp(collection)))
    pages += [Page(urls.data_src(name), text) for name, text in data.items()]
    pages.append(Page(urls.FEED, feed_json(collection, site_url, lambda src: page_url(src, directory_urls))))
    standard_numbers = {s.id: f"S{i}" for i, s in enumerate(collection.standards, start=1)}
    for listing in paginate(collection.cases, *urls.matrix_pages(), list_page_size):
        pages.append(render("matrix.md.j2", listing.src_uri, listing=listing, standard_numbers=standard_numbers))
    pages += [render("case_list.md.j2", listing.src_uri, listing=listing, title="全部案例",
                     back_src=urls.CASES, back_label="返回案例库") for listing in all_cases[1:]]
    for facet in collection.facets():
        # values with more cases than the facet page previews get paged lists of their own
        value_lists = {value: paginate(cases, *urls.facet_value_pages(facet.slug, facet_value_key(value)), list_page_size)
                       for value, cases in facet.groups.items() if len(cases) > FACET_PREVIEW}
        pages.append(render("facet.md.j2", urls.facet_src(facet.slug), facet=facet, preview=FACET_PREVIEW,
                            value_pages={value: listings[0].src_uri for value, listings in value_lists.items()}))
        for value, listings in value_lists.items():
            pages += [render("case_list.md.j2", listing.src_uri, listing=listing, title=f"{facet.name}：{value}",
                             back_src=urls.facet_src(facet.slug), back_label=f"返回按{facet.name}浏览") for listing in listings]
    pages += [render("case.md.j2", urls.case_src(case.id), **case_context(case)) for case in collection.cases]
    pages += [render("session.md.j2", urls.session_src(session.id), session=session) for session in collection.sessions]
    pages.append(Page(urls.COMPARE_DATA, remember("compare", compare_data_script, collection, urls.COMPARE, directory_urls)))
    for standard in collection.standards:
        usage = collection.practices_using(standard.id)
        # a standard many cases practise lists the first few and pages the rest
        usage_pages = paginate(usage, *urls.standard_usage_pages(standard.id), list_page_size) if len(usage) > FACET_PREVIEW else []
        pages.append(render("standard.md.j2", urls.standard_src(standard.id),
                            **standard_context(collection, standard, FACET_PREVIEW, usage_pages)))
        pages += [render("practice_list.md.j2", listing.src_uri, listing=listing, standard=standard) for listing in usage_pages]
        # .txt with a byte-order mark: browsers read it as UTF-8 even when the server names no charset
        pages += [Page(urls.template_file_src(standard.id, t.id), "\ufeff" + t.body.rstrip() + "\n") for t in standard.templates]
        pages += [Page(urls.template_file_src(standard.id, t.id, "docx"),
                       remember("docx", template_docx, t.title, t.body, standard.last_updated))
                  for t in standard.templates]
    if reuse is not None:
        reuse.end()
    return pages


def print_handbook_page(collection: Collection, templates_dir: Path | None = None, directory_urls: bool = True) -> Page:
    """All cases, standards and the glossary on one page (print/handbook.md) for the PDF edition.

    Each part is its own page's Markdown with headings one level down and anchors
    prefixed by its id, so citations and practices stay distinct on the one page."""
    env = make_environment(templates_dir)
    env.globals["directory_urls"] = directory_urls
    src = urls.PRINT_HANDBOOK
    context = {"collection": collection, "sources": collection.sources, "page_src": src, "print_mode": True,
               "downloads": Downloads()}

    def body(template: str, **extra) -> str:
        text = render_template(env, template, src, **context, **extra)
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter
        return re.sub(r"^(#{1,5}) ", r"#\1 ", text, flags=re.M)  # one level down

    cases = [(case.id, body("case.md.j2", **case_context(case, anchor_prefix=f"{case.id}-"))) for case in collection.cases]
    # on paper every practice of a standard is listed, and there are no list pages to point to
    standards = [(standard.id, body("standard.md.j2", **standard_context(collection, standard, None, [])))
                 for standard in collection.standards]
    page = render_template(env, "print_handbook.md.j2", src,
                           **context, cases=cases, standards=standards, glossary=body("glossary.md.j2"))
    return Page(src, page)


def case_context(case, anchor_prefix: str = "") -> dict:
    """What case.md.j2 needs, for the case's own page and for the print edition.

    ``anchor_prefix`` keeps the anchors of many cases on one printed page apart."""
    return {"case": case, "series": case_series_charts(case), "anchor_prefix": Markup(escape(anchor_prefix))}


def standard_context(collection: Collection, standard, preview: int | None, usage_pages: list) -> dict:
    """What standard.md.j2 needs: its first ``preview`` back-links (None: all) and the pages of the rest."""
    return {"standard": standard, "usage": collection.practices_using(standard.id), "preview": preview,
            "usage_pages": usage_pages, "flow": flow_svg(standard.steps, standard.title)}


def render_template(env: Environment, template: str, src_uri: str, **context) -> str:
    """One page from one template; a failure is a one-line ``RenderError`` naming both.

    Templates can be overridden by a project, so a typo in one is an editor's mistake to
    report with its file and line, not a traceback."""
    context.setdefault("page_src", src_uri)
    try:
        return env.get_template(template).render(**context)
    except (TemplateError, ValueError) as error:  # ValueError: a value ``slug`` or ``link`` refuses
        message = f"{type(error).__name__}: {error}" if isinstance(error, TemplateError) else str(error)
        raise RenderError(f"{_failing_template(error, template)} → {src_uri}: {message}") from None


def _failing_template(error: Exception, template: str) -> str:
    """``file:line`` of the template (or included template) where rendering stopped."""
    if isinstance(error, TemplateSyntaxError):
        name, line = error.filename or error.name or template, error.lineno
    else:  # jinja maps its compiled frames back to template files and lines
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
        name, line = (frames[-1].filename, frames[-1].lineno) if frames else (template, None)
    name = display_path(Path(name), Path.cwd()) if Path(name).is_absolute() else name
    return f"{name}:{line}" if line else name


def glossary_terms(collection: Collection, record_id: str | None = None) -> dict[str, str]:
    """The glossary senses that apply on a page about ``record_id`` (a case or standard id;
    None: any other page), term → definition, for ``cjk_abbr.defined_terms``.

    They make every occurrence of a term on the page show its definition on hover or tap
    (``cjk_abbr`` + Material's ``content.tooltips``). A sense scoped to some cases or
    standards is linked only on their pages: a homonym such as 谷城's and 赤峰's “五个一”
    must never carry the other place's definition."""
    terms = {}
    for term in collection.glossary:
        if term.applies_to(record_id):
            definition = " ".join(term.definition.split())
            terms.update((name, definition) for name in term.names)
    return terms


def abbreviations(collection: Collection, record_id: str | None = None) -> str:
    """The same senses as Markdown abbreviation lines (``*[term]: definition``), for Markdown
    converted outside a build."""
    return "".join(f"*[{name}]: {definition}\n" for name, definition in glossary_terms(collection, record_id).items())


def file_size(size: int) -> str:
    """812 KB, 1.4 MB: what a reader on a phone plan wants to know before downloading."""
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


def _url_link(value: str, label: str) -> Markup:
    """A link to a validated http(s) address; characters Markdown would read are percent-encoded."""
    from urllib.parse import quote

    href = quote(str(value), safe=":/?#=&%.-_~+@!$,;")
    return Markup(f" [{inline(label)}](<{href}>)")


def _front_matter(data: dict) -> Markup:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return Markup(f"---\n{body}---\n")
