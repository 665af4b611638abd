"""Where a cold build's time goes: one `mkdocs build` of a project under cProfile, summed by stage.

Part of `make bench` (the profile summary at 1,000 cases in docs/benchmarks.md); also runs alone:
    python scripts/bench/profile_build.py PROJECT [--out site-profiled]

The stages are the cumulative times of the functions that do each job; cProfile roughly doubles
the time of pure-Python code, so the shares matter, not the seconds. The stages do not nest,
except that "theme and writing" is MkDocs' page build minus the link check inside it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

# (stage, [(file suffix, function name), ...]) — a stage is the sum of its functions' cumulative time
STAGES = [
    ("load and validate the records", [("handbook/load/loader.py", "load_collection")]),
    ("records → Markdown (Jinja)", [("handbook/render/pages.py", "render_pages"),
                                   ("handbook/render/pages.py", "print_handbook_page")]),
    ("Markdown → HTML (Python-Markdown), cache misses", [("markdown/core.py", "convert")]),
    ("link and address check (sanitise)", [("handbook/render/sanitise.py", "sanitise")]),
    ("search index", [("handbook/search/__init__.py", "search_index_files")]),
    ("Traditional → Simplified map", [("handbook/search/t2s_map.py", "t2s_script")]),
]
PAGE_BUILD = ("mkdocs/commands/build.py", "_build_page")
TOTAL = ("mkdocs/commands/build.py", "build")


def _cumulative(stats: pstats.Stats, target: tuple[str, str]) -> float:
    suffix, name = target
    return sum(row[3] for (path, _, function), row in stats.stats.items()
               if function == name and path.replace(os.sep, "/").endswith(suffix))


def summarise(stats: pstats.Stats) -> list[tuple[str, float]]:
    """[(stage, seconds)] with "theme and writing", "everything else" and the total last."""
    rows = [(stage, sum(_cumulative(stats, target) for target in targets)) for stage, targets in STAGES]
    sanitised = dict(rows)["link and address check (sanitise)"]
    rows.append(("theme (Material's page template) and writing", _cumulative(stats, PAGE_BUILD) - sanitised))
    total = _cumulative(stats, TOTAL)
    rows.append(("everything else (MkDocs, plugins, copying assets)", total - sum(seconds for _, seconds in rows)))
    rows.append(("total (under cProfile)", total))
    return rows


def profile_build(project: Path, site_dir: Path) -> list[tuple[str, float]]:
    """Profile one cold build of ``project`` into ``site_dir``; the project must have no build cache."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    if (project / ".cache" / "build").exists():
        raise SystemExit(f"{project} has a build cache (.cache/build): profile a fresh project, or run `make clean` in it")
    previous = os.getcwd()
    os.chdir(project)
    profiler = cProfile.Profile()
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        profiler.runcall(build, config)
        config.plugins.on_shutdown()
    finally:
        os.chdir(previous)
    return summarise(pstats.Stats(profiler))


def table(rows: list[tuple[str, float]]) -> str:
    total = rows[-1][1] or 1.0
    lines = ["| stage | seconds (cProfile) | share |", "| --- | ---: | ---: |"]
    lines += [f"| {stage} | {seconds:.1f} | {seconds / total:.0%} |" for stage, seconds in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="site folder (default: a temporary one)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    with tempfile.TemporaryDirectory() as work:
        rows = profile_build(args.project.resolve(), (args.out or Path(work) / "site").resolve())
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
