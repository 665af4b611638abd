"""Drive the search the way a reader does and read the ranked result pages: Material's search box
(small collections) or the Pagefind search page (large ones)."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlparse

QUERY_BOX = "input[data-md-component=search-query]"


def search(page, site_url: str, query: str) -> list[str]:
    """Ranked result pages (site paths, no anchor) for ``query`` typed into the search box."""
    page.goto(site_url)
    box = page.locator(QUERY_BOX)
    if (page.viewport_size or {"width": 1280})["width"] >= 960:  # Material's breakpoint for the inline box
        box.click()
    else:  # on phones the box opens from the header's search button
        page.locator("label.md-header__button[for=__search]").click()
        box.focus()
    page.fill(QUERY_BOX, query)
    page.press(QUERY_BOX, "End")  # Material reads the query on keyup
    page.wait_for_function(
        """() => {
            const meta = document.querySelector('.md-search-result__meta');
            return meta && /\\d/.test(meta.textContent) || document.querySelector('.md-search-result__item');
        }""",
        timeout=10_000,
    )
    hrefs = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)")
    return _site_pages(hrefs, page.url, site_url)


def _site_pages(hrefs: list[str], page_url: str, site_url: str) -> list[str]:
    """Distinct site paths (no anchor, no index.html) in the order the results list them."""
    pages: list[str] = []
    for href in hrefs:
        path = urlparse(urljoin(page_url, href)).path
        base = urlparse(site_url).path
        relative = path[len(base):] if path.startswith(base) else path.lstrip("/")
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        if relative not in pages:
            pages.append(relative)
    return pages


def search_pagefind(page, site_url: str, query: str) -> list[str]:
    """Ranked result pages for ``query`` on the Pagefind search page of a large collection."""
    page.goto(site_url + "search/?q=" + quote(query))
    page.wait_for_function(
        """() => { const m = document.querySelector('.pagefind-ui__message');  // results load after the count
                   return m && /未找到/.test(m.textContent) || document.querySelector('.pagefind-ui__result-link'); }""",
        timeout=15_000,
    )
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    return _site_pages(hrefs, page.url, site_url)
