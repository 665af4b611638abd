"""Read one content file safely: size, encoding and YAML problems become content errors."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import ContentError, field_path
from .messages import describe, with_yaml_hint
from .parse_store import read_yaml_kept
from .yaml_reader import LineMap, YamlProblem

MAX_BYTES = 1_000_000  # a record is a few KB; anything this large is a mistake
SOURCE_MAX_BYTES = 2_000_000  # a source article: the most `handbook ingest` accepts
_TYPE_ERRORS = {"int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"}
SOURCES_DIR = "sources"  # source copies live in cases/sources/ and nowhere else


@dataclass
class Origin:
    """The file a record came from and where each of its fields sits."""

    file: str
    lines: LineMap

    def error(self, loc: tuple, message: str) -> ContentError:
        return ContentError(self.file, self.lines.line(loc), field_path(loc), message)


def read_capped(path: Path, cap: int) -> bytes:
    """At most ``cap + 1`` bytes of a regular file (symlinks to one are followed).

    st_size is 0 for /dev/zero and a FIFO, so the size is never trusted: the file is opened
    without blocking (a FIFO with no writer would wait forever), checked to be a regular
    file on the open descriptor, and read only up to the cap. Raises OSError or NotRegular.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(_kind(mode))
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class NotRegular(OSError):
    """The path is a folder, FIFO, device or socket: nothing a record or source can be."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_text(path: Path, shown: str, raw: bytes | None = None) -> str:
    """The file's text, or a ContentError for what stands in the way; ``raw``: its bytes, already read."""
    try:
        raw = read_capped(path, MAX_BYTES) if raw is None else raw
    except NotRegular as problem:
        raise FileProblem(ContentError(shown, 1, "(file)", f"expected a regular file, got {problem.kind}")) from None
    except OSError as problem:
        raise FileProblem(ContentError(shown, 1, "(file)", f"expected a readable file, got {problem.strerror or problem}")) from None
    if len(raw) > MAX_BYTES:
        size = max(_size(path), len(raw))  # a regular file's size can be trusted for the message
        raise FileProblem(ContentError(shown, 1, "(file)", f"expected at most {MAX_BYTES // 1000} KB, got {size / 1e6:.1f} MB"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raise FileProblem(ContentError(shown, 1, "(file)", "expected UTF-8 without a byte-order mark, got a BOM; save the file as UTF-8 (no BOM)"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileProblem(ContentError(shown, line, "(file)", f"expected UTF-8 text, got byte 0x{raw[exc.start]:02x} that is not UTF-8")) from None


def source_path(cases_dir: Path, relative: str) -> Path | None:
    """cases/<relative> when it lies inside cases/sources/ once resolved (symlinks included),
    else None: an absolute path, '..' or a link leading elsewhere is never opened."""
    folder = (cases_dir / SOURCES_DIR).resolve()
    try:
        path = (cases_dir / relative).resolve()
    except (OSError, RuntimeError, ValueError):  # symlink loops, NUL bytes
        return None
    return path if path.is_relative_to(folder) and path != folder else None


def read_source(cases_dir: Path, relative: str) -> str | None:
    """The UTF-8 text of a source copy under cases/sources/, or None if it is not one
    (outside that folder, not a regular file, larger than SOURCE_MAX_BYTES, not UTF-8)."""
    path = source_path(cases_dir, relative)
    if path is None:
        return None
    try:
        raw = read_capped(path, SOURCE_MAX_BYTES)
        return raw.decode("utf-8") if len(raw) <= SOURCE_MAX_BYTES else None
    except (OSError, UnicodeDecodeError):
        return None


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[object, LineMap]:
    if "\x00" in text:
        raise FileProblem(ContentError(shown, text.count("\n", 0, text.index("\x00")) + 1, "(file)", "expected text, got a NUL byte (binary file?)"))
    try:
        return read_yaml_kept(text, first_line)
    except YamlProblem as problem:
        raise FileProblem(ContentError(shown, problem.line, problem.field or "yaml", with_yaml_hint(problem.message, text, problem.line - first_line))) from None


def validate(model: type[BaseModel], data: object, origin: Origin) -> tuple[BaseModel | None, list[ContentError]]:
    """Validate ``data`` against ``model``; every pydantic error becomes a ContentError."""
    if not isinstance(data, dict):
        found = "an empty file" if data is None else "a list" if isinstance(data, list) else f"'{data}'"
        return None, [ContentError(origin.file, origin.lines.first_line, "(file)", f"expected a mapping of fields (key: value), got {found}")]
    problems = origin.lines.problems
    try:
        record, errors = model.model_validate(data), []
    except ValidationError as exc:
        # "expected a whole number, got '4:50'" says less than the reader's note on how YAML reads 4:50
        errors = [e for e in exc.errors() if not (tuple(e["loc"]) in problems and e["type"] in _TYPE_ERRORS)]
        record, errors = None, [(tuple(e["loc"]), origin.error(tuple(e["loc"]), describe(e, model))) for e in errors]
    # What YAML would have changed silently is an error unless the model already reports that field.
    reported = {loc for loc, _ in errors}
    errors += [(loc, origin.error(loc, message)) for loc, message in problems.items() if loc not in reported]
    return record, [error for _, error in errors]


class FileProblem(Exception):
    """A file-level problem that stops reading this one file (the others go on)."""

    def __init__(self, error: ContentError):
        self.error = error


def load_yaml_file(path: Path, shown: str, model: type[BaseModel],
                   raw: bytes | None = None) -> tuple[BaseModel | None, Origin | None, list[ContentError]]:
    """Read one YAML content file (or validate its ``raw`` bytes) into ``model``: (record or None, origin, errors)."""
    try:
        data, lines = parse_yaml(read_text(path, shown, raw), shown)
    except FileProblem as problem:
        return None, None, [problem.error]
    origin = Origin(shown, lines)
    record, errors = validate(model, data, origin)
    return record, origin, errors
