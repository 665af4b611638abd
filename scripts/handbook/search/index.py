"""The search index: BM25F scores per (word, record), split into small script files.

The browser downloads only what a query needs, and every file is a ``<script>`` that
calls ``HBSearch.add(...)``, so the index works from file:// (where fetch() is refused):

- ``m.js``   the manifest: record count, shard counts, where each chunk of records starts,
             and the index's version (a hash of every other file). The page loads the
             manifest afresh each time and the shards as ``v<k>.js?v=<version>``, so a
             browser never mixes shards it cached from an earlier build with new ones.
- ``v<k>.js`` vocabulary shard: every word whose first character's code point % V == k
             (the query segmenter needs the words that start at each character it reads).
- ``p<k>.js`` postings shard: for each word whose hash % P == k, the records containing it
             with their score, as [record delta, score, record delta, score, ...].
- ``d<k>.js`` records k.. : kind, title, URL, text (for snippets) and the title field
             (empty for a glossary term, a heading of the glossary page).

Scores are BM25F computed at build time: the same field weights for every kind of page,
no boost of one kind over another. Shard counts grow with the index so that each file
stays about the same size, whatever the size of the collection.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..render.urls import SEARCH_INDEX
from .records import FIELDS, SearchRecord
from .segment import Segmenter, normalise, own_terms, quoted_terms

# Field weights: where a word appears says how much the page is about it.
WEIGHTS = {"title": 6.0, "tags": 3.0, "headings": 2.0, "practices": 3.0, "figures": 1.5, "body": 1.0}
K1 = 1.2
B = 0.1  # length normalisation, the same for every field
SCALE = 100  # scores are stored as integers: round(score * SCALE)

# Target sizes (bytes of JSON) of one shard; the counts of shards follow from them.
VOCAB_SHARD_BYTES = 16_000
POSTINGS_SHARD_BYTES = 24_000
RECORDS_CHUNK_BYTES = 16_000
SNIPPET_CHARS = 6_000  # text kept per record for snippets
SNIPPET_FIELDS = ("body", "practices", "headings", "figures", "tags")  # prose first


@dataclass
class Index:
    records: list[SearchRecord]
    postings: dict[str, dict[int, int]]  # word → {record number: score}
    own: set[str]  # terms found by repetition, not by the dictionary

    @property
    def vocabulary(self) -> list[str]:
        return sorted(self.postings)


_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (what JavaScript's charCodeAt gives)."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def build_index(records: list[SearchRecord], segmenter: Segmenter) -> Index:
    """Segment every field of every record and score each (word, record) by BM25F.

    Two passes: the first segments and collects the terms records make their own (repeated
    or quoted); the second counts those terms in every record that contains them, so that a
    term is one word in the whole index, whichever record made it one."""
    counts: list[dict[str, Counter]] = []  # per record: field → word counts
    lengths: list[dict[str, int]] = []
    runs_of: list[dict[str, list[str]]] = []  # per record: field → its runs of Han characters
    own_all: set[str] = set()
    for record in records:
        # per text (a summary, a practice, a quote ...), the words of each stretch between punctuation
        texts = {text: segmenter.phrases(text) for name in FIELDS for text in record.fields.get(name, [])}
        phrases = {name: [p for text in record.fields.get(name, []) for p in texts[text]] for name in FIELDS}
        field_words = {name: [w for words in lists for w in words] for name, lists in phrases.items()}
        # (the same sentence quoted for several figures counts once)
        own_all |= own_terms([p for text_phrases in texts.values() for p in text_phrases])
        own_all |= set().union(*(quoted_terms(normalise(text)) for text in texts))
        counts.append({name: Counter(segmenter.search_words(words)) for name, words in field_words.items()})
        lengths.append({name: len(words) for name, words in field_words.items()})
        runs_of.append({name: [run for text in record.fields.get(name, []) for run in _HAN_RUN.findall(normalise(text))]
                        for name in FIELDS})
    low, high = min(map(len, own_all), default=0), max(map(len, own_all), default=0)
    starts = {term[:low] for term in own_all}  # most positions start no term: skip them at once
    for per_field, runs in zip(counts, runs_of):
        for name, field_runs in runs.items():
            counter = per_field[name]
            # a term is Han characters only, so it never spans the separator: one count over
            # the joined runs is the sum of the counts in each
            joined = "\n".join(field_runs)
            for run in field_runs:
                for i in range(len(run) - low + 1):
                    if run[i:i + low] not in starts:
                        continue
                    for size in range(low, min(high, len(run) - i) + 1):
                        if run[i:i + size] in own_all and run[i:i + size] not in counter:
                            counter[run[i:i + size]] = joined.count(run[i:i + size])
    n = len(records)
    # a field's usual length among the records that have it (most records have no practices)
    average = {name: max(1.0, sum(l[name] for l in lengths) / max(1, sum(1 for l in lengths if l[name])))
               for name in FIELDS}
    df: Counter = Counter()
    for per_field in counts:
        df.update(set().union(*per_field.values()))
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    for number, per_field in enumerate(counts):
        weighted: Counter = Counter()
        for name, counter in per_field.items():
            norm = 1 - B + B * lengths[number][name] / average[name]
            for word, tf in counter.items():
                weighted[word] += WEIGHTS[name] * tf / norm
        for word, tf in weighted.items():
            idf = math.log(1 + (n - df[word] + 0.5) / (df[word] + 0.5))
            score = round(idf * tf * (K1 + 1) / (tf + K1) * SCALE)
            if score > 0:
                postings[word][number] = score
    return Index(records, dict(postings), own_all)


def _shard_count(total_bytes: int, target: int) -> int:
    count = 1
    while total_bytes / count > target:
        count *= 2
    return count


def _script(kind: str, key: int | None, data) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"HBSearch.add({json.dumps(kind)},{'null' if key is None else key},{body});\n"


def index_files(index: Index, base: str = SEARCH_INDEX.rsplit("/", 1)[0]) -> dict[str, str]:
    """The index as script files: {path in the site: content}."""
    files: dict[str, str] = {}
    encoded = {}
    for word, hits in index.postings.items():
        flat, previous = [], 0
        for number in sorted(hits):
            flat += [number - previous, hits[number]]
            previous = number
        encoded[word] = flat
    vocabulary = index.vocabulary
    v = _shard_count(sum(len(w.encode()) + 3 for w in vocabulary), VOCAB_SHARD_BYTES)
    p = _shard_count(sum(len(json.dumps(f)) + len(w.encode()) + 4 for w, f in encoded.items()), POSTINGS_SHARD_BYTES)
    vocab_shards: dict[int, list[str]] = defaultdict(list)
    postings_shards: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for word in vocabulary:
        vocab_shards[ord(word[0]) % v].append(word)
        postings_shards[fnv1a(word) % p][word] = encoded[word]
    for k, words in vocab_shards.items():
        files[f"{base}/v{k}.js"] = _script("v", k, words)
    for k, shard in postings_shards.items():
        files[f"{base}/p{k}.js"] = _script("p", k, shard)
    starts, chunk, size = [], [], 0
    for number, record in enumerate(index.records):
        text = "\n".join(record.text(name) for name in SNIPPET_FIELDS)[:SNIPPET_CHARS]
        row = [record.kind, record.title, record.url, text, record.text("title")]
        row_size = len(json.dumps(row, ensure_ascii=False).encode())
        if chunk and size + row_size > RECORDS_CHUNK_BYTES:
            files[f"{base}/d{starts[-1]}.js"] = _script("d", starts[-1], chunk)
            chunk, size = [], 0
        if not chunk:
            starts.append(number)
        chunk.append(row)
        size += row_size
    if chunk:
        files[f"{base}/d{starts[-1]}.js"] = _script("d", starts[-1], chunk)
    version = hashlib.sha256("".join(files[path] for path in sorted(files)).encode()).hexdigest()[:12]
    manifest = {"records": len(index.records), "vocabularyShards": v, "postingsShards": p, "chunks": starts,
                "version": version}
    files[f"{base}/m.js"] = _script("m", None, manifest)
    return files
