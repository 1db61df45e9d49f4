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
from functools import lru_cache
from types import MappingProxyType

import jinja2

from . import feeds, posters, recordschema
from .formatting import number
from .model import Record, Site
from .pages import Asset, Page, render_page

# Mirrors `site_author` in mkdocs.yml (page builders do not see the config; a test keeps the two equal).
PUBLISHER = "滨州市总工会"
DATA_DIR = "data"
KIND_FILES = {"studio": "studios", "story": "stories", "report": "reports"}
KIND_LABELS = {"studio": "工作室", "story": "工匠故事", "report": "全市年度数据"}
KIND_COUNTERS = {"studio": "个工作室", "story": "篇故事", "report": "份全市年度数据"}
# The column that names the parent record in a child table (one row per list entry).
PARENT_KEY = {"studio": "studio_id", "story": "story_id", "report": "report_year"}
LIST_SEPARATOR = "\n"
# Excel on Windows reads a CSV without a byte-order mark as the local code page (GBK) and garbles Chinese.
BOM = "\ufeff"


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


def _short(title: str) -> str:
    return re.split(r"[：，（]", title)[0]


def _walk(
    schema: Mapping, doc: str, prefix: tuple[str, ...], titles: tuple[str, ...]
) -> tuple[list[Column], list[tuple[str, Mapping, str, str]]]:
    """Scalar and list-of-scalar columns of an object schema, and its lists of objects (each becomes a child table)."""
    schema, doc = recordschema.resolve(schema, doc)
    columns: list[Column] = []
    children: list[tuple[str, Mapping, str, str]] = []
    for name, raw in schema.get("properties", {}).items():
        # `resolve` keeps the property's own title over the shared definition's.
        sub, subdoc = recordschema.resolve(raw, doc)
        title = sub.get("title", "")
        path, names = prefix + (name,), titles + (_short(title),)
        if sub.get("type") == "object":
            more, nested = _walk(sub, subdoc, path, names)
            columns += more
            children += nested
        elif sub.get("type") == "array":
            items, itemdoc = recordschema.resolve(sub.get("items", {}), subdoc)
            if items.get("type") == "object" and not prefix:
                children.append((name, items, itemdoc, _short(title)))
            else:
                columns.append(Column(".".join(path), "·".join(titles + (title,)), is_list=True))
        else:
            columns.append(Column(".".join(path), "·".join(titles + (title,))))
    return columns, children


@lru_cache(maxsize=1)
def tables() -> tuple[Table, ...]:
    """Every CSV table, derived from the schemas: a main table per kind, then one per list of entries."""
    out = []
    for kind, plural in KIND_FILES.items():
        doc = f"{kind}.schema.json"
        columns, children = _walk(recordschema.documents()[doc], doc, (), ())
        out.append(Table(plural, kind, None, KIND_LABELS[kind], (Column("id", "编号（记录的文件名）"), *columns)))
        for field, items, itemdoc, title in children:
            item_columns, _ = _walk(items, itemdoc, (), ())
            head = (
                Column(PARENT_KEY[kind], f"所属记录的编号（{KIND_FILES[kind]}.csv 的 id）"),
                Column("position", f"在该记录“{title}”中的顺序，从 1 起"),
            )
            out.append(Table(f"{kind}_{field}", kind, field, title, (*head, *item_columns)))
    return tuple(out)


def _records(site: Site, kind: str) -> tuple[Record, ...]:
    return {"studio": site.studios, "story": site.stories, "report": site.reports}[kind]


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
    writer.writerows(body)
    return (BOM + buffer.getvalue()).encode("utf-8")


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
        for p in sorted(recordschema.SCHEMA_DIR.glob("*.schema.json"))
    ]


def data_assets(site: Site) -> list[Asset]:
    """JSON per kind, CSV per table, and the schemas."""
    assets = [
        Asset(f"{DATA_DIR}/{plural}.json", json_bytes(records_json(site, kind))) for kind, plural in KIND_FILES.items()
    ]
    assets += [Asset(f"{DATA_DIR}/{t.file}", csv_bytes([c.key for c in t.columns], rows(site, t))) for t in tables()]
    return assets + schema_assets()


def all_exports(env: jinja2.Environment, site: Site, site_url: str | None) -> list[Asset]:
    """Every generated file of this module family: open data, story feed, outreach calendar, QR codes and posters."""
    assets = data_assets(site)
    # Atom ids and links must be absolute: no address, no feed (the /data/ page says so).
    if site_url:
        assets.append(Asset(feeds.FEED_PATH, feeds.atom_feed(site, site_url, PUBLISHER)))
    # Published even before the first dated talk, so that readers can subscribe early.
    assets.append(Asset(feeds.CALENDAR_PATH, feeds.outreach_calendar(site, site_url)))
    return assets + posters.poster_assets(env, site, site_url)


def _sources(site: Site) -> list[dict]:
    """Each distinct source with how many records of each kind cite it, most cited first."""
    found: dict[tuple, dict] = {}
    for kind in KIND_FILES:
        for record in _records(site, kind):
            src = record.get("source") or {}
            key = tuple(src.get(k, "") for k in ("title", "author", "date", "url"))
            entry = found.setdefault(key, {"source": src, "counts": dict.fromkeys(KIND_FILES, 0)})
            entry["counts"][kind] += 1
    return sorted(found.values(), key=lambda e: (-sum(e["counts"].values()), e["source"].get("title", "")))


def data_pages(env: jinja2.Environment, site: Site, site_url: str | None = None) -> list[Page]:
    """The `/data/` page: downloads, columns, how figures are counted, what is not in the calendar or feed."""
    files = [(f"{plural}.json", len(_records(site, kind)), kind) for kind, plural in KIND_FILES.items()]
    table_rows = [(t, row_count(site, t)) for t in tables()]
    return [
        render_page(
            env,
            "jx/data.html",
            f"{DATA_DIR}/index.md",
            f"{DATA_DIR}/",
            "开放数据",
            "匠心滨州的全部记录：工作室、工匠故事和全市年度数据的 JSON 与 CSV 文件、字段定义（JSON Schema），以及各项数字的统计口径。",
            site=site,
            publisher=PUBLISHER,
            labels=KIND_LABELS,
            counters=KIND_COUNTERS,
            json_files=files,
            tables=table_rows,
            schemas=[a.path.rsplit("/", 1)[1] for a in schema_assets()],
            sources=_sources(site),
            site_url=site_url,
            feed=feeds.FEED_PATH,
            calendar=feeds.CALENDAR_PATH,
            dated=feeds.dated_outreach(site),
            undated=feeds.undated_outreach(site),
        )
    ]
