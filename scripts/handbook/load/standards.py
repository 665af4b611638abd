"""Read standard files: YAML front matter (validated, with real line numbers) plus a Markdown body."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ContentError, display_path
from ..model.standard import StandardFrontMatter, StandardRecord
from .files import FileProblem, Origin, parse_yaml, read_text, validate

# Body links may not use schemes that run code: [x](javascript:…), [id]: data:…
_UNSAFE_LINK = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def load_standard_file(path: Path, root: Path) -> tuple[StandardRecord | None, Origin | None, list[ContentError]]:
    shown = display_path(path, root)
    try:
        text = read_text(path, shown)
        front, body, body_line = split_front_matter(text, shown)
        data, lines = parse_yaml(front, shown, first_line=2)
    except FileProblem as problem:
        return None, None, [problem.error]
    origin = Origin(shown, lines)
    if isinstance(data, dict) and "body" in data:
        return None, origin, [origin.error(("body",), "expected the notes below the front matter, got a 'body' field")]
    front_matter, errors = validate(StandardFrontMatter, data, origin)
    errors += _unsafe_links(body, body_line, shown)
    if front_matter is None or errors:
        return None, origin, errors
    return StandardRecord(**front_matter.model_dump(), body=body), origin, []


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FileProblem(ContentError(shown, 1, "(file)", "expected front matter starting with '---' on line 1, got none"))
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1:]), index + 2
    raise FileProblem(ContentError(shown, 1, "(file)", "expected a closing '---' after the front matter, found none"))


def _unsafe_links(body: str, first_line: int, shown: str) -> list[ContentError]:
    return [
        ContentError(shown, first_line + number, "body", f"expected an http(s) or relative link, got a {match.group(2).lower()}: link")
        for number, line in enumerate(body.split("\n"))
        for match in [_UNSAFE_LINK.search(line)]
        if match
    ]
