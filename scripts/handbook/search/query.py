"""The query side in Python: the same steps as handbook-search.js, for tests and tuning.

The browser is the engine readers use; this twin lets the unit tests and the evaluation
check segmentation and ranking without a browser. Keep the two in step: the browser
tests run the same queries through both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .index import Index
from .segment import normalise

LONGEST = 12  # longest word tried, in characters (handbook-search.js: LONGEST)
PART_WEIGHT = 0.5  # weight of the known shorter words inside a query word (PART_WEIGHT)
# Question and function words: how a reader asks, not what about. Dropped from a query
# that has other words (handbook-search.js: QUESTION_WORDS).
QUESTION_WORDS = frozenset("怎么 怎样 怎么样 如何 什么 哪些 哪个 为什么 是否 有没有 请问 吗 呢 吧 啊 的 了 和 与 及 在 是".split())
_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")


TITLE_FACTOR = 2.0  # a record whose title holds every word of the query (handbook-search.js)
RERANKED = 10  # the first results, whose titles are loaded anyway to show them
COMPLETIONS = 8  # words a query's unfinished last word may stand for (handbook-search.js)


@dataclass
class QueryWord:
    text: str
    parts: list[str]  # known shorter words inside it, weighed PART_WEIGHT
    completions: tuple[str, ...] = ()  # an unfinished last word: the words it begins, any one counts


def segment(vocabulary: set[str], query: str) -> list[str]:
    """Longest match over the index's words; characters the index never saw are skipped."""
    out: list[str] = []
    for run in _RUN.findall(normalise(query)):
        if not _HAN.match(run):
            if run in vocabulary:
                out.append(run)
            continue
        i = 0
        while i < len(run):
            for size in range(min(LONGEST, len(run) - i), 0, -1):
                if run[i:i + size] in vocabulary:
                    out.append(run[i:i + size])
                    i += size
                    break
            else:
                i += 1
    return out


def parts(vocabulary: set[str], word: str) -> list[str]:
    """The known words of two or more characters inside ``word``, longest first."""
    if not _HAN.match(word):
        return []
    found = [word[i:i + size] for size in range(len(word) - 1, 1, -1)
             for i in range(len(word) - size + 1) if word[i:i + size] in vocabulary]
    return list(dict.fromkeys(found))


def completions(vocabulary, tail: str) -> tuple[str, ...]:
    """The shortest known words that ``tail`` begins (a reader still typing 红色商 → 红色商街)."""
    if len(tail) < 2 or tail in vocabulary or not _HAN.match(tail):
        return ()
    found = sorted((w for w in vocabulary if w.startswith(tail) and w != tail), key=lambda w: (len(w), w))
    return tuple(found[:COMPLETIONS])


def query_words(vocabulary: set[str], query: str) -> list[QueryWord]:
    """The query's words; an unfinished last word stands for the words it begins.

    Longest match would cut 红色商 into 红色 / 商; when the query ends inside a known word,
    the last piece of text from where that word would begin is completed instead."""
    runs = _RUN.findall(normalise(query))
    tail_words: list[QueryWord] = []
    if runs and _HAN.match(runs[-1]):
        last = runs[-1]
        for start in range(max(0, len(last) - LONGEST), len(last) - 1):
            found = completions(vocabulary, last[start:])
            if found:
                head = runs[:-1] + ([last[:start]] if start else [])
                words = [w for w in segment(vocabulary, " ".join(head)) if w not in QUESTION_WORDS]
                tail = last[start:]  # its known parts count too: 组织链接 is also 组织 + 链接
                return _words(vocabulary, words) + [QueryWord(tail, parts(vocabulary, tail), found)]
    words = segment(vocabulary, query)
    return _words(vocabulary, [w for w in words if w not in QUESTION_WORDS] or words)


def _words(vocabulary, words: list[str]) -> list[QueryWord]:
    return [QueryWord(w, parts(vocabulary, w)) for w in dict.fromkeys(words)]


def rank(index: Index, query: str) -> list[tuple[int, float]]:
    """(record number, score), best first: the sum of the words' scores (parts at
    PART_WEIGHT), times the share of the query's words the record has."""
    vocabulary = set(index.postings)
    words = query_words(vocabulary, query)
    scores: dict[int, float] = {}
    covered: dict[int, dict[int, float]] = {}
    for position, word in enumerate(words):
        if word.completions:  # any one of the words it may stand for: the best counts
            best: dict[int, int] = {}
            for term in word.completions:
                for doc, score in index.postings.get(term, {}).items():
                    best[doc] = max(best.get(doc, 0), score)
            terms = [(best, 1.0)]
        else:
            terms = [(index.postings.get(word.text, {}), 1.0)]
        terms += [(index.postings.get(p, {}), PART_WEIGHT) for p in word.parts]
        for hits, weight in terms:
            for doc, score in hits.items():
                scores[doc] = scores.get(doc, 0) + weight * score
                share = covered.setdefault(doc, {})
                share[position] = max(share.get(position, 0), weight)
    results = [(doc, score * sum(covered[doc].values()) / len(words)) for doc, score in scores.items()]
    results.sort(key=lambda r: (-r[1], r[0]))
    return rerank(results, words, lambda doc: index.records[doc].text("title"))


def title_holds(title: str, words: list[QueryWord]) -> bool:
    """Does the title hold every word of two or more characters (single characters, 开 in
    怎么开联席会, say little on their own)?"""
    title = normalise(title)
    longer = [w for w in words if len(w.text) > 1] or words
    return all(w.text in title or any(c in title for c in w.completions) for w in longer)


def rerank(results: list[tuple[int, float]], words: list[QueryWord], title_of) -> list[tuple[int, float]]:
    """The first RERANKED results again, a record whose title holds the whole query counting
    TITLE_FACTOR times: a page titled by what was asked is the page about it, whatever its kind."""
    head = [(doc, score * (TITLE_FACTOR if title_holds(title_of(doc), words) else 1)) for doc, score in results[:RERANKED]]
    head.sort(key=lambda r: (-r[1], r[0]))
    return head + results[RERANKED:]
