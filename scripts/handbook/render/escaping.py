"""Record text is data, never markup.

Every value a template prints is escaped for Markdown *and* HTML unless it is
explicitly ``Markup``: ASCII punctuation gets a backslash (``pymdownx.escapeall``
makes any backslash-escape literal), so no record can open a tag, a link, an
attribute list or any other syntax. Templates opt out only for markup they build.
"""

from __future__ import annotations

import html as html_lib
import re

from markupsafe import Markup

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Whitespace between two Chinese characters is a line-wrapping artefact (YAML's
# folded scalars join lines with a space); Chinese text has no word spaces.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def escape_markdown(text: object) -> str:
    """Literal text inside Markdown: every ASCII punctuation character escaped."""
    return _PUNCTUATION.sub(r"\\\1", str(text))


def finalize(value: object) -> object:
    """Jinja ``finalize`` hook: escape everything that is not already Markup."""
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return escape_markdown(format_number(value))
    return escape_markdown(value)


def format_number(value: int | float) -> str:
    """1239 → '1239', 2.38 → '2.38', 30.0 → '30' (figures print as the source wrote them)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def paragraphs(text: str, indent: int = 0) -> Markup:
    """Plain text with blank-line paragraphs → escaped Markdown paragraphs."""
    pad = " " * indent
    blocks = [_fold(block) for block in re.split(r"\n\s*\n", text.strip())]
    return Markup(("\n\n").join(pad + escape_markdown(block) for block in blocks if block))


def inline(text: str) -> Markup:
    """One line of escaped text (newlines folded) for table cells and list items."""
    return Markup(escape_markdown(_fold(str(text))))


def _fold(text: str) -> str:
    """Join wrapped lines: no space between Chinese characters, one space elsewhere."""
    return _SPACE_BETWEEN_CJK.sub("", " ".join(text.split()))


_RAW_HTML = re.compile(r"[<>&{}]")


def safe_markdown(text: str) -> Markup:
    """An editor's Markdown notes with markup neutralised: no raw HTML, entities or
    attribute lists. Headings, lists, emphasis and links still work; unsafe link
    schemes are rejected by the loader."""
    return Markup(_RAW_HTML.sub(lambda m: "\\" + m.group(0), text.strip()))


_TITLE_ATTRIBUTE = re.compile(r'(\stitle=")([^"]*)(")')


def neutralise_tooltips(html: str) -> str:
    """Make ``title`` attributes safe for Material's tooltips, which do ``innerHTML = title``.

    An attribute that reads ``&lt;img onerror=…&gt;`` in the HTML source holds ``<img …>`` in
    the DOM, and the tooltip would turn it into a live element. Escaping such values once
    more makes the tooltip show the text. Titles without ``<``, ``>`` or ``&`` are untouched.
    """

    def fix(match: re.Match) -> str:
        value = html_lib.unescape(match.group(2))
        if not any(ch in value for ch in "<>&"):
            return match.group(0)
        return match.group(1) + html_lib.escape(html_lib.escape(value, quote=False), quote=True) + match.group(3)

    return _TITLE_ATTRIBUTE.sub(fix, html)
