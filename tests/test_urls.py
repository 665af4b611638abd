"""Links written as raw HTML must match the site's URL style (online directories, offline .html)."""

from __future__ import annotations

import pytest

from handbook.render.pages import page_url, relative_url


@pytest.mark.parametrize(
    "src, directory, file",
    [("index.md", "", "index.html"), ("cases/index.md", "cases/", "cases/index.html"), ("cases/nanyang.md", "cases/nanyang/", "cases/nanyang.html")],
)
def test_page_url(src, directory, file):
    assert page_url(src, True) == directory and page_url(src, False) == file


@pytest.mark.parametrize(
    "here, there, directory, file",
    [
        ("cases/index.md", "cases/nanyang.md", "nanyang/", "nanyang.html"),
        ("cases/map.md", "cases/nanyang.md", "../nanyang/", "nanyang.html"),
        ("index.md", "cases/nanyang.md", "cases/nanyang/", "cases/nanyang.html"),
        ("cases/facets/level.md", "cases/nanyang.md", "../../nanyang/", "../nanyang.html"),
        ("cases/nanyang.md", "index.md", "../../", "../index.html"),
        ("cases/index.md", "cases/index.md", "./", "index.html"),
    ],
)
def test_relative_url(here, there, directory, file):
    assert relative_url(here, there, True) == directory
    assert relative_url(here, there, False) == file
