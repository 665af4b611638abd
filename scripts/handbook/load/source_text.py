"""Turn a raw source article into the clean Simplified text the handbook cites.

Raw articles arrive with 党 masked as ``D``, in Traditional characters with pinyin
glosses, with HTML fragments, advertising lines and paywall markers. Citations are
checked against the normalised text, so an editor copies quotes from what
``normalise_article`` returns.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# A masked 党 is a lone capital D touching a Chinese character: D建, 全D, 政D的.
# Latin tokens (DCS, C919, ARJ21) never qualify because a letter or digit touches them.
_CJK = r"\u3400-\u9fff"
_MASKED_PARTY = re.compile(rf"(?<![A-Za-z0-9])D(?![A-Za-z0-9])(?=[{_CJK}“”（(])|(?<=[{_CJK}“”）)])(?<![A-Za-z0-9])D(?![A-Za-z0-9])")
# Pinyin pasted after a character: 黨(dǎng). Lowercase letters, tone marks allowed.
_PINYIN_GLOSS = re.compile(r"\((?=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[a-z])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_PAYWALL = re.compile(r"##paid(?:begin|end)##|-{2,}此处隐藏.*?-{2,}")
_AD_MARKERS = ("哒哒", "掃一掃", "扫一扫", "添加客服", "代笔")
# Traditional forms OpenCC t2s keeps because 著 is also a Simplified character (著作, 显著):
# only these whole words are the Traditional spelling of 着. Records are checked for them too.
KEPT_TRADITIONAL = {"著眼": "着眼", "随著": "随着", "意味著": "意味着", "沿著": "沿着", "顺著": "顺着",
                    "接著": "接着", "围绕著": "围绕着", "著力": "着力", "著手": "着手", "著重": "着重"}


_ASCII_PUNCT = re.compile(rf"(?<=[{_CJK}“”])[,:;?!](?=[{_CJK}“”])")
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def unmask_party(text: str) -> str:
    """D建 → 党建, but C919, DCS and ARJ21 stay as they are."""
    return _MASKED_PARTY.sub("党", text)


def normalise_article(text: str) -> str:
    """Clean Simplified text of an article: no glosses, markup, ads or paywall markers."""
    text = _PINYIN_GLOSS.sub("", text)
    text = to_simplified(text)
    for old, new in KEPT_TRADITIONAL.items():
        text = text.replace(old, new)
    # half-width , : ; between Chinese characters (the Traditional file has them) become full-width,
    # so what an editor copies is already correct; match_key (NFKC) compares both forms alike
    text = _ASCII_PUNCT.sub(lambda m: _FULL_WIDTH[m.group(0)], text)
    kept = []
    for line in text.splitlines():
        line = _PAYWALL.sub("", line)
        line = _HTML_TAG.sub("", line).strip().lstrip("•").strip()
        if any(marker in line for marker in _AD_MARKERS):
            continue
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return unmask_party(text)


def match_key(text: str) -> str:
    """The form in which a quote and its source are compared: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def prose_problems(text: str) -> list[str]:
    """What keeps record prose from being clean Simplified text, each with its fix."""
    problems = []
    masked = _MASKED_PARTY.search(text)
    if masked:
        around = text[max(0, masked.start() - 6): masked.end() + 6]
        problems.append(f"expected 党 written out, got 'D' in '{around}' (D masks 党 on some sites: write 党)")
    simplified = to_simplified(text)
    if simplified != text:
        pairs = sorted({f"{a}→{b}" for a, b in zip(text, simplified) if a != b}) if len(simplified) == len(text) else []
        fix = "、".join(pairs[:6]) if pairs else f"'{simplified[:30]}'"
        problems.append(f"expected Simplified characters, got Traditional ones; write {fix}")
    return problems
