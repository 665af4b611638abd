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


def cn_date(value: object) -> str:
    """'2018-09' → '2018年9月'; dates and '未注明' print as readers expect."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", text)
    if not m:
        return text
    year, month, day = m.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


_RAW_HTML = re.compile(r"[<>&{}]")


def safe_markdown(text: str) -> Markup:
    """An editor's Markdown notes with markup neutralised: no raw HTML, entities or
    attribute lists. Headings, lists, emphasis and links still work; every link and
    image address is checked in the finished page (render/sanitise.py)."""
    lines = _LINE_END.split(text.strip())
    for number, line in enumerate(lines):
        atx = _ATX_HEADING.match(line)
        if atx:
            lines[number] = line[:atx.end()] + heading_text(line[atx.end():])
        elif line.strip() and number + 1 < len(lines) and _SETEXT_UNDERLINE.match(lines[number + 1]):
            lines[number] = heading_text(line)
    return Markup(_RAW_HTML.sub(lambda m: "\\" + m.group(0), "\n".join(lines)))


# Python-Markdown reads \r\n, \r and \n alike as line ends.
_LINE_END = re.compile(r"\r\n|\r|\n")
_ATX_HEADING = re.compile(r"^(?:[ \t]*(?:>|[*+-]|\d+[.)])[ \t]*)*[ \t]*#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
_ANGLE = str.maketrans({"<": "\uff1c", ">": "\uff1e"})


def heading_text(text: str) -> str:
    """A heading's text with ``<`` and ``>`` as their full-width forms (＜ ＞).

    Material copies the visible text of a table-of-contents entry that overflows into a
    tooltip rendered as HTML; a heading reading ``<img onerror=…>`` would come alive on
    hover. Without an ASCII angle bracket the text can never be a tag."""
    return text.translate(_ANGLE)


def safe_toc_title(title: str) -> str:
    """A table-of-contents title (HTML text) whose visible text has no ASCII ``<`` or ``>``:
    the same guard for headings built from record text in templates."""
    text = html_lib.unescape(title)
    if "<" not in text and ">" not in text:
        return title
    return html_lib.escape(heading_text(text), quote=False)


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
