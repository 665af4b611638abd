"""Long lists of cases split into numbered pages, so that no page grows with the collection.

A collection of a few hundred cases keeps its one filterable table; at ten thousand cases
that table alone would be megabytes on a phone. The cases index and each facet value then
list ``LIST_PAGE_SIZE`` cases a page, and the facet pages show the first ``FACET_PREVIEW``
cases of each value with a link to the value's own list.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

LIST_PAGE_SIZE = 100
FACET_PREVIEW = 20


@dataclass(frozen=True)
class Listing:
    """One page of a list of cases, with the source paths of every page of that list."""

    cases: Sequence
    number: int  # 1-based
    src_uris: tuple[str, ...]
    total: int  # cases in the whole list
    size: int

    @property
    def src_uri(self) -> str:
        return self.src_uris[self.number - 1]

    @property
    def count(self) -> int:
        return len(self.src_uris)

    @property
    def first(self) -> int:
        """1-based position of this page's first case in the whole list."""
        return (self.number - 1) * self.size + 1

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers for the pager: first, last and ``around`` either side; None marks a gap."""
        shown = sorted({1, self.count, *range(max(1, self.number - around), min(self.count, self.number + around) + 1)})
        numbers: list[int | None] = []
        for previous, number in zip([0, *shown], shown):
            if number - previous > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def paginate(cases: Sequence, first: str, rest: str, size: int = LIST_PAGE_SIZE) -> list[Listing]:
    """``cases`` in pages of ``size``: page 1 at source path ``first``, page n at ``rest.format(n=n)``."""
    count = max(1, -(-len(cases) // size))
    src_uris = (first, *(rest.format(n=n) for n in range(2, count + 1)))
    return [Listing(cases[(n - 1) * size:n * size], n, src_uris, len(cases), size) for n in range(1, count + 1)]


def facet_value_key(value: str) -> str:
    """A stable ASCII name for a facet value's pages (values are Chinese and may change order)."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]
