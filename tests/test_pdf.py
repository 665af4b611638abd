"""The printed edition (WeasyPrint) and the 下载 page, from one `handbook release` of a copy.

Expectations come from the collection being printed, never from the seed's seven cases, so
an editor's valid new record keeps this suite green. Needs poppler-utils (`make deps`).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import copy_handbook, run_handbook
from handbook.downloads import Download, read_index, write_index
from handbook.load.loader import load_collection
from linkcheck import broken_links

TOOLS = ("pdffonts", "pdftotext", "pdftohtml", "pdftoppm", "pdfinfo")


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"install poppler-utils (make deps): {missing}"
    project = copy_handbook(tmp_path_factory.mktemp("release") / "handbook")
    result = run_handbook("release", "--dist", "dist", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def collection(release):
    return load_collection(release)


def _tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _tool("pdfinfo", str(pdf)), re.M).group(1))


def _page_text(pdf: Path, page: int) -> str:
    """One page's text with all whitespace removed (titles wrap anywhere)."""
    return re.sub(r"\s+", "", _tool("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_release_writes_a_manifest(release, collection):
    """`handbook release` lists every file it wrote in dist/manifest.json, with size and sha256."""
    dist = release / "dist"
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"]["id"] == collection.editions.current_edition.id
    listed = {entry["file"]: entry for entry in manifest["files"]}
    assert {"handbook-offline.zip", "data/cases.json", "site/index.html", "handbook.pdf"} <= set(listed)
    for name in ("data/cases.json", "handbook.pdf"):
        data = (dist / name).read_bytes()
        assert listed[name]["size"] == len(data) and listed[name]["sha256"] == hashlib.sha256(data).hexdigest()


def test_every_font_is_embedded_and_none_is_type3(release):
    pdfs = sorted((release / "dist").glob("**/*.pdf"))
    pdfs = [p for p in pdfs if "site" not in p.relative_to(release / "dist").parts]
    assert any(p.name == "handbook.pdf" for p in pdfs) and len(pdfs) > 1
    for pdf in pdfs:
        lines = _tool("pdffonts", str(pdf)).splitlines()[2:]
        assert lines, f"{pdf.name}: no fonts"
        for line in lines:
            assert "Type 3" not in line, f"{pdf.name}: {line}"
            emb, sub, uni = line.split()[-5:-2]
            assert (emb, uni) == ("yes", "yes"), f"{pdf.name}: not embedded or not searchable: {line}"


def test_contents_give_the_page_each_record_starts_on(release, collection):
    pdf = release / "dist" / "handbook.pdf"
    first_part = _outline(pdf)[1][2]  # the page the first part starts on ends the contents
    contents = "".join(_page_text(pdf, page) for page in range(2, first_part))
    assert contents.startswith("目录") or "目录" in contents[:40]
    for record in [*collection.cases, *collection.standards]:
        match = re.search(re.escape(_squash(record.title)) + r"\.*(\d+)", contents)
        assert match, f"the contents give no page for {record.title}"
        page = int(match.group(1))
        assert _squash(record.title) in _page_text(pdf, page), f"{record.title} is not on page {page}"
    # the entries are links too: clickable to every page a record starts on
    xml = _tool("pdftohtml", "-xml", "-i", "-stdout", "-q", "-f", "2", "-l", str(first_part - 1), str(pdf))
    targets = {int(page) for page in re.findall(r'<a href="[^"#]*#(\d+)"', xml)}
    assert {page for level, _, page in _outline(pdf) if level == 2} <= targets


def _outline(pdf: Path) -> list[tuple[int, str, int]]:
    """The PDF outline as (level, title, page), in order (poppler's pdftohtml -xml)."""
    xml = _tool("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf))
    outline, level = [], 0
    for tag in re.finditer(r'<outline>|</outline>|<item page="(\d+)">(.*?)</item>', xml[xml.find("<outline>"):], re.S):
        if tag.group(0) == "<outline>":
            level += 1
        elif tag.group(0) == "</outline>":
            level -= 1
        else:
            outline.append((level, _unescape(tag.group(2)), int(tag.group(1))))
    return outline


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_outline_lists_the_parts_and_every_record(release, collection):
    outline = _outline(release / "dist" / "handbook.pdf")
    expected = [(1, "目录"), (1, "案例"), *[(2, c.title) for c in collection.cases],
                (1, "标准流程"), *[(2, s.title) for s in collection.standards]]
    expected += [(1, "术语表")] if collection.glossary else []
    assert [(level, title) for level, title, _ in outline] == expected
    text = _tool("pdftotext", str(release / "dist" / "handbook.pdf"), "-")
    assert "\ufffd" not in text, "a character had no glyph"
    assert "第 3 页 / 共" in text
    pages = [page for _, _, page in outline]
    assert pages == sorted(pages), "the outline must follow the book"


def test_citations_give_the_page_of_their_figure(release, collection):
    pdf = release / "dist" / "handbook.pdf"
    case = next((c for c in collection.cases if c.metrics), None)
    assert case is not None, "the collection has no figures to cite"
    start = next(page for _, title, page in _outline(pdf) if title == case.title)
    text = "".join(_page_text(pdf, p) for p in range(start, _pages(pdf) + 1))
    cited = re.findall(r"见第(\d+)页", text[text.find("引文"):])
    assert len(cited) >= len(case.metrics)
    page = int(cited[0])
    assert _squash(case.metrics[0].label) in _page_text(pdf, page), "the first citation points at the wrong page"


def page_fill(pdf: Path) -> list[float]:
    """How much of each page's text area is used, 0..1: the lowest inked row of the body
    (header and footer margins excluded) over the body's height, from a 30 dpi render."""
    out = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(out)], check=True)
    fills = []
    for image in sorted(pdf.parent.glob(f"{out.name}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        width, height, pixels = _read_pgm(image)
        image.unlink()
        top, bottom = round(height * 20 / 297), round(height * (297 - 18) / 297)  # the @page margins
        rows = [y for y in range(top, bottom) if min(pixels[y * width:(y + 1) * width]) < 128]
        fills.append((max(rows) - top + 1) / (bottom - top) if rows else 0.0)
    return fills


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(fields.group(1)), int(fields.group(2))
    return width, height, data[fields.end():]


def test_handouts_fill_their_pages(release, collection, tmp_path):
    handouts = release / "dist" / "handouts"
    assert sorted(p.stem for p in handouts.glob("*.pdf")) == sorted(s.id for s in collection.sessions)
    for session in collection.sessions:
        pdf = tmp_path / f"{session.id}.pdf"
        shutil.copy(handouts / pdf.name, pdf)
        fills = page_fill(pdf)
        assert len(fills) <= 2, f"{session.id}: {len(fills)} pages"
        for number, fill in enumerate(fills[:-1], start=1):
            assert fill >= 1 / 3, f"{session.id}: page {number} is {fill:.0%} full"
        text = _squash(_tool("pdftotext", str(pdf), "-"))
        assert _squash(session.title) in text and _squash(session.agenda[-1].activity) in text
        for item in session.questions:
            assert _squash(item)[:20] in text
        for case_id in session.cases:
            assert _squash(collection.case(case_id).title) in text
        for standard_id in session.standards:  # the checklists the exercise is done with
            assert _squash(collection.standard(standard_id).checklist[-1].text)[:20] in text


def test_the_fill_test_sees_a_mostly_empty_page(tmp_path):
    """The measure itself: a page with one line and a forced break is under a third full."""
    import weasyprint

    pdf = tmp_path / "empty.pdf"
    html = '<p>一行字</p><p style="break-before: page">第二页</p>'
    css = weasyprint.CSS(string="@page { size: A4; margin: 20mm 17mm 18mm; } p { font-size: 30pt; }")
    weasyprint.HTML(string=html).write_pdf(pdf, stylesheets=[css])
    fills = page_fill(pdf)
    assert len(fills) == 2 and fills[0] < 1 / 3


def test_download_page_offers_every_file_and_every_link_resolves(release, collection):
    dist, site = release / "dist", release / "dist" / "site"
    assert broken_links(site) == []
    page = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="([^"#?]+\.(?:pdf|zip|json|csv))"', page))
    index = json.loads((dist / "downloads.json").read_text(encoding="utf-8"))
    for entry in index["files"]:
        assert entry["path"] in linked, f"the 下载 page does not offer {entry['path']}"
        published = site / "downloads" / entry["path"]
        assert published.read_bytes() == (dist / entry["path"]).read_bytes()
        assert entry["edition"] in page
    assert "handbook-offline.zip" in linked and "handbook.pdf" in linked
    assert {f"../data/{name}" for name in ("cases.json", "cases.csv")} <= linked
    for standard in collection.standards:  # the 打印 button's PDF on phones
        html = (site / "standards" / standard.id / "index.html").read_text(encoding="utf-8")
        assert f'href="../../downloads/pages/standards/{standard.id}.pdf"' in html
    for session in collection.sessions:
        html = (site / "training" / session.id / "index.html").read_text(encoding="utf-8")
        assert f'href="../../downloads/handouts/{session.id}.pdf"' in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/"' in home
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert {"handbook.pdf", "downloads.json", "site/downloads/handbook.pdf"} <= {f["file"] for f in manifest["files"]}


def test_a_site_without_a_release_links_no_pdf(built_handbook):
    site = built_handbook / "site"
    page = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert ".pdf" not in page and "make release" in page
    assert not (site / "downloads" / "handbook.pdf").exists()
    assert broken_links(site) == []


def test_a_stale_or_incomplete_index_offers_nothing(tmp_path):
    from conftest import FIXTURE_PROJECT

    collection = load_collection(FIXTURE_PROJECT)
    dist = tmp_path / "dist"
    (dist / "handouts").mkdir(parents=True)
    (dist / "handouts" / "a.pdf").write_bytes(b"%PDF-1.7 test")
    item = Download("handouts/a.pdf", "handout", "讲义", "a", 13, "第一版（2026-1）")
    write_index(dist, collection, [item])
    assert read_index(dist, collection).items == [item]
    (dist / "handouts" / "a.pdf").write_bytes(b"%PDF-1.7 changed size")
    assert read_index(dist, collection).items == [], "a file that is not as recorded is never offered"
    (dist / "handouts" / "a.pdf").write_bytes(b"%PDF-1.7 test")
    index = json.loads((dist / "downloads.json").read_text(encoding="utf-8"))
    index["content"] = "0" * 64  # built for other content
    (dist / "downloads.json").write_text(json.dumps(index), encoding="utf-8")
    assert read_index(dist, collection).items == []


def test_an_unchanged_edition_reprints_nothing(release):
    stale = release / ".cache" / "pdf" / ("0" * 64 + ".pdf")
    stale.write_bytes(b"%PDF- a PDF of an older edition")
    result = run_handbook("pdf", "--out", "dist-again", "--cases", cwd=release)
    assert result.returncode == 0, result.stderr
    counts = re.search(r"wrote (\d+) PDFs .*\((\d+) unchanged", result.stdout)
    assert counts and counts.group(1) == counts.group(2), result.stdout
    assert (release / "dist-again" / "handbook.pdf").read_bytes() == (release / "dist" / "handbook.pdf").read_bytes()
    assert not stale.exists(), "printing the full set prunes what it no longer uses"


def test_the_one_page_web_edition_is_a_plugin_option():
    """Issue 13: no environment variable; `print_page: true` under the plugin adds the page."""
    from conftest import FIXTURE_PROJECT
    from handbook.mkdocs_plugin import HandbookConfig
    from handbook.render.pages import print_handbook_page

    config = HandbookConfig()
    config.load_dict({"print_page": True})
    assert not config.validate()[0] and config.print_page is True
    page = print_handbook_page(load_collection(FIXTURE_PROJECT))
    assert page.src_uri == "print/handbook.md" and "# 党建案例与标准手册" in page.content
