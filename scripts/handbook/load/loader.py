"""Load every record under a project root into one validated Collection.

Every file is read and checked before anything is reported, so an editor sees all
problems at once; then ContentErrors is raised if there were any.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ContentError, ContentErrors, display_path
from ..model.case import CaseRecord
from ..model.collection import Collection
from ..model.edition import EditionFile
from ..model.training import SessionPlan
from .checks import SourceLibrary, check_cases, check_sessions, check_standards
from .files import FileProblem, Origin, load_yaml_file, parse_yaml, read_text
from .glossary import check_glossary, load_glossary_file
from .standards import load_standard_file


GLOSSARY_FILE = "glossary.yaml"  # lives in the standards folder: the handbook's vocabulary
EDITION_FILE = "edition.yaml"  # lives in the cases folder: the collection's editions
SESSIONS_DIR = "sessions"  # standards/sessions/*.yaml: training session plans


def load_collection(root: Path, cases_dir: str = "cases", standards_dir: str = "standards") -> Collection:
    """Read, validate and cross-check everything; raise ContentErrors listing every problem."""
    root = Path(root)
    case_root, standard_root = root / cases_dir, root / standards_dir
    errors: list[ContentError] = []
    case_paths = [p for p in sorted(case_root.glob("*.yaml")) + sorted(case_root.glob("*.yml")) if p.name != EDITION_FILE]
    cases = [load_case_file(path, root) for path in case_paths]
    standard_paths = sorted(standard_root.glob("*.md"))
    standards = [load_standard_file(path, root) for path in standard_paths]
    glossary, glossary_origin, glossary_errors = load_glossary_file(standard_root / GLOSSARY_FILE, root)
    errors += glossary_errors
    editions, edition_errors = load_edition_file(case_root / EDITION_FILE, root)
    errors += edition_errors
    sessions = [load_session_file(path, root) for path in sorted((standard_root / SESSIONS_DIR).glob("*.yaml"))]
    for _, _, file_errors in sessions:
        errors += file_errors
    for _, _, file_errors in cases + standards:
        errors += file_errors
    broken_case_files = [path for path, (record, _, _) in zip(case_paths, cases) if record is None]
    broken_standard_ids = {path.stem for path, (record, _, _) in zip(standard_paths, standards) if record is None}
    cases = [(record, origin) for record, origin, _ in cases if record is not None]
    standards = [(record, origin) for record, origin, _ in standards if record is not None]

    library = SourceLibrary(case_root)
    # Sources declared by records that failed validation still count, so that one broken
    # record does not make every standard citing its source report errors too.
    source_files = {source_id: file for path in broken_case_files for source_id, file in declared_sources(path, root).items()}
    source_files.update({s.id: s.file for case, _ in cases for s in case.sources})
    if glossary is not None:
        source_files.update({s.id: s.file for s in glossary.sources})
        errors += check_glossary(glossary, glossary_origin, library, source_files)
    # Records that exist but failed validation are still known by their file names,
    # so references to them are not reported a second time.
    standard_ids = {standard.id for standard, _ in standards} | broken_standard_ids
    case_ids = {case.id for case, _ in cases} | {path.stem for path in broken_case_files}
    errors += check_cases(cases, library, standard_ids)
    errors += check_standards(standards, library, source_files)
    sessions = [(session, origin) for session, origin, _ in sessions if session is not None]
    errors += check_sessions(sessions, case_ids, standard_ids)
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


def load_edition_file(path: Path, root: Path) -> tuple[EditionFile | None, list[ContentError]]:
    """The optional edition file; without it the handbook is an unnumbered draft edition."""
    if not path.is_file():
        return None, []
    editions, _, errors = load_yaml_file(path, display_path(path, root), EditionFile)
    return editions, errors


def declared_sources(path: Path, root: Path) -> dict[str, str]:
    """{source id: file} as written in a record that failed validation (best effort, never raises)."""
    try:
        data, _ = parse_yaml(read_text(path, display_path(path, root)), display_path(path, root))
    except FileProblem:
        return {}
    sources = data.get("sources") if isinstance(data, dict) else None
    return {s["id"]: s["file"] for s in sources or [] if isinstance(s, dict) and isinstance(s.get("id"), str) and isinstance(s.get("file"), str)}


def load_session_file(path: Path, root: Path) -> tuple[SessionPlan | None, Origin | None, list[ContentError]]:
    return load_yaml_file(path, display_path(path, root), SessionPlan)


def load_case_file(path: Path, root: Path) -> tuple[CaseRecord | None, Origin | None, list[ContentError]]:
    return load_yaml_file(path, display_path(path, root), CaseRecord)
