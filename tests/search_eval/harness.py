"""Measure a built site's search on the public query set, through the page contract of issue 14.

For each query the harness opens `search/?q=TERM` (from file://: `search/index.html?q=TERM`) in
Debian's chromium, waits until the one `[data-search-results]` element has settled, reads its
`<a>` elements in order (href resolved against the site root, `data-kind`) and scores the
ranked pages against the query's expected pages: hit@1, hit@5 and MRR per half and per class.
It knows nothing of any engine beyond that contract.

Several queries may be in flight at once (`--pages`, default 2), each on its own page: a page is
opened, then polled with the others until it has settled, so the outcome is the same as one at a
time; only the waiting overlaps.

Settled means: the list of links (href and kind) has not changed for QUIET_MS. A page may say
more: if the element carries `data-search-state`, the harness waits for `done` or `error`, and
then only DONE_QUIET_MS. An empty list without that state must stay empty for EMPTY_QUIET_MS
(an index may still be loading). A query
that does not settle within QUERY_TIMEOUT_S counts with whatever was listed, and is flagged.

Ranks are over distinct pages: the anchor and a trailing `index.html` are dropped, `X.html` (the
offline bundle's flat addresses) is read as `X/`, and a page listed twice counts at its first position (see the rules at the top of queries.yaml).

Usage: python tests/search_eval/harness.py URL [--label TEXT] [--half all|tune|report] [--pages N]
       URL is the site root: http://127.0.0.1:8000/ or file:///…/handbook/
Writes tests/artifacts/search-report.md (and search-report.json, which keeps earlier runs
with other labels so that one report shows online, offline and padded runs side by side).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlparse, unquote

import yaml
from filelock import FileLock

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.yaml"
ARTIFACTS = HERE.parent / "artifacts"
REPORT = ARTIFACTS / "search-report.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
QUIET_MS = 300
DONE_QUIET_MS = 50  # the page says its results are final: two polls apart only catch a late repaint
EMPTY_QUIET_MS = 3000
QUERY_TIMEOUT_S = 20

_SETTLED = """([quiet, doneQuiet, emptyQuiet]) => {
  const root = document.querySelector('[data-search-results]');
  if (!root) return false;
  const state = root.getAttribute('data-search-state');
  const links = Array.from(root.querySelectorAll('a'));
  const sig = links.map(a => a.href + ' ' + a.getAttribute('data-kind')).join('\\n');
  const now = performance.now();
  if (window.__evalSig !== sig) { window.__evalSig = sig; window.__evalSince = now; return false; }
  if (state !== null && state !== 'done' && state !== 'error') return false;
  const wait = state === 'done' || state === 'error' ? doneQuiet : links.length ? quiet : emptyQuiet;
  return now - window.__evalSince >= wait;
}"""

_READ = """() => {
  const root = document.querySelector('[data-search-results]');
  if (!root) return null;
  return {count: document.querySelectorAll('[data-search-results]').length,
          links: Array.from(root.querySelectorAll('a')).map(a => [a.href, a.getAttribute('data-kind')])};
}"""


@dataclass
class Outcome:
    """One query's result: the ranked distinct pages and what the contract check found."""
    query: str
    cls: str
    half: str
    expect: list[str]
    pages: list[str] = field(default_factory=list)
    kinds: list[str | None] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rank(self) -> int | None:
        return next((i for i, page in enumerate(self.pages, 1) if page in self.expect), None)


def load_queries(path: Path = QUERIES, half: str = "all") -> list[dict]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [q for q in items if half == "all" or q["half"] == half]


def search_url(base: str, query: str) -> str:
    base = base if base.endswith("/") else base + "/"
    page = "search/index.html" if base.startswith("file:") else "search/"
    return f"{base}{page}?q={quote(query)}"


def site_path(href: str, base: str) -> str | None:
    """A result link as a site path (`cases/gucheng/`), or None when it leaves the site."""
    base = base if base.endswith("/") else base + "/"
    url, root = urlparse(urljoin(base, href)), urlparse(base)
    if (url.scheme, url.netloc) != (root.scheme, root.netloc) or not url.path.startswith(root.path):
        return None
    path = unquote(url.path[len(root.path):])
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):  # the offline bundle's flat addresses: cases/gucheng.html is cases/gucheng/
        path = path[: -len(".html")] + "/"
    return path


