"""What the published profiles add up to: facets, pillar items and totals, with their sources.

Kept apart from the city's reported figures (`Report`) on purpose: the site
shows both side by side and never mixes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from .model import LEVEL_ORDER, LEVELS, Site, Studio

PILLARS = {
    "achievements": "难题攻关",
    "talent": "人才成长",
    "competitions": "技能比拼",
    "outreach": "铸魂育人",
}
UNKNOWN = "未注明"


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


def level_label(value: str) -> str:
    """国家级 … for a level key; the value itself otherwise."""
    return LEVELS.get(value, value)


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
        totals.append(Total(f"{label}（{period}）" if period else label, value, unit, at_least, studios))
    return totals


def profile_totals(site: Site) -> list[Total]:
    """Sums over the published profiles that sit beside the city's reported figures."""
    totals = [Total(f"{LEVELS[level]}工作室（有介绍页的）", n, "家", False, tuple(s for s in site.studios if s.level == level))
              for level, n in facet(site, "level") if level in LEVELS]
    patents = [(i.studio, i.data.get("count")) for i in items(site, "achievements") if i.data["type"] == "patent"]
    totals += _sum("专利", patents)
    proposals = [(i.studio, i.data.get("count")) for i in items(site, "achievements") if i.data["type"] == "proposal"]
    totals += _sum("提案建议", proposals)
    promotions = [(i.studio, i.data.get("count")) for i in items(site, "talent") if i.data["type"] == "promotion"]
    totals += _sum("技能晋升", promotions)
    reach = [(i.studio, i.data.get("reach")) for i in items(site, "outreach")]
    totals += _sum("宣讲覆盖", reach)
    return totals
