"""Fix Material's Chinese query segmentation in the built search worker.

Material (9.8.1) segments a Chinese query greedily against the index vocabulary, but
its loop stops one character short (``j < query.length``): a term is never matched
when it runs to the end of the query, so 三会一课 becomes ``三* 会* 一*`` and the page
about 三会一课 ranks fifth. We patch the two off-by-one conditions in the minified
worker after the build. Every pattern must match exactly once, or the build fails:
an upgraded Material must be re-checked by hand, never silently left unpatched.
"""

from __future__ import annotations

from pathlib import Path

# (minified original, fixed) — from search/query/segment/index.ts in mkdocs-material 9.8.1
PATCHES = [
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"),
    ("n[a]&&a<t.length-1&&(i[s++]=a)",
     "n[a]&&a<t.length&&(i[s++]=a)"),
]


class WorkerPatchError(Exception):
    """The search worker is not the one the patch was written for."""


def patch_worker_source(source: str) -> str:
    for original, fixed in PATCHES:
        if source.count(fixed) == 1 and original not in source:
            continue  # already patched (e.g. a rebuild under `mkdocs serve`)
        if source.count(original) != 1:
            raise WorkerPatchError(f"expected the search worker to contain {original!r} once, found it {source.count(original)} times")
        source = source.replace(original, fixed)
    return source


def patch_search_worker(site_dir: Path) -> Path:
    """Patch the one search worker under ``site_dir``; return its path."""
    workers = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise WorkerPatchError(f"expected one search worker in the built site, found {len(workers)}")
    workers[0].write_text(patch_worker_source(workers[0].read_text(encoding="utf-8")), encoding="utf-8")
    return workers[0]
