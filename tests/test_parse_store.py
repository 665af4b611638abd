"""Parsed YAML kept between builds (load/parse_store.py) gives back exactly what parsing gives."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from conftest import REPO, copy_handbook, run_handbook, tree_digest

from handbook.build_cache import FOLDER, BuildCache
from handbook.load.parse_store import parses_kept_in, read_yaml_kept
from handbook.load.yaml_reader import YamlProblem, read_yaml


def _typed(value):
    """The value with every type spelled out, so that 1 == 1.0 == True do not pass for each other."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _same_parse(first, second) -> bool:
    (data, lines), (data2, lines2) = first, second
    return (_typed(data) == _typed(data2) and lines.first_line == lines2.first_line
            and _typed(lines.lines) == _typed(lines2.lines) and _typed(lines.problems) == _typed(lines2.problems))


def _texts() -> list[tuple[str, str, int]]:
    """(name, text, first line) of every YAML text of the real project, standards' front matter included."""
    texts = [(p.name, p.read_text(encoding="utf-8"), 1)
             for p in sorted([*REPO.glob("cases/*.yaml"), *REPO.glob("standards/*.yaml"), *REPO.glob("standards/sessions/*.yaml")])]
    for path in sorted(REPO.glob("standards/*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        texts.append((path.name, front, 2))
    return texts


TRICKY = """\
id: 例子
year: 2023
share: 12.5
negative: -0.0
big: 123456789012345678901234567890
flag: true
empty:
date: 2023-02-01
when: 2023-02-01 10:20:30+08:00
notadate: 2023-02-30
octal: 0442
sexagesimal: 4:50
tagged: !!str 12
2024: 以年份为键
nested:
  - [1, "1", 1.0]
  - {a: null, b: [], c: {}}
"""


@pytest.mark.parametrize("name,text,first_line", [*_texts(), ("tricky.yaml", TRICKY, 1)], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "")
def test_a_kept_parse_is_the_parse(tmp_path, name, text, first_line):
    cache = BuildCache(tmp_path / "yaml")
    with parses_kept_in(cache):
        stored = read_yaml_kept(text, first_line)
        again = read_yaml_kept(text, first_line)
    assert cache.misses == 1 and cache.hits == 1, "the text was not stored, or not found again"
    assert _same_parse(stored, read_yaml(text, first_line)) and _same_parse(again, read_yaml(text, first_line))


def test_the_tricky_text_keeps_its_types(tmp_path):
    with parses_kept_in(BuildCache(tmp_path / "yaml")):
        read_yaml_kept(TRICKY)
        data, lines = read_yaml_kept(TRICKY)
    assert data[2024] == "以年份为键" and data["year"] == 2023 and type(data["share"]) is float
    assert data["date"] == dt.date(2023, 2, 1) and data["when"].utcoffset() == dt.timedelta(hours=8)
    assert data["notadate"] == "2023-02-30" and data["octal"] == "0442" and ("sexagesimal",) in lines.problems


def test_values_json_cannot_carry_are_parsed_every_time(tmp_path):
    text = "id: x\ndata: !!binary aGVsbG8=\n"  # reported as a tagged value; kept as bytes for the other checks
    cache = BuildCache(tmp_path / "yaml")
    with parses_kept_in(cache):
        first, second = read_yaml_kept(text), read_yaml_kept(text)
    assert cache.hits == 0 and not list(cache.folder.rglob("*.json"))
    assert first[0]["data"] == b"hello" and _same_parse(first, second) and _same_parse(first, read_yaml(text))


def test_a_text_that_does_not_parse_is_never_stored(tmp_path):
    cache = BuildCache(tmp_path / "yaml")
    with parses_kept_in(cache):
        for _ in range(2):
            with pytest.raises(YamlProblem):
                read_yaml_kept("title: [不闭合\n")
    assert not list(cache.folder.rglob("*.json"))


def test_a_warm_build_reuses_the_parses_and_is_byte_identical(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    first = run_handbook("build", "--site-dir", "site-cold", cwd=project)
    assert first.returncode == 0, first.stderr
    cold_reused, cold_total = map(int, re.search(r"the parsed YAML of (\d+) of (\d+) texts", first.stderr).groups())
    assert cold_reused <= 2 < cold_total  # only the glossary and edition file, which a build reads twice
    entries = sorted((project / FOLDER / "yaml").rglob("*.json"))
    entries[0].write_bytes(entries[0].read_bytes()[:50])  # a damaged entry is parsed again
    shutil.rmtree(project / FOLDER / "markdown")  # so that every page is converted from the loaded records
    second = run_handbook("build", "--site-dir", "site-warm", cwd=project)
    assert second.returncode == 0, second.stderr
    reused, total = map(int, re.search(r"the parsed YAML of (\d+) of (\d+) texts", second.stderr).groups())
    assert reused == total - 1 and total >= len(list(project.glob("cases/*.yaml")))
    assert tree_digest(project / "site-warm") == tree_digest(project / "site-cold")
