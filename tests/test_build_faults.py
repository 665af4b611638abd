"""Builds under faults (issue 12, L2): kill -9, two builds at once, a full disk.

Every test works on a copy of a small built project in a temp folder. The promise: at every
instant `site/` is the previous complete site or the new complete one, never missing or
half-written; what a killed build leaves behind is removed by the next one.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock

from conftest import FIXTURE_PROJECT
from test_output_safety import snapshot
import handbook.atomic_output as atomic_output
from handbook.output_guard import MARKER

REPO = Path(__file__).resolve().parent.parent
HANDBOOK = [sys.executable, "-m", "handbook.cli"]


@pytest.fixture(scope="module")
def small_built(tmp_path_factory) -> Path:
    """The fixture project (one case, one standard) with the handbook's site configuration, built
    once: the faults are about folders and processes, not content, so the smallest site will do."""
    project = tmp_path_factory.mktemp("faults") / "handbook"
    shutil.copytree(FIXTURE_PROJECT, project)
    for name in ("mkdocs.yml", "docs", "overrides"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, project / name)
    result = subprocess.run([*HANDBOOK, "build"], cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(small_built, tmp_path) -> Path:
    """A copy of a project with a built site/ (made by `handbook build`, so it carries the marker)."""
    target = tmp_path / "handbook"
    shutil.copytree(small_built, target, symlinks=True)
    assert (target / "site" / MARKER).is_file()
    # A build started with PAUSED says so in a file, then holds its finished staging folder for
    # a while, so a test kills it at a known point instead of racing it (mkdocs writes the small
    # site in well under a second, so polling for its files missed the window on a fast machine).
    (target / "pause_hook.py").write_text(
        "import os, time\nfrom pathlib import Path\n\n\ndef on_post_build(config, **kwargs):\n"
        "    if float(os.environ.get('HANDBOOK_TEST_PAUSE', '0')):\n"
        "        Path(config['config_file_path']).with_name('build-paused').write_text(config['site_dir'])\n"
        "        time.sleep(float(os.environ['HANDBOOK_TEST_PAUSE']))\n", encoding="utf-8")
    with (target / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - pause_hook.py\n")
    return target


PAUSED = dict(os.environ, HANDBOOK_TEST_PAUSE="120")


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".site.new-", ".site.old-")))


def wait_for(condition, seconds: float = 300, what: str = "", process: subprocess.Popen | None = None) -> None:
    """Poll until condition() holds; fail if it takes too long or `process` ends first."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        assert process is None or process.poll() is None, f"the build ended (exit {process.returncode}) before {what}"
        time.sleep(0.02)


def build_paused(project: Path) -> bool:
    """The paused build has written its whole site into a staging folder and not yet swapped it in."""
    flag = project / "build-paused"
    return flag.is_file() and Path(flag.read_text(encoding="utf-8")).name.startswith(".site.new-")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped running


