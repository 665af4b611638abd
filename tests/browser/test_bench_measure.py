"""The benchmark's download measurement (it never runs in CI, but its measuring code does)."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts" / "bench"))

import run as bench  # noqa: E402


def test_first_search_downloads_are_measured_for_both_engines(built_handbook, pagefind_handbook):
    material_raw, material_gz, material = bench.first_search_bytes(built_handbook / "site")
    pagefind_raw, pagefind_gz, pagefind = bench.first_search_bytes(pagefind_handbook / "site")
    assert (material, pagefind) == ("material", "pagefind")
    index = (built_handbook / "site" / "search" / "search_index.json").stat().st_size
    assert material_raw > index  # Material's search needs its whole index first
    assert 0 < material_gz < material_raw and 0 < pagefind_gz < pagefind_raw
    wasm = next((pagefind_handbook / "site" / "pagefind").glob("wasm.*.pagefind")).stat().st_size
    assert pagefind_raw > wasm
