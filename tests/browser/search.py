"""Drive the handbook's search the way a reader (or an outside check) does: the page
search/?q=TERM (search/index.html?q=TERM from file://) and its ranked result links."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlparse

QUERY_BOX = "[data-search-input]"
RESULTS = "[data-search-results]"


def search_url(site_url: str, query: str) -> str:
    page = "search/index.html" if site_url.startswith("file:") else "search/"
    return site_url + page + "?q=" + quote(query)


def wait_for_results(page, query: str, timeout: int = 15_000) -> None:
    """Until the results of exactly ``query`` are shown (the contract's done marker)."""
    page.wait_for_function(
        """q => { const r = document.querySelector('[data-search-results]');
                  return r && r.dataset.searchState === 'done' && r.dataset.searchQuery === q; }""",
        arg=query.strip(), timeout=timeout)


def result_links(page) -> list[str]:
    return page.eval_on_selector_all(RESULTS + " a", "els => els.map(e => e.href)")


def search(page, site_url: str, query: str) -> list[str]:
    """Ranked result pages (site paths, no anchor, no index.html) for ``query``."""
    page.goto(search_url(site_url, query))
    wait_for_results(page, query)
    return site_pages(result_links(page), page.url, site_url)


def site_pages(hrefs: list[str], page_url: str, site_url: str) -> list[str]:
    """Distinct site paths (no anchor, no index.html, .html → /) in the order the results list them."""
    pages: list[str] = []
    base = urlparse(site_url).path
    for href in hrefs:
        path = urlparse(urljoin(page_url, href)).path
        relative = path[len(base):] if path.startswith(base) else path.lstrip("/")
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        elif relative.endswith(".html"):
            relative = relative[: -len(".html")] + "/"
        if relative not in pages:
            pages.append(relative)
    return pages
