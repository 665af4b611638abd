"""Reuse a page's Markdown from the previous render when nothing its template read has changed.

`make serve` renders the whole collection again on every save, and at 1,000 cases that was most
of the wait: a corrected figure changes one case page and the few lists that show it. This module
lets ``render_pages`` skip the others without being told what each template reads (a project may
override any template), by recording it:

- the page's own arguments (the case, the listing, ...) are *fingerprinted*: values by value,
  validated records by identity. Records are frozen, and the loader keeps the same object for a
  file whose bytes did not change (``load.loader.ParsedFiles``), so "the same object" means "the
  same content";
- the shared objects (the collection, its sources, the downloads) reach the template through a
  recording proxy: every attribute read, item lookup and method call is kept with the
  fingerprint of what it returned.

The next render replays that trace against the new collection; the page is reused only when its
arguments and every replayed result fingerprint the same. Anything this cannot fingerprint makes
the page render as usual. Nothing here knows MkDocs; ``mkdocs build`` renders without it.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel


class Untracked(Exception):
    """A value this module cannot fingerprint: the page is rendered, never reused."""


class _Same:
    """A record compared by identity; holding it keeps its id from being given to another object."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


_VALUES = (str, int, float, bool, type(None), bytes, datetime.date, enum.Enum)


def fingerprint(value: Any) -> Any:
    """A hashable stand-in equal for equal inputs: values with their type (Markup and str print
    differently), records by identity, containers and frozen dataclasses by their items."""
    if isinstance(value, _VALUES):
        return type(value), value
    if isinstance(value, BaseModel):
        if not value.model_config.get("frozen"):
            raise Untracked(type(value).__name__)
        return _Same(value)
    if isinstance(value, (list, tuple)):
        return type(value), tuple(fingerprint(item) for item in value)
    if isinstance(value, dict):
        return dict, tuple((fingerprint(k), fingerprint(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return frozenset, frozenset(fingerprint(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value), tuple(fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value))
    raise Untracked(type(value).__name__)


class _Raised:
    """What a replayed read returns when it raised: equal for the same kind of error."""

    def __init__(self, error: BaseException) -> None:
        self.kind = type(error)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Raised) and other.kind is self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


def _read(target: Any, step: tuple) -> Any:
    """Perform one recorded read on ``target``: ("attr", name), ("call", name, args, kwargs),
    ("item", key), ("len",), ("iter",), ("bool",) or ("contains", item)."""
    kind = step[0]
    if kind == "attr":
        return getattr(target, step[1])
    if kind == "call":
        return getattr(target, step[1])(*step[2], **step[3])
    if kind == "item":
        return target[step[1]]
    if kind == "len":
        return len(target)
    if kind == "iter":
        return list(target)
    if kind == "contains":
        return step[1] in target
    if kind == "bool":
        return bool(target)
    raise AssertionError(kind)


class _Trace:
    """The reads one page's template made of the shared objects, in order, with their results."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, tuple, Any]] = []  # (shared object's name, read, fingerprint)
        self.untracked = False

    def perform(self, role: str, target: Any, step: tuple) -> Any:
        try:
            value = _read(target, step)
        except Exception as error:
            self._keep(role, step, _Raised(error))
            raise
        self._keep(role, step, value)
        return value

    def _keep(self, role: str, step: tuple, value: Any) -> None:
        try:
            self.steps.append((role, step, value if isinstance(value, _Raised) else fingerprint(value)))
        except Untracked:
            self.untracked = True

    def holds(self, shared: dict[str, Any]) -> bool:
        """Do the same reads, on the new shared objects, give the same results?"""
        for role, step, expected in self.steps:
            try:
                got = fingerprint(_read(shared[role], step))
            except Untracked:
                return False
            except Exception as error:  # noqa: BLE001 (a read that raised before may raise again)
                got = _Raised(error)
            if got != expected:
                return False
        return True


class _Recording:
    """Stands in for a shared object in a template's context and records what is read of it."""

    __slots__ = ("_role", "_target", "_trace")

    def __init__(self, role: str, target: Any, trace: _Trace) -> None:
        object.__setattr__(self, "_role", role)
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_trace", trace)

    def _perform(self, step: tuple) -> Any:
        return self._trace.perform(self._role, self._target, step)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value) and not isinstance(value, type):  # a method: record the call, not the bound method
            return lambda *args, **kwargs: self._perform(("call", name, args, kwargs))
        return self._perform(("attr", name))

    def __getitem__(self, key: Any) -> Any:
        return self._perform(("item", key))

    def __len__(self) -> int:
        return self._perform(("len",))

    def __iter__(self):
        return iter(self._perform(("iter",)))

    def __contains__(self, item: Any) -> bool:
        return self._perform(("contains", item))

    def __bool__(self) -> bool:
        return self._perform(("bool",))


@dataclasses.dataclass
class _Kept:
    arguments: Any
    trace: _Trace
    text: str


class PageReuse:
    """Rendered pages and computed values of the previous render, for the next one (`make serve`).

    ``render`` and ``value`` are called by ``render_pages`` (and ``value`` by the adapter, for work
    of its own); entries a render does not use are dropped, so memory holds one render's worth."""

    def __init__(self) -> None:
        self._pages: dict[tuple[str, str], _Kept] = {}
        self._values: dict[tuple, Any] = {}  # of the previous render
        self._used_values: dict[tuple, Any] = {}  # asked for since this one began
        self._setting: Any = None
        self.reused = 0
        self.rendered: list[str] = []  # the pages the last render did render (src_uri)

    def begin(self, setting: Any) -> None:
        """Start a render; ``setting`` is everything every page depends on (templates, URL style):
        when it differs from the previous render's, nothing is reused."""
        fingerprint_ = fingerprint(setting)
        self._values, self._used_values = self._used_values, {}
        if fingerprint_ != self._setting:
            self._pages.clear()
            self._values.clear()
        self._setting = fingerprint_
        self._seen: set[tuple[str, str]] = set()
        self.reused, self.rendered = 0, []

    def end(self) -> None:
        for key in set(self._pages) - self._seen:
            del self._pages[key]

    def render(self, template: str, src_uri: str, shared: dict[str, Any], arguments: dict[str, Any],
               render: Callable[[dict[str, Any]], str]) -> str:
        """The page's Markdown: the previous text when its arguments and the trace still hold,
        else ``render(context)`` with the shared objects recorded."""
        key = (template, src_uri)
        self._seen.add(key)
        try:
            arguments_print = fingerprint(arguments)
        except Untracked:
            arguments_print = None
        kept = self._pages.get(key)
        if kept is not None and arguments_print is not None and kept.arguments == arguments_print and kept.trace.holds(shared):
            self.reused += 1
            return kept.text
        trace = _Trace()
        text = render({**{role: _Recording(role, value, trace) for role, value in shared.items()}, **arguments})
        self.rendered.append(src_uri)
        if arguments_print is None or trace.untracked:
            self._pages.pop(key, None)
        else:
            self._pages[key] = _Kept(arguments_print, trace, text)
        return text

    def value(self, name: str, compute: Callable[..., Any], *arguments: Any) -> Any:
        """``compute(*arguments)``, reused while the arguments fingerprint the same; what a render
        (from one ``begin`` to the next) does not ask for is forgotten."""
        try:
            key = (name, fingerprint(arguments))
        except Untracked:
            return compute(*arguments)
        if key not in self._used_values:
            self._used_values[key] = self._values[key] if key in self._values else compute(*arguments)
        return self._used_values[key]


def compute_now(_name: str, compute: Callable[..., Any], *arguments: Any) -> Any:
    """``PageReuse.value`` without a previous render: what a build (no preview) uses in its place."""
    return compute(*arguments)


def template_files_stamp(*folders: Path | None) -> tuple:
    """Name and content digest of every template file: an edited, added or removed template changes
    it (contents, not modification times: an edit may keep the size and the time)."""
    stamp = []
    for folder in folders:
        if folder is not None and Path(folder).is_dir():
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    try:
                        stamp.append((str(path), hashlib.sha256(path.read_bytes()).hexdigest()))
                    except OSError:
                        stamp.append((str(path), None))
    return tuple(stamp)
