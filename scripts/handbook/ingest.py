"""`handbook ingest <article>`: turn a raw article into a draft case an editor completes.

Steps: read what editors receive (plain text in UTF-8 or GB18030, a Word .docx, a saved web
page .html whose main text is picked out of menus and ads; binary refused), normalise
(繁→简, pinyin glosses, D→党, ads, paywall and HTML lines removed), split into sections at
headings (Word's 标题 styles, a page's <h1>–<h6>, or 一、二、…), pull out every figure with
the sentence it comes from, and write

- ``cases/sources/<name>.txt``    the article's text as received, stored as UTF-8 (citations are checked against it),
- ``cases/drafts/<id>.clean.txt`` the normalised text, to read and quote from,
- ``cases/drafts/<id>.yaml``      a draft record: sections as practices, figures as metrics.

Drafts live outside the collection and are full of 待填写; the values the draft had to guess
(type, level, coordinates, start year, source kind) carry a ``# 待核对`` mark that validation
refuses until the editor checks them and deletes it. So an unfinished draft can never be
published; the editor rewrites the prose in their own words and moves the file to cases/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .load.checks import DRAFT_MARK
from .load.source_text import match_key, normalise_article
from .model.fields import PLACEHOLDER
from .scaffold import EditorError, check_slug

MAX_BYTES = 2_000_000
KINDS = (".txt", ".docx", ".html", ".htm")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*(.+)$")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
# A figure: a qualifier before (近, 约, 突破 …), a number, 余/多, 万/亿, a unit, a qualifier after
# (以上, 左右 …). Units are tried longest first, so 15分钟 is not cut to 15分 nor 3个月 to 3个.
_UNITS = sorted("""个 名 人 户 家 支 条 处 项 次 批次 批 所 座 篇 份 台 架 年 个月 月 天 小时 分钟 % ％ 元 万元 亿元
    千瓦 兆瓦 公里 亩 分 倍 村 镇 乡 社区 件 场 期 届 人次 万人次 类 大类 大项 大板块 种 张 轮 本 间 套 个百分点""".split(),
                key=len, reverse=True)
_BEFORE = "(?<!不)超过|突破|近|约|逾"  # 不超过15分钟 is a limit, not 超过15分钟
_AFTER = "以上|左右|之多|余"
_FIGURE = re.compile(rf"(?:{_BEFORE})?\d+(?:\.\d+)?(?:余|多)?(?:万|亿)?(?:余|多)?(?:{'|'.join(map(re.escape, _UNITS))})(?:{_AFTER})?")
_YEAR_OR_DATE = re.compile(r"^\d{4}年$|^\d{1,2}月$")
_TIME_UNITS = ("年", "个月", "月", "天", "小时", "分钟")
# Markdown headings in trafilatura's output for a web page
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+)$")


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
    """The article's text, or an EditorError naming what is wrong with the file.

    Headings of a .docx or .html come back as lines starting with ``## `` (see parse_article)."""
    if not path.exists():
        raise EditorError(f"{path}: no such file")
    if not path.is_file():
        raise EditorError(f"{path}: expected a text file, got a folder")
    raw = path.read_bytes()
    if not raw.strip():
        raise EditorError(f"{path}: expected an article, got an empty file")
    if len(raw) > MAX_BYTES:
        raise EditorError(f"{path}: expected at most {MAX_BYTES // 1_000_000} MB of text, got {len(raw) / 1e6:.1f} MB")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path, raw)
    if b"\x00" in raw:
        raise EditorError(f"{path}: expected text, got a binary file (ingest reads {', '.join(KINDS)})")
    text = _decode(path, raw)
    if suffix in (".html", ".htm") or re.match(r"\s*<(?:!doctype\s+html|html)", text[:200], re.I):
        return _read_html(path, text)
    return text


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8, else GB18030 (a superset of GBK and GB2312: what Chinese pages and Notepad save,
    whatever their <meta charset> claims), else what charset-normalizer recognises."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not re.search(r"[\u4e00-\u9fff]{4}", text):
            break  # decodable bytes, but no Chinese text: not an article we can read
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding not in ("utf_16", "utf_16_le", "utf_16_be", "utf_32") and re.search(r"[\u4e00-\u9fff]{4}", str(best)):
        return str(best)
    raise EditorError(f"{path}: expected UTF-8 or GB18030 text, got an unknown encoding")


