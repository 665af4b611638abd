"""The benchmark never runs in CI, but its synthetic collections must stay valid."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts" / "bench"))

import run  # noqa: E402

from handbook.load.loader import load_collection  # noqa: E402


def test_synthetic_collection_loads(tmp_path):
    project = run.synthetic_project(tmp_path / "synthetic", 12)
    collection = load_collection(project)
    assert len(collection.cases) == 12 and collection.metric_count > 12 * 8
    assert run.baseline_project(project, tmp_path / "baseline").joinpath("docs", "cases", "case-00000.md").is_file()


def test_indexed_lookups_match_their_definitions(tmp_path):
    """The collection answers similar-case and matrix questions from indexes built once (so large
    collections stay linear); they must give exactly what a scan of every case gives."""
    collection = load_collection(run.synthetic_project(tmp_path / "synthetic", 40))

    def features(case):
        return set(case.mechanisms) | {s.id for s in collection.standards_of(case)}

    for case in collection.cases:
        scored = sorted((-len(features(case) & features(other)), other.id) for other in collection.cases
                        if other.id != case.id and features(case) & features(other))
        assert [c.id for c in collection.similar_cases(case)] == [case_id for _, case_id in scored[:3]]
        for standard in collection.standards:
            expected = [ref for ref in collection.practices_using(standard.id) if ref.case.id == case.id]
            assert collection.matrix_cell(case, standard.id) == expected
