"""The case record: one cited account of a grassroots Party-building practice.

Sections follow the 人民网 case template: 背景与起因 / 做法与经过 / 成效与反响 / 思考与启示.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .fields import UNDATED, AsOf, Citation, HistoryEntry, Number, PartialDate, PlainText, Prose, Slug, Strict, Tag, Url
from .training import TrainingBlock

OrganisationType = Literal["地方党委", "党委组织部", "中央企业", "地方国有企业", "机关", "街道社区", "非公企业", "社会组织", "高校"]
OrganisationLevel = Literal["省", "地级市", "县", "乡镇街道", "村社区", "集团", "企业"]
SourceKind = Literal["经验材料", "案例征集", "学术论文", "讲话", "评论文章", "新闻报道"]


class Organisation(Strict):
    """Who runs the practice."""

    name: PlainText = Field(description="组织名称，如“中共南阳市委”“中国商用飞机有限责任公司党委”。")
    type: OrganisationType = Field(description="组织类型，用于分类筛选。")
    level: OrganisationLevel = Field(description="组织层级，用于分类筛选。")


class Coordinates(Strict):
    """Approximate map position (WGS84) of the city or headquarters: for the map, not a statistic."""

    lat: Annotated[float, Field(ge=-90, le=90)] = Field(description="纬度（WGS84，近似）。")
    lon: Annotated[float, Field(ge=-180, le=180)] = Field(description="经度（WGS84，近似）。")


class Location(Strict):
    """Where the practice takes place (for an enterprise: where it is headquartered)."""

    province: PlainText = Field(description="省级行政区，如“河南省”“内蒙古自治区”“上海市”。")
    city: PlainText | None = Field(default=None, description="地级市，如“南阳市”；直辖市重复省名。")
    county: PlainText | None = Field(default=None, description="县、区、旗，如“谷城县”；全市范围的实践留空。")
    coordinates: Coordinates = Field(description="地图定位用的近似坐标。")


class Period(Strict):
    """When the practice started and how current the record's facts are."""

    start: Annotated[int, Field(ge=1949, le=2100)] = Field(description="实践开始的年份（据来源，或据 start_basis 推断）。")
    start_basis: Literal["source", "about", "not_after"] = Field(
        default="source",
        description="开始年份的依据：source 表示来源写明；about 表示推断的大约年份（页面显示“约”）；"
                    "not_after 表示来源只说明此时已在实行（页面显示“不晚于”）。后两者须在 note 中说明依据。")
    as_of: AsOf = Field(description="记录所反映情况的截止时间：YYYY、YYYY-MM、YYYY-MM-DD，来源未写明时填“未注明”。")
    note: Prose | None = Field(default=None, description="时间依据的说明，如开始年份或截止时间是据文中哪句话推断的；页面上显示。")

    @model_validator(mode="after")
    def _inferred_start_explained(self):
        if self.start_basis != "source" and not self.note:
            raise ValueError(f"expected a note saying why the start year is inferred (start_basis: {self.start_basis}), got none")
        return self

    @property
    def start_label(self) -> str:
        """The start year as a reader should read it: 2008年, 约2018年, 不晚于2022年."""
        return {"source": "", "about": "约", "not_after": "不晚于"}[self.start_basis] + f"{self.start}年"

    @property
    def start_inferred(self) -> bool:
        return self.start_basis != "source"


class Practice(Strict):
    """One practice under 做法与经过."""

    title: PlainText = Field(description="做法的标题，如“跨领域联建共建”。")
    text: Prose = Field(description="做法的概述：用自己的话忠实转述，纯文本，空行分段。")
    mechanisms: Annotated[list[Tag], Field(min_length=1)] = Field(description="这条做法用到的机制标签，须出自本记录的 mechanisms。")
    standards: list[Slug] = Field(default_factory=list, description="这条做法实践的标准流程编号（standards/ 下的 id）。")


