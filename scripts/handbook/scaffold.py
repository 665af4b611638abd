"""`handbook new <id>`: a complete, commented case record for an editor to fill in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import EditorError
from .model import fields
from .model.addresses import reserved_ids
from .model.fields import PLACEHOLDER


def check_slug(case_id: str) -> str:
    """A new case's id: the model's one slug rule, and not the address of a generated page."""
    try:
        fields.check_slug(case_id)
    except ValueError as error:
        raise EditorError(f"id: {error}") from None
    if case_id in reserved_ids("cases"):
        raise EditorError(f"id: expected an id that is not the address of a generated page "
                          f"({', '.join(sorted(reserved_ids('cases')))}), got '{case_id}'")
    return case_id


def case_template(case_id: str, today: dt.date) -> str:
    P = PLACEHOLDER
    return f"""# 新案例。把每个“{P}”换成内容；留有“{P}”的记录不能通过校验，也就不会发布。
# 标有“待核对”的是默认值：核对（或改正）后删去那个注释，否则校验不通过。
# 字段说明见站点的“编辑指南”页。数字必须照录原文，并引用原句。
id: {case_id}
title: {P}：地点加实践名称，如“湖北谷城：推行‘三百’工程”
model: {P}：实践自己的名称，如“全域党建”
organisation:
  name: {P}：实施主体，如“中共某某县委”
  type: 地方党委        # 待核对：地方党委 / 党委组织部 / 中央企业 / 地方国有企业 / 机关 / 街道社区 / 非公企业 / 社会组织 / 高校
  level: 县            # 待核对：省 / 地级市 / 县 / 乡镇街道 / 村社区 / 集团 / 企业
location:
  province: {P}：如“湖北省”
  city: {P}：地级市；直辖市重复省名
  county:              # 县、区、旗；全市范围的实践留空
  coordinates: {{lat: 30.0, lon: 114.0}}   # 待核对：近似坐标（WGS84），改成实际所在地
sectors: [{P}]         # 领域标签，如 农村、城市基层、国有企业
mechanisms: [{P}]      # 机制标签，如 联合党组织、双报到、三张清单
period:
  start: {today.year}          # 待核对：实践开始的年份（据来源）
  start_basis: source  # source 来源写明；about 推断的大约年份；not_after 来源只说明此时已在实行（后两者须在 note 写依据）
  as_of: 未注明        # YYYY、YYYY-MM、YYYY-MM-DD；来源未写明时填“未注明”
  note: {P}：开始年份和截止时间的依据
summary: >-
  {P}：一段话摘要，不超过 200 字。
background: |-
  {P}：背景与起因，用自己的话转述；空行分段。
practices:
  - title: {P}：做法标题
    text: |-
      {P}：做法概述，用自己的话转述。
    mechanisms: [{P}]  # 须出自上面的 mechanisms
    standards: []      # 这条做法实践的标准流程编号，如 [joint-meeting]
outcomes: |-
  {P}：成效与反响。
lessons: |-
  {P}：思考与启示。
metrics:
  - label: {P}：这个数字量的是什么
    value: 0           # 数值，与原文一致（“2.38万名”填 2.38，单位写“万名”）
    unit: 个
    text: {P}：数字在原文中的写法，如“1600余个”
    as_of: 未注明
    citation:
      source: {case_id}-source
      quote: {P}：数字所在的原句，逐字照录（繁体转简体、D 还原为“党”之后）
    # doubt: 原文数字明显有误时，在此说明理由
    # series: 可比数列的名称：同一个量在不同时间的数字填同一名称，案例页会画成图
sources:
  - id: {case_id}-source
    title: {P}：文章标题
    publisher: {P}：作者或发布单位；未署名写“原文未署名”
    date:              # YYYY、YYYY-MM 或 YYYY-MM-DD；未注明时留空
    date_note: {P}：发布时间的依据或缺失说明
    kind: 经验材料      # 待核对：经验材料 / 案例征集 / 学术论文 / 讲话 / 评论文章 / 新闻报道
    file: sources/{P}.txt   # 原文副本放在 cases/sources/ 下
    url:               # 原文网址（仅 http/https）；没有时留空
history:
  - date: {today.isoformat()}
    change: added
    note: 首次收录。
# 可选：教学要点（培训用）。需要时去掉下面各行开头的“# ”并填写。
# training:
#   objectives: [学完能做什么]
#   takeaways: [从案例带走的经验]
#   questions: [讨论题一, 讨论题二, 讨论题三]   # 至少 3 个
#   exercise:
#     standard: joint-meeting                  # 练习所用的标准流程编号
#     task: 用这个标准梳理本支部的一项工作，写清要交出什么
"""


def new_case(root: Path, case_id: str, today: dt.date | None = None) -> Path:
    check_slug(case_id)
    path = Path(root) / "cases" / f"{case_id}.yaml"
    if path.exists():
        raise EditorError(f"{path}: already exists; choose another id or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(case_template(case_id, today or dt.date.today()))
    return path
