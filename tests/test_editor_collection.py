"""The suite's content checks hold for any valid collection: the real one, and a copy with two
more (synthetic) cases that an editor could have added, each with its own source and quotes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from conftest import REPO, copy_handbook, run_handbook
from invariants import collection_problems
from handbook.load.loader import load_collection

EXTRA = Path(__file__).parent / "fixtures" / "extra_cases"


def add_extra_cases(project: Path) -> list[str]:
    """Copy the two synthetic cases into ``project``, dated after its current edition."""
    edition = yaml.safe_load((project / "cases" / "edition.yaml").read_text(encoding="utf-8"))
    published = max(e["date"] for e in edition["editions"])
    added = max(dt.date.today(), published + dt.timedelta(days=1)).isoformat()
    ids = []
    for path in sorted((EXTRA / "cases").glob("*.yaml")):
        text = path.read_text(encoding="utf-8").replace("date: 2026-11-24", f"date: {added}")
        (project / "cases" / path.name).write_text(text, encoding="utf-8")
        ids.append(path.stem)
    for source in (EXTRA / "cases" / "sources").iterdir():
        shutil.copy(source, project / "cases" / "sources" / source.name)
    return ids


def test_the_real_collection_keeps_its_invariants(built_handbook):
    assert collection_problems(built_handbook) == []


def test_two_added_cases_keep_every_content_check_green(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    before = load_collection(project)
    ids = add_extra_cases(project)
    check = run_handbook("validate", cwd=project)
    assert check.returncode == 0, check.stderr
    after = load_collection(project)
    assert len(after.cases) == len(before.cases) + 2 and set(ids) <= {c.id for c in after.cases}
    # The additions hit what tests used to hard-code: a second 县, a second grid-patrol user, 双报到.
    assert sum(c.organisation.level == "县" for c in after.cases) >= 2
    assert len({r.case.id for r in after.practices_using("grid-patrol")}) >= 2
    build = run_handbook("build", "--site-dir", "site", cwd=project)
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr, build.stderr
    assert collection_problems(project) == []
    # The newest additions lead the home page's recent updates.
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    recent = home[home.index("最近更新"):]
    assert max(recent.find(f"cases/{case_id}/") for case_id in ids) < recent.find("cases/gucheng/")


def test_drafts_are_not_part_of_the_collection_or_of_git():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "cases/drafts/" in ignored


def test_the_trial_cases_validate_in_a_copy(tmp_path):
    """The two cases made in the editor trial (from a speech and from a Word document) stay valid."""
    project = copy_handbook(tmp_path / "handbook")
    trial = Path(__file__).parent / "fixtures" / "trial" / "cases"
    for path in trial.glob("*.yaml"):
        shutil.copy(path, project / "cases" / path.name)
    for path in (trial / "sources").iterdir():
        shutil.copy(path, project / "cases" / "sources" / path.name)
    check = run_handbook("validate", cwd=project)
    assert check.returncode == 0, check.stderr
