"""Normalising raw articles: 繁→简, D→党 only where it masks 党, no glosses, ads or paywall."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.load.source_text import match_key, normalise_article, unmask_party

SOURCES = Path(__file__).resolve().parent.parent / "cases" / "sources"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("D建引领", "党建引领"),
        ("全D上下", "全党上下"),
        ("马克思主义政D的力量", "马克思主义政党的力量"),
        ("“D员攻坚队”", "“党员攻坚队”"),
        ("组建“全国产化DCS”D员攻坚队", "组建“全国产化DCS”党员攻坚队"),
        ("C919、ARJ21、C929等项目", "C919、ARJ21、C929等项目"),
        ("D", "D"),
        ("TCS控制系统", "TCS控制系统"),
    ],
)
def test_unmask_party(raw, clean):
    assert unmask_party(raw) == clean


def test_traditional_with_pinyin_glosses_becomes_plain_simplified():
    raw = "中國共產(chǎn)黨新聞網(wǎng)：推行“融合黨建”模式"
    assert normalise_article(raw) == "中国共产党新闻网：推行“融合党建”模式\n"


def test_ads_paywall_and_html_are_dropped():
    raw = (
        "<li id=\"x\"></li>\n"
        "##paidbegin##正文一句。\n"
        "【哒哒素材库】——每天更新材料1000多篇\n"
        "---此处隐藏0字，付费后可见---\n"
        "正文二句。##paidend##\n"
    )
    assert normalise_article(raw) == "正文一句。\n\n正文二句。\n"


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.txt")), ids=lambda p: p.stem)
def test_every_source_normalises_clean(path):
    text = normalise_article(path.read_text(encoding="utf-8"))
    assert "哒哒" not in text and "paidbegin" not in text and "此处隐藏" not in text
    assert not any(ch in text for ch in "黨組織聯區會員據節"), "Traditional characters left"
    residue = [line for line in text.splitlines() if "<" in line and ">" in line]
    assert residue == []


def test_match_key_ignores_width_and_spacing():
    assert match_key("南阳市中心城区和13个县市区,紧扣") == match_key("南阳市中心城区和 13 个县市区，紧扣")
