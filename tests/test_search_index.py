"""The handbook's search index as a library: records, segmentation, BM25F scores, files, queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from handbook.load.loader import load_collection
from handbook.search import search_index_files
from handbook.search.dictionary import domain_terms
from handbook.search.index import (POSTINGS_SHARD_BYTES, RECORDS_CHUNK_BYTES, VOCAB_SHARD_BYTES, build_index,
                                   fnv1a, index_files)
from handbook.search.query import QueryWord, query_words, rank, rerank, segment, title_holds
from handbook.search.records import FIELDS, KINDS, SearchRecord, search_records
from handbook.search.segment import Segmenter, normalise, own_terms, quoted_terms, word_runs

REPO = Path(__file__).resolve().parent.parent
COLLECTION = load_collection(REPO)


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(domain_terms(COLLECTION))


@pytest.fixture(scope="module")
def index(segmenter):
    return build_index(search_records(COLLECTION), segmenter)


def _record(kind="case", title="标题", **fields) -> SearchRecord:
    return SearchRecord(kind, title, f"{kind}/x/", {"title": [title], **{k: [v] for k, v in fields.items()}})


def _pages(index, query: str) -> list[str]:
    pages: list[str] = []
    for number, _ in rank(index, query):
        url = index.records[number].url.split("#")[0]
        if url not in pages:
            pages.append(url)
    return pages


# ---- records ----

def test_one_record_per_content_page_and_none_for_lists():
    records = search_records(COLLECTION)
    kinds = [r.kind for r in records]
    assert kinds.count("case") == len(COLLECTION.cases)
    assert kinds.count("standard") == len(COLLECTION.standards)
    assert kinds.count("term") == len(COLLECTION.glossary)
    assert kinds.count("training") == len(COLLECTION.sessions)
    assert set(kinds) == set(KINDS)
    urls = [r.url for r in records]
    assert len(urls) == len(set(urls))
    assert not any(u in ("", "cases/", "standards/", "standards/matrix/", "tags/") or "facets" in u for u in urls)
    assert all(set(r.fields) == set(FIELDS) for r in records)


def test_urls_follow_the_site_url_style():
    online = {r.kind: r.url for r in search_records(COLLECTION)}
    offline = {r.kind: r.url for r in search_records(COLLECTION, directory_urls=False)}
    assert online["case"].endswith("/") and offline["case"].endswith(".html")
    assert offline["term"].startswith("glossary.html#")


def test_glossary_terms_point_at_their_heading_in_the_built_page(built_handbook):
    html = (built_handbook / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'<h2 id="([^"]+)"', html))
    anchors = {r.url.split("#")[1] for r in search_records(COLLECTION) if r.kind == "term"}
    assert anchors and anchors <= ids


# ---- segmentation ----

def test_normalise_folds_width_and_case():
    assert normalise("ＡＲＪ２１ C919") == "arj21 c919"


def test_dictionary_keeps_handbook_terms_whole(segmenter):
    words = segmenter.words("开好三会一课，百户网格长每日遍访")
    assert "三会一课" in words and "百户网格长" in words
    assert "网格" in segmenter.search_words(words)  # parts of long words are indexed too


def test_a_term_a_record_repeats_becomes_a_word():
    segmenter = Segmenter()
    text = ["村里成立乡贤议和小组，调解纠纷。", "乡贤议和小组每月开会。", "乡贤议和小组的成员由群众推选。"]
    phrases = [p for t in text for p in segmenter.phrases(t)]
    assert "乡贤议和小组" not in [w for words in phrases for w in words]  # jieba alone splits it
    assert "乡贤议和小组" in own_terms(phrases)
    assert "乡贤议和小组" not in own_terms(phrases[:2])  # said twice is not enough
    assert not any("纠纷" in term for term in own_terms(phrases * 3) if "乡贤" in term)  # never across punctuation


def test_runs_do_not_start_or_end_on_function_characters():
    runs = word_runs(["的", "联合", "党组织", "和", "3", "个", "社区"])
    assert "联合党组织" in runs and not any(r.startswith(("的", "个")) or r.endswith("和") for r in runs)


def test_an_undeclared_term_written_seven_times_finds_its_case_first(segmenter):
    term = "乡贤议和小组"
    new = _record(title="某县调解工作", body="。".join(f"第{i}次由{term}出面调解" for i in range(7)))
    other = _record(title="另一个案例", body="乡贤参与议事，小组讨论，和睦相处。" * 3)
    index = build_index([other, new], segmenter)
    assert term in index.postings and term in index.own
    assert [w.text for w in query_words(set(index.postings), term)] == [term]
    assert rank(index, term)[0][0] == 1


def test_quoted_names_are_terms():
    assert quoted_terms("根据网格长反馈的“三留守”群体需求，开办「爱心食堂」。") == {"三留守", "爱心食堂"}
    assert quoted_terms("“党建引领基层治理的若干做法和经验”") == set()  # a quoted sentence is not a name


def test_a_term_is_one_word_in_every_record_that_contains_it(segmenter):
    term = "乡贤议和小组"
    index = build_index([_record(title="甲", body=f"{term}调解。{term}走访。{term}评议。"),
                         _record(title="乙", body=f"村里也有{term}。"),
                         _record(title="丙", body="乡贤、小组。")], segmenter)
    assert set(index.postings[term]) == {0, 1}  # 乙 says it once, and has the word too
    assert [number for number, _ in rank(index, term)][:2] == [0, 1]



def test_a_term_is_counted_across_all_the_texts_of_a_field(segmenter):
    term = "乡贤议和小组"
    other = _record(title="丙", body="乡贤、小组。")
    split = SearchRecord("case", "甲", "case/x/", {"title": ["甲"], "body": [f"{term}调解。", f"{term}走访。{term}评议。"]})
    whole = SearchRecord("case", "甲", "case/x/", {"title": ["甲"], "body": [f"{term}调解。{term}走访。{term}评议。"]})
    assert build_index([split, other], segmenter).postings[term] == build_index([whole, other], segmenter).postings[term]


def test_segmenting_a_text_again_gives_the_same_words_in_new_lists():
    segmenter = Segmenter()
    first = segmenter.phrases("村里成立乡贤议和小组，调解纠纷。")
    first[0].append("改动")
    assert segmenter.phrases("村里成立乡贤议和小组，调解纠纷。") == Segmenter().phrases("村里成立乡贤议和小组，调解纠纷。")


# ---- scores ----

def test_scores_do_not_depend_on_the_kind_of_page(segmenter):
    records = [_record(kind, "联席会议制度", body="联合党组织定期召开联席会议。") for kind in KINDS]
    index = build_index(records, segmenter)
    assert len({score for score in index.postings["联席会议"].values()}) == 1


def test_a_title_weighs_more_than_body_text(segmenter):
    index = build_index([_record(title="工作简报", body="网格长每天巡查。"),
                         _record(title="网格长", body="每天巡查。")], segmenter)
    assert rank(index, "网格长")[0][0] == 1


def test_every_word_of_the_query_counts(segmenter):
    index = build_index([_record(title="甲", body="三会一课" * 3),
                         _record(title="乙", body="三会一课，主题党日")], segmenter)
    assert rank(index, "三会一课 主题党日")[0][0] == 1


# ---- files ----

def test_index_files_are_scripts_that_register_their_data(index):
    files = index_files(index)
    assert set(files) >= {"search/idx/m.js", "search/idx/v0.js", "search/idx/p0.js", "search/idx/d0.js"}
    for path, text in files.items():
        match = re.fullmatch(r'HBSearch\.add\("([mvpd])",(null|\d+),(.*)\);\n', text, re.S)
        assert match, path
        json.loads(match.group(3))
    manifest = json.loads(files["search/idx/m.js"].split(",", 2)[2][:-3])
    assert manifest["records"] == len(index.records)
    assert all(f"search/idx/d{start}.js" in files for start in manifest["chunks"])


def test_the_manifest_names_a_version_that_changes_with_any_shard(index, segmenter):
    def version(files):
        return json.loads(files["search/idx/m.js"].split(",", 2)[2][:-3])["version"]

    files = index_files(index)
    assert re.fullmatch(r"[0-9a-f]{12}", version(files)) and version(index_files(index)) == version(files)
    changed = index_files(build_index([*index.records[:-1], _record(title="另一个", body="三会一课")], segmenter))
    assert version(changed) != version(files)


def test_every_word_is_in_its_shards(index):
    files = index_files(index)
    manifest = json.loads(files["search/idx/m.js"].split(",", 2)[2][:-3])
    for word in ("百户网格长", "三会一课", "c919"):
        vocabulary = files[f"search/idx/v{ord(word[0]) % manifest['vocabularyShards']}.js"]
        postings = files[f"search/idx/p{fnv1a(word) % manifest['postingsShards']}.js"]
        assert f'"{word}"' in vocabulary and f'"{word}":[' in postings


def test_shards_grow_in_number_not_in_size(segmenter):
    body = "。".join(f"第{i}号网格由网格长{i}负责巡查第{i * 7}户" for i in range(400))
    records = [_record(title=f"案例{i}", body=body + f"编号{i}号") for i in range(60)]
    files = index_files(build_index(records, segmenter))
    manifest = json.loads(files["search/idx/m.js"].split(",", 2)[2][:-3])
    assert manifest["postingsShards"] > 1 and len(manifest["chunks"]) > 1
    for path, text in files.items():
        name = path.rsplit("/", 1)[1]
        limit = {"v": VOCAB_SHARD_BYTES, "p": POSTINGS_SHARD_BYTES, "d": RECORDS_CHUNK_BYTES}.get(name[0])
        if limit and name[0] != "d":
            assert len(text.encode()) < 3 * limit, path


def test_fnv1a_matches_the_reference_values():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C


def test_site_index_is_built_for_either_url_style():
    online = search_index_files(COLLECTION)
    offline = search_index_files(COLLECTION, directory_urls=False)
    assert '"cases/gucheng/"' in "".join(online.values())
    assert '"cases/gucheng.html"' in "".join(offline.values())


# ---- queries (the Python twin of handbook-search.js) ----

def test_longest_match_over_the_index_words(index):
    vocabulary = set(index.postings)
    assert segment(vocabulary, "百户网格长") == ["百户网格长"]
    assert segment(vocabulary, "ＡＲＪ２１") == ["arj21"]


def test_an_unfinished_last_word_is_completed(index):
    words = query_words(set(index.postings), "红色商")
    assert words[-1].completions and "红色商街" in words[-1].completions
    assert _pages(index, "红色商")[:2] and "cases/chifeng/" in _pages(index, "红色商")[:2]


def test_question_words_do_not_rank(index):
    assert [w.text for w in query_words(set(index.postings), "怎么开联席会")] == ["开", "联席会"]
    assert _pages(index, "怎么开联席会")[0] == "standards/joint-meeting/"


@pytest.mark.parametrize("query, pages", [
    ("百户网格长", ("cases/gucheng/", "standards/grid-patrol/")),
    ("乡贤说事评理团", ("cases/gucheng/",)),
    ("中国商飞", ("cases/comac/",)),
])
def test_names_find_their_page(index, query, pages):
    assert _pages(index, query)[0] in pages


def test_a_title_holding_the_whole_query_is_ranked_again_first():
    words = [QueryWord("开", []), QueryWord("联席会", ["联席"])]
    titles = {0: "河南南阳：推进全域党建", 1: "联席会议与工作例会", 2: "开展联席会议"}
    results = [(0, 100.0), (1, 60.0), (2, 10.0)]
    assert [doc for doc, _ in rerank(results, words, titles.get)] == [1, 0, 2]  # 开 alone does not count
    assert rerank(results, words, lambda doc: "")[:2] == results[:2]
    assert title_holds("红色商街两个覆盖", [QueryWord("红色商", [], ("红色商街",))])




def test_a_title_holding_the_whole_query_ranks_first(segmenter):
    index = build_index([_record(title="网格工作", body="网格长每天走访，重点巡查。" * 2),
                         _record(title="网格长巡查办法", body="每天巡查一次。")], segmenter)
    assert rank(index, "网格长巡查")[0][0] == 1


def test_an_unseen_string_still_finds_the_pages_that_contain_it(index):
    # 网格长巡查 is nowhere a word; its parts are, and a page that says both comes first
    pages = _pages(index, "网格长巡查")
    assert pages[0] in ("cases/gucheng/", "standards/grid-patrol/")
