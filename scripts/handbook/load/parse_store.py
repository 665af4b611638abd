"""Parsed YAML kept between builds: a record file whose text did not change is not parsed again.

Reading YAML with a line for every field is about 40% of loading a collection (1,000 cases:
about 4 s). A build hands ``load_collection`` a ParseStore over the build cache
(``.cache/build/yaml``); each text's parse (data, lines, the values YAML would have changed) is
stored as JSON under a key of the text, where it starts and the code and library versions, so
an entry is never stale, only unused. Only what JSON can say exactly is stored: a value of any
other type (bytes from a ``!!binary`` tag, a set) leaves that file unstored, parsed every time.
A text that does not parse is never stored: its errors are produced anew. The store holds data,
never code: nothing is unpickled, so a cache folder in a shared project folder cannot run anything.
Validation and the checks run on every load as before.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..build_cache import BuildCache, cache_key, code_version
from .yaml_reader import LineMap, read_yaml

_CURRENT: ContextVar[BuildCache | None] = ContextVar("handbook_parse_store", default=None)


@contextmanager
def parses_kept_in(cache: BuildCache | None) -> Iterator[None]:
    """YAML read inside this block is looked up in, and stored to, ``cache`` (None: parse every text)."""
    token = _CURRENT.set(cache)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def read_yaml_kept(text: str, first_line: int = 1) -> tuple[object, LineMap]:
    """``read_yaml``, through the store of the enclosing ``parses_kept_in`` if any."""
    cache = _CURRENT.get()
    if cache is None:
        return read_yaml(text, first_line)
    key = cache_key(code_version(), "yaml", str(first_line), text)
    entry = cache.get(key)
    if entry is not None:
        try:
            return _decode_parse(entry)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            pass  # an entry of another shape: parse again
    data, lines = read_yaml(text, first_line)  # a YamlProblem propagates, and nothing is stored
    try:
        cache.put(key, _encode_parse(data, lines))
    except _NotJson:
        pass
    return data, lines


class _NotJson(Exception):
    """A value JSON cannot carry exactly."""


def _encode_parse(data: object, lines: LineMap) -> dict:
    return {"data": _encode(data), "first_line": lines.first_line,
            "lines": [[_encode_loc(loc), line] for loc, line in lines.lines.items()],
            "problems": [[_encode_loc(loc), message] for loc, message in lines.problems.items()]}


def _decode_parse(entry: dict) -> tuple[object, LineMap]:
    lines = LineMap(lines={_decode_loc(loc): int(line) for loc, line in entry["lines"]},
                    first_line=int(entry["first_line"]),
                    problems={_decode_loc(loc): str(message) for loc, message in entry["problems"]})
    return _decode(entry["data"]), lines


# Plain JSON for text, whole numbers, finite decimals, true/false and null; a list is a JSON
# list; everything else is a one-key object: a mapping as its pairs (keys keep their types),
# a date or a date-time as ISO text.
def _encode(value: object) -> object:
    if value is None or isinstance(value, (bool, str)) or type(value) is int:
        return value
    if type(value) is float:
        if not math.isfinite(value):
            raise _NotJson
        return value
    if type(value) is list:
        return [_encode(item) for item in value]
    if type(value) is dict:
        return {"map": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if type(value) is dt.date:
        return {"date": value.isoformat()}
    if type(value) is dt.datetime:
        return {"datetime": value.isoformat()}
    raise _NotJson


def _decode(value: object) -> object:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        [(kind, content)] = value.items()
        if kind == "map":
            return {_decode(key): _decode(item) for key, item in content}
        if kind == "date":
            return dt.date.fromisoformat(content)
        if kind == "datetime":
            return dt.datetime.fromisoformat(content)
        raise ValueError(f"unknown kind {kind}")
    return value


def _encode_loc(loc: tuple) -> list:
    return [_encode(part) for part in loc]


def _decode_loc(loc: list) -> tuple:
    return tuple(_decode(part) for part in loc)
