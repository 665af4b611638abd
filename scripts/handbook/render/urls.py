"""Every page address of the site, and the links between pages.

A page is addressed by its source path (``cases/nanyang.md``), as MkDocs sees it; one
function or constant per page kind says where that kind lives, so the renderers, the
templates (through ``link()`` and ``href()``) and the feed never write a path by hand.
``page_url`` turns a source path into the URL MkDocs gives the page.
"""

from __future__ import annotations

import posixpath
import re

from jinja2 import pass_context
from markupsafe import Markup, escape

from ..model import addresses
from ..model.fields import check_slug


# Pages of which there is one. Those sharing a folder with records come from model.addresses,
# which the loader also reads to refuse record ids that would hide them.
HOME = "index.md"
CASES = addresses.CASES_INDEX
MAP = addresses.CASES_MAP
STANDARDS = addresses.STANDARDS_INDEX
MATRIX = addresses.STANDARDS_MATRIX
GLOSSARY = "glossary.md"
CHANGELOG = "changelog.md"
OVERVIEW = "overview.md"
COMPARE = "compare.md"
TRAINING = addresses.TRAINING_INDEX
EDITOR_GUIDE = "editor-guide.md"
SEARCH = "search/index.md"  # search/index.html from file:// too
DOWNLOADS = "downloads.md"
DATA = "data.md"
FEED = "feed.json"
COMPARE_DATA = "assets/javascripts/compare-data.js"
PRINT_HANDBOOK = "print/handbook.md"

# Site files the pages load. The scripts are docs/assets/javascripts/ files, except T2S_SCRIPT
# (written by the plugin) and SEARCH_INDEX (the manifest handbook.search writes under search/idx/).
COMPARE_SCRIPT = "assets/javascripts/compare.js"
SEARCH_SCRIPT = "assets/javascripts/handbook-search.js"
T2S_SCRIPT = "assets/javascripts/t2s-map.js"
SEARCH_INDEX = "search/idx/m.js"
SITE_ROOT = "index.html"  # the search script drops the name and resolves result URLs against the folder
DOWNLOADS_FOLDER = "downloads"  # files a release built, copied into the site (handbook.downloads)


def slug(value: object) -> Markup:
    """Ids go into URLs unescaped, so they must be validated slugs (checked again: a template may pass anything)."""
    return Markup(check_slug(str(value)))


# Pages of which there is one per record or group. Ids are checked again here:
# a template may be handed any value.
def case_src(case_id: str) -> str:
    return f"cases/{slug(case_id)}.md"


def standard_src(standard_id: str) -> str:
    return f"standards/{slug(standard_id)}.md"


def session_src(session_id: str) -> str:
    return f"training/{slug(session_id)}.md"


def facet_src(facet_slug: str) -> str:
    return addresses.CASES_FACETS.format(slug=slug(facet_slug))


def data_src(name: str) -> str:
    return f"data/{name}"


def download_src(path: str) -> str:
    """A file of the release (``cases/nanyang.pdf``, relative to dist/) as the site publishes it."""
    return f"{DOWNLOADS_FOLDER}/{path}"


def template_file_src(standard_id: str, template_id: str, kind: str = "txt") -> str:
    """A standard's fill-in template as a download: plain text (``txt``) or Word (``docx``)."""
    if kind not in ("txt", "docx"):
        raise ValueError(f"not a template file kind: {kind!r}")
    return f"standards/{slug(standard_id)}/{slug(template_id)}.{kind}"


def change_src(change) -> str:
    """The page of the case or standard a dated change (``Collection.recent_changes``) is about."""
    return case_src(change.record.id) if change.kind == "case" else standard_src(change.record.id)


def practice_anchor(index: int) -> Markup:
    """The anchor of a case's n-th practice (``cases/<id>.md#practice-<n>``)."""
    return Markup(f"practice-{int(index)}")


# Paged lists: (first page, pattern of page n) for ``listing.paginate``.
def all_cases_pages() -> tuple[str, str]:
    return CASES, addresses.CASES_ALL


def matrix_pages() -> tuple[str, str]:
    return MATRIX, addresses.STANDARDS_MATRIX_PAGES


