"""Golden tests: the Markdown rendered for the fixture project, page by page.

Run ``pytest --update-goldens`` after an intended change and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.errors import RenderError
from handbook.load.loader import load_collection
from handbook.render.pages import render_pages

GOLDEN = Path(__file__).parent / "golden"
FIXTURE = Path(__file__).parent / "fixtures" / "project"
# Exported data files are covered byte for byte by tests/test_editor.py; binary files (the
# .docx templates) by tests/test_build.py.
PAGES = [p for p in render_pages(load_collection(FIXTURE)) if not p.src_uri.startswith("data/") and isinstance(p.content, str)]


def golden_path(src_uri: str) -> Path:
    return GOLDEN / src_uri.replace("/", "__")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.src_uri)
def test_page_matches_golden(page, update_goldens):
    path = golden_path(page.src_uri)
    if update_goldens:
        path.parent.mkdir(exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    assert path.is_file(), f"no golden for {page.src_uri}; run pytest --update-goldens"
    assert page.content == path.read_text(encoding="utf-8")


def test_no_stale_goldens():
    expected = {golden_path(p.src_uri).name for p in PAGES}
    assert {p.name for p in GOLDEN.iterdir()} == expected


def test_templates_can_be_overridden(tmp_path):
    (tmp_path / "case.md.j2").write_text("# {{ case.title }} (custom)\n", encoding="utf-8")
    pages = {p.src_uri: p.content for p in render_pages(load_collection(FIXTURE), tmp_path)}
    assert pages["cases/sample.md"] == "# 示范县：联合党委推动基层治理 (custom)\n"
    assert pages["cases/index.md"].startswith("---\ntitle: 案例库\n")


@pytest.mark.parametrize("typo, message", [
    ("{{ case.titel }}", "case.md.j2:1 → cases/sample.md: UndefinedError: 'handbook.model.case.CaseRecord object' has no attribute 'titel'"),
    ("{% for x in case.sectors %}{{ x }}{% endfo %}", "case.md.j2:1 → cases/sample.md: TemplateSyntaxError: Encountered unknown tag 'endfo'."),
    ("{{ case.title | slug }}", "case.md.j2:1 → cases/sample.md: expected lowercase letters, digits and single hyphens"),
    ("{% include 'nope.md.j2' %}", "case.md.j2:1 → cases/sample.md: TemplateNotFound: nope.md.j2"),
])
def test_a_broken_template_names_itself_and_the_page(tmp_path, typo, message):
    (tmp_path / "case.md.j2").write_text(f"# {typo}\n", encoding="utf-8")
    with pytest.raises(RenderError) as raised:
        render_pages(load_collection(FIXTURE), tmp_path)
    assert str(raised.value).startswith(f"{tmp_path}/{message}") and "\n" not in str(raised.value)
