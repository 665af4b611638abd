"""A second process converts pages' Markdown ahead of MkDocs (mkdocs_convert_ahead.py): the site is
byte for byte the site of one process, a result made from other inputs is never used, and the
worker never outlives the build."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, tree_digest
from test_build_faults import alive, children, wait_for

from handbook.build_cache import FOLDER
from handbook.mkdocs_convert_ahead import MIN_PAGES

sys.path.insert(0, str(REPO / "scripts" / "bench"))
import padding  # noqa: E402

CONVERTED = re.compile(r"(\d+) pages converted by a second process")


@pytest.fixture(scope="module")
def padded(tmp_path_factory) -> Path:
    """Enough cases that a cold build has more than MIN_PAGES generated pages to convert."""
    size = len(padding.real_case_files(REPO / "cases")) + MIN_PAGES // 2 + 20
    return padding.padded_project(tmp_path_factory.mktemp("ahead") / "handbook", size)


def _cold_build(project: Path, site: str, one_process: bool) -> str:
    shutil.rmtree(project / FOLDER, ignore_errors=True)
    env = dict(os.environ, HANDBOOK_ONE_PROCESS="1" if one_process else "0")
    result = subprocess.run([sys.executable, "-m", "handbook.cli", "build", "--site-dir", site], cwd=project,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_pages_converted_by_a_second_process_give_the_same_site(padded):
    assert not CONVERTED.search(_cold_build(padded, "site-one", one_process=True))
    converted = CONVERTED.search(_cold_build(padded, "site-two", one_process=False))
    assert converted and int(converted[1]) >= 20, "the second process converted (almost) nothing"
    assert tree_digest(padded / "site-two") == tree_digest(padded / "site-one")


def test_a_result_made_from_other_markdown_is_not_used(padded, tmp_path):
    """A hook changes case pages' Markdown after the worker was told what to convert: its results
    for those pages carry another key, so MkDocs converts them itself, with the hook's text."""
    project = tmp_path / "hooked"
    shutil.copytree(padded, project, ignore=shutil.ignore_patterns("site*", ".cache"))
    (project / "hook.py").write_text(
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    return markdown + '\\n\\n钩子标记七七\\n' if page.file.src_uri.startswith('cases/') else markdown\n",
        encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    converted = CONVERTED.search(_cold_build(project, "site-two", one_process=False))
    assert converted and int(converted[1]) > 0  # the pages the hook leaves alone still came from the worker
    case_pages = list((project / "site-two" / "cases").glob("syn-*/index.html"))
    assert case_pages and all("钩子标记七七" in page.read_text(encoding="utf-8") for page in case_pages)
    _cold_build(project, "site-one", one_process=True)
    assert tree_digest(project / "site-two") == tree_digest(project / "site-one")


def test_the_worker_dies_with_a_killed_build(padded, tmp_path):
    shutil.rmtree(padded / FOLDER, ignore_errors=True)
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")], cwd=padded,
                             env=dict(os.environ, NO_MKDOCS_2_WARNING="1", HANDBOOK_ONE_PROCESS="0"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        def worker() -> list[int]:
            return [pid for pid in children(build.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        wait_for(lambda: worker(), seconds=300, what="the worker to start", process=build)
        [pid] = worker()
        build.kill()
        build.wait()
        wait_for(lambda: not alive(pid), seconds=15, what="the worker to stop after the build was killed")
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