def _read_docx(path: Path, raw: bytes) -> str:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise EditorError(f"{path}: expected a Word .docx document, got a file Word cannot open ({error})") from None
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        heading = re.match(r"^(?:Heading|标题)\s*\d|^(?:Title|标题)$", style)
        lines.append(f"## {text}" if heading and lines else text)
    if not lines:
        raise EditorError(f"{path}: expected an article, got a Word document without text")
    return "\n".join(lines) + "\n"


def _read_html(path: Path, text: str) -> str:
    import trafilatura

    title = trafilatura.extract_metadata(text)
    body = trafilatura.extract(text, include_formatting=True, output_format="txt", include_comments=False, include_tables=True)
    if not body or not re.search(r"[\u4e00-\u9fff]{4}", body):
        raise EditorError(f"{path}: expected a web page with an article, found no article text in it")
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    first = _MD_HEADING.match(lines[0])
    if first:
        lines[0] = first.group(1)  # the article's own <h1> is its title
    elif title is not None and title.title:
        lines.insert(0, title.title.strip())
    return "\n".join(lines) + "\n"


def parse_article(text: str) -> Article:
    headings = {match.group(1).strip() for line in text.splitlines() if (match := _MD_HEADING.match(line.strip()))}
    clean = normalise_article(re.sub(r"^#{1,6}\s+", "", text, flags=re.M))
    lines = [line.strip() for line in clean.splitlines() if line.strip()]
    if not lines:
        raise EditorError("expected article text, found only advertising, markup or paywall lines")
    title = _plain(lines[0])
    marked = {normalise_article(h).strip() for h in headings}
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in lines[1:]:
        match = _HEADING.match(line)
        if match or line in marked:
            sections.append((_plain(match.group(1) if match else line), []))
        else:
            sections[-1][1].append(line)
    article = Article(title=title, clean=clean, sections=[(h, "\n".join(body)) for h, body in sections if h or body])
    article.figures = extract_figures(clean)
    return article


def _plain(text: str) -> str:
    """Titles and headings become short plain text (records refuse markup characters there)."""
    return re.sub(r"\s+", " ", re.sub(r"[<>&\"`\\\[\]{}|*#]+", " ", text)).strip()[:100]


def extract_figures(clean: str) -> list[Figure]:
    """Every figure with its sentence, in reading order. Qualifiers (突破, 约, 余, 以上) stay in
    the figure's text; years, months and time spans (近3年, 3年来) are not figures."""
    figures = []
    for line in clean.splitlines():
        for sentence in _SENTENCE.findall(line):
            sentence = sentence.strip()
            for match in _FIGURE.finditer(sentence):
                text = match.group(0)
                if _YEAR_OR_DATE.match(text) or _is_time_span(text, sentence[match.end():match.end() + 1]):
                    continue
                number = re.search(r"\d+(?:\.\d+)?", text).group(0)
                value = float(number) if "." in number else int(number)
                unit = re.sub(r"余|多", "", re.sub(rf"^(?:{_BEFORE})?\d+(?:\.\d+)?|(?:{_AFTER})$", "", text))
                figures.append(Figure(text=text, value=value, unit=unit, sentence=sentence))
    return figures


def _is_time_span(text: str, after: str) -> bool:
    """近3年, 3年来, 5年间: how long something took, not a result worth a figure."""
    unit = re.sub(r"^(?:近|约)?\d+(?:\.\d+)?(?:余|多)?", "", text)
    return unit in _TIME_UNITS and (text.startswith("近") or after in ("来", "间", "内", "中", "里"))


