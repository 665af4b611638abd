"""Collection-wide content rules that no single record's model can check.

- Typography: Traditional forms OpenCC keeps (著眼 for 着眼), ASCII punctuation between
  Chinese characters, a space between digits and Chinese characters, and a “ opened inside
  another “…” (the inner pair must be ‘…’).
  These are read from the raw lines, so an error names the line an editor must change.
- Edition notes: a number the hand-written note states (“7个案例”) must match the data.
- Glossary senses: a scope names a case or standard that exists.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..errors import ContentError, display_path
from ..model.edition import EditionFile, edition_counts
from .files import MAX_BYTES, load_yaml_file, read_capped
from .source_text import KEPT_TRADITIONAL

_CJK = r"\u3400-\u9fff"
# a half-width , : ; ? ! with Chinese (or a Chinese quote mark) on both sides
ASCII_PUNCT = re.compile(rf"(?<=[{_CJK}“”])[,:;?!](?=[{_CJK}“”])")
# a space between a digit and a Chinese character: the handbook writes 44个街道, not 44 个街道
DIGIT_SPACE = re.compile(rf"(?<![A-Za-z0-9.])\d+(?:\.\d+)?%? (?=[{_CJK}])|(?<=[{_CJK}]) \d")
# each \s* follows a character it needs: adjacent \s* runs backtrack cubically on a long indent
_KEY = re.compile(r"^\s*(?:-\s*)?(?:\{\s*)?([A-Za-z_]+):")
_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# what an edition note may count, and the count each phrase is checked against
_COUNTED = re.compile(r"(\d+|[一两二三四五六七八九十]+)\s*(?:个|篇|项)\s*(案例|标准流程|标准|术语|场培训|个培训)")


def typography_problems(line: str) -> list[str]:
    """What is wrong with one line of Chinese text (empty: nothing)."""
    problems = [f"expected {new}, got the Traditional form {old} (OpenCC keeps it)"
                for old, new in KEPT_TRADITIONAL.items() if old in line]
    for match in ASCII_PUNCT.finditer(line):
        problems.append(f"expected full-width punctuation between Chinese characters, got ASCII '{match.group(0)}' "
                        f"in '…{line[max(0, match.start() - 8):match.end() + 8].strip()}…'")
    for match in DIGIT_SPACE.finditer(line):
        problems.append(f"expected no space between digits and Chinese characters, got '{match.group(0).strip()}' "
                        f"with a space in '…{line[max(0, match.start() - 6):match.end() + 6].strip()}…'")
    depth = 0
    for index, char in enumerate(line):
        if char == "“":
            if depth:
                problems.append(f"expected ‘…’ for a quote inside “…”, got a nested “ in '…{line[max(0, index - 8):index + 8].strip()}…'")
                break
            depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
    return problems


def check_typography(paths: list[Path], root: Path) -> list[ContentError]:
    errors = []
    for path in paths:
        try:
            raw = read_capped(path, MAX_BYTES)  # never blocks on a FIFO nor reads /dev/zero forever
        except OSError:
            continue  # the file's own loader reports it
        if len(raw) <= MAX_BYTES:
            errors += _typography_of_file(display_path(path, root), path.suffix == ".md", raw)
    return errors


@functools.lru_cache(maxsize=4096)
def _typography_of_file(shown: str, standard: bool, raw: bytes) -> tuple[ContentError, ...]:
    """The problems of one file's text. Kept per file content: `mkdocs serve` checks every file
    on each save, and only the saved one changed (a tenth of a preview rebuild at 1,000 cases)."""
    try:
        lines = raw.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return ()  # the file's own loader reports it
    errors = []
    key, fences = "(text)", 0
    for number, line in enumerate(lines, start=1):
        if standard and line.strip() == "---":
            fences += 1  # a standard: front matter between the first two ---, then the body
        found = _KEY.match(line)
        key = "body" if standard and fences >= 2 else found.group(1) if found else key
        errors += [ContentError(shown, number, key, problem) for problem in typography_problems(line)]
    return tuple(errors)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_NUMERALS.get(text[1:], 0) if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _NUMERALS[tens] * 10 + (_NUMERALS.get(ones, 0) if ones else 0)
    return _NUMERALS.get(text, -1)


def check_edition_notes(path: Path, root: Path, editions: EditionFile | None, cases, standards, glossary, sessions) -> list[ContentError]:
    """A note may give counts in words, but never counts the data contradicts."""
    if editions is None or not path.is_file():
        return []
    _, origin, _ = load_yaml_file(path, display_path(path, root), EditionFile)
    if origin is None:
        return []
    errors = []
    for i, edition in enumerate(editions.editions):
        counts = edition_counts(edition, cases, standards)
        actual = {"案例": counts.cases, "标准流程": counts.standards, "标准": counts.standards,
                  "术语": len(glossary), "场培训": len(sessions), "个培训": len(sessions)}
        for match in _COUNTED.finditer(edition.note or ""):
            stated, what = _number(match.group(1)), match.group(2)
            if stated != actual[what]:
                errors.append(origin.error(("editions", i, "note"),
                                           f"expected the note to agree with the data ({actual[what]}个{what} in this edition), "
                                           f"got '{match.group(0)}' (leave counts to the computed summary)"))
    return errors


def check_glossary_scopes(glossary_file: Path, root: Path, glossary, record_ids: set[str]) -> list[ContentError]:
    if glossary is None:
        return []
    from ..model.glossary import Glossary

    _, origin, _ = load_yaml_file(glossary_file, display_path(glossary_file, root), Glossary)
    return [origin.error(("terms", i, "scope", j), f"expected a case or standard id, got '{scope}'")
            for i, term in enumerate(glossary.terms) for j, scope in enumerate(term.scope)
            if scope not in record_ids and origin is not None]


def check_content_rules(root: Path, case_root: Path, standard_root: Path, cases, standards, glossary, editions,
                        sessions, edition_file: str, glossary_file: str, record_ids: set[str]) -> list[ContentError]:
    """Every rule above, over the loaded records (cases/standards: (record, origin) pairs; record_ids
    also holds the ids of records that failed validation, so a scope naming them is not reported)."""
    paths = sorted(case_root.glob("*.yaml")) + sorted(case_root.glob("*.yml")) + sorted(standard_root.glob("*.md"))
    paths += sorted((standard_root / "sessions").glob("*.yaml"))
    if (standard_root / glossary_file).is_file():
        paths.append(standard_root / glossary_file)
    case_records = [case for case, _ in cases]
    standard_records = [standard for standard, _ in standards]
    errors = check_typography(paths, root)
    errors += check_edition_notes(case_root / edition_file, root, editions, case_records, standard_records,
                                  glossary.terms if glossary else [], sessions)
    errors += check_glossary_scopes(standard_root / glossary_file, root, glossary, record_ids)
    return errors
