"""QUALITY GATE for the search at 1,000 cases (issue 14), in the offline bundle a reader unzips
and opens from file://. The same padded collection as test_search_quality_padded.py."""

from __future__ import annotations

import zipfile

from conftest import run_handbook

from .test_search_quality import _gate
from .test_search_quality_padded import PADDED_CASES, padded_project


def test_quality_gate_padded_1000_offline(watched_context, artifacts, tmp_path):
    project = padded_project(tmp_path)
    zip_path = tmp_path / "handbook-offline.zip"
    result = run_handbook("offline", "--zip", str(zip_path), cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "unzipped")
    site = tmp_path / "unzipped" / "handbook"
    _gate(watched_context, site.as_uri() + "/", f"offline bundle (file://), {PADDED_CASES:,} cases", artifacts)
