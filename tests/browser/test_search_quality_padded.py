"""QUALITY GATE for the search at 1,000 cases (issue 14), online: the seven real cases padded by
distinct synthetic ones (scripts/bench/padding.py). The thresholds and the harness checks are in
test_search_quality.py; the offline bundle's gate is test_search_quality_padded_offline.py. Each
gate builds its own edition of the padded collection, so two test workers run them side by side.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO, run_handbook

from .conftest import serve
from .test_search_quality import GATE_CACHE_SECONDS, _gate

sys.path.insert(0, str(REPO / "scripts" / "bench"))

PADDED_CASES = 1000


def padded_project(folder: Path) -> Path:
    """The real handbook with its seven cases padded to 1,000 by distinct synthetic ones."""
    import padding

    return padding.padded_project(folder / "handbook", PADDED_CASES)


def test_quality_gate_padded_1000_online(watched_context, artifacts, tmp_path):
    project = padded_project(tmp_path)
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    with serve(project / "site", cache_seconds=GATE_CACHE_SECONDS) as url:
        _gate(watched_context, url, f"online, {PADDED_CASES:,} cases (7 real + padding)", artifacts)
