"""Load every record under a project root into one validated Collection.

Every file is read and checked before anything is reported, so an editor sees all
problems at once; then ContentErrors is raised if there were any.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..config import ConfigError, missing_content_folders, read_options
from ..errors import ContentError, ContentErrors, display_path
from ..model.addresses import reserved_ids
from ..model.case import CaseRecord
from ..model.collection import Collection
from ..model.edition import EditionFile
from ..model.fields import latest_date
from ..model.training import SessionPlan
from .content_rules import check_content_rules
from .checks import KeptChecks, SourceLibrary, check_cases, first_declared_sources, check_sessions, check_standards
from .files import MAX_BYTES, FileProblem, NotRegular, Origin, load_yaml_file, parse_yaml, read_capped
from .glossary import check_glossary, load_glossary_file
from .recover import SOURCE_FILE, scan_sources
from .standards import load_standard_file


GLOSSARY_FILE = "glossary.yaml"  # lives in the standards folder: the handbook's vocabulary
EDITION_FILE = "edition.yaml"  # lives in the cases folder: the collection's editions
SESSIONS_DIR = "sessions"  # standards/sessions/*.yaml: training session plans


def load_project(root: Path) -> Collection:
    """The collection from the folders mkdocs.yml gives the plugin, so every command and the build agree.

    A configured folder that does not exist is a ConfigError; content problems are ContentErrors."""
    options = read_options(root)
    missing = missing_content_folders(root, options.cases_dir, options.standards_dir)
    if missing:
        raise ConfigError("\n".join(missing))
    return load_collection(root, options.cases_dir, options.standards_dir)


class ParsedFiles:
    """Each record file's parsed and validated result, reused by the next load while the file's
    bytes are the same: `mkdocs serve` keeps one, so a save re-reads every file but re-validates
    only the changed one. The checks across records still run on the whole collection."""

    def __init__(self) -> None:
        self._results: dict[Path, tuple[bytes, tuple]] = {}
        self._day = latest_date()
        self.checks = KeptChecks()  # and the checks of each unchanged record

    def load(self, path: Path, root: Path, load_file) -> tuple:
        if latest_date() != self._day:  # "no date after today" moved: validate every record anew
            self._results, self._day, self.checks = {}, latest_date(), KeptChecks()
        try:
            raw = read_capped(path, MAX_BYTES)
        except (OSError, NotRegular):  # reported by load_file itself
            return load_file(path, root)
        digest = hashlib.sha256(raw).digest()
        kept = self._results.get(path)
        if kept is not None and kept[0] == digest:
            return kept[1]
        # validated from the very bytes hashed: a save between two reads must not pair them wrongly
        result = self._results[path] = digest, load_file(path, root, raw)
        return result[1]


def _load_one(path: Path, root: Path, load_file, parsed: ParsedFiles | None) -> tuple:
    return parsed.load(path, root, load_file) if parsed else load_file(path, root)


def _load_each(paths: list[Path], root: Path, load_file, parsed: ParsedFiles | None) -> list[tuple]:
    return [_load_one(path, root, load_file, parsed) for path in paths]


def load_collection(root: Path, cases_dir: str = "cases", standards_dir: str = "standards",
                    parsed: ParsedFiles | None = None) -> Collection:
    """Read, validate and cross-check everything; raise ContentErrors listing every problem.

    With ``parsed``, record files whose bytes did not change since its last load are not parsed again."""
    root = Path(root)
    case_root, standard_root = root / cases_dir, root / standards_dir
    errors: list[ContentError] = []
    errors += misnamed_files(case_root, (".yaml", ".yml"), root)
    errors += misnamed_files(standard_root, (".md",), root, near=(".markdown",))
    errors += misnamed_files(standard_root / SESSIONS_DIR, (".yaml",), root, near=(".yml",))
    case_paths = [p for p in sorted(case_root.glob("*.yaml")) + sorted(case_root.glob("*.yml")) if p.name != EDITION_FILE]
    cases = _load_each(case_paths, root, load_case_file, parsed)
    standard_paths = sorted(standard_root.glob("*.md"))
    standards = _load_each(standard_paths, root, load_standard_file, parsed)
    glossary, glossary_origin, glossary_errors = _load_one(standard_root / GLOSSARY_FILE, root, load_glossary_file, parsed)
    errors += glossary_errors
    editions, edition_errors = _load_one(case_root / EDITION_FILE, root, load_edition_file, parsed)
    errors += edition_errors
    sessions = _load_each(sorted((standard_root / SESSIONS_DIR).glob("*.yaml")), root, load_session_file, parsed)
    for _, _, file_errors in sessions:
        errors += file_errors
    for _, _, file_errors in cases + standards:
        errors += file_errors
    broken_case_files = [path for path, (record, _, _) in zip(case_paths, cases) if record is None]
    broken_standard_ids = {path.stem for path, (record, _, _) in zip(standard_paths, standards) if record is None}
    cases = [(record, origin) for record, origin, _ in cases if record is not None]
    standards = [(record, origin) for record, origin, _ in standards if record is not None]

    if parsed:
        parsed.checks.begin()
    library = SourceLibrary(case_root, parsed.checks.source_texts if parsed else None)
    # Sources declared by records that failed validation still count, so that one broken
    # record does not make every standard citing its source report errors too.
    source_files = {source_id: file for path in broken_case_files for source_id, file in declared_sources(path, root).items()}
    source_files.update(first_declared_sources(cases))  # the oldest record keeps a reused id
    if glossary is not None:
        source_files.update({s.id: s.file for s in glossary.sources})
        errors += check_glossary(glossary, glossary_origin, library, source_files)
    elif os.path.lexists(standard_root / GLOSSARY_FILE):  # a broken glossary's sources still count
        source_files.update({k: v for k, v in declared_sources(standard_root / GLOSSARY_FILE, root).items() if k not in source_files})
    # Records that exist but failed validation are still known by their file names,
    # so references to them are not reported a second time.
    standard_ids = {standard.id for standard, _ in standards} | broken_standard_ids
    case_ids = {case.id for case, _ in cases} | {path.stem for path in broken_case_files}
    errors += check_cases(cases, library, standard_ids, parsed.checks if parsed else None)
    errors += check_standards(standards, library, source_files)
    if parsed:
        parsed.checks.source_texts = library.normalised
    sessions = [(session, origin) for session, origin, _ in sessions if session is not None]
    errors += check_sessions(sessions, case_ids, standard_ids)
    errors += reserved_id_errors(cases, "cases") + reserved_id_errors(standards, "standards")
    errors += reserved_id_errors(sessions, "training")
    errors += check_content_rules(root, case_root, standard_root, cases, standards, glossary, editions, sessions, EDITION_FILE, GLOSSARY_FILE, case_ids | standard_ids)
    if errors:
        raise ContentErrors(errors)
    return Collection(
        cases=[c for c, _ in cases],
        standards=[s for s, _ in standards],
        glossary=glossary.terms if glossary else [],
        extra_sources=glossary.sources if glossary else [],
        editions=editions,
        sessions=[session for session, _ in sessions],
    )


def load_edition_file(path: Path, root: Path, raw: bytes | None = None) -> tuple[EditionFile | None, list[ContentError]]:
    """The optional edition file; without it the handbook is an unnumbered draft edition."""
    if not os.path.lexists(path):  # a FIFO or a link to a device is reported, not skipped
        return None, []
    editions, _, errors = load_yaml_file(path, display_path(path, root), EditionFile, raw)
    return editions, errors


def declared_sources(path: Path, root: Path) -> dict[str, str]:
    """{source id: file} as written in a record that failed validation (best effort, never raises).

    Only files of the form Source.file allows are kept (never /etc/passwd or ../..); a file that
    is not YAML at all (syntax error, BOM, stray bytes, too large) is read line by line."""
    try:
        raw = read_capped(path, MAX_BYTES)[:MAX_BYTES]
    except OSError:
        return {}
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        data, _ = parse_yaml(text, display_path(path, root))
    except FileProblem:
        return scan_sources(text)
    sources = data.get("sources") if isinstance(data, dict) else None
    # A file Source.file would refuse (/etc/passwd, ../..) keeps its id known but is never opened.
    return {s["id"]: s["file"] if isinstance(s.get("file"), str) and SOURCE_FILE.match(s["file"]) else ""
            for s in sources or [] if isinstance(s, dict) and isinstance(s.get("id"), str)}


def misnamed_files(folder: Path, suffixes: tuple[str, ...], root: Path, near: tuple[str, ...] = ()) -> list[ContentError]:
    """Files that look meant as records but would be skipped: x.YAML, x.Yml, x.yaml.txt (an editor
    that hides extensions adds .txt), or a ``near`` ending (x.yml where only .yaml is read).
    Hidden files and backups (x.yaml~, x.yaml.bak) are left alone."""
    if not folder.is_dir():
        return []
    errors = []
    for path in sorted(folder.iterdir()):
        name, lower = path.name, path.name.lower()
        if name.startswith(".") or path.suffix in suffixes or path.is_dir():
            continue
        found = next((s for s in suffixes + near if lower.endswith(s) or lower.endswith(s + ".txt")), None)
        if found:
            stem = name[:len(lower) - len(found) - (4 if lower.endswith(".txt") else 0)]
            meant = found if found in suffixes else suffixes[0]
            errors.append(ContentError(display_path(path, root), 1, "(file)",
                                       f"expected a name ending in {' or '.join(suffixes)}, got '{name}' (not read); rename it to {stem}{meant}"))
    return errors


def reserved_id_errors(loaded: list[tuple], folder: str) -> list[ContentError]:
    """A record id that is the address of a generated page (cases/index, standards/matrix…)."""
    reserved = reserved_ids(folder)
    names = ", ".join(sorted(reserved))
    return [origin.error(("id",), f"expected an id other than the generated pages' {names}, got '{record.id}'; rename the record and its file")
            for record, origin in loaded if record.id in reserved]


def load_session_file(path: Path, root: Path, raw: bytes | None = None) -> tuple[SessionPlan | None, Origin | None, list[ContentError]]:
    return load_yaml_file(path, display_path(path, root), SessionPlan, raw)


def load_case_file(path: Path, root: Path, raw: bytes | None = None) -> tuple[CaseRecord | None, Origin | None, list[ContentError]]:
    return load_yaml_file(path, display_path(path, root), CaseRecord, raw)
