"""Read one content file safely: size, encoding and YAML problems become content errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import ContentError, field_path
from .messages import describe
from .yaml_reader import LineMap, YamlProblem, read_yaml

MAX_BYTES = 1_000_000  # a record is a few KB; anything this large is a mistake


@dataclass
class Origin:
    """The file a record came from and where each of its fields sits."""

    file: str
    lines: LineMap

    def error(self, loc: tuple, message: str) -> ContentError:
        return ContentError(self.file, self.lines.line(loc), field_path(loc), message)


def read_text(path: Path, shown: str) -> str:
    """The file's text, or a ContentError for what stands in the way."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FileProblem(ContentError(shown, 1, "(file)", f"expected at most {MAX_BYTES // 1000} KB, got {size / 1e6:.1f} MB"))
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise FileProblem(ContentError(shown, 1, "(file)", "expected UTF-8 without a byte-order mark, got a BOM; save the file as UTF-8 (no BOM)"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileProblem(ContentError(shown, line, "(file)", f"expected UTF-8 text, got byte 0x{raw[exc.start]:02x} that is not UTF-8")) from None


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[object, LineMap]:
    if "\x00" in text:
        raise FileProblem(ContentError(shown, text.count("\n", 0, text.index("\x00")) + 1, "(file)", "expected text, got a NUL byte (binary file?)"))
    try:
        return read_yaml(text, first_line)
    except YamlProblem as problem:
        raise FileProblem(ContentError(shown, problem.line, problem.field or "yaml", problem.message)) from None


def validate(model: type[BaseModel], data: object, origin: Origin) -> tuple[BaseModel | None, list[ContentError]]:
    """Validate ``data`` against ``model``; every pydantic error becomes a ContentError."""
    if not isinstance(data, dict):
        found = "an empty file" if data is None else "a list" if isinstance(data, list) else f"'{data}'"
        return None, [ContentError(origin.file, origin.lines.first_line, "(file)", f"expected a mapping of fields (key: value), got {found}")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [origin.error(tuple(e["loc"]), describe(e, model)) for e in exc.errors()]


class FileProblem(Exception):
    """A file-level problem that stops reading this one file (the others go on)."""

    def __init__(self, error: ContentError):
        self.error = error


def load_yaml_file(path: Path, shown: str, model: type[BaseModel]) -> tuple[BaseModel | None, Origin | None, list[ContentError]]:
    """Read one YAML content file into ``model``: (record or None, origin, errors)."""
    try:
        data, lines = parse_yaml(read_text(path, shown), shown)
    except FileProblem as problem:
        return None, None, [problem.error]
    origin = Origin(shown, lines)
    record, errors = validate(model, data, origin)
    return record, origin, errors
