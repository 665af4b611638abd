"""The pieces behind Chinese search: the domain dictionary, hover definitions, the query map."""

from __future__ import annotations

from pathlib import Path

import jieba
import markdown

from handbook.load.loader import load_collection
from handbook.render.pages import abbreviations
from handbook.search.dictionary import domain_terms
from handbook.search.segment import Segmenter
from handbook.search.t2s_map import t2s_map, t2s_script

REPO = Path(__file__).resolve().parent.parent
COLLECTION = load_collection(REPO)


def test_domain_terms_come_from_the_records():
    terms = domain_terms(COLLECTION)
    for term in ("百户网格长", "三会一课", "全域党建", "联合党组织", "谷城县", "党建联络员"):
        assert term in terms
    assert terms == sorted(set(terms))


def test_jieba_keeps_domain_terms_whole_with_the_dictionary():
    sentence = "开好三会一课，百户网格长每日遍访"
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    assert "三会一课" not in tokenizer.lcut(sentence)  # without the dictionary it is split
    words = Segmenter(domain_terms(COLLECTION)).words(sentence)
    assert "三会一课" in words and "百户网格长" in words
    assert "三会一课" not in jieba.lcut(sentence)  # jieba's global instance is left alone


def _html(text: str, glossary: str) -> str:
    return markdown.markdown(text + "\n\n" + glossary, extensions=["handbook.render.cjk_abbr"])


def test_hover_definitions_work_inside_chinese_sentences():
    glossary = abbreviations(COLLECTION)
    html = _html("各支部开好三会一课，百户网格长每日遍访。", glossary)
    assert html.count("<abbr") == 2
    assert '<abbr title="党支部的基本组织生活制度' in html
    assert ">百户网格长</abbr>" in html and ">网格长</abbr>" not in html  # longest term wins


def test_hover_definitions_skip_headings_and_latin_words():
    glossary = "*[ARJ]: 一种飞机\n*[三会一课]: 定义"
    html = _html("# 三会一课\n\nARJ21 不是 ARJ。", glossary)
    assert "<h1>三会一课</h1>" in html
    assert html.count("<abbr") == 1 and ">ARJ</abbr>。" in html


def test_a_section_headed_by_a_term_does_not_explain_it_again():
    glossary = "*[三会一课]: 定义\n*[网格长]: 另一个定义"
    html = _html("## 三会一课\n\n三会一课由网格长召集。\n\n> 原文：开好三会一课。\n\n## 其他\n\n开好三会一课。", glossary)
    first, second = html.split("<h2>其他</h2>")
    assert first.count("<abbr") == 1 and ">网格长</abbr>" in first  # other terms still explained
    assert second.count('<abbr title="定义">三会一课</abbr>') == 1


def test_traditional_map_covers_the_handbook_characters():
    mapping = t2s_map("联合党委开展双报到")
    assert mapping["聯"] == "联" and mapping["黨"] == "党" and mapping["雙"] == "双" and mapping["報"] == "报"
    assert "联" not in mapping and all(len(k) == 1 == len(v) for k, v in mapping.items())
    assert t2s_script("党").startswith("window.HANDBOOK_T2S={") and '"黨":"党"' in t2s_script("党")
