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
