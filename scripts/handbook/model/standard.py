"""The standard workflow: how to run one piece of the work, step by step, with its sources.

A standard is a Markdown file in ``standards/``: validated front matter (this model)
and a free Markdown body with notes. Steps cite source sentences exactly as case
metrics do; case practices point at standards by id.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .case import HistoryEntry
from .fields import Citation, PlainText, Prose, Slug, Strict

Category = Literal["程序", "运行", "活动", "考核", "保障"]
CATEGORIES: tuple[str, ...] = ("程序", "运行", "活动", "考核", "保障")
ChecklistItem = Annotated[str, Field(min_length=2, max_length=200)]


class Role(Strict):
    """Who takes part and what they are responsible for."""

    name: PlainText = Field(description="角色名称，如“牵头党组织”“成员党组织”“上级党（工）委”“党建联络员”。")
    duty: Prose = Field(description="这个角色在本流程中的职责。")


class Step(Strict):
    """One ordered step of the workflow."""

    actor: PlainText = Field(description="谁来做，应是 roles 中的某个角色。")
    action: Prose = Field(description="做什么：一两句话。")
    output: PlainText | None = Field(default=None, description="产生的文件或记录，如“组建申请”“会议纪要”；没有时留空。")
    timing: PlainText = Field(description="时间或频次，如“组建前”“每季度一次”“每年年底”。")
    cites: Annotated[list[Citation], Field(min_length=1)] = Field(
        description="这一步依据的原文句子（与案例数字的引文格式相同）；综合多篇来源时逐一引用。"
    )


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
    pitfalls: list[Prose] = Field(default_factory=list, description="常见问题和误区。")
    history: Annotated[list[HistoryEntry], Field(min_length=1)] = Field(description="收录与修订记录。")


class StandardRecord(StandardFrontMatter):
    """A loaded standard: its front matter plus the Markdown notes below it."""

    body: str = Field(default="", description="正文（front matter 之后的 Markdown 说明）。")

    @property
    def last_updated(self):
        return max(entry.date for entry in self.history)
