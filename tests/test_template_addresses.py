"""Templates never write a page address or hide a missing value.

Every address comes from render/urls.py (``link()``, ``href()``, ``asset()`` and the page-kind
functions and constants it gives templates), so a template does not know its own depth and
moving a page kind is a one-place edit. Templates are read with Jinja's own lexer: string
literals inside ``{{ }}``/``{% %}`` and the literal text around them are checked separately.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest
from jinja2 import Environment

from handbook.downloads import Downloads
from handbook.errors import RenderError
from handbook.export import export_files
from handbook.load.loader import load_collection
from handbook.render import urls
from handbook.render.pages import case_context, make_environment, render_template
from handbook.search import search_index_files

PACKAGE = Path(urls.__file__).resolve().parents[1]
TEMPLATES = sorted((PACKAGE / "render" / "templates").glob("*.j2"))
FIXTURE = Path(__file__).parent / "fixtures" / "project"

# A string that is all path characters and has a folder or a file extension: "cases/", "../",
# ".md", "glossary.md#x", "assets/javascripts/x.js". Prose that mentions a file has other characters.
_PATH_LITERAL = re.compile(r"[\w.#/-]*(?:/|\.(?:md|html|js|json|csv|txt|docx|pdf|zip)\b)[\w.#/-]*", re.ASCII)
# Literal text where a link target starts: a Markdown link "](x" or an HTML address attribute.
_LITERAL_TARGET = re.compile(r"""\]\((?P<md>[^)#\s]+)|\b(?:href|src|action)="(?P<html>[^"#]+)""")
# Literal text glued to the end of a value, as in "{{ id }}.md" or "{{ folder }}/x".
_PATH_TAIL = re.compile(r"^(?:/|\.(?:md|html|js|json|csv|txt|docx|pdf|zip)\b)")
ALLOWED_TARGETS = {
    ("search.md.j2", "./"),  # the search form submits to its own page, in either URL style
}


@functools.cache
def allowed_strings() -> frozenset[tuple[str, str]]:
    """data.md.j2 describes each file of data/ by its name (``data_src(name)`` makes the address)."""
    return frozenset(("data.md.j2", name) for name in export_files(load_collection(FIXTURE)))


def is_address(text: str) -> bool:
    """A page or file address; not a template name (``case.md.j2``) nor a lone separator."""
    return bool(_PATH_LITERAL.fullmatch(text)) and not text.endswith(".j2") and bool(re.search(r"[A-Za-z]|\.\.", text))


def _tokens(path: Path):
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    return list(env.lex(path.read_text(encoding="utf-8"), path.name))


def hand_written_addresses(path: Path) -> list[str]:
    """``file:line: text`` for every address the template writes itself."""
    found = []
    for line, kind, value in _tokens(path):
        if kind == "string" and is_address(value[1:-1]) and (path.name, value[1:-1]) not in allowed_strings():  # keeps its quotes
            found.append(f"{path.name}:{line}: string {value[1:-1]!r}")
        elif kind == "data":
            for match in _LITERAL_TARGET.finditer(value):
                target = match.group("md") or match.group("html")
                if (path.name, target) not in ALLOWED_TARGETS:  # a data token can span lines
                    found.append(f"{path.name}:{line + value.count(chr(10), 0, match.start())}: link target {target!r}")
            if _PATH_TAIL.match(value):
                found.append(f"{path.name}:{line}: text {value[:20]!r} after a value")
    return found


def test_templates_write_no_page_address():
    assert len(TEMPLATES) > 20
    assert [found for path in TEMPLATES for found in hand_written_addresses(path)] == []


@pytest.mark.parametrize("source, expected", [
    ('<a href="{{ href("cases/" ~ case.id ~ ".md") }}">', "string 'cases/'"),
    ("[x](../{{ case.id | slug }}.md)", "link target '../'"),
    ("[x]({{ case.id | slug }}.md)", "text '.md)' after a value"),
    ("[x]({{ link(case_src(case.id)) }}#教学要点) [y](glossary.md#x)", "link target 'glossary.md'"),
    ("{{ link('glossary.md') }}", "string 'glossary.md'"),
    ("<script src=\"{{ asset('assets/javascripts/x.js') }}\"></script>", "string 'assets/javascripts/x.js'"),
    ('<a href="../standards/">', "link target '../standards/'"),
    ("{{ link(case_src(case.id)) }}#{{ practice_anchor(1) }} 共{{ n }}个：《标准》", None),
])
def test_the_scan_finds_hand_written_addresses(tmp_path, source, expected):
    path = tmp_path / "probe.md.j2"
    path.write_text(source + "\n", encoding="utf-8")
    found = hand_written_addresses(path)
    assert (f"probe.md.j2:1: {expected}" in found) if expected else found == []


def test_render_code_writes_no_page_address():
    """Python under render/ and model/ builds no path either; urls.py and model/addresses.py hold them."""
    allowed = {"render/templates"}  # where the package keeps its templates, not a page
    found = []
    for path in sorted([*(PACKAGE / "render").glob("*.py"), *(PACKAGE / "model").glob("*.py")]):
        if path.name in ("urls.py", "addresses.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in allowed \
                    and is_address(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert found == []


def test_templates_hide_no_missing_value():
    """A value the render code forgot is an error (StrictUndefined), not silently empty."""
    guards = re.compile(r"\|\s*default\b|\bis\s+(?:not\s+)?defined\b|\|\s*d\(")
    found = [f"{path.name}:{n}: {line.strip()}" for path in TEMPLATES
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if guards.search(line)]
    assert found == []


def test_a_value_the_render_code_forgets_is_an_error():
    collection = load_collection(FIXTURE)
    context = {"collection": collection, "sources": collection.sources, "search_page": True, "print_mode": False}
    case = collection.cases[0]
    env = make_environment()
    env.globals["directory_urls"] = True
    full = {**context, **case_context(case), "downloads": Downloads()}
    assert render_template(env, "case.md.j2", urls.case_src(case.id), **full).startswith("---\n")
    del full["anchor_prefix"]
    with pytest.raises(RenderError, match="'anchor_prefix' is undefined"):
        render_template(env, "case.md.j2", urls.case_src(case.id), **full)


def test_the_search_index_is_where_the_search_page_looks():
    assert urls.SEARCH_INDEX in search_index_files(load_collection(FIXTURE), True)
