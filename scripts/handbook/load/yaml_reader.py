"""Read a YAML (or front-matter) document into plain Python data plus a line for every field.

PyYAML's composer gives us nodes with marks; we build the Python values ourselves so
that each key and list item remembers its line. Anchors/aliases are refused: records
have no use for them and they are the way to build an alias bomb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

MAX_DEPTH = 32
# The only way a number may be written: YAML 1.1 also reads 0442 (octal), 4:50 (base 60),
# 0x122, 2_90, 1.0e+309 and .nan as numbers, each silently unlike what the source says.
_PLAIN_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")
_YAML_TAG = "tag:yaml.org,2002:"


class YamlProblem(Exception):
    """A document that cannot be read as data: carries the line and the message."""

    def __init__(self, line: int, message: str, field: str = "yaml"):
        self.line, self.message, self.field = line, message, field
        super().__init__(message)


@dataclass
class LineMap:
    """Where each field of a document starts, by its location tuple."""

    lines: dict[tuple, int] = field(default_factory=dict)
    first_line: int = 1
    # Values YAML would silently change (a tag, a number not in plain decimal): location ->
    # message. The value is kept as written; the model's own error there wins unless it only
    # says the written text is of the wrong type.
    problems: dict[tuple, str] = field(default_factory=dict)

    def line(self, loc: tuple) -> int:
        """Line of the longest known prefix of ``loc`` (a missing field points at its parent)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.first_line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases where they occur; we construct values ourselves."""

    line_offset = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            line = self.peek_event().start_mark.line + 1 + self.line_offset
            raise YamlProblem(line, "expected plain data, found an alias (*name); write the value out instead")
        return super().compose_node(parent, index)


class _NeedsCarefulRead(Exception):
    """The fast reader met something it cannot report precisely (an alias, a syntax error)."""


def read_yaml(text: str, first_line: int = 1) -> tuple[object, LineMap]:
    """Parse ``text``; return (data, line map). Lines are offset by ``first_line - 1``.

    Valid files are composed by libyaml (C), which is ~20x faster than PyYAML's Python
    composer; a file with any problem is read again by the Python reader, whose messages
    and positions the error reports are written against.
    """
    if getattr(yaml, "__with_libyaml__", False):
        try:
            return _read(yaml.CSafeLoader(text), first_line, refuse_shared=True)
        except _NeedsCarefulRead:
            pass
    return _read_carefully(text, first_line)


def _read(loader, first_line: int, refuse_shared: bool) -> tuple[object, LineMap]:
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            raise _NeedsCarefulRead from None
        lines = LineMap(first_line=first_line)
        if node is None:
            return None, lines
        data = _build(loader, node, (), lines, first_line - 1, 0, set() if refuse_shared else None)
        return data, lines
    finally:
        loader.dispose()


def _read_carefully(text: str, first_line: int) -> tuple[object, LineMap]:
    offset = first_line - 1
    loader = _Loader(text)
    loader.line_offset = offset
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        raise YamlProblem(line, _yaml_message(exc, offset)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, str(exc).splitlines()[0]) from None
    except RecursionError:
        raise YamlProblem(first_line, f"expected at most {MAX_DEPTH} levels of nesting, found deeper") from None
    finally:
        loader.dispose()
    lines = LineMap(first_line=first_line)
    if node is None:
        return None, lines
    data = _build(loader, node, (), lines, offset, 0)
    return data, lines


def _build(loader, node, loc, lines, offset, depth, seen=None):
    line = node.start_mark.line + 1 + offset
    if seen is not None:  # libyaml resolves aliases to shared nodes: hand over to the careful reader
        if id(node) in seen:
            raise _NeedsCarefulRead
        seen.add(id(node))
    if depth > MAX_DEPTH:
        raise YamlProblem(line, f"expected at most {MAX_DEPTH} levels of nesting, found deeper")
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(key_line, "expected a field name, found a mapping or list as a key")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(key_line, "expected plain data, found a merge key (<<); write the fields out instead")
            key = loader.construct_object(key_node)
            if isinstance(key, bool) or key is None:
                key = key_node.value
            if key in result:
                first = lines.lines.get(loc + (key,), line)
                raise YamlProblem(key_line, f"expected each field once, found '{key}' again (first on line {first})",
                                  field=_path(loc + (key,)))
            lines.lines[loc + (key,)] = key_line
            result[key] = _build(loader, value_node, loc + (key,), lines, offset, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines.lines[loc + (index,)] = item.start_mark.line + 1 + offset
            items.append(_build(loader, item, loc + (index,), lines, offset, depth + 1, seen))
        return items
    problem = _explicit_tag(loader, node)
    if problem:  # reported as written; the value is kept for the other checks when it can be built
        lines.problems[loc] = problem
        try:
            return loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError):
            return node.value
    try:
        value = loader.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        raise YamlProblem(line, _yaml_message(exc), field=_path(loc) or "yaml") from None
    except ValueError:
        # A date-shaped scalar that is no real date (2023-02-30): keep the text and
        # let the model report it together with every other problem in the file.
        return node.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not _PLAIN_DECIMAL.match(node.value):
        lines.problems[loc] = _number_problem(node.value, value)
        return node.value
    return value


def _explicit_tag(loader, node) -> str | None:
    """A message for a scalar with a tag other than !!str (!!binary, !!int, !evil), else None."""
    if node.tag == _YAML_TAG + "str":  # text, tagged or not: most scalars, so checked first
        return None
    plain = not node.style  # None from PyYAML, '' from libyaml
    if node.tag == loader.resolve(yaml.ScalarNode, node.value, (plain, not plain)):
        return None
    tag = "!!" + node.tag.removeprefix(_YAML_TAG) if node.tag.startswith(_YAML_TAG) else node.tag
    return f"expected a plain value, got one tagged {tag[:40]}; write the value itself, without a tag"


def _number_problem(text: str, value: int | float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return f"expected a finite number, got {text[:40]}"
    return (f"expected a number in plain decimal, got {text[:40]} (YAML reads it as {value}); "
            "write the number as the source writes it, in plain decimal, or quote text")


def _path(loc: tuple) -> str:
    from ..errors import field_path

    return field_path(loc) if loc else ""


def _yaml_message(exc: yaml.MarkedYAMLError, offset: int = 0) -> str:
    problem = (exc.problem or exc.context or "").strip()
    if "\\t" in problem or "found character '\\t'" in problem:
        return "expected spaces for indentation, found a tab"
    context = (exc.context or "").strip()
    start = exc.context_mark
    if context and exc.problem and start is not None and exc.problem_mark is not None and start.line != exc.problem_mark.line:
        return f"invalid YAML: {problem} ({context.removeprefix('while ')} started on line {start.line + 1 + offset})"
    return f"invalid YAML: {problem}"
