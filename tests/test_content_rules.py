"""Content rules of issue 16: what looks like a rule or a fact is cited or marked, regulation
statements are reviewed, homonyms carry their own definitions, edition counts come from the
data, and Traditional-form or half-width residue never reaches a record or the built site."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
import yaml
from pydantic import ValidationError

from handbook.errors import ContentErrors
from handbook.load.content_rules import typography_problems
from handbook.load.loader import load_collection
from handbook.load.source_text import KEPT_TRADITIONAL, normalise_article
from handbook.model.case import Period
from handbook.model.standard import Step, StandardFrontMatter
from handbook.render.charts_svg import bar_chart
from handbook.render.compare import overview_charts
from handbook.render.escaping import _fold
from handbook.render.pages import abbreviations, render_pages
from handbook.render.urls import record_of

from conftest import REPO, copy_handbook

COLLECTION = load_collection(REPO)
PAGES = {page.src_uri: page.content for page in render_pages(COLLECTION)}
ARTIFACTS = REPO / "tests" / "artifacts"

# --- statements that party regulations govern: one list, reviewed by hand -----------------

REGULATED = ("发展党员", "党费", "三会一课", "民主评议", "换届", "撤销")
REVIEWED_LIST = Path(__file__).resolve().parent / "regulation-reviewed.txt"


def regulated_statements() -> list[tuple[str, str, str]]:
    """(where, field, text) of every step, timing, role duty, checklist item, pitfall and
    teaching text that mentions a matter the 支部工作条例 or the 党章 govern."""
    found = []

    def take(where: str, field: str, text: str) -> None:
        text = _fold(text)  # as the page shows it: wrapped Chinese lines join without a space
        if any(word in text for word in REGULATED):
            found.append((where, field, text))

    for standard in COLLECTION.standards:
        where = f"standards/{standard.id}.md"
        take(where, "applies_to", standard.applies_to)
        for i, role in enumerate(standard.roles):
            take(where, f"roles[{i}].duty", role.duty)
        for i, step in enumerate(standard.steps):
            take(where, f"steps[{i}].action", step.action)
            take(where, f"steps[{i}].timing", step.timing)
        for i, item in enumerate(standard.checklist):
            take(where, f"checklist[{i}]", item.text)
        for i, pitfall in enumerate(standard.pitfalls):
            take(where, f"pitfalls[{i}]", pitfall)
    for case in COLLECTION.cases:
        where = f"cases/{case.id}.yaml"
        take(where, "lessons", case.lessons)
        for i, practice in enumerate(case.practices):
            take(where, f"practices[{i}].text", practice.text)
        if case.training:
            for i, item in enumerate(case.training.takeaways):
                take(where, f"training.takeaways[{i}]", item)
            for i, item in enumerate(case.training.questions):
                take(where, f"training.questions[{i}]", item)
            take(where, "training.exercise.task", case.training.exercise.task)
    for term in COLLECTION.glossary:
        take("standards/glossary.yaml", f"{term.term}.definition", term.definition)
    return found


def test_regulation_statements_are_all_reviewed(update_goldens):
    """A new or changed statement about 发展党员, 党费, 三会一课, 民主评议, 换届 or 撤销 fails
    until a reviewer has read it against the 支部工作条例 and added it to the reviewed list."""
    statements = regulated_statements()
    ARTIFACTS.mkdir(exist_ok=True)
    lines = ["# 涉及党内法规的表述（供人工核对）", "",
             "核对依据：《中国共产党支部工作条例（试行）》和党章。临时党支部经上级党组织批准设立，书记由批准机关指定，"
             "一般不发展党员、不收缴党费、不换届，随临时机构撤销而自然撤销；在职党员的三会一课和民主评议在其所在党支部进行；"
             "支部党员大会一般每季度1次，支委会一般每月1次，党小组会一般每月1次，党课每季度至少1次。", ""]
    lines += [f"- `{where}` {field}：{text}" for where, field, text in statements]
    (ARTIFACTS / "regulation-review.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    current = {"\t".join(s) for s in statements}
    if update_goldens:
        REVIEWED_LIST.write_text("".join(sorted(line + "\n" for line in current)), encoding="utf-8")
    reviewed = set(REVIEWED_LIST.read_text(encoding="utf-8").splitlines())
    unreviewed = sorted(current - reviewed)
    assert not unreviewed, ("not yet reviewed against the 支部工作条例 (see tests/artifacts/regulation-review.md; "
                            "after review, run pytest --update-goldens):\n" + "\n".join(unreviewed))
    assert not reviewed - current, "the reviewed list names statements that no longer exist: run pytest --update-goldens"


def test_the_review_list_covers_the_known_rules():
    where = {(w, f) for w, f, _ in regulated_statements()}
    assert ("standards/project-party-org.md", "pitfalls[0]") in where
    assert ("standards/dual-reporting.md", "steps[3].action") in where


def test_no_regulated_statement_gives_a_temporary_organisation_recruiting_or_dues():
    """The audit's worst finding, as a rule: nothing says a 临时党组织 should recruit or collect dues."""
    for where, field, text in regulated_statements():
        for clause in re.split(r"[。；]", text):
            if "临时党" in clause and any(w in clause for w in ("发展党员", "党费")):
                assert re.search(r"一般不|不发展|不收缴|不是|不应|没有把|不要|通例|专门授权", clause), (where, field, clause)


