"""The whole handbook in memory: every page, index and cross-link is rendered from this."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .case import CaseRecord, Source


@dataclass
class Collection:
    """All validated records, sorted by id, with the lookups the renderers need."""

    cases: list[CaseRecord] = field(default_factory=list)
    # Normalised source texts by source id, for pages that show or check quotes.
    source_texts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cases = sorted(self.cases, key=lambda c: c.id)

    def case(self, case_id: str) -> CaseRecord:
        return next(c for c in self.cases if c.id == case_id)

    @property
    def sources(self) -> dict[str, Source]:
        return {s.id: s for c in self.cases for s in c.sources}

    def cases_by_sector(self) -> dict[str, list[CaseRecord]]:
        return _group(self.cases, lambda c: c.sectors)

    def cases_by_mechanism(self) -> dict[str, list[CaseRecord]]:
        return _group(self.cases, lambda c: c.mechanisms)

    def recent_changes(self, limit: int = 10) -> list[tuple]:
        """(date, case, entry), newest first; ties broken by case id for stable output."""
        rows = [(e.date, c, e) for c in self.cases for e in c.history]
        rows.sort(key=lambda r: (-r[0].toordinal(), r[1].id, r[2].change))
        return rows[:limit]

    @property
    def metric_count(self) -> int:
        return sum(len(c.metrics) for c in self.cases)


def _group(cases, keys_of) -> dict[str, list[CaseRecord]]:
    groups: dict[str, list[CaseRecord]] = defaultdict(list)
    for case in cases:
        for key in keys_of(case):
            groups[key].append(case)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))
