"""Pagefind search (large collections) in Debian's chromium: found from the header, Chinese terms
and Traditional queries work, nothing comes from another host, and the site may live under a path."""

from __future__ import annotations

import shutil

import pytest

from .conftest import serve

QUERY = ".pagefind-ui__search-input"
RESULT = ".pagefind-ui__result-link"


@pytest.fixture(scope="module")
def pagefind_server(pagefind_handbook):
    with serve(pagefind_handbook / "site") as url:
        yield url


def watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def result_links(page) -> list[str]:
    page.wait_for_selector(RESULT, timeout=15_000)
    return page.eval_on_selector_all(RESULT, "links => links.map(a => a.getAttribute('href'))")


def test_header_button_leads_to_search_that_knows_domain_terms(context, pagefind_server):
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(pagefind_server + "cases/nanyang/")
    page.click("a.md-header__button[href='../../search/']")
    page.wait_for_selector(QUERY)
    page.fill(QUERY, "百户网格长")
    assert result_links(page)[0] == "/standards/grid-patrol/"
    assert errors == []
    assert context.request_log.foreign == []


def test_traditional_query_in_the_address_is_searched_in_simplified(context, pagefind_server):
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(pagefind_server + "search/?q=聯合黨委")
    links = result_links(page)
    assert "/cases/nanyang/" in links
    assert "联合党委" in page.inner_text(".pagefind-ui__results")
    assert page.input_value(QUERY) == "联合党委"
    page.fill(QUERY, "")
    page.type(QUERY, "網格長")  # typed, key by key
    page.wait_for_function(f"document.querySelector('{QUERY}').value === '网格长'")
    assert result_links(page)
    assert errors == []


def test_search_fits_a_phone(phone, pagefind_server):
    page = phone.new_page()
    page.goto(pagefind_server + "search/?q=三会一课")
    assert result_links(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    assert phone.request_log.foreign == []


def test_result_links_keep_the_path_the_site_is_served_under(context, pagefind_handbook, tmp_path):
    shutil.copytree(pagefind_handbook / "site", tmp_path / "www" / "handbook")
    with serve(tmp_path / "www") as url:
        page = context.new_page()
        page.goto(url + "handbook/search/?q=百户网格长")
        assert result_links(page)[0] == "/handbook/standards/grid-patrol/"
        page.click(RESULT)
        page.wait_for_load_state()
        assert page.url == url + "handbook/standards/grid-patrol/"
