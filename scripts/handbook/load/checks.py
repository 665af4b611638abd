"""Checks across fields and files that a single model cannot make: ids, references, quotes."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..errors import ContentError
from ..model.case import CaseRecord
from ..model.standard import StandardRecord
from .files import Origin, read_source
from .source_text import match_key, normalise_article, prose_problems


class SourceLibrary:
    """Normalised texts of the source copies under ``cases/``, read once each.

    ``previous`` is the ``normalised`` ({raw text: [normalised text, match key or None]}) of an
    earlier library: the preview passes it on, so a source whose text did not change is not
    normalised again, and its text and key are the same objects as before (see ``KeptChecks``)."""

    def __init__(self, cases_dir: Path, previous: dict[str, list] | None = None):
        self.cases_dir = cases_dir
        self._texts: dict[str, list | None] = {}
        self._previous = previous or {}
        self.normalised: dict[str, list] = {}

    def _entry(self, relative: str) -> list | None:
        if relative not in self._texts:
            raw = read_source(self.cases_dir, relative)  # capped, regular files inside cases/sources/ only
            if raw is not None and raw not in self.normalised:
                self.normalised[raw] = self._previous.get(raw) or [normalise_article(raw), None]
            self._texts[relative] = None if raw is None else self.normalised[raw]
        return self._texts[relative]

    def text(self, relative: str) -> str | None:
        entry = self._entry(relative)
        return None if entry is None else entry[0]

    def key(self, relative: str) -> str | None:
        """The source in the form quotes are compared against (computed once per text)."""
        entry = self._entry(relative)
        if entry is None:
            return None
        if entry[1] is None:
            entry[1] = match_key(entry[0])
        return entry[1]


class KeptChecks:
    """Results of the checks of one record, kept while their inputs are the same objects.

    The preview's ``ParsedFiles`` gives back the same record and origin for a file whose bytes
    did not change, and the library the same key for an unchanged source, so a save re-checks
    only the changed record (the checks across records still run on all of them)."""

    def __init__(self) -> None:
        self.source_texts: dict[str, list] = {}  # the last library's ``normalised``
        self._results: dict[tuple, tuple[tuple, list]] = {}
        self._previous: dict[tuple, tuple[tuple, list]] = {}

    def begin(self) -> None:
        """A new load: what it does not ask for again is forgotten at the next one."""
        self._previous, self._results = self._results, {}

    def run(self, name: tuple, inputs: tuple, check) -> list[ContentError]:
        kept = self._previous.get(name)
        if kept is not None and len(kept[0]) == len(inputs) and all(a is b for a, b in zip(kept[0], inputs)):
            self._results[name] = kept
            return kept[1]
        result = self._results[name] = inputs, check()
        return result[1]


def _run_now(name: tuple, inputs: tuple, check) -> list[ContentError]:
    return check()


def check_cases(loaded: list[tuple[CaseRecord, Origin]], library: SourceLibrary, standard_ids: set[str],
                kept: KeptChecks | None = None) -> list[ContentError]:
    errors: list[ContentError] = []
    seen_sources: dict[str, tuple[str, Origin]] = {}
    # The oldest record keeps a source id; a newer one reusing it is the one to blame.
    for case, origin in sorted(loaded, key=lambda item: (_added(item[0]), item[1].file)):
        errors += _check_sources(case, origin, library, seen_sources)
    errors += _check_file_ids(loaded)
    run = kept.run if kept is not None else _run_now
    for case, origin in loaded:
        # the record file's own lines (draft marks) and text, and its figures against its sources
        errors += run(("draft", origin.file), (origin,), lambda: _check_draft_marks(origin, library))
        errors += run(("prose", origin.file), (case, origin), lambda: _check_prose(case, origin))
        errors += _check_mechanisms(case, origin)
        source_keys = tuple(library.key(source.file) for source in case.sources)
        errors += run(("metrics", origin.file), (case, origin, *source_keys), lambda: _check_metrics(case, origin, library))
        errors += _check_standard_refs(case, origin, standard_ids)
        if case.training and case.training.exercise.standard not in standard_ids:
            errors.append(origin.error(("training", "exercise", "standard"),
                                       f"expected a standard id from standards/, got '{case.training.exercise.standard}'"))
    return errors


def _check_file_ids(loaded: list[tuple]) -> list[ContentError]:
    """Each record's id is its file's name, and no other record of its kind has it: the id is its page's address."""
    errors: list[ContentError] = []
    seen: dict[str, Origin] = {}
    for record, origin in loaded:
        stem = Path(origin.file).stem
        if record.id != stem:
            errors.append(origin.error(("id",), f"expected the file name's id '{stem}', got '{record.id}'"))
        if record.id in seen:
            other = seen[record.id]
            errors.append(origin.error(("id",), f"expected a unique id, got '{record.id}' (also in {other.file}:{other.lines.line(('id',))})"))
        seen.setdefault(record.id, origin)
    return errors


