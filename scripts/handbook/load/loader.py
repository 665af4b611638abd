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
from .checks import SourceLibrary, check_cases, check_standards
from .files import FileProblem, Origin, parse_yaml, read_text, validate
from .glossary import check_glossary, load_glossary_file
from .standards import load_standard_file


GLOSSARY_FILE = "glossary.yaml"  # lives in the standards folder: the handbook's vocabulary
EDITION_FILE = "edition.yaml"  # lives in the cases folder: the collection's editions


def load_collection(root: Path, cases_dir: str = "cases", standards_dir: str = "standards") -> Collection:
    """Read, validate and cross-check everything; raise ContentErrors listing every problem."""
    root = Path(root)
    case_root, standard_root = root / cases_dir, root / standards_dir
    errors: list[ContentError] = []
    cases, standards = [], []
    for path in sorted(case_root.glob("*.yaml")) + sorted(case_root.glob("*.yml")):
        if path.name != EDITION_FILE:
            cases.append(load_case_file(path, root))
    for path in sorted(standard_root.glob("*.md")):
        standards.append(load_standard_file(path, root))
    glossary, glossary_origin, glossary_errors = load_glossary_file(standard_root / GLOSSARY_FILE, root)
    errors += glossary_errors
    editions, edition_errors = load_edition_file(case_root / EDITION_FILE, root)
    errors += edition_errors
    for _, _, file_errors in cases + standards:
        errors += file_errors
    cases = [(record, origin) for record, origin, _ in cases if record is not None]
    standards = [(record, origin) for record, origin, _ in standards if record is not None]

    library = SourceLibrary(case_root)
    source_files = {s.id: s.file for case, _ in cases for s in case.sources}
    if glossary is not None:
        source_files.update({s.id: s.file for s in glossary.sources})
        errors += check_glossary(glossary, glossary_origin, library, source_files)
    errors += check_cases(cases, library, {standard.id for standard, _ in standards})
    errors += check_standards(standards, library, source_files)
    if errors:
        raise ContentErrors(errors)
    texts = {source_id: library.text(file) or "" for source_id, file in source_files.items()}
    return Collection(
        cases=[c for c, _ in cases],
        standards=[s for s, _ in standards],
        glossary=glossary.terms if glossary else [],
        extra_sources=glossary.sources if glossary else [],
        editions=editions,
        source_texts=texts,
    )


def load_edition_file(path: Path, root: Path) -> tuple[EditionFile | None, list[ContentError]]:
    """The optional edition file; without it the handbook is an unnumbered draft edition."""
    if not path.is_file():
        return None, []
    shown = display_path(path, root)
    try:
        data, lines = parse_yaml(read_text(path, shown), shown)
    except FileProblem as problem:
        return None, [problem.error]
    editions, errors = validate(EditionFile, data, Origin(shown, lines))
    return editions, errors


def load_case_file(path: Path, root: Path) -> tuple[CaseRecord | None, Origin | None, list[ContentError]]:
    shown = display_path(path, root)
    try:
        data, lines = parse_yaml(read_text(path, shown), shown)
    except FileProblem as problem:
        return None, None, [problem.error]
    origin = Origin(shown, lines)
    case, errors = validate(CaseRecord, data, origin)
    return case, origin, errors
