"""No payload runs when the hostile pages are opened, scrolled and hovered in Chromium."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from test_xss import hostile_site  # noqa: F401  (session fixture)


@pytest.fixture(scope="module")
def hostile_server(hostile_site):  # noqa: F811
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


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
