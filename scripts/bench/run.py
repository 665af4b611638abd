"""`make bench`: build the handbook padded to 100, 1,000 and 10,000 cases (scripts/bench/padding.py:
the seven real cases plus distinct synthetic ones), compare with a plain mkdocs-material build of
the same Markdown, and measure the search in Debian's chromium through the page contract of
issue 14 (`search/?q=TERM`, results as links in `[data-search-results]`): the bytes downloaded
before the first result, and the latency after the keystroke with the CPU slowed four times.

Not a test: numbers depend on the machine. Writes the table to docs/benchmarks.md. Every wait
has a limit (builds, page loads, results), so the bench ends even when a search never answers.
Usage: python scripts/bench/run.py [--sizes 100,1000,10000] [--write]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import padding  # noqa: E402
from edit_loop import measure_edit_loop  # noqa: E402
from handbook.load.loader import load_collection  # noqa: E402
from handbook.render.pages import render_pages  # noqa: E402


def baseline_project(project: Path, target: Path) -> Path:
    """The same generated Markdown as plain files, built by mkdocs-material with the same theme,
    search (jieba) and extensions, but without the handbook plugin."""
    collection = load_collection(project)
    docs = target / "docs"
    shutil.copytree(project / "docs", docs)
    for page in render_pages(collection):
        path = docs / page.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(page.content, bytes):
            path.write_bytes(page.content)
        else:
            path.write_text(page.content, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^  - handbook\b.*\n(?:      .*\n)*", "", config, flags=re.M)  # the plugin and its options
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(project / "overrides", target / "overrides")
    return target


# Runs one command and prints, as its last line on stderr, the CPU seconds and peak RSS (KB) of
# that command's processes only (RUSAGE_CHILDREN of this fresh wrapper, not of the bench).
_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(f'\\nBENCH-RUSAGE {r.ru_utime + r.ru_stime:.3f} {r.ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


class Timing(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds of the command and its subprocesses
    peak: float  # MB, the whole command: the most its processes held at once (see timed)


def timed(command: list[str], cwd: Path, timeout: float) -> Timing:
    """Wall and CPU seconds and peak RSS of one command, stopped (with its subprocesses) after ``timeout`` seconds.

    The peak is of the whole build, as issue 19 limits it: the RSS of all the command's processes
    (a worker, an indexer) summed, sampled every 0.1 s, and never less than the largest single
    process's own peak (which sampling could miss)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1795392000")
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _RUSAGE_WRAPPER, *command], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    sampler = _TreePeak(process.pid)
    sampler.start()
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise SystemExit(f"{' '.join(command)} took more than {timeout:.0f} s: stopped")
    finally:
        sampler.stop()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    cpu, peak_kb = stderr.rstrip().rsplit("\n", 1)[-1].split()[1:]
    return Timing(elapsed, float(cpu), max(int(peak_kb), sampler.peak_kb) / 1024)


