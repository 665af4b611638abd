"""Read standard files: YAML front matter (validated, with real line numbers) plus a Markdown body."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from ..errors import ContentError, display_path
from ..model.standard import StandardFrontMatter, StandardRecord
from .files import FileProblem, Origin, parse_yaml, read_text, validate
from .markdown_body import check_body
from .messages import describe

# Body links may not use schemes that run code: [x](javascript:…), [id]: data:…
_UNSAFE_LINK = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def load_standard_file(path: Path, root: Path, raw: bytes | None = None) -> tuple[StandardRecord | None, Origin | None, list[ContentError]]:
    shown = display_path(path, root)
    try:
        text = read_text(path, shown, raw)
        front, body, body_line = split_front_matter(text, shown)
        data, lines = parse_yaml(front, shown, first_line=2)
    except FileProblem as problem:
        return None, None, [problem.error]
    origin = Origin(shown, lines)
    if isinstance(data, dict) and "body" in data:
        return None, origin, [origin.error(("body",), "expected the notes below the front matter, got a 'body' field")]
    front_matter, errors = validate(StandardFrontMatter, data, origin)
    errors += _unsafe_links(body, body_line, shown)
    errors += check_body(body, body_line, shown)
    if front_matter is None or errors:
        return None, origin, errors
    try:
        return StandardRecord(**front_matter.model_dump(), body=body), origin, []
    except ValidationError as exc:  # only the body is new here (a control character in the notes)
        return None, origin, [ContentError(shown, body_line, "body", describe(e, StandardRecord)) for e in exc.errors()]


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line number where the body starts).

    The front matter ends at the first line that is exactly '---' from column 0, as in YAML:
    an indented '---' belongs to a block scalar (a template's separator line), not to the file."""
    lines = text.split("\n")
    if not lines or not _is_marker(lines[0]):
        raise FileProblem(ContentError(shown, 1, "(file)", "expected front matter starting with '---' on line 1, got none"))
    for index in range(1, len(lines)):
        if _is_marker(lines[index]):
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1:]), index + 2
    raise FileProblem(ContentError(shown, 1, "(file)", "expected a closing '---' after the front matter, found none"))


def _is_marker(line: str) -> bool:
    return line.rstrip(" \t\r") == "---"


def _unsafe_links(body: str, first_line: int, shown: str) -> list[ContentError]:
    return [
        ContentError(shown, first_line + number, "body", f"expected an http(s) or relative link, got a {match.group(2).lower()}: link")
        for number, line in enumerate(body.split("\n"))
        for match in [_UNSAFE_LINK.search(line)]
        if match
    ]
