"""Ingest reads what editors receive (.txt in UTF-8 or GBK, Word .docx, saved web pages) and
writes drafts whose guessed defaults must be confirmed before they validate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import copy_handbook, run_handbook
from handbook.ingest import extract_figures, parse_article, read_article

ARTICLE_TITLE = "示范县：联合党委把驻地单位拧成一股绳"
PARAGRAPHS = [
    ("标题", ARTICLE_TITLE),
    (None, "近3年来，示范县在12个乡镇组建联合党委，吸纳驻地单位党员3.5万名参与基层治理。"),
    ("标题 1", "一、建强组织体系"),
    (None, "联合党委每季度召开一次联席会议，群众到党群服务中心办事步行不超过15分钟。"),
    ("标题 1", "打造服务阵地"),
    (None, "全县建成10大类服务项目，年服务群众突破2万人次，平均每名党员认领约3个项目。"),
]


def make_docx(path: Path) -> Path:
    """A Word document as an editor receives it: Chinese heading styles, body paragraphs."""
    import docx

    document = docx.Document()
    document.styles["Title"].name = "标题"  # as Chinese Word names its built-in styles
    document.styles["Heading 1"].name = "标题 1"
    for style, text in PARAGRAPHS:
        document.add_paragraph(text, style=style)
    document.save(path)
    return path


def make_gbk_page(path: Path) -> Path:
    """A saved page from a county site: GBK bytes that claim UTF-8, menus, ads and a footer."""
    body = "".join(f"<h2>{t}</h2>" if s == "标题 1" else f"<p>{t}</p>" for s, t in PARAGRAPHS[1:])
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{ARTICLE_TITLE}_示范县人民政府网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/news">新闻中心</a> <a href="/gk">政务公开</a></div>
<div class="ad banner">扫一扫关注公众号，添加客服领取材料</div>
<div class="main"><article><h1>{ARTICLE_TITLE}</h1><p class="info">来源：示范县委组织部 发布时间：2024-05-06</p>{body}</article></div>
<div class="advert">【哒哒素材库】——每天更新材料1000多篇</div>
<footer>版权所有：示范县人民政府 备案号：京ICP备00000000号</footer></body></html>"""
    path.write_bytes(page.encode("gbk"))
    return path


@pytest.mark.parametrize("maker, name", [(make_docx, "sample.docx"), (make_gbk_page, "sample.html")], ids=["docx", "gbk-html"])
def test_ingest_reads_word_and_web_pages(tmp_path, maker, name):
    article = parse_article(read_article(maker(tmp_path / name)))
    assert article.title == ARTICLE_TITLE
    assert [h for h, _ in article.sections if h] == ["建强组织体系", "打造服务阵地"]  # from 标题 styles / <h2>
    assert "扫一扫" not in article.clean and "哒哒" not in article.clean and "首页" not in article.clean
    assert "版权所有" not in article.clean
    figures = {f.text: (f.value, f.unit) for f in article.figures}
    assert figures["15分钟"] == (15, "分钟") and figures["10大类"] == (10, "大类")
    assert figures["突破2万人次"] == (2, "万人次") and figures["约3个"] == (3, "个")
    assert "近3年" not in figures and figures["3.5万名"] == (3.5, "万名")


