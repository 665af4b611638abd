"""Every broken record in tests/bad_records gives exactly the errors it expects.

Defects in the text itself (tabs, BOM, YAML syntax, aliases, duplicate keys, encoding) are raw
files in cases/ and standards/. Defects in a field's value are small changes to the fixture's
sample record in changes/: ``{base: sample, set: {path: value}, drop: [path], rename: {old: new},
expect: ["field: message"]}``, so a new required field is added to one file, not to every case.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_handbook
from handbook.errors import ContentErrors
from handbook.load.loader import load_collection

CORPUS = Path(__file__).parent / "bad_records"
BASES = Path(__file__).parent / "fixtures" / "project" / "cases"
BAD = sorted(CORPUS.glob("cases/*.yaml")) + sorted(CORPUS.glob("changes/*.yaml")) + sorted(CORPUS.glob("standards/*.md"))
_EXPECT = re.compile(r"^(?:# expect: (.*)|<!-- expect: (.*) -->)$")
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def corpus_file(name: str) -> Path:
    """A case of the corpus by name, whether a change to the sample or a raw file."""
    change = CORPUS / "changes" / f"{name}.yaml"
    return change if change.is_file() else CORPUS / "cases" / f"{name}.yaml"


def target_of(path: Path) -> str:
    """Where the bad record goes in the project: a change becomes cases/<name>.yaml."""
    return f"cases/{path.name}" if path.parent.name == "changes" else f"{path.parent.name}/{path.name}"


def content_of(path: Path) -> bytes:
    """The bad record's bytes: a raw file as it is, a change applied to its base record."""
    if path.parent.name != "changes":
        return path.read_bytes()
    change = yaml.safe_load(path.read_text(encoding="utf-8"))
    record = yaml.safe_load((BASES / f"{change['base']}.yaml").read_text(encoding="utf-8"))
    record["id"] = path.stem  # the id must match the file name, unless the change says otherwise
    for field, value in change.get("set", {}).items():
        *parents, last = _loc(field)
        _walk(record, parents)[last] = value
    for field in change.get("drop", []):
        *parents, last = _loc(field)
        del _walk(record, parents)[last]
    for field, new_name in change.get("rename", {}).items():
        *parents, last = _loc(field)
        mapping = _walk(record, parents)
        renamed = {new_name if key == last else key: value for key, value in mapping.items()}  # same place
        mapping.clear()
        mapping.update(renamed)
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def place(path: Path, project: Path) -> Path:
    target = project / target_of(path)
    target.write_bytes(content_of(path))
    return target


def _loc(field: str) -> list:
    """'metrics[0].value' → ['metrics', 0, 'value'] ('(file)' → [])."""
    return [] if field == "(file)" else [int(index) if index else key for key, index in _STEP.findall(field)]


def _walk(data, loc):
    for step in loc:
        data = data[step]
    return data


def _line_of(text: str, loc: list) -> int:
    """The line of the field at ``loc`` in YAML text, or of its nearest ancestor when it is missing."""
    node, line = yaml.compose(text), 1
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            entry = next(((k, v) for k, v in node.value if k.value == step), None)
            if entry is None:
                break
            line, node = entry[0].start_mark.line + 1, entry[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def expected_errors(path: Path) -> list[str]:
    """Expected lines: `# expect: …` at the top of a YAML file, `<!-- expect: … -->` at the end of a
    Markdown file, a sidecar `.expect` file for files that cannot hold text (binary, BOM, empty),
    or a change's `expect` list, placed at the line of each field in the changed record."""
    if path.parent.name == "changes":
        text = content_of(path).decode("utf-8")
        rows = []
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["expect"]:
            field, message = entry.split(": ", 1)
            rows.append((_line_of(text, _loc(field)), field, message))
        return [f"{target_of(path)}:{line}: {field}: {message}" for line, field, message in sorted(rows)]
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
    target = place(path, buildable_fixture)
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


def test_a_broken_override_template_is_one_line_naming_template_and_page(buildable_fixture):
    template = buildable_fixture / "overrides" / "handbook" / "case.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("# {{ case.title }}\n{{ case.titel }}\n", encoding="utf-8")
    expected = "overrides/handbook/case.md.j2:2 → cases/sample.md: UndefinedError: 'handbook.model.case.CaseRecord object' has no attribute 'titel'"
    try:  # the plugin turns the RenderError into one PluginError line
        result = run_handbook("build", "--site-dir", "site", cwd=buildable_fixture)
    finally:
        template.unlink()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "titel" in line]
    assert len(lines) == 1 and lines[0].startswith("ERROR") and lines[0].endswith(f"-  {expected}")


@pytest.mark.parametrize("path", BAD, ids=[f"{p.parent.name}/{p.stem}" for p in BAD])
def test_bad_record_reports_exact_errors(path, fixture_project):
    place(path, fixture_project)
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    assert [str(e) for e in raised.value.errors] == expected_errors(path)


def test_all_files_reported_in_one_pass(fixture_project):
    for name in ("wrong-type-value", "tab-indent", "quote-not-in-source"):
        place(corpus_file(name), fixture_project)
    with pytest.raises(ContentErrors) as raised:
        load_collection(fixture_project)
    files = {e.file for e in raised.value.errors}
    assert files == {"cases/wrong-type-value.yaml", "cases/tab-indent.yaml", "cases/quote-not-in-source.yaml"}


def test_validate_command_prints_every_error_and_exits_1(fixture_project):
    path = corpus_file("several-errors")
    place(path, fixture_project)
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
