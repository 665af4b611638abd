"""Editor commands on the real sources: new, ingest, export, release; bad input writes nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_PROJECT, REPO, copy_handbook, run_handbook
from handbook.export import export_files
from handbook.ingest import parse_article, read_article
from handbook.load.loader import load_collection
from handbook.load.source_text import match_key
from handbook.model.case import CaseRecord
from handbook.render.field_reference import DOCUMENTED, field_rows

SOURCES = sorted((REPO.parent / "shared" / "sources").glob("*.txt")) or sorted((REPO / "cases" / "sources").glob("*.txt"))
COLLECTION = load_collection(REPO)


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_new_scaffold_is_refused_until_filled_then_validates(handbook_copy):
    result = run_handbook("new", "sample-new", cwd=handbook_copy)
    assert result.returncode == 0, result.stderr
    path = handbook_copy / "cases" / "sample-new.yaml"
    check = run_handbook("validate", cwd=handbook_copy)
    assert check.returncode == 1 and "cases/sample-new.yaml:5: title: expected finished text, got the placeholder '待填写'" in check.stderr
    # Filled in (with the fixture's sample case, whose fields test_scaffold_fields.py holds to the model)
    filled = yaml.safe_load((FIXTURE_PROJECT / "cases" / "sample.yaml").read_text(encoding="utf-8"))
    filled["id"] = "sample-new"
    for practice in filled["practices"]:  # the fixture's own standard is not in the real collection
        practice["standards"] = []
    shutil.copy(FIXTURE_PROJECT / "cases" / "sources" / "sample.txt", handbook_copy / "cases" / "sources" / "sample.txt")
    path.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    result = run_handbook("validate", cwd=handbook_copy)
    assert result.returncode == 0, result.stderr


def test_new_refuses_to_overwrite_and_bad_ids(handbook_copy):
    before = (handbook_copy / "cases" / "nanyang.yaml").read_bytes()
    for args, message in ((("new", "nanyang"), "already exists"), (("new", "Bad Id"), "expected lowercase letters")):
        result = run_handbook(*args, cwd=handbook_copy)
        assert result.returncode == 1 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert (handbook_copy / "cases" / "nanyang.yaml").read_bytes() == before


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_ingest_every_real_source(tmp_path, source):
    project = copy_handbook(tmp_path / "handbook")
    result = run_handbook("ingest", str(source), "--id", "draft-case", cwd=project)
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load((project / "cases" / "drafts" / "draft-case.yaml").read_text(encoding="utf-8"))
    clean = (project / "cases" / "drafts" / "draft-case.clean.txt").read_text(encoding="utf-8")
    assert "哒哒" not in clean and "paidbegin" not in clean and "<li" not in clean and "黨" not in clean
    assert (project / "cases" / "sources" / source.name).read_bytes() == source.read_bytes()
    key = match_key(clean)
    for metric in draft["metrics"]:
        assert match_key(metric["citation"]["quote"]) in key and match_key(metric["text"]) in match_key(metric["citation"]["quote"])
    # Once every placeholder is filled, the draft is a valid record.
    filled = json.loads(json.dumps(draft, ensure_ascii=False, default=str).replace("待填写", "示例内容"))
    filled["summary"] = "示例摘要：" + filled["summary"]
    CaseRecord.model_validate(filled)


def test_ingest_keeps_c919_and_dcs_and_finds_figures():
    article = parse_article(read_article(REPO / "cases" / "sources" / "huadian-lianjian-gongjian.txt"))
    assert "全国产化DCS" in article.clean and "党员先锋岗4947个" in article.clean
    assert {"4947个", "0个", "突破2亿千瓦", "50兆瓦"} <= {f.text for f in article.figures}  # qualifiers kept
    comac = parse_article(read_article(REPO / "cases" / "sources" / "comac-project-party-building.txt"))
    assert "C919" in comac.clean and [h for h, _ in comac.sections if h][0].startswith("强化党组织政治功能和组织功能")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "expected an article, got an empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "expected text, got a binary file"),
        ("未知编码".encode("utf-16-le"), "expected UTF-8 or GB18030 text, got an unknown encoding"),
        (bytes(range(0x80, 0x100)) * 4, "expected UTF-8 or GB18030 text, got an unknown encoding"),
    ],
    ids=["missing", "empty", "binary", "utf16", "unknown-encoding"],
)
def test_ingest_bad_input_writes_nothing(tmp_path, content, message):
    project = copy_handbook(tmp_path / "handbook")
    article = tmp_path / "article.txt"
    if content is not None:
        article.write_bytes(content)
    before = tree(project)
    result = run_handbook("ingest", str(article), cwd=project)
    assert result.returncode == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert tree(project) == before


def test_ingest_refuses_an_existing_target(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    source = REPO / "cases" / "sources" / "gucheng-sanbai-project.txt"
    result = run_handbook("ingest", str(source), "--id", "gucheng", cwd=project)
    assert result.returncode == 1 and "cases/gucheng.yaml: already exists" in result.stderr
    assert not (project / "cases" / "drafts").exists()


def test_gb18030_articles_are_read(tmp_path):
    article = tmp_path / "gbk.txt"
    article.write_bytes("示范县推行联合党组织\n一、主要做法\n组建联合党委12个。\n".encode("gb18030"))
    parsed = parse_article(read_article(article))
    assert parsed.title == "示范县推行联合党组织" and [f.text for f in parsed.figures] == ["12个"]


def test_export_round_trips(handbook_copy):
    result = run_handbook("export", "--out", "dist/data", cwd=handbook_copy)
    assert result.returncode == 0, result.stderr
    out = handbook_copy / "dist" / "data"
    assert (out / ".handbook-output").is_file(), "the marker that lets the next export replace it"
    assert sorted(p.name for p in out.iterdir() if p.name != ".handbook-output") == ["case.schema.json", "cases.csv", "cases.json", "metrics.csv", "session.schema.json", "standard.schema.json"]
    loaded = [CaseRecord.model_validate(item) for item in json.loads((out / "cases.json").read_text(encoding="utf-8"))]
    assert loaded == COLLECTION.cases
    rows = list(csv.DictReader(io.StringIO((out / "cases.csv").read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == [c.id for c in COLLECTION.cases]
    metrics = list(csv.DictReader(io.StringIO((out / "metrics.csv").read_text(encoding="utf-8-sig"))))
    assert len(metrics) == COLLECTION.metric_count
    zero = next(m for m in metrics if m["case_id"] == "huadian" and m["text"] == "0个")
    assert zero["doubt"] and "书记领衔项目0个" in zero["quote"]
    assert (out / "cases.csv").read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the BOM"


def test_site_publishes_the_same_export(built_handbook):
    for name, data in export_files(load_collection(built_handbook)).items():
        assert (built_handbook / "site" / "data" / name).read_bytes() == data
    html = (built_handbook / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="cases.csv"' in html  # the page is /data/, the files sit beside it


def test_changelog_and_feed_list_the_first_edition(built_handbook):
    html = (built_handbook / "site" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "第一版（2026-1" in html
    feed = json.loads((built_handbook / "site" / "feed.json").read_text(encoding="utf-8"))
    ids = {item["id"] for item in feed["items"]}
    for case in COLLECTION.cases:
        added = next(entry.date for entry in case.history if entry.change == "added")
        assert f"case:{case.id}:{added.isoformat()}:added" in ids
        assert f'href="../cases/{case.id}/"' in html
    footer = (built_handbook / "site" / "index.html").read_text(encoding="utf-8")
    assert "第一版（2026-1），2026年11月23日发布。" in footer


def test_editor_guide_documents_every_field(built_handbook):
    html = (built_handbook / "site" / "editor-guide" / "index.html").read_text(encoding="utf-8")
    for _, model in DOCUMENTED:
        for path, _, _, description in field_rows(model):
            assert f"<code>{path}</code>" in html, path
            assert description, f"{model.__name__}.{path} has no description"


@pytest.mark.parametrize("reserved", ["index", "map", "all", "facets"])
def test_new_and_ingest_refuse_the_id_of_a_generated_page(fixture_project, reserved):
    """`handbook new index` would write a record that hides the cases list; say so at once."""
    source = fixture_project / "article.txt"
    source.write_text("某县推行网格化治理。共划分网格120个。\n", encoding="utf-8")
    for args in (["new", reserved], ["ingest", str(source), "--id", reserved]):
        result = run_handbook(*args, cwd=fixture_project)
        assert result.returncode == 1 and "generated page" in result.stderr, result.stderr
        assert not (fixture_project / "cases" / f"{reserved}.yaml").exists()
        assert not (fixture_project / "cases" / "drafts" / f"{reserved}.yaml").exists()
