"""Training blocks and session plans validate (good and bad), and render as pages (the PDFs: test_pdf.py)."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO, copy_handbook
from handbook.errors import ContentErrors
from handbook.load.loader import load_collection

COLLECTION = load_collection(REPO)
SEED_CASES = ["nanyang", "chifeng", "gucheng", "comac", "huadian"]


def test_the_seed_cases_carry_training_blocks():
    for case_id in SEED_CASES:
        training = COLLECTION.case(case_id).training
        assert training and len(training.questions) >= 3 and training.objectives and training.takeaways
        assert any(s.id == training.exercise.standard for s in COLLECTION.standards)


def test_three_session_plans():
    assert len(COLLECTION.sessions) >= 3
    for session in COLLECTION.sessions:
        assert sum(item.minutes for item in session.agenda) == session.duration


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda s: s.update(duration=100), "standards/sessions/new-secretary-basics.yaml:1: (file): expected the agenda to add up to duration (100 minutes), got 90"),
        (lambda s: s["cases"].append("nowhere"), "standards/sessions/new-secretary-basics.yaml:30: cases[2]: expected a case id from cases/, got 'nowhere'"),
        (lambda s: s.update(questions=s["questions"][:2]), "standards/sessions/new-secretary-basics.yaml:33: questions: expected at least 3 item(s), got 2"),
        (lambda s: s.update(id="other"), "standards/sessions/new-secretary-basics.yaml:1: id: expected the file name's id 'new-secretary-basics', got 'other'"),
    ],
    ids=["agenda-sum", "unknown-case", "too-few-questions", "id-mismatch"],
)
def test_bad_session_plans(tmp_path, change, expected):
    project = copy_handbook(tmp_path / "handbook")
    path = project / "standards" / "sessions" / "new-secretary-basics.yaml"
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(plan)
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(project)
    assert [str(e) for e in raised.value.errors] == [expected]


@pytest.mark.parametrize(
    "change, expected_field",
    [
        (lambda t: t.update(questions=t["questions"][:2]), "training.questions: expected at least 3 item(s), got 2"),
        (lambda t: t["exercise"].update(standard="no-such"), "training.exercise.standard: expected a standard id from standards/, got 'no-such'"),
        (lambda t: t.pop("objectives"), "training.objectives: expected this required field, found it missing"),
    ],
    ids=["two-questions", "unknown-standard", "no-objectives"],
)
def test_bad_training_blocks(tmp_path, change, expected_field):
    project = copy_handbook(tmp_path / "handbook")
    path = project / "cases" / "gucheng.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record["training"])
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(project)
    messages = [str(e) for e in raised.value.errors]
    assert len(messages) == 1 and messages[0].startswith("cases/gucheng.yaml:") and messages[0].endswith(expected_field)


def test_training_pages(built_handbook):
    site = built_handbook / "site"
    index = (site / "training" / "index.html").read_text(encoding="utf-8")
    for session in COLLECTION.sessions:
        assert f'href="{session.id}/"' in index
        html = (site / "training" / session.id / "index.html").read_text(encoding="utf-8")
        assert "data-hb-print" in html and html.count("分钟</td>") == len(session.agenda)
        assert f"<dd>{session.duration} 分钟</dd>" in html
    gucheng = (site / "cases" / "gucheng" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="教学要点">' in gucheng and "data-hb-print" in gucheng
