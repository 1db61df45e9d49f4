"""Importing a ledger workbook into content/: every record change planned and checked before anything is written.

A workbook updates only what it has: a column it lacks leaves that field alone, an entry sheet
it lacks leaves that list alone. A column it has is the truth for the records it lists (an empty
cell removes the field), and so is an entry sheet for the records named in it or in the kind's sheet.
"""

from __future__ import annotations

import copy
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jiangxin.checks import privacy
from jiangxin.content.loader import Parsed, parse_record
from jiangxin.ledger import reader, writer
from jiangxin.ledger.layout import Column, Sheet, sheets
from jiangxin.ledger.reader import Cell, CellError, Table, column_letter
from jiangxin.problems import Problem
from jiangxin.records import catalogue, ids
from jiangxin.records.registry import KIND, RecordKind

STATUS = {"new": "新建", "changed": "修改", "unchanged": "不变"}
FIELD_PATH = re.compile(r"([^.\[\]（]+)|\[(\d+)\]")


@dataclass
class Existing:
    """A record file already under content/."""

    path: Path
    text: str
    parsed: Parsed


@dataclass
class Row:
    """One row of a sheet, its cells read: value path → value (None: the cell is empty, the field is removed)."""

    table: Table
    number: int
    values: dict[tuple, object] = field(default_factory=dict)
    cells: dict[int, Cell] = field(default_factory=dict)
    ok: bool = True

    def ref(self, path: tuple) -> str:
        col = self.table.column_of(path)
        return f"{self.table.name}!{column_letter(col)}{self.number}" if col else f"{self.table.name}!第{self.number}行"


@dataclass
class Target:
    """One record the workbook touches: its id, its row, its entries and where each value came from."""

    kind: RecordKind
    id: str
    row: Row | None
    entries: dict[str, list[Row]] = field(default_factory=dict)
    origin: dict[tuple, tuple[str, str]] = field(default_factory=dict)  # value path → (cell, field label)


@dataclass
class Change:
    """What importing does to one record file."""

    kind: RecordKind
    id: str
    path: Path
    status: str  # new, changed, unchanged
    text: str | None = None
    fields: tuple[str, ...] = ()


@dataclass
class Plan:
    changes: list[Change]
    problems: list[Problem]
    skipped_sheets: list[str] = field(default_factory=list)


