"""What the published profiles add up to: facets, pillar items and totals, with their sources.

Kept apart from the city's reported figures (`Report`) on purpose: the site
shows both side by side and never mixes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from jiangxin.records import catalogue
from jiangxin.records.model import (
    ACHIEVEMENT_TYPES,
    LEVEL_ORDER,
    LEVELS,
    PATENT_TYPES,
    TALENT_TYPES,
    Site,
    Story,
    Studio,
)
from jiangxin.records.registry import PILLAR, PILLARS
from jiangxin.site.formatting import quantity

UNKNOWN = "未注明"
# What outreach sums count: the people the talks reached.
REACH = PILLAR["outreach"].total_label
CATEGORY_LABELS = {k: v for p in PILLARS for k, v in (p.types.items() if p.types else [(p.key, p.entry_label)])}


@dataclass(frozen=True)
class Item:
    """One entry of a pillar (an achievement, a talent measure, a competition, a talk) and its studio."""

    studio: Studio
    index: int
    data: Mapping


@dataclass(frozen=True)
class Total:
    """A sum over profiles: `at_least` when any part was reported as 超/余/近/约 or is missing."""

    label: str
    value: float
    unit: str
    at_least: bool
    studios: tuple[Studio, ...]
    approx: str = ""

    @property
    def text(self) -> str:
        """The sum as a page shows it: 80余项, 近2200项, 1464人."""
        return quantity({"value": self.value, "unit": self.unit, "approx": self.approx})


def items(site: Site, pillar: str) -> list[Item]:
    """Every entry of one pillar across all studios, in studio order."""
    return [Item(s, i, entry) for s in site.studios for i, entry in enumerate(s.get(pillar, ()))]


def facet(site: Site, key: str) -> list[tuple[str, int]]:
    """How many studios share each value of `level`, `county`, `industry` or `honor`."""
    counts: Counter[str] = Counter()
    for studio in site.studios:
        counts.update(facet_values(studio, key))
    if key == "level":
        order = [*LEVEL_ORDER, UNKNOWN]
        return [(k, counts[k]) for k in order if counts[k]]
    return sorted(counts.items(), key=lambda kv: (kv[0] == UNKNOWN, -kv[1], kv[0]))


def facet_values(studio: Studio, key: str) -> list[str]:
    """The values a studio has for a facet; `未注明` when the record does not say."""
    if key == "honor":
        leader = studio.get("leader") or {}
        return list(leader.get("honors", ())) or [UNKNOWN]
    value = studio.get(key)
    return [value] if value else [UNKNOWN]


def _sum(label: str, quantities: list[tuple[Studio, Mapping | None]]) -> list[Total]:
    # Only like with like: the same unit and the same period (每年 and 累计 never add up).
    groups: dict[tuple[str, str], list[tuple[Studio, Mapping]]] = {}
    for studio, q in quantities:
        if q:
            groups.setdefault((q["unit"], q.get("period", "")), []).append((studio, q))
    totals = []
    for (unit, period), parts in sorted(groups.items()):
        value = sum(q["value"] for _, q in parts)
        at_least = any(q.get("approx") in ("超", "余", "近", "约") for _, q in parts)
        studios = tuple(dict.fromkeys(s for s, _ in parts))
        totals.append(
            Total(f"{label}（{period}）" if period else label, value, unit, at_least, studios, _approx(parts))
        )
    return totals


def _approx(parts: list[tuple[Studio, Mapping]]) -> str:
    # 30余 + 50 is still 80余 and 近2000 + 100 still 近2100; mixed kinds only allow 约.
    kinds = {q.get("approx", "") for _, q in parts} - {""}
    return kinds.pop() if len(kinds) == 1 else ("约" if kinds else "")


def profile_totals(site: Site) -> list[Total]:
    """Sums over the published profiles that sit beside the city's reported figures."""
    totals = [
        Total(
            f"{LEVELS[level]}工作室（有介绍页的）", n, "家", False, tuple(s for s in site.studios if s.level == level)
        )
        for level, n in facet(site, "level")
        if level in LEVELS
    ]
    patents = [(i.studio, i.data.get("count")) for i in items(site, "achievements") if i.data["type"] == "patent"]
    totals += _sum(ACHIEVEMENT_TYPES["patent"], patents)
    proposals = [(i.studio, i.data.get("count")) for i in items(site, "achievements") if i.data["type"] == "proposal"]
    totals += _sum(ACHIEVEMENT_TYPES["proposal"], proposals)
    promotions = [(i.studio, i.data.get("count")) for i in items(site, "talent") if i.data["type"] == "promotion"]
    totals += _sum(TALENT_TYPES["promotion"], promotions)
    reach = [(i.studio, i.data.get("reach")) for i in items(site, "outreach")]
    totals += _sum(REACH, reach)
    return totals


