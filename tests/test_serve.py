"""`mkdocs serve` survives a broken record: it keeps answering, shows the errors, recovers."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_handbook

REQUEST_TIMEOUT = 15  # seconds: a page must answer within this even while a record is broken
BANNER = "hb-content-errors"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _wait_for(url: str, condition, what: str, deadline: float = 240) -> str:
    """Poll ``url`` until ``condition(status, html)``; every request must answer in time."""
    end = time.monotonic() + deadline
    while True:
        started = time.monotonic()
        status, html = _get(url)  # raises (socket timeout) if the server hangs
        assert time.monotonic() - started < REQUEST_TIMEOUT
        if condition(status, html):
            return html
        assert time.monotonic() < end, f"timed out waiting for {what}; last answer {status}"
        time.sleep(1)


@pytest.fixture
def serve(tmp_path):
    """Start `mkdocs serve --strict` on a copy of the handbook; yield (project, base url)."""
    project = copy_handbook(tmp_path / "handbook")
    processes = []

    def start():
        port = _free_port()
        log = (tmp_path / f"serve-{port}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
                                   cwd=project, stdout=log, stderr=subprocess.STDOUT)
        processes.append((process, log))
        base = f"http://127.0.0.1:{port}/"
        end = time.monotonic() + 240
        while True:
            assert process.poll() is None, (tmp_path / f"serve-{port}.log").read_text()
            try:
                _get(base)
                return base
            except OSError:
                assert time.monotonic() < end, "mkdocs serve did not start"
                time.sleep(1)

    yield project, start
    for process, log in processes:
        process.send_signal(signal.SIGINT)  # Ctrl-C: mkdocs serve removes its site folder in /tmp (SIGTERM leaves it)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _break(path: Path) -> str:
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("  level: 县\n", "  level: 镇\n", 1), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != good
    return good


def test_serve_keeps_the_last_good_site_and_shows_errors(serve):
    project, start = serve
    base = start()
    record = project / "cases" / "gucheng.yaml"
    assert BANNER not in _wait_for(base + "cases/gucheng/", lambda s, h: s == 200, "the first build")
    good = _break(record)
    html = _wait_for(base + "cases/gucheng/", lambda s, h: BANNER in h, "the error banner")
    assert "cases/gucheng.yaml:8: organisation.level: expected one of" in html  # the line validate prints
    assert "谷城" in html and "上一次正确保存" in html  # the last good page, still served
    status, index = _get(base)
    assert status == 200 and BANNER in index
    status, missing = _get(base + "no-such-page/")  # the 404 page is a page too
    assert status == 404 and BANNER in missing
    record.write_text(good, encoding="utf-8")
    _wait_for(base + "cases/gucheng/", lambda s, h: s == 200 and BANNER not in h, "recovery")


def test_serve_starts_with_a_broken_record_and_recovers(serve):
    project, start = serve
    record = project / "cases" / "gucheng.yaml"
    good = _break(record)
    base = start()
    html = _wait_for(base, lambda s, h: BANNER in h, "the error banner")
    assert "organisation.level" in html and "还没有能显示的内容" in html
    record.write_text(good, encoding="utf-8")
    _wait_for(base + "cases/gucheng/", lambda s, h: s == 200 and BANNER not in h, "recovery")