class _Query:
    """One query in flight on one page: opened, then polled until its results settle."""

    def __init__(self, page, base: str, item: dict) -> None:
        self.page, self.base = page, base
        self.outcome = Outcome(item["query"], item["class"], item["half"], list(item["expect"]))
        self.start = time.perf_counter()
        self.deadline = self.start + QUERY_TIMEOUT_S
        self.opened = True
        try:
            # "commit": the new document exists; its scripts and the search then run while
            # the other pages are polled
            page.goto(search_url(base, item["query"]), wait_until="commit", timeout=QUERY_TIMEOUT_S * 1000)
        except Exception as error:  # a page that does not open is a result, not a crash
            self.outcome.problems.append(f"did not settle: {str(error).splitlines()[0][:120]}")
            self.deadline, self.opened = self.start, False

    def settled(self) -> bool:
        """True once the results have settled or the query's time is up (flagged)."""
        if time.perf_counter() >= self.deadline:
            if not self.outcome.problems:
                self.outcome.problems.append(f"did not settle: no settled results within {QUERY_TIMEOUT_S} s")
            return True
        try:
            return bool(self.page.evaluate(_SETTLED, [QUIET_MS, DONE_QUIET_MS, EMPTY_QUIET_MS]))
        except Exception:  # the document is still being replaced: try again at the next poll
            return False

    def finish(self) -> Outcome:
        outcome = self.outcome
        if not self.opened:  # the page still shows the previous query's results: read nothing
            outcome.seconds = time.perf_counter() - self.start
            return outcome
        try:
            found = self.page.evaluate(_READ)
        except Exception as error:
            found, outcome.problems = None, outcome.problems + [f"cannot read results: {str(error).splitlines()[0][:120]}"]
        outcome.seconds = time.perf_counter() - self.start
        if found is None:
            outcome.problems.append("no [data-search-results] element")
            return outcome
        if found["count"] != 1:
            outcome.problems.append(f"{found['count']} [data-search-results] elements")
        for href, kind in found["links"]:
            path = site_path(href, self.base)
            if path is None:
                outcome.problems.append(f"link outside the site: {href}")
                continue
            if kind is None:
                outcome.problems.append(f"link without data-kind: {path}")
            if path not in outcome.pages:
                outcome.pages.append(path)
                outcome.kinds.append(kind)
        return outcome


POLL_S = 0.025  # between rounds of polling the pages in flight


def run_query(page, base: str, item: dict) -> Outcome:
    query = _Query(page, base, item)
    while not query.settled():
        time.sleep(POLL_S)
    return query.finish()


class ContractMissing(Exception):
    """The site does not follow the page contract: measuring every query would only wait."""


GIVE_UP_AFTER = 5  # queries in a row that never settle


def run_all(pages, base: str, queries: list[dict], progress=None) -> list[Outcome]:
    """Every query, the outcomes in query order. ``pages``: one page, or several to keep that
    many queries in flight at once (each query still opens its own search page and is read
    only when settled, so the outcome is the same; only the waiting overlaps).

    Raises ContractMissing at once when the first query finds no results element, or when
    GIVE_UP_AFTER queries in a row never settle (the run would take hours)."""
    pages = list(pages) if isinstance(pages, (list, tuple)) else [pages]
    outcomes: list[Outcome | None] = [None] * len(queries)
    finished: list[Outcome] = []  # in the order they finished

    def record(number: int, outcome: Outcome) -> None:
        outcomes[number] = outcome
        finished.append(outcome)
        if progress:
            progress(len(finished), len(queries), outcome)
        if number == 0 and "no [data-search-results] element" in outcome.problems:
            raise ContractMissing(f"{search_url(base, queries[0]['query'])}: no [data-search-results] element (issue 14's page contract)")
        recent = finished[-GIVE_UP_AFTER:]
        if len(recent) == GIVE_UP_AFTER and all(any(p.startswith("did not settle") for p in o.problems) for o in recent):
            raise ContractMissing(f"{GIVE_UP_AFTER} queries in a row never settled, the last: {outcome.query}")

    if queries:  # the first alone: a site without the contract is told at once
        record(0, run_query(pages[0], base, queries[0]))
    waiting = list(range(1, len(queries)))
    flight: dict[int, tuple[int, _Query]] = {}  # page slot → (query number, query)
    while waiting or flight:
        for slot, page in enumerate(pages):
            if slot not in flight and waiting:
                number = waiting.pop(0)
                flight[slot] = (number, _Query(page, base, queries[number]))
        progressed = False
        for slot in list(flight):
            number, query = flight[slot]
            if query.settled():
                del flight[slot]
                record(number, query.finish())
                progressed = True
        if not progressed:
            time.sleep(POLL_S)
    return outcomes


# ----------------------------------------------------------------------------- scores

@dataclass
class Score:
    n: int
    hit1: float
    hit5: float
    mrr: float


def score(outcomes: list[Outcome]) -> Score:
    n = len(outcomes)
    if not n:
        return Score(0, 0.0, 0.0, 0.0)
    ranks = [o.rank for o in outcomes]
    return Score(n, sum(r == 1 for r in ranks) / n, sum(bool(r and r <= 5) for r in ranks) / n,
                 sum(1 / r for r in ranks if r) / n)


