"""Data for comparing cases: overview charts, per-case series charts and the compare page's data.

The compare page reads the exported case data (the same records as cases.json) from a
script file rather than fetching JSON, so it also works from file://.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from markupsafe import Markup

from ..model.collection import Collection
from .charts_svg import bar_chart, series_chart
from .escaping import cn_date
from .presentation import citation_groups, short_name
from .urls import case_src, relative_url, standard_src


def overview_charts(collection: Collection) -> dict[str, tuple[Markup, list[tuple[str, int]]]]:
    """Chart and its table rows for each view of the collection."""
    views: dict[str, list[tuple[str, int]]] = {}
    for facet in collection.facets():
        views[facet.slug] = [(value, len(cases)) for value, cases in facet.groups.items()]
    views["standards"] = sorted(
        ((s.title, len({ref.case.id for ref in collection.practices_using(s.id)})) for s in collection.standards),
        key=lambda item: (-item[1], item[0]))
    # an inferred start is its own bar (约2018年, 不晚于2022年), never counted as a sourced year
    years = Counter((case.period.start, case.period.start_basis, case.period.start_label) for case in collection.cases)
    views["timeline"] = [(label, years[key]) for key in sorted(years) for label in [key[2]]]
    notes = {case.period.start_label: [] for case in collection.cases}
    for case in collection.cases:
        if case.period.start_inferred:
            notes[case.period.start_label].append(f"{case.model}：{case.period.note}")
    titles = {"sector": "各领域的案例数", "mechanism": "各机制被多少案例采用", "level": "各层级的案例数",
              "region": "各地区的案例数", "standards": "各标准流程被多少案例实践", "timeline": "实践开始的年份"}
    return {name: (bar_chart(rows, titles[name], "个", notes if name == "timeline" else None), rows)
            for name, rows in views.items()}


def case_series_charts(case) -> list[tuple[str, Markup, list]]:
    """(series name, chart, metrics) for each comparable series the record marks."""
    charts = []
    for name, metrics in case.comparable_series().items():
        points = [(_date_label(m.as_of), m.value, m.text) for m in metrics]
        charts.append((name, series_chart(points, name, metrics[0].unit), metrics))
    return charts


COMPARED_FIELDS = {
    "id": True, "title": True, "model": True, "sectors": True, "mechanisms": True,
    "organisation": {"name", "type", "level"}, "location": {"province", "city", "county"},
}


def compare_data_script(collection: Collection, page_src: str, directory_urls: bool) -> str:
    """``window.HANDBOOK_COMPARE``: what the compare page shows of every case, with links relative to it."""
    # Only the fields compare.js shows: the page loads every case's entry, so prose and
    # citations stay on the case pages (the full records are in data/cases.json).
    cases = [case.model_dump(mode="json", include=COMPARED_FIELDS) for case in collection.cases]
    extra = {}
    for case in collection.cases:
        url = relative_url(page_src, case_src(case.id), directory_urls)
        figures = [m for m in case.metrics if not m.doubt][:4]
        entry = citation_groups(case.metrics)["of"]  # one 引文 entry per cited sentence
        extra[case.id] = {
            "url": url,
            "short": short_name(case),
            "standards": [{"title": s.title, "url": relative_url(page_src, standard_src(s.id), directory_urls)}
                          for s in collection.standards_of(case)],
            "figures": [{"label": m.label, "text": m.text, "quote": m.citation.quote,
                         "source": collection.sources[m.citation.source].title,
                         "url": f"{url}#cite-{entry[case.metrics.index(m) + 1]}"} for m in figures],
            "outcome": _first_sentence(case.outcomes),
            "period": (f"{case.period.start_label}开始（{case.period.note}）" if case.period.start_inferred
                       else f"{case.period.start_label}起") + f"；资料截至{cn_date(case.period.as_of)}",
        }
    data = {"cases": cases, "extra": extra}
    return "window.HANDBOOK_COMPARE=" + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n"


def _first_sentence(text: str) -> str:
    match = re.search(r"[^。！？]+[。！？]", " ".join(text.split()))
    return match.group(0) if match else text[:80]


def _date_label(as_of: str) -> str:
    parts = as_of.split("-")
    return parts[0] + "年" + (f"{int(parts[1])}月" if len(parts) > 1 else "")
