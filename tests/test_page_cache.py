"""The build cache (.cache/build) never changes the output: a warm build is byte-identical to a cold one."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_handbook, run_handbook

from handbook.build_cache import FOLDER, BuildCache, cache_key
from handbook.load.loader import load_collection


def _build(project: Path, site: str) -> str:
    result = run_handbook("build", "--site-dir", site, cwd=project)
    assert result.returncode == 0, result.stderr
    return result.stderr


def _reused(log: str) -> tuple[int, int]:
    """(pages whose Markdown rendering was reused, pages rendered)"""
    match = re.search(r"the Markdown of (\d+) of (\d+) pages", log)
    assert match, log
    return int(match[1]), int(match[2]) - int(match[1])


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _differing(a: Path, b: Path) -> list[str]:
    first, second = _files(a), _files(b)
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


def _entries(project: Path) -> list[Path]:
    return sorted((project / FOLDER / "markdown").glob("*/*.json"))


@pytest.fixture(scope="module")
def warm_handbook(tmp_path_factory) -> Path:
    """The real handbook built cold (site-cold), then again with the cache (site-warm)."""
    project = copy_handbook(tmp_path_factory.mktemp("cache") / "handbook")
    assert _reused(_build(project, "site-cold"))[0] == 0
    return project


def test_a_warm_build_reuses_every_page_and_is_byte_identical(warm_handbook):
    log = _build(warm_handbook, "site-warm")
    reused, rendered = _reused(log)
    assert reused > 40 and rendered == 0
    assert "search index reused" in log, log
    assert _differing(warm_handbook / "site-cold", warm_handbook / "site-warm") == []


def test_editing_one_record_changes_exactly_the_pages_that_show_it(warm_handbook, tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    shutil.copytree(warm_handbook / FOLDER, project / FOLDER)
    record = project / "cases" / "gucheng.yaml"
    text = record.read_text(encoding="utf-8")
    title = re.search(r"^title: *(.+)$", text, re.M)[1].strip().strip("'\"")
    marker = "（第四十七次修订）"  # in no other page; the title itself may show with other quotation marks
    record.write_text(text.replace(title, title + marker, 1), encoding="utf-8")
    reused, rendered = _reused(_build(project, "site"))
    assert reused > 0 and rendered > 0  # with 7 cases, a title shows on about half the pages
    # right: the same as a build from nothing
    cold = copy_handbook(tmp_path / "cold")
    shutil.copy(record, cold / "cases" / "gucheng.yaml")
    assert _reused(_build(cold, "site"))[0] == 0
    assert _differing(project / "site", cold / "site") == []
    # and only where the case shows: the pages that changed are those that now carry its title
    changed = [name for name in _differing(warm_handbook / "site-cold", project / "site") if name.endswith(".html")]
    showing = [name for name, data in _files(project / "site").items()
               if name.endswith(".html") and marker.encode() in data]
    # (and the data page, which gives the size of each download: cases.json grew)
    assert changed and set(changed) - set(showing) <= {"data/index.html"} and set(showing) <= set(changed)


def test_corrupt_or_truncated_entries_are_rendered_again(warm_handbook, tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    shutil.copytree(warm_handbook / FOLDER, project / FOLDER)
    entries = _entries(project)
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    entries[1].write_bytes(b"")  # empty
    entries[2].write_bytes(b"\xff\xfe not json at all")  # garbage
    data = entries[3].read_bytes()  # altered after it was written
    entries[3].write_bytes(data.replace(b"<p>", b"<p>X", 1) if b"<p>" in data else data[:-2] + b"}}")
    header, body = entries[4].read_bytes().split(b"\n", 1)  # valid digest, wrong shape
    body = b'{"content": 5}'
    entries[4].write_bytes(header.rsplit(b" ", 1)[0] + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    reused, rendered = _reused(_build(project, "site"))
    assert rendered == 5
    assert _differing(warm_handbook / "site-cold", project / "site") == []


def test_changed_markdown_options_do_not_reuse_pages(warm_handbook, tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    shutil.copytree(warm_handbook / FOLDER, project / FOLDER)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("permalink: true", "permalink: false"), encoding="utf-8")
    assert _reused(_build(project, "site"))[0] == 0
    assert 'class="headerlink"' not in (project / "site" / "cases" / "gucheng" / "index.html").read_text(encoding="utf-8")


def test_entries_are_written_whole_and_read_back(tmp_path):
    cache = BuildCache(tmp_path / "pages")
    key = cache_key("a", "b")
    assert cache_key("a", "b") != cache_key("ab", "") and cache.get(key) is None
    cache.put(key, {"content": "<p>党建</p>", "toc": []})
    assert cache.get(key) == {"content": "<p>党建</p>", "toc": []}
    assert [p.name for p in (tmp_path / "pages").rglob("*") if p.is_file()] == [f"{key}.json"]  # no temporary left
    assert cache.prune(keep_days=-1) == 0, "an entry this build used is kept, whatever the clock says"
    later = BuildCache(tmp_path / "pages")  # a later build that does not use it
    assert later.prune(keep_days=-1) == 1 and later.get(key) is None


def test_an_unwritable_cache_is_skipped(tmp_path):
    (tmp_path / "pages").write_text("a file where the folder should be")
    cache = BuildCache(tmp_path / "pages")
    cache.put(cache_key("x"), {"content": ""})
    assert cache.get(cache_key("x")) is None


def test_a_refused_link_is_reported_on_every_build(warm_handbook, tmp_path):
    """Only clean pages are remembered as checked: a page that loses a link fails every strict build."""
    project = copy_handbook(tmp_path / "handbook")
    shutil.copytree(warm_handbook / FOLDER, project / FOLDER)
    page = project / "docs" / "tags.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n[旧版](javascript:alert(1))\n", encoding="utf-8")
    for site in ("site", "site-again"):
        result = run_handbook("build", "--site-dir", site, cwd=project)
        assert result.returncode != 0 and "a javascript: address" in result.stderr, result.stderr


def test_an_overridden_template_shows_on_a_warm_build(warm_handbook, tmp_path):
    """Templates shape the page Markdown, which the key covers: a new template is never hidden by the cache."""
    project = copy_handbook(tmp_path / "handbook")
    shutil.copytree(warm_handbook / FOLDER, project / FOLDER)
    builtin = Path(__file__).resolve().parent.parent / "scripts" / "handbook" / "render" / "templates" / "case.md.j2"
    override = project / "overrides" / "handbook" / "case.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(builtin.read_text(encoding="utf-8") + "\n\n模板标记七七\n", encoding="utf-8")
    _build(project, "site")
    cases = [case.id for case in load_collection(project).cases]
    assert cases and all("模板标记七七" in (project / "site" / "cases" / c / "index.html").read_text(encoding="utf-8") for c in cases)
    assert not list((project / "site").rglob("*.j2")), "a page template was published as a site file"
    shutil.rmtree(project / FOLDER)
    _build(project, "site-cold")
    assert _differing(project / "site", project / "site-cold") == []


def test_a_changed_glossary_definition_shows_on_a_warm_build(warm_handbook, tmp_path):
    """Hover definitions are not in a page's Markdown (the build hands them to the converter):
    the key covers them, so a changed definition reaches every page that shows the term."""
    project = copy_handbook(tmp_path / "handbook")
    shutil.copytree(warm_handbook / FOLDER, project / FOLDER)
    glossary = project / "standards" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    old = re.search(r"^  - term: 全域党建\n    definition: (.+)$", text, re.M)[1]
    glossary.write_text(text.replace(old, "释义标记七七：联合党组织统筹资源的工作模式。", 1), encoding="utf-8")
    _build(project, "site")
    hovered = [name for name, data in _files(project / "site").items()
               if name.endswith(".html") and 'title="释义标记七七'.encode() in data]
    assert len(hovered) >= 2, hovered  # the glossary page is not the only one
    shutil.rmtree(project / FOLDER)
    _build(project, "site-cold")
    assert _differing(project / "site", project / "site-cold") == []


def test_builds_of_two_projects_in_one_process_keep_their_own_caches(fixture_project, tmp_path):
    """MkDocs keeps one handbook plugin per process (it has on_startup): a second project must
    not write into the first one's cache, nor be built from its records."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    repo = Path(__file__).resolve().parent.parent
    for name in ("mkdocs.yml", "docs", "overrides"):
        (shutil.copytree if (repo / name).is_dir() else shutil.copy)(repo / name, fixture_project / name)
    other = shutil.copytree(fixture_project, tmp_path / "other")
    case = next((other / "cases").glob("*.yaml"))
    title = re.search(r"^title: (.+)$", case.read_text(encoding="utf-8"), re.M).group(1)
    case.write_text(case.read_text(encoding="utf-8").replace(f"title: {title}", "title: 另一个项目的案例标题", 1), encoding="utf-8")
    for project in (fixture_project, other):
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
        assert sorted(p.name for p in (project / FOLDER).iterdir()) == ["markdown", "search", "yaml"], project
    assert "另一个项目的案例标题" in (other / "site" / "index.html").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (other / "site" / "cases").rglob("index.html"))
    assert "另一个项目的案例标题" not in "".join(p.read_text(encoding="utf-8") for p in (fixture_project / "site" / "cases").rglob("index.html"))
