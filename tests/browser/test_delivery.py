"""Intranet and offline delivery in a real browser: nothing from other hosts, file:// works,
accessible, usable on a 360 px phone in WeChat's browser."""

from __future__ import annotations

import zipfile

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import REPO, run_handbook
from handbook.load.loader import load_collection
from linkcheck import broken_links
from .search import search, wait_for_results

PAGES = ["", "cases/", "cases/nanyang/", "cases/huadian/", "standards/", "standards/joint-org-setup/",
         "standards/matrix/", "glossary/", "tags/"]


def test_no_request_leaves_the_machine_online(context, site_server):
    page = context.new_page()
    for url in PAGES:
        page.goto(site_server + url)
        page.wait_for_load_state("networkidle")
    search(page, site_server, "三会一课")
    assert context.request_log.local, "the request log saw nothing: routing is broken"
    assert context.request_log.foreign == []


def test_offline_zip_works_from_file_url(context, offline_site):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    index = offline_site / "index.html"
    page.goto(index.as_uri())
    assert page.title().startswith("首页")
    page.fill("input.hb-header-search__input", "百户网格长")  # the header's search leads to search/index.html
    page.press("input.hb-header-search__input", "Enter")
    wait_for_results(page, "百户网格长")
    first = page.locator("[data-search-results] a").first
    href = first.get_attribute("href")
    assert any(target in href for target in ("cases/gucheng.html", "standards/grid-patrol.html")), href
    first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.url.split("?")[0].split("#")[0].endswith(".html")
    assert "百户网格长" in page.inner_text("article")
    for relative in ("cases/nanyang.html", "standards/joint-org-setup.html", "glossary.html"):
        page.goto((offline_site / relative).as_uri())
        assert page.locator("h1").count() == 1
    assert context.request_log.foreign == []
    assert errors == []


def _serious(page) -> list[str]:
    result = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("url", ["", "cases/nanyang/", "standards/joint-org-setup/", "glossary/"])
def test_accessibility(context, site_server, url):
    page = context.new_page()
    page.goto(site_server + url)
    assert _serious(page) == []


def test_accessibility_of_search_results(context, site_server):
    page = context.new_page()
    search(page, site_server, "双报到")
    assert _serious(page) == []


@pytest.mark.parametrize("url", ["", "cases/gucheng/", "standards/grid-patrol/", "standards/matrix/"])
def test_phone_in_wechat(phone, site_server, artifacts, url):
    page = phone.new_page()
    page.goto(site_server + url)
    page.wait_for_load_state("networkidle")
    name = (url.strip("/").replace("/", "-") or "home")
    page.screenshot(path=str(artifacts / f"phone-360-{name}.png"), full_page=True)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the 360px screen"
    assert phone.request_log.foreign == []


def test_phone_search(phone, site_server, artifacts):
    page = phone.new_page()
    results = search(page, site_server, "百户网格长")
    page.screenshot(path=str(artifacts / "phone-360-search.png"))
    assert results and results[0] in ("standards/grid-patrol/", "cases/gucheng/")


def test_offline_edition_has_no_broken_links(offline_site):
    assert broken_links(offline_site) == []


def test_cases_index_filters_in_the_browser(context, site_server):
    page = context.new_page()
    page.goto(site_server + "cases/")
    assert page.locator("[data-hb-filter]").is_visible()
    page.select_option("select[data-hb-facet=level]", "县")
    # Whatever the collection holds: the filter shows exactly the cases the records put there.
    collection = load_collection(REPO)
    county = [case.title for case in collection.cases if case.organisation.level == "县"]
    visible = page.eval_on_selector_all(".hb-cases tbody tr:not([hidden]) a", "els => els.map(e => e.textContent)")
    assert county and sorted(visible) == sorted(county)
    total = page.locator(".hb-cases tbody tr").count()
    assert total == len(collection.cases) and f"显示 {len(county)} / {total} 个案例" in page.inner_text("[data-hb-count]")
    page.select_option("select[data-hb-facet=level]", "")
    page.select_option("select[data-hb-facet=mechanism]", "双报到")
    visible = page.eval_on_selector_all(".hb-cases tbody tr:not([hidden])", "els => els.length")
    assert visible == sum("双报到" in case.mechanisms for case in collection.cases) > 0
