"""The shortcuts that keep large collections linear give exactly what the plain definitions give."""

from __future__ import annotations

import random

from handbook.render.location_svg import LINE, _PlacedBoxes
from handbook.search.t2s_map import t2s_map


def _overlaps_any(left, right, baseline, boxes) -> bool:
    """The definition: a label overlaps a placed box when their extents meet and their baselines are close."""
    return any(not (right < l or left > r or abs(baseline - b) >= LINE) for l, r, b in boxes)


def test_label_grid_answers_like_a_scan_of_every_placed_label():
    rng = random.Random(19)
    grid, boxes = _PlacedBoxes(), []
    for _ in range(3000):
        # dense clusters, negative coordinates, boxes wider than a grid cell, baselines on cell edges
        left = rng.choice([rng.uniform(-300, 900), 300.0, 128.0 * rng.randint(-2, 6)])
        right = left + rng.choice([0.0, 14.0, rng.uniform(1, 400)])
        baseline = rng.choice([rng.uniform(-20, 500), 16.0 * rng.randint(0, 30), 16.0 * rng.randint(0, 30) + 0.1])
        assert grid.overlaps(left, right, baseline) == _overlaps_any(left, right, baseline, boxes)
        if rng.random() < 0.5:
            grid.add(left, right, baseline)
            boxes.append((left, right, baseline))


def test_traditional_map_covers_each_han_character_once_whatever_the_repetition():
    assert t2s_map("联合党委" * 1000 + "abc，。") == t2s_map("联合党委")
    assert t2s_map("联合党委")["聯"] == "联" and "a" not in t2s_map("abc")


def test_an_edition_counts_a_record_added_and_revised_in_it_once_as_added():
    import datetime as dt
    from types import SimpleNamespace as Record

    from handbook.model.edition import edition_counts

    def history(*entries):
        return [Record(change=change, date=dt.date(2026, month, 1)) for change, month in entries]

    first, second = Record(date=dt.date(2026, 3, 1)), Record(date=dt.date(2026, 9, 1))
    old = Record(id="old", history=history(("added", 1), ("updated", 5)))
    new = Record(id="new", history=history(("added", 4), ("updated", 6)))
    twin = Record(id="new", history=history(("added", 4), ("updated", 6)))  # equal fields, another record
    counts = edition_counts(second, [old, new, twin], [], previous=first)
    assert counts.cases == 3 and counts.added == [new, twin]
    assert [r.id for r in counts.updated] == ["old"]
