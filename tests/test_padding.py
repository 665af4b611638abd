"""The padding generator: distinct synthetic cases, the real ones untouched, valid, deterministic."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import yaml

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts" / "bench"))

import padding  # noqa: E402

from handbook.load.loader import load_collection  # noqa: E402

PADDED = 1000


def _synthetic(project):
    return sorted((project / "cases").glob("syn-*.yaml"))


def test_a_thousand_padded_cases_validate_and_share_no_distinctive_seed_term(tmp_path):
    start = time.perf_counter()
    project = padding.padded_project(tmp_path / "padded", PADDED)
    generated = time.perf_counter() - start
    result = subprocess.run([sys.executable, "-m", "handbook.cli", "validate"], cwd=project, capture_output=True, text=True, timeout=600)
    validated = time.perf_counter() - start - generated
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert f"ok: {PADDED} cases" in result.stdout
    print(f"\n{PADDED} cases: generated in {generated:.1f} s, validated in {validated:.1f} s")

    terms = padding.seed_terms()
    assert all(terms.values()) and "三百工程" in terms["models"] and "矛盾调解" in terms["unique tags"]
    assert "百户网：划小网格，选好百户网格长" in terms["practice titles"] and "1887人" in terms["figure texts"]
    searched = {kind: values for kind, values in terms.items() if kind != "figure texts"}
    files = _synthetic(project)
    assert len(files) == PADDED - len(padding.real_case_files(REPO / "cases"))
    for path in files:
        text = re.sub(r"[“”\"]", "", path.read_text(encoding="utf-8"))
        record = yaml.safe_load(text)
        for kind, values in searched.items():
            found = [v for v in values if v in text]
            assert not found, f"{path.name} contains the seeds' {kind}: {found}"
        assert not {m["text"] for m in record["metrics"]} & terms["figure texts"], path.name
        assert not set(record["mechanisms"]) & terms["unique tags"], path.name


def test_the_real_cases_keep_their_ids_and_files(tmp_path):
    project = padding.padded_project(tmp_path / "padded", 20)
    for case_id in padding.SEED_IDS:
        assert (project / "cases" / f"{case_id}.yaml").read_bytes() == (REPO / "cases" / f"{case_id}.yaml").read_bytes()
    collection = load_collection(project)
    assert len(collection.cases) == 20
    assert set(padding.SEED_IDS) <= {c.id for c in collection.cases}


def test_synthetic_cases_are_distinct_from_each_other(tmp_path):
    project = padding.padded_project(tmp_path / "padded", 300)
    records = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in _synthetic(project)]
    titles = {r["title"] for r in records}
    places = {(r["location"]["city"], r["location"]["county"]) for r in records}
    assert len(titles) > 0.95 * len(records) and len(places) > 0.95 * len(records)
    assert len({r["organisation"]["name"] for r in records}) > 0.8 * len(records)
    assert len({p["title"] for r in records for p in r["practices"]}) > 0.5 * sum(len(r["practices"]) for r in records)


def test_padding_is_deterministic_and_a_prefix_of_larger_collections(tmp_path):
    small = padding.padded_project(tmp_path / "small", 40)
    again = padding.padded_project(tmp_path / "again", 40)
    large = padding.padded_project(tmp_path / "large", 60, seed=7)
    other = padding.padded_project(tmp_path / "other", 40, seed=8)
    for path in _synthetic(small):
        assert path.read_bytes() == (again / "cases" / path.name).read_bytes() == (large / "cases" / path.name).read_bytes()
    assert any(path.read_bytes() != (other / "cases" / path.name).read_bytes() for path in _synthetic(small))


def test_fewer_cases_than_the_real_ones_is_refused(tmp_path):
    try:
        padding.padded_project(tmp_path / "x", 3)
    except ValueError as error:
        assert f"at least {len(padding.real_case_files(REPO / 'cases'))} " in str(error)
    else:
        raise AssertionError("expected a ValueError")