class _Importer:
    def __init__(self, workbook: Path, project: Path, label: str):
        self.project, self.label = project, label
        self.content = project / "content"
        self.problems: list[Problem] = []
        self.reported: set[str] = set()  # cells with a problem: the record check does not name them again
        self.tables, self.skipped, whole = reader.read_workbook(workbook)
        self.problems += [Problem.file(label, "ledger.unreadable-workbook", message) for message in whole]
        self.existing = {kind.key: _existing(self.content / kind.folder, kind) for kind in _kinds()}
        self.targets: dict[str, dict[str, Target]] = {kind.key: {} for kind in _kinds()}

    def problem(self, where: str, label: str, code: str, message: str) -> None:
        self.problems.append(Problem(f"{self.label} {where}", 0, 0, label, message, code=code))
        self.reported.add(where)

    def run(self) -> Plan:
        if not self.tables and not self.problems:
            names = "、".join(s.name for s in sheets())
            self.problems.append(
                Problem.file(
                    self.label,
                    "ledger.no-sheets",
                    f"工作簿里没有可导入的工作表（应叫 {names}），请用模板（template）生成的表格填写。",
                )
            )
        for table in self.tables:
            self.check_table(table)
        for kind in _kinds():
            main = [t for t in self.tables if t.layout.kind is kind and not t.layout.list_field]
            for table in main:
                self.records(table)
            for table in self.tables:
                if table.layout.kind is kind and table.layout.list_field:
                    self.entries(table)
        changes = self.plan()
        return Plan(changes, self.problems, self.skipped)

    def check_table(self, table: Table) -> None:
        layout = table.layout
        for cell, code, message in table.problems:
            self.problem(f"{table.name}!{cell.ref}", "表头", code, message)
        if not table.header_row:
            self.problem(
                table.name,
                "",
                "ledger.no-header",
                f"找不到表头：前 {reader.MAX_HEADER_ROW} 行里没有“{layout.key.header}”这样的列名，请用模板的表头。",
            )
            return
        found = set(table.columns.values())
        if not layout.list_field:
            title = layout.column((layout.kind.title_field,))
            if title not in found:
                self.problem(
                    f"{table.name}!{table.header_row}行",
                    "",
                    "ledger.missing-column",
                    f"缺少“{title.header if title else ''}”列：每一行靠它认出是哪条记录，请加上这一列。",
                )
        elif not found & set(layout.columns[:2]):
            self.problem(
                f"{table.name}!{table.header_row}行",
                "",
                "ledger.missing-column",
                f"缺少“{layout.columns[0].header}”或“{layout.columns[1].header}”列：每一行靠它认出属于哪个{layout.kind.label}。",
            )
        for cell in table.cells:
            for finding in privacy.scan(reader.raw_text(cell.value)):
                column = table.columns.get(cell.col)
                self.problem(
                    f"{table.name}!{cell.ref}",
                    _label(layout, column),
                    finding.code,
                    privacy.message(finding).replace("请删去", "请删去这一格里的号码"),
                )

    def read_row(self, table: Table, cells: list[Cell]) -> Row:
        row = Row(table, cells[0].row, cells={c.col: c for c in cells})
        extras: list[tuple[tuple, str, object]] = []
        for col, column in table.columns.items():
            cell = row.cells.get(col)
            if not column.path:
                continue
            if cell is None:
                row.values[column.path] = None
                continue
            try:
                value = reader.read(cell.value, column)
            except CellError as err:
                self.problem(f"{table.name}!{cell.ref}", _label(table.layout, column), "ledger.bad-cell", str(err))
                row.ok = False
                continue
            if column.kind == "number":
                assert isinstance(value, tuple)
                value, approx, unit = value
                extras += [
                    (column.path[:-1] + ("approx",), cell.ref, approx),
                    (column.path[:-1] + ("unit",), cell.ref, unit),
                ]
            row.values[column.path] = value
        for path, ref, typed in extras:
            if not typed:
                continue
            given = row.values.get(path)
            if given is None:
                row.values[path] = typed
            elif given != typed:
                sibling = table.layout.column(path)
                self.problem(
                    f"{table.name}!{ref}",
                    _label(table.layout, table.layout.column(path[:-1] + ("value",))),
                    "ledger.unit-mismatch",
                    f"数字后写的“{typed}”与“{sibling.header if sibling else path[-1]}”列的“{given}”不一致，"
                    "请只在一处填写。",
                )
                row.ok = False
        return row

    def records(self, table: Table) -> None:
        kind = table.layout.kind
        existing = self.existing[kind.key]
        by_name: dict[str, list[str]] = defaultdict(list)
        for record_id, item in existing.items():
            name = (item.parsed.value or {}).get(kind.title_field)
            if isinstance(name, str):
                by_name[name.strip()].append(record_id)
        seen_names: dict[str, int] = {}
        id_col = next((c for c, col in table.columns.items() if col.kind == "id"), None)
        targets = self.targets[kind.key]
        title_path = (kind.title_field,)
        for cells in table.rows:
            row = self.read_row(table, cells)
            row.values = {p: self.reference(row, p, v) for p, v in row.values.items()}
            name = row.values.get(title_path)
            id_cell = row.cells.get(id_col) if id_col else None
            given = reader.text(id_cell.value) if id_cell else ""
            where = row.ref(title_path)
            if isinstance(name, str) and name in seen_names:
                self.problem(
                    where,
                    _label(table.layout, table.layout.column(title_path)),
                    "ledger.duplicate-row",
                    f"与第 {seen_names[name]} 行重复：同名的{kind.label}只能有一行，请合并或删去一行。",
                )
                continue
            if isinstance(name, str):
                seen_names[name] = row.number
            id_where = row.ref(()) if id_col else where
            record_id = self.resolve_id(row, given, name, by_name, id_where)
            if not record_id:
                # Without an id the row is still checked, under a key no file can have; it is never written.
                targets[f"#{table.name}!{row.number}"] = Target(kind, "", row)
                continue
            if record_id in targets and targets[record_id].row is not None:
                other = targets[record_id].row
                assert other is not None
                self.problem(
                    id_where,
                    "编号",
                    "ledger.duplicate-id",
                    f"编号“{record_id}”与第 {other.number} 行相同：每条记录的编号不能重复，请改一个或清空让程序生成。",
                )
                continue
            target = targets.setdefault(record_id, Target(kind, record_id, row))
            target.row = row

    def reference(self, row: Row, path: tuple, value: object) -> object:
        """A field naming a record of another kind (a story's `studio`) may give its name: the id is kept."""
        other = KIND.get(path[-1]) if len(path) == 1 else None
        if other is None or other is row.table.layout.kind or not isinstance(value, str):
            return value
        found = self.find(other, value, value)
        return found or value

    def find(self, kind: RecordKind, record_id: str, name: str) -> str | None:
        """The id of a record of `kind` given by id or by name: in the workbook first, then under content/."""
        if record_id in self.targets[kind.key] or record_id in self.existing[kind.key]:
            return record_id
        named = [
            t.id for t in self.targets[kind.key].values() if t.row and t.row.values.get((kind.title_field,)) == name
        ]
        if not named:
            named = [
                i for i, e in self.existing[kind.key].items() if (e.parsed.value or {}).get(kind.title_field) == name
            ]
        return named[0] if len(named) == 1 else None

    def resolve_id(self, row: Row, given: str, name: object, by_name: dict[str, list[str]], where: str) -> str:
        kind = row.table.layout.kind
        existing = self.existing[kind.key]
        if given:
            if given in kind.reserved_ids or not kind.id_pattern.fullmatch(given):
                self.problem(
                    where,
                    "编号",
                    "ledger.bad-id",
                    f"“{given}”不能作编号：只能用小写英文字母、数字和连字符（如 zhangsan），"
                    f"也不能是 {'、'.join(kind.reserved_ids)}。",
                )
                return ""
            old = existing.get(given)
            old_name = (old.parsed.value or {}).get(kind.title_field) if old else None
            if old is not None and isinstance(name, str) and old_name is not None and old_name != name:
                self.problem(
                    where,
                    "编号",
                    "ledger.id-taken",
                    f"编号“{given}”已是“{old_name}”（content/{kind.folder}/{old.path.name}）：这一行是“{name}”。"
                    "是另一条记录的话，请清空编号，由程序按拼音生成；要给已有记录改名，请直接编辑它的 YAML 文件。",
                )
                return ""
            twins = [i for i in by_name.get(str(name), []) if i != given]
            if old is None and twins:
                self.problem(
                    where,
                    "编号",
                    "ledger.existing-record",
                    f"“{name}”已有记录 content/{kind.folder}/{twins[0]}.yml（编号 {twins[0]}）："
                    f"请把编号改成 {twins[0]}，或清空编号。",
                )
                return ""
            return given
        if not isinstance(name, str):
            return ""  # the missing name is reported by the schema check
        same = by_name.get(name, [])
        if len(same) > 1:
            self.problem(
                where,
                "编号",
                "ledger.ambiguous-name",
                f"已有 {len(same)} 条记录叫“{name}”（{'、'.join(same)}）：请在编号列写明是哪一条。",
            )
            return ""
        if same:
            return same[0]  # an existing record keeps its id
        studio = row.values.get(("studio",)) if kind.key != "studio" else None
        base = ids.base_id(name, kind.key, studio if isinstance(studio, str) else None)
        if not base:
            self.problem(
                where,
                "编号",
                "ledger.no-id",
                f"无法从“{name}”按拼音生成编号（里面没有汉字、英文字母或数字）：请在编号列自己填写，如 zhangsan。",
            )
            return ""
        taken = set(existing) | set(self.targets[kind.key]) | set(kind.reserved_ids)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def entries(self, table: Table) -> None:
        layout = table.layout
        kind = layout.kind
        id_col = next((c for c, col in table.columns.items() if col.kind == "parent"), None)
        name_col = next((c for c, col in table.columns.items() if col.kind == "parent_name"), None)
        # Every record listed in the kind's sheet gets this list from here, none of its entries left.
        for target in self.targets[kind.key].values():
            if target.row is not None:
                target.entries.setdefault(layout.list_field, [])
        for cells in table.rows:
            row = self.read_row(table, cells)
            id_cell = row.cells.get(id_col) if id_col else None
            name_cell = row.cells.get(name_col) if name_col else None
            given = reader.text(id_cell.value) if id_cell else ""
            name = reader.text(name_cell.value) if name_cell else ""
            where = (
                f"{table.name}!{id_cell.ref}"
                if id_cell
                else f"{table.name}!{name_cell.ref}"
                if name_cell
                else row.ref(())
            )
            if not any(v is not None for v in row.values.values()):
                continue  # only the record's name: an empty entry row
            if not given and not name:
                self.problem(
                    where,
                    layout.columns[0].header,
                    "ledger.no-parent",
                    f"这一行没有写属于哪个{kind.label}：请填写{layout.columns[0].header}或{layout.columns[1].header}。",
                )
                continue
            record_id = self.find(kind, given, name) if given else self.find(kind, "", name)
            if record_id is None:
                what = f"编号“{given}”" if given else f"“{name}”"
                self.problem(
                    where,
                    layout.columns[0].header,
                    "ledger.unknown-parent",
                    f"找不到{what}：它不在“{_main_sheet(kind)}”表里，content/{kind.folder} 里也没有。"
                    f"请核对{kind.label}的编号或名称。",
                )
                continue
            if given and name:
                actual = self.name_of(kind, record_id)
                if actual is not None and actual != name:
                    self.problem(
                        f"{table.name}!{name_cell.ref}" if name_cell else where,
                        layout.columns[1].header,
                        "ledger.parent-mismatch",
                        f"编号“{record_id}”是“{actual}”，不是“{name}”：请核对这一行属于哪个{kind.label}。",
                    )
                    continue
            target = self.targets[kind.key].setdefault(record_id, Target(kind, record_id, None))
            target.entries.setdefault(layout.list_field, []).append(row)

    def name_of(self, kind: RecordKind, record_id: str) -> str | None:
        target = self.targets[kind.key].get(record_id)
        if target and target.row:
            name = target.row.values.get((kind.title_field,))
            return name if isinstance(name, str) else None
        old = self.existing[kind.key].get(record_id)
        name = (old.parsed.value or {}).get(kind.title_field) if old else None
        return name if isinstance(name, str) else None

    def plan(self) -> list[Change]:
        changes = []
        studios = set(self.existing.get("studio", {})) | set(self.targets.get("studio", {}))
        for kind in _kinds():
            for record_id in sorted(self.targets[kind.key]):
                target = self.targets[kind.key][record_id]
                change = self.change(target, studios)
                if change is not None:
                    changes.append(change)
        return changes

    def change(self, target: Target, studios: set[str]) -> Change | None:
        kind = target.kind
        old = self.existing[kind.key].get(target.id)
        if old is not None and old.parsed.source is None:
            where = target.row.ref(()) if target.row else target.id
            self.problem(
                where,
                "",
                "ledger.broken-record",
                f"content/{kind.folder}/{old.path.name} 本身有错误、读不出来，无法更新："
                "请先运行 python3 scripts/check.py 改正它。",
            )
            return None
        value = copy.deepcopy(old.parsed.value) if old is not None and old.parsed.value is not None else {}
        if target.row is not None:
            for path, v in target.row.values.items():
                _set(value, path, v, kind, ())
            target.origin.update(_origins(target.row, ()))
            target.origin[()] = (target.row.ref((kind.title_field,)), "")
        for list_field, rows in target.entries.items():
            listed = value.get(list_field)
            old_list: list = listed if isinstance(listed, list) else []
            new_list = []
            for i, row in enumerate(rows):
                entry = copy.deepcopy(old_list[i]) if i < len(old_list) and isinstance(old_list[i], dict) else {}
                for path, v in row.values.items():
                    _set(entry, path, v, kind, (list_field, "*"))
                target.origin.update(_origins(row, (list_field, i)))
                target.origin[(list_field, i)] = (f"{row.table.name}!第{row.number}行", "")
                new_list.append(entry)
            _set(value, (list_field,), new_list or None, kind, ())
        rel = f"content/{kind.folder}/{old.path.name if old else (target.id or 'new') + '.yml'}"
        file = old.path if old else self.content / kind.folder / f"{target.id}.yml"
        if old is not None and value == old.parsed.value:
            return Change(kind, target.id, file, "unchanged")
        if old is not None:
            assert old.parsed.source is not None
            text = writer.update(old.text, old.parsed.source, old.parsed.value or {}, value)
        else:
            text = writer.new_file(kind, value)
        checked = parse_record(kind.key, text.encode("utf-8"), rel, target.id)
        if old is not None and not checked.problems and checked.value != value:
            # The line patch did not give the value meant (a layout it does not know): write the record anew.
            text = _leading_comments(old.text) + writer.dump(value)
            checked = parse_record(kind.key, text.encode("utf-8"), rel, target.id)
        for problem in checked.problems:
            self.located(target, problem, rel)
        ref = value.get("studio")
        if kind.key != "studio" and isinstance(ref, str) and ref not in studios:
            where, label = target.origin.get(("studio",), (target.id, "studio（所属工作室）"))
            self.problem(
                where,
                label,
                "ledger.unknown-studio",
                f"找不到编号为“{ref}”的工作室：它不在工作室表里，content/studios 里也没有。",
            )
        if not target.id:
            return None
        fields = tuple(
            k
            for k in dict.fromkeys([*value, *(old.parsed.value or {} if old else {})])
            if (old is None or value.get(k) != (old.parsed.value or {}).get(k))
        )
        return Change(kind, target.id, file, "changed" if old else "new", text, fields)

    def located(self, target: Target, problem: Problem, rel: str) -> None:
        """A problem of a would-be file, told at the cell its value came from."""
        path = _path(problem.field)
        while path:
            # A field without a column of its own (a quantity's unit) is told at its object's first cell.
            near = [k for k in target.origin if k[: len(path)] == path]
            if near:
                where, label = target.origin[path if path in target.origin else near[0]]
                if where not in self.reported:
                    label = label if path in target.origin and label else problem.field
                    self.problem(where, label, problem.code, problem.message)
                return
            path = path[:-1]
        self.problems.append(problem)


