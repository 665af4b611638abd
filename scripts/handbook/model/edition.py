"""Editions: what was published when. The changelog, feed and footer all come from here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from typing import NamedTuple

from pydantic import Field, model_validator

from .fields import PlainText, Prose, Strict

EditionId = Annotated[str, Field(pattern=r"^\d{4}-\d{1,2}$")]


class Edition(Strict):
    """One published edition."""

    id: EditionId = Field(description="版次编号，如“2026-1”（年份-序号）。")
    date: dt.date = Field(description="发布日期 YYYY-MM-DD。")
    title: PlainText = Field(description="版次名称，如“第一版”。")
    note: Prose | None = Field(
        default=None,
        description="这一版的说明，只写文字；案例和标准的数目及新增、修订清单由数据生成，说明中写的数目与数据不符时校验失败。")


class EditionFile(Strict):
    """cases/edition.yaml: the list of editions and which one is current."""

    current: EditionId = Field(description="当前发布的版次编号，须出现在 editions 中。")
    editions: Annotated[list[Edition], Field(min_length=1)] = Field(description="全部版次，按日期从早到晚。")

    @model_validator(mode="after")
    def _current_is_listed(self):
        if self.current not in {e.id for e in self.editions}:
            raise ValueError(f"expected current to be one of the edition ids, got '{self.current}'")
        dates = [e.date for e in self.editions]
        if dates != sorted(dates):
            raise ValueError("expected editions in date order, oldest first")
        return self

    @property
    def current_edition(self) -> Edition:
        return next(e for e in self.editions if e.id == self.current)

    def previous(self, edition: Edition) -> Edition | None:
        index = self.editions.index(edition)
        return self.editions[index - 1] if index else None

    def counts(self, edition: Edition, cases: list, standards: list) -> EditionCounts:
        return edition_counts(edition, cases, standards, self.previous(edition))

    def edition_of(self, date: dt.date) -> Edition | None:
        """The first edition published on or after ``date`` (None: not yet published)."""
        return next((e for e in self.editions if date <= e.date), None)


class EditionCounts(NamedTuple):
    """What an edition holds, computed from the records' history (never typed by hand)."""

    cases: int
    standards: int
    added: list  # records first added in this edition
    updated: list  # records revised in this edition (added earlier)


def edition_counts(edition: Edition, cases: list, standards: list, previous: Edition | None = None) -> EditionCounts:
    """Counts of the records published by ``edition`` (history on or before its date)."""
    def published(record) -> bool:
        return any(entry.change == "added" and entry.date <= edition.date for entry in record.history)

    def in_edition(record, change: str) -> bool:
        return any(entry.change == change and entry.date <= edition.date
                   and (previous is None or entry.date > previous.date) for entry in record.history)

    records = [*cases, *standards]
    added = [r for r in records if in_edition(r, "added")]
    # by identity: `r not in added` compared whole records field by field (quadratic, 1.2 s at 1,000 cases)
    added_now = {id(r) for r in added}
    updated = [r for r in records if id(r) not in added_now and in_edition(r, "updated")]
    return EditionCounts(sum(map(published, cases)), sum(map(published, standards)), added, updated)
