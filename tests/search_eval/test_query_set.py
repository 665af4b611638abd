"""The public query set: large enough, split evenly, every expected page a page of the handbook.

The set is frozen: derive.py wrote it from the content of November 2026 and the search was
tuned on its tune half only. An editor's new case must not turn the suite red, so the set is
not re-derived by the tests; `derive.py --check` tells a maintainer when the content has
moved far enough to write a new set (and a new split) on purpose.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = yaml.safe_load((HERE / "queries.yaml").read_text(encoding="utf-8"))
# classes whose entries take the half of the query they were made from (balanced only roughly)
INHERITED = {"traditional", "partial"}


def test_every_expected_page_is_a_page_of_the_handbook():
    from handbook.load.loader import load_collection

    collection = load_collection(HERE.parents[1])
    pages = {"glossary/"} | {f"cases/{c.id}/" for c in collection.cases} | {f"standards/{s.id}/" for s in collection.standards}
    pages |= {f"training/{s.id}/" for s in collection.sessions} | {"training/"}
    missing = sorted({page for item in QUERIES for page in item["expect"]} - pages)
    assert not missing, f"expected pages the handbook no longer has: {missing}"


def test_query_set_is_large_unique_and_complete():
    assert len(QUERIES) >= 150
    assert len({q["query"] for q in QUERIES}) == len(QUERIES)
    for item in QUERIES:
        assert set(item) <= {"query", "class", "half", "expect", "from"}, item
        assert item["half"] in ("tune", "report") and item["class"], item
        assert 1 <= len(item["expect"]) <= 4 and all(p.endswith("/") and "#" not in p for p in item["expect"]), item


def test_halves_are_balanced_by_class():
    counts = Counter((q["class"], q["half"]) for q in QUERIES)
    for cls in {q["class"] for q in QUERIES}:
        tune, report = counts[(cls, "tune")], counts[(cls, "report")]
        allowed = max(2, (tune + report) // 5) if cls in INHERITED else 1
        assert abs(tune - report) <= allowed, (cls, tune, report)


def test_every_kind_of_query_the_issue_names_is_there():
    classes = Counter(q["class"] for q in QUERIES)
    for cls in ("glossary-term", "practice-title", "organisation", "place", "person-role", "programme", "figure",
                "question", "paraphrase", "partial", "traditional"):
        assert classes[cls] >= 5 or cls == "person-role" and classes[cls] >= 3, (cls, classes[cls])
