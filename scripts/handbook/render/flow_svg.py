"""A standard's steps as a vertical flow diagram, drawn as SVG at build time.

Rendering here (instead of shipping Mermaid) keeps the page free of scripts, works
from file:// and prints sharply. All text is XML-escaped; the numbered step list on
the same page is the diagram's text equivalent.
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 640
BOX_X, BOX_W = 16, 608
LINE_UNITS = 40  # a Chinese character is one unit, a Latin character about half
LINE_HEIGHT = 20
MAX_LINES = 3
GAP = 26


def wrap(text: str, units: float = LINE_UNITS, max_lines: int = MAX_LINES) -> list[str]:
    """Break text into lines of at most ``units`` wide; the last line ends in … if cut."""
    lines, current, width = [], "", 0.0
    for ch in " ".join(text.split()):
        w = 0.55 if ord(ch) < 0x2E80 else 1.0
        if width + w > units:
            lines.append(current)
            current, width = "", 0.0
        current += ch
        width += w
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def flow_svg(steps, title: str) -> Markup:
    """One box per step (number, actor, timing, action), joined by arrows."""
    parts, y = [], 12
    for number, step in enumerate(steps, start=1):
        lines = wrap(step.action)
        height = 34 + LINE_HEIGHT * len(lines)
        parts.append(f'<rect x="{BOX_X}" y="{y}" width="{BOX_W}" height="{height}" rx="8" class="hb-flow-box"/>')
        head = f"{number}. {step.actor} · {step.timing}" + ("（编者建议）" if getattr(step, "by_editor", False) else "")
        parts.append(f'<text x="{BOX_X + 14}" y="{y + 22}" class="hb-flow-head">{escape(head)}</text>')
        for i, line in enumerate(lines):
            parts.append(f'<text x="{BOX_X + 14}" y="{y + 44 + i * LINE_HEIGHT}" class="hb-flow-text">{escape(line)}</text>')
        y += height
        if number < len(steps):
            mid = BOX_X + BOX_W // 2
            parts.append(f'<path d="M{mid} {y + 2} V{y + GAP - 4}" class="hb-flow-arrow"/>')
            parts.append(f'<path d="M{mid - 6} {y + GAP - 10} L{mid} {y + GAP - 2} L{mid + 6} {y + GAP - 10}" class="hb-flow-arrow"/>')
            y += GAP
    height = y + 12
    label = escape(f"{title}流程图，共{len(steps)}步，文字说明见“步骤”一节")
    return Markup(
        f'<svg class="hb-flow" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{label}"><title>{label}</title>{"".join(parts)}</svg>'
    )