# ---------------------------------------------------------------- pillar pages

# The audiences a talk may address, in schema order.
AUDIENCES = tuple(catalogue.labels_at("studio.schema.json#/properties/outreach/items/properties/audiences/items"))


@dataclass(frozen=True)
class Category:
    """One kind of entry within a pillar (e.g. 发明专利, 师徒结对) with its entries and sums."""

    key: str
    label: str
    items: tuple[Item, ...]
    totals: tuple[Total, ...]


def category_key(pillar: str, data: Mapping) -> str:
    """The kind of a pillar entry: `patent:invention` for patents, the `type` otherwise."""
    if pillar == "achievements" and data["type"] == "patent":
        return f"patent:{data.get('patent_type', 'unknown')}"
    return data.get("type", pillar)


def category_label(key: str) -> str:
    """发明专利, 师徒结对 … for a category key."""
    if key.startswith("patent:"):
        return PATENT_TYPES.get(key[7:], f"{ACHIEVEMENT_TYPES['patent']}（未注明类型）")
    return CATEGORY_LABELS.get(key, key)


def _category_order(pillar: str) -> list[str]:
    types = PILLAR[pillar].types
    if not types:
        return [pillar]
    # Patents show by patent type, in the place of `patent` among the kinds.
    return [
        k for t in types for k in ([*(f"patent:{p}" for p in PATENT_TYPES), "patent:unknown"] if t == "patent" else [t])
    ]


def year_of(data: Mapping) -> int | None:
    """The year an entry states, from `year` or from its `date`; None when it states neither."""
    date = data.get("date")
    return data.get("year") or (int(str(date)[:4]) if date else None)


def by_year(entries: list[Item]) -> list[Item]:
    """Entries with a known year first, newest first; the rest keep studio order."""
    return sorted(entries, key=lambda i: -(year_of(i.data) or 0))


def item_totals(pillar: str, key: str, entries: list[Item]) -> list[Total]:
    """Sums of a category's quantities, like with like (same unit and period, same amount label)."""
    label = (PILLAR[key].total_label if key in PILLAR else "") or category_label(key)
    totals: list[Total] = []
    if key == "promotion":
        # 晋升为技师 and 晋升为高级技师 are different grades: one sum per title, never one for all.
        for title in dict.fromkeys(i.data["title"] for i in entries):
            totals += _sum(title, [(i.studio, i.data.get("count")) for i in entries if i.data["title"] == title])
        return totals
    for field_name in PILLAR[pillar].quantity_keys:
        quantities = [(i.studio, i.data.get(field_name)) for i in entries]
        if field_name == "amount":
            for amount_label in dict.fromkeys((q or {}).get("label", "") for _, q in quantities if q):
                same = [(s, q) for s, q in quantities if q and q.get("label", "") == amount_label]
                totals += _sum(f"{label}：{amount_label}" if amount_label else label, same)
        else:
            totals += _sum(label, quantities)
    return totals


def categories(site: Site, pillar: str) -> list[Category]:
    """A pillar's entries by kind, in a fixed order, each with its sums; kinds without entries are left out."""
    entries = items(site, pillar)
    order = _category_order(pillar)
    # A kind added to the schema later still shows, after the known ones.
    order += [k for k in dict.fromkeys(category_key(pillar, i.data) for i in entries) if k not in order]
    result = []
    for key in order:
        members = by_year([i for i in entries if category_key(pillar, i.data) == key])
        if members:
            result.append(Category(key, category_label(key), tuple(members), tuple(item_totals(pillar, key, members))))
    return result


