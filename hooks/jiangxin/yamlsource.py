"""Read one YAML record file into plain values plus the line of every value.

PyYAML's default loaders guess types the YAML 1.1 way (`no` → False, `010` → 8,
`9:30` → 570) and keep the last of two duplicate keys. Here every scalar stays
the text the editor typed; unquoted ones are marked `Plain` so the schema can
decide later whether `2025` is a number or a text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem, field_name

MAX_BYTES = 512 * 1024
MAX_DEPTH = 20
NULLS = {"", "~", "null", "Null", "NULL"}
HAN = re.compile(r"[\u4e00-\u9fff]")
# PyYAML errors whose context mark, not problem mark, is where the editor must look.
OPENED_HERE = ("quoted scalar", "simple key", "flow sequence", "flow mapping")


class Plain(str):
    """An unquoted scalar: still text, but the schema may read it as a number or boolean."""


@dataclass
class Source:
    """A parsed record file: its value and the (line, column) of every value path."""

    value: object = None
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # Paths already reported by the parser (aliases); the schema need not report them again.
    ignored: set[tuple] = field(default_factory=set)

    def where(self, path: tuple) -> tuple[int, int]:
        """Line and column of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a record file as UTF-8 (BOM allowed), with a Chinese hint for GBK files."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(path, 0, 0, "", f"文件过大（{len(raw) // 1024} KB，上限 {MAX_BYTES // 1024} KB），请拆分或删去多余内容。")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gbk")
            hint = "看起来是 GBK/GB2312 编码（Windows 记事本或 WPS 的默认“ANSI”）。"
        except UnicodeDecodeError:
            pass
        return None, [Problem(path, line, 0, "", f"文件不是 UTF-8 编码。{hint}请用编辑器“另存为”并选择 UTF-8 编码后再提交。")]
    return text.replace("\r\n", "\n"), []


class _AliasNode(yaml.ScalarNode):
    """Stands where an alias was: reported once, never expanded or type-checked."""


class _TooDeep(Exception):
    def __init__(self, line: int, column: int):
        super().__init__(line, column)
        self.line, self.column = line, column


class _Loader(yaml.SafeLoader):
    """SafeLoader that records anchors, aliases and tags instead of honouring them."""

    def __init__(self, stream: str, path: str):
        super().__init__(stream)
        self.record_path = path
        self.found: list[Problem] = []
        self.depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, yaml.AliasEvent):
            # Not expanded: nested aliases grow exponentially ("billion laughs").
            self.found.append(Problem(self.record_path, line, col, "", f"不支持引用（*{event.anchor}），请把内容直接写出来。"))
            event = self.get_event()
            return _AliasNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(line, col)
        try:
            return self._compose_checked(event, parent, index, line, col)
        finally:
            self.depth -= 1

    def _compose_checked(self, event, parent, index, line: int, col: int):  # noqa: ANN001
        if getattr(event, "anchor", None):
            self.found.append(Problem(self.record_path, line, col, "", f"不支持锚点（&{event.anchor}），请删去它，把内容直接写出来。"))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            typed = tag.replace("tag:yaml.org,2002:", "!!")
            self.found.append(Problem(self.record_path, line, col, "", f"不支持类型标签（{typed}），请删去它；值需要引号时请用英文引号。"))
            event.tag = None
        return super().compose_node(parent, index)


def parse(text: str, path: str) -> tuple[Source | None, list[Problem]]:
    """Parse YAML text into a Source; every problem carries its line."""
    loader = _Loader(text, path)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark and any(c in (err.context or "") for c in OPENED_HERE):
            mark = err.context_mark  # where the unclosed quote, bracket or key began, not where the file ran out
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        bad_line = text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
        return None, [Problem(path, line, col, "", _syntax_message(err, bad_line))]
    except _TooDeep as err:
        return None, [Problem(path, err.line, err.column, "", f"层级过深（超过 {MAX_DEPTH} 层），请检查缩进和括号。")]
    except yaml.YAMLError as err:  # pragma: no cover - PyYAML always marks its errors
        return None, [Problem(path, 0, 0, "", f"YAML 格式错误：{err}")]
    finally:
        loader.dispose()
    problems = list(loader.found)
    if node is None:
        return None, [Problem(path, 1, 1, "", "文件是空的，请按模板填写记录。")]
    if not isinstance(node, yaml.MappingNode):
        mark = node.start_mark
        hint = "（若用了中文冒号“：”，请改为英文冒号“:”并在其后加一个空格）" if "：" in text else ""
        return None, [Problem(path, mark.line + 1, mark.column + 1, "", f"文件的最外层应是“字段: 值”形式的列表{hint}。")]
    source = Source()
    source.value = _convert(node, (), source, path, problems, 0)
    return source, problems


