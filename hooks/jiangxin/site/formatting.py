"""How figures, labels and reading times read in Chinese on the pages."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from jiangxin.records.model import ACHIEVEMENT_TYPES, LEVELS, PATENT_TYPES, TALENT_TYPES
from jiangxin.records.registry import GROUPS
from jiangxin.text import HAN

# What a studio whose level the sources do not state shows for its level.
NO_LEVEL_LABEL = "级别未注明"
# Chinese readers manage about 300–400 characters a minute; schools are the audience, so the slow end.
CHARS_PER_MINUTE = 300
# What a reader reads: each Han character, and each run of Latin letters or digits as one word.
READ_UNIT = re.compile(f"{HAN.pattern}|[A-Za-z0-9]+")


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


def level_label(value: str | None) -> str:
    """国家级, 省级 … for a level key; 级别未注明 when the record states none."""
    return LEVELS.get(value or "", NO_LEVEL_LABEL)


def reading_minutes(data: Mapping) -> int:
    """Minutes to read a story's summary and body: Han characters (and Latin words) at 300 a minute, at least 1."""
    text = f"{data.get('summary') or ''}\n{data.get('body') or ''}"
    return max(1, math.ceil(len(READ_UNIT.findall(text)) / CHARS_PER_MINUTE))


def reading_time(data: Mapping) -> str:
    """The reading time as the pages print it: 约 2 分钟."""
    return f"约 {reading_minutes(data)} 分钟"


FILTERS = {
    "number": number,
    "quantity": quantity,
    "level_label": level_label,
    "reading_time": reading_time,
    "achievement_label": lambda v: ACHIEVEMENT_TYPES[v],
    "patent_label": lambda v: PATENT_TYPES[v],
    "talent_label": lambda v: TALENT_TYPES[v],
    "group_label": lambda v: GROUPS[v],
}