def scores_by(outcomes: list[Outcome]) -> dict[str, dict[str, Score]]:
    """{half: {class or "all": Score}} with half in tune, report, all."""
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for half in (o.half, "all"):
            groups[(half, o.cls)].append(o)
            groups[(half, "all")].append(o)
    out: dict[str, dict[str, Score]] = defaultdict(dict)
    for (half, cls), items in groups.items():
        out[half][cls] = score(items)
    return out


# ----------------------------------------------------------------------------- report

def _row(label: str, s: Score) -> str:
    return f"| {label} | {s.n} | {s.hit1:.1%} | {s.hit5:.1%} | {s.mrr:.3f} |"


def render_report(runs: dict[str, dict]) -> str:
    """Markdown for every run kept: summary, per class, and the queries whose first page is wrong."""
    lines = ["# Search quality", "",
             "Measured by `tests/search_eval/harness.py` on the public query set `tests/search_eval/queries.yaml`",
             "(expected-page, anchor and split rules at its top). hit@k: an expected page among the first k distinct",
             "result pages; MRR: mean of 1/rank of the first expected page. Tune only on `tune`; `report` is the",
             "half the quality gate asserts.", "",
             "| run | half | queries | hit@1 | hit@5 | MRR |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for label, run in runs.items():
        by = scores_by([Outcome(**o) for o in run["outcomes"]])
        for half in ("report", "tune", "all"):
            if half in by:
                lines.append(_row(f"{label} | {half}", by[half]["all"]))
    for label, run in runs.items():
        outcomes = [Outcome(**o) for o in run["outcomes"]]
        by = scores_by(outcomes)
        lines += ["", f"## {label}", "", f"{run['base']} · {run['when']} · {sum(o.seconds for o in outcomes):.0f} s", "",
                  "| class | half | queries | hit@1 | hit@5 | MRR |", "| --- | --- | ---: | ---: | ---: | ---: |"]
        for cls in sorted({o.cls for o in outcomes}, key=lambda c: next(i for i, o in enumerate(outcomes) if o.cls == c)):
            for half in ("report", "tune"):
                if cls in by.get(half, {}):
                    lines.append(_row(f"{cls} | {half}", by[half][cls]))
        problems = sorted({p for o in outcomes for p in o.problems})
        if problems:
            lines += ["", f"Contract problems ({len(problems)} distinct):", ""] + [f"- {p}" for p in problems[:30]]
        misses = [o for o in outcomes if o.rank != 1]
        lines += ["", f"Queries whose first result is not an expected page ({len(misses)}):", "",
                  "| query | class | half | rank | first result | expected |", "| --- | --- | --- | ---: | --- | --- |"]
        for o in misses:
            first = f"{o.pages[0]} ({o.kinds[0]})" if o.pages else "(none)"
            lines.append(f"| {o.query} | {o.cls} | {o.half} | {o.rank or '—'} | {first} | {', '.join(o.expect)} |")
    return "\n".join(lines) + "\n"


def record_run(label: str, base: str, outcomes: list[Outcome], report: Path = REPORT) -> str:
    """Keep this run (replacing an earlier one with the same label) and rewrite the report."""
    report.parent.mkdir(parents=True, exist_ok=True)
    store = report.with_suffix(".json")
    # Gates in two test workers may finish together: one at a time, each file replaced whole.
    with FileLock(report.with_suffix(".lock")):
        runs = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
        runs[label] = {"base": base, "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                       "outcomes": [asdict(o) for o in outcomes]}
        text = render_report(runs)
        for path, content in ((store, json.dumps(runs, ensure_ascii=False, indent=0)), (report, text)):
            partial = path.with_name(path.name + ".partial")
            partial.write_text(content, encoding="utf-8")
            partial.replace(path)
    return text


def summary(outcomes: list[Outcome], half: str = "report") -> Score:
    return scores_by(outcomes)[half]["all"]


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise SystemExit("the search evaluation needs Debian's chromium: apt-get install chromium fonts-noto-cjk")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the site root, http://… or file:///…/")
    parser.add_argument("--label", default=None, help="name of this run in the report (default: the URL)")
    parser.add_argument("--half", default="all", choices=("all", "tune", "report"))
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--pages", type=int, default=2, help="queries in flight at once (default 2)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    queries = load_queries(args.queries, args.half)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(locale="zh-CN")
        try:
            outcomes = run_all([context.new_page() for _ in range(max(1, args.pages))], args.url, queries,
                               lambda i, n, o: print(f"\r{i}/{n}", end="", file=sys.stderr, flush=True))
        except ContractMissing as error:
            print(f"\nharness: {error}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    print(file=sys.stderr)
    record_run(args.label or args.url, args.url, outcomes, args.report)
    by = scores_by(outcomes)
    for half in ("tune", "report", "all"):
        if half in by:
            s = by[half]["all"]
            print(f"{half}: {s.n} queries, hit@1 {s.hit1:.1%}, hit@5 {s.hit5:.1%}, MRR {s.mrr:.3f}")
    print(f"report: {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
