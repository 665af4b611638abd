"""Abbreviations that work in Chinese text.

Python-Markdown's ``abbr`` wraps a term only between word boundaries (``\\b``), and
there is no word boundary between two Chinese characters: "开好三会一课" would never
show the definition of 三会一课. This extension keeps ``abbr`` as it is but guards
only against ASCII letters and digits, trying the longest term first (百户网格长
before 网格长), and leaves headings and links alone (a tooltip inside a link hides where
the link goes on a phone, and headings feed titles and the TOC); the text after them is
still linked. A term is underlined once per section (from one heading to the next): 67
dotted underlines on one page read as noise. Use it in place of ``abbr`` in mkdocs.yml.

The glossary's definitions reach a page through ``defined_terms`` rather than as ``*[term]:``
lines appended to its text: Python-Markdown parses each such line as a block (about a third
of a case page's conversion time for 30 terms), and the result is the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import AtomicString


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_UNLINKED = _HEADINGS | {"a", "abbr", "nav"}  # nav: breadcrumbs and jump lists
_PAGE_TERMS: ContextVar[Mapping[str, str]] = ContextVar("handbook_page_terms", default={})


@contextmanager
def defined_terms(terms: Mapping[str, str]) -> Iterator[None]:
    """Markdown converted inside this block defines ``terms`` (term → definition) as if the
    lines ``*[term]: definition`` closed its text: they win over definitions in the text."""
    token = _PAGE_TERMS.set(terms)
    try:
        yield
    finally:
        _PAGE_TERMS.reset(token)


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    def iter_element(self, el, parent=None):
        if el.tag not in _UNLINKED:
            super().iter_element(el, parent)
            return
        # inside stays plain; the text that follows the element is ordinary text
        tail = el.tail
        if parent is None or not tail or isinstance(tail, AtomicString):
            return
        index = list(parent).index(el) + 1
        for m in reversed(list(self.RE.finditer(tail))):
            if self.abbrs[m.group(0)]:
                parent.insert(index, self.create_element(self.abbrs[m.group(0)], m.group(0), tail[m.end():]))
                tail = tail[:m.start()]
        el.tail = tail

    def run(self, root):
        self.abbrs.update(_PAGE_TERMS.get())
        if not self.abbrs:
            return
        keys = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![A-Za-z0-9_])")
        self.iter_element(root)
        _once_per_section(root, self.abbrs)


def _once_per_section(root, definitions: dict[str, str]) -> None:
    """Unwrap every ``abbr`` whose definition was already shown since the last heading
    (百户网格长 and 网格长 share one definition, so they count as one term). A section headed
    by a term, as on the glossary page, is where that term is explained: no tooltip of it there."""
    parents = {child: parent for parent in root.iter() for child in parent}
    seen: set[str] = set()
    for el in list(root.iter()):
        if el.tag in _HEADINGS:
            heading = "".join(el.itertext()).strip()
            seen = {definitions[heading]} if definitions.get(heading) else set()
        elif el.tag == "abbr":
            if el.get("title") not in seen:
                seen.add(el.get("title"))
                continue
            parent = parents[el]
            index = list(parent).index(el)
            text = (el.text or "") + (el.tail or "")
            if index:
                parent[index - 1].tail = (parent[index - 1].tail or "") + text
            else:
                parent.text = (parent.text or "") + text
            parent.remove(el)


class CjkAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs):  # noqa: N802 - Markdown's extension entry point
    return CjkAbbrExtension(**kwargs)
