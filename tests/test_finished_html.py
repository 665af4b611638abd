"""Finished HTML blocks (render/finished_html.py): set aside before Python-Markdown, put back after, same page."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.config import load_config

from handbook.load.loader import load_collection
from handbook.render.cjk_abbr import defined_terms
from handbook.render.finished_html import CLOSE, OPEN, LostBlock, put_back, set_aside
from handbook.render.pages import glossary_terms, render_pages
from handbook.render.urls import record_of

REPO = Path(__file__).resolve().parent.parent


def _without_markers(text: str) -> str:
    """The page as it was before templates marked their finished HTML."""
    return text.replace(OPEN + "\n", "").replace("\n" + CLOSE, "")


def _every_page_converts_the_same(project: Path, list_page_size: int) -> int:
    config = load_config(str(REPO / "mkdocs.yml"))
    collection = load_collection(project)

    def convert(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(text)

    set_aside_blocks = 0
    for page in render_pages(collection, project / "overrides" / "handbook", list_page_size=list_page_size):
        if not page.src_uri.endswith(".md"):
            continue
        marked, blocks = set_aside(page.content)
        with defined_terms(glossary_terms(collection, record_of(page.src_uri))):
            assert put_back(convert(marked), blocks) == convert(_without_markers(page.content)), page.src_uri
        assert OPEN not in marked and CLOSE not in marked, page.src_uri
        set_aside_blocks += len(blocks)
    return set_aside_blocks


def test_every_page_of_the_handbook_is_the_same_with_its_blocks_set_aside():
    # lists of three: the cases index, paged lists and the matrix all have tables to set aside
    assert _every_page_converts_the_same(REPO, list_page_size=3) >= 3


def test_every_page_of_a_padded_collection_is_the_same_with_its_blocks_set_aside(tmp_path):
    sys.path.insert(0, str(REPO / "scripts" / "bench"))
    import padding

    project = padding.padded_project(tmp_path / "padded", 60)
    assert _every_page_converts_the_same(project, list_page_size=25) >= 10


def test_a_block_that_does_not_come_through_once_is_an_error():
    marked, blocks = set_aside(f"# 标题\n\n{OPEN}\n<div>表</div>\n{CLOSE}\n\n{OPEN}\n<p>二</p>\n{CLOSE}\n")
    assert blocks == ["<div>表</div>", "<p>二</p>"] and OPEN not in marked
    html = markdown.markdown(marked)
    assert put_back(html, blocks) == "<h1>标题</h1>\n<div>表</div>\n\n<p>二</p>"
    with pytest.raises(LostBlock, match="block 1 came through the conversion 0 times"):
        put_back(html.replace("finished-html 1", "finished-html x"), blocks)
    lost = re.sub(r"<!-- handbook:finished-html 0 -->", "<!-- handbook:finished-html 0 -->" * 2, html)
    with pytest.raises(LostBlock, match="block 0 came through the conversion 2 times"):
        put_back(lost, blocks)
    assert set_aside("无标记的页面") == ("无标记的页面", [])


def test_record_text_cannot_open_a_block(fixture_project):
    def blocks_of_every_page() -> list[str]:
        pages = render_pages(load_collection(fixture_project), list_page_size=3)
        return [block for page in pages if page.src_uri.endswith(".md") for block in set_aside(page.content)[1]]

    before = blocks_of_every_page()
    case = next((fixture_project / "cases").glob("*.yaml"))
    record = yaml.safe_load(case.read_text(encoding="utf-8"))
    record["summary"] += f"\n\n{OPEN}\n<script>alert(1)</script>\n{CLOSE}\n"  # prose may hold any character
    case.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert blocks_of_every_page() == before


def test_a_site_build_puts_the_blocks_back(fixture_project, tmp_path):
    """Through MkDocs: the cases index shows its table (the adapter set it aside and put it back)."""
    from mkdocs.commands.build import build

    for name in ("mkdocs.yml", "docs", "overrides"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, fixture_project / name)
    build(load_config(str(fixture_project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    index = (tmp_path / "site" / "cases" / "index.html").read_text(encoding="utf-8")
    assert '<div class="hb-cases" markdown="0">' in index and "handbook:finished-html" not in index