def test_in_service_members_keep_their_organisational_life_in_their_own_branch():
    standard = COLLECTION.standard("dual-reporting")
    community = [s for s in standard.steps if s.actor == "社区党组织"]
    assert not any("三会一课" in s.action or "民主评议" in s.action for s in community)


# --- basis: cited or marked as the editor's --------------------------------------------------

def test_an_uncited_step_must_be_marked_as_the_editors():
    with pytest.raises(ValidationError, match="basis 'source'"):
        Step(actor="甲", action="做某事。", timing="组建时")
    assert Step(actor="甲", action="做某事。", timing="组建时", basis="editor").by_editor


def test_calendar_timings_show_as_the_editors_unless_sourced():
    step = Step(actor="甲", action="做某事。", timing="每年年初", basis="editor")
    assert step.timing_by_editor
    assert not Step(actor="甲", action="做某事。", timing="组建时", basis="editor").timing_by_editor
    assert not Step(actor="甲", action="做某事。", timing="每年", timing_basis="source", basis="editor").timing_by_editor


def test_checklist_step_numbers_must_exist():
    front = yaml.safe_load((REPO / "standards" / "joint-meeting.md").read_text(encoding="utf-8").split("---")[1])
    front["checklist"].append({"text": "不存在的一步", "steps": [99]})
    with pytest.raises(ValidationError, match="step numbers"):
        StandardFrontMatter.model_validate(front)


def test_standard_pages_show_editor_recommendations():
    page = PAGES["standards/joint-meeting.md"]
    assert page.count("（编者建议）") >= 3
    # a sourced timing carries no mark
    assert "时间：定期（频次由工作章程约定）\n" in page
    assert "## 常见误区与注意事项" in page and "## 常见问题" not in page


def test_every_editor_step_on_every_page_is_marked():
    for standard in COLLECTION.standards:
        page = PAGES[f"standards/{standard.id}.md"]
        steps = page.split("## 步骤")[1].split("## 检查清单")[0]
        for step in standard.steps:
            line = next(l for l in steps.splitlines() if step.actor in l and l.lstrip()[0].isdigit()
                        and " ".join(step.action.split())[:12] in l)
            assert line.endswith("（编者建议）</span>") == step.by_editor, (standard.id, line)


# --- inferred start years ---------------------------------------------------------------------

def test_an_inferred_start_year_needs_its_note():
    with pytest.raises(ValidationError, match="inferred"):
        Period(start=2022, start_basis="not_after", as_of="2023")
    period = Period(start=2022, start_basis="not_after", as_of="2023", note="来源只说明2022年已在实行。")
    assert period.start_label == "不晚于2022年" and period.start_inferred


def test_inferred_starts_of_the_audit_are_marked():
    for case_id in ("gucheng", "tongliao", "huadian"):
        period = COLLECTION.case(case_id).period
        assert period.start_basis == "not_after" and period.start == 2022, case_id


def test_case_page_shows_the_inferred_start_with_a_visible_note():
    page = PAGES["cases/huadian.md"]
    lines = page.splitlines()
    period_line = lines[lines.index("    时间") + 1]  # the 概览 list: 时间 / :   its value
    assert "不晚于2022年开始<sup>注</sup>" in period_line and 'title="' in period_line
    assert "*时间说明*（注）：" in page and "冬奥会" in page.split("*时间说明*")[1].split("\n")[0]
    assert "2022年起" not in period_line


def test_overview_chart_marks_inferred_years_and_explains_them():
    svg, rows = overview_charts(COLLECTION)["timeline"]
    labels = [label for label, _ in rows]
    assert "不晚于2022年" in labels and "2022年" not in labels
    assert "不晚于2022年※" in svg and "冬奥会" in svg  # visible marker, note in the <title>
    page = PAGES["overview.md"]
    assert "※ 标“约”“不晚于”的年份是编者据来源推断的" in page and "冬奥会" in page


def test_bar_chart_without_notes_has_no_marker():
    assert "※" not in bar_chart([("2008年", 1)], "开始年份")


# --- glossary senses --------------------------------------------------------------------------

def test_homonyms_carry_the_definition_of_their_own_page():
    gucheng, chifeng, other = abbreviations(COLLECTION, "gucheng"), abbreviations(COLLECTION, "chifeng"), abbreviations(COLLECTION)
    assert "*[五个一]: 谷城“百米岗”" in gucheng and "赤峰的融合党建活动" not in gucheng
    assert "*[五个一]: 赤峰的融合党建活动" in chifeng and "百米岗”固定岗" not in chifeng
    assert "*[五个一]:" not in other  # a page about no single record links neither sense
    assert "*[三会一课]:" in other  # unscoped terms apply everywhere


def test_record_of_page():
    assert record_of("cases/gucheng.md") == "gucheng"
    assert record_of("standards/joint-activities.md") == "joint-activities"
    assert record_of("cases/index.md") is None and record_of("overview.md") is None


