"""The one rule that proposes a new record's id from its name, for every tool that creates records.

`scripts/new_record.py`, the browser form at /admin/ (through the rule's settings in its
generated configuration) and the ledger import all propose the same id for the same name.
"""

from __future__ import annotations

import re
import unicodedata

from jiangxin.records.registry import SLUG_ID
from jiangxin.records.slugs import short_slug

# Longest first, and only one is stripped: "张三劳模创新工作室" → "张三".
GENERIC_SUFFIXES = tuple(
    sorted(
        (
            "劳模和工匠人才创新工作室",
            "劳模工匠创新工作室",
            "工匠人才创新工作室",
            "齐鲁工匠创新工作室",
            "滨州工匠创新工作室",
            "工匠创新工作室",
            "劳模创新工作室",
            "技能大师工作室",
            "创新工作室",
            "工作室",
        ),
        key=len,
        reverse=True,
    )
)
MAX_STUDIO_CHARS = 12
MAX_STORY_CHARS = 8
STORY_CLAUSE_END = re.compile(r"[:：—]")


def strip_generic_suffix(name: str) -> str:
    """The name without one generic ending such as 创新工作室; unchanged if nothing would be left."""
    name = name.strip()
    for suffix in GENERIC_SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)].strip():
            return name[: -len(suffix)].strip()
    return name


def base_id(name: str, kind: str = "studio", studio: str | None = None) -> str:
    """The id a name would get before avoiding collisions; "" when the name gives no usable id.

    Studio: pinyin of the name without its generic ending (创新工作室 and the like),
    at most 12 characters. Story: the studio's id, then the pinyin of the title up to
    its first colon or dash, at most 8 characters. Consecutive Han characters are written
    together (张三 → zhangsan); other characters separate words with '-'.
    """
    if kind == "studio":
        slug = short_slug(strip_generic_suffix(name), MAX_STUDIO_CHARS)
    else:
        clause = STORY_CLAUSE_END.split(unicodedata.normalize("NFKC", name).strip(), maxsplit=1)[0]
        slug = short_slug(clause, MAX_STORY_CHARS) or short_slug(name, MAX_STORY_CHARS)
        slug = "-".join(part for part in (studio, slug) if part)
    return slug if SLUG_ID.fullmatch(slug) else ""
