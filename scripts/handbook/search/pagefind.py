"""Which search engine a build uses, and Pagefind's index for large collections.

Material's search loads one index holding every page before it can answer (about 65 KB per
case: 6.5 MB gzipped at 1,000 cases, too much for a phone on an intranet). Pagefind splits its
index into chunks and a reader downloads only the chunks their query needs. Small builds keep
Material's search: it uses the handbook's jieba dictionary and tuned weights and searches as
you type in the header. Offline builds always keep it: Pagefind fetches its chunks, which
browsers refuse for pages opened from file://.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

ENGINES = ("auto", "material", "pagefind")

# Permalink marks and the edit/print buttons.
IGNORED_SELECTORS = (".headerlink", ".md-content__button", "[data-hb-print]")


class PagefindError(Exception):
    """Pagefind could not index the built site."""


def choose_engine(setting: str, case_count: int, pagefind_from_cases: int, offline: bool) -> str:
    """``material`` or ``pagefind`` for this build (``setting`` is one of ENGINES)."""
    if setting not in ENGINES:
        raise ValueError(f"search engine must be one of {', '.join(ENGINES)}, not {setting!r}")
    if offline:
        return "material"
    if setting == "auto":
        return "pagefind" if case_count >= pagefind_from_cases else "material"
    return setting


def mark_for_index(html: str, search: dict | None) -> str:
    """A page's content marked for Pagefind, following the page's Material search settings.

    Only marked content is indexed (navigation, header and footer would add the same noise to
    every page). Pages Material leaves out stay out, and so do pages it weighs below 1: the
    lists and indexes, which repeat the titles of pages found on their own. Material's boosts
    above 1 are not carried over: weighting the glossary and standards up in Pagefind lowered
    hit@1 on the test queries (33 → 30 of 48 in the ranking experiment)."""
    search = search or {}
    if search.get("exclude") or float(search.get("boost", 1)) < 1:
        return html
    return f"<div data-pagefind-body>\n{html}\n</div>"


def index_site(site_dir: Path) -> None:
    """Write site_dir/pagefind/: the chunked index, Pagefind's search library and its UI.

    The extended Pagefind binary (a pinned Python package, no download at build time) is
    needed for Chinese: it segments Chinese text into words when indexing."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise PagefindError("the pagefind_bin_extended package is not installed (run `make` again)") from None
    command = [str(get_executable()), "--site", str(site_dir), "--silent"]
    for selector in IGNORED_SELECTORS:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise PagefindError(output[-1] if output else f"pagefind exited with {result.returncode}")
    if not (site_dir / "pagefind" / "pagefind.js").is_file():
        raise PagefindError("pagefind finished but wrote no pagefind/pagefind.js")
