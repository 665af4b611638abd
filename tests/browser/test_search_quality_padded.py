"""QUALITY GATE for the search at 1,000 cases (issue 14): the seven real cases padded by distinct
synthetic ones (scripts/bench/padding.py), online and as the offline bundle. The thresholds and
the harness checks are in test_search_quality.py; this file stands alone so that a second test
worker can build the padded collection while the first runs everything else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO, run_handbook

from .conftest import serve
from .test_search_quality import _gate

sys.path.insert(0, str(REPO / "scripts" / "bench"))

PADDED_CASES = 1000


@pytest.fixture(scope="module")
def padded_handbook(tmp_path_factory) -> Path:
    """The real handbook with its seven cases padded to 1,000 by distinct synthetic ones."""
    import padding

    project = padding.padded_project(tmp_path_factory.mktemp("padded") / "handbook", PADDED_CASES)
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project


def test_quality_gate_padded_1000_online(context, padded_handbook, artifacts):
    with serve(padded_handbook / "site") as url:
        _gate(context, url, f"online, {PADDED_CASES:,} cases (7 real + padding)", artifacts)


def test_quality_gate_padded_1000_offline(context, padded_handbook, artifacts, tmp_path_factory):
    """The same 1,000 cases as the offline bundle a reader unzips and opens from file://."""
    import zipfile

    zip_path = tmp_path_factory.mktemp("padded-offline") / "handbook-offline.zip"
    result = run_handbook("offline", "--zip", str(zip_path), cwd=padded_handbook)
    assert result.returncode == 0, result.stderr[-3000:]
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(zip_path.parent / "unzipped")
    site = zip_path.parent / "unzipped" / "handbook"
    _gate(context, site.as_uri() + "/", f"offline bundle (file://), {PADDED_CASES:,} cases", artifacts)
