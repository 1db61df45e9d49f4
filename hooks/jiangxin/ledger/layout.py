"""The layout of the union's Excel ledger (台账), derived from the registry and the JSON Schemas.

A sheet per record kind an editor creates (one row per record) and a sheet per list of entries
(one row per entry, keyed by the record's id). Headers are the schema's Chinese titles, one per
field path; nested objects (领衔人, a quantity's 数量 / 单位 / 约数 …) become several columns.
The city's yearly figures (templated=False) are not in the ledger: they are quoted from the
official report, one file a year, and a spreadsheet must not overwrite them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from jiangxin.records import catalogue
from jiangxin.records.catalogue import Field
from jiangxin.records.registry import KINDS, RecordKind

ID_HEADER = "编号"
GUIDE_SHEET = "说明"  # the sheet explaining every column; never imported
REQUIRED_MARK = "*"
# Excel refuses these in sheet names, and a name has at most 31 characters.
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\：]")
BOOLEAN_LABELS = {True: "是", False: "否"}


@dataclass(frozen=True)
class Column:
    """One column: its header, the value path it fills (in the record, or in one entry) and how cells read."""

    header: str
    path: tuple[str, ...]
    kind: str  # id, parent, parent_name, text, paragraph, date, year, integer, number, boolean, enum, enums, texts
    required: bool = False  # required wherever its object is present
    marked: bool = False  # required in every row (header carries REQUIRED_MARK)
    note: str = ""  # the schema's whole title, for the 说明 sheet
    options: tuple[tuple[str, str], ...] = ()  # (value, Chinese label) of an enum

    @property
    def label(self) -> str:
        """The header as written in row 1."""
        return self.header + (REQUIRED_MARK if self.marked else "")

    def label_of(self, value: str) -> str:
        return dict(self.options).get(value, value)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the ledger: a kind's records (`list_field` "") or the entries of one of its lists."""

    name: str
    kind: RecordKind
    list_field: str
    columns: tuple[Column, ...]
    note: str = ""

    @property
    def key(self) -> Column:
        """The column that names the record of a row: its id, or in an entry sheet the record's id."""
        return self.columns[0]

    def column(self, path: tuple[str, ...]) -> Column | None:
        return next((c for c in self.columns if c.path == path), None)


def header_key(text: str) -> str:
    """A header as typed in a real ledger, reduced for matching: no spaces, half-width brackets, no required mark."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[（(]必填[)）]", "", text)
    return text.strip("*＊").lower()


def _column_kind(field: Field) -> str:
    if field.labels is not None:
        return "enum"
    if field.type == "array":
        return "enums" if catalogue.items(field).labels is not None else "texts"
    if field.type == "integer":
        return "year" if field.definition == "year" else "integer"
    if field.type in ("number", "boolean"):
        return str(field.type)
    if field.schema.get("format") == "date":
        return "date"
    if field.definition in ("paragraph", "markdown"):
        return "paragraph"
    return "text"


def _header(field: Field, parent: str) -> str:
    own = catalogue.short_title(field.title) or field.name
    if not parent:
        return own
    # A quantity's number is the quantity itself (数量), its other parts are prefixed (数量单位).
    if field.name == "value" or own.startswith((parent, parent[-2:])):
        return parent if field.name == "value" else own
    return parent + own


def _prefix(field: Field, parent: str) -> str:
    """What the columns of a nested object start with: its header, or the short form its fields use (出处)."""
    name = _header(field, parent)
    tail = name[-2:]
    titles = [catalogue.short_title(f.title) for f in catalogue.properties(field.schema, field.doc)]
    return tail if tail != name and any(t.startswith(tail) for t in titles) else name


def _columns(table: catalogue.Table) -> list[Column]:
    """The columns of one flat table (`catalogue.tables`), headed by the schema's short titles."""
    columns = []
    for leaf in table.columns:
        parent = ""
        for obj in leaf.within:
            parent = _prefix(obj, parent)
        field = leaf.field
        kind = _column_kind(field)
        options: tuple[tuple[str, str], ...] = ()
        if kind == "enum":
            options = tuple((field.labels or {}).items())
        elif kind == "enums":
            options = tuple((catalogue.items(field).labels or {}).items())
        elif kind == "boolean":
            options = (("true", BOOLEAN_LABELS[True]), ("false", BOOLEAN_LABELS[False]))
        note = field.described_title
        columns.append(
            Column(_header(field, parent), field.path, kind, field.required, leaf.always_required, note, options)
        )
    return columns


def _sheet_name(title: str, taken: set[str], kind: RecordKind) -> str:
    name = SHEET_NAME_REFUSED.sub("", catalogue.short_title(title))[:31] or kind.label
    if name in taken:
        name = f"{kind.label}{name}"[:31]
    taken.add(name)
    return name


@cache
def sheets() -> tuple[Sheet, ...]:
    """Every sheet of the ledger, in workbook order: each kind's record sheet, then its entry sheets."""
    out: list[Sheet] = []
    taken: set[str] = set()
    for kind in KINDS:
        if not kind.templated:
            continue
        schema, _ = catalogue.top(kind.key)
        main_table, *lists = catalogue.tables(kind.key)
        key = Column(
            ID_HEADER,
            (),
            "id",
            note=f"文件名，也是网址：content/{kind.folder}/<编号>.yml。新建时可留空，按拼音自动生成",
        )
        main = Sheet(
            _sheet_name(kind.label, taken, kind), kind, "", (key, *_columns(main_table)), schema.get("description", "")
        )
        out.append(main)
        title = main.column((kind.title_field,))
        for table in lists:
            field = table.entries
            assert field is not None
            parent = Column(
                f"{kind.label}{ID_HEADER}", (), "parent", note=f"所属{kind.label}的编号（“{main.name}”表的编号列）"
            )
            parent_name = Column(
                title.header if title else kind.label,
                (),
                "parent_name",
                note=f"所属{kind.label}的{title.header if title else '名称'}：编号留空时按它找{kind.label}",
            )
            out.append(
                Sheet(
                    _sheet_name(field.title, taken, kind),
                    kind,
                    field.name,
                    (parent, parent_name, *_columns(table)),
                    field.title,
                )
            )
    for sheet in out:
        headers = [header_key(c.header) for c in sheet.columns]
        assert len(set(headers)) == len(headers), f"{sheet.name}: two columns share a header"
    return tuple(out)


def sheet_named(name: str) -> Sheet | None:
    """The layout sheet a workbook's sheet name stands for (spaces and width ignored)."""
    return next((s for s in sheets() if header_key(s.name) == header_key(name)), None)