def _origins(row: Row, prefix: tuple) -> dict[tuple, tuple[str, str]]:
    """Where each value of a row comes from: every column the sheet has, read or not."""
    return {
        (*prefix, *c.path): (row.ref(c.path), _label(row.table.layout, c)) for c in row.table.columns.values() if c.path
    }


def _main_sheet(kind: RecordKind) -> str:
    return next(s.name for s in sheets() if s.kind is kind and not s.list_field)


def _kinds() -> list[RecordKind]:
    return list(dict.fromkeys(s.kind for s in sheets()))


def _label(layout: Sheet, column: Column | None) -> str:
    if column is None:
        return ""
    if not column.path:
        return column.header
    path = ".".join((layout.list_field, *column.path) if layout.list_field else column.path)
    return f"{path}（{column.header}）"


def _path(field_text: str) -> tuple:
    name = field_text.split("（", 1)[0]
    return tuple(int(index) if index else part for part, index in FIELD_PATH.findall(name))


@cache
def _orders(kind: str) -> dict[tuple, list[str]]:
    """The schema order of the keys of every object of a kind, by the object's path (`*` for list items)."""
    orders: dict[tuple, list[str]] = defaultdict(list)
    for f in catalogue.fields(kind):
        if f.name != "*":
            orders[f.path[:-1]].append(f.name)
    return orders


