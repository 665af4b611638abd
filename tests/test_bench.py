"""The benchmark never runs in CI, but its padded collections must stay valid and its table honest."""

from __future__ import annotations

import shutil
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts" / "bench"))

import padding  # noqa: E402
import profile_build  # noqa: E402
import run  # noqa: E402

from handbook.load.loader import load_collection  # noqa: E402


def test_padded_collection_loads_and_has_a_baseline(tmp_path):
    project = padding.padded_project(tmp_path / "padded", 12)
    collection = load_collection(project)
    assert len(collection.cases) == 12 and collection.metric_count > 84
    baseline = run.baseline_project(project, tmp_path / "baseline")
    assert baseline.joinpath("docs", "cases", "syn-00000.md").is_file()
    assert baseline.joinpath("docs", "cases", "gucheng.md").is_file()
    assert "- handbook" not in baseline.joinpath("mkdocs.yml").read_text(encoding="utf-8")


def test_indexed_lookups_match_their_definitions(tmp_path):
    """The collection answers similar-case and matrix questions from indexes built once (so large
    collections stay linear); they must give exactly what a scan of every case gives."""
    collection = load_collection(padding.padded_project(tmp_path / "padded", 40))

    def features(case):
        return set(case.mechanisms) | {s.id for s in collection.standards_of(case)}

    for case in collection.cases:
        scored = sorted((-len(features(case) & features(other)), other.id) for other in collection.cases
                        if other.id != case.id and features(case) & features(other))
        assert [c.id for c in collection.similar_cases(case)] == [case_id for _, case_id in scored[:3]]
        for standard in collection.standards:
            expected = [ref for ref in collection.practices_using(standard.id) if ref.case.id == case.id]
            assert collection.matrix_cell(case, standard.id) == expected


def _row(size, **search):
    row = {"size": size, "ours": size * 0.06, "ours_cpu": size * 0.05, "baseline": size * 0.07, "peak": 500, "base_peak": 400,
           "warm": size * 0.0025, "warm_cpu": size * 0.002, "warm_peak": 300, "warm_identical": True, "site": 1e8,
           "first_raw": 900_000, "first_gz": 250_000, "latency_median": 40.0, "latency_max": 80.0, "unanswered": 0,
           "edit_runs": None, "edit_pages": None}
    return row | search


def test_table_reports_search_figures_and_judges_them_at_ten_thousand():
    text = run.table([_row(1000), _row(10000, first_gz=420_000, latency_max=None, unanswered=2)])
    assert "| 1,000 |" in text and "900 KB / 250 KB | 40 ms / 80 ms |" in text
    assert "40 ms / —, 2 of 5 unanswered |" in text
    assert "| downloaded before the first search result at 10,000 cases (gzip) | 420 KB | 300 KB | not met (40% over) |" in text
    assert "| slowest search answer after the keystroke at 10,000 cases (CPU ×4) | no answer | 100 ms | not met |" in text
    assert "met" not in run.table([_row(100)])  # limits are judged from 1,000 cases on


def test_table_judges_every_target_of_issue_19():
    text = run.table([_row(1000, warm_identical=False), _row(10000, warm=15.0, peak=1600)])
    assert "| warm rebuild, nothing changed, ms per case at 1,000 cases | 2.5 ms | 2.0 ms | not met (25% over) |" in text
    assert "| warm rebuild byte-identical to the cold build at 1,000 cases | no | yes | not met |" in text
    assert "| warm rebuild, nothing changed, ms per case at 10,000 cases | 1.5 ms | 2.0 ms | met |" in text
    assert "| warm rebuild byte-identical to the cold build at 10,000 cases | yes | yes | met |" in text
    assert "| cold build, ms per case at 10,000 cases (stretch: 6 ms) | 60.0 ms | 10.0 ms | not met (6.0× the limit) |" in text
    assert "| t(10k) / t(1k) | 10.0 | 10.5 | met |" in text
    assert "| peak RSS at 10,000 cases | 1600 MB | 1500 MB | not met (7% over) |" in text
    assert "| edit loop at 1,000 cases: saved record → every page showing it served by mkdocs serve (median of 3) | not measured |" in text


def test_table_judges_the_edit_loop_by_its_median():
    text = run.table([_row(1000, edit_runs=[2.5, 1.5, 9.0], edit_pages=31, edit_cpu=[1.0, 1.2, 3.0])])
    assert "| 2.5 s (2.5, 1.5, 9.0; 31 pages; server CPU 1.2 s) |" in text
    assert "served by mkdocs serve (median of 3) | 2500 ms | 2000 ms | not met (25% over) |" in text


def test_timing_reports_cpu_and_the_commands_own_peak(tmp_path):
    grow = "x = bytearray(200 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"
    large, small = (run.timed([sys.executable, "-c", code], tmp_path, timeout=60) for code in (grow, "pass"))
    assert large.peak > 200 > small.peak  # each run's own peak, not the largest so far
    assert large.cpu > 0 and large.wall > 0


def test_the_peak_is_of_the_whole_command_workers_included(tmp_path):
    """Two processes holding 150 MB each at the same time: the whole build held 300 MB."""
    hold = ("import subprocess, sys, time\n"
            "code = \"x = bytearray(150 << 20); x[::4096] = b'1' * len(x[::4096]); import time; time.sleep(1.5)\"\n"
            "workers = [subprocess.Popen([sys.executable, '-c', code]) for _ in range(2)]\n"
            "[w.wait() for w in workers]\n")
    both = run.timed([sys.executable, "-c", hold], tmp_path, timeout=60)
    assert both.peak > 290, both


def test_builds_have_a_time_limit(tmp_path):
    try:
        run.timed([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path, timeout=1)
    except SystemExit as error:
        assert "more than 1 s" in str(error)
    else:
        raise AssertionError("expected the bench to stop a build that runs too long")


def test_the_profile_summary_accounts_for_every_stage_of_a_real_build(fixture_project, tmp_path):
    for name in ("mkdocs.yml", "docs", "overrides"):  # the handbook's site around the one-case fixture
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, fixture_project / name)
    rows = dict(profile_build.profile_build(fixture_project, tmp_path / "site"))
    assert (tmp_path / "site" / "index.html").is_file()
    stages = [stage for stage, _ in profile_build.STAGES]
    assert all(rows[stage] > 0 for stage in stages), rows  # each stage's functions were found and ran
    assert rows["theme (Material's page template) and writing"] > 0
    assert sum(seconds for stage, seconds in rows.items() if not stage.startswith("total")) == pytest.approx(rows["total (under cProfile)"])
    with pytest.raises(SystemExit, match="build cache"):  # the build above left one: it would not be cold
        profile_build.profile_build(fixture_project, tmp_path / "again")
