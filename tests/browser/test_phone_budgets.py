"""The secretary's phone (issue 15): budgets at 360×740 in WeChat's browser, measured in Chromium.

On each reader page: no sideways overflow outside a deliberate scroller, no rendered text
under 12 CSS px, no tap target under 24×24 CSS px (WCAG 2.2 AA 2.5.8; links inside running
text are exempt, as WCAG allows), and no serious or critical axe violation. Screenshots at
360 and 1280 px go to tests/artifacts/. The case, standard and training page are the first
of each in the collection, never named here.
"""

from __future__ import annotations

import pytest

from conftest import REPO
from handbook.load.loader import load_collection
from handbook.render.pages import page_url

COLLECTION = load_collection(REPO)
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; V2154A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
             "Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560 "
             "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")

MIN_TEXT_PX = 12
MIN_TARGET_PX = 24


def _pages() -> list[tuple[str, str]]:
    def url(src: str) -> str:
        return page_url(src, directory_urls=True)

    return [
        ("home", url("index.md")),
        ("cases", url("cases/index.md")),
        ("case", url(f"cases/{COLLECTION.cases[0].id}.md")),
        ("standard", url(f"standards/{COLLECTION.standards[0].id}.md")),
        ("matrix", url("standards/matrix.md")),
        ("overview", url("overview.md")),
        ("compare", url("compare.md") + f"?cases={COLLECTION.cases[0].id},{COLLECTION.cases[1].id}"),
        ("glossary", url("glossary.md")),
        ("training", url(f"training/{COLLECTION.sessions[0].id}.md")),
    ]


PAGES = _pages()

# Elements in the page's own content and chrome that a reader sees (hidden ones excluded).
_MEASURE = """() => {
  const visible = el => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest('[hidden], .md-search, .md-sidebar--secondary, .md-nav--primary, .md-tooltip, .md-tooltip2, .md-dialog, .md-top');
  };
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30) + '"';

  // horizontal overflow: the document, and any element wider than the viewport that is not
  // inside a deliberate scroller (overflow-x auto/scroll)
  const W = document.documentElement.clientWidth;
  const overflow = [];
  if (document.documentElement.scrollWidth > W + 1) overflow.push('document ' + document.documentElement.scrollWidth);
  // sideways scrollers that actually scroll: only deliberate ones (.hb-scroll), never nested
  const scrollers = [];
  const scrolls = el => {
    const s = getComputedStyle(el);
    return (s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && visible(el);
  };
  for (const el of document.querySelectorAll('body *')) {
    if (!scrolls(el)) continue;
    if (!el.classList.contains('hb-scroll')) scrollers.push(describe(el));
    else if (el.parentElement && el.parentElement.closest('.hb-scroll, .md-typeset__scrollwrap')) scrollers.push('nested ' + describe(el));
  }

  // smallest rendered text: every text node's parent, with its computed font size (SVG text
  // scaled by its drawing: the on-screen height of the glyph box)
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let smallest = 1e9;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || !visible(el) || el.closest('script, style, noscript, title, .md-header, [aria-hidden=true]')) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      size = size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    }
    smallest = Math.min(smallest, size);
    if (size < %(text)s - 0.01) small.push(describe(el) + ' ' + size.toFixed(1) + 'px');
  }
  // header chrome too (title, tabs, search button)
  for (const el of document.querySelectorAll('.md-header *, .md-tabs *')) {
    if (!visible(el) || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    smallest = Math.min(smallest, size);
    if (size < %(text)s - 0.01) small.push(describe(el) + ' ' + size.toFixed(1) + 'px');
  }

  // tap targets: links, buttons, inputs, selects, labels and [role=button]; a link inside a
  // paragraph, list item or cell that holds other text is an inline link (WCAG 2.5.8 exception)
  const tiny = [];
  const inline = a => {
    const block = a.closest('p, li, dd, td, th, blockquote, figcaption');
    if (!block || a.closest('nav, .hb-jump, .hb-crumbs')) return false;
    return (block.textContent || '').trim().length > (a.textContent || '').trim().length + 2;
  };
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [role=button], label')) {
    if (!visible(el)) continue;
    if (el.tagName === 'A' && inline(el)) continue;
    if (el.tagName === 'INPUT' && el.closest('label')) continue;  // the label is the target
    if (el.tagName === 'INPUT' && el.type === 'checkbox' && el.labels && el.labels.length) continue;
    const r = el.getBoundingClientRect();
    if (r.width < %(target)s - 0.5 || r.height < %(target)s - 0.5) tiny.push(describe(el) + ' ' + r.width.toFixed(0) + '×' + r.height.toFixed(0));
  }
  return {overflow, scrollers, small, smallest, tiny, height: document.documentElement.scrollHeight};
}""" % {"text": MIN_TEXT_PX, "target": MIN_TARGET_PX}