def check_sessions(loaded, case_ids: set[str], standard_ids: set[str]) -> list[ContentError]:
    """Session plans name existing cases and standards; ids match file names."""
    errors = _check_file_ids(loaded)
    for session, origin in loaded:
        errors += [origin.error(("cases", i), f"expected a case id from cases/, got '{ref}'")
                   for i, ref in enumerate(session.cases) if ref not in case_ids]
        errors += [origin.error(("standards", i), f"expected a standard id from standards/, got '{ref}'")
                   for i, ref in enumerate(session.standards) if ref not in standard_ids]
    return errors


def check_standards(loaded: list[tuple[StandardRecord, Origin]], library: SourceLibrary, source_files: dict[str, str]) -> list[ContentError]:
    """Ids match file names and are unique; actors are declared roles; every cited sentence is in its source."""
    errors = _check_file_ids(loaded)
    for standard, origin in loaded:
        roles = [role.name for role in standard.roles]
        for i, step in enumerate(standard.steps):
            if step.actor not in roles:
                errors.append(origin.error(("steps", i, "actor"), f"expected one of the roles ({'、'.join(roles)}), got '{step.actor}'"))
            for j, cite in enumerate(step.cites):
                errors += check_citation(origin, ("steps", i, "cites", j), cite, source_files, library, "in a case record")
        template_ids = [t.id for t in standard.templates]
        for i, template_id in enumerate(template_ids):
            if template_ids.index(template_id) != i:
                errors.append(origin.error(("templates", i, "id"), f"expected a unique template id, got '{template_id}' twice"))
    return errors


def _check_standard_refs(case, origin, standard_ids) -> list[ContentError]:
    known = "、".join(sorted(standard_ids)) or "none yet"
    return [
        origin.error(("practices", i, "standards", j), f"expected a standard id from standards/ ({known}), got '{ref}'")
        for i, practice in enumerate(case.practices)
        for j, ref in enumerate(practice.standards)
        if ref not in standard_ids
    ]


def _added(case) -> object:
    """When a record entered the collection: its first history date."""
    return min(entry.date for entry in case.history)


def first_declared_sources(loaded) -> dict[str, str]:
    """{source id: file}, the oldest record winning when a newer one reuses an id."""
    files: dict[str, str] = {}
    for case, origin in sorted(loaded, key=lambda item: (_added(item[0]), item[1].file)):
        for source in case.sources:
            files.setdefault(source.id, source.file)
    return files


