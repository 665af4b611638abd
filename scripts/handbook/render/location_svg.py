"""Where the cases are: a schematic chart of their coordinates, drawn as SVG at build time.

Deliberately not a map. Publishing a map of China with national or provincial
boundaries requires an approved standard map (审图号) under the 地图管理条例, and an
unofficial outline on a government handbook is a liability. So the chart draws a
latitude/longitude grid and places each case by its coordinates, with no boundary
lines; the table on the same page is its text equivalent. No tile server, no script.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from .urls import case_src, relative_url

# Longitude/latitude window covering the mainland, Hainan and the north-east.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 73.0, 135.0, 17.0, 54.0
WIDTH = 640
SCALE = WIDTH / ((LON_MAX - LON_MIN) * math.cos(math.radians((LAT_MIN + LAT_MAX) / 2)))
HEIGHT = round((LAT_MAX - LAT_MIN) * SCALE)


def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular projection scaled at the window's middle latitude."""
    x = (lon - LON_MIN) / (LON_MAX - LON_MIN) * WIDTH
    y = (LAT_MAX - lat) * SCALE
    return round(x, 1), round(y, 1)


def location_svg(cases, page_src: str, directory_urls: bool) -> Markup:
    parts = []
    for lon in range(80, 135, 10):
        x, _ = project(LAT_MIN, lon)
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{HEIGHT}" class="hb-grid"/>')
        parts.append(f'<text x="{x + 3}" y="{HEIGHT - 6}" class="hb-grid-label">东经{lon}°</text>')
    for lat in range(20, 54, 10):
        _, y = project(lat, LON_MIN)
        parts.append(f'<line x1="0" y1="{y}" x2="{WIDTH}" y2="{y}" class="hb-grid"/>')
        parts.append(f'<text x="4" y="{y - 4}" class="hb-grid-label">北纬{lat}°</text>')
    # what a label must not cover: every dot, then the labels drawn so far
    placed = _PlacedBoxes()
    for case in cases:
        x, y = project(case.location.coordinates.lat, case.location.coordinates.lon)
        placed.add(x - 7, x + 7, y + 4)
    for case in sorted(cases, key=lambda c: (-c.location.coordinates.lat, c.id)):
        x, y = project(case.location.coordinates.lat, case.location.coordinates.lon)
        place = case.location.county or case.location.city or case.location.province
        label = f"{place} · {case.model}"
        width = 13 * len(label)
        end = x > WIDTH * 0.6
        left, right = (x - 9 - width, x - 9) if end else (x + 9, x + 9 + width)
        baseline = _free_baseline(y + 4, left, right, placed)
        placed.add(left, right, baseline)
        href = escape(relative_url(page_src, case_src(case.id), directory_urls))
        leader = ""
        if baseline != y + 4:  # the label had to move: join it to its dot
            lx = right + 3 if end else left - 3
            leader = f'<line x1="{x}" y1="{y}" x2="{lx}" y2="{baseline - 4}" class="hb-leader"/>'
        parts.append(
            f'<a href="{href}"><title>{escape(case.title)}</title>{leader}'
            f'<circle cx="{x}" cy="{y}" r="6" class="hb-dot"/>'
            f'<text x="{right if end else left}" y="{baseline}" text-anchor="{"end" if end else "start"}" '
            f'class="hb-dot-label">{escape(label)}</text></a>'
        )
    label = escape(f"案例位置示意图：{len(cases)}个案例按经纬度标注，不含行政区划界线；文字列表见下表")
    return Markup(
        f'<svg class="hb-locations" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{label}"><title>{label}</title>{"".join(parts)}</svg>'
    )


LINE = 16  # labels whose baselines are closer than this overlap if their extents meet
_COLUMN = 128  # width of a grid cell; any width gives the same answers, this one keeps cells small


def _free_baseline(wanted: float, left: float, right: float, placed: _PlacedBoxes) -> float:
    """The nearest baseline to ``wanted`` whose label does not overlap one already drawn."""
    for shift in (0, LINE, -LINE, 2 * LINE, -2 * LINE, 3 * LINE, -3 * LINE):
        candidate = wanted + shift
        if not placed.overlaps(left, right, candidate):
            return candidate
    return wanted


class _PlacedBoxes:
    """The (left, right, baseline) boxes placed so far, filed in a grid of LINE-high rows and
    _COLUMN-wide columns, so a new label is checked against its neighbours only instead of against
    every label (which made the chart quadratic: 18.9 s at 10,000 cases). Two boxes overlap when
    their extents meet and their baselines are less than LINE apart; such a box always shares a
    column with the new one and lies in its row or an adjacent one, so the answers are exactly
    those of the full scan."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[tuple[float, float, float]]] = {}

    def add(self, left: float, right: float, baseline: float) -> None:
        row = math.floor(baseline / LINE)
        for column in range(math.floor(left / _COLUMN), math.floor(right / _COLUMN) + 1):
            self._cells.setdefault((row, column), []).append((left, right, baseline))

    def overlaps(self, left: float, right: float, baseline: float) -> bool:
        row = math.floor(baseline / LINE)
        for column in range(math.floor(left / _COLUMN), math.floor(right / _COLUMN) + 1):
            for near in (row - 1, row, row + 1):
                for l, r, b in self._cells.get((near, column), ()):
                    if not (right < l or left > r or abs(baseline - b) >= LINE):
                        return True
        return False
