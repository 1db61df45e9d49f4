"""Open data at `/data/`: every record as JSON and as flat CSV tables, the schemas, and the page that explains them.

The CSV columns are derived from the JSON Schemas, so a new field appears in the
tables (and in the column list on the page) without touching this module.
Output is byte-stable: records in id order, sorted JSON keys, no timestamps.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from jiangxin.records import catalogue
from jiangxin.records.model import LEVELS, Record, Site
from jiangxin.records.registry import KIND, KINDS
from jiangxin.site import feeds
from jiangxin.site.context import BuildContext
from jiangxin.site.formatting import number
from jiangxin.site.rendering import Asset, Page

DATA_DIR = "data"
LIST_SEPARATOR = "\n"
# Excel on Windows reads a CSV without a byte-order mark as the local code page (GBK) and garbles Chinese.
BOM = "\ufeff"
# Excel and WPS run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Column:
    """One CSV column: its dotted path in the record (or list entry), its Chinese title, and whether it joins a list."""

    key: str
    title: str
    is_list: bool = False


@dataclass(frozen=True)
class Table:
    """One CSV file: one row per record (`field` None) or one row per entry of the record's list `field`."""

    name: str
    kind: str
    field: str | None
    title: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def _columns(table: catalogue.Table) -> list[Column]:
    """The CSV columns of a flat table: dotted paths, titled by the objects they sit in and their own meaning."""
    return [
        Column(
            ".".join(leaf.field.path),
            "·".join((*(catalogue.short_title(o.title) for o in leaf.within), leaf.field.described_title)),
            is_list=leaf.field.type == "array",
        )
        for leaf in table.columns
    ]


@cache
def tables() -> tuple[Table, ...]:
    """Every CSV table, derived from the schemas: a main table per kind, then one per list of entries."""
    out = []
    for kind in KINDS:
        main, *lists = catalogue.tables(kind.key)
        out.append(
            Table(kind.folder, kind.key, None, kind.label, (Column("id", "编号（记录的文件名）"), *_columns(main)))
        )
        for table in lists:
            assert table.entries is not None
            title = catalogue.short_title(table.entries.title)
            head = (
                Column(kind.parent_key, f"所属记录的编号（{kind.folder}.csv 的 id）"),
                Column("position", f"在该记录“{title}”中的顺序，从 1 起"),
            )
            field = table.entries.name
            out.append(Table(f"{kind.key}_{field}", kind.key, field, title, (*head, *_columns(table))))
    return tuple(out)


def _records(site: Site, kind: str) -> tuple[Record, ...]:
    return KIND[kind].records(site)


def plain(value):
    """A record value as plain JSON-ready data (mapping proxies and tuples become dicts and lists)."""
    if isinstance(value, (dict, MappingProxyType)):  # concrete types: an ABC check costs 10× more
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_cell(v) for v in value)
    return str(value)


def _get(data: Mapping, key: str):
    for part in key.split("."):
        try:
            data = data[part]
        except (KeyError, TypeError, IndexError):  # absent, or not a mapping at this level
            return None
    return data


def rows(site: Site, table: Table) -> list[list[str]]:
    """The rows of one table (without the header), in record order and then list order."""
    out = []
    for record in _records(site, table.kind):
        if table.field is None:
            out.append([record.id, *(_cell(_get(record.data, c.key)) for c in table.columns[1:])])
            continue
        for position, entry in enumerate(record.get(table.field, ()), start=1):
            out.append([record.id, str(position), *(_cell(_get(entry, c.key)) for c in table.columns[2:])])
    return out


def row_count(site: Site, table: Table) -> int:
    """How many rows `rows()` gives, without building them."""
    if table.field is None:
        return len(_records(site, table.kind))
    return sum(len(record.get(table.field, ())) for record in _records(site, table.kind))


def csv_bytes(header: list[str], body: list[list[str]]) -> bytes:
    """UTF-8 CSV with a byte-order mark and CRLF line ends (RFC 4180), as Excel expects."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_neutral(cell) for cell in row] for row in body])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _neutral(cell: str) -> str:
    """A cell that a spreadsheet will not run as a formula: `'` before a leading formula character, as OWASP advises.

    A plain number such as `-3` is no formula, so it stays a number.
    """
    if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def json_bytes(value) -> bytes:
    """UTF-8 JSON, Chinese kept readable, keys sorted, two-space indent, final newline."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def records_json(site: Site, kind: str) -> dict:
    """All records of a kind keyed by id; each value is the record exactly as validated, so the schema checks it."""
    return {r.id: plain(r.data) for r in _records(site, kind)}


def schema_assets() -> list[Asset]:
    """The JSON Schemas as published under `data/schemas/`, byte for byte (their `$ref`s are relative)."""
    return [
        Asset(f"{DATA_DIR}/schemas/{p.name}", p.read_bytes())
        for p in sorted(catalogue.SCHEMA_DIR.glob("*.schema.json"))
    ]


def data_assets(site: Site) -> list[Asset]:
    """JSON per kind, CSV per table, and the schemas."""
    assets = [Asset(f"{DATA_DIR}/{kind.folder}.json", json_bytes(records_json(site, kind.key))) for kind in KINDS]
    assets += [Asset(f"{DATA_DIR}/{t.file}", csv_bytes([c.key for c in t.columns], rows(site, t))) for t in tables()]
    return assets + schema_assets()


def data_exports(ctx: BuildContext) -> list[Asset]:
    """The open data: records as JSON and CSV, and the schemas."""
    return data_assets(ctx.site)


def _sources(site: Site) -> list[dict]:
    """Each distinct source with how many records of each kind cite it, most cited first."""
    found: dict[tuple, dict] = {}
    for kind in KINDS:
        for record in kind.records(site):
            src = record.get("source") or {}
            key = tuple(src.get(k, "") for k in ("title", "author", "date", "url"))
            entry = found.setdefault(key, {"source": src, "counts": {k.key: 0 for k in KINDS}})
            entry["counts"][kind.key] += 1
    return sorted(found.values(), key=lambda e: (-sum(e["counts"].values()), e["source"].get("title", "")))


def data_pages(ctx: BuildContext) -> list[Page]:
    """The `/data/` page: downloads, columns, how figures are counted, what is not in the calendar or feed."""
    site = ctx.site
    files = [(f"{kind.folder}.json", len(kind.records(site)), kind.key) for kind in KINDS]
    table_rows = [(t, row_count(site, t)) for t in tables()]
    return [ctx.render(
        "jx/data.html", f"{DATA_DIR}/index.md", f"{DATA_DIR}/", "开放数据",
        "匠心滨州的全部记录：工作室、工匠故事和全市年度数据的 JSON 与 CSV 文件、字段定义（JSON Schema），"
        "以及各项数字的统计口径。",
        publisher=ctx.publisher, labels={k.key: k.label for k in KINDS}, counters={k.key: k.counter for k in KINDS},
        json_files=files, tables=table_rows, schemas=[a.path.rsplit("/", 1)[1] for a in schema_assets()],
        sources=_sources(site), feed=feeds.FEED_PATH, calendar=feeds.CALENDAR_PATH, levels=LEVELS,
        dated=feeds.dated_outreach(site), undated=feeds.undated_outreach(site),
    )]  # fmt: skip
