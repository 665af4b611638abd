"""Render the collection into Markdown pages (src path → text); no MkDocs involved.

Templates live in ``render/templates``; a project can override any of them by
placing a file of the same name in its templates directory (``overrides/handbook``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..model.collection import Collection
from .escaping import finalize, format_number, inline, paragraphs, safe_markdown
from .flow_svg import flow_svg

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Page:
    """A generated file: where it goes in the site and its text (Markdown for pages)."""

    src_uri: str
    content: str


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


def render_pages(collection: Collection, templates_dir: Path | None = None) -> list[Page]:
    """Every generated file of the site, in a stable order."""
    env = make_environment(templates_dir)
    context = {"collection": collection, "sources": collection.sources}
    pages = [
        Page("index.md", env.get_template("home.md.j2").render(**context)),
        Page("cases/index.md", env.get_template("cases_index.md.j2").render(**context)),
        Page("standards/index.md", env.get_template("standards_index.md.j2").render(**context)),
        Page("standards/matrix.md", env.get_template("matrix.md.j2").render(**context)),
    ]
    pages.append(Page("glossary.md", env.get_template("glossary.md.j2").render(**context)))
    case_template = env.get_template("case.md.j2")
    pages += [Page(f"cases/{case.id}.md", case_template.render(case=case, **context)) for case in collection.cases]
    standard_template = env.get_template("standard.md.j2")
    for standard in collection.standards:
        page = standard_template.render(
            standard=standard,
            usage=collection.practices_using(standard.id),
            flow=flow_svg(standard.steps, standard.title),
            **context,
        )
        pages.append(Page(f"standards/{standard.id}.md", page))
        pages += [Page(f"standards/{standard.id}/{t.id}.txt", t.body.rstrip() + "\n") for t in standard.templates]
    return pages


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
