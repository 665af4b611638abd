"""Check a standard's Markdown notes by converting them, within bounds, while validating.

Python-Markdown is quadratic in the ``[`` of one paragraph (16 KB of ``[`` took 29 s,
32,000 ``![`` three minutes) and slow in the ``<`` of a whole body (each one costs a pass
over the page: 6,400 took 9 s) and recursive in nesting (a list 300 deep is a RecursionError).
Bounding size, nesting and brackets per paragraph keeps the worst allowed body to a
fraction of a second; converting it here, with the site's extensions, makes anything else
that goes wrong a file:line error in ``handbook validate`` instead of a hung or crashed build.
"""

from __future__ import annotations

import re

from ..errors import ContentError

MAX_BODY_BYTES = 32_000  # the longest standard's notes are about 2 KB
MAX_NESTING = 12  # list, admonition and quote levels; the notes use two
MAX_BRACKETS = 64  # '[' per paragraph: each starts a link searched for to the paragraph's end
MAX_ANGLES = 64  # '<' in the whole body: each escaped one costs a pass over the whole page

# The Markdown extensions of mkdocs.yml, in its order (tests/test_hostile_input.py checks
# that the two lists agree): validation must parse bodies exactly as the site does.
SITE_EXTENSIONS = [
    "handbook.render.cjk_abbr",
    "admonition",
    "attr_list",
    "def_list",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.escapeall",
    "pymdownx.superfences",
    "pymdownx.tasklist",
]
_CONFIGS = {"pymdownx.tasklist": {"custom_checkbox": True}, "toc": {"permalink": True}}
# One nesting level per leading list marker, quote marker or admonition/details opener.
_OPENER = re.compile(r"(?:[-*+]|\d{1,9}[.)]|>|\\>|!!!|\?\?\?\+?)(?:[ \t]+|$)")


def check_body(body: str, first_line: int, shown: str) -> list[ContentError]:
    """Errors (file:line) for a body too large, too deeply nested, too bracket-heavy, or that
    Python-Markdown cannot convert; [] for a body the site can render."""
    size = len(body.encode("utf-8"))
    if size > MAX_BODY_BYTES:
        return [ContentError(shown, first_line, "body", f"expected notes of at most {MAX_BODY_BYTES // 1000} KB, got {size / 1000:.0f} KB")]
    errors = _bounds(body, first_line, shown)
    if errors:
        return errors
    return _convert(body, first_line, shown)


def _bounds(body: str, first_line: int, shown: str) -> list[ContentError]:
    errors: list[ContentError] = []
    brackets, angles, paragraph_line = 0, 0, first_line
    for number, line in enumerate(_lines(body), start=first_line):
        if not line.strip():
            brackets, paragraph_line = 0, number + 1
            continue
        depth = nesting(line)
        if depth > MAX_NESTING:
            errors.append(ContentError(shown, number, "body", f"expected lists and blocks nested at most {MAX_NESTING} deep, got {depth}"))
            break
        brackets += line.count("[")
        angles += line.count("<")
        if angles > MAX_ANGLES:
            errors.append(ContentError(shown, number, "body", f"expected at most {MAX_ANGLES} '<' in the notes, got more; "
                                       "write fewer angle brackets (《》 for titles)"))
            break
        if brackets > MAX_BRACKETS:
            errors.append(ContentError(shown, paragraph_line, "body", f"expected at most {MAX_BRACKETS} '[' in one paragraph, got more; "
                                       "split the paragraph or write fewer brackets"))
            break
    return errors


def nesting(line: str) -> int:
    """Nesting a line opens: its indent in 4-column steps plus the list/quote/block markers it starts with."""
    expanded = line.expandtabs(4)
    text = expanded.lstrip(" ")
    depth = (len(expanded) - len(text)) // 4
    while True:
        match = _OPENER.match(text)
        if not match:
            return depth
        depth += 1
        text = text[match.end():].lstrip(" ")


def _lines(body: str) -> list[str]:
    # Python-Markdown also ends lines at a lone \r (as YAML and editors may leave them).
    return body.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _convert(body: str, first_line: int, shown: str) -> list[ContentError]:
    import markdown
    from pymdownx.slugs import slugify

    from ..render.escaping import safe_markdown  # what the standard page template feeds Markdown

    configs = {**_CONFIGS, "toc": {**_CONFIGS["toc"], "slugify": slugify(case="lower")}}
    try:
        markdown.Markdown(extensions=SITE_EXTENSIONS, extension_configs=configs).convert(str(safe_markdown(body)))
    except RecursionError:
        return [ContentError(shown, first_line, "body", "expected notes Markdown can read, got nesting too deep to convert")]
    except Exception as error:  # a library failure on content is still the content's error
        return [ContentError(shown, first_line, "body", f"expected notes Markdown can convert, got {type(error).__name__}: {error}")]
    return []
