"""The printed edition as HTML for WeasyPrint, rendered straight from the validated collection.

No MkDocs and no browser: the same templates mechanism as the site (``render/templates``,
overridable from the project's templates folder), but HTML templates with autoescaping,
so record text can never become markup. ``pdf.py`` turns these documents into PDFs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .model.collection import Collection
from .render.compare import case_series_charts
from .render.escaping import _fold, format_number
from .render.flow_svg import flow_svg
from .render.escaping import cn_date
from .render.urls import practice_anchor

CSS_PATH = Path(__file__).resolve().parents[2] / "docs" / "assets" / "handbook-print.css"
# The SVG renderers style their shapes with classes from the site's stylesheet; WeasyPrint
# draws an inline SVG as an image, so the rules it needs travel inside each SVG.
_SVG_TEXT = "font-family:'HB Sans';font-size:{size}px;font-weight:{weight};fill:{fill}"
_SVG_STYLE = "<style>" + "".join(f".{name}{{{rule}}}" for name, rule in {
    "hb-flow-box": "fill:#eef0fb;stroke:#3f51b5;stroke-width:1.5",
    "hb-flow-head": _SVG_TEXT.format(size=14, weight="bold", fill="#1a237e"),
    "hb-flow-text": _SVG_TEXT.format(size=14, weight="normal", fill="#222"),
    "hb-flow-arrow": "fill:none;stroke:#3f51b5;stroke-width:2",
    "hb-chart-bar": "fill:#5c6bc0",
    "hb-chart-label": _SVG_TEXT.format(size=13, weight="normal", fill="#212121"),
    "hb-chart-value": _SVG_TEXT.format(size=12, weight="bold", fill="#1a237e"),
}.items()) + "</style>"
_MARKDOWN_TAGS = {"p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "h2", "h3", "h4", "table",
                  "thead", "tbody", "tr", "th", "td", "br", "hr", "a"}


@dataclass(frozen=True)
class PrintDocument:
    """One PDF to print: where it goes (relative to the output folder), its title and HTML."""

    path: str
    title: str
    html: str
    kind: str = ""  # handbook, handout, case or standard (see downloads.KINDS)
    subject: str = ""  # the record id of a one-record document


def environment(templates_dir: Path | None = None) -> Environment:
    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir and Path(templates_dir).is_dir() else []
    loaders.append(PackageLoader("handbook", "render/templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(paras=_paras, text=lambda v: _fold(str(v)), number=format_number, cn_date=cn_date,
                       markdown=_markdown, svg=_svg)
    env.globals["practice_anchor"] = practice_anchor  # the same anchors as the web pages
    return env


def handbook_document(collection: Collection, templates_dir: Path | None = None) -> PrintDocument:
    """The whole handbook: cover, contents, cases, standards, glossary."""
    return _render(templates_dir, "print_handbook.html.j2", "handbook.pdf", "党建案例与标准手册", collection,
                   kind="handbook")


def case_document(collection: Collection, case, templates_dir: Path | None = None) -> PrintDocument:
    return _render(templates_dir, "print_page.html.j2", f"cases/{case.id}.pdf", case.title, collection,
                   kind="case", subject=case.id, case=case)


def standard_document(collection: Collection, standard, templates_dir: Path | None = None) -> PrintDocument:
    return _render(templates_dir, "print_page.html.j2", f"standards/{standard.id}.pdf", standard.title, collection,
                   kind="standard", subject=standard.id, standard=standard)


def handout_document(collection: Collection, session, templates_dir: Path | None = None,
                     compact: bool = False) -> PrintDocument:
    """A session's handout; ``compact`` sets it smaller when the normal size runs past two pages."""
    return _render(templates_dir, "print_handout.html.j2", f"handouts/{session.id}.pdf", session.title, collection,
                   kind="handout", subject=session.id, session=session, exercise_standards=handout_standards(collection, session), compact=compact)


def handout_standards(collection: Collection, session) -> list:
    """The standards whose checklists participants tick: the plan's own and its cases' exercises."""
    ids = list(session.standards)
    for case_id in session.cases:
        training = collection.case(case_id).training
        if training and training.exercise.standard not in ids:
            ids.append(training.exercise.standard)
    return [collection.standard(i) for i in ids]


def _render(templates_dir, template: str, path: str, title: str, collection: Collection, kind: str,
            subject: str = "", **extra) -> PrintDocument:
    env = environment(templates_dir)
    edition = collection.editions.current_edition if collection.editions else None
    stamp = f"{edition.title}（{edition.id}）" if edition else ""
    html = env.get_template(template).render(
        collection=collection, sources=collection.sources, edition=edition, stamp=stamp, title=title, kind=kind,
        usage=collection.practices_using, series=case_series_charts, flow=lambda s: flow_svg(s.steps, s.title), **extra)
    return PrintDocument(path, title, html, kind, subject)


def _paras(text: str) -> Markup:
    """Plain text with blank-line paragraphs → escaped <p> elements."""
    blocks = [_fold(block) for block in re.split(r"\n\s*\n", str(text).strip()) if block.strip()]
    return Markup("".join(f"<p>{escape(block)}</p>" for block in blocks))


def _markdown(text: str) -> Markup:
    """A standard's Markdown notes, cleaned to a small set of tags (record text is data)."""
    html = markdown.markdown(str(text), extensions=["tables"])
    html = re.sub(r"<h1>", "<h2>", html).replace("</h1>", "</h2>")
    return Markup(nh3.clean(html, tags=_MARKDOWN_TAGS, url_schemes={"http", "https"}))


def _svg(svg: str) -> Markup:
    """An SVG from the build's own renderers, with the styles it needs inlined."""
    return Markup(re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + _SVG_STYLE, str(svg), count=1))
