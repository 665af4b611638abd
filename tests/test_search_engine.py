"""Large collections search with Pagefind (a chunked index); small and offline builds keep
Material's search. The switch is tested on the real content with a low threshold."""

from __future__ import annotations

import zipfile

import pytest

from conftest import copy_handbook, run_handbook, set_plugin_options
from linkcheck import broken_links
from handbook.search.pagefind import choose_engine


@pytest.mark.parametrize("setting, cases, offline, expected", [
    ("auto", 199, False, "material"),
    ("auto", 200, False, "pagefind"),
    ("pagefind", 7, False, "pagefind"),
    ("material", 10_000, False, "material"),
    ("auto", 10_000, True, "material"),     # Pagefind cannot fetch its chunks from file://
    ("pagefind", 7, True, "material"),
])
def test_choose_engine(setting, cases, offline, expected):
    assert choose_engine(setting, cases, 200, offline) == expected


def test_unknown_engine_is_refused(handbook_copy):
    set_plugin_options(handbook_copy, search_engine="lunr")
    result = run_handbook("build", "--site-dir", "site", cwd=handbook_copy)
    assert result.returncode == 1
    assert "search_engine" in result.stderr and "Traceback" not in result.stderr


def test_large_collections_get_a_chunked_index_and_no_one_piece_index(pagefind_handbook):
    site = pagefind_handbook / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert len(list((site / "pagefind" / "index").glob("*.pf_index"))) >= 1
    assert len(list((site / "pagefind" / "fragment").glob("*.pf_fragment"))) >= 7 + 14
    assert not (site / "search" / "search_index.json").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in home  # Material's search (and its index download) is off
    assert '<a class="md-header__button md-icon" href="search/"' in home
    case = (site / "cases" / "nanyang" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../search/"' in case


def test_search_page_loads_pagefind_from_the_site(pagefind_handbook):
    html = (pagefind_handbook / "site" / "search" / "index.html").read_text(encoding="utf-8")
    for asset in ("../pagefind/pagefind-ui.css", "../pagefind/pagefind-ui.js", "../assets/javascripts/pagefind-search.js"):
        assert f'"{asset}"' in html
    assert 'data-root="../index.html"' in html
    assert "<noscript>" in html and 'href="../cases/"' in html


def test_pagefind_site_has_no_broken_links(pagefind_handbook):
    assert broken_links(pagefind_handbook / "site") == []


def test_small_collections_keep_material_search(built_handbook):
    site = built_handbook / "site"
    assert (site / "search" / "search_index.json").is_file()
    assert not (site / "pagefind").exists() and not (site / "search" / "index.html").exists()
    assert 'data-md-component="search"' in (site / "index.html").read_text(encoding="utf-8")


def test_offline_bundle_keeps_material_search_even_when_pagefind_is_asked_for(tmp_path):
    project = set_plugin_options(copy_handbook(tmp_path / "handbook"), search_engine="pagefind")
    zip_path = tmp_path / "offline.zip"
    result = run_handbook("offline", "--zip", str(zip_path), cwd=project)
    assert result.returncode == 0, result.stderr
    names = zipfile.ZipFile(zip_path).namelist()
    assert not any("/pagefind/" in name for name in names)
    assert any(name.endswith("search/search_index.js") for name in names)


def test_only_content_pages_are_marked_for_pagefind(pagefind_handbook):
    site = pagefind_handbook / "site"

    def marked(path: str) -> bool:
        return "data-pagefind-body" in (site / path / "index.html").read_text(encoding="utf-8")

    for path in ("cases/nanyang", "standards/grid-patrol", "glossary", "training/new-secretary-basics", "."):
        assert marked(path), path
    for path in ("cases", "cases/facets/mechanism", "tags", "standards", "search"):  # lists, and the search page
        assert not marked(path), path
