"""The preview renders again only what changed (render/reuse.py) and re-checks only the records whose
inputs changed (load/checks.py KeptChecks); after any edit, what it produces is what a fresh load and
render of the same files produce.

The edits are made to synthetic cases (scripts/bench/padding.py writes them, so their layout is
known) and to whatever real files the project has, found by pattern, never by content."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts" / "bench"))

import padding  # noqa: E402
from handbook.errors import ContentErrors  # noqa: E402
from handbook.load.loader import ParsedFiles, load_collection  # noqa: E402
from handbook.render import reuse as reuse_module  # noqa: E402
from handbook.render.pages import PACKAGE_TEMPLATES, render_pages  # noqa: E402
from handbook.render.reuse import PageReuse, Untracked, fingerprint  # noqa: E402

SYNTHETIC = 33  # cases added to however many real ones the project has
LIST_PAGE_SIZE = 8  # small, so lists are paged and a case moves between pages


def _replace_line(path: Path, pattern: str, change) -> None:
    """Rewrite the first line matching ``pattern`` (a regex with one group for the value)."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, lambda m: change(m), text, count=1, flags=re.M)
    assert count == 1, f"{path.name}: no line matches {pattern}"
    path.write_text(new, encoding="utf-8")


def _append_to_value(folder: Path, pattern: str, key: str, addition: str) -> Path:
    """Add ``addition`` to the first one-line ``key:`` value (plain or quoted) in a file of ``folder``
    matching ``pattern``; an editor's files may use any YAML style, so block values are passed over."""
    line = re.compile(rf"^(\s*{key}: )(?:([^\s>|'\"&*!%@`{{\[].*?)|\"(.*)\"|'(.*)')$", re.M)
    for path in sorted(folder.glob(pattern)):
        text = path.read_text(encoding="utf-8")
        match = line.search(text)
        if match:
            plain, double, single = match.group(2), match.group(3), match.group(4)
            value = (f"{plain}{addition}" if plain is not None else
                     f'"{double}{addition}"' if double is not None else f"'{single}{addition}'")
            path.write_text(text[:match.start()] + match.group(1) + value + text[match.end():], encoding="utf-8")
            return path
    raise AssertionError(f"no one-line {key}: in {folder}/{pattern}")


def _edits(project: Path):
    """(what, edit) pairs; each leaves a valid collection and builds on the ones before."""
    cases = project / "cases"
    synthetic = sorted(cases.glob("syn-*.yaml"))
    first, second, third = synthetic[:3]
    standard_ids = sorted(p.stem for p in (project / "standards").glob("*.md"))

    def other_standard(m: re.Match) -> str:
        return m.group(1) + next(s for s in standard_ids if s != m.group(2))

    copied = third.read_text(encoding="utf-8").replace(f"id: {third.stem}\n", "id: syn-added\n", 1)

    def added_case() -> None:
        (cases / "syn-added.yaml").write_text(copied, encoding="utf-8")

    return [
        ("nothing", lambda: None),
        ("a summary", lambda: _replace_line(first, r"^(summary: .*)$", lambda m: m.group(1) + "补记一句。")),
        ("a title", lambda: _replace_line(first, r"^(title: .*)$", lambda m: m.group(1) + "（改）")),
        ("a practice's standard", lambda: _replace_line(second, r"^(  - )([a-z-]+)$", other_standard)),
        ("a standard's title", lambda: _append_to_value(project / "standards", "*.md", "title", "（修订）")),
        ("a glossary definition", lambda: _append_to_value(project / "standards", "glossary.yaml", "definition", "（补充）")),
        ("a case deleted", lambda: third.unlink()),
        ("a case added", added_case),
        ("a template overridden", lambda: (project / "overrides" / "handbook").mkdir(parents=True, exist_ok=True) or
         (project / "overrides" / "handbook" / "case.md.j2").write_text(
             (PACKAGE_TEMPLATES / "case.md.j2").read_text(encoding="utf-8") + "\n本页由覆盖模板生成。\n", encoding="utf-8")),
    ]


def _padded(folder: Path, synthetic: int) -> Path:
    return padding.padded_project(folder, len(padding.real_case_files(REPO / "cases")) + synthetic)


@pytest.fixture
def project(tmp_path) -> Path:
    return _padded(tmp_path / "handbook", SYNTHETIC)


