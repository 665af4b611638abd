"""The 案例对比 page in Chromium: URL state, selection limits, phones, file:// and no foreign requests."""

from __future__ import annotations



def rows(page) -> dict[str, list[str]]:
    return {r[0]: r[1:] for r in page.eval_on_selector_all(
        ".hb-compare-table tbody tr", "trs => trs.map(tr => [...tr.children].map(c => c.innerText.trim()))")}


def test_compare_from_a_shared_url(context, site_server):
    page = context.new_page()
    page.goto(site_server + "compare/?cases=nanyang,chifeng")
    table = rows(page)
    assert table["模式"] == ["全域党建", "融合党建"]
    assert table["类型与层级"] == ["地方党委，地级市", "党委组织部，地级市"]
    assert "1239个" in table["关键数据"][0] and "独特之处" in table
    assert page.is_checked("input[value=nanyang]") and page.is_checked("input[value=chifeng]")
    page.check("input[value=gucheng]")
    assert page.url.endswith("?cases=nanyang,chifeng,gucheng")
    assert len(rows(page)["模式"]) == 3
    page.check("input[value=comac]")
    assert page.is_disabled("input[value=huadian]"), "at most 4 cases"
    page.uncheck("input[value=comac]")
    page.uncheck("input[value=gucheng]")
    page.uncheck("input[value=chifeng]")
    assert "请选择 2 至 4 个案例" in page.inner_text("[data-hb-status]") and not rows(page)
    assert context.request_log.foreign == []


def test_compare_ignores_bad_url_values(context, site_server):
    page = context.new_page()
    page.goto(site_server + "compare/?cases=nanyang,<script>,nanyang,huadian")
    assert rows(page)["模式"] == ["全域党建", "党建联建共建"]


def test_compare_rows_stack_on_a_phone(phone, site_server, artifacts):
    page = phone.new_page()
    page.goto(site_server + "compare/?cases=nanyang,chifeng,gucheng")
    page.screenshot(path=str(artifacts / "phone-360-compare.png"), full_page=True)
    display = page.eval_on_selector(".hb-compare-table td", "td => getComputedStyle(td).display")
    assert display == "block"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1


def test_compare_works_offline_from_file_url(context, offline_site):
    page = context.new_page()
    page.goto((offline_site / "compare.html").as_uri() + "?cases=comac,huadian")
    table = rows(page)
    assert table["模式"] == ["党组织建在项目上", "党建联建共建"]
    href = page.get_attribute(".hb-compare-table tbody tr:first-child td a", "href")
    assert href.endswith("cases/comac.html")
    assert context.request_log.foreign == []


def test_case_page_suggests_comparisons(context, site_server):
    page = context.new_page()
    page.goto(site_server + "cases/nanyang/")
    page.click(".hb-similar a >> nth=0")
    page.wait_for_selector(".hb-compare-table")
    assert "compare/?cases=nanyang," in page.url
    assert len(rows(page)["模式"]) == 2
