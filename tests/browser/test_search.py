"""The search page in a real browser: the contract outside checks rely on, online and from
file://, search as you type / on paste / on IME commit, and the same words and ranking as
the Python twin (scripts/handbook/search/query.py)."""

from __future__ import annotations

from pathlib import Path

import re

import pytest

from handbook.load.loader import load_collection
from handbook.search.dictionary import domain_terms
from handbook.search.index import build_index
from handbook.search.query import query_words, rank
from handbook.search.records import KINDS, search_records
from handbook.search.segment import Segmenter

from .search import QUERY_BOX, RESULTS, result_links, search, search_url, site_pages, wait_for_results

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def twin():
    collection = load_collection(REPO)
    return build_index(search_records(collection), Segmenter(domain_terms(collection)))


def _contract(page) -> list[dict]:
    assert page.locator(RESULTS).count() == 1
    return page.eval_on_selector_all(RESULTS + " a", "els => els.map(e => ({kind: e.dataset.kind, href: e.href}))")


def test_search_page_contract_online(context, site_server):
    page = context.new_page()
    pages = search(page, site_server, "百户网格长")
    results = _contract(page)
    assert results and all(r["kind"] in KINDS for r in results)
    assert pages[0] in ("cases/gucheng/", "standards/grid-patrol/")
    assert page.locator(RESULTS + " a").first.locator("mark").count() >= 1  # the match is highlighted
    assert context.request_log.foreign == []


def test_search_page_contract_offline(context, offline_site):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    site = offline_site.as_uri() + "/"
    pages = search(page, site, "百户网格长")
    results = _contract(page)
    assert results and all(r["href"].startswith("file://") and ".html" in r["href"] for r in results)
    assert pages[0] in ("cases/gucheng/", "standards/grid-patrol/")
    page.locator(RESULTS + " a").first.click()
    page.wait_for_load_state("load")
    assert "百户网格长" in page.inner_text("article")
    assert context.request_log.foreign == [] and errors == []


def test_header_search_leads_to_the_search_page(context, site_server):
    page = context.new_page()
    page.goto(site_server)
    page.fill("input.hb-header-search__input", "三会一课")
    page.press("input.hb-header-search__input", "Enter")
    wait_for_results(page, "三会一课")
    assert "/search/?q=" in page.url and result_links(page)


def test_header_search_offline(context, offline_site):
    page = context.new_page()
    page.goto((offline_site / "cases" / "nanyang.html").as_uri())
    page.fill("input.hb-header-search__input", "双报到")
    page.press("input.hb-header-search__input", "Enter")
    wait_for_results(page, "双报到")
    assert page.url.startswith("file://") and "search/index.html?q=" in page.url
    assert context.request_log.foreign == []


def test_index_is_loaded_on_first_use_not_on_page_load(context, site_server, built_handbook):
    page = context.new_page()
    for url in ("", "cases/gucheng/", "search/"):
        page.goto(site_server + url)
        page.wait_for_load_state("networkidle")
    assert not [u for u in context.request_log.local if "/search/idx/" in u]
    page.locator(QUERY_BOX).type("网格")
    wait_for_results(page, "网格")
    loaded = [u.split("/search/idx/")[1] for u in context.request_log.local if "/search/idx/" in u]
    # the manifest afresh, every shard under the version the manifest names (no mixing of builds)
    assert loaded[0].startswith("m.js?t="), loaded
    shards = loaded[1:]
    assert shards and all(re.fullmatch(r"[vpd]\d+\.js\?v=[0-9a-f]{12}", name) for name in shards), shards
    manifest = (built_handbook / "site" / "search" / "idx" / "m.js").read_text(encoding="utf-8")
    assert {name.split("?v=")[1] for name in shards} == {re.search(r'"version":"([0-9a-f]+)"', manifest)[1]}


def test_searches_as_you_type(context, site_server):
    page = context.new_page()
    page.goto(site_server + "search/")
    page.locator(QUERY_BOX).type("红色商", delay=30)  # unfinished: 红色商街
    wait_for_results(page, "红色商")
    assert "cases/chifeng/" in site_pages(result_links(page), page.url, site_server)[:2]
    assert "?q=" in page.url  # the address can be shared


def test_searches_on_paste(context, site_server):
    page = context.new_page()
    page.goto(site_server + "search/")
    page.locator(QUERY_BOX).evaluate(
        "(box, text) => { box.focus(); box.value = text; box.dispatchEvent(new ClipboardEvent('paste', {bubbles: true})); }",
        "乡贤说事评理团")  # a paste that fires no input or key event
    wait_for_results(page, "乡贤说事评理团")
    assert site_pages(result_links(page), page.url, site_server)[0] == "cases/gucheng/"


def test_searches_on_ime_commit_not_while_composing(context, site_server):
    page = context.new_page()
    page.goto(site_server + "search/")
    box = page.locator(QUERY_BOX)
    box.evaluate("""box => {
        box.focus();
        box.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
        box.value = 'sanhui';
        box.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
    }""")
    page.wait_for_timeout(400)
    assert page.locator(RESULTS).get_attribute("data-search-query") is None  # pinyin is not searched
    box.evaluate("""box => {
        box.value = '三会一课';
        box.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '三会一课'}));
    }""")
    wait_for_results(page, "三会一课")
    assert result_links(page)


def test_traditional_query_is_searched_in_simplified(context, site_server):
    page = context.new_page()
    pages = search(page, site_server, "聯合黨委")
    assert page.evaluate("q => window.handbookSearch.segment(q)", "聯合黨委") == ["联合党委"]
    assert pages and pages == search(page, site_server, "联合党委")


@pytest.mark.parametrize("query, expected", [
    ("百户网格长", ("cases/gucheng/", "standards/grid-patrol/")),
    ("乡贤说事评理团", ("cases/gucheng/",)),
])
def test_domain_and_unseen_strings_are_found_whole(context, site_server, query, expected):
    page = context.new_page()
    pages = search(page, site_server, query)
    assert page.evaluate("q => window.handbookSearch.segment(q)", query) == [query]
    assert pages[0] in expected


def test_a_string_the_index_never_saw_finds_pages_that_contain_it(context, site_server):
    page = context.new_page()
    pages = search(page, site_server, "网格长遍访")  # not a word anywhere; 网格长 and 遍访 are
    assert pages and pages[0] in ("cases/gucheng/", "standards/grid-patrol/", "glossary/")


def test_no_results_says_so(context, site_server):
    page = context.new_page()
    assert search(page, site_server, "qwertyzxcv") == []
    assert "没有找到" in page.inner_text("[data-search-status]")


QUERIES_FOR_TWIN = ["百户网格长", "怎么开联席会", "红色商", "中国商飞 C919", "在职党员怎么到社区报到",
                    "乡贤说事评理团", "聯合黨委", "三会一课 主题党日", "打破地域层级隶属壁垒"]


def test_browser_and_python_twin_agree(context, site_server, twin):
    page = context.new_page()
    vocabulary = set(twin.postings)
    for query in QUERIES_FOR_TWIN:
        pages = search(page, site_server, query)
        words = page.evaluate("q => window.handbookSearch.segment(q)", query)
        expected = [w.text for w in query_words(vocabulary, query.replace("聯合黨委", "联合党委"))]
        assert words == expected, query
        python = []
        for number, _ in rank(twin, query.replace("聯合黨委", "联合党委")):
            url = twin.records[number].url.split("#")[0]
            if url not in python:
                python.append(url)
        assert pages[:5] == python[:5], query
