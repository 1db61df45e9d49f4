"""The home page dashboard: pillar cards, reported figures beside profile sums, build-time charts.

Blocks for the `<!-- jx:pillars -->`, `<!-- jx:dashboard -->` and
`<!-- jx:charts -->` markers of `content/index.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from jiangxin.records.model import LEVELS, Site
from jiangxin.records.registry import GROUPS, PILLARS
from jiangxin.site import aggregates
from jiangxin.site.aggregates import UNKNOWN, Total
from jiangxin.site.charts import bar_chart
from jiangxin.site.context import BuildContext
from jiangxin.site.formatting import level_label


@dataclass(frozen=True)
class Chart:
    """A bar chart with the same rows as a table for screen readers."""

    title: str
    note: str
    head: str
    unit: str
    rows: tuple[tuple[str, float], ...]

    @property
    def svg(self) -> Markup:
        """The chart as inline SVG (labels and values are escaped by `bar_chart`)."""
        return Markup(bar_chart(list(self.rows), self.unit))


@dataclass(frozen=True)
class Row:
    """One group of the dashboard: its reported figures and, apart, its profile sums."""

    group: str
    label: str
    url: str
    reported: tuple
    totals: tuple[Total, ...]
    entries: int
    studios: int


def rows(site: Site) -> list[Row]:
    """Each group of the report with what the profiles add up to; groups with neither are left out."""
    result = []
    for group, label in GROUPS.items():
        if group == "studios":
            totals = [Total("已发布的工作室介绍页", len(site.studios), "个", False, site.studios)]
            totals += [
                Total(
                    level_label(level),
                    n,
                    "个",
                    False,
                    tuple(s for s in site.studios if aggregates.facet_values(s, "level") == [level]),
                )
                for level, n in aggregates.facet(site, "level")
            ]
            entries, studios, url = len(site.studios), len(site.studios), "studios/"
        else:
            entries_of = aggregates.items(site, group)
            totals = aggregates.pillar_totals(site, group)
            entries, studios, url = len(entries_of), len({i.studio.id for i in entries_of}), f"{group}/"
        reported = aggregates.reported(site, group)
        if reported or entries:
            result.append(Row(group, label, url, tuple(reported), tuple(totals), entries, studios))
    return result


def charts(site: Site) -> list[Chart]:
    """Studios per level as reported; per level, county and industry of the profiles; pillar entries per year."""
    found = []
    report = site.latest_report
    if report:
        levels = {f["metric"].removeprefix("studios_"): f for f in aggregates.reported(site, "studios")}
        reported = tuple((LEVELS[k], levels[k]["value"]) for k in LEVELS if k in levels)
        if reported:
            period = levels[next(k for k in LEVELS if k in levels)]["period"]
            found.append(
                Chart(
                    f"全市创新工作室按级别（官方报道，{report.year}年）",
                    f"{period}，单位：家。",
                    "级别",
                    "家",
                    reported,
                )
            )
    for key, name, head in (("level", "级别", "级别"), ("county", "区县", "区县"), ("industry", "行业", "行业")):
        counts = tuple((level_label(v) if key == "level" else v, n) for v, n in aggregates.facet(site, key))
        if counts and any(v != UNKNOWN for v, _ in aggregates.facet(site, key)):
            found.append(
                Chart(
                    f"已发布的工作室介绍页按{name}",
                    "按介绍页计，一页可介绍一家企业的多个工作室；“未注明”是记录没有写明。",
                    head,
                    "个",
                    counts,
                )
            )
    per_year = aggregates.entries_per_year(site)
    if per_year:
        found.append(
            Chart(
                "四维发力条目按年份（介绍页）",
                "写明年份的成果、人才、竞赛和宣讲条目数；没有写年份的条目不计入。",
                "年份",
                "条",
                tuple((f"{year}年", n) for year, n in per_year),
            )
        )
    return found


def pillar_cards(site: Site) -> list[dict]:
    """The four pillars and the people page as cards, with how many records each has."""
    cards = []
    for pillar in PILLARS:
        entries = aggregates.items(site, pillar.key)
        studios = len({i.studio.id for i in entries})
        meta = f"{len(entries)} 条记录 · {studios} 个工作室" if entries else "暂无记录"
        cards.append({"url": f"{pillar.key}/", "title": pillar.label, "meta": meta, "text": pillar.what})
    people = aggregates.people(site)
    cards.append(
        {
            "url": "people/",
            "title": "劳模工匠",
            "meta": f"{len(people)} 位",
            "text": "工作室领衔人、故事主人公和宣讲人，附荣誉称号、所在工作室和故事",
        }
    )
    return cards


# The report's groups the first screen of the home page shows; studios per level come first.
HEADLINE_GROUPS = ("achievements",)


@dataclass(frozen=True)
class Headline:
    """The city's headline figures as the latest report gives them: studios per level, then a few groups."""

    levels: tuple[tuple[str, Mapping], ...]
    period: str
    groups: tuple[tuple[str, tuple[Mapping, ...]], ...]


def headline(site: Site) -> Headline | None:
    """The report's studios per level and its achievement figures, unchanged; None without a report."""
    if site.latest_report is None:
        return None
    by_metric = {f["metric"].removeprefix("studios_"): f for f in aggregates.reported(site, "studios")}
    levels = tuple((LEVELS[k], by_metric[k]) for k in LEVELS if k in by_metric)
    period = levels[0][1].get("period", "") if levels else ""
    groups = tuple((GROUPS[g], tuple(aggregates.reported(site, g))) for g in HEADLINE_GROUPS)
    groups = tuple((label, figures) for label, figures in groups if figures)
    return Headline(levels, period, groups) if levels or groups else None


def home_blocks(ctx: BuildContext) -> dict[str, str]:
    """HTML for the home page's `headline`, `pillars`, `dashboard` and `charts` markers."""
    site, report = ctx.site, ctx.site.latest_report
    return {
        "headline": ctx.fragment("jx/dashboard_headline.html", headline=headline(site), report=report),
        "pillars": ctx.fragment("jx/dashboard_pillars.html", cards=pillar_cards(site), report=report),
        "dashboard": ctx.fragment("jx/dashboard.html", rows=rows(site), report=report),
        "charts": ctx.fragment("jx/dashboard_charts.html", charts=charts(site), report=report),
    }
