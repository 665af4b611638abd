"""`handbook ingest <article.txt>`: turn a raw article into a draft case an editor completes.

Steps: read (UTF-8 or GB18030; binary refused), normalise (繁→简, pinyin glosses, D→党,
ads, paywall and HTML lines removed), split into sections at headings (一、二、…), pull out
every figure with the sentence it comes from, and write

- ``cases/sources/<file>``       the article exactly as received (citations are checked against it),
- ``cases/drafts/<id>.clean.txt`` the normalised text, to read and quote from,
- ``cases/drafts/<id>.yaml``      a draft record: sections as practices, figures as metrics.

Drafts live outside the collection and are full of 待填写, so an unfinished draft can never
be published; the editor rewrites the prose in their own words and moves the file to cases/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .load.source_text import normalise_article
from .model.fields import PLACEHOLDER
from .scaffold import EditorError, check_slug

MAX_BYTES = 2_000_000
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*(.+)$")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
# A figure: optional 近/约, a number, optional 余/多, optional magnitude, a unit, optional 以上/左右.
_UNITS = "个|名|人|户|家|支|条|处|项|次|批次|所|座|篇|份|台|架|年|月|天|小时|%|％|元|万元|亿元|千瓦|兆瓦|公里|亩|分|倍|村|镇|乡|社区|件|场|期|届|万人次|人次"
_FIGURE = re.compile(rf"(?:近|约)?\d+(?:\.\d+)?(?:余|多)?(?:万|亿)?(?:{_UNITS})(?:以上|左右)?")
_YEAR_OR_DATE = re.compile(r"^\d{4}年$|^\d{1,2}月$")


@dataclass
class Figure:
    text: str
    value: float | int
    unit: str
    sentence: str


@dataclass
class Article:
    title: str
    clean: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, text); "" = before the first heading
    figures: list[Figure] = field(default_factory=list)


def read_article(path: Path) -> str:
    """The article's text, or an EditorError naming what is wrong with the file."""
    if not path.exists():
        raise EditorError(f"{path}: no such file")
    if not path.is_file():
        raise EditorError(f"{path}: expected a text file, got a folder")
    raw = path.read_bytes()
    if not raw.strip():
        raise EditorError(f"{path}: expected an article, got an empty file")
    if len(raw) > MAX_BYTES:
        raise EditorError(f"{path}: expected at most {MAX_BYTES // 1_000_000} MB of text, got {len(raw) / 1e6:.1f} MB")
    if b"\x00" in raw:
        raise EditorError(f"{path}: expected text, got a binary file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not re.search(r"[\u4e00-\u9fff]{4}", text):
            break  # decodable bytes, but no Chinese text: not an article we can read
        return text
    raise EditorError(f"{path}: expected UTF-8 or GB18030 text, got an unknown encoding")


def parse_article(text: str) -> Article:
    clean = normalise_article(text)
    lines = [line.strip() for line in clean.splitlines() if line.strip()]
    if not lines:
        raise EditorError("expected article text, found only advertising, markup or paywall lines")
    title = _plain(lines[0])
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in lines[1:]:
        match = _HEADING.match(line)
        if match:
            sections.append((_plain(match.group(1)), []))
        else:
            sections[-1][1].append(line)
    article = Article(title=title, clean=clean, sections=[(h, "\n".join(body)) for h, body in sections if h or body])
    article.figures = extract_figures(clean)
    return article


def _plain(text: str) -> str:
    """Titles and headings become short plain text (records refuse markup characters there)."""
    return re.sub(r"\s+", " ", re.sub(r"[<>&\"`\\\[\]{}|*#]+", " ", text)).strip()[:100]


def extract_figures(clean: str) -> list[Figure]:
    """Every figure with its sentence, in reading order (years and months are dates, not figures)."""
    figures = []
    for line in clean.splitlines():
        for sentence in _SENTENCE.findall(line):
            sentence = sentence.strip()
            for match in _FIGURE.finditer(sentence):
                text = match.group(0)
                if _YEAR_OR_DATE.match(text):
                    continue
                number = re.search(r"\d+(?:\.\d+)?", text).group(0)
                value = float(number) if "." in number else int(number)
                unit = re.sub(r"^(?:近|约)?\d+(?:\.\d+)?(?:余|多)?|(?:以上|左右)$", "", text)
                figures.append(Figure(text=text, value=value, unit=unit, sentence=sentence))
    return figures


def draft_yaml(case_id: str, source_file: str, article: Article, today: dt.date) -> str:
    P = PLACEHOLDER
    q = lambda value: json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar
    body = [
        f"# 由 handbook ingest 生成的草稿。把每个“{P}”换成内容，用自己的话改写各段原文，",
        "# 只保留有意义的数字，然后把本文件移到 cases/ 下并运行 handbook validate。",
        f"id: {case_id}",
        f"title: {q(P + '：' + article.title)}",
        f"model: {q(P)}",
        "organisation:",
        f"  name: {q(P)}",
        "  type: 地方党委   # 核对",
        "  level: 县        # 核对",
        "location:",
        f"  province: {q(P)}",
        "  coordinates: {lat: 30.0, lon: 114.0}   # 改成实际所在地",
        f"sectors: [{q(P)}]",
        f"mechanisms: [{q(P)}]",
        "period:",
        f"  start: {today.year}   # 核对",
        "  as_of: 未注明",
        f"summary: {q(P + '：一段话摘要，不超过 200 字')}",
    ]
    intro = next((text for heading, text in article.sections if not heading), "")
    body.append(f"background: {q(P + '（改写下面的原文）：' + intro[:600])}")
    body.append("practices:")
    headed = [(h, t) for h, t in article.sections if h] or [(P, "")]
    for heading, text in headed:
        body += [f"  - title: {q(heading[:100])}", f"    text: {q(P + '（改写下面的原文）：' + text[:800])}", f"    mechanisms: [{q(P)}]"]
    body += [f"outcomes: {q(P)}", f"lessons: {q(P)}", "metrics:"]
    for figure in article.figures:
        body += [
            f"  - label: {q(P + '：这个数字量的是什么')}",
            f"    value: {figure.value}",
            f"    unit: {q(figure.unit)}",
            f"    text: {q(figure.text)}",
            "    as_of: 未注明",
            "    citation:",
            f"      source: {case_id}-source",
            f"      quote: {q(figure.sentence)}",
        ]
    if not article.figures:
        body[-1] = "metrics: []"
    body += [
        "sources:",
        f"  - id: {case_id}-source",
        f"    title: {q(article.title)}",
        f"    publisher: {q(P)}",
        f"    date_note: {q(P)}",
        "    kind: 经验材料   # 核对",
        f"    file: sources/{source_file}",
        "history:",
        f"  - {{date: {today.isoformat()}, change: added, note: 首次收录。}}",
    ]
    return "\n".join(body) + "\n"


def ingest(root: Path, article_path: Path, case_id: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Check everything first, then write the three files; on any problem nothing is written."""
    root, article_path = Path(root), Path(article_path)
    text = read_article(article_path)
    case_id = check_slug(case_id or re.sub(r"[^a-z0-9]+", "-", article_path.stem.lower()).strip("-"))
    article = parse_article(text)
    source_name = re.sub(r"[^A-Za-z0-9._-]+", "-", article_path.name)
    if not source_name.endswith(".txt"):
        source_name += ".txt"
    source = root / "cases" / "sources" / source_name
    drafts = root / "cases" / "drafts"
    draft, clean = drafts / f"{case_id}.yaml", drafts / f"{case_id}.clean.txt"
    if (root / "cases" / f"{case_id}.yaml").exists():
        raise EditorError(f"cases/{case_id}.yaml: already exists; choose another id with --id")
    for target in (draft, clean):
        if target.exists():
            raise EditorError(f"{target.relative_to(root)}: already exists; remove it or choose another id with --id")
    if source.exists() and source.read_bytes() != article_path.read_bytes():
        raise EditorError(f"cases/sources/{source_name}: a different file with this name already exists")
    drafts.mkdir(parents=True, exist_ok=True)
    source.parent.mkdir(parents=True, exist_ok=True)
    if not source.exists():
        source.write_bytes(article_path.read_bytes())
    clean.write_text(article.clean, encoding="utf-8")
    draft.write_text(draft_yaml(case_id, source_name, article, today or dt.date.today()), encoding="utf-8")
    return [source, clean, draft]
