"""Every broken record in tests/bad_records gives exactly the errors its `# expect:` lines name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import run_handbook
from handbook.errors import ContentErrors
from handbook.load.loader import load_collection

CORPUS = Path(__file__).parent / "bad_records"
BAD = sorted(CORPUS.glob("cases/*.yaml")) + sorted(CORPUS.glob("standards/*.md"))
_EXPECT = re.compile(r"^(?:# expect: (.*)|<!-- expect: (.*) -->)$")


def expected_errors(path: Path) -> list[str]:
    """Expected lines: `# expect: …` at the top of a YAML file, `<!-- expect: … -->` at the end of a
    Markdown file, or a sidecar `.expect` file for files that cannot hold text (binary, BOM, empty)."""
    sidecar = path.with_suffix(".expect")
    if sidecar.is_file():
        return sidecar.read_text(encoding="utf-8").splitlines()
    found = [_EXPECT.match(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [m.group(1) or m.group(2) for m in found if m]


def test_corpus_is_large_enough():
    assert len(BAD) >= 40
    assert all(expected_errors(path) for path in BAD)


@pytest.fixture(scope="module")
def buildable_fixture(tmp_path_factory) -> Path:
    """The fixture project plus the real mkdocs.yml, docs/ and overrides/: a site that builds."""
    project = tmp_path_factory.mktemp("corpus") / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "project", project)
    repo = Path(__file__).resolve().parent.parent
    shutil.copy(repo / "mkdocs.yml", project)
    for folder in ("docs", "overrides"):
        shutil.copytree(repo / folder, project / folder)
    return project


def _mkdocs_build_error(project: Path, caplog) -> str:
    """Run the site build in-process (as `mkdocs build --strict`) and return the error it logged."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
    caplog.clear()
    with pytest.raises(Abort):
        build(config)
    return "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")


@pytest.mark.parametrize("path", BAD, ids=[f"{p.parent.name}/{p.stem}" for p in BAD])
def test_bad_record_fails_the_site_build_with_the_same_errors(path, buildable_fixture, caplog):
    target = buildable_fixture / path.parent.name / path.name
    shutil.copy(path, target)
    try:
        message = _mkdocs_build_error(buildable_fixture, caplog)
    finally:
        target.unlink()
    expected = expected_errors(path)
    assert message.splitlines() == [f"{len(expected)} content error(s):", *expected]


@pytest.mark.parametrize("name", ["cases/bom.yaml", "cases/alias-bomb.yaml", "cases/yaml-syntax.yaml", "standards/unsafe-body-link.md"])
def test_site_build_command_exits_1_without_traceback(name, buildable_fixture):
    path = CORPUS / name
    target = buildable_fixture / path.parent.name / path.name
    shutil.copy(path, target)
    try:
        result = run_handbook("build", "--site-dir", "site", cwd=buildable_fixture)
    finally:
        target.unlink()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for line in expected_errors(path):
        assert line in result.stderr


@pytest.mark.parametrize("path", BAD, ids=[f"{p.parent.name}/{p.stem}" for p in BAD])
def test_bad_record_reports_exact_errors(path, fixture_project):
    shutil.copy(path, fixture_project / path.parent.name / path.name)
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    assert [str(e) for e in raised.value.errors] == expected_errors(path)


def test_all_files_reported_in_one_pass(fixture_project):
    for name in ("wrong-type-value", "tab-indent", "quote-not-in-source"):
        shutil.copy(CORPUS / "cases" / f"{name}.yaml", fixture_project / "cases")
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    files = {e.file for e in raised.value.errors}
    assert files == {"cases/wrong-type-value.yaml", "cases/tab-indent.yaml", "cases/quote-not-in-source.yaml"}


def test_validate_command_prints_every_error_and_exits_1(fixture_project):
    path = CORPUS / "cases" / "several-errors.yaml"
    shutil.copy(path, fixture_project / "cases")
    result = run_handbook("validate", cwd=fixture_project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected_errors(path) + ["4 error(s)"]


def test_validate_command_accepts_a_good_collection(fixture_project):
    result = run_handbook("validate", cwd=fixture_project)
    assert result.returncode == 0, result.stderr
    assert "1 cases, 3 cited figures, 1 standards" in result.stdout


def test_duplicate_ids_across_files(fixture_project):
    text = (fixture_project / "cases" / "sample.yaml").read_text(encoding="utf-8")
    (fixture_project / "cases" / "sample.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    assert [str(e) for e in raised.value.errors] == [
        "cases/sample.yml:1: id: expected a unique id, got 'sample' (also in cases/sample.yaml:1)"
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\xef\xbb\xbfid: x\n", "cases/x.yaml:1: (file): expected UTF-8 without a byte-order mark, got a BOM; save the file as UTF-8 (no BOM)"),
        (b"id: x\ntitle: \xb2\xe2\n", "cases/x.yaml:2: (file): expected UTF-8 text, got byte 0xb2 that is not UTF-8"),
        (b"", "cases/x.yaml:1: (file): expected a mapping of fields (key: value), got an empty file"),
        (b"- a\n- b\n", "cases/x.yaml:1: (file): expected a mapping of fields (key: value), got a list"),
        (b"id: x\n\x00\x01\x02", "cases/x.yaml:2: (file): expected text, got a NUL byte (binary file?)"),
        (b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "cases/x.yaml:1: yaml: expected at most 32 levels of nesting, found deeper"),
    ],
    ids=["bom", "not-utf8", "empty", "list", "binary", "deep-nesting"],
)
def test_unreadable_files(fixture_project, content, expected):
    (fixture_project / "cases" / "x.yaml").write_bytes(content)
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    assert [str(e) for e in raised.value.errors] == [expected]


def test_alias_bomb_is_refused_quickly(fixture_project):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    (fixture_project / "cases" / "x.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    assert [str(e) for e in raised.value.errors] == [
        "cases/x.yaml:2: yaml: expected plain data, found an alias (*name); write the value out instead"
    ]


def test_oversized_file_is_refused_without_reading_it(fixture_project):
    (fixture_project / "cases" / "x.yaml").write_bytes(b"# " + b"x" * 10_000_000 + b"\n")
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    assert [str(e) for e in raised.value.errors] == ["cases/x.yaml:1: (file): expected at most 1000 KB, got 10.0 MB"]
