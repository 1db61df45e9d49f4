"""The four pillar pages (难题攻关, 人才成长, 技能比拼, 铸魂育人) and the people page, across all studios.

Each pillar page shows the city's reported figures of that pillar and, apart
from them, what the published profiles add up to, then every entry linked to
the profile it comes from.
"""

from __future__ import annotations

import jinja2

from . import aggregates
from .aggregates import PILLAR_ANCHORS, PILLARS
from .model import Site
from .pages import Page, render_page

# The report's own words for each pillar (将工作室打造成……).
ROLES = {
    "achievements": "难题攻关的“加速器”",
    "talent": "人才成长的“新沃土”",
    "competitions": "技能比拼的“新引擎”",
    "outreach": "铸魂育人的“播种机”",
}
WHAT = {
    "achievements": "攻关项目、专利、创新成果、提案建议、经济效益和资金支持",
    "talent": "师徒结对、培养培训和技能晋升",
    "competitions": "技能竞赛：名称、年份、参赛人数和成绩",
    "outreach": "劳模工匠宣讲：时间、对象、地点和覆盖人数",
}


def years(entries) -> list[tuple[int, list]]:
    """Entries that state a year (or a date), newest year first."""
    found: dict[int, list] = {}
    for item in entries:
        year = aggregates.year_of(item.data)
        if year:
            found.setdefault(year, []).append(item)
    return sorted(found.items(), key=lambda kv: -kv[0])


def pillar_page(env: jinja2.Environment, site: Site, pillar: str) -> Page:
    """One pillar across all studios: reported figures, profile sums, entries by kind."""
    label = PILLARS[pillar]
    categories = aggregates.categories(site, pillar)
    entries = [i for c in categories for i in c.items]
    studios = tuple(dict.fromkeys(i.studio for i in entries))
    return render_page(
        env,
        "jx/pillar_page.html",
        f"{pillar}/index.md",
        f"{pillar}/",
        label,
        f"滨州市劳模和工匠人才创新工作室的{label}（{WHAT[pillar]}）。官方报道的全市数据与各工作室介绍页相加的结果分开列出。",
        site=site,
        pillar=pillar,
        label=label,
        role=ROLES[pillar],
        what=WHAT[pillar],
        anchor=PILLAR_ANCHORS[pillar],
        report=site.latest_report,
        reported=aggregates.reported(site, pillar),
        categories=categories,
        totals=[t for c in categories for t in c.totals],
        entries=entries,
        studios=studios,
        years=years(entries),
        audiences=aggregates.audience_totals(site) if pillar == "outreach" else [],
    )


def pillar_pages(env: jinja2.Environment, site: Site) -> list[Page]:
    """The four pillar pages, in the report's order."""
    return [pillar_page(env, site, pillar) for pillar in PILLARS]


def people_pages(env: jinja2.Environment, site: Site) -> list[Page]:
    """The people page: every model worker and craftsman named in the records."""
    people = aggregates.people(site)
    return [
        render_page(
            env,
            "jx/people.html",
            "people/index.md",
            "people/",
            "劳模工匠",
            f"滨州劳模工匠名录：记录中提到的 {len(people)} 位工作室领衔人、故事主人公和宣讲人，附荣誉称号、所在工作室和故事。",
            site=site,
            people=people,
        )
    ]
