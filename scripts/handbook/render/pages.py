"""Render the collection into Markdown pages (src path → text); no MkDocs involved.

Templates live in ``render/templates``; a project can override any of them by
placing a file of the same name in its templates directory (``overrides/handbook``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from ..model.collection import Collection
from .escaping import finalize, format_number, inline, paragraphs, safe_markdown
from ..export import export_files
from .feed import feed_json
from .field_reference import DOCUMENTED, field_rows
from .compare import case_series_charts, compare_data_script, overview_charts
from .flow_svg import flow_svg
from .listing import FACET_PREVIEW, LIST_PAGE_SIZE, facet_value_key, paginate
from .location_svg import location_svg

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Page:
    """A generated file: where it goes in the site and its content (Markdown for pages)."""

    src_uri: str
    content: str | bytes


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
    )
    env.globals["href"] = _href
    env.globals["asset"] = _asset
    env.filters.update(
        paragraphs=paragraphs,
        inline=inline,
        number=lambda v: format_number(v),
        slug=_slug,
        front_matter=_front_matter,
        join_inline=lambda items, sep="、": Markup(sep.join(inline(i) for i in items)),
        cn_date=cn_date,
        html=lambda value: Markup(escape(str(value))),  # for raw-HTML contexts, where Markdown escapes would show
        safe_markdown=safe_markdown,
        url_link=_url_link,
    )
    return env


def render_pages(collection: Collection, templates_dir: Path | None = None, directory_urls: bool = True,
                 site_url: str | None = None, search_page: bool = False,
                 list_page_size: int = LIST_PAGE_SIZE) -> list[Page]:
    """Every generated file of the site, in a stable order.

    ``search_page`` adds search.md, the Pagefind search page of large collections. Lists of
    more than ``list_page_size`` cases are split into pages (see ``listing``).

    ``directory_urls`` must match the site's URL style: links written as raw HTML
    (tables with filters, SVG) are not rewritten by MkDocs, so ``href()`` builds them.
    """
    env = make_environment(templates_dir)
    env.globals["directory_urls"] = directory_urls
    context = {"collection": collection, "sources": collection.sources, "search_page": search_page}

    def render(template: str, src_uri: str, **extra) -> Page:
        return Page(src_uri, env.get_template(template).render(page_src=src_uri, **context, **extra))

    all_cases = paginate(collection.cases, "cases/index.md", "cases/all/{n}.md", list_page_size)
    pages = [
        render("home.md.j2", "index.md"),
        render("cases_index.md.j2", "cases/index.md", listing=all_cases[0]),
        render("map.md.j2", "cases/map.md", map_svg=location_svg(collection.cases, "cases/map.md", directory_urls)),
        render("standards_index.md.j2", "standards/index.md"),
        render("glossary.md.j2", "glossary.md"),
        render("changelog.md.j2", "changelog.md"),
        render("overview.md.j2", "overview.md", charts=overview_charts(collection)),
        render("compare.md.j2", "compare.md"),
        render("training_index.md.j2", "training/index.md"),
        render("editor_guide.md.j2", "editor-guide.md",
               reference=[(title, field_rows(model)) for title, model in DOCUMENTED]),
    ]
    data = export_files(collection)
    if search_page:
        pages.append(render("search.md.j2", "search.md"))
    pages.append(render("data.md.j2", "data.md", sizes={name: len(content) for name, content in data.items()}))
    pages += [Page(f"data/{name}", text) for name, text in data.items()]
    pages.append(Page("feed.json", feed_json(collection, site_url, lambda src: page_url(src, directory_urls))))
    standard_numbers = {s.id: f"S{i}" for i, s in enumerate(collection.standards, start=1)}
    for listing in paginate(collection.cases, "standards/matrix.md", "standards/matrix/{n}.md", list_page_size):
        pages.append(render("matrix.md.j2", listing.src_uri, listing=listing, standard_numbers=standard_numbers,
                            up="" if listing.number == 1 else "../"))
    pages += [render("case_list.md.j2", listing.src_uri, listing=listing, title="全部案例",
                     back_src="cases/index.md", back_label="返回案例库") for listing in all_cases[1:]]
    for facet in collection.facets():
        # values with more cases than the facet page previews get paged lists of their own
        value_pages = {value: facet_value_key(value) for value, cases in facet.groups.items() if len(cases) > FACET_PREVIEW}
        pages.append(render("facet.md.j2", f"cases/facets/{facet.slug}.md", facet=facet, preview=FACET_PREVIEW,
                            value_pages=value_pages))
        for value, key in value_pages.items():
            base = f"cases/facets/{facet.slug}/{key}"
            for listing in paginate(facet.groups[value], f"{base}.md", f"{base}-{{n}}.md", list_page_size):
                pages.append(render("case_list.md.j2", listing.src_uri, listing=listing, title=f"{facet.name}：{value}",
                                    back_src=f"cases/facets/{facet.slug}.md", back_label=f"返回按{facet.name}浏览"))
    pages += [render("case.md.j2", f"cases/{case.id}.md", case=case, series=case_series_charts(case)) for case in collection.cases]
    pages += [render("session.md.j2", f"training/{session.id}.md", session=session) for session in collection.sessions]
    pages.append(Page("assets/javascripts/compare-data.js", compare_data_script(collection, "compare.md", directory_urls)))
    for standard in collection.standards:
        usage = collection.practices_using(standard.id)
        # a standard many cases practise lists the first few and pages the rest
        usage_pages = paginate(usage, f"standards/{standard.id}/cases.md", f"standards/{standard.id}/cases-{{n}}.md",
                               list_page_size) if len(usage) > FACET_PREVIEW else []
        pages.append(render(
            "standard.md.j2", f"standards/{standard.id}.md",
            standard=standard,
            usage=usage,
            preview=FACET_PREVIEW,
            usage_pages=usage_pages,
            flow=flow_svg(standard.steps, standard.title),
        ))
        pages += [render("practice_list.md.j2", listing.src_uri, listing=listing, standard=standard) for listing in usage_pages]
        pages += [Page(f"standards/{standard.id}/{t.id}.txt", t.body.rstrip() + "\n") for t in standard.templates]
    return pages


def print_handbook_page(collection: Collection, templates_dir: Path | None = None, directory_urls: bool = True) -> Page:
    """All cases, standards and the glossary on one page (print/handbook.md) for the PDF edition.

    Each part is its own page's Markdown with headings one level down and anchors
    prefixed by its id, so citations and practices stay distinct on the one page."""
    env = make_environment(templates_dir)
    env.globals["directory_urls"] = directory_urls
    src = "print/handbook.md"
    context = {"collection": collection, "sources": collection.sources, "page_src": src, "print_mode": True}

    def body(template: str, **extra) -> str:
        text = env.get_template(template).render(**context, **extra)
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter
        return re.sub(r"^(#{1,5}) ", r"#\1 ", text, flags=re.M)  # one level down

    cases = [(case.id, body("case.md.j2", case=case, series=case_series_charts(case), anchor_prefix=f"{case.id}-"))
             for case in collection.cases]
    standards = [(standard.id, body("standard.md.j2", standard=standard, usage=collection.practices_using(standard.id),
                                    flow=flow_svg(standard.steps, standard.title)))
                 for standard in collection.standards]
    page = env.get_template("print_handbook.md.j2").render(
        **context, cases=cases, standards=standards, glossary=body("glossary.md.j2"))
    return Page(src, page)


def abbreviations(collection: Collection) -> str:
    """Markdown abbreviation definitions (``*[term]: definition``) for every glossary name.

    Appended to each page, they make every occurrence of a term show its definition on
    hover or tap (``abbr`` extension + Material's ``content.tooltips``)."""
    lines = []
    for term in collection.glossary:
        definition = " ".join(term.definition.split())
        lines += [f"*[{name}]: {definition}" for name in term.names]
    return "\n".join(lines) + "\n" if lines else ""


def _slug(value: str) -> Markup:
    """Ids go into URLs unescaped, so they must be validated slugs."""
    if not _SLUG.match(str(value)):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The URL (relative to the site root) MkDocs gives the page built from ``src_uri``."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """A link from one generated page to another, valid for the site's URL style."""
    here, there = page_url(from_src, directory_urls), page_url(to_src, directory_urls)
    here_dir = here if here.endswith("/") else posixpath.dirname(here)
    target = posixpath.relpath(there or ".", here_dir or ".")
    if there == "" or there.endswith("/"):  # a directory URL keeps its trailing slash
        target = "./" if target == "." else target.rstrip("/") + "/"
    return target


def asset_url(from_src: str, asset: str, directory_urls: bool = True) -> str:
    """A link from a generated page to a site file such as ``assets/javascripts/x.js``."""
    here = page_url(from_src, directory_urls)
    here_dir = here if here.endswith("/") else posixpath.dirname(here)
    return posixpath.relpath(asset, here_dir or ".")


@pass_context
def _asset(context, path: str) -> Markup:
    return Markup(escape(asset_url(context["page_src"], path, context["directory_urls"])))


@pass_context
def _href(context, to_src: str) -> Markup:
    """``href("cases/nanyang.md")`` from inside a template, for links written as raw HTML."""
    return Markup(escape(relative_url(context["page_src"], to_src, context["directory_urls"])))


def cn_date(value: object) -> str:
    """'2018-09' → '2018年9月'; dates and '未注明' print as readers expect."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", text)
    if not m:
        return text
    year, month, day = m.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


def _url_link(value: str, label: str) -> Markup:
    """A link to a validated http(s) address; characters Markdown would read are percent-encoded."""
    from urllib.parse import quote

    href = quote(str(value), safe=":/?#=&%.-_~+@!$,;")
    return Markup(f" [{inline(label)}](<{href}>)")


def _front_matter(data: dict) -> Markup:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return Markup(f"---\n{body}---\n")
