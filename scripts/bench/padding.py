"""Pad the real handbook to N cases with synthetic ones that are distinct from the seven real cases.

Every synthetic case has its own place, organisation, practice names, mechanisms and figures,
drawn from the vocabulary below and never from a seed: no seed practice title, model name,
organisation, place, tag used by only one seed, figure label or figure text appears in one
(`seed_terms()` lists them; tests/test_padding.py checks). The seven real cases keep their ids
and files, so the search evaluation's expected pages stay the same at any size. Each synthetic
case cites its figures from a synthetic source text that contains the quoted sentences, so the
padded collection passes `handbook validate`. Output depends only on (seed, case number): a
collection of 100 is the first 100 of a collection of 1,000.

Usage: python scripts/bench/padding.py TARGET --cases 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SEED_IDS = ("chifeng", "comac", "gucheng", "huadian", "nanyang", "ningde", "tongliao")
MARK = "合成测试数据：由 scripts/bench/padding.py 生成，不是真实案例。"

# ----------------------------------------------------------------------------- vocabulary
# Provinces none of the seeds is in, with an approximate centre for the locations chart.
PROVINCES = {
    "河北省": (38.0, 114.5), "山西省": (37.9, 112.5), "辽宁省": (41.8, 123.4), "吉林省": (43.9, 125.3),
    "黑龙江省": (45.8, 126.6), "江苏省": (32.1, 118.8), "浙江省": (30.3, 120.2), "安徽省": (31.9, 117.3),
    "江西省": (28.7, 115.9), "山东省": (36.7, 117.0), "湖南省": (28.2, 112.9), "广东省": (23.1, 113.3),
    "广西壮族自治区": (22.8, 108.3), "海南省": (20.0, 110.3), "四川省": (30.7, 104.1), "贵州省": (26.6, 106.7),
    "云南省": (25.0, 102.7), "陕西省": (34.3, 108.9), "甘肃省": (36.1, 103.8), "青海省": (36.6, 101.8),
    "宁夏回族自治区": (38.5, 106.3), "新疆维吾尔自治区": (43.8, 87.6), "重庆市": (29.6, 106.5), "天津市": (39.1, 117.2),
}
# Place names are made of two syllables (青 + 溪 → 青溪市, 青溪县): invented, not real places.
NAME_FIRST = "青云临安平丰永兴长明东清秀宜泰金玉凤龙鹤柳桐松梅兰岚新福瑞康和乐怀嘉"
NAME_SECOND = "川溪丰源泉江山岭峰州湖桥原林台浦湾塘坪冈洲堰滩"
COUNTY_SUFFIX = ("县", "区", "市")
STREETS = ("和平", "春晖", "望湖", "新桥", "滨江", "杏林", "枫林", "锦绣", "朝阳", "文昌", "石榴", "翠屏")
INDUSTRIES = ("交通投资", "水务", "城市建设", "文化旅游", "能源", "农业发展", "供销", "粮食储备", "港务", "医药")
FIRMS = ("星河", "蓝湾", "恒远", "启明", "汇通", "瑞丰", "岳成", "青禾")
DEPARTMENTS = ("市场监督管理局", "住房和城乡建设局", "农业农村局", "交通运输局", "生态环境局", "人力资源和社会保障局")
# Practice names follow the patterns practices are named by: 「X+Y」, adjective + place of work,
# number + verbs (三联三促), and 工作法 names.
PLUS_LEFT = ("支部", "党建", "红色", "网格", "积分", "数字", "志愿", "产业", "楼栋", "乡贤")
PLUS_RIGHT = ("物业", "合作社", "驿站", "商圈", "课堂", "码头", "工坊", "民宿", "快递", "食堂", "书屋", "果园")
ADJECTIVES = ("连心", "共富", "暖心", "同心", "聚力", "初心", "星火", "邻里", "红帆", "金穗", "银龄", "青禾", "润心", "月亮湾")
PLACES_OF_WORK = ("议事厅", "工坊", "驿站", "管家", "课堂", "工作室", "服务站", "联盟", "小院", "夜谈会", "议事坪", "红榜")
NUMERALS = "两三四五六"
VERBS = ("联", "促", "访", "议", "帮", "带", "评", "比", "亮", "晒", "包", "学")
METHODS = ("工作法", "服务法", "议事法", "管理法")
AIMS = ("激活基层治理末梢", "把服务送到群众家门口", "让党员作用看得见", "推动集体经济增收", "把矛盾化解在萌芽状态",
        "打通联系群众最后一段路", "让企业和群众双向受益", "把分散的力量拧在一起")
PROBLEMS = ("外出务工人员多、留守老人多，村里的事常常没人商量", "老旧小区多、物业缺位，居民诉求反映不畅",
            "园区企业分散、党员流动性大，组织生活难以正常开展", "山高路远、村落分散，干部走访一次要花好几天",
            "产业链条短、村集体收入少，群众参与公共事务的积极性不高", "新业态从业人员多，组织找不到人、人找不到组织",
            "城乡接合部人口流动快，矛盾纠纷多发", "企业生产任务重，党建工作和业务工作两张皮")
STEPS = ("每月固定一天集中议事，议题由群众提出", "党员按特长认领服务岗位，完成情况张榜公布",
         "建立问题台账，办结一件销号一件", "由支部书记牵头，联合驻地单位定期会商", "把服务事项做成清单，群众按需点单",
         "设立流动服务点，定期进村入户", "对参与公共事务的群众给予积分，积分可换取生活用品",
         "组织老党员、能人组成志愿服务队", "用线上群组收集诉求，二十四小时内回应", "年底由群众评议，结果与评先评优挂钩")
# Mechanism tags: generic ones, plus seed tags that two or more seeds share (a tag used by
# one seed only is that seed's own term and is left out, see seed_terms()).
OWN_MECHANISMS = ("志愿服务", "红色物业", "楼栋党建", "民主协商", "党群服务", "村企共建", "人才回引", "数字治理", "阵地建设",
                  "结对帮扶", "民情走访", "群众评议", "品牌创建", "清单管理", "议事协商", "集体经济")
# Weighted like real collections, where a few mechanisms are everywhere and most are rare.
SHARED_SEED_MECHANISMS = {"联建共建": 6, "考核评价": 3, "积分制管理": 3, "网格化治理": 2, "联席会议": 2, "基础保障": 1, "动态管理": 1}
SECTORS = ("农村", "城市基层", "社会治理", "产业发展", "国有企业", "两新组织", "机关", "社会事业", "生态环保")
STANDARDS_BY_MECHANISM = {"联建共建": "joint-activities", "积分制管理": "points-redemption", "联席会议": "joint-meeting", "考核评价": "evaluation",
                          "动态管理": "dynamic-management", "基础保障": "resources"}
# Figure templates: label, unit, value range, decimals, quote (must contain {text}).
FIGURES = (
    ("建成的“{name}”", "个", (12, 480), 0, "截至{year}年，{scope}共建成“{name}”{text}，覆盖{m}个村（社区）。"),
    ("参与“{model}”的党员", "名", (150, 9500), 0, "{year}年，{org}组织{text}党员参与“{model}”，累计服务群众{m}人次。"),
    ("收集并办结的群众诉求", "件", (80, 6400), 0, "通过“{model}”，{year}年{scope}共收集并办结群众诉求{text}，平均办理时间缩短到{d}天。"),
    ("群众满意率（第三方测评）", "%", (86, 99), 1, "{year}年第三方测评显示，{scope}群众对“{model}”的满意率达{text}。"),
    ("村集体经济增收", "万元", (15, 960), 0, "{year}年，{scope}{m}个村集体依托“{name}”增收{text}。"),
    ("组建的志愿服务队", "支", (6, 320), 0, "{org}推动党员和群众组建志愿服务队{text}，每支队伍由一名党员带队。"),
    ("培训的基层骨干", "人次", (60, 5200), 0, "围绕“{model}”，{year}年共培训基层骨干{text}，做到每个网格都有明白人。"),
    ("接入线上平台的住户", "万户", (1, 48), 1, "{scope}已有{text}住户接入“{name}”线上平台，诉求可以随时反映。"),
)


def seed_terms(root: Path = REPO) -> dict[str, set[str]]:
    """The seeds' distinctive terms a synthetic case must never contain, by kind."""
    seeds = _seed_records(root)
    tag_users: dict[str, int] = {}
    for record in seeds:
        for tag in set(record["mechanisms"]):
            tag_users[tag] = tag_users.get(tag, 0) + 1
    clean = lambda t: re.sub(r"[“”\"]", "", t)  # noqa: E731
    return {
        "practice titles": {clean(p["title"]) for r in seeds for p in r["practices"]},
        "models": {r["model"] for r in seeds},
        "organisations": {r["organisation"]["name"] for r in seeds},
        "places": {v for r in seeds for k, v in r["location"].items() if k in ("city", "county")}
                  | {re.sub(r"[市县旗]$", "", r["location"].get("county") or r["location"].get("city") or "") for r in seeds} - {""},
        "unique tags": {tag for tag, n in tag_users.items() if n == 1},
        "figure labels": {clean(m["label"]) for r in seeds for m in r["metrics"]},
        "figure texts": {m["text"] for r in seeds for m in r["metrics"]},
        "figure quotes": {m["citation"]["quote"] for r in seeds for m in r["metrics"]},
    }