def _axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {len(v['nodes'])} × {v['nodes'][0]['target']}" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


@pytest.fixture(scope="module")
def measured(browser, site_server, artifacts):
    """Every page at 360×740 (WeChat) measured once, and screenshotted at 360 and 1280."""
    phone = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                has_touch=True, locale="zh-CN", user_agent=WECHAT_UA)
    laptop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    results = {}
    try:
        for name, path in PAGES:
            page = phone.new_page()
            page.goto(site_server + path)
            page.wait_for_load_state("load")
            page.screenshot(path=str(artifacts / f"phone-budget-{name}-360.png"), full_page=True)
            result = page.evaluate(_MEASURE)
            result["axe"] = _axe_serious(page)
            results[name] = result
            page.close()
            page = laptop.new_page()
            page.goto(site_server + path)
            page.wait_for_load_state("load")
            page.screenshot(path=str(artifacts / f"phone-budget-{name}-1280.png"), full_page=True)
            page.close()
    finally:
        phone.close()
        laptop.close()
    return results


NAMES = [name for name, _ in PAGES]


@pytest.mark.parametrize("name", NAMES)
def test_no_horizontal_overflow(measured, name):
    result = measured[name]
    assert result["overflow"] == [], result["overflow"]
    assert result["scrollers"] == [], f"sideways scrollers on {name}: {result['scrollers']}"


@pytest.mark.parametrize("name", NAMES)
def test_text_is_at_least_12_px(measured, name):
    result = measured[name]
    assert result["small"] == [], f"{name}: smallest {result['smallest']:.1f}px: {result['small'][:10]}"


@pytest.mark.parametrize("name", NAMES)
def test_tap_targets_are_at_least_24_px(measured, name):
    result = measured[name]
    assert result["tiny"] == [], f"{name}: {result['tiny'][:10]}"


@pytest.mark.parametrize("name", NAMES)
def test_axe_finds_nothing_serious(measured, name):
    assert measured[name]["axe"] == [], measured[name]["axe"]


def test_screenshots_are_written(measured, artifacts):
    for name in NAMES:
        for width in (360, 1280):
            assert (artifacts / f"phone-budget-{name}-{width}.png").stat().st_size > 5000, (name, width)


def test_glossary_tooltip_is_readable_on_a_phone(browser, site_server):
    """Tapping a glossary term on the first case shows its definition at 12 px or more."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  locale="zh-CN", user_agent=WECHAT_UA)
    try:
        page = context.new_page()
        page.goto(site_server + page_url(f"cases/{COLLECTION.cases[0].id}.md", directory_urls=True))
        term = page.locator("article abbr[title]").first
        term.scroll_into_view_if_needed()
        term.tap()
        tip = page.locator(".md-tooltip2--active .md-tooltip2__inner, .md-tooltip--active .md-tooltip__inner").first
        tip.wait_for(state="visible", timeout=5000)
        size = float(tip.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px"))
        assert size >= MIN_TEXT_PX, f"tooltip text {size}px"
    finally:
        context.close()
