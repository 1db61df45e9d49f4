"""Bar charts drawn at build time as inline SVG: no chart library, nothing fetched by the reader.

The SVG is decorative for screen readers (`aria-hidden`); the page shows the
same numbers in a table next to it.
"""

from __future__ import annotations

from html import escape

from .formatting import number

ROW = 28
LABEL_WIDTH = 150
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 70


def bar_chart(rows: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart of (label, value) rows, scaled to the largest value."""
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1
    height = ROW * len(rows) + 8
    parts = [
        f'<svg class="jx-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-hidden="true" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        width = max(round(BAR_WIDTH * value / top, 1), 1 if value else 0)
        text = escape(label if len(label) <= 11 else label[:10] + "…")
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" class="jx-chart__label">{text}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{ROW - 10}" rx="2" class="jx-chart__bar"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 18}" class="jx-chart__value">{escape(number(value))}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
