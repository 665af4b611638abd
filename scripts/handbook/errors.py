"""Content errors: one line each, pointing at the file and line an editor must fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    """A mistake in a content file, reported as ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ContentErrors(Exception):
    """Raised once, after every file was read, with every error found."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


def display_path(path: Path, root: Path) -> str:
    """The path as the editor knows it: relative to the project root when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def field_path(loc: tuple) -> str:
    """('metrics', 3, 'value') → 'metrics[3].value'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


def show_value(value: object, limit: int = 40) -> str:
    """A found value as an editor would recognise it in the file."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"'{text}'" if isinstance(value, str) else text
