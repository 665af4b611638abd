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