def _same(old: object, new: object) -> bool:
    """Whether a cell's value says what the record has (text as Excel keeps it: spaces at the ends dropped)."""
    if isinstance(old, str) and isinstance(new, str):
        if "\n" in old or "\n" in new:
            return [line.rstrip() for line in old.strip().split("\n")] == [
                line.rstrip() for line in new.strip().split("\n")
            ]
        return " ".join(old.split()) == " ".join(new.split())
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return old == new


def _set(value: dict, path: tuple, new: object, kind: RecordKind, at: tuple) -> None:
    """Set (or with None remove) the field at `path`, a new key at its schema place; empty objects go."""
    key, rest = path[0], path[1:]
    if rest:
        child = value.get(key)
        if not isinstance(child, dict):
            if new is None:
                return
            child = {}
            _insert(value, key, child, kind, at)
        _set(child, rest, new, kind, (*at, key))
        if not child:
            value.pop(key, None)
        return
    if new is None or new == []:
        value.pop(key, None)
    elif key in value:
        if not _same(value[key], new):
            value[key] = new
    else:
        _insert(value, key, new, kind, at)


def _insert(value: dict, key: str, new: object, kind: RecordKind, at: tuple) -> None:
    order = _orders(kind.key).get(at, [])
    rank = {k: i for i, k in enumerate(order)}
    items = list(value.items())
    place = len(items)
    if key in rank:
        before = [i for i, (k, _) in enumerate(items) if rank.get(k, -1) < rank[key]]
        place = before[-1] + 1 if before else 0
    items.insert(place, (key, new))
    value.clear()
    value.update(items)