class Metric(Strict):
    """One figure from a source, copied exactly and cited."""

    label: PlainText = Field(description="这个数字量的是什么，如“因需而建的各类联合党组织”。")
    value: Number = Field(description="数值，与 text 中的数字一致（原文“2.38万名”填 2.38，单位写“万名”；“950余件”填 950）。")
    unit: Annotated[str, Field(max_length=12)] = Field(description="单位，与 text 中紧跟数字的单位一致，如“个”“万名”“%”；没有单位时填空字符串。")
    text: PlainText = Field(description="数字在原文中的写法，连同限定词（余、多、近、约、以上、突破），如“1600余个”“95%以上”；必须出现在引文中，页面显示的就是它。")
    as_of: AsOf = Field(description="数字所指的时间：YYYY、YYYY-MM、YYYY-MM-DD，来源未写明时填“未注明”。")
    citation: Citation = Field(description="出处：来源编号和数字所在的原句。")
    doubt: Prose | None = Field(
        default=None,
        description="原文数字明显有误时，在此说明理由；页面会标明“存疑”，不把它当作事实呈现。",
    )
    series: PlainText | None = Field(
        default=None,
        description="可比数列的名称：同一个量在不同时间的数字填同一名称（如“党支部数量”），案例页会把它们画成图；不可比的数字不要填。",
    )


class Source(Strict):
    """A published text the record draws on; a copy is kept under cases/sources/."""

    id: Slug = Field(description="来源编号，在全部记录中唯一，供引文引用，如“nanyang-report”。")
    title: PlainText = Field(description="文章标题（简体）。")
    publisher: PlainText = Field(description="作者或发布单位；原文未署名时写明“原文未署名”。")
    date: PartialDate | None = Field(default=None, description="发布时间：YYYY、YYYY-MM 或 YYYY-MM-DD；原文未注明时留空并在 date_note 说明。")
    date_note: Prose | None = Field(default=None, description="发布时间的依据或缺失说明。")
    kind: SourceKind = Field(description="来源类别。")
    file: Annotated[str, Field(pattern=r"^sources/[A-Za-z0-9._-]+\.txt$")] = Field(
        description="原文副本的路径，相对于 cases/，如“sources/nanyang-quanyu-dangjian.txt”。"
    )
    url: Url | None = Field(default=None, description="原文网址（仅 http/https），没有时留空。")


class CaseRecord(Strict):
    """A case: who did what, where, with which mechanisms, with what cited results."""

    id: Slug = Field(description="案例编号，也是网址：/cases/<id>/。")
    title: PlainText = Field(description="案例标题。")
    model: PlainText = Field(description="实践自己的名称，如“全域党建”“融合党建”“三百工程”。")
    organisation: Organisation = Field(description="实施主体。")
    location: Location = Field(description="地点。")
    sectors: Annotated[list[Tag], Field(min_length=1)] = Field(description="领域标签，如“城市基层”“农村”“国有企业”。")
    mechanisms: Annotated[list[Tag], Field(min_length=1)] = Field(description="机制标签，如“联合党组织”“三张清单”“双报到”。")
    period: Period = Field(description="时间范围。")
    summary: Annotated[str, Field(min_length=10, max_length=200)] = Field(description="一段话摘要，不超过 200 字。")
    background: Prose = Field(description="背景与起因：纯文本，空行分段。")
    practices: Annotated[list[Practice], Field(min_length=1)] = Field(description="做法与经过：逐条列出的做法。")
    outcomes: Prose = Field(description="成效与反响：纯文本，空行分段。")
    lessons: Prose = Field(description="思考与启示：纯文本，空行分段。")
    metrics: list[Metric] = Field(default_factory=list, description="关键数据：每个数字照录原文并注明出处。")
    sources: Annotated[list[Source], Field(min_length=1)] = Field(description="资料来源。")
    history: Annotated[list[HistoryEntry], Field(min_length=1)] = Field(description="收录与修订记录，按时间排列。")
    training: TrainingBlock | None = Field(default=None, description="教学用：学习目标、要点、讨论题和练习。")

    @property
    def last_updated(self) -> dt.date:
        return max(entry.date for entry in self.history)

    def comparable_series(self) -> dict[str, list["Metric"]]:
        """Figures the record marks as one quantity over time, in date order, with a shared unit.

        Only series with at least two dated, undoubted points of the same unit qualify:
        a chart must never put incomparable numbers side by side."""
        groups: dict[str, list[Metric]] = {}
        for metric in self.metrics:
            if metric.series and not metric.doubt and metric.as_of != UNDATED:
                groups.setdefault(metric.series, []).append(metric)
        return {name: sorted(points, key=lambda m: m.as_of) for name, points in groups.items()
                if len(points) >= 2 and len({m.unit for m in points}) == 1}

