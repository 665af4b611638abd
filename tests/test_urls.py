"""Page addresses live in render/urls.py. Links written as raw HTML must match the site's URL
style (online directories, offline .html); Markdown links are relative .md paths MkDocs checks."""

from __future__ import annotations

import pytest

from jinja2 import Environment

from handbook.render import urls
from handbook.render.urls import page_url, relative_url


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


@pytest.mark.parametrize(
    "here, there, link",
    [
        ("index.md", urls.case_src("nanyang"), "cases/nanyang.md"),
        ("standards/matrix.md", urls.standard_src("grid-patrol"), "grid-patrol.md"),
        ("standards/matrix/2.md", urls.standard_src("grid-patrol"), "../grid-patrol.md"),
        ("standards/matrix/2.md", urls.case_src("nanyang"), "../../cases/nanyang.md"),
        (urls.PRINT_HANDBOOK, urls.standard_src("grid-patrol"), "../standards/grid-patrol.md"),
        (urls.facet_value_pages("level", "0123abcdef")[0], urls.facet_src("level"), "../level.md"),
    ],
)
def test_link_is_the_relative_source_path_whatever_the_depth(here, there, link):
    template = Environment().from_string("{{ link(to) }}", globals=urls.TEMPLATE_GLOBALS)
    assert template.render(page_src=here, to=there) == link


def test_addresses_refuse_what_is_not_an_id():
    for address in (urls.case_src, urls.standard_src, urls.session_src, urls.facet_src):
        with pytest.raises(ValueError, match="expected lowercase letters, digits and single hyphens"):
            address("../x")
    with pytest.raises(ValueError, match="expected a page path"):
        Environment().from_string("{{ link(to) }}", globals=urls.TEMPLATE_GLOBALS).render(page_src="index.md", to="a b).md")
