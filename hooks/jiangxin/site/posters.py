"""Per studio: a QR code (SVG) of its page and a one-page A4 poster for the studio's wall.

The poster is a standalone HTML file with its own print styles, so the theme's
navigation, search and fonts never reach the paper, and it stays out of the
site's search index. The QR code needs the page's absolute address: without
`site_url` there is no QR code and the poster says so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import segno
from markupsafe import Markup

from jiangxin.records.model import Studio
from jiangxin.records.registry import PILLARS
from jiangxin.site.context import BuildContext
from jiangxin.site.feeds import absolute
from jiangxin.site.formatting import quantity
from jiangxin.site.rendering import Asset, root_of

MAX_FIGURES = 6
# A wall poster is read from a step away; longer summaries are cut at a sentence end.
MAX_SUMMARY = 180


@dataclass(frozen=True)
class Figure:
    """One key figure on the poster: the amount as reported, what it counts, and over which period."""

    value: str
    label: str
    period: str


@cache
def qr_code(url: str) -> segno.QRCode:
    """The QR code of `url` (never a Micro QR: phone cameras do not all read those).

    Cached: choosing the best mask is most of a build's QR time, and `mkdocs serve` rebuilds in one process.
    """
    return segno.make(url, error="m", micro=False)


@cache
def qr_svg(url: str) -> bytes:
    """A standalone SVG file of the QR code, white background, 4-module quiet zone, scalable (viewBox only)."""
    buffer = io.BytesIO()
    qr_code(url).save(
        buffer,
        kind="svg",
        xmldecl=True,
        svgns=True,
        omitsize=True,
        border=4,
        light="#fff",
        dark="#000",
        svgclass=None,
        lineclass=None,
        title=url,
    )
    return buffer.getvalue() + b"\n"


@cache
def qr_inline(url: str) -> Markup:
    """The same QR code as an inline `<svg>` for the poster; CSS gives it its printed size."""
    return Markup(
        qr_code(url).svg_inline(
            omitsize=True, border=4, light="#fff", dark="#000", svgclass="jx-poster__qr-code", lineclass=None
        )
    )


def key_figures(studio: Studio) -> list[Figure]:
    """The studio's reported amounts in record order (achievements, talent, competitions, outreach), at most six."""
    figures = []
    for pillar in PILLARS:
        for entry in studio.get(pillar.key, ()):
            for key in pillar.quantity_keys:
                q: Mapping | None = entry.get(key)
                if q:
                    figures.append(
                        Figure(quantity(q), q.get("label") or entry.get(pillar.name_field, ""), q.get("period", ""))
                    )
    return figures[:MAX_FIGURES]


def short_summary(text: str) -> tuple[str, bool]:
    """The summary as the poster prints it, and whether it was shortened (at the last sentence end that fits)."""
    if len(text) <= MAX_SUMMARY:
        return text, False
    head = text[:MAX_SUMMARY]
    ends = [m.end() for m in re.finditer(r"[。！？；]", head)]
    return (head[: ends[-1]] if ends and ends[-1] > MAX_SUMMARY // 2 else head.rstrip("，、：,; ")) + "……", True


def poster_html(ctx: BuildContext, studio: Studio) -> str:
    """The poster page of one studio (complete HTML document)."""
    url = f"{studio.url}poster/"
    page_url = absolute(ctx.site_url, studio.url) if ctx.site_url else None
    summary, cut = short_summary(studio.get("summary"))
    return ctx.env.get_template("jx/poster.html").render(
        root=root_of(url), site=ctx.site, site_url=ctx.site_url, studio=studio, data=studio.data,
        figures=key_figures(studio), summary=summary, summary_cut=cut, page_url=page_url,
        qr=qr_inline(page_url) if page_url else None,
    )  # fmt: skip


def poster_assets(ctx: BuildContext) -> list[Asset]:
    """Every studio's `studios/<id>/poster/index.html`, and `studios/<id>/qr.svg` once the site's address is known."""
    assets = []
    for studio in ctx.site.studios:
        if ctx.site_url:
            assets.append(Asset(f"{studio.url}qr.svg", qr_svg(absolute(ctx.site_url, studio.url))))
        assets.append(Asset(f"{studio.url}poster/index.html", poster_html(ctx, studio).encode("utf-8")))
    return assets