def _leading_comments(text: str) -> str:
    lines = text.split("\n")
    kept = []
    for line in lines:
        if line.startswith("#") or not line.strip():
            kept.append(line)
        else:
            break
    return "\n".join(kept).rstrip("\n") + "\n" if kept else ""


def _existing(folder: Path, kind: RecordKind) -> dict[str, Existing]:
    out: dict[str, Existing] = {}
    if not folder.is_dir():
        return out
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() not in (".yml", ".yaml") or not file.is_file():
            continue
        raw = file.read_bytes()
        rel = f"content/{kind.folder}/{file.name}"
        out[file.stem] = Existing(file, raw.decode("utf-8-sig", "replace"), parse_record(kind.key, raw, rel, file.stem))
    return out


def plan(workbook: Path, project: Path, label: str | None = None) -> Plan:
    """Every change importing `workbook` into `project/content` would make, or the problems that stop it."""
    return _Importer(workbook, project, label or workbook.name).run()


def apply(result: Plan) -> list[Change]:
    """Write the planned files (only when the plan has no problem); returns the changes written."""
    if result.problems:
        raise ValueError("a plan with problems is never written")
    written = []
    for change in result.changes:
        if change.text is None or change.status == "unchanged":
            continue
        change.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = change.path.with_name(f".{change.path.name}.ledger-tmp")
        tmp.write_text(change.text, encoding="utf-8", newline="\n")
        os.replace(tmp, change.path)
        written.append(change)
    return written


def report(problems: list[Problem]) -> str:
    """The Chinese report of a refused import, problems in sheet and row order."""
    head = f"台账检查发现 {len(problems)} 个问题，没有写入任何文件："
    return "\n".join([head, *(str(p) for p in problems)])


def summary(result: Plan, project: Path) -> str:
    """What the import does: new, changed and unchanged records, each changed one with its fields."""
    lines = []
    for status in ("new", "changed"):
        for c in (c for c in result.changes if c.status == status):
            rel = c.path.relative_to(project).as_posix() if c.path.is_relative_to(project) else c.path.as_posix()
            fields = "、".join(c.fields)
            lines.append(f"  {STATUS[status]}：{rel}" + (f"（{fields}）" if fields and status == "changed" else ""))
    counts = {s: sum(1 for c in result.changes if c.status == s) for s in STATUS}
    head = f"新建 {counts['new']} 条，修改 {counts['changed']} 条，不变 {counts['unchanged']} 条。"
    if result.skipped_sheets:
        head += f"（略过的工作表：{'、'.join(result.skipped_sheets)}）"
    return "\n".join([head, *lines])
