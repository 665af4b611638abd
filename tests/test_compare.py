"""Comparison and charts come from the records: change a record and the chart data change."""

from __future__ import annotations

import json
import re

import yaml

from conftest import REPO
from handbook.load.loader import load_collection
from handbook.render.compare import case_series_charts, compare_data_script, overview_charts

COLLECTION = load_collection(REPO)


def test_comparable_series_need_the_same_quantity_unit_and_real_dates():
    comac = COLLECTION.case("comac")
    series = comac.comparable_series()
    assert list(series) == ["党支部数量", "党员人数"]
    assert [m.text for m in series["党支部数量"]] == ["64个", "477个"]
    assert COLLECTION.case("gucheng").comparable_series() == {}  # figures of different things are never charted


def test_a_changed_record_changes_the_chart(tmp_path):
    from conftest import copy_handbook

    project = copy_handbook(tmp_path / "handbook")
    path = project / "cases" / "gucheng.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    before = overview_charts(load_collection(project))["level"][1]
    record["organisation"]["level"] = "地级市"
    for metric in record["metrics"]:
        if metric["text"] in ("下降80%", "下降70%"):
            metric["series"] = "下降幅度"
            metric["as_of"] = 2022 if metric["text"] == "下降80%" else "2022-12"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    changed = load_collection(project)
    after = overview_charts(changed)["level"][1]
    assert dict(after).get("县", 0) == dict(before)["县"] - 1 and dict(after)["地级市"] == dict(before).get("地级市", 0) + 1
    charts = case_series_charts(changed.case("gucheng"))
    assert [name for name, _, _ in charts] == ["下降幅度"] and charts[0][1].count('class="hb-chart-bar"') == 2


def test_overview_counts_match_the_collection():
    charts = overview_charts(COLLECTION)
    assert sum(count for _, count in charts["level"][1]) == len(COLLECTION.cases)
    assert sum(count for _, count in charts["timeline"][1]) == len(COLLECTION.cases)
    grid = COLLECTION.standard("grid-patrol")
    assert dict(charts["standards"][1])[grid.title] == len({ref.case.id for ref in COLLECTION.practices_using(grid.id)})
    for chart, rows in charts.values():
        assert chart.count('class="hb-chart-bar"') == len(rows)


def test_compare_data_is_the_exported_records_plus_links():
    script = compare_data_script(COLLECTION, "compare.md", True)
    data = json.loads(re.match(r"window\.HANDBOOK_COMPARE=(.*);\n$", script, re.S).group(1))
    nanyang = COLLECTION.case("nanyang")
    entry = next(c for c in data["cases"] if c["id"] == "nanyang")
    assert entry == {"id": "nanyang", "title": nanyang.title, "model": nanyang.model, "sectors": nanyang.sectors,
                     "mechanisms": nanyang.mechanisms,
                     "organisation": {"name": nanyang.organisation.name, "type": nanyang.organisation.type,
                                      "level": nanyang.organisation.level},
                     "location": nanyang.location.model_dump(mode="json", include={"province", "city", "county"})}
    assert [c["id"] for c in data["cases"]] == [c.id for c in COLLECTION.cases]
    assert data["extra"]["nanyang"]["url"] == "../cases/nanyang/"
    assert '"url":"cases/nanyang.html"' in compare_data_script(COLLECTION, "compare.md", False)


def test_similar_cases_share_mechanisms_or_standards():
    similar = COLLECTION.similar_cases(COLLECTION.case("nanyang"))
    assert similar and similar[0].id == "chifeng"
    for other in similar:
        assert set(other.mechanisms) & set(COLLECTION.case("nanyang").mechanisms) or COLLECTION.standards_of(other)