def _seed_records(root: Path) -> list[dict]:
    """Every real case (the seven seeds and any an editor added): no synthetic case may share their terms."""
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(real_case_files(root / "cases"))]


# ----------------------------------------------------------------------------- one synthetic case

def _place_name(rng: random.Random, avoid: set[str]) -> str:
    while True:
        name = rng.choice(NAME_FIRST) + rng.choice(NAME_SECOND)
        if name not in avoid and name[0] != name[1]:
            return name


def _number(rng: random.Random, low: int, high: int, decimals: int, taken: set[str], unit: str) -> tuple[float | int, str]:
    while True:
        value = round(rng.uniform(low, high), decimals) if decimals else rng.randint(low, high)
        text = f"{value}{unit}"
        if text not in taken:
            return value, text


def _practice_name(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return f"{rng.choice(PLUS_LEFT)}+{rng.choice(PLUS_RIGHT)}"
    if kind == 1:
        return rng.choice(ADJECTIVES) + rng.choice(PLACES_OF_WORK)
    a, b = rng.sample(VERBS, 2)
    n = rng.choice(NUMERALS)
    return f"{n}{a}{n}{b}"


def synthetic_case(number: int, seed: int, avoid: dict[str, set[str]]) -> tuple[dict, str]:
    """(record, source text) of synthetic case ``number``: depends on (seed, number) only."""
    rng = random.Random(f"{seed}:{number}")
    case_id = f"syn-{number:05d}"
    province = rng.choice(sorted(PROVINCES))
    short_places = {p for p in avoid["places"]}
    city = _place_name(rng, short_places)
    county = _place_name(rng, short_places | {city})
    county_full = county + rng.choice(COUNTY_SUFFIX)
    city_full = city + "市"
    lat, lon = PROVINCES[province]
    org_kind = rng.randrange(6)
    if org_kind == 0:
        organisation = {"name": f"中共{county_full}委", "type": "地方党委", "level": "县"}
        scope, org = f"全{county_full[-1]}", f"{county_full}委"
    elif org_kind == 1:
        organisation = {"name": f"中共{city_full}委组织部", "type": "党委组织部", "level": "地级市"}
        scope, org = "全市", f"{city_full}委组织部"
    elif org_kind == 2:
        street = rng.choice(STREETS)
        organisation = {"name": f"{county_full}{street}街道党工委", "type": "街道社区", "level": "乡镇街道"}
        scope, org = f"{street}街道", f"{street}街道党工委"
    elif org_kind == 3:
        industry = rng.choice(INDUSTRIES)
        organisation = {"name": f"{city_full}{industry}集团有限公司党委", "type": "地方国有企业", "level": "集团"}
        scope, org = "集团各基层单位", f"{city}{industry}集团党委"
    elif org_kind == 4:
        firm = rng.choice(FIRMS)
        organisation = {"name": f"{city}{firm}科技有限公司党委", "type": "非公企业", "level": "企业"}
        scope, org = "公司各部门", f"{firm}科技党委"
    else:
        department = rng.choice(DEPARTMENTS)
        organisation = {"name": f"{city_full}{department}机关党委", "type": "机关", "level": "地级市"}
        scope, org = "局属各单位", f"{city_full}{department}"
    model = _practice_name(rng) + (rng.choice(METHODS) if rng.random() < 0.3 else "")
    names = []
    while len(names) < rng.randint(3, 5):
        name = _practice_name(rng)
        if name not in names and name != model:
            names.append(name)
    shared = rng.choices(list(SHARED_SEED_MECHANISMS), weights=list(SHARED_SEED_MECHANISMS.values()), k=2)
    mechanisms = list(dict.fromkeys(shared[: rng.randint(1, 2)])) + rng.sample(OWN_MECHANISMS, rng.randint(2, 4))
    mechanisms = [m for m in mechanisms if m not in avoid["unique tags"]]
    start = rng.randint(2012, 2023)
    year = rng.randint(start, 2024)
    aim, problem = rng.choice(AIMS), rng.choice(PROBLEMS)
    practices = []
    for name in names:
        steps = rng.sample(STEPS, 2)
        tags = list(dict.fromkeys([mechanisms[0], *rng.sample(mechanisms, rng.randint(0, 1))]))
        practice = {"title": f"“{name}”：{steps[0].split('，')[0]}",
                    "text": f"{org}推行“{name}”：{steps[0]}；{steps[1]}。这项做法在{county_full}先行试点，再推广到{scope}。",
                    "mechanisms": tags}
        linked = sorted({STANDARDS_BY_MECHANISM[t] for t in tags if t in STANDARDS_BY_MECHANISM})
        if linked:
            practice["standards"] = linked
        practices.append(practice)
    taken = set(avoid["figure texts"])
    metrics, quotes = [], []
    for label, unit, (low, high), decimals, quote in rng.sample(FIGURES, rng.randint(3, 5)):
        value, text = _number(rng, low, high, decimals, taken, unit)
        taken.add(text)
        fill = {"name": rng.choice(names), "model": model, "year": year, "scope": scope, "org": org, "text": text,
                "m": rng.randint(3, 300), "d": rng.randint(2, 9)}
        sentence = quote.format(**fill)
        quotes.append(sentence)
        metrics.append({"label": label.format(**fill), "value": value, "unit": unit, "text": text, "as_of": str(year),
                        "citation": {"source": f"{case_id}-source", "quote": sentence}})
    short_province = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", province)
    record = {
        "id": case_id,
        "title": f"{short_province}{city}：推行“{model}”，{aim}",
        "model": model,
        "organisation": organisation,
        "location": {"province": province, "city": city_full, "county": county_full,
                     "coordinates": {"lat": round(lat + rng.uniform(-1.5, 1.5), 2), "lon": round(lon + rng.uniform(-1.5, 1.5), 2)}},
        "sectors": rng.sample(SECTORS, rng.randint(1, 3)),
        "mechanisms": mechanisms,
        "period": {"start": start, "as_of": year, "note": MARK},
        "summary": f"{county_full}针对{problem.split('，')[0]}的情况，推行“{model}”，以{'、'.join('“' + n + '”' for n in names[:3])}等做法{aim}。",
        "background": f"{county_full}位于{province}{city_full}，{problem}。{start}年起，{org}推行“{model}”，目标是{aim}。",
        "practices": practices,
        "outcomes": " ".join(quotes[:2]) + f"\n\n“{model}”推行以来，{scope}群众参与公共事务的人数逐年增加。",
        "lessons": f"一是做法要有名字、有载体，群众记得住；二是{rng.choice(STEPS)}；三是把群众评价作为检验“{model}”成效的标准。",
        "metrics": metrics,
        "sources": [{"id": f"{case_id}-source", "title": f"{county_full}推行“{model}”的做法", "publisher": "合成测试数据",
                     "date_note": MARK, "kind": "经验材料", "file": f"sources/{case_id}.txt"}],
        "history": [{"date": "2026-11-23", "change": "added", "note": "合成测试数据，首次生成。"}],
    }
    source = "\n\n".join([record["sources"][0]["title"], record["background"], *(p["text"] for p in practices), *quotes, MARK]) + "\n"
    return record, source


# ----------------------------------------------------------------------------- the padded project

def padded_project(target: Path, size: int, seed: int = 7, root: Path = REPO) -> Path:
    """A copy of the handbook at ``root`` whose real cases (however many the editors have added)
    are padded to ``size`` cases."""
    real = len(real_case_files(root / "cases"))
    if size < real:
        raise ValueError(f"expected at least {real} cases (the real ones), got {size}")
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "standards", "cases"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    shutil.rmtree(target / "cases" / "drafts", ignore_errors=True)
    avoid = seed_terms(root)
    for number in range(size - real):
        record, source = synthetic_case(number, seed, avoid)
        (target / "cases" / f"{record['id']}.yaml").write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        (target / "cases" / "sources" / f"{record['id']}.txt").write_text(source, encoding="utf-8")
    return target


def real_case_files(folder: Path) -> list[Path]:
    """The case records in ``folder`` (not the editions file)."""
    return [p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.name != "edition.yaml"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="a folder that does not exist yet")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    padded_project(args.target, args.cases, args.seed)
    print(f"{args.target}: {args.cases} cases ({len(real_case_files(REPO / 'cases'))} real)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
