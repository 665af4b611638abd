"""The handbook's own records: every cited sentence is in its source, every figure in its sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.load.loader import load_collection
from handbook.load.source_text import match_key, normalise_article

REPO = Path(__file__).resolve().parent.parent
COLLECTION = load_collection(REPO)
REQUIRED_CASES = {"nanyang", "chifeng", "gucheng", "comac", "huadian"}


def test_seed_cases_are_present():
    assert REQUIRED_CASES <= {c.id for c in COLLECTION.cases}


@pytest.mark.parametrize("case", COLLECTION.cases, ids=lambda c: c.id)
def test_every_quote_is_in_its_normalised_source(case):
    files = {s.id: s.file for s in case.sources}
    for metric in case.metrics:
        raw = (REPO / "cases" / files[metric.citation.source]).read_text(encoding="utf-8")
        assert match_key(metric.citation.quote) in match_key(normalise_article(raw)), metric.label
        assert match_key(metric.text) in match_key(metric.citation.quote), metric.label


@pytest.mark.parametrize("case_id", sorted(REQUIRED_CASES))
def test_each_seed_case_cites_at_least_eight_figures(case_id):
    # A quality bar for the seed cases only: a new case may cite fewer figures.
    assert len(COLLECTION.case(case_id).metrics) >= 8


def test_broken_huadian_figure_is_flagged_not_presented():
    huadian = COLLECTION.case("huadian")
    zero = [m for m in huadian.metrics if m.text == "0个"]
    assert len(zero) == 1 and zero[0].doubt


def test_records_are_clean_simplified_text():
    for path in sorted((REPO / "cases").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "哒哒" not in text and "paid" not in text
        assert not any(ch in text for ch in "黨組織聯區會員據節"), path.name
        # A masked 党 is a D touching a Chinese character but no Latin letter or digit (not DCS, C919).
        masked = re.findall(r"(?<=[\u4e00-\u9fff])D(?![A-Za-z0-9])|(?<![A-Za-z0-9])D(?=[\u4e00-\u9fff])", text)
        assert masked == [], path.name
