"""`make serve` rebuilds only what changed (mkdocs_preview.py), yet after any sequence of saves every
served page is the page a cold `mkdocs build` of the same files writes.

Normalised, and only this: the live-reload script `mkdocs serve` adds before </body>. The cold
build is given the server's site_url (serve sets it to its own address), so canonical links,
the feed and the sitemap agree without rewriting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, copy_handbook

sys.path.insert(0, str(REPO / "scripts" / "bench"))

import edit_loop  # noqa: E402

WAIT_S = 240  # every wait has a limit
EPOCH = "1795392000"  # the same build date for the server and the cold build
_LIVERELOAD = re.compile(rb"<script>\s*var livereload = function.*?</script>(?=</body>)", re.S)


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()
    except OSError:
        return None


def _wait_for(url: str, condition, what: str) -> bytes:
    end = time.monotonic() + WAIT_S
    while True:
        body = _get(url)
        if body is not None and condition(body):
            return body
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.3)


def _save(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    time.sleep(0.7)  # the watcher polls every 0.5 s: one rebuild per save
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def server(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    port = edit_loop._free_port()
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(edit_loop.serve_command(port), cwd=project, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base, lambda body: True, "the first build")
        yield project, base
    finally:
        edit_loop._stop(process)
        log.close()


def test_served_pages_equal_a_cold_build_after_a_sequence_of_edits(server, tmp_path):
    project, base = server
    gucheng, chifeng = project / "cases" / "gucheng.yaml", project / "cases" / "chifeng.yaml"
    # a title (its page, the lists, facets, standards and home show it), then a sentence only its page shows
    _save(gucheng, "\ntitle: ", "\ntitle: 改标题一次，")
    _wait_for(base + "cases/", lambda b: "改标题一次".encode() in b, "the new title in the cases index")
    _save(chifeng, "\nsummary: >-\n  ", "\nsummary: >-\n  摘要改过一句。")
    _wait_for(base + "cases/chifeng/", lambda b: "摘要改过一句".encode() in b, "the new summary")
    # a broken record puts the error banner on every page; fixing it takes the banner away everywhere
    _save(gucheng, "  level: 县\n", "  level: 镇\n")
    _wait_for(base + "standards/", lambda b: b"hb-content-errors" in b, "the error banner")
    _save(gucheng, "  level: 镇\n", "  level: 县\n")
    _wait_for(base + "cases/gucheng/", lambda b: b"hb-content-errors" not in b, "recovery")

    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs-cold.yml").write_text(f"site_url: {base}\n" + config, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs-cold.yml", "-d", str(tmp_path / "cold")],
                   cwd=project, env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH), check=True, capture_output=True, timeout=WAIT_S)
    cold = sorted((tmp_path / "cold").rglob("*.html"))
    assert len(cold) > 30
    different = []
    for path in cold:
        address = path.relative_to(tmp_path / "cold").as_posix()
        served = _get(base + address)
        if served is None or _LIVERELOAD.sub(b"", served) != path.read_bytes():
            different.append(address)
    assert different == [], f"{len(different)} of {len(cold)} served pages differ from the cold build"
    # the search index is refreshed after the pages are served: it arrives, whole, within the wait
    index = sorted(p for p in (tmp_path / "cold" / "search").rglob("*") if p.is_file() and p.suffix != ".html")
    assert index
    for path in index:
        _wait_for(base + path.relative_to(tmp_path / "cold").as_posix(), lambda b, path=path: b == path.read_bytes(),
                  f"the refreshed search index ({path.name})")
    assert "改标题一次".encode() in (tmp_path / "cold" / "cases" / "index.html").read_bytes()  # the edits are in it
    # and the rebuilds were partial: the summary's save wrote its page, not the whole site
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    counts = [(int(w), int(k)) for w, k in re.findall(r"preview rebuild wrote (\d+) pages, kept (\d+)", log)]
    assert len(counts) >= 5 and counts[0][1] == 0 and any(0 < written < kept for written, kept in counts), counts
    assert "the search index of the previous build is served until the refreshed one is ready" in log


def test_a_kept_load_validates_again_only_the_files_that_changed(tmp_path):
    from handbook.errors import ContentErrors
    from handbook.load.loader import ParsedFiles, load_collection

    project = copy_handbook(tmp_path / "handbook")
    parsed = ParsedFiles()
    first = load_collection(project, parsed=parsed)
    gucheng = project / "cases" / "gucheng.yaml"
    good = gucheng.read_text(encoding="utf-8")
    gucheng.write_text(good.replace("\ntitle: ", "\ntitle: 改过，", 1), encoding="utf-8")
    second = load_collection(project, parsed=parsed)
    assert [c.model_dump() for c in second.cases] == [c.model_dump() for c in load_collection(project).cases]
    reused = {case.id for case in second.cases if any(case is old for old in first.cases)}
    assert reused == {case.id for case in first.cases} - {"gucheng"}
    gucheng.write_text(good.replace("  level: 县\n", "  level: 镇\n", 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as kept:
        load_collection(project, parsed=parsed)
    with pytest.raises(ContentErrors) as fresh:
        load_collection(project)
    assert str(kept.value) == str(fresh.value) and "organisation.level" in str(kept.value)


_REFRESH_THEN_WAIT = """
import sys, time
from pathlib import Path
from handbook.build_cache import BuildCache
from handbook.load.loader import load_collection
from handbook.mkdocs_search_refresh import SearchRefresh
refresh = SearchRefresh()
refresh._start(load_collection(Path(sys.argv[1])), True, BuildCache(Path(sys.argv[2])), 1)
while not refresh._executor._processes:
    time.sleep(0.05)
print(*refresh._executor._processes, flush=True)
time.sleep(600)
"""


def test_the_search_refresh_worker_dies_with_the_server(tmp_path):
    """A preview stopped by kill -9 (or a closed terminal) leaves no search worker behind."""
    server = subprocess.Popen([sys.executable, "-c", _REFRESH_THEN_WAIT, str(REPO), str(tmp_path / "cache")],
                              stdout=subprocess.PIPE, text=True)
    try:
        worker = int(server.stdout.readline())
        os.kill(worker, 0)  # running
    finally:
        server.kill()
        server.wait()
        server.stdout.close()
    end = time.monotonic() + 20
    while _alive(worker):
        assert time.monotonic() < end, f"search worker {worker} outlived the server"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent (init, here) has not read its status
