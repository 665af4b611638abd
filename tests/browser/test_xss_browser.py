"""No payload runs when the hostile pages are opened, scrolled and hovered in Chromium."""

from __future__ import annotations

import pytest

from test_xss import hostile_site, link_attack, link_attack_site  # noqa: F401  (session fixtures)

from .conftest import serve


@pytest.fixture(scope="module")
def hostile_server(hostile_site):  # noqa: F811
    with serve(hostile_site) as url:
        yield url


@pytest.mark.parametrize("url", ["cases/sample/", "standards/quarterly-meeting/", "glossary/", "cases/"])
def test_no_payload_executes(context, hostile_server, url):
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_server + url)
    page.wait_for_load_state("networkidle")
    for element in page.locator("article p:visible, article li:visible, article abbr:visible, article td:visible").all()[:80]:
        element.hover()
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    assert dialogs == []
    live = page.evaluate("""() => [...document.querySelectorAll('article *')].filter(el =>
        ['SCRIPT','IFRAME','OBJECT','EMBED','BASE','META','FORM','VIDEO','MATH','STYLE'].includes(el.tagName) ||
        [...el.attributes].some(a => a.name.startsWith('on'))).map(el => el.outerHTML.slice(0, 80))""")
    assert live == []
    assert context.request_log.foreign == []


def test_search_results_do_not_execute_payloads(context, hostile_server):
    from .search import search

    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for query in ("alert", "onerror", "script"):
        results = search(page, hostile_server, query)
        assert results, query
        for item in page.locator("[data-search-results] a").all()[:10]:
            item.hover()
        page.wait_for_timeout(200)
    assert dialogs == []


# --- Script links, foreign files and the TOC tooltip (review 2026-11: H1, H2, M9) -------------

SCRIPT_URL = ("javascript:", "vbscript:", "data:")


@pytest.fixture(scope="module")
def link_attack_server(link_attack_site):  # noqa: F811
    with serve(link_attack_site) as url:
        yield url


def _watch(page) -> dict:
    seen = {"dialogs": [], "urls": [], "errors": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("framenavigated", lambda frame: seen["urls"].append(frame.url))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def test_clicking_every_link_runs_nothing(context, link_attack_server):
    url = link_attack_server + "standards/joint-meeting/"
    page = context.new_page()
    seen = _watch(page)
    page.goto(url)
    links = page.evaluate("""() => [...document.querySelectorAll('article a')].map(a => a.getAttribute('href'))""")
    assert len(links) > 20
    assert not [href for href in links if href and href.strip().lower().startswith(SCRIPT_URL)]
    clicked = 0
    for index, href in enumerate(links):
        if href and href.startswith("http") and "127.0.0.1" not in href:
            continue  # another host: the reader's click would go there, nothing loads before
        if page.url.split("#")[0] != url:
            page.goto(url)
        link = page.locator("article a").nth(index)
        if not link.is_visible():
            continue
        link.click(timeout=2000)
        page.wait_for_timeout(100)
        clicked += 1
    for number in (101, 102, 103, 105, 108, 117, 132, 133, 110, 111):  # the removed links are still clickable text
        page.goto(url)
        page.get_by_text(f"点我{number}", exact=True).click(timeout=2000)
        page.wait_for_timeout(100)
        clicked += 1
    assert clicked > 20
    assert seen["dialogs"] == []
    assert not [u for u in seen["urls"] if u.lower().startswith(SCRIPT_URL)]
    assert context.request_log.foreign == []  # the foreign image was removed at build time
    assert page.locator('article a[href="https://example.org/page"]').count() == 1


def test_toc_tooltip_on_hover_runs_nothing(browser, link_attack_server):
    """Material copies an overflowing TOC entry's text into a tooltip rendered as HTML."""
    from .conftest import RequestLog

    log = RequestLog()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    context.route("**/*", log.route)
    try:
        page = context.new_page()
        seen = _watch(page)
        page.goto(link_attack_server + "standards/joint-meeting/")
        entry = page.locator(".md-nav--secondary a.md-nav__link", has_text="VVVV").first
        assert entry.is_visible()
        entry.hover()
        page.wait_for_timeout(800)
        # the entry overflowed, so Material showed its text in a tooltip: as text, not markup
        tooltip = page.locator(".md-tooltip2__inner, .md-tooltip__inner").first
        assert "onerror=alert(703)" in tooltip.inner_text()
        assert page.locator("img[src='x'], [class*=tooltip] img").count() == 0
        assert seen["dialogs"] == [] and seen["errors"] == []
        assert log.foreign == []
    finally:
        context.close()


@pytest.mark.parametrize("query", ["?cases=constructor", "?cases=__proto__", "?cases=gucheng,constructor",
                                   "?cases=constructor,__proto__", "?cases=%", "?cases=%E4%", "?cases=toString,hasOwnProperty"])
def test_compare_page_survives_bad_url_state(context, site_server, query):
    page = context.new_page()
    seen = _watch(page)
    page.goto(site_server + "compare/" + query)
    page.wait_for_load_state("networkidle")
    assert seen["errors"] == []
    assert "请选择" in page.locator("[data-hb-status]").inner_text()
    boxes = page.locator("[data-hb-compare] input[name=case]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert page.locator(".hb-compare-table").count() == 1  # the picker still works
    assert seen["errors"] == [] and seen["dialogs"] == []


@pytest.fixture(scope="module")
def offline_link_attack(link_attack):  # noqa: F811
    """The link payloads in the file:// edition (built without --strict, as `handbook offline`
    would refuse the strict build)."""
    import os
    import subprocess
    import sys

    project, _ = link_attack
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", "offline-site"], cwd=project,
                            env=dict(os.environ, HANDBOOK_OFFLINE="true"), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return project / "offline-site"


def test_offline_edition_removed_links_run_nothing(context, offline_link_attack):
    url = (offline_link_attack / "standards" / "joint-meeting.html").as_uri()  # no directory URLs offline
    page = context.new_page()
    seen = _watch(page)
    page.goto(url)
    hrefs = page.evaluate("""() => [...document.querySelectorAll('a[href], img[src]')].map(a => a.getAttribute('href') || a.getAttribute('src'))""")
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(SCRIPT_URL)]
    for number in (101, 102, 103, 105, 108, 117, 132, 133, 110, 111):
        page.goto(url)
        page.get_by_text(f"点我{number}", exact=True).click(timeout=2000)
        page.wait_for_timeout(100)
    assert seen["dialogs"] == []
    assert not [u for u in seen["urls"] if u.lower().startswith(SCRIPT_URL)]
    assert context.request_log.foreign == []