def _check_sources(case, origin, library, seen_sources) -> list[ContentError]:
    errors = []
    own: set[str] = set()
    for i, source in enumerate(case.sources):
        if source.id in own:
            errors.append(origin.error(("sources", i, "id"), f"expected a unique source id, got '{source.id}' twice"))
        own.add(source.id)
        if source.id in seen_sources and seen_sources[source.id][0] != source.file:
            other_file, other = seen_sources[source.id]
            errors.append(origin.error(("sources", i, "id"), (
                f"expected a source id no other record uses, got '{source.id}', which {other.file}:{other.lines.line(('sources',))} "
                f"(an older record) already gives to {other_file}; choose a new id such as '{case.id}-source' "
                f"and use it in this record's citations")))
        seen_sources.setdefault(source.id, (source.file, origin))
        if library.text(source.file) is None:
            errors.append(origin.error(("sources", i, "file"), f"expected a readable UTF-8 file at cases/{source.file}, found none"))
    return errors


DRAFT_MARK = "待核对"  # written by `handbook new` and `handbook ingest` next to a default value
_DRAFT_MARK = re.compile(rf"^\s*[^#\s][^#]*#\s*{DRAFT_MARK}")  # a value, then the mark (not a comment line)


def _check_draft_marks(origin: Origin, library: SourceLibrary) -> list[ContentError]:
    """A default the draft guessed (coordinates, start year, type) stays marked until the editor confirms it."""
    path = next((base / origin.file for base in (library.cases_dir.parent, *library.cases_dir.parents) if (base / origin.file).is_file()), None)
    if path is None:
        return []
    by_line = {}
    for loc, line in sorted(origin.lines.lines.items(), key=lambda item: -len(item[0])):
        by_line[line] = loc  # the outermost field starting on a line names it ({lat: …, lon: …} is coordinates)
    errors = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=origin.lines.first_line):
        if _DRAFT_MARK.search(text):
            value = text.split("#", 1)[0].split(":", 1)[-1].strip()
            errors.append(origin.error(by_line.get(number, ()),
                f"expected a value checked against the source, got the draft default {value!r} still marked '# {DRAFT_MARK}'; "
                f"correct it if needed, then delete the '# {DRAFT_MARK}' comment"))
    return errors


_NO_PROSE = {"id", "file", "url", "quote", "source", "standards", "standard", "date", "as_of", "start", "change",
             "value", "lat", "lon", "type", "level", "kind"}


def _check_prose(case, origin) -> list[ContentError]:
    """Record text is clean Simplified Chinese: no D masking 党, no Traditional characters."""
    errors = []

    def walk(value, loc):
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in _NO_PROSE:
                    walk(item, loc + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, loc + (i,))
        elif isinstance(value, str):
            errors.extend(origin.error(loc, message) for message in prose_problems(value))

    walk(case.model_dump(exclude_none=True), ())
    return errors


def _check_mechanisms(case, origin) -> list[ContentError]:
    allowed = set(case.mechanisms)
    return [
        origin.error(("practices", i, "mechanisms", j), f"expected one of the case's mechanisms ({'、'.join(case.mechanisms)}), got '{tag}'")
        for i, practice in enumerate(case.practices)
        for j, tag in enumerate(practice.mechanisms)
        if tag not in allowed
    ]


def _check_metrics(case, origin, library) -> list[ContentError]:
    errors = []
    files = {s.id: s.file for s in case.sources}
    for i, metric in enumerate(case.metrics):
        citation = metric.citation
        errors += [origin.error(("metrics", i, field), message) for field, message in figure_problems(metric.value, metric.unit, metric.text)]
        if citation.source not in files:
            errors.append(origin.error(("metrics", i, "citation", "source"), f"expected one of this case's source ids ({', '.join(files)}), got '{citation.source}'"))
            continue
        if match_key(metric.text) not in match_key(citation.quote):
            errors.append(origin.error(("metrics", i, "text"), f"expected the figure as written in the quote, got '{metric.text}' which the quote does not contain"))
        errors += check_quote(origin, ("metrics", i, "citation", "quote"), citation.quote, library.key(files[citation.source]), files[citation.source])
    return errors


