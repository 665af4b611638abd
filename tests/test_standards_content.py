"""The handbook's own standards: enough of them, every category covered, fully cross-linked."""

from __future__ import annotations

from pathlib import Path

from handbook.load.loader import load_collection
from handbook.model.standard import CATEGORIES

COLLECTION = load_collection(Path(__file__).resolve().parent.parent)


def test_at_least_ten_standards_covering_all_categories():
    assert len(COLLECTION.standards) >= 10
    assert {s.category for s in COLLECTION.standards} == set(CATEGORIES)


def test_every_standard_is_practised_by_a_case():
    assert [s.id for s in COLLECTION.standards if not COLLECTION.practices_using(s.id)] == []


def test_every_case_practises_a_standard():
    assert [c.id for c in COLLECTION.cases if not COLLECTION.standards_of(c)] == []


def test_back_links_come_from_the_collection():
    for standard in COLLECTION.standards:
        refs = COLLECTION.practices_using(standard.id)
        expected = [(case.id, index) for case in COLLECTION.cases
                    for index, practice in enumerate(case.practices, start=1) if standard.id in practice.standards]
        assert sorted((r.case.id, r.index) for r in refs) == expected
    assert ("gucheng", 1) in [(r.case.id, r.index) for r in COLLECTION.practices_using("grid-patrol")]  # a seed case


def test_every_step_cites_and_every_actor_is_a_role():
    for standard in COLLECTION.standards:
        roles = {r.name for r in standard.roles}
        for step in standard.steps:
            # a step is cited, or shown as the editor's recommendation (编者建议)
            assert (step.cites or step.by_editor) and step.actor in roles, (standard.id, step.action)
