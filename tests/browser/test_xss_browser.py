"""No payload runs when the hostile pages are opened, scrolled and hovered in Chromium."""

from __future__ import annotations

import pytest

from test_xss import hostile_site  # noqa: F401  (session fixture)

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
        for item in page.locator(".md-search-result__item").all()[:10]:
            item.hover()
        page.wait_for_timeout(200)
    assert dialogs == []
