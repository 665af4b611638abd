"""The domain dictionary added to jieba (``segment.Segmenter``), so that terms like 百户网格长
and 三会一课 stay whole.

Without it jieba splits many domain terms (三会一课 → 三会 / 一课), and the page that
defines or practises a term no longer ranks first. The words come from the loaded
collection, so a new mechanism tag or glossary term is searchable on the next build.
"""

from __future__ import annotations

import re

from ..model.collection import Collection

_HAN = re.compile(r"^[\u3400-\u9fff]{2,12}$")


def domain_terms(collection: Collection) -> list[str]:
    """Glossary terms and aliases, models, tags, organisations, places and roles; sorted, unique."""
    words: set[str] = set()
    for term in collection.glossary:
        words.update(term.names)
    for case in collection.cases:
        words.update([case.model, case.organisation.name, *case.sectors, *case.mechanisms])
        location = case.location
        words.update(filter(None, [location.province, location.city, location.county]))
    for standard in collection.standards:
        words.update(role.name for role in standard.roles)
    return sorted(w for w in words if _HAN.match(w))
