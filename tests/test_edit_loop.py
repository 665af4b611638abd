"""The bench's edit loop (scripts/bench/edit_loop.py) on the real handbook: a real `mkdocs serve`,
started with `make serve`'s command, shows an edited case title on every page that names the case.
No timed assertion: the number is the bench's business, here it must exist and the edit must show."""

from __future__ import annotations

import re
import sys

from conftest import REPO, copy_handbook

sys.path.insert(0, str(REPO / "scripts" / "bench"))

import edit_loop  # noqa: E402


def test_make_serve_runs_the_command_the_bench_measures():
    recipe = re.search(r"^serve:.*\n\t(.*)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert recipe.split() == ["$(BIN)/mkdocs", *edit_loop.SERVE_ARGS, "-a", "127.0.0.1:8000"]


def test_edit_loop_measures_an_edit_shown_on_every_page_naming_the_case(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    record = project / "cases" / "gucheng.yaml"
    original = record.read_text(encoding="utf-8")
    loop = edit_loop.measure_edit_loop(project, "gucheng", edits=2, log=tmp_path / "serve.log")
    assert len(loop.runs) == 2 and all(isinstance(run, float) and run > 0 for run in loop.runs)
    assert len(loop.cpu) == 2 and all(cpu is None or cpu > 0 for cpu in loop.cpu)
    # the pages it waited on: the case's own page first, then the lists and the others naming it
    assert loop.pages[0] == "cases/gucheng/" and "cases/" in loop.pages and len(loop.pages) > 5
    assert record.read_text(encoding="utf-8") == original  # put back
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert log.count("Reloading browsers") >= 2, log[-3000:]  # two rebuilds after the first build