def _syntax_message(err: yaml.MarkedYAMLError, line: str) -> str:
    what = (err.problem or "").strip()
    context = err.context or ""
    value = line.split(":", 1)[1].strip() if ":" in line else ""
    if "：" in line and ":" not in line.split("：")[0]:
        return "这一行用了中文冒号“：”，请改为英文冒号“:”，并在其后加一个空格。"
    if "expected a single document" in context or "expected '<document start>'" in what:
        return "一个文件只能有一条记录，请删去“---”分隔的其余部分，另存为新文件。"
    if "found character '\\t'" in what:
        return "YAML 不能用 Tab 缩进，请改用空格。"
    if "quoted scalar" in context:
        return "引号没有配对：从这一行开始的引号一直没有结束，请补上结尾的引号（中文内容里的引号请用中文引号“”）。"
    if "flow sequence" in context or "flow mapping" in context:
        return "括号没有配对：这一行的 [ 或 { 没有结束。值以 [ 或 { 开头时，请给整个值加上英文引号。"
    if "could not find expected ':'" in what:
        if re.search(r"^\s*(- )?[A-Za-z_]+:\S", line):
            return "英文冒号“:”后面要加一个空格（如 name: 张三）。"
        return "这一行缺少英文冒号“:”（中文冒号“：”不算），或上一行的引号没有配对。"
    if "cannot start any token" in what or "expected alphabetic or numeric character" in what or "expected URI" in what:
        return f"值不能以“{value[:1] or line.strip()[:1]}”开头，请给整个值加上英文引号（如 '{value or '…'}'），或改用中文标点。"
    if "expected a comment or a line break" in what:
        return "值以 | 或 > 开头时请给整个值加上引号；多行文字请把 | 单独写在冒号后，文字另起一行并缩进。"
    if "mapping keys are not allowed" in what:
        return "值以 ? 开头时请给整个值加上引号。"
    if "but found '<scalar>'" in what and value[:1] in "\"'[{":
        return "值以引号或括号开头时，整个值都要在引号里：请改用中文引号“”，或给整个值再加一层引号。"
    if "but found '<block mapping start>'" in what or "but found '<block sequence start>'" in what:
        return "缩进不对：同一层的字段要左边对齐（只用半角空格，每层 2 个）。"
    if "mapping values are not allowed" in what:
        if re.fullmatch(r"\s*(- )?[A-Za-z_]+: [^:]*", line):
            return "缩进不对：这一行比上一行多缩进了，同一层的字段要左边对齐（只用半角空格）。"
        return "这一行的冒号位置不对：值里含有“: ”时请给整个值加上英文引号。"
    return f"YAML 格式错误（{what or context}），请检查这一行的缩进、冒号和引号。"


def _check_swallowed_comment(node, path: tuple, source: Source, file: str, problems: list[Problem]) -> None:
    # "成果 #1 获奖" loads as "成果": YAML drops the rest as a comment. Chinese values rarely mean that.
    if node.start_mark.line != node.end_mark.line or not HAN.search(node.value):
        return
    rest = node.end_mark.buffer[node.end_mark.pointer:].split("\n", 1)[0]
    if re.match(r"\s+#", rest):
        line, col = node.end_mark.line + 1, node.end_mark.column + 1
        problems.append(Problem(file, line, col, field_name(path), "“ #”之后的文字被当成了注释而丢失：请给整个值加上英文引号；如果确是注释，请移到单独一行。"))


def _convert(node, path: tuple, source: Source, file: str, problems: list[Problem], depth: int):
    source.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, _AliasNode):
        source.ignored.add(path)
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.style is None:
            _check_swallowed_comment(node, path, source, file, problems)
            return None if node.value in NULLS else Plain(node.value)
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        out = []
        for i, item in enumerate(node.value):
            source.positions[path + (i,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            out.append(_convert(item, path + (i,), source, file, problems, depth + 1))
        return out
    result: dict[str, object] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(file, kline, kcol, "", "字段名必须是简单文字，请检查这一行的缩进。"))
            continue
        key = str(key_node.value)
        if key == "<<" and key_node.style is None:
            problems.append(Problem(file, kline, kcol, "", "不支持合并键（<<），请把内容直接写出来。"))
            continue
        child = path + (key,)
        if key in result:
            problems.append(Problem(file, kline, kcol, field_name(child), f"字段重复：第 {first_line[key]} 行已有“{key}”，请删去其中一个。"))
            continue
        first_line[key] = kline
        source.positions[child] = (kline, kcol)
        result[key] = _convert(value_node, child, source, file, problems, depth + 1)
    return result

