"""Checks across fields and files that a single model cannot make: ids, references, quotes."""

from __future__ import annotations

from pathlib import Path

from ..errors import ContentError
from ..model.case import CaseRecord
from ..model.standard import StandardRecord
from .files import Origin
from .source_text import match_key, normalise_article


class SourceLibrary:
    """Normalised texts of the source copies under ``cases/``, read once each."""

    def __init__(self, cases_dir: Path):
        self.cases_dir = cases_dir
        self._texts: dict[str, str | None] = {}
        self._keys: dict[str, str | None] = {}

    def text(self, relative: str) -> str | None:
        if relative not in self._texts:
            path = self.cases_dir / relative
            try:
                self._texts[relative] = normalise_article(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                self._texts[relative] = None
        return self._texts[relative]

    def key(self, relative: str) -> str | None:
        """The source in the form quotes are compared against (computed once per file)."""
        if relative not in self._keys:
            text = self.text(relative)
            self._keys[relative] = None if text is None else match_key(text)
        return self._keys[relative]


def check_cases(loaded: list[tuple[CaseRecord, Origin]], library: SourceLibrary, standard_ids: set[str]) -> list[ContentError]:
    errors: list[ContentError] = []
    seen_ids: dict[str, Origin] = {}
    seen_sources: dict[str, tuple[str, Origin]] = {}
    for case, origin in loaded:
        stem = Path(origin.file).stem
        if case.id != stem:
            errors.append(origin.error(("id",), f"expected the file name's id '{stem}', got '{case.id}'"))
        if case.id in seen_ids:
            other = seen_ids[case.id]
            errors.append(origin.error(("id",), f"expected a unique id, got '{case.id}' (also in {other.file}:{other.lines.line(('id',))})"))
        seen_ids.setdefault(case.id, origin)
        errors += _check_sources(case, origin, library, seen_sources)
        errors += _check_mechanisms(case, origin)
        errors += _check_metrics(case, origin, library)
        errors += _check_standard_refs(case, origin, standard_ids)
        if case.training and case.training.exercise.standard not in standard_ids:
            errors.append(origin.error(("training", "exercise", "standard"),
                                       f"expected a standard id from standards/, got '{case.training.exercise.standard}'"))
    return errors


def check_sessions(loaded, case_ids: set[str], standard_ids: set[str]) -> list[ContentError]:
    """Session plans name existing cases and standards; ids match file names."""
    errors = []
    for session, origin in loaded:
        stem = Path(origin.file).stem
        if session.id != stem:
            errors.append(origin.error(("id",), f"expected the file name's id '{stem}', got '{session.id}'"))
        errors += [origin.error(("cases", i), f"expected a case id from cases/, got '{ref}'")
                   for i, ref in enumerate(session.cases) if ref not in case_ids]
        errors += [origin.error(("standards", i), f"expected a standard id from standards/, got '{ref}'")
                   for i, ref in enumerate(session.standards) if ref not in standard_ids]
    return errors


def check_standards(loaded: list[tuple[StandardRecord, Origin]], library: SourceLibrary, source_files: dict[str, str]) -> list[ContentError]:
    """Ids match file names and are unique; actors are declared roles; every cited sentence is in its source."""
    errors: list[ContentError] = []
    seen: dict[str, Origin] = {}
    for standard, origin in loaded:
        stem = Path(origin.file).stem
        if standard.id != stem:
            errors.append(origin.error(("id",), f"expected the file name's id '{stem}', got '{standard.id}'"))
        if standard.id in seen:
            errors.append(origin.error(("id",), f"expected a unique id, got '{standard.id}' (also in {seen[standard.id].file})"))
        seen.setdefault(standard.id, origin)
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


def _check_sources(case, origin, library, seen_sources) -> list[ContentError]:
    errors = []
    own: set[str] = set()
    for i, source in enumerate(case.sources):
        if source.id in own:
            errors.append(origin.error(("sources", i, "id"), f"expected a unique source id, got '{source.id}' twice"))
        own.add(source.id)
        if source.id in seen_sources and seen_sources[source.id][0] != source.file:
            other_file, other = seen_sources[source.id]
            errors.append(origin.error(("sources", i, "id"), f"expected '{source.id}' to name {other_file} as in {other.file}, got {source.file}"))
        seen_sources.setdefault(source.id, (source.file, origin))
        if library.text(source.file) is None:
            errors.append(origin.error(("sources", i, "file"), f"expected a readable UTF-8 file at cases/{source.file}, found none"))
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
        if citation.source not in files:
            errors.append(origin.error(("metrics", i, "citation", "source"), f"expected one of this case's source ids ({', '.join(files)}), got '{citation.source}'"))
            continue
        if match_key(metric.text) not in match_key(citation.quote):
            errors.append(origin.error(("metrics", i, "text"), f"expected the figure as written in the quote, got '{metric.text}' which the quote does not contain"))
        errors += check_quote(origin, ("metrics", i, "citation", "quote"), citation.quote, library.key(files[citation.source]), files[citation.source])
    return errors


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
    return [origin.error(loc, f"expected a sentence found word for word in {source_file}, got '{quote[:30]}…' which is not there")]
