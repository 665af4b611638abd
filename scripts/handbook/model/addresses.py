"""Where the generated pages that share a folder with record pages live.

A case is published at cases/<id>.md, a standard at standards/<id>.md, a session plan at
training/<id>.md. The renderer builds its own pages next to them from these addresses, and
the loader refuses a record id that would take one of them (a case called ``index`` would
hide the case list). One module for both, so they cannot drift apart.
"""

from __future__ import annotations

CASES_INDEX = "cases/index.md"
CASES_MAP = "cases/map.md"
CASES_ALL = "cases/all/{n}.md"  # pages 2… of the case list
CASES_FACETS = "cases/facets/{slug}.md"
STANDARDS_INDEX = "standards/index.md"
STANDARDS_MATRIX = "standards/matrix.md"
STANDARDS_MATRIX_PAGES = "standards/matrix/{n}.md"
TRAINING_INDEX = "training/index.md"

GENERATED = (CASES_INDEX, CASES_MAP, CASES_ALL, CASES_FACETS, STANDARDS_INDEX, STANDARDS_MATRIX,
             STANDARDS_MATRIX_PAGES, TRAINING_INDEX)


def reserved_ids(folder: str) -> frozenset[str]:
    """Names a record in ``folder`` ('cases', 'standards', 'training') may not take: the first
    path part after the folder of every generated address there (index, map, all, facets…)."""
    names = set()
    for address in GENERATED:
        parts = address.split("/")
        if parts[0] == folder:
            names.add(parts[1].removesuffix(".md"))
    return frozenset(names)
