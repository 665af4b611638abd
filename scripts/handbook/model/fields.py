"""Field types shared by every record: slugs, plain text, tags, dates, numbers, citations.

Each type fails with a message an editor can act on ("expected …, got …"); the
loader puts the file and line in front of it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

UNDATED = "未注明"
PLACEHOLDER = "待填写"  # what `handbook new` and `handbook ingest` leave for the editor
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
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


def _check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"expected lowercase letters, digits and single hyphens (like 'nanyang' or 'joint-committee'), got '{value}'")
    return value


def _check_plain(value: str) -> str:
    if "\n" in value:
        raise ValueError("expected a single line, got several lines")
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
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"expected a real date, got '{value}'") from None
    return value


def _check_as_of(value: str) -> str:
    if value == UNDATED:
        return value
    if not _PARTIAL_DATE.match(value):
        raise ValueError(f"expected YYYY, YYYY-MM, YYYY-MM-DD or '{UNDATED}', got '{value}'")
    return _check_partial_date(value)


def _check_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {_shown(value)}")
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


Slug = Annotated[str, AfterValidator(_check_slug)]
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
