"""Hostile and careless input fails validation with file:line errors: never a hang, a traceback,
a file read outside the project, or a silent change of meaning (review 2026-11, issue 12).

Each test breaks a copy of the real handbook and runs `handbook validate` as a subprocess with a
timeout, so a regression that hangs fails the test instead of the suite.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_handbook
from handbook.errors import ContentError, ContentErrors, report_lines
from handbook.load.loader import load_collection
from handbook.load.markdown_body import MAX_ANGLES, MAX_BRACKETS, MAX_BODY_BYTES, SITE_EXTENSIONS, check_body
from handbook.model.addresses import reserved_ids

TIMEOUT = 60
GUCHENG = "cases/gucheng.yaml"
GUCHENG_SOURCE = "cases/sources/gucheng-sanbai-project.txt"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_handbook(tmp_path / "handbook")


def validate(project: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "handbook.cli", "validate", "--root", str(project)],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def errors_of(project: Path) -> list[str]:
    """The error lines `handbook validate` prints (it must exit 1)."""
    result = validate(project)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"\d+ error\(s\)", lines[-1]), lines[-1]
    return lines[:-1]


def edit(project: Path, relative: str, old: str | re.Pattern, new: str) -> None:
    """Replace the first ``old`` (text, or a compiled pattern for lines whose content may change)."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    if isinstance(old, re.Pattern):
        assert old.search(text), old.pattern
        path.write_text(old.sub(new.replace("\\", "\\\\"), text, count=1), encoding="utf-8")
        return
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, relative: str, fragment: str) -> int:
    lines = (project / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


# --- files that are not files: FIFOs, devices, paths outside cases/sources/ -----------------

def test_a_record_that_is_a_fifo_is_refused_without_blocking(project):
    os.mkfifo(project / "cases" / "pipe.yaml")
    assert errors_of(project) == ["cases/pipe.yaml:1: (file): expected a regular file, got a named pipe (FIFO)"]


def test_a_record_linked_to_dev_zero_is_refused_without_reading_it(project):
    (project / "cases" / "zero.yaml").symlink_to("/dev/zero")
    assert errors_of(project) == ["cases/zero.yaml:1: (file): expected a regular file, got a device"]


@pytest.mark.parametrize("make", ["fifo", "dev-zero", "outside", "too-large"])
def test_a_source_that_is_no_regular_file_in_cases_sources_is_not_read(project, tmp_path, make):
    source = project / GUCHENG_SOURCE
    source.unlink()
    if make == "fifo":
        os.mkfifo(source)
    elif make == "dev-zero":
        source.symlink_to("/dev/zero")
    elif make == "outside":  # a link escaping cases/sources/ is refused even to a readable file
        outside = tmp_path / "outside.txt"
        outside.write_text((REPO / GUCHENG_SOURCE).read_text(encoding="utf-8"), encoding="utf-8")
        source.symlink_to(outside)
    else:
        source.write_text("党建" * 400_000, encoding="utf-8")  # 2.4 MB
    line = line_of(project, GUCHENG, "file: sources/gucheng-sanbai-project.txt")
    assert errors_of(project) == [f"{GUCHENG}:{line}: sources[0].file: expected a readable UTF-8 file at "
                                  f"cases/sources/gucheng-sanbai-project.txt, found none"]


@pytest.mark.parametrize("path", ["/etc/passwd", "FIFO", "sources/../../standards/glossary.yaml"])
def test_a_broken_record_never_opens_a_source_path_outside_cases_sources(project, tmp_path, path):
    if path == "FIFO":  # opening it would block forever: the timeout turns that into a failure
        os.mkfifo(tmp_path / "fifo.txt")
        path = str(tmp_path / "fifo.txt")
    edit(project, GUCHENG, "file: sources/gucheng-sanbai-project.txt", f"file: {path}")
    errors = errors_of(project)
    assert len(errors) == 1, errors
    assert "sources[0].file: expected text matching" in errors[0]


# --- numbers and YAML 1.1 surprises ---------------------------------------------------------

@pytest.mark.parametrize("written, message", [
    (".nan", "expected a finite number, got .nan"),
    (".inf", "expected a finite number, got .inf"),
    ("-.inf", "expected a finite number, got -.inf"),
    ("1.0e+309", "expected a number in plain decimal"),
    ("1e309", "expected a number in plain decimal"),
    ("0442", "expected a number in plain decimal"),
    ("4:50", "expected a number in plain decimal"),
    ("0x122", "expected a number in plain decimal"),
    ("2_90", "expected a number in plain decimal"),
    ('!!int "0x122"', "expected a plain value, got one tagged !!int"),
    ("!!float 290", "expected a plain value, got one tagged !!float"),
    ("２９０", "expected a number in plain decimal"),
])
def test_a_figure_not_written_in_plain_decimal_is_an_error_with_a_hint(project, written, message):
    edit(project, GUCHENG, "value: 290\n", f"value: {written}\n")
    line = line_of(project, GUCHENG, f"value: {written}")
    errors = errors_of(project)
    assert len(errors) == 1 and errors[0].startswith(f"{GUCHENG}:{line}: metrics[0].value: {message}"), errors
    if "plain decimal" in message:
        assert "write the number as the source writes it, in plain decimal" in errors[0]


@pytest.mark.parametrize("field, old, new, message", [
    ("model", "model: 三百工程", "model: !!binary 5LiJ55m+5bel56iL", "expected a plain value, got one tagged !!binary"),
    ("period.as_of", re.compile(r"^  as_of: .*$", re.M), '  as_of: "２０２２"', "expected YYYY, YYYY-MM, YYYY-MM-DD"),
    ("period.start", "  start: 2022", "  start: 0x7E6", "expected"),
    ("period.start", "  start: 2022", "  start: 03746", "expected"),
    ("period.start", "  start: 2022", "  start: 2_022", "expected a number in plain decimal, got 2_022 (YAML reads it as 2022)"),
    ("location.coordinates.lat", "lat: 32.26", "lat: .nan", "expected"),
])
def test_yaml_coercions_in_other_fields_are_errors(project, field, old, new, message):
    edit(project, GUCHENG, old, new)
    errors = errors_of(project)
    assert len(errors) == 1 and f": {field}: {message}" in errors[0], errors


# --- dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["9999-12-31", "2206-11-23", "1900-01-01"])
def test_history_dates_outside_1921_to_today_are_errors(project, date):
    edit(project, GUCHENG, "  - date: 2026-11-23\n    change: added", f"  - date: {date}\n    change: added")
    line = line_of(project, GUCHENG, f"date: {date}")
    assert errors_of(project) == [f"{GUCHENG}:{line}: history[0].date: expected a date from 1921 to today, got '{date}'"]


def test_a_source_date_of_0000_says_what_a_date_is(project):
    edit(project, GUCHENG, "    publisher: 原文未署名\n", "    publisher: 原文未署名\n    date: 0000\n")
    line = line_of(project, GUCHENG, "date: 0000")
    assert errors_of(project) == [f"{GUCHENG}:{line}: sources[0].date: expected a date from 1921 to today "
                                  "(YYYY, YYYY-MM or YYYY-MM-DD), got '0000'"]


# --- standard bodies: bounded and converted while validating --------------------------------

@pytest.mark.parametrize("body, message", [
    ("[" * 16000, f"expected at most {MAX_BRACKETS} '[' in one paragraph"),
    ("![" * 32000, f"expected notes of at most {MAX_BODY_BYTES // 1000} KB"),
    ("![" * 10000, f"expected at most {MAX_BRACKETS} '[' in one paragraph"),
    ("<a " * 8000, f"expected at most {MAX_ANGLES} '<' in the notes"),
    ("<a\n\n" * 4000, f"expected at most {MAX_ANGLES} '<' in the notes"),
    ("\\[a " * 4000, f"expected at most {MAX_BRACKETS} '[' in one paragraph"),
    ("".join("    " * i + "- x\n" for i in range(100)), "expected lists and blocks nested at most"),
    ("".join("> " * i + "x\n" for i in range(150)), "expected lists and blocks nested at most"),
    ("".join("    " * i + "- x\n" for i in range(300)), f"expected notes of at most {MAX_BODY_BYTES // 1000} KB"),
    ("- " * 300 + "x\n", "expected lists and blocks nested at most"),
])
def test_a_standard_body_that_would_hang_or_crash_the_build_fails_validation_fast(project, body, message):
    path = project / "standards" / "joint-meeting.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    started = time.monotonic()
    errors = errors_of(project)
    assert time.monotonic() - started < 20
    assert len(errors) == 1 and errors[0].startswith("standards/joint-meeting.md:") and message in errors[0], errors


@pytest.mark.parametrize("paragraph", ["[" * MAX_BRACKETS + " x\n\n", "<a " * 32 + "\n\n",
                                       "![" * MAX_BRACKETS + "\n\n", "[a](" * (MAX_BRACKETS // 2) + "\n\n"])
def test_the_worst_bodies_within_the_bounds_convert_quickly(paragraph):
    body = paragraph * (MAX_BODY_BYTES // len(paragraph.encode("utf-8")))
    if "<" in paragraph:
        body = paragraph * (MAX_ANGLES // paragraph.count("<")) + "x\n\n" * (MAX_BODY_BYTES // 4)
    started = time.monotonic()
    assert check_body(body, 10, "standards/x.md") == []
    assert time.monotonic() - started < 5


def test_validation_parses_bodies_with_the_sites_markdown_extensions():
    class Tolerant(yaml.SafeLoader):
        pass

    Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/...
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Tolerant)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names == SITE_EXTENSIONS


# --- front matter ends at a column-0 '---', not at one inside a template --------------------

SEPARATED = "      主持：______    记录：______\n      ---\n      参会单位及人员：______\n"


@pytest.mark.parametrize("history_first", [False, True], ids=["history-after", "history-before"])
def test_a_dashes_line_inside_a_template_body_does_not_end_the_front_matter(project, history_first):
    edit(project, "standards/joint-meeting.md", "      主持：______    记录：______\n      参会单位及人员：______\n", SEPARATED)
    if history_first:
        history = "history:\n  - {date: 2026-11-23, change: added, note: 首次收录。}\n"
        edit(project, "standards/joint-meeting.md", history, "")
        edit(project, "standards/joint-meeting.md", "templates:\n", history + "templates:\n")
    assert validate(project).returncode == 0
    standard = next(s for s in load_collection(project).standards if s.id == "joint-meeting")
    assert "      ---" not in standard.body and "pitfalls" not in standard.body
    assert "\n---\n参会单位及人员" in standard.templates[0].body and standard.templates[0].body.endswith("分送：各成员党组织")
    assert len(standard.pitfalls) == 2


# --- one broken file, one report ------------------------------------------------------------

@pytest.mark.parametrize("damage", ["syntax", "bom", "not-utf8", "too-large", "schema"])
def test_a_broken_record_is_reported_once_without_cascading_into_its_citers(project, damage):
    path = project / GUCHENG
    text = path.read_text(encoding="utf-8")
    if damage == "syntax":
        path.write_text(text.replace("model: 三百工程", "model: [三百工程"), encoding="utf-8")
    elif damage == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif damage == "not-utf8":
        path.write_bytes(text.encode("utf-8").replace("三百工程".encode("utf-8"), "三百工程".encode("gbk"), 1))
    elif damage == "too-large":
        path.write_text(text + "#" * 1_100_000 + "\n", encoding="utf-8")
    else:
        path.write_text(text.replace("model: 三百工程", "model: [三百工程]"), encoding="utf-8")
    errors = errors_of(project)
    assert len(errors) == 1 and errors[0].startswith(GUCHENG + ":"), errors


def test_the_error_report_is_capped_per_file_and_counts_the_rest(project):
    metric = ("  - label: 划分的网\n    value: 约3万\n    unit: 个\n    text: 290个村（社区）\n    as_of: 未注明\n"
              "    citation: {source: gucheng-report, quote: 不在原文里的一句话}\n")
    edit(project, GUCHENG, "metrics:\n", "metrics:\n" + metric * 2500)
    started = time.monotonic()
    result = validate(project)
    assert time.monotonic() - started < 30
    lines = result.stderr.splitlines()
    assert len(lines) == 22, lines[:3]
    assert all(line.startswith(f"{GUCHENG}:") for line in lines[:20])
    assert lines[-2] == f"… and {2500 - 20} more in {GUCHENG}" and lines[-1] == "2500 error(s)"


def test_the_report_caps_the_total_over_many_files():
    errors = [ContentError(f"cases/c{i:03}.yaml", n, "x", "expected y, got z") for i in range(100) for n in range(5)]
    lines = report_lines(errors, per_file=20, total=200)
    assert len([line for line in lines if not line.startswith("…")]) == 200
    assert lines[200] == "… and 0 more in cases/c000.yaml" or "… and 5 more in cases/c040.yaml" in lines
    assert sum(int(re.search(r"and (\d+) more", line).group(1)) for line in lines[200:]) == 300
    assert str(ContentErrors(errors)).splitlines() == report_lines(sorted(errors))


# --- names that would be skipped or would hide a generated page -----------------------------

@pytest.mark.parametrize("name", ["gucheng.YAML", "nantong.Yaml", "nantong.YML", "nantong.yaml.txt"])
def test_a_case_file_with_a_near_miss_extension_is_an_error_not_ignored(project, name):
    (project / "cases" / name).write_text("id: x\n", encoding="utf-8")
    errors = errors_of(project)
    assert len(errors) == 1 and errors[0].startswith(f"cases/{name}:1: (file): expected a name ending in .yaml or .yml"), errors


@pytest.mark.parametrize("name, shown, expected", [
    ("standards/sessions/extra.yml", "standards/sessions/extra.yml", ".yaml, got 'extra.yml' (not read); rename it to extra.yaml"),
    ("standards/extra.MD", "standards/extra.MD", ".md, got 'extra.MD' (not read); rename it to extra.md"),
    ("standards/extra.markdown", "standards/extra.markdown", ".md, got 'extra.markdown' (not read); rename it to extra.md"),
])
def test_standard_and_session_files_with_a_near_miss_extension_are_errors(project, name, shown, expected):
    (project / name).write_text("id: x\n", encoding="utf-8")
    assert errors_of(project) == [f"{shown}:1: (file): expected a name ending in {expected}"]


def test_backup_and_hidden_files_stay_ignored(project):
    for name in ("gucheng.yaml~", ".gucheng.yaml.swp", "gucheng.yaml.bak", "notes.txt"):
        (project / "cases" / name).write_text("junk: [\n", encoding="utf-8")
    assert validate(project).returncode == 0


@pytest.mark.parametrize("folder, record_id", [("cases", "index"), ("cases", "map"), ("cases", "all"),
                                               ("standards", "index"), ("standards", "matrix"), ("sessions", "index")])
def test_an_id_that_is_a_generated_page_address_is_an_error(project, folder, record_id):
    if folder == "cases":
        source, target, old = project / GUCHENG, project / "cases" / f"{record_id}.yaml", "id: gucheng"
    elif folder == "standards":
        source, target, old = project / "standards/joint-meeting.md", project / "standards" / f"{record_id}.md", "id: joint-meeting"
    else:
        source = project / "standards/sessions/new-secretary-basics.yaml"
        target, old = source.with_name(f"{record_id}.yaml"), "id: new-secretary-basics"
    source.rename(target)
    edit(project, target.relative_to(project).as_posix(), old, f"id: {record_id}")
    shown = target.relative_to(project).as_posix()
    errors = [e for e in errors_of(project) if e.startswith(f"{shown}:")]
    line = line_of(project, shown, f"id: {record_id}")
    assert len(errors) == 1 and errors[0].startswith(f"{shown}:{line}: id: expected an id other than the generated pages'"), errors


def test_reserved_ids_cover_every_page_the_renderer_puts_next_to_records(fixture_project):
    from handbook.render.pages import render_pages

    collection = load_collection(fixture_project)
    records = {"cases": {c.id for c in collection.cases}, "standards": {s.id for s in collection.standards},
               "training": {s.id for s in collection.sessions}}
    pages = render_pages(collection, list_page_size=1)  # paged lists too
    for page in pages:
        folder, _, rest = page.src_uri.partition("/")
        if folder in records and rest:
            name = rest.split("/")[0].removesuffix(".md")
            assert name in records[folder] or name in reserved_ids(folder), page.src_uri


# --- invisible and control characters -------------------------------------------------------

@pytest.mark.parametrize("old, new, field, shown", [
    ("title: 湖北谷城", 'title: "\\u200b"\nx_title: 湖北谷城', "title", "\\u200b"),
    ("title: 湖北谷城：", 'title: "湖北谷城\\u202eevil\\u202c：', "title", "\\u202e"),
    ("sectors: [农村,", 'sectors: ["农\\u200b村",', "sectors[0]", "\\u200b"),
    ("model: 三百工程", 'model: "三百\\a工程\\e[31m"', "model", "\\x07"),
    ("  name: 中共谷城县委", '  name: "中共谷城县委\\ufeff"', "organisation.name", "\\ufeff"),
    ("note: 首次收录。", 'note: "首次收录\\e]0;pwned\\a。"', "history[0].note", "\\x1b"),
])
def test_invisible_and_control_characters_are_refused_and_shown_escaped(project, old, new, field, shown):
    if new.startswith('title: "\\u200b"'):
        new = 'title: "\\u200b"'
        text = (project / GUCHENG).read_text(encoding="utf-8")
        title_line = next(line for line in text.splitlines() if line.startswith("title:"))
        (project / GUCHENG).write_text(text.replace(title_line, new, 1), encoding="utf-8")
    else:
        if old.startswith("title: 湖北谷城："):
            text = (project / GUCHENG).read_text(encoding="utf-8")
            title_line = next(line for line in text.splitlines() if line.startswith("title:"))
            new = 'title: "' + title_line.removeprefix("title: ").replace("：", "\\u202eevil\\u202c：", 1) + '"'
            old = title_line
        edit(project, GUCHENG, old, new)
    result = validate(project)
    assert result.returncode == 1
    assert not any(ch in result.stderr for ch in "\x07\x1b\u200b\u202e\ufeff"), repr(result.stderr)
    errors = result.stderr.splitlines()[:-1]
    assert len(errors) == 1 and f": {field}: expected" in errors[0] and shown in errors[0], errors


def test_a_control_character_in_a_standard_body_is_an_error_at_the_body(project):
    path = project / "standards" / "joint-meeting.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n响铃\x07\x1b[2J\n", encoding="utf-8")
    body_line = line_of(project, "standards/joint-meeting.md", "## 说明") - 1
    result = validate(project)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    errors = result.stderr.splitlines()[:-1]
    assert len(errors) == 1 and errors[0].startswith(f"standards/joint-meeting.md:{body_line}: body: expected text without control "
                                                     "characters, got the invisible character \\x07"), errors


def test_a_standard_with_crlf_line_ends_still_validates(project):
    path = project / "standards" / "joint-meeting.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert validate(project).returncode == 0


@pytest.mark.parametrize("damage", ["syntax", "fifo"])
def test_a_broken_glossary_is_reported_once(project, damage):
    path = project / "standards" / "glossary.yaml"
    if damage == "syntax":
        path.write_text(path.read_text(encoding="utf-8").replace("terms:", "terms: [", 1), encoding="utf-8")
    else:
        path.unlink()
        os.mkfifo(path)
    errors = errors_of(project)
    assert len(errors) == 1 and errors[0].startswith("standards/glossary.yaml:"), errors


def test_an_edition_file_that_is_a_device_link_is_reported(project):
    path = project / "cases" / "edition.yaml"
    path.unlink()
    path.symlink_to("/dev/zero")
    assert errors_of(project) == ["cases/edition.yaml:1: (file): expected a regular file, got a device"]


def test_the_build_prints_the_same_capped_report(project):
    metric = ("  - label: 划分的网\n    value: 约3万\n    unit: 个\n    text: 290个村（社区）\n    as_of: 未注明\n"
              "    citation: {source: gucheng-report, quote: 不在原文里的一句话}\n")
    edit(project, GUCHENG, "metrics:\n", "metrics:\n" + metric * 100)
    reported = validate(project).stderr.splitlines()[:-1]
    result = subprocess.run([sys.executable, "-m", "handbook.cli", "build", "--root", str(project), "--site-dir", "site"],
                            capture_output=True, text=True, timeout=TIMEOUT, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith("100 content error(s):"))
    assert lines[start + 1:start + 1 + len(reported)] == reported
