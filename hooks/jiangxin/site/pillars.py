"""The four pillar pages (难题攻关, 人才成长, 技能比拼, 铸魂育人) and the people page, across all studios.

Each pillar page shows the city's reported figures of that pillar and, apart
from them, what the published profiles add up to, then every entry linked to
the profile it comes from.
"""

from __future__ import annotations

from jiangxin.records.registry import PILLARS, Pillar
from jiangxin.site import aggregates
from jiangxin.site.context import BuildContext
from jiangxin.site.rendering import Page


def years(entries) -> list[tuple[int, list]]:
    """Entries that state a year (or a date), newest year first."""
    found: dict[int, list] = {}
    for item in entries:
        year = aggregates.year_of(item.data)
        if year:
            found.setdefault(year, []).append(item)
    return sorted(found.items(), key=lambda kv: -kv[0])


def pillar_page(ctx: BuildContext, pillar: Pillar) -> Page:
    """One pillar across all studios: reported figures, profile sums, entries by kind."""
    site = ctx.site
    categories = aggregates.categories(site, pillar.key)
    entries = [i for c in categories for i in c.items]
    studios = tuple(dict.fromkeys(i.studio for i in entries))
    return ctx.render(
        "jx/pillar_page.html", f"{pillar.key}/index.md", f"{pillar.key}/", pillar.label,
        f"滨州市劳模和工匠人才创新工作室的{pillar.label}（{pillar.what}）。"
        "官方报道的全市数据与各工作室介绍页相加的结果分开列出。",
        pillar=pillar.key, label=pillar.label, role=pillar.role, what=pillar.what, anchor=pillar.anchor,
        report=site.latest_report, reported=aggregates.reported(site, pillar.key), categories=categories,
        totals=[t for c in categories for t in c.totals], entries=entries, studios=studios, years=years(entries),
        audiences=aggregates.audience_totals(site) if pillar.key == "outreach" else [],
    )  # fmt: skip


def pillar_pages(ctx: BuildContext) -> list[Page]:
    """The four pillar pages, in the report's order."""
    return [pillar_page(ctx, pillar) for pillar in PILLARS]


def people_pages(ctx: BuildContext) -> list[Page]:
    """The people page: every model worker and craftsman named in the records."""
    people = aggregates.people(ctx.site)
    return [ctx.render(
        "jx/people.html", "people/index.md", "people/", "劳模工匠",
        f"滨州劳模工匠名录：记录中提到的 {len(people)} 位工作室领衔人、故事主人公和宣讲人，附荣誉称号、"
        "所在工作室和故事。",
        people=people,
    )]  # fmt: skip