def _render(project: Path, collection, reuse=None):
    return render_pages(collection, project / "overrides" / "handbook", list_page_size=LIST_PAGE_SIZE, reuse=reuse)


def test_after_each_edit_the_preview_renders_what_a_fresh_render_does_and_only_the_changed_pages(project):
    parsed, reuse = ParsedFiles(), PageReuse()
    _render(project, load_collection(project, parsed=parsed), reuse)
    first_name = sorted(project.glob("cases/syn-*.yaml"))[0].stem
    for what, edit in _edits(project):
        edit()
        kept = _render(project, load_collection(project, parsed=parsed), reuse)
        fresh = _render(project, load_collection(project))
        assert [p.src_uri for p in kept] == [p.src_uri for p in fresh], what
        different = [p.src_uri for p, q in zip(kept, fresh) if p.content != q.content]
        assert different == [], f"after {what}: {different}"
        rendered_cases = [src for src in reuse.rendered if src.startswith("cases/syn-")]
        if what == "nothing":
            assert reuse.rendered == [], "nothing changed, yet pages were rendered again"
        elif what == "a summary":  # its own page and the few naming it as a similar case; not every case
            assert f"cases/{first_name}.md" in rendered_cases and len(rendered_cases) <= SYNTHETIC // 4, rendered_cases
        elif what == "a template overridden":  # every case page again: the template changed
            assert len(rendered_cases) == len(list((project / "cases").glob("syn-*.yaml")))
    assert "本页由覆盖模板生成" in next(p.content for p in kept if p.src_uri == "cases/syn-added.md")


def test_a_stale_trace_would_be_caught(project, monkeypatch):
    """The comparison above can fail: a reuse that never looks at the trace serves the old title."""
    copy = project
    monkeypatch.setattr(reuse_module._Trace, "holds", lambda self, shared: True)
    parsed, reuse = ParsedFiles(), PageReuse()
    _render(copy, load_collection(copy, parsed=parsed), reuse)
    _append_to_value(copy / "standards", "*.md", "title", "（修订）")
    kept = _render(copy, load_collection(copy, parsed=parsed), reuse)
    fresh = _render(copy, load_collection(copy))
    assert [p.src_uri for p, q in zip(kept, fresh) if p.content != q.content]


def test_fingerprints_tell_markup_from_text_and_refuse_what_they_cannot_compare():
    from markupsafe import Markup

    assert fingerprint("a<b") != fingerprint(Markup("a<b"))
    assert fingerprint(1) != fingerprint(True)
    assert fingerprint({"a": [1, (2, "x")]}) == fingerprint({"a": [1, (2, "x")]})
    with pytest.raises(Untracked):
        fingerprint(object())


def test_a_read_that_raised_is_replayed():
    """A template that looked up a missing key is rendered again when the key appears."""
    reuse = PageReuse()
    reuse.begin("setting")
    shared = {"table": {"a": 1}}

    def render(context):
        try:
            return str(context["table"]["b"])
        except KeyError:
            return "missing"

    assert reuse.render("t", "p.md", shared, {}, render) == "missing"
    reuse.end()
    reuse.begin("setting")
    assert reuse.render("t", "p.md", {"table": {"a": 1}}, {}, render) == "missing" and reuse.reused == 1
    reuse.end()
    reuse.begin("setting")
    assert reuse.render("t", "p.md", {"table": {"a": 1, "b": 2}}, {}, render) == "2" and reuse.rendered == ["p.md"]


def test_kept_checks_see_a_changed_source_text(tmp_path):
    """A record whose file did not change is not checked again, unless a source it quotes did."""
    project = _padded(tmp_path / "handbook", 3)
    parsed = ParsedFiles()
    load_collection(project, parsed=parsed)
    case = next(c for c in load_collection(project).cases if c.id.startswith("syn-"))  # a source in Simplified, quoted verbatim
    source = project / "cases" / case.sources[0].file
    quote = next(m.citation.quote for m in case.metrics if m.citation.source == case.sources[0].id)
    original = source.read_text(encoding="utf-8")
    assert quote[:12] in original
    source.write_text(original.replace(quote[:12], "（此句已删）"), encoding="utf-8")
    with pytest.raises(ContentErrors) as kept:
        load_collection(project, parsed=parsed)
    with pytest.raises(ContentErrors) as fresh:
        load_collection(project)
    assert str(kept.value) == str(fresh.value) and "quote" in str(kept.value)
    source.write_text(original, encoding="utf-8")
    load_collection(project, parsed=parsed)  # fixed: no error kept from before


