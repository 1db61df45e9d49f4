"""Bar charts drawn at build time as inline SVG: no chart library, nothing fetched by the reader.

The SVG is decorative for screen readers (`aria-hidden`); the page shows the
same numbers in a table next to it.
"""

from __future__ import annotations

from html import escape
from math import ceil

from jiangxin.site.formatting import number
from jiangxin.text import truncate

ROW = 28
BAR_WIDTH = 300
FONT = 14
MAX_LABEL = 11


def _text_width(text: str) -> float:
    # Wide characters (CJK from U+2E80 on: Han, punctuation, kana) are about one em, digits and Latin letters 0.6 em.
    return sum(FONT if ord(c) >= 0x2E80 else FONT * 0.6 for c in text)


def bar_chart(rows: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart of (label, value) rows, scaled to the largest value.

    The label column is as wide as the longest label, so the chart stays legible
    when a phone scales it down to the screen width (the page's CSS sets
    `max-width: 100%; height: auto`); it is never drawn larger than its own size.
    """
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1
    labels = [truncate(label, MAX_LABEL) for label, _ in rows]
    values = [f"{number(value)}{unit}" for _, value in rows]
    label_width = ceil(max(map(_text_width, labels))) + 10
    width = label_width + BAR_WIDTH + ceil(max(map(_text_width, values))) + 12
    height = ROW * len(rows) + 8
    parts = [
        f'<svg class="jx-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-hidden="true" '
        f'focusable="false" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, ((_, value), label, text) in enumerate(zip(rows, labels, values, strict=True)):
        y = 4 + i * ROW
        bar = max(round(BAR_WIDTH * value / top, 1), 1 if value else 0)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" class="jx-chart__label">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar}" height="{ROW - 10}" rx="2" class="jx-chart__bar"/>'
            f'<text x="{label_width + bar + 6}" y="{y + 18}" class="jx-chart__value">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
