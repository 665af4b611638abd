"""Content is data, not markup: every payload in every free-text field comes out inert."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_handbook, run_handbook
from xss_payloads import BODY_PAYLOADS, PAYLOADS

FIXTURE = REPO / "tests" / "fixtures" / "project"
ALL = "\n\n".join(PAYLOADS)


def hostile_project(target: Path) -> Path:
    """A buildable project whose one case, standard and glossary carry every payload in every
    free-text field (quotes excepted: they must match the source word for word)."""
    project = copy_handbook(target)
    for path in [*(project / "cases").glob("*.yaml"), *(project / "standards").glob("*.*")]:
        path.unlink()
    shutil.rmtree(project / "standards" / "sessions", ignore_errors=True)
    shutil.copy(FIXTURE / "cases" / "sources" / "sample.txt", project / "cases" / "sources")
    case = yaml.safe_load((FIXTURE / "cases" / "sample.yaml").read_text(encoding="utf-8"))
    case["summary"] = " ".join(PAYLOADS[:6])[:200]
    for field in ("background", "outcomes", "lessons"):
        case[field] = ALL
    case["period"]["note"] = ALL
    for practice in case["practices"]:
        practice["text"] = ALL
    case["metrics"][2]["doubt"] = ALL
    case["sources"][0]["date_note"] = ALL
    case["history"][1]["note"] = ALL
    (project / "cases" / "sample.yaml").write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")

    text = (FIXTURE / "standards" / "quarterly-meeting.md").read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    standard = yaml.safe_load(front.removeprefix("---\n"))
    standard["purpose"] = standard["applies_to"] = ALL
    standard["roles"][0]["duty"] = ALL
    standard["steps"][0]["action"] = ALL
    standard["steps"][0]["output"] = None
    standard["checklist"] = [p for p in PAYLOADS if len(p) <= 200 and "\n" not in p]
    standard["pitfalls"] = PAYLOADS
    standard["templates"][0]["body"] = ALL
    body += "\n\n" + "\n\n".join(BODY_PAYLOADS) + "\n"
    (project / "standards" / "quarterly-meeting.md").write_text(
        "---\n" + yaml.safe_dump(standard, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")

    glossary = yaml.safe_load((FIXTURE / "standards" / "glossary.yaml").read_text(encoding="utf-8"))
    glossary["terms"][0]["definition"] = " ".join(PAYLOADS[:5])[:160]
    glossary["terms"][0]["note"] = ALL
    (project / "standards" / "glossary.yaml").write_text(yaml.safe_dump(glossary, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    project = hostile_project(tmp_path_factory.mktemp("hostile") / "handbook")
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


class _Elements(HTMLParser):
    """Real elements and attributes of a fragment (escaped text does not count)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def live_markup(self) -> list[str]:
        bad = []
        for tag, attrs in self.found:
            ours = tag == "svg" and attrs.get("class") in ("hb-flow", "hb-locations")
            if tag in ("script", "iframe", "img", "object", "embed", "style", "base", "meta", "form", "video",
                       "math", "details", "body", "input", "source") or (tag == "svg" and not ours):
                if not (tag == "input" and attrs.get("type") == "checkbox" and attrs.get("name", "").startswith("check-")):
                    bad.append(f"<{tag}>")
            bad += [f"<{tag} {k}>" for k in attrs if k.startswith("on")]
            bad += [f"<{tag} {k}={v}>" for k, v in attrs.items()
                    if k in ("href", "src", "action", "data") and v and re.sub(r"\\s", "", v).lower().startswith(("javascript:", "data:", "vbscript:"))]
        return bad


def article(html: str) -> str:
    return html[html.index("<article"): html.index("</article>")]


def test_enough_payloads():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("page", ["cases/sample", "standards/quarterly-meeting", "glossary", "cases", "standards/matrix"])
def test_no_payload_becomes_markup(hostile_site, page):
    html = (hostile_site / page / "index.html").read_text(encoding="utf-8")
    elements = _Elements()
    elements.feed(article(html))
    assert elements.live_markup() == []


def test_payloads_are_shown_as_text(hostile_site):
    text = re.sub(r"<[^>]+>", "", article((hostile_site / "cases/sample/index.html").read_text(encoding="utf-8")))
    for number in (1, 2, 7, 13, 24, 35):
        assert f"alert({number})" in text