def draft_yaml(case_id: str, source_file: str, article: Article, today: dt.date) -> str:
    P = PLACEHOLDER
    q = lambda value: json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar
    body = [
        f"# 由 handbook ingest 生成的草稿。把每个“{P}”换成内容，用自己的话改写各段原文，",
        f"# 核对每个标有“# {DRAFT_MARK}”的默认值（改对后删去这个注释），只保留有意义的数字，",
        "# 然后把本文件移到 cases/ 下并运行 handbook validate。",
        f"id: {case_id}",
        f"title: {q(P + '：' + article.title)}",
        f"model: {q(P)}",
        "organisation:",
        f"  name: {q(P)}",
        f"  type: 地方党委   # {DRAFT_MARK}：组织类型",
        f"  level: 县        # {DRAFT_MARK}：组织层级",
        "location:",
        f"  province: {q(P)}",
        f"  coordinates: {{lat: 30.0, lon: 114.0}}   # {DRAFT_MARK}：改成实际所在地的近似坐标",
        f"sectors: [{q(P)}]",
        f"mechanisms: [{q(P)}]",
        "period:",
        f"  start: {today.year}   # {DRAFT_MARK}：实践开始的年份（据来源）",
        "  as_of: 未注明",
        f"summary: {q(P + '：一段话摘要，不超过 200 字')}",
    ]
    intro = next((text for heading, text in article.sections if not heading), "")
    published, publisher = _publication(article.clean)
    if published:  # a web page's 发布时间/来源 line is about the source, not background
        intro = "\n".join(line for line in intro.splitlines() if line != published[0])
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
        f"    publisher: {q(publisher or P)}" + (f"   # {DRAFT_MARK}：原文写“来源：{publisher}”" if publisher else ""),
        *([f"    date: {q(published[1])}   # {DRAFT_MARK}：原文写“{published[0][:40]}”"] if published else []),
        f"    date_note: {q(P)}",
        f"    kind: 经验材料   # {DRAFT_MARK}：来源类别",
        f"    file: sources/{source_file}",
        "history:",
        f"  - {{date: {today.isoformat()}, change: added, note: 首次收录。}}",
    ]
    return "\n".join(body) + "\n"


def _same_article(kept: str, received: str) -> bool:
    """The same text, whatever its line breaks and spaces (a .docx of an article already kept as .txt)."""
    return match_key(normalise_article(kept)) == match_key(normalise_article(received))


_PUBLISHED = re.compile(r"(?:发布|更新|发表)(?:时间|日期)\s*[:：]\s*(\d{4})(?:[-年./](\d{1,2}))?(?:[-月./](\d{1,2}))?")
_FROM = re.compile(r"来源\s*[:：]\s*([^\s:：]{2,30})")


def _publication(clean: str) -> tuple[tuple[str, str] | None, str | None]:
    """((the line, YYYY[-MM[-DD]]), publisher) from a 发布时间/来源 line near the top, if any."""
    for line in clean.splitlines()[:6]:
        found = _PUBLISHED.search(line)
        if found:
            year, month, day = found.groups()
            date = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if month and day else "")
            source = _FROM.search(line)
            return (line, date), (_plain(source.group(1)) if source else None)
    return None, None


def ingest(root: Path, article_path: Path, case_id: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Check everything first, then write the three files; on any problem nothing is written."""
    root, article_path = Path(root), Path(article_path)
    text = read_article(article_path)
    case_id = check_slug(case_id or re.sub(r"[^a-z0-9]+", "-", article_path.stem.lower()).strip("-"))
    article = parse_article(text)
    source_name = re.sub(r"[^A-Za-z0-9._-]+", "-", article_path.stem) + ".txt"
    source = root / "cases" / "sources" / source_name
    drafts = root / "cases" / "drafts"
    draft, clean = drafts / f"{case_id}.yaml", drafts / f"{case_id}.clean.txt"
    if (root / "cases" / f"{case_id}.yaml").exists():
        raise EditorError(f"cases/{case_id}.yaml: already exists; choose another id with --id")
    for target in (draft, clean):
        if target.exists():
            raise EditorError(f"{target.relative_to(root)}: already exists; remove it or choose another id with --id")
    stored = text  # what the source says, in UTF-8; a Word document or web page keeps its text, without heading marks
    if article_path.suffix.lower() in (".docx", ".html", ".htm") or _MD_HEADING.match(text.lstrip().split("\n", 1)[0]):
        stored = re.sub(r"^#{1,6}\s+", "", text, flags=re.M)
    if source.exists() and not _same_article(source.read_text(encoding="utf-8", errors="replace"), stored):
        raise EditorError(f"cases/sources/{source_name}: a different article with this name is already there; "
                          f"rename your file (e.g. {article_path.stem}-2{article_path.suffix}) and ingest it again")
    drafts.mkdir(parents=True, exist_ok=True)
    source.parent.mkdir(parents=True, exist_ok=True)
    written = [clean, draft]
    if not source.exists():  # else it is this same article, kept already: reuse it
        source.write_text(stored, encoding="utf-8")
        written.insert(0, source)
    clean.write_text(article.clean, encoding="utf-8")
    draft.write_text(draft_yaml(case_id, source_name, article, today or dt.date.today()), encoding="utf-8")
    return written