class _TreePeak(threading.Thread):
    """The largest sum of VmRSS over a process and its descendants (the wrapper itself left out)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_kb, self._done = root, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.1):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _descendants(self.root)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def same_tree(first: Path, second: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""
    def files(folder):
        return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    a, b = files(first), files(second)
    return a.keys() == b.keys() and all(a[name].read_bytes() == b[name].read_bytes() for name in a)


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


SEARCH_QUERIES = ("百户网格长", "联席会议", "三会一课", "怎么开联席会", "乡贤说事评理团")
CPU_THROTTLING = 4  # a phone-class CPU, as the issue asks (Emulation.setCPUThrottlingRate)
WAIT_S = 60  # no wait in the bench is longer than this: a search that never answers is reported, not waited for
# The search box: the page's own box, marked or holding the query from ?q=, before any other
# (a header may carry a second box that only leads to the search page).
_FIND_INPUT = """(prefix) => {
  const boxes = ['[data-search-input]', 'input[type=search]', 'input[name=q]', 'input']
    .flatMap(s => Array.from(document.querySelectorAll(s)));
  const box = boxes.find(b => b.value === prefix) || boxes[0];
  if (box) box.setAttribute('data-bench-box', '');
  return !!box;
}"""

_SETTLED = """([quiet]) => {
  const root = document.querySelector('[data-search-results]');
  if (!root) return false;
  const state = root.getAttribute('data-search-state');
  const sig = Array.from(root.querySelectorAll('a')).map(a => a.href).join(' ');
  const now = performance.now();
  if (window.__benchSig !== sig) { window.__benchSig = sig; window.__benchSince = now; return false; }
  if (state !== null && state !== 'done' && state !== 'error') return false;
  return sig !== '' && now - window.__benchSince >= quiet;
}"""

_WATCH = """() => {
  const root = document.querySelector('[data-search-results]');
  window.__benchInput = null; window.__benchChange = null;
  window.addEventListener('input', () => { if (window.__benchInput === null) window.__benchInput = performance.now(); }, true);
  new MutationObserver(() => { if (window.__benchInput !== null) window.__benchChange = performance.now(); })
    .observe(root, {childList: true, subtree: true, characterData: true, attributes: true});
}"""


def _browser(playwright):
    sys.path.insert(0, str(REPO / "tests"))
    from browser.conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        raise SystemExit("make bench measures the search in Debian's chromium: apt-get install chromium fonts-noto-cjk")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


def _search_url(url: str, query: str) -> str:
    from urllib.parse import quote

    return url + ("search/index.html" if url.startswith("file:") else "search/") + "?q=" + quote(query)


def first_result_bytes(url: str, query: str = SEARCH_QUERIES[0]) -> tuple[int, int] | None:
    """(raw, gzip bytes) chromium downloads, with an empty cache, from opening `search/?q=QUERY`
    to the first result link in `[data-search-results]` (the page contract of issue 14): the
    search page, its scripts and styles and whatever index it loads. Gzip is what a server
    compressing on the fly would send. None when no result shows within WAIT_S."""
    from playwright.sync_api import sync_playwright

    bodies: dict[str, bytes] = {}

    def record(request):
        response = request.response()
        if response is not None and request.url not in bodies:
            try:
                bodies[request.url] = response.body()
            except Exception:  # a body chromium did not keep (a redirect): it carried nothing
                bodies[request.url] = b""

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_context().new_page()
        page.on("requestfinished", record)
        try:
            page.goto(_search_url(url, query), timeout=WAIT_S * 1000)
            page.wait_for_selector("[data-search-results] a", timeout=WAIT_S * 1000)
            fetched = dict(bodies)  # the moment the first result shows: later fetches do not count
        except Exception:
            fetched = None
        browser.close()
    if fetched is None:
        return None
    return sum(map(len, fetched.values())), sum(len(gzip.compress(b, 6)) for b in fetched.values())


def keystroke_latency(url: str, queries=SEARCH_QUERIES, throttling: int = CPU_THROTTLING) -> list[float | None]:
    """Milliseconds from the keystroke that completes each query to the last change of the results
    it causes, with chromium's CPU slowed ``throttling`` times. The page is opened with the query
    minus its last character (`search/?q=`), so the index the prefix needs is loaded as it would be
    while typing; then the last character is typed into the search box. None: no answer in WAIT_S."""
    from playwright.sync_api import sync_playwright

    latencies: list[float | None] = []
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_context().new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttling})
        for query in queries:
            try:
                page.goto(_search_url(url, query[:-1]), timeout=WAIT_S * 1000)
                page.wait_for_function(_SETTLED, arg=[300], polling=50, timeout=WAIT_S * 1000)
                page.evaluate(_WATCH)
                if not page.evaluate(_FIND_INPUT, query[:-1]):
                    raise LookupError("no search box")
                box = page.locator("[data-bench-box]").first
                box.focus(timeout=WAIT_S * 1000)
                box.press("End")
                page.keyboard.insert_text(query[-1])  # what an IME commit or a typed character delivers
                page.wait_for_function("() => window.__benchChange !== null", polling=20, timeout=WAIT_S * 1000)
                page.wait_for_function(_SETTLED, arg=[300], polling=50, timeout=WAIT_S * 1000)
                latencies.append(page.evaluate("() => window.__benchChange - window.__benchInput"))
            except Exception:
                latencies.append(None)
        browser.close()
    return latencies


def measure_search(url: str) -> dict:
    """The search figures of one served site: bytes before the first result, latency after a keystroke."""
    first = first_result_bytes(url)
    # a search that shows no result from its own address will not answer keystrokes either
    latencies = keystroke_latency(url) if first is not None else [None] * len(SEARCH_QUERIES)
    answered = sorted(l for l in latencies if l is not None)
    return {"first_raw": first[0] if first else None, "first_gz": first[1] if first else None,
            "latency_median": answered[len(answered) // 2] if answered else None,
            "latency_max": answered[-1] if len(answered) == len(latencies) else None,
            "unanswered": len(latencies) - len(answered)}


def measure(size: int, work: Path) -> dict:
    project = padding.padded_project(work / f"handbook-{size}", size)
    python = sys.executable
    build = [python, "-m", "handbook.cli", "build", "--site-dir"]
    cold = timed([*build, "site"], project, _build_timeout(size))  # a fresh project: nothing in .cache/
    warm = timed([*build, "site-warm"], project, _build_timeout(size))  # nothing changed: the cache serves
    identical = same_tree(project / "site", project / "site-warm")
    shutil.rmtree(project / "site-warm")
    base = baseline_project(project, work / f"baseline-{size}")
    baseline = timed([python, "-m", "mkdocs", "build", "--site-dir", "site"], base, _build_timeout(size))
    sys.path.insert(0, str(REPO / "tests"))
    from browser.conftest import serve

    with serve(project / "site") as url:
        search = measure_search(url)
    edits = edit_loop(project, size)
    return {"size": size, "ours": cold.wall, "ours_cpu": cold.cpu, "baseline": baseline.wall, "peak": cold.peak,
            "base_peak": baseline.peak, "warm": warm.wall, "warm_cpu": warm.cpu, "warm_peak": warm.peak,
            "warm_identical": identical, "site": tree_bytes(project / "site"), **search, **edits}


EDIT_LOOP_MAX_SIZE = 1000  # the target is at 1,000 cases; 10,000 would hold the bench for an hour


def edit_loop(project: Path, size: int) -> dict:
    """Seconds from saving a synthetic case's new title to every page showing it under `mkdocs serve`
    (scripts/bench/edit_loop.py), three edits; not measured above EDIT_LOOP_MAX_SIZE."""
    if size > EDIT_LOOP_MAX_SIZE or size <= len(padding.SEED_IDS):
        return {"edit_runs": None, "edit_pages": None}
    case_id = f"syn-{(size - len(padding.SEED_IDS)) // 2:05d}"  # a middle one: on a middle page of every list
    loop = measure_edit_loop(project, case_id, edits=3, start_timeout=_build_timeout(size) * 2,
                             edit_timeout=_build_timeout(size))
    return {"edit_runs": loop.runs, "edit_pages": len(loop.pages), "edit_cpu": loop.cpu}


def _build_timeout(size: int) -> float:
    """Generous (ten times the measured 65 ms a case) but finite: the bench never waits forever."""
    return 300 + 0.65 * size


def _size(n: int | None) -> str:
    if n is None:
        return "no result"
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def table(rows: list[dict]) -> str:
    lines = [
        "| cases | handbook build (CPU) | ms/case | warm rebuild (CPU) | warm ms/case | plain Material build | ratio "
        "| peak RSS (cold / warm) | site size "
        f"| before the first search result (raw / gzip) | search latency after the keystroke, CPU ×{CPU_THROTTLING} (median / max) "
        "| edit loop, median (each edit; pages checked) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [row_line(r) for r in rows]
    checks = _targets(rows)
    if checks:
        lines += ["", "| target | measured | limit | |", "| --- | ---: | ---: | --- |"]
        for name, value, limit, shown in checks:
            lines.append(_judged(name, value, limit, shown))
    return "\n".join(lines)


def row_line(r: dict) -> str:
    unanswered = f", {r['unanswered']} of {len(SEARCH_QUERIES)} unanswered" if r["unanswered"] else ""
    return (
        f"| {r['size']:,} | {r['ours']:.1f} s ({r['ours_cpu']:.1f} s) | {1000 * r['ours'] / r['size']:.1f} | "
        f"{r['warm']:.1f} s ({r['warm_cpu']:.1f} s) | {1000 * r['warm'] / r['size']:.1f} | {r['baseline']:.1f} s | "
        f"{r['ours'] / r['baseline']:.2f} | {r['peak']:.0f} / {r['warm_peak']:.0f} MB | {r['site'] / 1e6:.1f} MB | "
        f"{_size(r['first_raw'])} / {_size(r['first_gz'])} | {_ms(r['latency_median'])} / {_ms(r['latency_max'])}{unanswered} | "
        f"{_edit_loop(r)} |"
    )


def _edit_loop(r: dict) -> str:
    runs = r.get("edit_runs")
    if not runs:
        return "not measured"
    each = ", ".join(f"{run:.1f}" for run in runs)
    cpu = [c for c in r.get("edit_cpu") or () if c is not None]
    server_cpu = f"; server CPU {statistics.median(cpu):.1f} s" if cpu else ""
    return f"{statistics.median(runs):.1f} s ({each}; {r['edit_pages']} pages{server_cpu})"


def _targets(rows: list[dict]) -> list[tuple]:
    """(name, measured value or None, limit, format) of issue 19's targets, for the sizes measured.

    Warm rebuilds are judged from 1,000 cases on; everything else at 10,000."""
    sizes = {r["size"]: r for r in rows}
    checks: list[tuple] = []
    for size, r in sorted(sizes.items()):
        if size >= 1000:
            checks.append((f"warm rebuild, nothing changed, ms per case at {size:,} cases", 1000 * r["warm"] / size, 2, "{:.1f} ms"))
            checks.append((f"warm rebuild byte-identical to the cold build at {size:,} cases", r["warm_identical"], True, "{}"))
    if 10000 in sizes:
        big = sizes[10000]
        checks.append(("cold build, ms per case at 10,000 cases (stretch: 6 ms)", 1000 * big["ours"] / big["size"], 10, "{:.1f} ms"))
        if 1000 in sizes:
            checks.append(("t(10k) / t(1k)", big["ours"] / sizes[1000]["ours"], 10.5, "{:.1f}"))
        checks.append(("peak RSS at 10,000 cases", big["peak"], 1500, "{:.0f} MB"))
        checks.append(("downloaded before the first search result at 10,000 cases (gzip)",
                       None if big["first_gz"] is None else big["first_gz"] / 1000, 300, "{:.0f} KB"))
        checks.append((f"slowest search answer after the keystroke at 10,000 cases (CPU ×{CPU_THROTTLING})",
                       big["latency_max"], 100, "{:.0f} ms"))
    edit_target = "edit loop at 1,000 cases: saved record → every page showing it served by mkdocs serve (median of 3)"
    if 1000 in sizes and sizes[1000].get("edit_runs"):
        checks.append((edit_target, 1000 * statistics.median(sizes[1000]["edit_runs"]), 2000, "{:.0f} ms"))
    elif checks:  # not measured in this run: say so rather than leave the target out
        checks.append((edit_target, "not measured", 2000, "{} ms"))
    return checks


def _judged(name: str, value, limit, shown: str) -> str:
    if value is None:
        return f"| {name} | no answer | {shown.format(limit)} | not met |"
    if isinstance(value, str):
        return f"| {name} | {value} | {shown.format(limit)} | not judged |"
    if isinstance(value, bool):
        return f"| {name} | {'yes' if value else 'no'} | yes | {'met' if value == limit else 'not met'} |"
    over = value / limit
    verdict = "met" if over <= 1 else f"not met ({over - 1:.0%} over)" if over < 1.5 else f"not met ({over:.1f}× the limit)"
    return f"| {name} | {shown.format(value)} | {shown.format(limit)} | {verdict} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, Path(work)))
            print(row_line(rows[-1]), flush=True)
    report = table(rows)
    print(report)
    if args.write:
        page = (REPO / "docs" / "benchmarks.md")
        text = page.read_text(encoding="utf-8")
        start, end = text.index("<!-- bench:start -->"), text.index("<!-- bench:end -->")
        page.write_text(text[:start] + "<!-- bench:start -->\n" + report + "\n" + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