def test_kill_9_during_a_build_keeps_the_site_and_the_next_build_cleans_up(project):
    before = snapshot(project / "site")
    build = subprocess.Popen([*HANDBOOK, "build"], cwd=project, start_new_session=True, env=PAUSED,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: build_paused(project), what="the build to pause before its swap", process=build)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert snapshot(project / "site") == before
    assert leftovers(project), "the kill should have left a staging folder to clean"
    again = subprocess.run([*HANDBOOK, "build"], cwd=project, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert leftovers(project) == []
    assert (project / "site" / "index.html").is_file()


def test_sigterm_stops_the_build_and_removes_its_staging(project):
    before = snapshot(project / "site")
    build = subprocess.Popen([*HANDBOOK, "build"], cwd=project, start_new_session=True, env=PAUSED,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: build_paused(project), what="the build to pause before its swap", process=build)
        mkdocs = children(build.pid)
        build.terminate()
        assert build.wait(timeout=60) == 128 + signal.SIGTERM
        assert not any(alive(pid) for pid in mkdocs)
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert snapshot(project / "site") == before and leftovers(project) == []


def sigterm_pending_or_stopped(pid: int) -> bool:
    """SIGTERM is queued for the paused process, or it has already ended: when handbook dies, its
    process group is orphaned with a stopped member, and the kernel also sends it SIGHUP and
    SIGCONT (POSIX), so on a busy machine the child may be gone before the test looks."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if fields["State"].split()[0] in ("Z", "X"):
        return True
    return bool(int(fields["ShdPnd"].split()[0], 16) & (1 << (signal.SIGTERM - 1)))


def test_kill_9_of_handbook_alone_stops_its_mkdocs_child(project):
    """The child is paused first, so the test does not race the build: the kernel must have
    queued SIGTERM for it when handbook died (it runs once continued, and stops the build)."""
    build = subprocess.Popen([*HANDBOOK, "build"], cwd=project, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: any(b"handbook.build" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children(build.pid)),
                 what="the mkdocs child to start")
        [mkdocs] = children(build.pid)
        os.kill(mkdocs, signal.SIGSTOP)
        build.kill()
        build.wait()
        wait_for(lambda: sigterm_pending_or_stopped(mkdocs), seconds=10, what="SIGTERM for the orphaned mkdocs")
        try:
            os.kill(mkdocs, signal.SIGCONT)
        except ProcessLookupError:
            pass
        wait_for(lambda: not alive(mkdocs), seconds=15, what="the orphaned mkdocs to stop")
        assert not any((p / "sitemap.xml").exists() for p in project.glob(".site.new-*")), "the orphan finished the build"
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_kill_right_after_the_swap_leaves_the_new_site(tmp_path):
    """The only window left: the swap is done, the old version not yet removed."""
    target = tmp_path / "site"
    target.mkdir()
    (target / MARKER).write_text("", encoding="utf-8")
    (target / "index.html").write_text("old", encoding="utf-8")
    script = (
        "import os, signal, sys, types\n"
        "from pathlib import Path\n"
        "import handbook.atomic_output as a\n"
        "a.shutil = types.SimpleNamespace(rmtree=lambda *args, **kw: os.kill(os.getpid(), signal.SIGKILL))\n"
        "a.replace_folder(Path(sys.argv[1]), 'build', lambda s: (s / 'index.html').write_text('new') > 0)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(target)], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    stale = list(tmp_path.glob(".site.new-*"))
    assert [(p / "index.html").read_text(encoding="utf-8") for p in stale] == ["old"]
    assert atomic_output.replace_folder(target, "build", lambda s: (s / "index.html").write_text("newer") > 0)
    assert (target / "index.html").read_text(encoding="utf-8") == "newer"
    assert list(tmp_path.glob(".site.*-*")) == []


def test_a_site_lost_by_an_older_two_rename_build_is_restored(tmp_path):
    """The old code could be killed between its two renames: no site/, only .site.old-PID."""
    old = tmp_path / ".site.old-4242"
    old.mkdir()
    (old / "index.html").write_text("last good site", encoding="utf-8")
    assert not atomic_output.replace_folder(tmp_path / "site", "build", lambda staging: False)  # a failed build
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "last good site"
    assert not old.exists()


def swap_many_times_while_reading(target: Path, swaps: int = 300) -> int:
    """How often a reader polling target/index.html found it missing during `swaps` swaps."""
    write = lambda staging: (staging / "index.html").write_text("x") > 0  # noqa: E731
    atomic_output.replace_folder(target, "build", write)
    stop, misses = threading.Event(), []

    def read() -> None:
        while not stop.is_set():
            if not os.path.exists(target / "index.html"):
                misses.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(swaps):
            atomic_output.replace_folder(target, "build", write)
    finally:
        stop.set()
        reader.join()
    return len(misses)


def test_a_reader_never_finds_the_site_missing(tmp_path, monkeypatch):
    assert swap_many_times_while_reading(tmp_path / "site") == 0
    # The control shows what the test guards against: with two renames (the old way, and the
    # fallback where renameat2 is missing) there is a moment with no site. Checked after every
    # rename rather than by a racing reader, so it does not depend on the machine's load.
    def no_exchange(a, b):
        raise OSError(errno.ENOSYS, "renameat2 is not available")

    target, seen, real_rename = tmp_path / "other", [], Path.rename
    atomic_output.replace_folder(target, "build", lambda staging: (staging / "index.html").write_text("x") > 0)

    def watching_rename(self, destination):
        result = real_rename(self, destination)
        seen.append((target / "index.html").exists())
        return result

    monkeypatch.setattr(atomic_output, "_exchange", no_exchange)
    monkeypatch.setattr(Path, "rename", watching_rename)
    atomic_output.replace_folder(target, "build", lambda staging: (staging / "index.html").write_text("y") > 0)
    assert False in seen, "two renames should leave a moment without the site"


def test_a_second_build_waits_for_the_first(project):
    before = snapshot(project / "site")
    lines: list[str] = []
    with FileLock(project / ".site.lock"):  # a build in progress
        second = subprocess.Popen([*HANDBOOK, "build"], cwd=project, stderr=subprocess.PIPE, text=True,
                                  stdout=subprocess.DEVNULL, start_new_session=True)
        reader = threading.Thread(target=lambda: lines.extend(second.stderr))
        reader.start()
        try:
            wait_for(lambda: any("waiting for another handbook command" in l for l in lines), seconds=60, what="the wait message")
            time.sleep(1)
            assert second.poll() is None, "the second build did not wait"
            assert snapshot(project / "site") == before and leftovers(project) == []
        except BaseException:
            os.killpg(second.pid, signal.SIGKILL)
            raise
    assert second.wait(timeout=600) == 0, "".join(lines)
    reader.join()
    second.stderr.close()
    assert leftovers(project) == []


def test_two_builds_at_once_both_succeed(project):
    builds = [subprocess.Popen([*HANDBOOK, "build"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True) for _ in range(2)]
    results = [(b.returncode, err) for b in builds for _, err in [b.communicate(timeout=600)]]
    assert [code for code, _ in results] == [0, 0], results
    assert "Traceback" not in "".join(err for _, err in results)
    assert (project / "site" / "index.html").is_file() and leftovers(project) == []


def test_a_full_disk_is_one_line_and_keeps_the_site(project):
    """RLIMIT_FSIZE makes every write past 300 KB fail with an OSError, as a full disk does."""
    before = snapshot(project / "site")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error instead of a kill

    result = subprocess.run([*HANDBOOK, "build"], cwd=project, capture_output=True, text=True, timeout=600,
                            preexec_fn=small_files)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: [Errno 27] File too large" in result.stderr
    assert result.stderr.rstrip().endswith("site was left as it was")
    assert snapshot(project / "site") == before and leftovers(project) == []


def test_no_space_while_staging_leaves_the_old_version(tmp_path):
    target = tmp_path / "data"
    assert atomic_output.replace_folder(target, "export", lambda s: (s / "a.csv").write_text("old") > 0)

    def full(staging: Path) -> bool:
        (staging / "a.csv").write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        atomic_output.replace_folder(target, "export", full)
    assert (target / "a.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".data.lock", "data"]


def test_the_cli_reports_an_os_error_in_one_line(project, monkeypatch, capsys):
    import handbook.build
    from handbook.cli import main

    def no_space(root, site_dir):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(handbook.build, "build_site", no_space)
    assert main(["build", "--root", str(project)]) == 1
    assert capsys.readouterr().err == "error: [Errno 28] No space left on device\n"


def test_make_clean_removes_hidden_staging_folders(tmp_path):
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    for folder in ("site", ".site.new-abc123", ".site.old-42", "dist/.data.new-x"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.html").write_text("x")
    (tmp_path / ".site.lock").write_text("")
    (tmp_path / "keep.txt").write_text("x")
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile", "keep.txt"]
