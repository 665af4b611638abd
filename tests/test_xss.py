"""Content is data, not markup: every payload in every free-text field comes out inert."""

from __future__ import annotations

import json
import re
import shutil
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
    assert (hostile_site / "standards/quarterly-meeting/minutes.txt").read_text(encoding="utf-8").strip() == ALL.strip()


def test_tooltip_titles_are_escaped_once_more_only_when_needed():
    from handbook.render.escaping import neutralise_tooltips

    assert neutralise_tooltips('<a title="Permanent link">') == '<a title="Permanent link">'
    assert neutralise_tooltips('<abbr title="党支部的组织生活">') == '<abbr title="党支部的组织生活">'
    fixed = neutralise_tooltips('<abbr title="&lt;img src=x onerror=alert(2)&gt;">')
    assert fixed == '<abbr title="&amp;lt;img src=x onerror=alert(2)&amp;gt;">'
