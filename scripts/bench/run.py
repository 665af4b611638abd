"""`make bench`: build synthetic collections of 100, 1,000 and 10,000 cases and compare with a
plain mkdocs-material build of the same Markdown, measured in the same run.

Not a test: numbers depend on the machine. Writes the table to docs/benchmarks.md.
Usage: python scripts/bench/run.py [--sizes 100,1000,10000] [--write]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from handbook.load.loader import load_collection  # noqa: E402
from handbook.render.pages import render_pages  # noqa: E402


def synthetic_project(target: Path, size: int, seed: int = 7) -> Path:
    """``size`` cases made from the real records: same sources and cited figures, shuffled prose,
    varied titles, places and tags; the real standards and glossary."""
    rng = random.Random(seed)
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "standards"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    (target / "cases").mkdir()
    shutil.copytree(REPO / "cases" / "sources", target / "cases" / "sources")
    shutil.copy(REPO / "cases" / "edition.yaml", target / "cases")
    shutil.rmtree(target / "standards" / "sessions", ignore_errors=True)  # they name the real cases
    seeds = [case.model_dump(mode="json", exclude_none=True) for case in load_collection(REPO).cases]
    sentences = [s for record in seeds for field in ("background", "outcomes", "lessons")
                 for s in re.findall(r"[^。]+。", record[field])]
    places = ["河南省", "湖北省", "内蒙古自治区", "福建省", "浙江省", "四川省", "山东省", "广东省"]
    for i in range(size):
        # every seed first (so every source the standards cite is declared), then at random
        record = dict(seeds[i] if i < len(seeds) else rng.choice(seeds))
        record["id"] = f"case-{i:05d}"
        record["title"] = f"{record['title']}（样例{i}）"
        record["location"] = dict(record["location"], province=rng.choice(places))
        for field in ("background", "outcomes", "lessons"):
            record[field] = "\n\n".join("".join(rng.sample(sentences, 3)) for _ in range(2))
        (target / "cases" / f"case-{i:05d}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


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
    config = config.replace("  - handbook               # before search: it hands search its jieba dictionary\n", "")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(project / "overrides", target / "overrides")
    return target


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the child) for one command."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1795392000")
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def first_search_bytes(site: Path, query: str = "百户网格长") -> tuple[int, int, str]:
    """(raw, gzip bytes, engine): what Debian's chromium downloads from opening the home page to
    the first search result, searching the way a reader does: Material's search box (which loads
    its whole index) or, in large builds, the header's button to the Pagefind page (which loads
    the chunks the query needs). Gzip is what a server compressing on the fly would send."""
    sys.path.insert(0, str(REPO / "tests"))
    from browser.conftest import CHROMIUM, serve
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit("make bench measures search downloads in Debian's chromium: apt-get install chromium fonts-noto-cjk")
    engine = "pagefind" if (site / "pagefind").is_dir() else "material"
    bodies: dict[str, bytes] = {}

    def record(request):
        response = request.response()
        if response is not None and request.url not in bodies:
            bodies[request.url] = response.body()

    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.on("requestfinished", record)
        page.goto(url)
        if engine == "pagefind":
            page.click("a.md-header__button[href='search/']")
            page.fill(".pagefind-ui__search-input", query)
            page.wait_for_selector(".pagefind-ui__result-link", timeout=120_000)
        else:
            page.click("input[data-md-component=search-query]")
            page.fill("input[data-md-component=search-query]", query)
            page.press("input[data-md-component=search-query]", "End")
            page.wait_for_selector(".md-search-result__item", timeout=600_000)
        fetched = dict(bodies)  # the moment the first result shows: later fetches do not count
        browser.close()
    return sum(map(len, fetched.values())), sum(len(gzip.compress(b, 6)) for b in fetched.values()), engine


def measure(size: int, work: Path) -> dict:
    project = synthetic_project(work / f"handbook-{size}", size)
    python = sys.executable
    ours, ours_peak = timed([python, "-m", "handbook.cli", "build", "--site-dir", "site"], project)
    base = baseline_project(project, work / f"baseline-{size}")
    baseline, base_peak = timed([python, "-m", "mkdocs", "build", "--site-dir", "site"], base)
    raw, packed, engine = first_search_bytes(project / "site")
    return {"size": size, "ours": ours, "baseline": baseline, "peak": ours_peak, "base_peak": base_peak,
            "site": tree_bytes(project / "site"), "first_raw": raw, "first_gz": packed, "engine": engine}


def _size(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def table(rows: list[dict]) -> str:
    lines = [
        "| cases | handbook build | ms/case | plain Material build | ratio | peak RSS | site size | search | before first search result (raw / gzip) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['ours']:.1f} s | {1000 * r['ours'] / r['size']:.1f} | {r['baseline']:.1f} s | "
            f"{r['ours'] / r['baseline']:.2f} | {r['peak']:.0f} MB | {r['site'] / 1e6:.1f} MB | {r['engine']} | "
            f"{_size(r['first_raw'])} / {_size(r['first_gz'])} |"
        )
    sizes = {r["size"]: r for r in rows}
    if 10000 in sizes:
        big = sizes[10000]
        checks = [("ms per case at 10,000 cases", 1000 * big["ours"] / big["size"], 6, "{:.1f} ms")]
        if 1000 in sizes:
            checks.append(("t(10k) / t(1k)", big["ours"] / sizes[1000]["ours"], 11, "{:.1f}"))
        checks.append(("downloaded before the first search result at 10,000 cases (gzip)", big["first_gz"] / 1000, 300, "{:.0f} KB"))
        lines += ["", "| target | measured | limit | |", "| --- | ---: | ---: | --- |"]
        for name, value, limit, shown in checks:
            over = value / limit
            verdict = "met" if over <= 1 else f"not met ({over - 1:.0%} over)" if over < 1.5 else f"not met ({over:.1f}× the limit)"
            lines.append(f"| {name} | {shown.format(value)} | {shown.format(limit)} | {verdict} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, Path(work)))
            print(table(rows).splitlines()[-1], flush=True)
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
