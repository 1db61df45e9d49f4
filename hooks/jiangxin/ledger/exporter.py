"""Writing the ledger workbook (openpyxl): the empty template, or every record for reporting upward.

Both have the layout of `ledger.layout`, so an exported workbook imports again unchanged.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jiangxin.ledger.layout import BOOLEAN_LABELS, GUIDE_SHEET, Column, Sheet, sheets
from jiangxin.ledger.reader import column_letter
from jiangxin.records.model import Site

MAX_ROW = 1_048_576  # Excel's last row: dropdowns and formats cover the whole column
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
DATE_FORMAT = "yyyy-mm-dd"
WIDTHS = {"paragraph": 40, "texts": 24, "date": 12, "year": 8, "number": 10, "integer": 10, "boolean": 10}
GUIDE = (
    "本工作簿是“匠心滨州”网站的台账模板，由网站的记录格式自动生成。",
    "每张表第一行是表头，不要改动表头文字；带 * 的列必填。有下拉箭头的列请从列表里选。",
    "“工作室”表一行一个工作室；“编号”是网址和文件名，新建时留空，导入时按名称的拼音自动生成，已有的编号不会改变。",
    "“难题攻关”“人才成长”等表一行一项，用“工作室编号”或“工作室名称”写明属于哪个工作室；同一工作室的多行可以合并单元格。",
    "一格里写几项（如荣誉称号、关键词）时，每项一行（Alt+回车），或用“；”隔开；面向、主题等可选项用“、”隔开。",
    "数量列可以连单位和约数一起写，如 近1000人次、360万元、30余项；"
    "日期写 2025年5月1日、2025.5.1 都可以；年份列只记年份。",
    "不写身份证号、手机号等个人信息；只填报道或命名文件里有出处的事实。",
    "填好后运行 python3 scripts/ledger.py import 台账.xlsx --check 检查，无误再去掉 --check 导入。",
)


def template(path: Path) -> None:
    """The empty ledger: headers, dropdowns, formats and the 说明 sheet."""
    _save(_workbook(None), path)


def export(path: Path, site: Site) -> None:
    """Every record of the ledger's kinds, in the ledger's layout."""
    _save(_workbook(site), path)


def _save(book: Workbook, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    os.replace(tmp, path)


def _workbook(site: Site | None) -> Workbook:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for sheet in sheets():
        ws = book.create_sheet(sheet.name)
        _header(ws, sheet)
        if site is not None:
            for row in _rows(sheet, site):
                ws.append(row)
            _formats(ws, sheet)
    _guide(book.create_sheet(GUIDE_SHEET))
    return book


def _header(ws: Worksheet, sheet: Sheet) -> None:
    ws.append([c.label for c in sheet.columns])
    ws.freeze_panes = "A2"
    for n, column in enumerate(sheet.columns, 1):
        cell = ws.cell(row=1, column=n)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.marked else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.note:
            cell.comment = Comment(column.note, "匠心滨州")
        letter = column_letter(n)
        dimension = ws.column_dimensions[letter]
        dimension.width = max(WIDTHS.get(column.kind, 16), min(len(column.label) * 2 + 2, 30))
        # Text columns are text in Excel too: digit strings typed there stay digits.
        dimension.number_format = DATE_FORMAT if column.kind == "date" else "@" if column.kind in _TEXT else "General"
        if column.options:
            labels = [label for _, label in column.options]
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(labels) + '"',
                allow_blank=True,
                # Several choices go in one cell (企业、校园): the list offers one, typing more is allowed.
                showErrorMessage=column.kind != "enums",
                errorTitle="不是可选的值",
                error=f"请从下拉列表里选：{'、'.join(labels)}",
                showInputMessage=True,
                promptTitle=column.header,
                prompt=("可选：" + "、".join(labels))[:255],
            )
            rule.add(f"{letter}2:{letter}{MAX_ROW}")
            ws.add_data_validation(rule)


_TEXT = frozenset({"id", "parent", "parent_name", "text", "paragraph", "texts", "enum", "enums", "boolean"})


def _formats(ws: Worksheet, sheet: Sheet) -> None:
    for n, column in enumerate(sheet.columns, 1):
        for (cell,) in ws.iter_rows(min_row=2, min_col=n, max_col=n):
            if column.kind == "date" and isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif column.kind in _TEXT:
                cell.number_format = "@"
                if column.kind in ("paragraph", "texts"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _rows(sheet: Sheet, site: Site) -> list[list[object]]:
    rows = []
    title = sheet.kind.title_field
    for record in sheet.kind.records(site):
        data = record.data
        if not sheet.list_field:
            rows.append([record.id, *(_cell(c, _at(data, c.path)) for c in sheet.columns[1:])])
            continue
        for entry in data.get(sheet.list_field, ()):
            rows.append([record.id, data.get(title), *(_cell(c, _at(entry, c.path)) for c in sheet.columns[2:])])
    return rows


def _at(value: object, path: tuple[str, ...]) -> object:
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _cell(column: Column, value: object) -> object:
    if value is None:
        return None
    if column.kind == "boolean":
        return BOOLEAN_LABELS[bool(value)]
    if column.kind == "enum":
        return column.label_of(str(value))
    if column.kind == "enums" and isinstance(value, Sequence):
        return "、".join(column.label_of(str(v)) for v in value)
    if column.kind == "texts" and isinstance(value, Sequence) and not isinstance(value, str):
        items = [str(v) for v in value]
        joined = "\n".join(items)
        # One item holding ；would read back as two: a line break makes the cell split by lines.
        return joined + "\n" if len(items) == 1 and any(s in joined for s in "；;") else joined
    if column.kind == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _guide(ws: Worksheet) -> None:
    ws.append(["填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in GUIDE:
        ws.append([line])
    ws.append([])
    head = ["工作表", "列", "必填", "字段", "说明", "可选值"]
    ws.append(head)
    header_row = ws.max_row
    for n in range(1, len(head) + 1):
        ws.cell(row=header_row, column=n).font = Font(bold=True)
        ws.cell(row=header_row, column=n).fill = HEADER_FILL
    for sheet in sheets():
        for column in sheet.columns:
            path = ".".join((sheet.list_field, *column.path) if sheet.list_field else column.path)
            required = "必填" if column.marked else "填了这一组时必填" if column.required else ""
            options = "、".join(label for _, label in column.options)
            ws.append([sheet.name, column.header, required, path, column.note, options])
    for letter, width in zip("ABCDEF", (12, 22, 14, 26, 70, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{header_row + 1}"
