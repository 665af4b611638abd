"""The standard workflow: how to run one piece of the work, step by step, with its sources.

A standard is a Markdown file in ``standards/``: validated front matter (this model)
and a free Markdown body with notes. Steps cite source sentences exactly as case
metrics do; case practices point at standards by id.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from .fields import Citation, HistoryEntry, PlainText, Prose, Slug, Strict

Category = Literal["程序", "运行", "活动", "考核", "保障"]
CATEGORIES: tuple[str, ...] = get_args(Category)  # page order of the categories
# Where a statement comes from: "source" = the cited sentences say it; "editor" = the
# editor's recommendation, shown on the page as 编者建议 so it is never read as sourced.
Basis = Literal["source", "editor"]
EDITOR_LABEL = "编者建议"
# words that make a timing a rule (a frequency or a date) rather than a place in the sequence
CALENDAR_WORDS = re.compile(r"每|[年月周日天季]度?[初底末中]|定期|年度|半年|季度|月份|\d")


class _Based(Strict):
    """A statement that is either cited or marked as the editor's recommendation."""

    # on the field (declared after basis), so the error points at the cites line
    @field_validator("cites", mode="after", check_fields=False)
    @classmethod
    def _cited_or_editor(cls, cites, info: ValidationInfo):
        if info.data.get("basis") == "source" and not cites:
            raise ValueError("expected cites for a statement with basis 'source', got none "
                             "(cite the sentence, or set basis: editor to show it as 编者建议)")
        return cites

    @property
    def by_editor(self) -> bool:
        return self.basis == "editor"


class Role(_Based):
    """Who takes part and what they are responsible for."""

    name: PlainText = Field(description="角色名称，如“牵头党组织”“成员党组织”“上级党（工）委”“党建联络员”。")
    duty: Prose = Field(description="这个角色在本流程中的职责。")
    basis: Basis = Field(default="editor", description="职责的依据：source 表示 cites 中的原句写明了；editor（默认）表示编者据步骤归纳，页面标“编者建议”。")
    cites: list[Citation] = Field(default_factory=list, validate_default=True, description="职责依据的原句；basis 为 source 时必填。")


class Step(_Based):
    """One ordered step of the workflow."""

    actor: PlainText = Field(description="谁来做，应是 roles 中的某个角色。")
    action: Prose = Field(description="做什么：一两句话。")
    output: PlainText | None = Field(default=None, description="产生的文件或记录，如“组建申请”“会议纪要”；没有时留空。")
    timing: PlainText = Field(description="时间或频次，如“组建前”“每季度一次”“每年年底”。")
    timing_basis: Basis | None = Field(
        default=None,
        description="时间的依据：source 表示引文写明了这个时间或频次；editor 表示编者的建议，页面标“编者建议”。"
                    "不填时：含频次或日历词（每年、每月、年初、定期……）的时间按编者建议显示，只说先后（组建时、批准后）的不标。")
    basis: Basis = Field(default="source", description="这一步做法的依据：source（默认）须在 cites 中引用原句；editor 表示编者建议，页面标“编者建议”。")
    cites: list[Citation] = Field(
        default_factory=list,
        validate_default=True,
        description="这一步依据的原文句子（与案例数字的引文格式相同）；综合多篇来源时逐一引用。basis 为 editor 时可列出相关原句作参考。"
    )


    @property
    def timing_by_editor(self) -> bool:
        if self.timing_basis is None:
            return bool(CALENDAR_WORDS.search(self.timing))
        return self.timing_basis == "editor"


def _checklist_entry(value: object) -> object:
    # A bare string is the editor's own item: the safe reading when nothing says otherwise.
    return {"text": value} if isinstance(value, str) else value


class ChecklistEntry(Strict):
    """One checklist item: derived from cited steps, or the editor's recommendation."""

    text: Annotated[str, Field(min_length=2, max_length=200)] = Field(description="检查项。")
    steps: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list,
        description="这一项检查的步骤序号（从 1 起）；所检查的步骤都有引文时，页面不标“编者建议”。不填时本项是编者建议。")


ChecklistItem = Annotated[ChecklistEntry, BeforeValidator(_checklist_entry)]


class FormTemplate(Strict):
    """A fill-in form or document outline offered as a downloadable text file."""

    id: Slug = Field(description="模板编号，也是下载文件名：<id>.txt。")
    title: PlainText = Field(description="模板标题，如“共建协议（样式）”。")
    body: Prose = Field(description="模板正文，纯文本；下划线处留给使用者填写。")


class StandardFrontMatter(Strict):
    """The validated front matter of a standard file."""

    id: Slug = Field(description="标准编号，也是网址：/standards/<id>/；须与文件名一致。")
    title: PlainText = Field(description="标准名称。")
    category: Category = Field(description="类别：程序、运行、活动、考核、保障之一。")
    purpose: Prose = Field(description="为什么要这样做：一段话。")
    applies_to: Prose = Field(description="适用于哪些组织和情形。")
    roles: Annotated[list[Role], Field(min_length=1)] = Field(description="参与的角色及职责。")
    steps: Annotated[list[Step], Field(min_length=2)] = Field(description="按顺序排列的步骤。")
    checklist: Annotated[list[ChecklistItem], Field(min_length=1)] = Field(description="可打印勾选的检查清单。")
    templates: list[FormTemplate] = Field(default_factory=list, description="可下载的文书模板。")
    pitfalls: list[Prose] = Field(default_factory=list, description="常见误区和注意事项（编者据来源和经验整理）。")
    history: Annotated[list[HistoryEntry], Field(min_length=1)] = Field(description="收录与修订记录。")


    @model_validator(mode="after")
    def _checklist_steps_exist(self):
        for i, item in enumerate(self.checklist):
            bad = [n for n in item.steps if n > len(self.steps)]
            if bad:
                raise ValueError(f"checklist[{i}]: expected step numbers 1–{len(self.steps)}, got {bad[0]}")
        return self

    def checklist_by_editor(self, item: ChecklistEntry) -> bool:
        """An item is sourced only when every step it checks is sourced."""
        return not item.steps or any(self.steps[n - 1].by_editor for n in item.steps)


class StandardRecord(StandardFrontMatter):
    """A loaded standard: its front matter plus the Markdown notes below it."""

    body: str = Field(default="", description="正文（front matter 之后的 Markdown 说明）。")

    @property
    def last_updated(self):
        return max(entry.date for entry in self.history)
