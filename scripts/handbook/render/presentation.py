"""Small presentation rules shared by the page templates and the compare data: what a
case or a standard is called in tight places, one 引文 entry per cited sentence, cited
figures marked inside their sentence, and the ids of headings for jump lists."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from .escaping import inline


def quoted_inner(value: str) -> str:
    """Text placed inside “…” on the page: its own double quotes become ‘…’ (no “…“…”…”)."""
    return str(value).replace("“", "‘").replace("”", "’")


@dataclass(frozen=True)
class CitationGroup:
    """One cited sentence and the figures (1-based metric numbers, metrics) that it supports."""

    number: int
    source: str
    quote: str
    figures: list


def citation_groups(metrics) -> dict:
    """The 引文 entries of a case: one per distinct (source, sentence), in order of first use.

    Returns ``{"groups": [...], "of": {metric number: entry number}}``; figures that share a
    sentence link to one entry instead of repeating it."""
    groups: dict[tuple[str, str], CitationGroup] = {}
    of = {}
    for index, metric in enumerate(metrics, start=1):
        key = (metric.citation.source, metric.citation.quote)
        if key not in groups:
            groups[key] = CitationGroup(len(groups) + 1, *key, figures=[])
        groups[key].figures.append((index, metric))
        of[index] = groups[key].number
    return {"groups": list(groups.values()), "of": of}


def mark_figures(quote: str, texts) -> Markup:
    """The quote as escaped inline Markdown with each cited figure wrapped in <mark>."""
    quote = quoted_inner(quote)
    spans = []
    for text in {str(t) for t in texts}:
        start = quote.find(text)
        while start != -1:
            spans.append((start, start + len(text)))
            start = quote.find(text, start + len(text))
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:  # overlapping figures: the first one wins
            continue
        out += [inline(quote[pos:start]), Markup('<mark class="hb-figure">'), inline(quote[start:end]), Markup("</mark>")]
        pos = end
    out.append(inline(quote[pos:]))
    return Markup("").join(out)


def heading_ids(titles, taken=()) -> list[str]:
    """The ids the toc extension gives these headings (mkdocs.yml: pymdownx slugify, lower
    case; a repeated title gets _1, _2), for jump lists written before the headings."""
    from markdown.extensions.toc import unique
    from pymdownx.slugs import slugify

    slug, ids = slugify(case="lower"), set(taken)
    return [unique(slug(str(title), "-"), ids) for title in titles]


_STANDARD_CUT = re.compile(r"[与（(：:]")


def standard_short(title: str) -> str:
    """A column head for a standard: its title up to “与”, “（” or “：” (联席会议与工作例会议事决策
    → 联席会议), or the whole title when that leaves less than two characters."""
    head = _STANDARD_CUT.split(str(title), maxsplit=1)[0]
    return head if len(head) >= 2 else str(title)


_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_PLACE_SUFFIX = re.compile(r"(?<=..)(?:县|市|省)$")


def short_name(case) -> str:
    """The name a reader calls a case by, for breadcrumbs and table rows: the part of the
    title before “：” without its province (湖北谷城 → 谷城, 中国商飞), else the place."""
    head, sep, _ = str(case.title).partition("：")
    if sep and head:
        province = _PROVINCE_SUFFIX.sub("", str(case.location.province))
        return head.removeprefix(province) or head
    location = case.location
    return _PLACE_SUFFIX.sub("", str(location.county or location.city or location.province))
