"""The whole handbook in memory: every page, index and cross-link is rendered from this."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .case import CaseRecord, Practice, Source
from .edition import EditionFile
from .glossary import GlossaryTerm
from .standard import CATEGORIES, StandardRecord


@dataclass
class Collection:
    """All validated records, sorted by id, with the lookups the renderers need."""

    cases: list[CaseRecord] = field(default_factory=list)
    standards: list[StandardRecord] = field(default_factory=list)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    # Sources declared outside case records (the glossary's own).
    extra_sources: list[Source] = field(default_factory=list)
    editions: EditionFile | None = None
    sessions: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cases = sorted(self.cases, key=lambda c: c.id)
        self.standards = sorted(self.standards, key=lambda s: (CATEGORIES.index(s.category), s.id))
        # Lookups built once: templates call these for every case, and a collection of
        # 10,000 cases must not scan every case for each of them (that made builds quadratic).
        self._cases_by_id = {c.id: c for c in self.cases}
        self._standards_by_id = {s.id: s for s in self.standards}
        self._usage: dict[str, list[PracticeRef]] = defaultdict(list)
        self._cells: dict[tuple[str, str], list[PracticeRef]] = defaultdict(list)
        for case in self.cases:
            for index, practice in enumerate(case.practices, start=1):
                for standard_id in practice.standards:
                    ref = PracticeRef(case, index, practice)
                    self._usage[standard_id].append(ref)
                    self._cells[case.id, standard_id].append(ref)
        # Similar cases: for each feature (a mechanism or a standard), the cases that have it as
        # the bits of one integer, bit i for self.cases[i] (in id order, so a lower bit is a smaller id).
        self._features = {c.id: frozenset(c.mechanisms) | {s.id for s in self.standards_of(c)} for c in self.cases}
        self._cases_having: dict[str, int] = defaultdict(int)
        for position, case in enumerate(self.cases):
            for feature in self._features[case.id]:
                self._cases_having[feature] |= 1 << position
        self._position = {case.id: position for position, case in enumerate(self.cases)}
        self._sources = {s.id: s for s in self.extra_sources}
        self._sources.update({s.id: s for c in self.cases for s in c.sources})

    def case(self, case_id: str) -> CaseRecord:
        return self._cases_by_id[case_id]

    def standard(self, standard_id: str) -> StandardRecord:
        return self._standards_by_id[standard_id]

    def standards_by_category(self) -> dict[str, list[StandardRecord]]:
        return {category: [s for s in self.standards if s.category == category] for category in CATEGORIES}

    def practices_using(self, standard_id: str) -> list["PracticeRef"]:
        """Back-links: every case practice that practises this standard, in case order."""
        return list(self._usage.get(standard_id, []))

    def matrix_cell(self, case: CaseRecord, standard_id: str) -> list["PracticeRef"]:
        return list(self._cells.get((case.id, standard_id), []))

    def similar_cases(self, case: CaseRecord, limit: int = 3) -> list[CaseRecord]:
        """Cases sharing the most mechanisms and standards with ``case`` (ties: by id).

        Comparing ``case`` with every other case one by one made a build of 10,000 cases
        quadratic. Instead, how many features each case shares is counted for all cases at
        once, in binary: ``counts[k]`` holds bit k of every case's count, and adding the
        cases that have one more feature is a ripple-carry addition over those integers."""
        counts: list[int] = []
        for feature in self._features[case.id]:
            carry = self._cases_having[feature]
            for k, digit in enumerate(counts):
                counts[k], carry = digit ^ carry, digit & carry
                if not carry:
                    break
            if carry:
                counts.append(carry)
        others = ((1 << len(self.cases)) - 1) & ~(1 << self._position[case.id])
        chosen: list[int] = []
        for shared in range((1 << len(counts)) - 1, 0, -1):
            having = others  # the cases that share exactly ``shared`` features
            for k, digit in enumerate(counts):
                having &= digit if shared >> k & 1 else ~digit
            while having and len(chosen) < limit:  # lowest bits first: smallest ids
                lowest = having & -having
                chosen.append(lowest.bit_length() - 1)
                having ^= lowest
            if len(chosen) == limit:
                break
        return [self.cases[position] for position in chosen]

    def standards_of(self, case: CaseRecord) -> list[StandardRecord]:
        ids = {sid for p in case.practices for sid in p.standards}
        return [s for s in self.standards if s.id in ids]

    @property
    def sources(self) -> dict[str, Source]:
        """Every declared source by id (case records first, then the glossary's)."""
        return self._sources

    def facets(self) -> list["Facet"]:
        """The four ways to browse cases: by sector, mechanism, organisation level and region."""
        return [
            Facet("sector", "领域", _group(self.cases, lambda c: c.sectors)),
            Facet("mechanism", "机制", _group(self.cases, lambda c: c.mechanisms)),
            Facet("level", "层级", _group(self.cases, lambda c: [c.organisation.level])),
            Facet("region", "地区", _group(self.cases, lambda c: [c.location.province])),
        ]

    def recent_changes(self, limit: int | None = 10) -> list["Change"]:
        """Dated changes to cases and standards, newest first (stable order for equal dates)."""
        rows = [Change(e.date, "case", c, e) for c in self.cases for e in c.history]
        rows += [Change(e.date, "standard", s, e) for s in self.standards for e in s.history]
        # Same date: an entry later in its record's history is the newer one.
        rows.sort(key=lambda r: (-r.date.toordinal(), -r.record.history.index(r.entry), r.kind, r.record.id, r.entry.change))
        return rows if limit is None else rows[:limit]

    def changes_by_edition(self) -> list[tuple[object, list["Change"]]]:
        """[(edition or None for unreleased, changes)], newest edition first."""
        groups: dict[str, list[Change]] = defaultdict(list)
        editions = {}
        for change in self.recent_changes(limit=None):
            edition = self.editions.edition_of(change.date) if self.editions else None
            key = edition.id if edition else ""
            editions[key] = edition
            groups[key].append(change)
        unreleased = [("", groups[""])] if "" in groups else []
        released = [(editions[k], groups[k]) for k in sorted((k for k in groups if k), key=lambda k: editions[k].date, reverse=True)]
        return [(None, changes) for _, changes in unreleased] + released

    @property
    def metric_count(self) -> int:
        return sum(len(c.metrics) for c in self.cases)


@dataclass(frozen=True)
class Change:
    """One history entry of a case or a standard."""

    date: object
    kind: str  # "case" or "standard"
    record: object
    entry: object


@dataclass(frozen=True)
class Facet:
    """One way of grouping cases: its URL slug, its Chinese name and the groups (largest first)."""

    slug: str
    name: str
    groups: dict[str, list[CaseRecord]]


@dataclass(frozen=True)
class PracticeRef:
    """A practice of a case: the ``index``-th (from 1) of its practices (render.urls.practice_anchor)."""

    case: CaseRecord
    index: int
    practice: Practice


def _group(cases, keys_of) -> dict[str, list[CaseRecord]]:
    groups: dict[str, list[CaseRecord]] = defaultdict(list)
    for case in cases:
        for key in keys_of(case):
            groups[key].append(case)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))
