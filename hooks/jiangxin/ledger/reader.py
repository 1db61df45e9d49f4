"""Reading a ledger workbook as real ones look: cells normalised to the values the schema wants.

python-calamine reads the values (dates in every built-in Chinese number format come back as
dates; openpyxl returns bare serials for formats 27–36 and 50–58). A merged cell holds its value
in its top-left cell only; here every row of the range gets it (a studio merged over its entries).
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from jiangxin.ledger.layout import GUIDE_SHEET, Column, Sheet, header_key, sheet_named
from jiangxin.text import HAN

# Rows above the header a real ledger may have (a title, a date line).
MAX_HEADER_ROW = 10
SUBTOTAL = re.compile(r"^(合计|小计|总计|共计)")
IGNORED_HEADERS = frozenset({"序号", "备注"})
# Excel dates are days since 1899-12-30; 1955 … 2119 covers every date a record holds, far from any year.
SERIAL_RANGE = (20000, 80000)
EXCEL_EPOCH = datetime.date(1899, 12, 30)
FULL_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
MONTH = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*月?")
YEAR = re.compile(r"(\d{4})\s*(?:年.*|[.\-/]\d{1,2}.*)?")
# A quantity as typed: 近1000人次, 360万元, 30余项, 1,000.
QUANTITY = re.compile(r"(?P<approx>超过?|近|约)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<after>余)?\s*(?P<unit>\S*)")
INTEGER = re.compile(rf"(\d+)\s*{HAN.pattern}{{0,3}}")
TRUE = frozenset({"是", "true", "√", "✓", "y", "yes", "1", "对"})
FALSE = frozenset({"否", "false", "×", "✗", "n", "no", "0", "不是"})
ENUM_SPLIT = re.compile(r"[、，,；;/\s]+")
TEXT_SPLIT = re.compile(r"[；;]")
# Beyond 15 significant digits Excel keeps only zeros: the number typed is gone.
EXACT_DIGITS = 10**15


@dataclass
class Cell:
    """One cell: 1-based row and column, and its value as calamine read it ("" when empty)."""

    row: int
    col: int
    value: object

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


@dataclass
class Table:
    """One sheet of a workbook matched to its layout: the columns found and the data rows."""

    name: str  # as the workbook spells it
    layout: Sheet
    header_row: int
    columns: dict[int, Column]  # workbook column number → layout column
    rows: list[list[Cell]] = field(default_factory=list)
    problems: list[tuple[Cell, str, str]] = field(default_factory=list)  # (header cell, problem code, message)
    cells: list[Cell] = field(default_factory=list)  # every non-empty cell, for the personal data scan

    def column_of(self, path: tuple[str, ...]) -> int | None:
        return next((n for n, c in self.columns.items() if c.path == path and c.kind not in ("parent_name",)), None)


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_workbook(path: Path) -> tuple[list[Table], list[str], list[str]]:
    """The workbook's sheets matched to the layout, the names of the sheets left aside, and whole-file problems."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own error types for every unreadable file
        return [], [], [f"无法读取这个文件（{err}）：请用 Excel 或 WPS 另存为 .xlsx 格式后再导入。"]
    tables, skipped = [], []
    for name in book.sheet_names:
        layout = sheet_named(name)
        if layout is None:
            if header_key(name) != header_key(GUIDE_SHEET):
                skipped.append(name)
            continue
        grid = _grid(book.get_sheet_by_name(name))
        tables.append(_table(name, layout, grid))
    return tables, skipped, []


def _grid(sheet) -> list[list[object]]:
    rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
    for (top, left), (bottom, _right) in sheet.merged_cell_ranges or ():
        # Rows of a merged range share its value (a grouping column); columns to its right stay empty.
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            if left < len(rows[r]) and rows[r][left] == "":
                rows[r][left] = value
    return rows


def _table(name: str, layout: Sheet, grid: list[list[object]]) -> Table:
    known = {header_key(c.header): c for c in layout.columns}
    for c in layout.columns:
        if c.path:
            known.setdefault(header_key(".".join(c.path)), c)
    header_row = 0
    for i, row in enumerate(grid[:MAX_HEADER_ROW]):
        if sum(1 for v in row if isinstance(v, str) and header_key(v) in known) >= min(2, len(layout.columns)):
            header_row = i + 1
            break
    table = Table(name, layout, header_row, {})
    if not header_row:
        return table
    for col, value in enumerate(grid[header_row - 1], 1):
        text = _text_of(value)
        key = header_key(text)
        if not key or key in IGNORED_HEADERS:
            continue
        column = known.get(key)
        cell = Cell(header_row, col, value)
        if column is None:
            table.problems.append((cell, "ledger.unknown-column", _unknown_header(text, layout)))
        elif column in table.columns.values():
            table.problems.append((cell, "ledger.duplicate-column", f"“{text}”列出现了两次，请删去其中一列。"))
        else:
            table.columns[col] = column
    for r, row in enumerate(grid[header_row:], header_row + 1):
        cells = [Cell(r, c, v) for c, v in enumerate(row, 1) if v != "" and v is not None]
        cells = [c for c in cells if not (isinstance(c.value, str) and not c.value.strip())]
        if not cells:
            continue
        table.cells.extend(cells)
        if _is_subtotal(cells) or not any(c.col in table.columns for c in cells):
            continue
        table.rows.append(cells)
    return table


def _is_subtotal(cells: list[Cell]) -> bool:
    """A 合计 / 小计 row: its first text says so (the ledger's totals are not records)."""
    texts = [_text_of(c.value).replace(" ", "") for c in cells if isinstance(c.value, str)]
    return bool(texts) and bool(SUBTOTAL.match(texts[0])) and len(texts[0]) <= 6


