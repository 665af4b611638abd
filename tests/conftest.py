"""Shared fixtures: throwaway copies of the fixture project and of the real handbook."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent  # the project root
FIXTURE_PROJECT = Path(__file__).resolve().parent / "fixtures" / "project"
SITE_INPUTS = ("mkdocs.yml", "docs", "cases", "standards", "overrides")

os.environ["NO_MKDOCS_2_WARNING"] = "1"


# each builds 1,000 cases and runs a gate of 214 queries in chromium
LONGEST_FIRST = ("tests/browser/test_search_quality_padded_offline.py", "tests/browser/test_search_quality_padded.py")


def pytest_collection_modifyitems(items):
    """The longest test files first: under several workers (`make test`) each takes one at once
    and they share the rest, instead of one worker running a long file alone at the end."""
    items.sort(key=lambda item: next((i for i, name in enumerate(LONGEST_FIRST) if item.nodeid.startswith(name)), len(LONGEST_FIRST)))


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture
def fixture_project(tmp_path) -> Path:
    """A copy of tests/fixtures/project: one valid sample case and its source."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, target)
    return target


def copy_handbook(target: Path) -> Path:
    """A copy of everything the real site is built from."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        source = REPO / name
        if source.is_dir():  # an editor's unfinished drafts (git-ignored) are no part of the site
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("drafts") if name == "cases" else None)
        elif source.is_file():
            shutil.copy(source, target / name)
    return target


def set_plugin_options(project: Path, **options) -> Path:
    """Give the handbook plugin ``options`` in the project's mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines(keepends=True) if l.startswith("  - handbook"))
    block = "  - handbook:\n" + "".join(f"      {key}: {value}\n" for key, value in options.items())
    config.write_text(text.replace(line, block, 1), encoding="utf-8")
    return project


@pytest.fixture
def handbook_copy(tmp_path) -> Path:
    return copy_handbook(tmp_path / "handbook")


@pytest.fixture(scope="session")
def built_handbook(tmp_path_factory) -> Path:
    """The real handbook, built once per test session into a temp copy (site/ inside it).
    The build must not write into what it is built from."""
    project = copy_handbook(tmp_path_factory.mktemp("build") / "handbook")
    inputs = [project / name for name in ("docs", "cases", "standards")]
    before = [tree_digest(folder) for folder in inputs]
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert [tree_digest(folder) for folder in inputs] == before, "the build wrote into docs/, cases/ or standards/"
    return project


def tree_digest(folder: Path) -> list[tuple[str, str]]:
    """(relative path, sha256) of every file under folder, sorted."""
    return sorted((p.relative_to(folder).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
                  for p in folder.rglob("*") if p.is_file())


def run_handbook(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed ``handbook`` command as an editor would."""
    return subprocess.run([sys.executable, "-m", "handbook.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600)
