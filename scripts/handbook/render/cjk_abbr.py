"""Abbreviations that work in Chinese text.

Python-Markdown's ``abbr`` wraps a term only between word boundaries (``\\b``), and
there is no word boundary between two Chinese characters: "开好三会一课" would never
show the definition of 三会一课. This extension keeps ``abbr`` as it is but guards
only against ASCII letters and digits, trying the longest term first (百户网格长
before 网格长), and leaves headings alone. Use it in place of ``abbr`` in mkdocs.yml.
"""

from __future__ import annotations

import re

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    def iter_element(self, el, parent=None):
        if el.tag in _HEADINGS:  # headings feed titles, the TOC and search: keep them plain
            return
        super().iter_element(el, parent)

    def run(self, root):
        if not self.abbrs:
            return
        keys = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![A-Za-z0-9_])")
        self.iter_element(root)


class CjkAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs):  # noqa: N802 - Markdown's extension entry point
    return CjkAbbrExtension(**kwargs)