def _unknown_header(text: str, layout: Sheet) -> str:
    import difflib

    names = [c.header for c in layout.columns]
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.5)
    hint = f"是不是“{close[0]}”？" if close else f"这张表可用的列有：{'、'.join(names)}。"
    return (
        f"不认识的列“{text}”。{hint}请把表头改成模板里的写法；不需要导入的列请删去或移到别的工作表"
        "（“序号”“备注”列会被略过）。"
    )


def _text_of(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class CellError(ValueError):
    """A cell that cannot be read as its column wants; the message is Chinese and says how to fix it."""


def text(value: object, multiline: bool = False) -> str:
    """A text cell: numbers Excel made of digit strings back to their digits, dates as 年-月-日."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError("这一格是错误值或无穷大，请填写文字。")
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        if abs(value) >= EXACT_DIGITS:
            raise CellError(
                "这一格是一长串数字，Excel 已把它当成数字，只保留了前 15 位（后面都变成了 0）："
                "请把这一列设为“文本”格式，再重新输入这串数字。"
            )
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ", "minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    out = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        out = " ".join(out.split())
    return out.strip()


def from_serial(value: float) -> datetime.date | None:
    if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    return None


def date(value: object) -> str:
    """A date cell as 年-月-日: an Excel date in any format, a serial, or text like 2025年3月5日 / 2025.3.5."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = from_serial(float(value))
        if day is None:
            raise CellError(f"“{_text_of(value)}”不是日期：请写成 2025年5月1日 或 2025-05-01。")
        return day.isoformat()
    raw = _nfkc(text(value))
    match = FULL_DATE.fullmatch(raw) or COMPACT_DATE.fullmatch(raw)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            raise CellError(f"日期“{raw}”不存在（月或日超出范围），请改正。") from None
    if MONTH.fullmatch(raw) or re.fullmatch(r"\d{4}\s*年?", raw):
        raise CellError(f"“{raw}”只写到了年或月：日期要写到日（如 2025年3月5日）；只知道年份时请填在“年份”列。")
    raise CellError(f"“{raw}”不是日期：请写成 2025年5月1日、2025.5.1 或 2025-05-01。")


def year(value: object) -> int:
    """A year cell: 2025, 2025年, 2025年3月, 2025.3 (Excel's number), or a date; only the year is kept."""
    if isinstance(value, datetime.date):
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1000 <= value < 3000:
            return int(value)
        day = from_serial(float(value))
        if day is not None:
            return day.year
        raise CellError(f"“{_text_of(value)}”不是年份：请写四位年份，如 2025。")
    raw = _nfkc(text(value))
    match = YEAR.fullmatch(raw)
    if match:
        return int(match.group(1))
    raise CellError(f"“{raw}”不是年份：请写四位年份，如 2025。")


def integer(value: object) -> int:
    """A count such as a team size: 12, 12.0, “12”, “12人”."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
        raise CellError(f"“{value}”不是整数：这里请填整数，如 12。")
    raw = _nfkc(text(value)).replace(",", "")
    match = INTEGER.fullmatch(raw)
    if match:
        return int(match.group(1))
    raise CellError(f"“{raw}”不是整数：这里请填整数，如 12。")


def quantity(value: object) -> tuple[int | float, str, str]:
    """A quantity's number and what was typed around it: (value, approx, unit) from 近1000人次, 360万元, 1,000."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise CellError("这一格是错误值或无穷大，请填写数字。")
        return _number(value), "", ""
    raw = _nfkc(text(value)).replace(",", "").replace("，", "")
    match = QUANTITY.fullmatch(raw)
    if not match:
        raise CellError(f"“{raw}”不是数字：请填数字，如 360；单位可以一起写（如 360万元），也可以填在单位列。")
    approx = match.group("approx") or match.group("after") or ""
    return _number(float(match.group("value"))), approx[:1], match.group("unit")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raw = _nfkc(text(value)).lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise CellError(f"“{raw}”请改为“是”或“否”。")


def enum(value: object, column: Column) -> str:
    """An enum cell: its Chinese label (what the dropdown offers) or the value itself."""
    raw = _nfkc(text(value))
    for code, label in column.options:
        if raw in (label, code) or raw.lower() == code:
            return code
    allowed = "、".join(label for _, label in column.options)
    raise CellError(f"“{raw}”不是可选的值，请从下拉列表里选一个：{allowed}。")


def enums(value: object, column: Column) -> list[str]:
    return [enum(part, column) for part in ENUM_SPLIT.split(_nfkc(text(value))) if part]


def texts(value: object) -> list[str]:
    """A list of texts in one cell: one per line, or separated by ；."""
    raw = text(value, multiline=True)
    parts = raw.split("\n") if "\n" in raw else TEXT_SPLIT.split(raw)
    return [" ".join(p.split()) for p in parts if p.strip()]


def read(value: object, column: Column) -> object:
    """The value of one cell for its column; CellError when it cannot be one."""
    kind = column.kind
    if kind == "date":
        return date(value)
    if kind == "year":
        return year(value)
    if kind == "integer":
        return integer(value)
    if kind == "number":
        return quantity(value)
    if kind == "boolean":
        return boolean(value)
    if kind == "enum":
        return enum(value, column)
    if kind == "enums":
        return enums(value, column)
    if kind == "texts":
        return texts(value)
    return text(value, multiline=kind == "paragraph")


def raw_text(value: object) -> str:
    """A cell as text for the personal data scan: digits of a number as Excel shows them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