def test_hover_definitions_stay_attributes(hostile_site):
    html = (hostile_site / "cases/sample/index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<abbr title="([^"]*)"', html)
    assert titles and all("<" not in t and ">" not in t for t in titles)


def test_template_download_is_plain_text(hostile_site):
    assert (hostile_site / "standards/quarterly-meeting/minutes.txt").read_text(encoding="utf-8-sig").strip() == ALL.strip()


def test_tooltip_titles_are_escaped_once_more_only_when_needed():
    from handbook.render.escaping import neutralise_tooltips

    assert neutralise_tooltips('<a title="Permanent link">') == '<a title="Permanent link">'
    assert neutralise_tooltips('<abbr title="党支部的组织生活">') == '<abbr title="党支部的组织生活">'
    fixed = neutralise_tooltips('<abbr title="&lt;img src=x onerror=alert(2)&gt;">')
    assert fixed == '<abbr title="&amp;lt;img src=x onerror=alert(2)&amp;gt;">'


# --- Links are judged in the finished HTML (render/sanitise.py) ---------------------------------

# Spellings of a script link that Python-Markdown un-escapes or joins (review 2026-11, H1, M9).
# Each runs alert(N) if it survives; the per-line check in the loader misses all of them.
LINK_PAYLOADS = {
    101: "A1 [点我101][r1]\n\n[r1]:\n    javascript:alert(101)",
    102: "A2 [点我102](javascript\\:alert(102))",
    103: "A3 [点我103](jav\\ascript:alert(103))",
    108: "A4 [点我108](\njavascript:alert(108))",
    117: "A5 [点我117](JAVASCRIPT\\:alert(117))",
    132: "B1 [点我132][q2]\n\n- [q2]: javascript:alert(132)",
    133: "术语\n:   [q3]: javascript:alert(133)\n\nB2 [点我133][q3]",
    105: "\r[点我105][r5]\r\r[r5]: javascript:alert(105)\r",
    110: "C1 [点我110][v1]\n\n[v1]:\n    vbscript:msgbox(110)",
    111: "C2 [点我111](data\\:text/html;base64,PHNjcmlwdD5hbGVydCgxMTEpPC9zY3JpcHQ+)",
    114: "C3 ![图114](javascript\\:alert(114))",
}
FOREIGN_IMAGE = "D1 ![外图](https://example.org/x.png \"远程图片\")"
FOREIGN_LINK = "D2 [外链](https://example.org/page)"
TOC_PAYLOAD = "## <img src=x onerror=alert(703)> " + "V" * 60
MARKDOWN_EXTENSIONS = ["admonition", "attr_list", "def_list", "md_in_html", "tables", "toc",
                       "pymdownx.details", "pymdownx.escapeall", "pymdownx.superfences"]


def body_html(body: str) -> str:
    """A standard body as the site renders it (safe_markdown, then the site's extensions)."""
    import markdown

    from handbook.render.escaping import safe_markdown

    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS).convert(str(safe_markdown(body)))


def test_markdown_really_emits_the_script_links():
    """The payloads are real: without the output check each one becomes a script address."""
    for number, body in LINK_PAYLOADS.items():
        assert re.search(r'(href|src)="(javascript|vbscript|data):', body_html(body), re.IGNORECASE), number


@pytest.mark.parametrize("number", LINK_PAYLOADS)
def test_output_check_removes_every_script_link(number):
    from handbook.render.sanitise import sanitise

    html, refused = sanitise(body_html(LINK_PAYLOADS[number]))
    assert [(r.attribute, r.value.lower().split(":")[0]) for r in refused] in (
        [("href", "javascript")], [("href", "vbscript")], [("href", "data")], [("src", "javascript")])
    assert not re.search(r"(javascript|vbscript|data):", html, re.IGNORECASE)
    assert f"{number}" in html  # the text (or the image's alt) stays, without its address


@pytest.mark.parametrize("attribute, value, tag, reason", [
    ("href", " JaVa\tScRiPt:alert(1)", "a", "javascript"),
    ("href", "java\nscript:alert(1)", "a", "javascript"),
    ("href", "\x01javascript:alert(1)", "a", "javascript"),
    ("href", "vbscript:msgbox(1)", "a", "vbscript"),
    ("href", "data:text/html,<script>alert(1)</script>", "a", "data"),
    ("href", "file:///etc/passwd", "a", "file"),
    ("xlink:href", "javascript:alert(1)", "a", "javascript"),
    ("action", "javascript:alert(1)", "form", "javascript"),
    ("formaction", "javascript:alert(1)", "button", "javascript"),
    ("src", "javascript:alert(1)", "img", "javascript"),
    ("src", "https://example.org/x.png", "img", "host"),
    ("src", "//example.org/x.png", "img", "host"),
    ("src", "\\\\example.org/x.png", "img", "host"),
    ("srcset", "a.png 1x, https://example.org/b.png 2x", "img", "host"),
    ("poster", "https://example.org/p.png", "video", "host"),
    ("href", "https://example.org/x.css", "link", "host"),
    ("href", "https://example.org/x.svg", "image", "host"),
    ("data", "https://example.org/x.swf", "object", "host"),
    ("style", "background:url('https://example.org/a.png')", "div", "host"),
    ("style", "background:url(javascript:alert(1))", "div", "javascript"),
])
def test_refused_addresses(attribute, value, tag, reason):
    from handbook.render.sanitise import refusal

    assert reason in (refusal(tag, attribute, value) or "")


@pytest.mark.parametrize("attribute, value, tag", [
    ("href", "https://example.org/page", "a"),  # followed on click only
    ("href", "http://example.org/", "a"),
    ("href", "mailto:office@example.org", "a"),
    ("href", "#practice-1", "a"),
    ("href", "../cases/gucheng/", "a"),
    ("href", "/abs/page/", "a"),
    ("src", "../assets/images/x.png", "img"),
    ("href", "assets/handbook.css", "link"),
    ("title", "javascript:alert(1)", "a"),  # not an address
    ("style", "fill:#c00", "rect"),
])
def test_allowed_addresses(attribute, value, tag):
    from handbook.render.sanitise import refusal

    assert refusal(tag, attribute, value) is None


def test_a_safe_page_comes_out_byte_for_byte(built_handbook):
    from handbook.render.sanitise import sanitise

    pages = list((built_handbook / "site").rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert sanitise(html) == (html, []), path


def test_only_the_refused_attribute_is_rewritten():
    from handbook.render.sanitise import sanitise

    html = '<p class="x">a &para; <svg viewBox="0 0 1 1"><rect/></svg>\n<a class="k" href="javascript:x()" title="t&amp;">链</a></p>'
    out, refused = sanitise(html)
    assert out == '<p class="x">a &para; <svg viewBox="0 0 1 1"><rect/></svg>\n<a class="k" title="t&amp;">链</a></p>'
    assert refused[0].line == 2 and refused[0].text == "链"


def test_heading_text_keeps_angle_brackets_out():
    html = body_html(TOC_PAYLOAD + "\n\n- ## 列表 <b>\n\n标题 <i>\n-----\n\n正文 <b> 不变")
    assert "<img" not in html and "&lt;img" not in html.split("<p>")[0]
    assert "＜img src=x onerror=alert(703)＞" in html
    assert "<li>" in html and "列表 ＜b＞" in html and "标题 ＜i＞" in html
    assert "正文 &lt;b&gt; 不变" in html  # only headings change


def test_toc_titles_from_templates_are_made_safe():
    from handbook.render.escaping import safe_toc_title

    assert safe_toc_title("普通标题") == "普通标题"
    assert safe_toc_title("A &amp; B") == "A &amp; B"
    assert safe_toc_title("&lt;img src=x onerror=alert(1)&gt;") == "＜img src=x onerror=alert(1)＞"


def link_attack_project(target: Path) -> Path:
    """The real handbook with every link payload, a foreign image and link, and the TOC
    payload appended to one standard's body."""
    project = copy_handbook(target)
    path = project / "standards" / "joint-meeting.md"
    extra = [TOC_PAYLOAD, *LINK_PAYLOADS.values(), FOREIGN_IMAGE, FOREIGN_LINK]
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n\n".join(extra) + "\n", encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def link_attack(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    project = link_attack_project(tmp_path_factory.mktemp("links") / "handbook")
    return project, run_handbook("build", "--site-dir", "site", cwd=project)


@pytest.fixture(scope="session")
def link_attack_site(link_attack) -> Path:
    """The same project built without --strict (as `mkdocs serve` would): links removed."""
    project, _ = link_attack
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", "loose-site"], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return project / "loose-site"


def test_strict_build_fails_with_file_and_line_for_every_link(link_attack):
    project, result = link_attack
    assert result.returncode == 1
    assert not (project / "site").exists()
    lines = (project / "standards" / "joint-meeting.md").read_text(encoding="utf-8").splitlines()
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line and "joint-meeting.md:" in line]
    assert len(errors) == len(LINK_PAYLOADS) + 1, result.stderr
    for number in LINK_PAYLOADS:
        error = next(e for e in errors if f"({number})'" in e or (number == 111 and "data:" in e))
        line = int(re.search(r"joint-meeting\.md:(\d+): body: expected", error).group(1))
        assert str(number) in lines[line - 1] or (number == 105 and line > 0), (number, error)
    foreign = next(e for e in errors if "example.org/x.png" in e)
    assert "another host" in foreign and "the image was removed" in foreign
    assert "Traceback" not in result.stderr


def test_loose_build_keeps_no_script_address_and_no_foreign_file(link_attack_site):
    html = (link_attack_site / "standards" / "joint-meeting" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"(javascript|vbscript|data)\s*:", html, re.IGNORECASE)
    assert "example.org/x.png" not in html
    assert 'href="https://example.org/page"' in html  # an outside link stays, followed on click only
    for number in LINK_PAYLOADS:
        assert f"{number}" in html


def test_a_canonical_link_names_a_page_and_a_stylesheet_from_another_host_is_refused():
    """Material writes <link rel="canonical" href="{site_url}…">: it loads nothing, so a site_url
    (or `mkdocs serve`'s own address) is fine; a stylesheet or icon from another host is not."""
    from handbook.render.sanitise import sanitise

    page = '<link rel="canonical" href="https://dangjian.example.org/cases/x/"><link rel="alternate" href="https://a.example/feed.json">'
    assert sanitise(page) == (page, [])
    for rel in ("stylesheet", "icon", "preload"):
        _, refused = sanitise(f'<link rel="{rel}" href="https://cdn.example.org/x">')
        assert len(refused) == 1 and "another host" in refused[0].reason
