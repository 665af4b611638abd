"""The glossary: terms the handbook uses, defined in plain words and tied to source sentences."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .case import Source
from .fields import Citation, PlainText, Prose, Slug, Strict


class GlossaryTerm(Strict):
    """One term with its definition; hover definitions on every page come from here."""

    term: PlainText = Field(description="术语，如“三会一课”。")
    aliases: list[PlainText] = Field(default_factory=list, description="同义说法，如“联合党组织”之于“党建联合体”；页面上同样显示释义。")
    definition: Annotated[str, Field(min_length=4, max_length=160)] = Field(description="释义：一两句话，用自己的话写，纯文本。")
    note: Prose | None = Field(default=None, description="释义依据的说明，如来源只使用而未解释这个术语。")
    cites: Annotated[list[Citation], Field(min_length=1)] = Field(description="术语在来源中出现或被解释的原句。")
    scope: list[Slug] = Field(
        default_factory=list,
        description="这个释义适用的案例或标准编号，如 [chifeng, joint-activities]；不填表示全手册通用。"
                    "同一术语在不同地方意思不同时，写成几条、各自限定 scope：页面只在适用的案例和标准上显示该释义。")

    def applies_to(self, record_id: str | None) -> bool:
        """Whether a page about ``record_id`` (None: a page about no single record) uses this sense."""
        return not self.scope or record_id in self.scope

    @property
    def names(self) -> list[str]:
        return [self.term, *self.aliases]


class Glossary(Strict):
    """The glossary file: its own extra sources (beyond the case records') and the terms."""

    sources: list[Source] = Field(default_factory=list, description="只有术语表引用的来源（案例记录已声明的来源可直接引用）。")
    terms: Annotated[list[GlossaryTerm], Field(min_length=1)] = Field(description="术语，按页面上的顺序排列。")
