"""What must hold for ANY valid collection once built: used on the real handbook and on copies
with cases added, so that adding a valid case never turns the suite red."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from linkcheck import broken_links
from handbook.load.loader import load_collection


def _page(site: Path, path: str) -> str:
    return html_lib.unescape((site / path / "index.html").read_text(encoding="utf-8"))


def _text(html: str) -> str:
    """What a reader sees: no tags (glossary <abbr>s), no zero-width spaces (search segmentation)."""
    return re.sub(r"<[^>]+>", "", html).replace("\u200b", "")


def collection_problems(project: Path, site_dir: str = "site") -> list[str]:
    """Every way the built site disagrees with the records (empty: all is well)."""
    collection = load_collection(project)
    site = project / site_dir
    problems = [f"broken link: {link}" for link in broken_links(site)]
    index = _page(site, "cases")
    rows = re.findall(r'<tr data-sector="[^"]*" data-mechanism="[^"]*" data-level="([^"]*)" data-region="([^"]*)">\s*<td><a href="([^"/]+)/">', index)
    if sorted(row[2] for row in rows) != sorted(case.id for case in collection.cases):
        problems.append("the cases index does not list every case exactly once")
    for case in collection.cases:
        if (case.organisation.level, case.location.province, case.id) not in rows:
            problems.append(f"{case.id}: its cases index row does not carry its level and region")
        page_path = site / "cases" / case.id / "index.html"
        if not page_path.is_file():
            problems.append(f"{case.id}: no case page")
            continue
        page = _text(_page(site, f"cases/{case.id}"))
        if case.title not in page:
            problems.append(f"{case.id}: the case page does not show the title")
        for metric in case.metrics:
            # a quote's inner “…” are shown as ‘…’ inside the page's own quotation marks
            if metric.text not in page or _quotes_alike(metric.citation.quote) not in _quotes_alike(page):
                problems.append(f"{case.id}: figure {metric.text} or its quote is not on the case page")
    for slug in ("sector", "mechanism", "level", "region"):
        facet = _page(site, f"cases/facets/{slug}")
        for case in collection.cases:
            if f'href="../../{case.id}/"' not in facet:
                problems.append(f"{case.id}: missing from the {slug} facet page")
    # Facets partition the cases: each case sits under exactly one level and one region.
    for slug, value_of in (("level", lambda c: c.organisation.level), ("region", lambda c: c.location.province)):
        facet = _page(site, f"cases/facets/{slug}")
        sections = re.split(r'<h2 id="[^"]*">', facet)[1:]
        for case in collection.cases:
            holding = [s.split("</h2>")[0] for s in sections if f'href="../../{case.id}/"' in s]
            if len(holding) != 1 or value_of(case) not in holding[0]:
                problems.append(f"{case.id}: listed under {holding} on the {slug} facet page, expected {value_of(case)} once")
    for standard in collection.standards:
        page = _page(site, f"standards/{standard.id}")
        for ref in collection.practices_using(standard.id):
            if f"cases/{ref.case.id}/" not in page:
                problems.append(f"standards/{standard.id}: no link back to {ref.case.id}, which practises it")
    home = _text(_page(site, ""))
    newest = collection.recent_changes(1)
    if newest and newest[0].record.title not in home:
        problems.append("the home page does not list the newest change")
    return problems


def _quotes_alike(text: str) -> str:
    return text.translate(str.maketrans("“”‘’", "\"\"\"\""))
