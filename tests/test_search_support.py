"""The pieces behind Chinese search: jieba dictionary, hover definitions, query map, worker fix."""

from __future__ import annotations

from pathlib import Path

import jieba
import markdown
import pytest

from handbook.load.loader import load_collection
from handbook.render.pages import abbreviations
from handbook.search.dictionary import domain_terms, jieba_user_dict
from handbook.search.t2s_map import t2s_map, t2s_script
from handbook.search.worker_patch import PATCHES, WorkerPatchError, patch_worker_source

REPO = Path(__file__).resolve().parent.parent
COLLECTION = load_collection(REPO)


def test_domain_terms_come_from_the_records():
    terms = domain_terms(COLLECTION)
    for term in ("百户网格长", "三会一课", "全域党建", "联合党组织", "谷城县", "党建联络员"):
        assert term in terms
    assert terms == sorted(set(terms))


def test_jieba_keeps_domain_terms_whole_with_the_dictionary(tmp_path):
    sentence = "开好三会一课，百户网格长每日遍访"
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    assert "三会一课" not in tokenizer.lcut(sentence)  # without the dictionary it is split
    path = tmp_path / "dict.txt"
    path.write_text(jieba_user_dict(COLLECTION), encoding="utf-8")
    with path.open("rb") as handle:  # jieba leaves a path it opened itself unclosed
        tokenizer.load_userdict(handle)
    words = tokenizer.lcut(sentence)
    assert "三会一课" in words and "百户网格长" in words


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


def test_traditional_map_covers_the_handbook_characters():
    mapping = t2s_map("联合党委开展双报到")
    assert mapping["聯"] == "联" and mapping["黨"] == "党" and mapping["雙"] == "双" and mapping["報"] == "报"
    assert "联" not in mapping and all(len(k) == 1 == len(v) for k, v in mapping.items())
    assert t2s_script("党").startswith("window.HANDBOOK_T2S={") and '"黨":"党"' in t2s_script("党")


WORKER = "function fe(t,e){for(let s=0;s<t.length;s++)for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);n[a]&&a<t.length-1&&(i[s++]=a)}"


def test_worker_patch_fixes_the_off_by_one_once():
    patched = patch_worker_source(WORKER)
    assert "o<=t.length" in patched and "a<t.length&&" in patched
    assert patch_worker_source(patched) == patched  # a rebuild does not patch twice


def test_worker_patch_refuses_an_unknown_worker():
    with pytest.raises(WorkerPatchError):
        patch_worker_source("function fe(){}")


def test_installed_material_worker_matches_the_patch():
    import material

    worker = next((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))
    source = worker.read_text(encoding="utf-8")
    assert all(source.count(original) == 1 for original, _ in PATCHES)
