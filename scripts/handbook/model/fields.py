"""Field types shared by every record: slugs, plain text, tags, dates, numbers, citations.

Each type fails with a message an editor can act on ("expected …, got …"); the
loader puts the file and line in front of it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

UNDATED = "未注明"
PLACEHOLDER = "待填写"  # what `handbook new` and `handbook ingest` leave for the editor
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# ASCII digits only: \d would also accept full-width ２０２２ and other scripts' digits.
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
# Written like a number, but not in plain decimal: 0442, 4:50, 0x122, 2_90, 1e309, .nan, ２９０.
_NUMBER_LIKE = re.compile(r"^[-+]?(?:\.(?:nan|inf)|[0-9０-９][0-9０-９_:.a-fox+-]*)$", re.IGNORECASE)
# Dates a record can mean: none before the Party was founded, none after today (plus a day
# for time zones). A far-future date once crashed the build (gzip timestamps end in 2106).
EARLIEST_DATE = dt.date(1921, 1, 1)
# Refused in every text field: control characters other than line breaks and tabs (ESC and
# BEL act on terminals) and bidi embeddings, overrides and isolates (U+202E reverses a title).
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Short labels end up in titles, navigation and tag names, where Markdown is not
# rendered: keep them free of markup characters altogether.
_MARKUP_CHARS = set("<>&\"`\\[]{}|*#")


class Strict(BaseModel):
    """Base for every record part: unknown keys are typos, so they are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_placeholders(cls, value):
        # A scaffold or an ingested draft must never be published unfinished.
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and PLACEHOLDER in text for text in texts):
            raise ValueError(f"expected finished text, got the placeholder '{PLACEHOLDER}' (fill it in)")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_hidden_characters(cls, value):
        # Control characters reach terminals and pages raw; bidi controls reorder what is shown.
        for text in value if isinstance(value, list) else [value]:
            found = _HIDDEN.search(text) if isinstance(text, str) else None
            if found:
                raise ValueError(f"expected text without control characters, got {_code(found.group())} in '{text[:40]}'")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _dates_in_range(cls, value):
        for date in value if isinstance(value, list) else [value]:
            if isinstance(date, dt.date):
                _check_date_range(date, date.isoformat())
        return value


def check_slug(value: str) -> str:
    """The one rule for ids, which are also file names and URLs."""
    if not _SLUG.match(value):
        raise ValueError(f"expected lowercase letters, digits and single hyphens (like 'nanyang' or 'joint-committee'), got '{value}'")
    return value


def _code(ch: str) -> str:
    from ..errors import visible

    return f"the invisible character {visible(ch)}"


def latest_date() -> dt.date:
    return dt.date.today() + dt.timedelta(days=1)


def _check_date_range(first_day: dt.date, shown: str) -> None:
    if not EARLIEST_DATE <= first_day <= latest_date():
        raise ValueError(f"expected a date from {EARLIEST_DATE.year} to today, got '{shown}'")


def _check_plain(value: str) -> str:
    if "\n" in value:
        raise ValueError("expected a single line, got several lines")
    # Titles, names and tags must look like what they are: a zero-width space or a
    # right-to-left override makes two values look identical or a title read backwards.
    hidden = next((ch for ch in value if unicodedata.category(ch) in ("Cc", "Cf")), None)
    if hidden is not None:
        raise ValueError(f"expected visible text, got {_code(hidden)} in '{value[:40]}'")
    bad = sorted(set(value) & _MARKUP_CHARS)
    if bad:
        raise ValueError(f"expected plain text without markup characters, got {' '.join(bad)} in '{value[:40]}'")
    return value


def _check_tag(value: str) -> str:
    _check_plain(value)
    if any(ch.isspace() for ch in value):
        raise ValueError(f"expected a tag without spaces, got '{value}'")
    return value


def _as_text(value: object) -> object:
    """YAML reads 2022 as a number and 2022-05-01 as a date; dates fields want text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_partial_date(value: str) -> str:
    m = _PARTIAL_DATE.match(value)
    if not m:
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '{value}'")
    year, month, day = (int(g) if g else None for g in m.groups())
    if year < EARLIEST_DATE.year:
        raise ValueError(f"expected a date from {EARLIEST_DATE.year} to today (YYYY, YYYY-MM or YYYY-MM-DD), got '{value}'")
    try:
        first_day = dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"expected a real date, got '{value}'") from None
    _check_date_range(first_day, value)
    return value


def _check_as_of(value: str) -> str:
    if value == UNDATED:
        return value
    if not _PARTIAL_DATE.match(value):
        raise ValueError(f"expected YYYY, YYYY-MM, YYYY-MM-DD or '{UNDATED}', got '{value}'")
    return _check_partial_date(value)


def _check_number(value: object) -> object:
    if isinstance(value, str) and value.strip().lower().lstrip("+-") in (".nan", ".inf"):
        raise ValueError(f"expected a finite number, got {value.strip()}")
    if isinstance(value, str) and _NUMBER_LIKE.match(value.strip()):
        raise ValueError(f"expected a number in plain decimal (like 290 or 2.38), got {_shown(value)}; "
                         "write the number as the source writes it, in plain decimal")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {_shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    if value < 0:
        raise ValueError(f"expected a number of zero or more, got {value}")
    return value


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise ValueError(f"expected an http:// or https:// address, got '{value[:60]}'")
    return value


def _shown(value: object) -> str:
    from ..errors import show_value

    return show_value(value)


Slug = Annotated[str, AfterValidator(check_slug)]
PlainText = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_check_plain)]
Tag = Annotated[str, Field(min_length=1, max_length=24), AfterValidator(_check_tag)]
PartialDate = Annotated[str, BeforeValidator(_as_text), AfterValidator(_check_partial_date)]
AsOf = Annotated[str, BeforeValidator(_as_text), AfterValidator(_check_as_of)]
Number = Annotated[int | float, BeforeValidator(_check_number)]
Url = Annotated[str, AfterValidator(_check_url)]
Prose = Annotated[str, Field(min_length=1)]


class Citation(Strict):
    """Where a fact comes from: a source id and the exact sentence, as it reads once normalised."""

    source: Slug = Field(description="来源编号：本记录 sources 中某条来源的 id。")
    quote: Annotated[str, Field(min_length=4)] = Field(
        description="原文句子，逐字照录（繁体转简体、D 还原为“党”之后）；校验时会在来源全文中查找。"
    )


class HistoryEntry(Strict):
    """A dated change to the record; editions and the changelog are built from these."""

    date: dt.date = Field(description="变更日期 YYYY-MM-DD。")
    change: Literal["added", "updated"] = Field(description="added 表示首次收录，updated 表示修订。")
    note: Prose = Field(description="改了什么，一句话。")

    @property
    def verb(self) -> str:
        """收录 or 修订: how the pages, the changelog and the feed name the change."""
        return "收录" if self.change == "added" else "修订"
