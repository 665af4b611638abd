"""The pieces behind Chinese search: the domain dictionary, hover definitions, the query map."""

from __future__ import annotations

from pathlib import Path

import jieba
import markdown
from mkdocs.config import load_config

from handbook.load.loader import load_collection
from handbook.render.cjk_abbr import defined_terms
from handbook.render.pages import abbreviations, glossary_terms, render_pages
from handbook.render.urls import record_of
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


def test_terms_defined_for_a_page_convert_as_the_appended_definition_lines(tmp_path):
    """The build hands each page its glossary terms (defined_terms) instead of appending
    ``*[term]: definition`` lines to its Markdown: every generated page converts the same with
    the site's extensions, and the terms win over a definition in the text, as lines appended
    last did."""
    config = load_config(str(REPO / "mkdocs.yml"))

    def convert(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(text)

    pages = render_pages(COLLECTION, tmp_path, directory_urls=True, site_url=None, list_page_size=3)
    with_terms = 0
    for page in [p for p in pages if p.src_uri.endswith(".md")]:
        record_id = record_of(page.src_uri)
        with defined_terms(glossary_terms(COLLECTION, record_id)):
            html = convert(page.content)
        assert html == convert(page.content + "\n\n" + abbreviations(COLLECTION, record_id)), page.src_uri
        with_terms += "<abbr" in html
    assert with_terms > len(COLLECTION.cases)  # the comparison saw hover definitions
    text = "*[三会一课]: 文中的定义\n\n开好三会一课。"
    with defined_terms({"三会一课": "术语表的定义"}):
        assert 'title="术语表的定义"' in convert(text)
    assert 'title="文中的定义"' in convert(text)  # and only inside the block


def test_traditional_map_covers_the_handbook_characters():
    mapping = t2s_map("联合党委开展双报到")
    assert mapping["聯"] == "联" and mapping["黨"] == "党" and mapping["雙"] == "双" and mapping["報"] == "报"
    assert "联" not in mapping and all(len(k) == 1 == len(v) for k, v in mapping.items())
    assert t2s_script("党").startswith("window.HANDBOOK_T2S={") and '"黨":"党"' in t2s_script("党")