def test_ingest_stores_every_source_as_utf8_text(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    txt = tmp_path / "gbk-article.txt"
    txt.write_bytes("示范县推行联合党组织\n一、主要做法\n示范县组建联合党委12个。\n".encode("gbk"))
    for article, case_id in ((txt, "gbk-txt"), (make_gbk_page(tmp_path / "page.html"), "gbk-page"),
                             (make_docx(tmp_path / "word.docx"), "word-doc")):
        result = run_handbook("ingest", str(article), "--id", case_id, cwd=project)
        assert result.returncode == 0, result.stderr
        stored = project / "cases" / "sources" / (article.stem + ".txt")
        text = stored.read_bytes().decode("utf-8")  # raises if not UTF-8
        assert "示范县" in text and "<" not in text and "##" not in text
        draft = yaml.safe_load((project / "cases" / "drafts" / f"{case_id}.yaml").read_text(encoding="utf-8"))
        assert draft["sources"][0]["file"] == f"sources/{stored.name}"
        clean = (project / "cases" / "drafts" / f"{case_id}.clean.txt").read_text(encoding="utf-8")
        assert all(m["citation"]["quote"] in clean for m in draft["metrics"])


@pytest.mark.parametrize("sentence, expected", [
    ("群众步行15分钟可达。", ["15分钟"]),
    ("近3年来办结诉求1200余件。", ["1200余件"]),
    ("装机容量突破2亿千瓦。", ["突破2亿千瓦"]),
    ("约3000名党员报到，3年来增长95%以上。", ["约3000名", "95%以上"]),
    ("建成10大类服务项目，历时3个月。", ["10大类", "3个月"]),
])
def test_figures_keep_units_and_qualifiers(sentence, expected):
    assert [f.text for f in extract_figures(sentence)] == expected


def test_draft_defaults_must_be_confirmed(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    make_docx(tmp_path / "word.docx")
    assert run_handbook("ingest", str(tmp_path / "word.docx"), "--id", "word-doc", cwd=project).returncode == 0
    draft = (project / "cases" / "drafts" / "word-doc.yaml").read_text(encoding="utf-8")
    # Fill every 待填写 (as a hurried editor would) but leave the guessed defaults alone.
    filled = draft.replace("待填写：一段话摘要，不超过 200 字", "示范县组建联合党委，吸纳驻地单位党员参与基层治理。")
    filled = re.sub(r"待填写[^\"\n]*", "示例", filled)
    (project / "cases" / "word-doc.yaml").write_text(filled, encoding="utf-8")
    check = run_handbook("validate", cwd=project)
    assert check.returncode == 1
    marked = [line for line in check.stderr.splitlines() if "待核对" in line]
    fields = {line.split(": ")[1] for line in marked}
    assert {"organisation.type", "organisation.level", "location.coordinates", "period.start", "sources[0].kind"} <= fields, check.stderr
    assert all(line.startswith("cases/word-doc.yaml:") and "delete the '# 待核对' comment" in line for line in marked)
    confirmed = re.sub(r"\s*# 待核对[^\n]*", "", filled).replace("lat: 30.0, lon: 114.0", "lat: 32.1, lon: 112.1")
    (project / "cases" / "word-doc.yaml").write_text(confirmed, encoding="utf-8")
    check = run_handbook("validate", cwd=project)
    assert "待核对" not in check.stderr, check.stderr


def test_new_scaffold_marks_its_defaults_too(handbook_copy):
    assert run_handbook("new", "scaffolded", cwd=handbook_copy).returncode == 0
    text = (handbook_copy / "cases" / "scaffolded.yaml").read_text(encoding="utf-8")
    marked = [line for line in text.splitlines() if "# 待核对" in line and not line.startswith("#")]
    assert any("coordinates: {lat: 30.0, lon: 114.0}" in line for line in marked)
    assert any(line.strip().startswith("start:") for line in marked)


def test_a_word_copy_of_a_kept_source_reuses_it(tmp_path):
    import docx

    project = copy_handbook(tmp_path / "handbook")
    kept = project / "cases" / "sources" / "gucheng-sanbai-project.txt"
    before = kept.read_bytes()
    document = docx.Document()
    for line in kept.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line)
    document.save(tmp_path / "gucheng-sanbai-project.docx")
    result = run_handbook("ingest", str(tmp_path / "gucheng-sanbai-project.docx"), "--id", "gucheng-word", cwd=project)
    assert result.returncode == 0, result.stderr
    assert kept.read_bytes() == before
    other = tmp_path / "gucheng-sanbai-project.txt"  # another article under a kept source's name
    other.write_text("另一篇文章的标题\n示范县组建联合党委12个。\n", encoding="utf-8")
    result = run_handbook("ingest", str(other), "--id", "other", cwd=project)
    assert result.returncode == 1 and "rename your file (e.g. gucheng-sanbai-project-2.txt)" in result.stderr


def test_a_publication_line_fills_the_source_not_the_background(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    article = tmp_path / "speech.txt"
    article.write_text("区委组织部长的交流发言\n\n更新时间:2024-07 来源:网友投稿\n\n示范区组建联合党委12个，覆盖全部社区。\n", encoding="utf-8")
    result = run_handbook("ingest", str(article), "--id", "speech", cwd=project)
    assert result.returncode == 0, result.stderr
    draft = (project / "cases" / "drafts" / "speech.yaml").read_text(encoding="utf-8")
    record = yaml.safe_load(draft)
    assert "更新时间" not in record["background"] and "组建联合党委" in record["background"]
    assert record["sources"][0]["date"] == "2024-07" and record["sources"][0]["publisher"] == "网友投稿"
    assert re.search(r"date: \"2024-07\"\s+# 待核对", draft)
