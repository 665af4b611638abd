"""Index-time segmentation: jieba with the handbook's dictionary, plus each record's own terms.

jieba alone splits a term it does not know (乡贤说事评理团 → 乡贤 / 说事 / 评理 / 团). The
handbook dictionary (glossary, tags, names: ``dictionary.py``) keeps declared terms whole;
``own_terms`` finds the undeclared ones: a run of whole words that a record repeats (an
editor who writes a term seven times in a case means a term), and ``quoted_terms`` the names
a text puts in quotation marks, so the record is found by them without anyone declaring them. The browser segments queries by longest match over the
vocabulary these produce (``handbook-search.js``), so both sides agree on the words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# Runs of Han characters, or of Latin letters and digits; everything else separates words.
_WORD = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
# Function characters that never begin or end a term ("的联合党组织" is not one).
_FUNCTION = set("的了和与及在是为把对从向将也都就而并或又等被给让使以之其这那")
_COUNTER = set("个名余多万亿次项条家户人年月日")  # measure words after a number begin no term

OWN_TERM_MIN_COUNT = 3  # times a record must repeat a run of words to make it a term
OWN_TERM_CHARS = (3, 10)  # shortest and longest such term, in characters
OWN_TERM_WORDS = 4  # most words in such a term


_QUOTED = re.compile(r"[“「『]([\u3400-\u9fff]{2,10})[”」』]")


def quoted_terms(text: str) -> set[str]:
    """Names a text puts in quotation marks (“三留守”, “百米岗”): writers mark terms that way."""
    return set(_QUOTED.findall(text))


def normalise(text: str) -> str:
    """What both sides search: NFKC (full-width Latin → ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


class Segmenter:
    """jieba's own instance (the global one is left alone) with the handbook's words added."""

    def __init__(self, words: Iterable[str] = ()):
        import logging

        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        for word in words:
            self._jieba.add_word(normalise(word))
        # jieba's cut of each distinct run: records repeat phrases (names, terms, quoted
        # sentences), and the dictionary no longer changes once built
        self._cuts: dict[str, tuple[str, ...]] = {}

    def words(self, text: str) -> list[str]:
        """Precise segmentation of ``text``: words only (no spaces or punctuation)."""
        return [word for phrase in self.phrases(text) for word in phrase]

    def phrases(self, text: str) -> list[list[str]]:
        """The words of each stretch of text between spaces and punctuation."""
        return [list(self._cut(run)) if _HAN.match(run) else [run] for run in _WORD.findall(normalise(text))]

    def _cut(self, run: str) -> tuple[str, ...]:
        cut = self._cuts.get(run)
        if cut is None:
            cut = self._cuts[run] = tuple(self._jieba.lcut(run, HMM=True))
        return cut

    def search_words(self, words: list[str]) -> list[str]:
        """``words`` plus the dictionary words inside long ones (jieba's cut_for_search),
        so that 网格 finds a page that says 百户网格长."""
        freq = self._jieba.FREQ
        out = []
        for word in words:
            if len(word) > 2 and _HAN.match(word):
                out += [word[i:i + 2] for i in range(len(word) - 1) if freq.get(word[i:i + 2])]
            if len(word) > 3 and _HAN.match(word):
                out += [word[i:i + 3] for i in range(len(word) - 2) if freq.get(word[i:i + 3])]
            out.append(word)
        return out


def word_runs(words: list[str]) -> Counter:
    """Runs of 2–OWN_TERM_WORDS consecutive Han words, OWN_TERM_CHARS long, not starting or
    ending on a function character; counted."""
    runs: Counter = Counter()
    low, high = OWN_TERM_CHARS
    for i, first in enumerate(words):
        if not _HAN.match(first) or first[0] in _FUNCTION or first[0] in _COUNTER:
            continue
        text = first
        for word in words[i + 1:i + OWN_TERM_WORDS]:
            if not _HAN.match(word):
                break
            text += word
            if len(text) > high:
                break
            if len(text) >= low and text[-1] not in _FUNCTION:
                runs[text] += 1
    return runs


def own_terms(phrases: list[list[str]], min_count: int = OWN_TERM_MIN_COUNT) -> set[str]:
    """The runs of words a record repeats at least ``min_count`` times (``phrases``: the words
    of each stretch of its text between punctuation; a run never crosses punctuation)."""
    runs: Counter = Counter()
    for words in phrases:
        runs.update(word_runs(words))
    return {run for run, n in runs.items() if n >= min_count}