def test_overlapping_senses_are_rejected(handbook_copy):
    path = handbook_copy / "standards" / "glossary.yaml"
    text = path.read_text(encoding="utf-8").replace("    scope: [gucheng]\n", "    scope: [gucheng, chifeng]\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(handbook_copy)
    assert any(e.file == "standards/glossary.yaml" and "disjoint scopes" in e.message for e in raised.value.errors)


def test_unknown_scope_is_rejected(handbook_copy):
    path = handbook_copy / "standards" / "glossary.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    scope: [gucheng]\n", "    scope: [no-such]\n"), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(handbook_copy)
    assert [str(e) for e in raised.value.errors] == [
        next(str(e) for e in raised.value.errors if "scope" in e.field)]
    assert "expected a case or standard id, got 'no-such'" in str(raised.value)


def test_terms_are_never_linked_inside_links_or_headings():
    md = markdown.Markdown(extensions=["handbook.render.cjk_abbr"])
    text = "# 怎样开三会一课\n\n[开好三会一课](x.md)后，再讲三会一课。\n\n*[三会一课]: 释义\n"  # (a heading that is the term itself: test_search_support)
    out = md.convert(text)
    assert out.count("<abbr") == 1
    assert '<a href="x.md">开好三会一课</a>后，再讲<abbr title="释义">三会一课</abbr>' in out


# --- edition notes ----------------------------------------------------------------------------

def test_edition_counts_come_from_the_data():
    page = PAGES["changelog.md"]
    assert f"本版共有{len(COLLECTION.cases)}个案例、{len(COLLECTION.standards)}个标准流程" in page
    assert "收录。首次收录。" not in page


@pytest.mark.parametrize("note, stated", [("首次发布：5 个案例、13 个标准流程和术语表。", "5 个案例"),
                                          ("首次发布，收录五个案例。", "五个案例")])
def test_a_note_that_contradicts_the_data_fails(handbook_copy, note, stated):
    path = handbook_copy / "cases" / "edition.yaml"
    data = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"note: .*", f"note: {note}", data), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(handbook_copy)
    messages = [str(e) for e in raised.value.errors]
    assert any(m.startswith("cases/edition.yaml:") and "editions[0].note:" in m and stated in m for m in messages), messages


# --- typography -------------------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("著眼于深化条块相融", "expected 着眼, got the Traditional form 著眼"),
    ("发挥作用,组织全市44个街道", "ASCII ','"),
    ("做法“红色商街“两个覆盖”", "nested “"),
    ("至少联系 1 个社区", "space between digits"),
])
def test_typography_problems(line, expected):
    assert any(expected in problem for problem in typography_problems(line)), typography_problems(line)


@pytest.mark.parametrize("line", ["著作和显著提升", "C919、ARJ21等项目", "“大飞机奋斗者”、“追梦先锋”", "ARJ21 飞机", "key: value"])
def test_typography_accepts_clean_lines(line):
    assert typography_problems(line) == []


def test_the_normaliser_maps_the_kept_traditional_forms():
    assert normalise_article("著眼於長遠\n") == "着眼于长远\n"
    assert normalise_article("發揮作用,組織全市\n") == "发挥作用，组织全市\n"


def test_typography_is_checked_in_records_with_file_and_line(handbook_copy):
    path = handbook_copy / "cases" / "chifeng.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: >-\n  ", "summary: >-\n  著眼于全局,", 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_collection(handbook_copy)
    line = text.split("\n").index("summary: >-") + 2
    messages = [str(e) for e in raised.value.errors]
    assert f"cases/chifeng.yaml:{line}: summary: expected 着眼, got the Traditional form 著眼 (OpenCC keeps it)" in messages
    assert any(m.startswith(f"cases/chifeng.yaml:{line}: summary: expected full-width punctuation") for m in messages)


_CODE = re.compile(r"<code>.*?</code>", re.S)
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S)


def test_built_site_has_no_residue(built_handbook):
    """Every page of the built site: no Traditional 著 forms, no ASCII punctuation between
    Chinese characters, no “…“…”…” quotes (the data files too, for 著 forms)."""
    site = built_handbook / "site"
    problems = []
    for path in sorted(site.rglob("*.html")):
        text = html.unescape(_TAGS.sub("\n", _CODE.sub("", path.read_text(encoding="utf-8"))))  # code is literal
        for line in text.splitlines():
            for problem in typography_problems(line):
                if "space between digits" not in problem:  # other templates' spacing is not ours to judge here
                    problems.append(f"{path.relative_to(site)}: {problem}")
    for path in sorted((site / "data").glob("*.*")):
        text = path.read_text(encoding="utf-8", errors="replace")
        problems += [f"{path.relative_to(site)}: {old}" for old in KEPT_TRADITIONAL if old in text]
    assert not problems, "\n".join(problems[:30])
    gucheng = (site / "cases" / "gucheng" / "index.html").read_text(encoding="utf-8")
    assert "赤峰的融合党建活动" not in gucheng  # 谷城's 五个一 never carries 赤峰's tooltip
