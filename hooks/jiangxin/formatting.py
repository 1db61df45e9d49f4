"""How figures and labels read in Chinese on the pages."""

from __future__ import annotations

from collections.abc import Mapping

from .model import ACHIEVEMENT_TYPES, GROUPS, LEVELS, PATENT_TYPES, TALENT_TYPES


def number(value: float | int) -> str:
    """1000 → '1000', 11.15 → '11.15', 3.0 → '3'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def quantity(q: Mapping) -> str:
    """A reported amount as the report words it: 超11.15亿元, 30余项, 近1000人次."""
    approx = q.get("approx", "")
    value = number(q["value"])
    if approx == "余":
        return f"{value}余{q['unit']}"
    return f"{approx}{value}{q['unit']}"


FILTERS = {
    "number": number,
    "quantity": quantity,
    "level_label": lambda v: LEVELS.get(v, "级别未注明"),
    "achievement_label": lambda v: ACHIEVEMENT_TYPES[v],
    "patent_label": lambda v: PATENT_TYPES[v],
    "talent_label": lambda v: TALENT_TYPES[v],
    "group_label": lambda v: GROUPS[v],
}
