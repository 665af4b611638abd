"""Errors say how to fix: figures agree with their text, quotes show the nearest passage,
a reused source id blames the newer record, YAML slips get a hint, prose is clean Simplified."""

from __future__ import annotations

import pytest

from conftest import copy_handbook, run_handbook
from handbook.load.checks import figure_problems, nearest_passage
from handbook.load.source_text import match_key
from test_editor_collection import add_extra_cases

NEW = "cases/synthetic-yangli.yaml"


@pytest.mark.parametrize("value, unit, text", [
    (950, "件", "950余件"), (3, "万份", "3万多份"), (95, "%", "95%以上"), (1000, "条", "近千条"),
    (2, "亿千瓦", "突破2亿千瓦"), (7, "名", "学科带头人7名"), (100, "万元", "100余万元"), (3, "个", "约3个"),
])
def test_figures_that_agree_with_their_text(value, unit, text):
    assert figure_problems(value, unit, text) == []


@pytest.mark.parametrize("value, unit, text, field, words", [
    (95, "件", "950余件", "value", "expected the number written in text '950余件' (950), got 95"),
    (950, "万人", "950余件", "unit", "expected the unit that follows 950 in text '950余件', got '万人'"),
    (2380, "名", "2.38万名", "value", "put 万/亿 in unit"),
])
def test_figures_that_disagree_are_refused(value, unit, text, field, words):
    [(found_field, message)] = figure_problems(value, unit, text)
    assert found_field == field and words in message


@pytest.mark.parametrize("quote, marked", [
    ("吸纳驻地单位D员3.5万名参与基层治理", "[D→党]"),
    ("吸纳驻地单位党员3.5万名参与基治理", "[→层]"),
    ("吸纳驻地单位党员35万名参与基层治理", "[→.]"),
])
def test_nearest_passage_marks_the_difference(quote, marked):
    source = match_key("近年来，示范县在12个乡镇组建联合党委，吸纳驻地单位党员3.5万名参与基层治理。另一句。")
    shown = nearest_passage(match_key(quote), source)
    assert marked in shown, shown


@pytest.fixture
def project(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    add_extra_cases(project)
    assert run_handbook("validate", cwd=project).returncode == 0
    return project


def _errors(project) -> list[str]:
    result = run_handbook("validate", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return result.stderr.splitlines()[:-1]  # the last line counts them


def _edit(project, old: str, new: str, path: str = NEW) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_reused_source_id_blames_the_newer_record_only(project):
    text = (project / NEW).read_text(encoding="utf-8").replace("synthetic-yangli-report", "gucheng-report")
    (project / NEW).write_text(text, encoding="utf-8")  # the source's id and its citations
    errors = _errors(project)
    assert len(errors) == 1, errors  # not one per quote in standards that cite 谷城's source
    assert errors[0].startswith(f"{NEW}:") and "sources[0].id" in errors[0]
    assert "cases/gucheng.yaml" in errors[0] and "choose a new id" in errors[0]


def test_a_quote_error_shows_the_nearest_passage(project):
    _edit(project, "quote: 报到党员认领服务项目，年内办结群众诉求1.5万件。", "quote: 报到D员认领服务项目，年内办结群众诉求1.5万件。")
    [error] = _errors(project)
    assert "metrics[3].citation.quote" in error and "[D→党]" in error and "nearest passage" in error


def test_prose_with_d_or_traditional_characters_is_refused_with_the_fix(project):
    _edit(project, "全县村（社区）划分为网格，每个网格由一名党员担任网格长", "全縣村（社区）划分为网格，每个网格由一名D员担任网格长")
    errors = _errors(project)
    assert any("practices[0].text" in e and "write 縣→县" in e for e in errors), errors
    assert any("practices[0].text" in e and "expected 党 written out, got 'D'" in e for e in errors), errors


@pytest.mark.parametrize("old, new, hint", [
    ('unit: "%"', "unit: %", 'a value starting with % must be quoted: unit: "%"'),
    ("title: 样例县：网格连民心", "title: 样例县: 网格连民心", "write the full-width colon ："),
])
def test_yaml_slips_get_a_one_line_hint(project, old, new, hint):
    _edit(project, old, new)
    [error] = _errors(project)
    assert error.startswith(f"{NEW}:") and hint in error


def test_value_and_unit_must_agree_with_text_in_a_record(project):
    _edit(project, "    value: 860\n", "    value: 86\n")
    [error] = _errors(project)
    assert error.startswith(f"{NEW}:") and "metrics[1].value: expected the number written in text '860余个' (860), got 86" in error