def facet_value_pages(facet_slug: str, key: str) -> tuple[str, str]:
    base = f"cases/facets/{slug(facet_slug)}/{slug(key)}"
    return f"{base}.md", f"{base}-{{n}}.md"


def standard_usage_pages(standard_id: str) -> tuple[str, str]:
    base = f"standards/{slug(standard_id)}/cases"
    return f"{base}.md", f"{base}-{{n}}.md"


_SRC_PATH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._/-]*$")
_RECORD_PAGE = re.compile(r"^(?:cases|standards)/([a-z0-9-]+)\.md$")


def record_of(src_uri: str) -> str | None:
    """The case or standard a page is about (cases/gucheng.md → gucheng), or None."""
    match = _RECORD_PAGE.match(src_uri)
    return match.group(1) if match and match.group(1) != "index" else None


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The URL (relative to the site root) MkDocs gives the page built from ``src_uri``."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """A link from one generated page to another, valid for the site's URL style."""
    here, there = page_url(from_src, directory_urls), page_url(to_src, directory_urls)
    here_dir = here if here.endswith("/") else posixpath.dirname(here)
    target = posixpath.relpath(there or ".", here_dir or ".")
    if there == "" or there.endswith("/"):  # a directory URL keeps its trailing slash
        target = "./" if target == "." else target.rstrip("/") + "/"
    return target


def relative_src(from_src: str, to_src: str) -> str:
    """The path of ``to_src`` relative to the page ``from_src``, as a Markdown link MkDocs checks and rewrites."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def asset_url(from_src: str, asset: str, directory_urls: bool = True) -> str:
    """A link from a generated page to a site file such as ``assets/javascripts/x.js``."""
    here = page_url(from_src, directory_urls)
    here_dir = here if here.endswith("/") else posixpath.dirname(here)
    return posixpath.relpath(asset, here_dir or ".")


@pass_context
def link(context, to_src: str) -> Markup:
    """``[title]({{ link(case_src(id)) }})``: a Markdown link from the page being rendered."""
    if not _SRC_PATH.match(to_src):  # printed unescaped inside (…)
        raise ValueError(f"expected a page path such as 'cases/nanyang.md', got {to_src!r}")
    return Markup(relative_src(context["page_src"], to_src))


@pass_context
def href(context, to_src: str) -> Markup:
    """``href("cases/nanyang.md")`` from inside a template, for links written as raw HTML."""
    return Markup(escape(relative_url(context["page_src"], to_src, context["directory_urls"])))


@pass_context
def asset(context, path: str) -> Markup:
    return Markup(escape(asset_url(context["page_src"], path, context["directory_urls"])))


# One-of-a-kind pages and site files, by the names above: ``link(GLOSSARY)``, ``asset(SEARCH_SCRIPT)``.
SINGLE_ADDRESSES = {
    "HOME": HOME, "CASES": CASES, "MAP": MAP, "STANDARDS": STANDARDS, "MATRIX": MATRIX, "GLOSSARY": GLOSSARY,
    "CHANGELOG": CHANGELOG, "OVERVIEW": OVERVIEW, "COMPARE": COMPARE, "TRAINING": TRAINING,
    "EDITOR_GUIDE": EDITOR_GUIDE, "SEARCH": SEARCH, "DOWNLOADS": DOWNLOADS, "DATA": DATA, "FEED": FEED,
    "COMPARE_DATA": COMPARE_DATA, "COMPARE_SCRIPT": COMPARE_SCRIPT, "SEARCH_SCRIPT": SEARCH_SCRIPT,
    "T2S_SCRIPT": T2S_SCRIPT, "SEARCH_INDEX": SEARCH_INDEX, "SITE_ROOT": SITE_ROOT,
}

# What templates may call or name to address pages; templates never write a path themselves
# (tests/test_template_addresses.py holds them to it).
TEMPLATE_GLOBALS = {
    "link": link, "href": href, "asset": asset,
    "case_src": case_src, "standard_src": standard_src, "session_src": session_src, "facet_src": facet_src,
    "data_src": data_src, "template_file_src": template_file_src, "change_src": change_src,
    "practice_anchor": practice_anchor,
    **SINGLE_ADDRESSES,
}
