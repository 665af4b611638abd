"""Read the optional glossary file (standards/glossary.yaml) and check it."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ContentError, display_path
from ..model.glossary import Glossary
from .checks import SourceLibrary, check_citation
from .files import Origin, load_yaml_file


def load_glossary_file(path: Path, root: Path, raw: bytes | None = None) -> tuple[Glossary | None, Origin | None, list[ContentError]]:
    if not os.path.lexists(path):  # a FIFO or a link to a device is reported, not skipped
        return None, None, []
    return load_yaml_file(path, display_path(path, root), Glossary, raw)


def check_glossary(glossary: Glossary, origin: Origin, library: SourceLibrary, source_files: dict[str, str]) -> list[ContentError]:
    """Names are unique; every cite names a known source and is found in it word for word."""
    errors: list[ContentError] = []
    seen: dict[str, int] = {}
    for i, term in enumerate(glossary.terms):
        for name in term.names:
            # a name may recur only as senses scoped to different cases or standards
            first = glossary.terms[seen[name]] if name in seen else None
            if first is not None and (not term.scope or not first.scope or set(term.scope) & set(first.scope)):
                errors.append(origin.error(("terms", i, "term"), f"expected each term or alias once, or senses with disjoint scopes, got '{name}' again (first in terms[{seen[name]}])"))
            seen.setdefault(name, i)
        for j, cite in enumerate(term.cites):
            errors += check_citation(origin, ("terms", i, "cites", j), cite, source_files, library,
                                     "in a case record or in this file")
    for i, source in enumerate(glossary.sources):
        if library.text(source.file) is None:
            errors.append(origin.error(("sources", i, "file"), f"expected a readable UTF-8 file at cases/{source.file}, found none"))
    return errors
