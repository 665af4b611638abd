"""One search record per content page, built from the validated records (not from HTML).

A record is what a reader can land on: a case, a standard, one glossary term (at its
anchor on the glossary page) or a training session. Lists and indexes are not records:
they repeat the titles of pages found on their own. Every kind has the same fields, so
the ranking weighs a title like a title whatever the kind of page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.collection import Collection
from ..render import urls
from ..render.urls import page_url

KINDS = {"case": "案例", "standard": "标准", "term": "术语", "training": "培训"}

# The fields every record has, in the order a snippet shows them.
FIELDS = ("title", "tags", "headings", "practices", "figures", "body")

_MARKDOWN = re.compile(r"[#>*_`|\[\]]+|\{[^}]*\}|\(\s*[^)\s]*\.md[^)]*\)")


@dataclass
class SearchRecord:
    kind: str  # one of KINDS
    title: str
    url: str  # relative to the site root, with #anchor for glossary terms
    fields: dict[str, list[str]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return "\n".join(self.fields.get(name, []))


def _record(kind: str, name: str, url: str, **fields: list) -> SearchRecord:
    fields.setdefault("title", [name])
    cleaned = {name: [" ".join(str(v).split()) for v in values if v] for name, values in fields.items()}
    return SearchRecord(kind, name, url, cleaned)


def heading_anchor(text: str) -> str:
    """The id Python-Markdown's toc gives a heading with the handbook's slugify (mkdocs.yml)."""
    from pymdownx.slugs import slugify

    return slugify(case="lower")(text, "-")


def search_records(collection: Collection, directory_urls: bool = True) -> list[SearchRecord]:
    """Every searchable page of the collection, in a stable order."""
    records = []
    for case in collection.cases:
        location = case.location
        records.append(_record(
            "case", case.title, page_url(urls.case_src(case.id), directory_urls),
            tags=[case.model, *case.sectors, *case.mechanisms, case.organisation.name,
                  location.province, location.city, location.county],
            headings=[],
            practices=[p.title for p in case.practices],
            figures=[m.label for m in case.metrics] + sorted({m.series for m in case.metrics if m.series}),
            body=[case.summary, case.background,
                  *(p.text for p in case.practices),
                  case.outcomes, case.lessons, case.period.note,
                  *(m.citation.quote for m in case.metrics),
                  *(s.title for s in case.sources),
                  *(_training_text(case.training) if case.training else [])],
        ))
    for standard in collection.standards:
        records.append(_record(
            "standard", standard.title, page_url(urls.standard_src(standard.id), directory_urls),
            tags=[standard.category],
            headings=[*(r.name for r in standard.roles), *(t.title for t in standard.templates)],
            practices=[],
            figures=[s.output for s in standard.steps if s.output],
            body=[standard.purpose, standard.applies_to, *(r.duty for r in standard.roles),
                  *(f"{s.actor}：{s.action}（{s.timing}）" for s in standard.steps),
                  *standard.checklist, *standard.pitfalls, _MARKDOWN.sub(" ", standard.body),
                  *(t.body for t in standard.templates)],
        ))
    glossary = page_url(urls.GLOSSARY, directory_urls)
    anchors: dict[str, int] = {}
    for term in collection.glossary:
        # Senses of one term (scoped to different records) are headings of the same name; the
        # toc extension numbers the repeats as it does for any heading: x, x_1, x_2 …
        anchor = heading_anchor(term.term)
        seen = anchors[anchor] = anchors.get(anchor, -1) + 1
        anchor = f"{anchor}_{seen}" if seen else anchor
        # A term is a section of the glossary page: its name is a heading there, not a page
        # title, and weighs as headings do on every page.
        records.append(_record(
            "term", term.term, f"{glossary}#{anchor}",
            title=[], tags=term.aliases, headings=[term.term], practices=[], figures=[],
            body=[term.definition, term.note, *(c.quote for c in term.cites)],
        ))
    for session in collection.sessions:
        records.append(_record(
            "training", session.title, page_url(urls.session_src(session.id), directory_urls),
            tags=[], headings=[a.activity for a in session.agenda], practices=[], figures=[],
            body=[session.audience, *session.objectives, *session.preparation,
                  *(a.detail for a in session.agenda), *session.questions],
        ))
    return records


def _training_text(block) -> list[str]:
    return [*block.objectives, *block.takeaways, *block.questions, block.exercise.task]