def pillar_totals(site: Site, pillar: str) -> list[Total]:
    """Every sum a pillar page shows, in category order (what the published profiles add up to)."""
    return [t for c in categories(site, pillar) for t in c.totals]


def audience_totals(site: Site) -> list[tuple[str, tuple[Item, ...], list[Total]]]:
    """Talks and reach per audience type; a talk for two audiences counts under both."""
    talks = items(site, "outreach")
    result = []
    for audience in (*AUDIENCES, UNKNOWN):
        members = tuple(i for i in talks if audience in (i.data.get("audiences") or (UNKNOWN,)))
        if members:
            result.append((audience, members, _sum(REACH, [(i.studio, i.data.get("reach")) for i in members])))
    return result


def reported(site: Site, group: str) -> list[Mapping]:
    """The latest report's figures of one group (`studios`, `achievements` …), as reported."""
    report = site.latest_report
    return [f for f in report.data["figures"] if f["group"] == group] if report else []


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class Role:
    """What a person did in the records: 领衔 a studio, 宣讲 a talk, or appear in a story."""

    kind: str
    studio: Studio
    item: Item | None = None


@dataclass(frozen=True)
class Person:
    """A model worker or craftsman named in the records, with everything the records say about them."""

    name: str
    organization: str
    honors: tuple[str, ...]
    roles: tuple[Role, ...]
    stories: tuple[Story, ...]

    @property
    def studios(self) -> tuple[Studio, ...]:
        """Every studio the person is linked with, in record order."""
        return tuple(dict.fromkeys(r.studio for r in self.roles))


def people(site: Site) -> list[Person]:
    """Studio leaders, story persons and talk speakers, one entry per name and organization.

    The same name at two organizations is kept apart: the records cannot tell
    whether it is one person. Journalists in `source.author` are not people of the site.
    Ordered by the first studio (by id) each person is linked with.
    """
    found: dict[tuple[str, str], dict] = {}

    def add(name: str, organization: str, honors, role: Role, story: Story | None = None) -> None:
        entry = found.setdefault((name, organization), {"honors": {}, "roles": {}, "stories": {}})
        entry["honors"].update(dict.fromkeys(honors or ()))
        # Items hold mappings and cannot be hashed: key roles by what identifies them.
        entry["roles"].setdefault((role.kind, role.studio.id, role.item.index if role.item else -1), role)
        if story:
            entry["stories"][story] = None

    for studio in site.studios:
        leader = studio.get("leader")
        if leader:
            add(leader["name"], studio.get("organization"), leader.get("honors"), Role("leader", studio))
        for index, talk in enumerate(studio.get("outreach", ())):
            if talk.get("speaker"):
                add(talk["speaker"], studio.get("organization"), (), Role("speaker", studio, Item(studio, index, talk)))
    for story in site.stories:
        person = story.get("person")
        if person:
            studio = site.studio(story.studio)
            add(
                person["name"],
                person.get("organization") or studio.get("organization"),
                person.get("honors"),
                Role("story", studio),
                story,
            )
    order = {s.id: n for n, s in enumerate(site.studios)}
    result = [
        Person(name, org, tuple(e["honors"]), tuple(e["roles"].values()), tuple(e["stories"]))
        for (name, org), e in found.items()
    ]
    # sorted() is stable: people of the same studio keep the order they were found in.
    return sorted(result, key=lambda p: min(order[r.studio.id] for r in p.roles))


def entries_per_year(site: Site) -> list[tuple[int, int]]:
    """How many pillar entries carry each year (a talk's date counts by its year); undated ones are left out."""
    counts: Counter[int] = Counter()
    for pillar in PILLARS:
        for item in items(site, pillar.key):
            year = year_of(item.data)
            if year:
                counts[year] += 1
    return sorted(counts.items())
