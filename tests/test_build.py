"""One real `mkdocs build --strict` of the handbook in a temp dir, asserting on the HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from handbook.render.pages import citation_groups

from conftest import copy_handbook, run_handbook, tree_digest
from linkcheck import broken_links
from handbook.load.loader import load_collection

REPO = Path(__file__).resolve().parent.parent
COLLECTION = load_collection(REPO)


@pytest.fixture
def built(built_handbook) -> Path:
    """The session's one build of the real handbook (conftest.py checks it left its inputs alone)."""
    return built_handbook


def page(project: Path, url: str) -> str:
    """A built page's HTML with the glossary's <abbr> wrappers removed (they may wrap any term)."""
    html = (project / "site" / url / "index.html").read_text(encoding="utf-8")
    return re.sub(r"<abbr [^>]*>|</abbr>", "", html)


class _Resources(HTMLParser):
    """Every URL the browser would fetch by itself (scripts, styles, images, frames, fonts)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", "alternate"):
            self.urls.append(attrs["href"])


@pytest.mark.parametrize("case", COLLECTION.cases, ids=lambda c: c.id)
def test_case_page(built, case):
    html = page(built, f"cases/{case.id}")
    assert re.search(r"<h1[^>]*>" + re.escape(case.title), html)
    for heading in ("背景与起因", "做法与经过", "成效与反响", "思考与启示", "关键数据", "引文", "资料来源", "更新记录"):
        assert f'<h2 id="{heading}">' in html
    entries = citation_groups(case.metrics)
    for index, metric in enumerate(case.metrics, start=1):
        entry = entries["of"][index]  # figures sharing a sentence share one 引文 entry
        assert f'<a href="#cite-{entry}" id="fig-{index}">{metric.text}</a>' in html, metric.label
        cited = html[html.index(f'<span class="hb-cite" id="cite-{entry}">'):]
        assert f'<mark class="hb-figure">{metric.text}</mark>' in cited[:cited.index("</span>")], metric.label
        assert f'href="#fig-{index}"' in html  # and back to the figure
    quotes = [(m.citation.source, m.citation.quote) for m in case.metrics]
    assert html.count('class="hb-cite"') == len(set(quotes))
    for practice_index in range(1, len(case.practices) + 1):
        assert f'id="practice-{practice_index}"' in html
    assert case.organisation.name in html and case.model in html
    for source in case.sources:
        assert f"《{source.title}》" in html


def test_doubtful_figure_is_marked_in_html(built):
    html = page(built, "cases/huadian")
    assert re.search(r'存疑</span>：原文作“<a href="#cite-\d+" id="fig-7">0个</a>”', html)
    assert 'class="admonition warning"' in html and "数字存疑" in html


def test_cases_index_lists_every_case(built):
    html = page(built, "cases")
    for case in COLLECTION.cases:
        assert f'href="{case.id}/"' in html
    assert "按领域" in html and "按机制" in html


def test_home_page_counts_and_updates(built):
    html = page(built, "")
    assert f"{len(COLLECTION.cases)} 个" in html and f"{COLLECTION.metric_count} 个" in html
    assert "最近更新" in html and 'href="cases/nanyang/"' in html


def test_search_index_covers_every_content_page(built):
    idx = built / "site" / "search" / "idx"
    records = "".join(p.read_text(encoding="utf-8") for p in idx.glob("d*.js"))
    for case in COLLECTION.cases:
        assert f'"cases/{case.id}/"' in records and case.title in records
    assert "百户网格长" in (idx / "v0.js").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in idx.glob("v*.js"))
    assert 'data-search-results' in (built / "site" / "search" / "index.html").read_text(encoding="utf-8")
    assert not (built / "site" / "search" / "search_index.json").exists()  # no Material search
    assert not (built / "site" / "pagefind").exists()


def test_schema_is_published(built):
    published = (built / "site" / "schema" / "case.schema.json").read_text(encoding="utf-8")
    assert published == (REPO / "docs" / "schema" / "case.schema.json").read_text(encoding="utf-8")


def test_tags_page_lists_mechanisms(built):
    html = page(built, "tags")
    for tag in ("联合党组织", "双报到", "网格化治理"):
        assert tag in html


def test_nothing_is_loaded_from_another_host(built):
    offenders = []
    for path in (built / "site").rglob("*.html"):
        parser = _Resources()
        parser.feed(path.read_text(encoding="utf-8"))
        offenders += [f"{path.name}: {u}" for u in parser.urls if re.match(r"^(https?:)?//", u)]
    for path in (built / "site").rglob("*.css"):
        offenders += [f"{path.name}: {u}" for u in re.findall(r"url\((['\"]?)(https?:)?//[^)]*\)", path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert "fonts.googleapis" not in "".join(p.read_text(encoding="utf-8") for p in (built / "site").rglob("*.html"))


def test_failed_build_keeps_the_previous_site(built):
    index = built / "site" / "index.html"
    before = index.read_bytes()
    broken = built / "cases" / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    try:
        result = run_handbook("build", "--site-dir", "site", cwd=built)
    finally:
        broken.unlink()
    assert result.returncode == 1
    assert "cases/broken.yaml:3: yaml: invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    assert index.read_bytes() == before
    assert not list(built.glob(".site.new-*")), "staging folder left behind"


@pytest.mark.parametrize("standard", COLLECTION.standards, ids=lambda s: s.id)
def test_standard_page(built, standard):
    html = page(built, f"standards/{standard.id}")
    assert re.search(r"<h1[^>]*>" + re.escape(standard.title), html)
    steps = html[html.index('<h2 id="步骤">'): html.index('<h2 id="检查清单">')]
    assert steps.count("<strong>") == len(standard.steps)
    for step in standard.steps:
        assert f"<strong>{step.actor}</strong>" in steps
    svg = html[html.index("<svg class=\"hb-flow\""): html.index("</svg>", html.index("<svg class=\"hb-flow\""))]
    assert svg.count('class="hb-flow-box"') == len(standard.steps)
    checklist = html[html.index('<h2 id="检查清单">'):]
    assert checklist.count('type="checkbox"') >= len(standard.checklist)
    for template in standard.templates:
        link = f'href="{template.id}.txt"'
        assert link in html
        text = (built / "site" / "standards" / standard.id / f"{template.id}.txt").read_text(encoding="utf-8")
        assert text == "\ufeff" + template.body.rstrip() + "\n"  # the BOM: UTF-8 even when served without a charset
        assert (built / "site" / "standards" / standard.id / f"{template.id}.docx").read_bytes()[:2] == b"PK"
    usage = COLLECTION.practices_using(standard.id)
    assert usage, f"{standard.id} is practised by no case"
    for ref in usage:
        assert f'href="../../cases/{ref.case.id}/#practice-{ref.index}"' in html


def test_case_pages_link_their_standards(built):
    for case in COLLECTION.cases:
        html = page(built, f"cases/{case.id}")
        for practice in case.practices:
            for standard_id in practice.standards:
                assert f'href="../../standards/{standard_id}/"' in html


def test_standards_index_groups_all_categories(built):
    html = page(built, "standards")
    for category in ("程序", "运行", "活动", "考核", "保障"):
        assert f'<h2 id="{category}标准">' in html
    for standard in COLLECTION.standards:
        assert f'href="{standard.id}/"' in html


def test_matrix_has_a_link_for_every_practice_standard_pair(built):
    html = page(built, "standards/matrix")
    expected = {(c.id, i) for c in COLLECTION.cases for i, p in enumerate(c.practices, 1) if p.standards}
    found = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/#practice-(\d+)"', html))
    assert {(c, int(i)) for c, i in found} == expected


def test_no_broken_internal_links_or_anchors(built):
    assert broken_links(built / "site") == []


def test_facet_pages_group_every_case(built):
    for slug, name in (("sector", "领域"), ("mechanism", "机制"), ("level", "层级"), ("region", "地区")):
        html = page(built, f"cases/facets/{slug}")
        assert f"按{name}浏览案例" in html
        for case in COLLECTION.cases:
            assert f'href="../../{case.id}/"' in html
    level = page(built, "cases/facets/level")
    county = level[level.index('<h2 id="县">'):]
    assert 'href="../../gucheng/"' in county.split("<h2")[1]


def test_cases_index_rows_carry_their_facets(built):
    html = page(built, "cases")
    gucheng = re.search(r'<tr data-sector="([^"]*)" data-mechanism="([^"]*)" data-level="([^"]*)" data-region="([^"]*)">\s*<td><a href="gucheng/">', html)
    assert gucheng and gucheng.group(3) == "县" and gucheng.group(4) == "湖北省" and "网格化治理" in gucheng.group(2).split("|")
    assert html.count('<select data-hb-facet=') == 4


def test_location_chart_has_one_linked_dot_per_case(built):
    html = page(built, "cases/map")
    svg = html[html.index('<svg class="hb-locations"'): html.index("</svg>", html.index('<svg class="hb-locations"'))]
    assert svg.count('class="hb-dot"') == len(COLLECTION.cases)
    for case in COLLECTION.cases:
        assert f'<a href="../{case.id}/">' in svg
    assert "<path" not in svg, "the chart must not draw boundaries"


def test_two_builds_are_byte_identical(built):
    again = run_handbook("build", "--site-dir", "site-again", cwd=built)
    assert again.returncode == 0, again.stderr
    first, second = tree_digest(built / "site"), tree_digest(built / "site-again")
    assert [name for name, _ in first] == [name for name, _ in second]
    assert [name for (name, a), (_, b) in zip(first, second) if a != b] == []


def test_build_date_comes_from_the_content_not_the_clock(tmp_path, monkeypatch):
    """Outside git, `handbook build` dates the site by the newest history date (the plugin reads it
    from the records it loads; handbook does not load them a second time)."""
    import datetime as dt

    project = copy_handbook(tmp_path / "handbook")  # not a git checkout
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    collection = load_collection(project)
    newest = max(e.date for r in [*collection.cases, *collection.standards] for e in r.history)
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    # the one place the date shows without a site_url: the gzip header of sitemap.xml.gz (MTIME, bytes 4-8)
    stamped = int.from_bytes((project / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert stamped == int(dt.datetime.combine(newest, dt.time(), dt.timezone.utc).timestamp())


def test_a_given_build_date_is_used_without_reading_the_records(tmp_path, monkeypatch):
    import subprocess

    import handbook.build as build

    seen = {}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(build, "_last_commit_epoch", lambda root: pytest.fail("asked git for a date it was given"))
    monkeypatch.setattr(build.subprocess, "run", lambda command, cwd, env, **kwargs: seen.update(env) or subprocess.CompletedProcess(command, 1))
    assert build.build_site(tmp_path, tmp_path / "site") == 1
    assert seen["SOURCE_DATE_EPOCH"] == "1700000000" and build.DATE_FROM_HISTORY not in seen


def test_overview_and_case_charts(built):
    html = page(built, "overview")
    assert html.count('<svg class="hb-chart"') == 6 and html.count("<table>") >= 6
    comac = page(built, "cases/comac")
    assert comac.count('<svg class="hb-chart"') == 2 and "可比数字：党支部数量" in comac
    assert '<svg class="hb-chart"' not in page(built, "cases/gucheng")


def test_compare_page_offers_every_case(built):
    html = page(built, "compare")
    for case in COLLECTION.cases:
        assert f'value="{case.id}"' in html
    assert '<script src="../assets/javascripts/compare-data.js"></script>' in html
    assert (built / "site" / "assets" / "javascripts" / "compare-data.js").is_file()


def test_a_hand_written_page_left_out_of_the_nav_fails_the_strict_build(fixture_project):
    """Generated pages are marked not-in-nav one by one, so the warning still catches docs/ pages."""
    import shutil

    for name in ("mkdocs.yml", "docs", "overrides"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, fixture_project / name)
    (fixture_project / "docs" / "notes.md").write_text("# 笔记\n", encoding="utf-8")
    result = run_handbook("build", "--site-dir", "site", cwd=fixture_project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    warning = re.search(r'not included in the "nav" configuration:\n((?:  - .*\n)+)', result.stderr)
    assert warning and warning.group(1) == "  - notes.md\n", result.stderr
