"""Lighthouse mobile scores of the built site served with gzip (issue 15's budgets), never in CI.

Usage: python scripts/bench/lighthouse.py SITE_DIR [--runs 3]
Needs Node.js; installs Lighthouse 12 from the npm registry into .cache/lighthouse on first
use and drives Debian's chromium (CHROME_PATH). Prints the median performance and
accessibility score and the bytes transferred of home, the first case and the first standard.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / ".cache" / "lighthouse"


def lighthouse() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOL.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(TOOL), "lighthouse@12"], check=True)
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = args.site.resolve()
    case = next(p.parent.name for p in sorted((site / "cases").glob("*/index.html")) if p.parent.name not in ("map", "all", "facets"))
    standard = next(p.parent.name for p in sorted((site / "standards").glob("*/index.html")) if p.parent.name != "matrix")
    port = free_port()
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("gzip_server.py")), str(site), str(port)])
    binary = lighthouse()
    try:
        print("| page | performance (median) | accessibility | transferred |")
        print("| --- | ---: | ---: | ---: |")
        for name, path in (("home", ""), (f"case {case}", f"cases/{case}/"), (f"standard {standard}", f"standards/{standard}/")):
            perf, a11y, sizes = [], [], []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as work:
                    out = Path(work) / "report.json"
                    subprocess.run([str(binary), f"http://127.0.0.1:{port}/{path}", "--quiet", "--output=json",
                                    f"--output-path={out}", "--only-categories=performance,accessibility",
                                    "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking"],
                                   check=True, env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"))
                    report = json.loads(out.read_text(encoding="utf-8"))
                perf.append(report["categories"]["performance"]["score"])
                a11y.append(report["categories"]["accessibility"]["score"])
                sizes.append(report["audits"]["total-byte-weight"]["numericValue"])
            print(f"| {name} | {statistics.median(perf):.2f} | {statistics.median(a11y):.2f} | {statistics.median(sizes) / 1024:.0f} KB |")
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
