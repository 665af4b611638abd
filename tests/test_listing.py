"""Long lists are split into pages: every case is listed exactly once, pagers link every page."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, run_handbook, set_plugin_options
from linkcheck import broken_links
from handbook.load.loader import load_collection
from handbook.render.listing import FACET_PREVIEW, facet_value_key, paginate
from handbook.render.urls import practice_anchor

sys.path.insert(0, str(REPO / "scripts" / "bench"))
import padding  # noqa: E402

SIZE, PAGE = 60, 25


def test_paginate_and_pager_window():
    pages = paginate(list(range(230)), "p1.md", "p{n}.md", 100)
    assert [len(p.cases) for p in pages] == [100, 100, 30]
    assert pages[2].first == 201 and pages[2].src_uris == ("p1.md", "p2.md", "p3.md")
    assert paginate([], "x.md", "x{n}.md", 100)[0].count == 1
    long = paginate(list(range(1000)), "p1.md", "p{n}.md", 10)
    assert long[49].window() == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert long[0].window() == [1, 2, 3, None, 100]


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    project = padding.padded_project(tmp_path_factory.mktemp("listing") / "handbook", SIZE)
    set_plugin_options(project, list_page_size=PAGE)
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def case_links(html: str) -> list[str]:
    return re.findall(r'<td><a href="[./]*(?:cases/)?([a-z0-9-]+)/">', html)


def case_ids(project: Path) -> list[str]:
    return [case.id for case in load_collection(project).cases]


def read(project: Path, url: str) -> str:
    return (project / "site" / url / "index.html").read_text(encoding="utf-8")


def test_cases_index_pages_list_every_case_once(large):
    first = read(large, "cases")
    assert "data-hb-filter" not in first  # a filter over one page of many would mislead
    assert 'href="all/2/"' in first and 'href="all/3/"' in first and 'rel="next"' in first
    listed = case_links(first) + case_links(read(large, "cases/all/2")) + case_links(read(large, "cases/all/3"))
    assert Counter(listed) == Counter(case_ids(large))
    last = read(large, "cases/all/3")
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert "第 51–60 个，共 60 个" in last


def test_big_facet_values_get_their_own_paged_lists(large):
    collection = load_collection(large)
    mechanism = next(f for f in collection.facets() if f.slug == "mechanism")
    big = {value: cases for value, cases in mechanism.groups.items() if len(cases) > FACET_PREVIEW}
    assert big, "the synthetic collection should have a mechanism shared by many cases"
    facet_page = read(large, "cases/facets/mechanism")
    for value, cases in big.items():
        key = facet_value_key(value)
        assert f'href="{key}/">查看全部 {len(cases)} 个案例' in facet_page
        listed, number = [], 1
        while True:
            url = f"cases/facets/mechanism/{key}" + ("" if number == 1 else f"-{number}")
            if not (large / "site" / url / "index.html").is_file():
                break
            listed += case_links(read(large, url))
            number += 1
        assert listed == [c.id for c in cases]


def test_paged_site_has_no_broken_links(large):
    assert broken_links(large / "site") == []


def test_matrix_pages_have_one_row_per_case(large):
    rows = []
    for url, up in (("standards/matrix", "../"), ("standards/matrix/2", "../../"), ("standards/matrix/3", "../../")):
        html = read(large, url)
        rows += re.findall(r'<tr>\s*<td><a href="[./]*cases/([a-z0-9-]+)/">', html)
        assert f'href="{up}grid-patrol/"' in html  # the column headers link the standards from every page
    assert Counter(rows) == Counter(case_ids(large))


def test_standards_page_their_back_links(large):
    collection = load_collection(large)
    standard = max(collection.standards, key=lambda s: len(collection.practices_using(s.id)))
    usage = collection.practices_using(standard.id)
    assert len(usage) > FACET_PREVIEW
    page = read(large, f"standards/{standard.id}")
    assert f'href="cases/">查看全部{len(usage)}处做法' in page
    listed, number = [], 1
    while (large / "site" / f"standards/{standard.id}/cases{'' if number == 1 else f'-{number}'}/index.html").is_file():
        html = read(large, f"standards/{standard.id}/cases{'' if number == 1 else f'-{number}'}")
        listed += re.findall(r'<a href="\.\./\.\./\.\./cases/([a-z0-9-]+)/#(practice-\d+)">', html)
        number += 1
    assert listed == [(ref.case.id, practice_anchor(ref.index)) for ref in usage]
