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
    # (left, right, baseline) of what a label must not cover: every dot, then the labels drawn so far
    placed: list[tuple[float, float, float]] = []
    for case in cases:
        x, y = project(case.location.coordinates.lat, case.location.coordinates.lon)
        placed.append((x - 7, x + 7, y + 4))
    for case in sorted(cases, key=lambda c: (-c.location.coordinates.lat, c.id)):
        x, y = project(case.location.coordinates.lat, case.location.coordinates.lon)
        place = case.location.county or case.location.city or case.location.province
        label = f"{place} · {case.model}"
        width = 13 * len(label)
        end = x > WIDTH * 0.6
        left, right = (x - 9 - width, x - 9) if end else (x + 9, x + 9 + width)
        baseline = _free_baseline(y + 4, left, right, placed)
        placed.append((left, right, baseline))
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


def _free_baseline(wanted: float, left: float, right: float, placed) -> float:
    """The nearest baseline to ``wanted`` whose label does not overlap one already drawn."""
    for shift in (0, 16, -16, 32, -32, 48, -48):
        candidate = wanted + shift
        if all(right < l or left > r or abs(candidate - b) >= 16 for l, r, b in placed):
            return candidate
    return wanted
