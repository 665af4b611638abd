"""The handbook's search: one engine for every collection size, online and from file://.

``records`` turns the validated records into one search record per content page,
``segment`` splits their text into words (jieba, the handbook dictionary from
``dictionary``, and each record's own repeated terms), ``index`` scores them with BM25F
and writes the chunked index that docs/assets/javascripts/handbook-search.js reads.
``t2s_map`` ships the Traditional → Simplified map for queries. No MkDocs, no Material.
"""

from __future__ import annotations

import json

from ..build_cache import BuildCache, cache_key, code_version
from ..model.collection import Collection
from .dictionary import domain_terms
from .index import build_index, index_files
from .records import search_records
from .segment import Segmenter


def search_index_files(collection: Collection, directory_urls: bool = True, cache: BuildCache | None = None,
                       build: bool = True) -> dict[str, str] | None:
    """{path in the site: script} for the search page's index (search/idx/).

    With a ``cache``, an index built from the same search records and dictionary by the same
    code is reused: segmenting every record with jieba is the expensive part, and a single
    changed record changes the weights of every other (BM25), so the index is cached whole.
    ``build=False`` only looks in the cache: None when the index would have to be built."""
    records = search_records(collection, directory_urls)
    terms = domain_terms(collection)
    key = cache_key("search index", code_version(), json.dumps(terms, ensure_ascii=False),
                    json.dumps([[r.kind, r.title, r.url, r.fields] for r in records], ensure_ascii=False))
    entry = cache.get(key, use=_is_index) if cache is not None else None
    if entry is not None:
        return entry["files"]
    if not build:
        return None
    files = index_files(build_index(records, Segmenter(terms)))
    if cache is not None:
        cache.put(key, {"files": files})
    return files


def _is_index(entry: dict) -> bool:
    files = entry.get("files")
    return isinstance(files, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
