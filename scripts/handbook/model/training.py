"""Teaching material: a case's training block and the session plans trainers run."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .fields import HistoryEntry, PlainText, Prose, Slug, Strict

Item = Annotated[str, Field(min_length=4, max_length=300)]


class Exercise(Strict):
    """Apply a standard to the learner's own branch."""

    standard: Slug = Field(description="练习所用的标准流程编号。")
    task: Prose = Field(description="练习要求：学员用这个标准梳理本支部的情况，写清要交出什么。")


class TrainingBlock(Strict):
    """Case-method teaching notes attached to a case record."""

    objectives: Annotated[list[Item], Field(min_length=1)] = Field(description="学习目标：学完能做什么。")
    takeaways: Annotated[list[Item], Field(min_length=1)] = Field(description="要点：从这个案例带走的几条经验。")
    questions: Annotated[list[Item], Field(min_length=3)] = Field(description="讨论题：至少 3 个，扣住案例本身。")
    exercise: Exercise = Field(description="练习：把一个关联标准用到学员自己的支部。")


class AgendaItem(Strict):
    minutes: Annotated[int, Field(ge=1, le=480)] = Field(description="这一环节的分钟数。")
    activity: PlainText = Field(description="环节名称，如“案例研讨”。")
    detail: Prose = Field(description="怎么做：材料、分组、产出。")


class SessionPlan(Strict):
    """A training session built from cases and standards (standards/sessions/<id>.yaml)."""

    id: Slug = Field(description="方案编号，也是网址：/training/<id>/；须与文件名一致。")
    title: PlainText = Field(description="方案名称，如“新任支部书记入门（90分钟）”。")
    audience: Prose = Field(description="对象和人数。")
    duration: Annotated[int, Field(ge=15, le=960)] = Field(description="总时长（分钟），须等于各环节之和。")
    objectives: Annotated[list[Item], Field(min_length=1)] = Field(description="学习目标。")
    preparation: list[Item] = Field(default_factory=list, description="课前阅读和准备。")
    agenda: Annotated[list[AgendaItem], Field(min_length=2)] = Field(description="议程，按时间顺序。")
    cases: Annotated[list[Slug], Field(min_length=1)] = Field(description="用到的案例编号。")
    standards: list[Slug] = Field(default_factory=list, description="用到的标准流程编号。")
    questions: Annotated[list[Item], Field(min_length=3)] = Field(description="讨论题。")
    history: Annotated[list[HistoryEntry], Field(min_length=1)] = Field(description="修订记录。")

    @model_validator(mode="after")
    def _agenda_fills_the_session(self):
        total = sum(item.minutes for item in self.agenda)
        if total != self.duration:
            raise ValueError(f"expected the agenda to add up to duration ({self.duration} minutes), got {total}")
        return self
