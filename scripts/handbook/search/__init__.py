"""The handbook's search: one engine for every collection size, online and from file://.

``records`` turns the validated records into one search record per content page,
``segment`` splits their text into words (jieba, the handbook dictionary from
``dictionary``, and each record's own repeated terms), ``index`` scores them with BM25F
and writes the chunked index that docs/assets/javascripts/handbook-search.js reads.
``t2s_map`` ships the Traditional → Simplified map for queries. No MkDocs, no Material.
"""

from __future__ import annotations

from ..model.collection import Collection
from .dictionary import domain_terms
from .index import build_index, index_files
from .records import search_records
from .segment import Segmenter


def search_index_files(collection: Collection, directory_urls: bool = True) -> dict[str, str]:
    """{path in the site: script} for the search page's index (search/idx/)."""
    index = build_index(search_records(collection, directory_urls), Segmenter(domain_terms(collection)))
    return index_files(index)
