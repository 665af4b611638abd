"""A Traditional → Simplified character map for search queries, shipped as a small script.

Readers in Hong Kong, Taiwan or with a Traditional input method type 聯合黨委; the
index is Simplified. Instead of shipping OpenCC's full dictionaries to the browser,
the build maps only the characters the handbook actually contains.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Iterable

_HAN = re.compile(r"[\u3400-\u9fff]")


@functools.lru_cache(maxsize=1)
def _converters():
    import opencc

    return [opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk")]


def record_characters(record) -> frozenset[str]:
    """The Han characters of a record's exported text (the map covers them all)."""
    return frozenset(c for c in set(json.dumps(record.model_dump(mode="json"), ensure_ascii=False)) if _HAN.match(c))


def t2s_map(text: str | Iterable[str]) -> dict[str, str]:
    """{traditional: simplified} for every Han character in ``text`` (or a set of characters) that has a Traditional form."""
    mapping: dict[str, str] = {}
    # The distinct characters first: findall would build a list of every Han character of every
    # record (+290 MB at 1,000 cases) to keep a few thousand of them.
    for simplified in sorted(c for c in set(text) if _HAN.match(c)):
        for converter in _converters():
            traditional = converter.convert(simplified)
            if len(traditional) == 1 and traditional != simplified:
                mapping.setdefault(traditional, simplified)
    return dict(sorted(mapping.items()))


def t2s_script(text: str | Iterable[str]) -> str:
    """The map as a script that defines ``window.HANDBOOK_T2S`` (works from file://, unlike fetch)."""
    return "window.HANDBOOK_T2S=" + json.dumps(t2s_map(text), ensure_ascii=False, separators=(",", ":")) + ";\n"
