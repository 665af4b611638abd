"""Finished HTML inside a page's Markdown: blocks Python-Markdown would only copy, marked so it need not read them.

A template writes a block of raw HTML it builds itself (the 50-row case tables of lists, the
matrix) inside ``{% call finished_html() %} … {% endcall %}``. The page's Markdown then holds
the block between two comment lines, and stays Markdown any converter turns into the same page.
A converter that wants to skip the work (the MkDocs adapter) calls ``set_aside`` before
converting, which puts a one-line placeholder where each block was, and ``put_back`` on the
HTML, which puts the blocks back. Python-Markdown copies a raw HTML block verbatim, so the
result is the same HTML, and the placeholder Markdown does not change when a table's rows
do: a case edited under ``make serve`` leaves the lists' conversion cached.

Record text cannot forge a marker: every value a template prints is escaped (``<`` becomes
``\\<``). Nothing here imports MkDocs.
"""

from __future__ import annotations

import re

from markupsafe import Markup

OPEN = "<!-- handbook:finished-html -->"
CLOSE = "<!-- /handbook:finished-html -->"
_BLOCK = re.compile(f"^{re.escape(OPEN)}\n(.*?)\n{re.escape(CLOSE)}$", re.M | re.S)
_PLACEHOLDER = "<!-- handbook:finished-html {} -->"
_PLACEHOLDERS = re.compile(r"<!-- handbook:finished-html (\d+) -->")


class LostBlock(ValueError):
    """A placeholder did not come through the conversion exactly once."""


def finished_html(caller) -> Markup:
    """Jinja: ``{% call finished_html() %}<div>…</div>{% endcall %}`` marks the block. The block
    must be raw HTML Python-Markdown copies as it is: top-level elements, nothing to convert inside."""
    return Markup(f"{OPEN}\n{caller().strip(chr(10))}\n{CLOSE}\n")  # ends its line, as the block did


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with a placeholder line for each marked block, and the blocks in order."""
    blocks: list[str] = []

    def placeholder(match: re.Match) -> str:
        blocks.append(match.group(1))
        return _PLACEHOLDER.format(len(blocks) - 1)

    if OPEN not in markdown:  # most pages: no scan
        return markdown, blocks
    return _BLOCK.sub(placeholder, markdown), blocks


def put_back(html: str, blocks: list[str]) -> str:
    """The converted HTML with each placeholder replaced by its block; each must be there once."""
    if not blocks:
        return html
    seen = [0] * len(blocks)

    def block(match: re.Match) -> str:
        number = int(match.group(1))
        if number >= len(blocks):
            return match.group(0)
        seen[number] += 1
        return blocks[number]

    html = _PLACEHOLDERS.sub(block, html)
    for number, count in enumerate(seen):
        if count != 1:
            raise LostBlock(f"finished HTML block {number} came through the conversion {count} times, "
                            "not once (is it inside indented Markdown?)")
    return html
