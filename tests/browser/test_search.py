"""Search quality in a real browser: hit@1 and MRR over a set of realistic Chinese queries."""

from __future__ import annotations

from pathlib import Path

import yaml

from .search import QUERY_BOX, search

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yaml").read_text(encoding="utf-8"))
TARGET_HIT_AT_1 = 0.9


def test_query_set_is_large_enough():
    assert len(QUERIES) >= 30


def test_search_quality(context, site_server, artifacts):
    page = context.new_page()
    rows, hits, reciprocal = [], 0, 0.0
    for item in QUERIES:
        results = search(page, site_server, item["query"])
        rank = next((i for i, p in enumerate(results, 1) if p in item["expect"]), None)
        hits += rank == 1
        reciprocal += 1 / rank if rank else 0
        rows.append(f"| {item['query']} | {rank or '—'} | {results[0] if results else '（无结果）'} | {', '.join(item['expect'])} |")
    hit_at_1, mrr = hits / len(QUERIES), reciprocal / len(QUERIES)
    report = [f"hit@1 = {hit_at_1:.1%} ({hits}/{len(QUERIES)}), MRR = {mrr:.3f}", "",
              "| query | rank | first result | expected |", "| --- | --- | --- | --- |", *rows]
    (artifacts / "search-report.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n" + "\n".join(report))
    assert context.request_log.foreign == []
    assert hit_at_1 >= TARGET_HIT_AT_1, "\n".join(report)


def test_traditional_query_is_converted_in_the_box(context, site_server):
    page = context.new_page()
    search(page, site_server, "聯合黨委")
    assert page.input_value(QUERY_BOX) == "联合党委"