@pytest.mark.parametrize("size", [0, 1, 12])
def test_exported_json_built_a_case_at_a_time_is_what_one_dump_writes(tmp_path, size):
    """cases.json is joined from per-case parts (the preview keeps them); the bytes are json.dumps' own."""
    import json

    from handbook.export import export_files
    from handbook.model.collection import Collection

    collection = load_collection(_padded(tmp_path / "handbook", 12)) if size else Collection()
    cases = collection.cases[:size]
    whole = json.dumps([c.model_dump(mode="json") for c in cases], ensure_ascii=False, indent=2) + "\n"
    assert export_files(Collection(cases=cases, standards=collection.standards))["cases.json"] == whole.encode("utf-8")


def test_the_t2s_map_from_per_record_characters_is_the_map_of_the_whole_text(tmp_path):
    import json

    from handbook.search.t2s_map import record_characters, t2s_script

    collection = load_collection(_padded(tmp_path / "handbook", 12))
    records = [*collection.cases, *collection.standards]
    text = json.dumps([r.model_dump(mode="json") for r in records], ensure_ascii=False)
    assert t2s_script(set().union(*map(record_characters, records))) == t2s_script(text)


def test_a_save_between_hashing_and_validating_is_not_paired_with_the_old_bytes(tmp_path):
    """The preview hashes a file's bytes and validates them; if the file is saved in between, the
    result kept for those bytes must still be theirs (found by a fresh-eyes run saving in a loop)."""
    from handbook.load.loader import load_case_file

    project = _padded(tmp_path / "handbook", 3)
    path = sorted(project.glob("cases/syn-*.yaml"))[0]
    first = path.read_text(encoding="utf-8")
    second = re.sub(r"^title: (.*)$", r"title: \1（另一版）", first, count=1, flags=re.M)

    def saved_meanwhile(path_, root, raw=None):
        path_.write_text(second, encoding="utf-8")  # the editor saves while the first bytes are validated
        return load_case_file(path_, root, raw)

    parsed = ParsedFiles()
    record, _, _ = parsed.load(path, project, saved_meanwhile)
    path.write_text(first, encoding="utf-8")  # and goes back to the first version
    again, _, _ = parsed.load(path, project, load_case_file)
    assert "另一版" not in record.title and again.title == record.title


def test_kept_records_are_validated_again_when_the_day_changes(tmp_path, monkeypatch):
    """"No date after today" depends on the day: a date refused yesterday is valid today."""
    import datetime

    from handbook.load import loader
    from handbook.model import fields

    project = _padded(tmp_path / "handbook", 3)
    edition = project / "cases" / "edition.yaml"
    soon = datetime.date.today() + datetime.timedelta(days=3)
    _append_to_value(project / "cases", "edition.yaml", "date", "")  # the file has a one-line date
    text = re.sub(r"^(\s*date: ).*$", rf"\g<1>{soon.isoformat()}", edition.read_text(encoding="utf-8"), count=1, flags=re.M)
    edition.write_text(text, encoding="utf-8")
    parsed = ParsedFiles()
    with pytest.raises(ContentErrors, match="date"):
        load_collection(project, parsed=parsed)
    later = lambda: soon  # noqa: E731 (three days on)
    monkeypatch.setattr(fields, "latest_date", later)
    monkeypatch.setattr(loader, "latest_date", later)
    load_collection(project, parsed=parsed)  # no error kept from the day before


def test_a_template_edit_that_keeps_size_and_time_is_seen(project):
    import os

    overrides = project / "overrides" / "handbook"
    overrides.mkdir(parents=True, exist_ok=True)
    template = overrides / "case.md.j2"
    template.write_text((PACKAGE_TEMPLATES / "case.md.j2").read_text(encoding="utf-8") + "\n覆盖文字丙\n", encoding="utf-8")
    parsed, reuse = ParsedFiles(), PageReuse()
    _render(project, load_collection(project, parsed=parsed), reuse)
    status = template.stat()
    template.write_text(template.read_text(encoding="utf-8").replace("覆盖文字丙", "覆盖文字丁"), encoding="utf-8")
    os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert template.stat().st_size == status.st_size
    kept = _render(project, load_collection(project, parsed=parsed), reuse)
    assert all("覆盖文字丙" not in page.content for page in kept if isinstance(page.content, str))
