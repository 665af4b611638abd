"""The edit loop of issue 19, measured with a real `mkdocs serve`: from saving one case record to the
moment every served page that shows the changed text shows the new text.

The server is started with the command of `make serve` (SERVE_ARGS; tests/test_bench.py checks the
Makefile uses the same), on a project that may be any size. Each edit changes the case's title,
which its own page shows and so do the lists, facets, standards, home and the other pages that
name the case: the pages checked are every generated page whose Markdown holds the old title,
found from the records before the server starts. Every wait has a limit, every request a
timeout, and the server's whole process group is stopped even when something fails.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from handbook.load.loader import load_collection  # noqa: E402
from handbook.render import urls  # noqa: E402
from handbook.render.pages import render_pages  # noqa: E402

# `make serve` runs `mkdocs serve` with these arguments and `-a 127.0.0.1:8000`.
SERVE_ARGS = ("serve", "--strict", "--dirty")
# Marks that make each edit's title different (CJK and digits: no renderer escapes them); each run
# adds a number of its own, so no build cache has seen the edited text before (an editor's never has).
EDIT_MARKS = ("计时修改甲", "计时修改乙", "计时修改丙", "计时修改丁", "计时修改戊")
_TITLE_LINE = re.compile(r"^title: (.*)$", re.M)


class EditLoop(NamedTuple):
    runs: list[float]  # seconds from each save to the last checked page showing the edit
    pages: list[str]  # the addresses checked after each edit (the case page first)
    cpu: list[float | None]  # CPU seconds the server process spent meanwhile (None: not on Linux);
    # on a shared machine the wall time depends on the neighbours, this much less

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def serve_command(port: int) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *SERVE_ARGS, "-a", f"127.0.0.1:{port}"]


def measure_edit_loop(project: Path, case_id: str, edits: int = 3, start_timeout: float = 600,
                      edit_timeout: float = 300, log: Path | None = None) -> EditLoop:
    """Start `mkdocs serve` on ``project``, change the title of case ``case_id`` ``edits`` times
    (waiting for each to show), stop the server; the seconds each edit took to show everywhere.

    Raises TimeoutError when the server does not start or an edit does not show in time."""
    if not 1 <= edits <= len(EDIT_MARKS):
        raise ValueError(f"expected 1 to {len(EDIT_MARKS)} edits, got {edits}")
    record = project / "cases" / f"{case_id}.yaml"
    original = record.read_text(encoding="utf-8")
    title = _title(original)
    addresses = pages_showing(project, case_id, title)
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1795392000"))
    with (open(log, "w") if log else tempfile.TemporaryFile("w+")) as output:
        server = subprocess.Popen(serve_command(port), cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # its own process group: stopped whole below
        try:
            base = f"http://127.0.0.1:{port}/"
            _wait_until_serving(server, base + addresses[0], start_timeout)
            runs, cpu = [], []
            run_number = random.randrange(10 ** 6)
            for mark in (f"{m}{run_number:06d}" for m in EDIT_MARKS[:edits]):
                edited = _with_title(original, f"{title}（{mark}）")
                time.sleep(0.7)  # the watcher polls every 0.5 s: the previous save must not merge with this one
                before = _cpu_seconds(server.pid)
                record.write_text(edited, encoding="utf-8")
                saved = time.perf_counter()
                _wait_for_text([base + a for a in addresses], mark, saved + edit_timeout, server)
                runs.append(time.perf_counter() - saved)
                after = _cpu_seconds(server.pid)
                cpu.append(None if before is None or after is None else after - before)
        finally:
            _stop(server)
            record.write_text(original, encoding="utf-8")
    return EditLoop(runs, addresses, cpu)


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process so far (Linux /proc), None where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def pages_showing(project: Path, case_id: str, title: str) -> list[str]:
    """The served addresses of the generated pages whose Markdown holds ``title``, the case's page first."""
    own = urls.case_src(case_id)
    found = [page.src_uri for page in render_pages(load_collection(project))
             if page.src_uri.endswith(".md") and isinstance(page.content, str) and title in page.content]
    if own not in found:
        raise ValueError(f"{own} does not show the title {title!r}: pick a title its page shows verbatim")
    return [urls.page_url(src, True) for src in [own, *sorted(set(found) - {own})]]


def _title(text: str) -> str:
    import yaml

    match = _TITLE_LINE.search(text)
    if match is None:
        raise ValueError("expected a top-level `title:` line in the record")
    return str(yaml.safe_load(match.group(1)))


def _with_title(text: str, title: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar
    return _TITLE_LINE.sub(lambda _: "title: " + json.dumps(title, ensure_ascii=False), text, count=1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float) -> str | None:
    """The page's text, or None while the server refuses or answers with an error."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError:
        return None
    except OSError:  # refused (not listening yet) or timed out
        return None


def _wait_until_serving(server: subprocess.Popen, url: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while _get(url, timeout=30) is None:
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {server.returncode}")
        if time.monotonic() > end:
            raise TimeoutError(f"mkdocs serve did not serve {url} within {timeout:.0f} s")
        time.sleep(0.5)


def _wait_for_text(pages: list[str], text: str, deadline: float, server: subprocess.Popen) -> None:
    """Poll each page until it holds ``text`` (MkDocs holds a request while it rebuilds)."""
    waiting = list(pages)
    while waiting:
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {server.returncode}")
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(f"{len(waiting)} page(s) did not show the edit in time, first {waiting[0]}")
        html = _get(waiting[0], timeout=max(1.0, left))
        if html is not None and text in html:
            waiting.pop(0)
        else:
            time.sleep(0.05)


def _stop(server: subprocess.Popen) -> None:
    """Stop the server's whole process group: Ctrl-C first (mkdocs serve then removes its temporary
    site folder, which SIGTERM would leave in /tmp), SIGKILL after 20 s."""
    try:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:  # already gone, with its group
        server.wait()
