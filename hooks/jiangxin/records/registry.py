"""The two registries: which record kinds exist, and the four pillars of the studios' work.

Every table of folders, schema files, labels, counters, parent keys, anchors and
quantity fields derives from these; nothing else lists the kinds or pillars again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from jiangxin.records import catalogue
from jiangxin.records.model import ACHIEVEMENT_TYPES, TALENT_TYPES, Record, Report, Site, Story, Studio

SLUG_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
YEAR_ID = re.compile(r"(19|20|21)[0-9]{2}")


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: where its files live, how they are checked, modelled and named to readers."""

    key: str  # "studio": the schema is `<key>.schema.json`
    folder: str  # under content/; also the `Site` attribute and the open-data file name
    model: type[Record]
    label: str  # what one record is called on /data/ and in ledgers
    counter: str  # "个工作室": a count of records reads "3 个工作室"
    parent_key: str  # the column that names the record in a child table (one row per list entry)
    title_field: str  # the field that names a record to readers
    id_pattern: re.Pattern[str] = SLUG_ID
    # Ids that would collide with the section's own pages (/studios/county/…, /stories/theme/…).
    reserved_ids: tuple[str, ...] = ()
    # Whether editors create records of this kind with scripts/new_record.py.
    templated: bool = True
    # Top-level fields that hold the id of a record of another kind: (field, kind key).
    references: tuple[tuple[str, str], ...] = ()

    @property
    def schema_file(self) -> str:
        """The JSON Schema file of this kind, in `jiangxin/schemas/`."""
        return catalogue.schema_file(self.key)

    def records(self, site: Site) -> tuple[Record, ...]:
        """All records of this kind in `site`, in id order."""
        return getattr(site, self.folder)


KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "studio", "studios", Studio, "工作室", "个工作室", "studio_id", "name",
        reserved_ids=("index", "level", "county", "industry", "honor"),
    ),
    RecordKind(
        "story", "stories", Story, "工匠故事", "篇故事", "story_id", "title",
        reserved_ids=("index", "audience", "theme"), references=(("studio", "studio"),),
    ),
    RecordKind(
        "report", "reports", Report, "全市年度数据", "份全市年度数据", "report_year", "year",
        id_pattern=YEAR_ID, templated=False,
    ),
)  # fmt: skip
KIND = {k.key: k for k in KINDS}


@dataclass(frozen=True)
class Pillar:
    """One of the four pillars (四维发力) of the city report, and where its entries keep their amounts."""

    key: str  # the studio field that lists its entries, and the URL of its page
    label: str
    role: str  # the report's own words for it (将工作室打造成……)
    what: str  # what its entries record
    quantity_keys: tuple[str, ...]  # fields of an entry that hold amounts worth adding up
    name_field: str  # the field that names an entry
    # What the pillar's sums count, where the category name alone would not say it.
    total_label: str = ""
    # The kinds of entry (`type`) and their labels, in page order; a pillar without kinds names its entries.
    types: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    entry_label: str = ""

    @property
    def anchor(self) -> str:
        """The id of the pillar's section on a profile (`#jx-talent`)."""
        return f"jx-{self.key}"


# The groups of the city report's figures, the studios themselves and then each pillar, with the
# names the site gives them: the labels of the report schema's `group`.
GROUPS = catalogue.labels_at("report.schema.json#/properties/figures/items/properties/group")


def _listing(labels: Mapping[str, str]) -> str:
    """攻关项目、专利和资金支持: the labels as a Chinese list."""
    *rest, last = labels.values()
    return f"{'、'.join(rest)}和{last}" if rest else last


PILLARS: tuple[Pillar, ...] = (
    Pillar(
        "achievements", GROUPS["achievements"], "难题攻关的“加速器”", _listing(ACHIEVEMENT_TYPES),
        ("count", "amount"), "title", types=MappingProxyType(ACHIEVEMENT_TYPES),
    ),
    Pillar(
        "talent", GROUPS["talent"], "人才成长的“新沃土”", _listing(TALENT_TYPES), ("count",), "title",
        types=MappingProxyType(TALENT_TYPES),
    ),
    Pillar(
        "competitions", GROUPS["competitions"], "技能比拼的“新引擎”", "技能竞赛：名称、年份、参赛人数和成绩",
        ("participants",), "name", total_label="技能竞赛参赛", entry_label="技能竞赛",
    ),
    Pillar(
        "outreach", GROUPS["outreach"], "铸魂育人的“播种机”", "劳模工匠宣讲：时间、对象、地点和覆盖人数",
        ("reach",), "title", total_label="宣讲覆盖", entry_label="宣讲",
    ),
)  # fmt: skip
PILLAR = {p.key: p for p in PILLARS}
