"""Charts drawn as SVG at build time: they work offline, print sharply and load no library.

Every chart is paired on its page with a table of the same numbers (the text equivalent).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .escaping import format_number

ROW = 26
LABEL_WIDTH = 170
BAR_WIDTH = 380
WIDTH = LABEL_WIDTH + BAR_WIDTH + 60


def bar_chart(items: list[tuple[str, float]], title: str, unit: str = "", notes: dict[str, list[str]] | None = None) -> Markup:
    """Horizontal bars, one per (label, value), longest value first as given.

    ``notes`` (label → explanations) mark a bar whose label is an inference: the label gets a
    visible ※ and the explanation goes into the bar's title (hover, tap, screen readers)."""
    notes = notes or {}
    top = max((value for _, value in items), default=0) or 1
    height = ROW * len(items) + 10
    parts = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * ROW
        width = max(2, round(value / top * BAR_WIDTH))
        short = label if len(label) <= 11 else label[:10] + "…"
        note = "；".join(notes.get(label, []))
        mark, explained = ("※", f"（{note}）") if note else ("", "")
        tip = f"<title>{escape(label)}：{escape(format_number(value))}{escape(unit)}{escape(explained)}</title>"
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" class="hb-chart-label">{tip if note else ""}{escape(short)}{mark}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{ROW - 8}" class="hb-chart-bar">{tip}</rect>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 17}" class="hb-chart-value">{escape(format_number(value))}{escape(unit)}</text>')
    return _svg(title, height, parts)


def series_chart(points: list[tuple[str, float, str]], title: str, unit: str) -> Markup:
    """One quantity at several dates: (date label, value, figure as written) as vertical bars."""
    top = max(value for _, value, _ in points) or 1
    plot, column = 160, 90
    width = max(WIDTH // 2, 60 + column * len(points))
    parts = []
    for i, (label, value, written) in enumerate(points):
        x = 40 + i * column
        bar = max(2, round(value / top * plot))
        parts.append(f'<rect x="{x}" y="{20 + plot - bar}" width="{column - 30}" height="{bar}" class="hb-chart-bar"><title>{escape(label)}：{escape(written)}</title></rect>')
        parts.append(f'<text x="{x + (column - 30) / 2}" y="{14 + plot - bar}" text-anchor="middle" class="hb-chart-value">{escape(written)}</text>')
        parts.append(f'<text x="{x + (column - 30) / 2}" y="{plot + 40}" text-anchor="middle" class="hb-chart-label">{escape(label)}</text>')
    return _svg(f"{title}（{unit}）", plot + 50, parts, width)


def _svg(title: str, height: int, parts: list[str], width: int = WIDTH) -> Markup:
    label = escape(f"图：{title}。数字见下表")
    return Markup(
        f'<svg class="hb-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{label}"><title>{label}</title>{"".join(parts)}</svg>'
    )
