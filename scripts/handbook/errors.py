"""The errors the commands report as one line each, never as a traceback.

Content errors point at the file and line an editor must fix; an editor command's
input error and a failing template each say what went wrong in one line.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# The report is read in a terminal: thousands of lines help nobody (5,000 bad figures gave
# 770 KB), so each file shows its first few errors and the whole report is capped too.
ERRORS_PER_FILE = 20
ERRORS_IN_REPORT = 200
# Characters that are invisible or act on the terminal (ESC, BEL, bidi overrides, ZWSP, BOM):
# printed as escapes so the reader sees them and nothing raw reaches the terminal.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


@dataclass(frozen=True, order=True)
class ContentError:
    """A mistake in a content file, reported as ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return visible(f"{self.file}:{self.line}: {self.field}: {self.message}")


class ContentErrors(Exception):
    """Raised once, after every file was read, with every error found."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(report_lines(self.errors)))


def report_lines(errors: list[ContentError], per_file: int = ERRORS_PER_FILE, total: int = ERRORS_IN_REPORT) -> list[str]:
    """The errors as printed: the first ``per_file`` of each file, at most ``total`` in all,
    then one "… and K more in FILE" line for each file with errors left out."""
    counts = Counter(e.file for e in errors)
    shown: Counter = Counter()
    lines: list[str] = []
    for error in errors:
        if shown[error.file] < per_file and len(lines) < total:
            lines.append(str(error))
            shown[error.file] += 1
    lines += [visible(f"… and {counts[file] - shown[file]} more in {file}") for file in counts if counts[file] > shown[file]]
    return lines


def visible(text: str) -> str:
    """``text`` with control and invisible characters written as escapes (\\x1b, \\u200b)."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _HIDDEN_CATEGORIES else ch for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class EditorError(Exception):
    """A one-line problem with an editor command's input; nothing was written."""


class RenderError(Exception):
    """A template failed on a page: ``template:line → page: message``."""


def display_path(path: Path, root: Path) -> str:
    """The path as the editor knows it: relative to the project root when possible."""
    # Where the file sits, not where a symlink points (cases/zero.yaml, not /dev/zero).
    for mine, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(root))), (path.resolve(), root.resolve())):
        try:
            return mine.relative_to(base).as_posix()
        except ValueError:
            pass
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
