"""Rewrite pydantic's error wording into "expected …, got …" for editors."""

from __future__ import annotations

import difflib
import re
import types
import typing

from pydantic import BaseModel

from ..errors import show_value


def describe(error: dict, model: type[BaseModel]) -> str:
    kind, ctx, found = error["type"], error.get("ctx") or {}, error.get("input")
    got = show_value(found)
    if kind == "missing":
        return "expected this required field, found it missing"
    if kind == "extra_forbidden":
        return _unknown_field(error["loc"], model)
    if kind in ("string_type", "string_sub_type"):
        return f"expected text, got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {got}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "string_too_long":
        return f"expected at most {ctx['max_length']} characters, got {len(found)}"
    if kind == "string_too_short":
        return "expected text, got an empty value" if not found else f"expected at least {ctx['min_length']} characters, got {len(found)}"
    if kind == "too_short":
        return f"expected at least {ctx['min_length']} item(s), got {ctx.get('actual_length', 0)}"
    if kind == "string_pattern_mismatch":
        return f"expected text matching {ctx['pattern']}, got {got}"
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"expected a list (lines starting with '- '), got {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields (key: value), got {got}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date as YYYY-MM-DD, got {got}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.items()))
        words = {"ge": "at least", "le": "at most", "gt": "more than", "lt": "less than"}
        return f"expected a value {words[bound[0]]} {bound[1]}, got {got}"
    if kind in ("value_error", "assertion_error"):
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return f"{error['msg'][0].lower()}{error['msg'][1:]}, got {got}"


def _unknown_field(loc: tuple, model: type[BaseModel]) -> str:
    name = str(loc[-1])
    allowed = allowed_fields(model, loc[:-1])
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; allowed here: {', '.join(allowed)}" if allowed else ""
    return f"expected a known field, got unknown field '{name}'{hint}"


def allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model found by walking ``loc`` from ``model`` (empty when lost)."""
    current: object = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: object) -> object:
    """Optional[X] / Annotated[X, ...] → X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


_VALUE_START = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:#]*):\s+(\S.*?)\s*(?:#.*)?$")
_MUST_QUOTE = "%@*&`!"  # characters YAML reserves at the start of a plain value


def with_yaml_hint(message: str, text: str, index: int) -> str:
    """A YAML syntax error with a one-line fix for the mistakes editors make (line ``index``, 0-based)."""
    lines = text.splitlines()
    line = lines[index] if 0 <= index < len(lines) else ""
    value = _VALUE_START.match(line)
    if not message.startswith("invalid YAML"):
        return message  # our own wording (aliases, duplicate keys) already says what to do
    if value and value.group(2)[0] in _MUST_QUOTE:
        key, found = value.group(1).strip(), value.group(2)
        return f"{message}; a value starting with {found[0]} must be quoted: {key}: \"{found}\""
    if "mapping values are not allowed" in message and re.search(r"[\u3400-\u9fff]", line):
        return (f"{message}; an ASCII colon and space ': ' inside the text ends a field name in YAML: "
                f"write the full-width colon ： in Chinese text (or put the whole value in quotes)")
    return message
