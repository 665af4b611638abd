"""Load every record under a project root into one validated Collection.

Every file is read and checked before anything is reported, so an editor sees all
problems at once; then ContentErrors is raised if there were any.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ContentError, ContentErrors, display_path
from ..model.case import CaseRecord
from ..model.collection import Collection
from .checks import SourceLibrary, check_cases
from .files import FileProblem, Origin, parse_yaml, read_text, validate


def load_collection(root: Path, cases_dir: str = "cases") -> Collection:
    """Read, validate and cross-check everything; raise ContentErrors listing every problem."""
    root = Path(root)
    case_root = root / cases_dir
    errors: list[ContentError] = []
    loaded = []
    for path in sorted(case_root.glob("*.yaml")) + sorted(case_root.glob("*.yml")):
        case, origin, file_errors = load_case_file(path, root)
        errors += file_errors
        if case is not None:
            loaded.append((case, origin))
    library = SourceLibrary(case_root)
    errors += check_cases(loaded, library)
    if errors:
        raise ContentErrors(errors)
    cases = [case for case, _ in loaded]
    texts = {s.id: library.text(s.file) or "" for c in cases for s in c.sources}
    return Collection(cases=cases, source_texts=texts)


def load_case_file(path: Path, root: Path) -> tuple[CaseRecord | None, Origin | None, list[ContentError]]:
    shown = display_path(path, root)
    try:
        data, lines = parse_yaml(read_text(path, shown), shown)
    except FileProblem as problem:
        return None, None, [problem.error]
    origin = Origin(shown, lines)
    case, errors = validate(CaseRecord, data, origin)
    return case, origin, errors