_NUMBER = re.compile(r"\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+")
_QUALIFIERS = re.compile(r"^(?:余|多)+")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_number(text: str) -> int | None:
    """一百二十 → 120, 千 → 1000; None when it is no simple Chinese numeral."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def figure_problems(value, unit: str, text: str) -> list[tuple[str, str]]:
    """``value`` and ``unit`` must be the ones ``text`` writes: 950余件 is value 950, unit 件.

    Qualifiers (余, 多, 近, 约, 以上, 突破, 左右) stay in ``text``; they sit around the number and
    the unit and are not part of either."""
    found = []  # (number, what follows it) for every number in text
    for match in _NUMBER.finditer(text):
        raw = match.group(0)
        number = float(raw) if raw[0].isdigit() else _cn_number(raw)
        if number is not None:
            found.append((number, _QUALIFIERS.sub("", text[match.end():])))
    if not found:
        return []  # a figure in words only: nothing to compare
    same = [rest for number, rest in found if abs(number - float(value)) < 1e-9]
    if not same:
        numbers = "、".join(f"{n:g}" for n, _ in found)
        return [("value", f"expected the number written in text '{text}' ({numbers}), got {value:g}; "
                          f"copy the number as the source writes it and put 万/亿 in unit (2.38万名: value 2.38, unit 万名)")]
    plain_unit = re.sub(r"余|多", "", unit)
    if plain_unit and not any(rest.replace("多", "").replace("余", "").startswith(plain_unit) for rest in same):
        return [("unit", f"expected the unit that follows {value:g} in text '{text}', got '{unit}'")]
    return []


def check_citation(origin: Origin, loc: tuple, cite, source_files: dict[str, str], library: "SourceLibrary",
                   declared: str) -> list[ContentError]:
    """A citation outside a case record: its source must be declared (``declared`` says where it
    may be), and its quote must appear in that source."""
    if cite.source not in source_files:
        return [origin.error(loc + ("source",), f"expected a source id declared {declared}, got '{cite.source}'")]
    file = source_files[cite.source]
    return check_quote(origin, loc + ("quote",), cite.quote, library.key(file), file)


def check_quote(origin: Origin, loc: tuple, quote: str, source_key: str | None, source_file: str) -> list[ContentError]:
    """A quote must appear word for word in its normalised source (``source_key`` = its match key)."""
    if source_key is None or match_key(quote) in source_key:
        return []
    return [origin.error(loc, f"expected a sentence found word for word in {source_file}, got '{quote[:30]}…' which is not there; "
                              + nearest_passage(match_key(quote), source_key))]


def nearest_passage(quote: str, source: str) -> str:
    """Where the quote almost is in the source, with each difference marked [quote→source]."""
    if not quote or not source:
        return "the source is empty"
    a, b, size = difflib.SequenceMatcher(None, quote, source, autojunk=False).find_longest_match(0, len(quote), 0, len(source))
    if size < 4:
        return "no passage of the source comes close; is it the right source?"
    # Align the quote's ends with the source's: try a few starts and ends around the match.
    slack, base = min(8, max(3, len(quote) // 8)), b - a

    def score(window):
        return difflib.SequenceMatcher(None, quote, source[window[0]:window[1]], autojunk=False).ratio()

    start, end = max(((max(0, base + left), base + len(quote) + right) for left in range(-slack, slack + 1)
                      for right in range(-slack, slack + 1)), key=score)
    window = source[start:end]
    marked = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, quote, window, autojunk=False).get_opcodes():
        marked.append(window[j1:j2] if tag == "equal" else f"[{quote[i1:i2]}→{window[j1:j2]}]")
    shown = "".join(marked)
    where = max(shown.find("["), 0)
    if len(shown) > 80:  # the first difference with some context on either side
        shown = ("…" if where > 30 else "") + shown[max(0, where - 30): where + 50] + ("…" if where + 50 < len(shown) else "")
    hint = "; write 党 where the quote has D (the source is compared after D→党)" if "D" in quote else ""
    return f"nearest passage in the normalised source (compared without spaces, full-width signs as half-width), differences marked [quote→source]: “{shown}”{hint}"
