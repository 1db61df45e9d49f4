"""Read one YAML record file into plain values plus the line of every value.

PyYAML's default loaders guess types the YAML 1.1 way (`no` → False, `010` → 8,
`9:30` → 570) and keep the last of two duplicate keys. Here every scalar stays
the text the editor typed; unquoted ones are marked `Plain` so the schema can
decide later whether `2025` is a number or a text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from jiangxin.problems import Problem, field_name
from jiangxin.text import HAN

MAX_BYTES = 512 * 1024
MAX_DEPTH = 20
# Far past any real record (the largest sample field holds 162 texts, the largest file 170 values),
# and low enough that a record at the limits is parsed, built and validated well within a second.
MAX_FIELD_SCALARS = 5_000  # texts (keys included) in one top-level field
MAX_NODES = 100_000  # values in one file
# A file the fast parser refused is parsed again by PyYAML's for its wording, ~10× slower: past this
# many events the fast parser's own error is reported instead.
MAX_REPARSE_EVENTS = 10_000
NULLS = {"", "~", "null", "Null", "NULL"}
# PyYAML errors whose context mark, not problem mark, is where the editor must look.
OPENED_HERE = ("quoted scalar", "simple key", "flow sequence", "flow mapping")
# What PyYAML's reader refuses (its NON_PRINTABLE, CR aside: `decode` turns it into LF),
# plus NEL, LS and PS, which YAML counts as line breaks and editors do not.
UNREADABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
BREAKS = {"\x85": "NEL", "\u2028": "LS", "\u2029": "PS"}
SURROGATE = re.compile("[\ud800-\udfff]")
COMMENT_AFTER = re.compile(r"\s+#")
AROUND_BREAKS = re.compile(r" *\n *")
MAX_REPORTED = 10


class Plain(str):
    """An unquoted scalar: still text, but the schema may read it as a number or boolean."""


@dataclass
class Source:
    """A parsed record file: its value and the (line, column) of every value path."""

    value: object = None
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # Paths already reported by the parser (aliases); the schema need not report them again.
    ignored: set[tuple] = field(default_factory=set)
    # (path, text) of the strings of `value` not written out as they are on one line of the file
    # (escapes, quotes doubled, folded and block scalars), mapping keys at their mapping's path, in
    # file order: a scan of the file's text has seen every other string verbatim.
    rewritten: list[tuple[tuple, str]] = field(default_factory=list)

    def where(self, path: tuple) -> tuple[int, int]:
        """Line and column of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a record file as UTF-8 (BOM allowed), with a Chinese hint for GBK files."""
    if len(raw) > MAX_BYTES:
        return None, [
            Problem.file(
                path,
                "yaml.too-large",
                f"文件过大（{len(raw) // 1024} KB，上限 {MAX_BYTES // 1024} KB），请拆分或删去多余内容。",
            )
        ]
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
        return None, [
            Problem(
                path,
                line,
                0,
                "",
                f"文件不是 UTF-8 编码。{hint}请用编辑器“另存为”并选择 UTF-8 编码后再提交。",
                code="yaml.not-utf8",
            )
        ]
    # One line-end style, so that our line numbers, PyYAML's and the editor's agree (PyYAML counts a lone CR too).
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def unreadable(text: str, path: str) -> list[Problem]:
    """Characters YAML refuses or counts as extra line breaks, one problem per line (the first ten lines)."""

    def message(line: str, match: re.Match[str]) -> tuple[str, str]:
        char = f"U+{ord(match.group()):04X}"
        if match.group() in BREAKS:
            return "yaml.line-break", (
                f"含有特殊的换行符（{char}，多半是从别处复制来的），编辑器里看不见：请删去它，换行请直接按回车。"
            )
        return "yaml.control-character", (
            f"含有看不见的控制字符（{char}，多半是从别处复制来的），请删去这个字符或这段文字后重新输入。"
        )

    return per_line(text, UNREADABLE, path, message)


def per_line(
    text: str, pattern: re.Pattern[str], path: str, message: Callable[[str, re.Match[str]], tuple[str, str]]
) -> list[Problem]:
    """The first match of `pattern` on each line as a problem (the first ten lines, then a count of the rest);
    `message` gives the code and the message of a match."""
    problems: list[Problem] = []
    lines = 0
    for number, line in enumerate(text.split("\n"), start=1):
        match = pattern.search(line)
        if match is None:
            continue
        lines += 1
        if lines <= MAX_REPORTED:
            code, text = message(line, match)
            problems.append(Problem(path, number, match.start() + 1, "", text, code=code))
    if lines > MAX_REPORTED:
        last = problems[-1]
        more = f"另有 {lines - MAX_REPORTED} 行含有同样的字符，请一并删去。"
        problems.append(Problem(path, last.line, 0, "", more, code=last.code))
    return problems


class _TooDeep(Exception):
    def __init__(self, line: int, column: int):
        super().__init__(line, column)
        self.line, self.column = line, column


class _TooMany(Exception):
    """A file or a field with more values than any record has; refused while the events stream in."""

    def __init__(self, problem: Problem):
        super().__init__(problem)
        self.problem = problem


class _TooLong(Exception):
    """More events than a second parse is worth (MAX_REPARSE_EVENTS)."""


# libyaml's event parser is ~10× faster than PyYAML's; its error wording differs,
# so a file that fails is parsed again with the Python parser for the message.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, path: str) -> tuple[Source | None, list[Problem]]:
    """Parse YAML text into a Source; every problem carries its line."""
    refused = unreadable(text, path)
    if refused:
        return None, refused
    try:
        try:
            events = _events(text, FAST_LOADER, path)
        except yaml.YAMLError as fast:
            try:
                events = _events(text, yaml.SafeLoader, path, MAX_REPARSE_EVENTS)
            except yaml.YAMLError as err:
                return None, [syntax_problem(err, text, path)]
            except _TooLong:
                return None, [syntax_problem(fast, text, path)]
    except _TooDeep as err:
        deep = f"层级过深（超过 {MAX_DEPTH} 层），请检查缩进和括号。"
        return None, [Problem(path, err.line, err.column, "", deep, code="yaml.too-deep")]
    except _TooMany as err:
        return None, [err.problem]
    return _Builder(events, text, path).build()


def _events(text: str, loader, path: str, budget: int | None = None) -> list:
    """The event stream, stopped at the first value nested deeper than MAX_DEPTH or past the value limits.

    Both parsers' scanners cost time proportional to the open brackets for every token, so
    100,000 nested `[` take minutes; the stream is lazy, so stopping here bounds that. Each event
    costs microseconds in the parser, the builder and the schema: 250,000 list items took seconds.
    `budget`: events past which the parse is not worth its time (see MAX_REPARSE_EVENTS).
    """
    events = []
    # One entry per open collection: for a mapping, whether its next node is a key; None for a sequence.
    open_: list[bool | None] = []
    nodes = scalars = 0
    field: yaml.Event | None = None  # the key (a scalar) of the top-level field being read
    for event in yaml.parse(text, Loader=loader):
        events.append(event)
        if budget is not None and len(events) > budget:
            raise _TooLong
        kind = type(event)
        if kind is SequenceEndEvent or kind is MappingEndEvent:
            open_.pop()
            continue
        if (
            kind is not ScalarEvent
            and kind is not AliasEvent
            and kind is not SequenceStartEvent
            and kind is not MappingStartEvent
        ):
            continue
        is_key = bool(open_) and open_[-1] is True
        if open_ and open_[-1] is not None:
            open_[-1] = not open_[-1]
        nodes += 1
        if is_key and len(open_) == 1:
            field, scalars = (event if kind is ScalarEvent else None), 0
        if kind is ScalarEvent or kind is AliasEvent:
            scalars += 1
            if scalars > MAX_FIELD_SCALARS:
                raise _TooMany(_too_many(field, event, path))
        if nodes > MAX_NODES:
            mark = event.start_mark
            assert mark is not None  # PyYAML's parser marks every event
            raise _TooMany(
                Problem(
                    path, mark.line + 1, mark.column + 1, "",
                    f"文件里的内容太多（超过 {MAX_NODES} 项），一条记录用不到这么多：请删去多余的内容，"
                    "或拆成几条记录。",
                    code="yaml.too-many-values",
                )
            )  # fmt: skip
        # A value's depth is the number of collections around it; scalar keys and aliases nest nothing.
        if len(open_) >= MAX_DEPTH and kind is not AliasEvent and not (is_key and kind is ScalarEvent):
            mark = event.start_mark
            assert mark is not None  # PyYAML's parser marks every event
            raise _TooDeep(mark.line + 1, mark.column + 1)
        if kind is MappingStartEvent:
            open_.append(True)
        elif kind is SequenceStartEvent:
            open_.append(None)
    return events


def _too_many(field, event, path: str) -> Problem:
    """The problem of a field holding more than MAX_FIELD_SCALARS texts, at the field's line."""
    if field is None:  # not in a top-level field: the file is not a mapping, or a key is a collection
        mark = event.start_mark
        return Problem(
            path, mark.line + 1, mark.column + 1, "",
            f"这里的内容太多（超过 {MAX_FIELD_SCALARS} 项），一条记录用不到这么多：请删去多余的项。",
            code="yaml.too-many-values",
        )  # fmt: skip
    mark = field.start_mark
    return Problem(
        path, mark.line + 1, mark.column + 1, field_name((str(field.value),)),
        f"这一项的内容太多（超过 {MAX_FIELD_SCALARS} 项文字），一条记录用不到这么多：请删去多余的项；"
        "确实需要这么多时，请拆成几条记录。",
        code="yaml.too-many-values",
    )  # fmt: skip


def syntax_problem(err: yaml.YAMLError, text: str, path: str) -> Problem:
    if not isinstance(err, yaml.MarkedYAMLError):  # a reader error: `unreadable` refuses its characters first
        return Problem.file(
            path, "yaml.control-character", "文件里有 YAML 不能读的字符，请删去看不见的控制字符后再提交。"
        )
    mark = err.problem_mark or err.context_mark
    if err.context_mark and any(c in (err.context or "") for c in OPENED_HERE):
        mark = err.context_mark  # where the unclosed quote, bracket or key began, not where the file ran out
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    bad_line = text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
    code, message = _syntax_message(err, bad_line)
    return Problem(path, line, col, "", message, code=code)


class _Builder:
    """Plain values from a YAML event stream, with the position of every value.

    Aliases are reported and never expanded ("billion laughs"); anchors, tags and
    merge keys are reported; `_events` has bounded the nesting, so recursion cannot exhaust the stack.
    """

    def __init__(self, events: list, text: str, path: str):
        self.events, self.text, self.lines, self.path = events, text, text.split("\n"), path
        self.i = 0
        self.source = Source()
        self.discarding = 0  # inside a node that is reported and left out of the value
        self.problems: list[Problem] = []

    def build(self) -> tuple[Source | None, list[Problem]]:
        starts = [e for e in self.events if isinstance(e, yaml.DocumentStartEvent)]
        if len(starts) > 1:
            mark = starts[1].start_mark
            assert mark is not None  # PyYAML's parser marks every event
            return None, [
                Problem(
                    self.path,
                    mark.line + 1,
                    mark.column + 1,
                    "",
                    "一个文件只能有一条记录，请删去“---”分隔的其余部分，另存为新文件。",
                    code="yaml.several-documents",
                )
            ]
        self.i = self.events.index(starts[0]) + 1 if starts else len(self.events)
        root = self.events[self.i] if starts else None
        if root is None or (isinstance(root, yaml.ScalarEvent) and _plain(root) and root.value in NULLS):
            return None, [Problem(self.path, 1, 1, "", "文件是空的，请按模板填写记录。", code="yaml.empty")]
        if not isinstance(root, yaml.MappingStartEvent):
            mark = root.start_mark
            hint = (
                "（若用了中文冒号“：”，请改为英文冒号“:”并在其后加一个空格）"
                if any("：" in line for line in self.lines)
                else ""
            )
            where = (mark.line + 1, mark.column + 1)
            return None, [
                Problem(
                    self.path, *where, "", f"文件的最外层应是“字段: 值”形式的列表{hint}。", code="yaml.not-a-mapping"
                )
            ]
        self.source.value = self.value(())
        return self.source, self.problems

    def report(self, event, code: str, message: str, field: tuple = ()) -> None:
        mark = event.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, field_name(field), message, code=code))

    def value(self, path: tuple):
        event = self.events[self.i]
        self.i += 1
        self.source.positions.setdefault(path, (event.start_mark.line + 1, event.start_mark.column + 1))
        if isinstance(event, yaml.AliasEvent):
            self.report(event, "yaml.alias", f"不支持引用（*{event.anchor}），请把内容直接写出来。")
            self.source.ignored.add(path)
            return None
        if event.anchor:
            self.report(event, "yaml.anchor", f"不支持锚点（&{event.anchor}），请删去它，把内容直接写出来。")
        if event.tag not in (None, "!"):
            typed = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.report(event, "yaml.tag", f"不支持类型标签（{typed}），请删去它；值需要引号时请用英文引号。")
        if isinstance(event, yaml.ScalarEvent):
            self.check_surrogates(event, path)
            self.note(event, path)
            if _plain(event):
                self.check_swallowed_comment(event, path)
                return None if event.value in NULLS else Plain(event.value)
            return str(event.value)
        if isinstance(event, yaml.SequenceStartEvent):
            out: list = []
            while not isinstance(self.events[self.i], yaml.SequenceEndEvent):
                item = self.events[self.i]
                child = path + (len(out),)
                self.source.positions[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
                out.append(self.value(child))
            self.i += 1
            return out
        return self.mapping(path)

    def mapping(self, path: tuple) -> dict:
        result: dict[str, object] = {}
        first_line: dict[str, int] = {}
        while not isinstance(self.events[self.i], yaml.MappingEndEvent):
            key = self.events[self.i]
            kline, kcol = key.start_mark.line + 1, key.start_mark.column + 1
            if not isinstance(key, yaml.ScalarEvent):
                self.report(key, "yaml.key-not-text", "字段名必须是简单文字，请检查这一行的缩进。")
                self.discard(path + ("?",))  # skip the key, then its value
                self.discard(path + ("?",))
                continue
            self.i += 1
            self.check_surrogates(key, path)
            name = str(key.value)
            child = path + (name,)
            if name == "<<" and _plain(key):
                self.report(key, "yaml.merge-key", "不支持合并键（<<），请把内容直接写出来。")
                self.discard(path + ("<<",))
                continue
            if name in result:
                self.report(
                    key,
                    "yaml.duplicate-key",
                    f"字段重复：第 {first_line[name]} 行已有“{name}”，请删去其中一个。",
                    child,
                )
                self.discard(path + ("<dup>",))
                continue
            self.note(key, path)
            first_line[name] = kline
            self.source.positions[child] = (kline, kcol)
            result[name] = self.value(child)
        self.i += 1
        return result

    def discard(self, path: tuple) -> None:
        self.discarding += 1
        self.value(path)
        self.discarding -= 1

    def note(self, event, path: tuple) -> None:
        """Keep the string of a scalar in `rewritten` unless the file shows it as it is, on one line."""
        if self.discarding:
            return
        start, end = event.start_mark, event.end_mark
        if start.line == end.line and event.style in (None, "", "'", '"'):
            shown = self.lines[start.line][start.column : end.column]
            # A quoted scalar is shown between its quotes; '' and escapes make the two differ.
            if (shown if _plain(event) else shown[1:-1]) == event.value:
                return
        elif event.style == "|" and end.index <= len(self.text):
            # A literal block is its lines without their indent: the same digits and breaks (the
            # scan counts spaces around a line break as part of the break).
            first = self.text.find("\n", start.index) + 1
            if first and _squashed(self.text[first : end.index]) == _squashed(event.value):
                return
        self.source.rewritten.append((path, event.value))

    def check_surrogates(self, event, path: tuple) -> None:
        # PyYAML turns "\\ud800" into a lone surrogate no UTF-8 file can hold (libyaml refuses it, PyYAML not).
        found = SURROGATE.search(event.value)
        if found is None:
            return
        self.report(
            event,
            "yaml.lone-surrogate",
            f"引号里的“\\u{ord(found.group()):04x}”不是有效的字符（单独的代理码，两个 \\u 转义也不会拼成一个字符）："
            "请删去这个转义，直接写出要用的字符。",
            path,
        )
        # Replaced so that the value can still be printed in other messages.
        event.value = SURROGATE.sub("\ufffd", event.value)

    def check_swallowed_comment(self, event, path: tuple) -> None:
        # "成果 #1 获奖" loads as "成果": YAML drops the rest as a comment. Chinese values rarely mean that.
        start, end = event.start_mark, event.end_mark
        if start.line != end.line or not HAN.search(event.value):
            return
        # Matched in place: slicing the rest of a long line for every scalar on it would be quadratic.
        if COMMENT_AFTER.match(self.lines[end.line], end.column):
            self.problems.append(
                Problem(
                    self.path,
                    end.line + 1,
                    end.column + 1,
                    field_name(path),
                    "“ #”之后的文字被当成了注释而丢失：请给整个值加上英文引号；如果确是注释，请移到单独一行。",
                    code="yaml.swallowed-comment",
                )
            )


def _squashed(text: str) -> str:
    return AROUND_BREAKS.sub("\n", text).strip(" \n")


def _plain(event) -> bool:
    return event.style in (None, "")


def _syntax_message(err: yaml.MarkedYAMLError, line: str) -> tuple[str, str]:
    """The code and Chinese message of a syntax error on `line`."""
    what = (err.problem or "").strip()
    context = err.context or ""
    value = line.split(":", 1)[1].strip() if ":" in line else ""
    if "：" in line and ":" not in line.split("：")[0]:
        return "yaml.chinese-colon", "这一行用了中文冒号“：”，请改为英文冒号“:”，并在其后加一个空格。"
    if "expected a single document" in context or "expected '<document start>'" in what:
        return "yaml.several-documents", "一个文件只能有一条记录，请删去“---”分隔的其余部分，另存为新文件。"
    if "found character '\\t'" in what:
        return "yaml.tab", "YAML 不能用 Tab 缩进，请改用空格。"
    if "quoted scalar" in context:
        return (
            "yaml.unclosed-quote",
            "引号没有配对：从这一行开始的引号一直没有结束，请补上结尾的引号（中文内容里的引号请用中文引号“”）。",
        )
    if "flow sequence" in context or "flow mapping" in context:
        return (
            "yaml.unclosed-bracket",
            "括号没有配对：这一行的 [ 或 { 没有结束。值以 [ 或 { 开头时，请给整个值加上英文引号。",
        )
    if "could not find expected ':'" in what:
        if re.search(r"^\s*(- )?[A-Za-z_]+:\S", line):
            return "yaml.space-after-colon", "英文冒号“:”后面要加一个空格（如 name: 张三）。"
        return "yaml.missing-colon", "这一行缺少英文冒号“:”（中文冒号“：”不算），或上一行的引号没有配对。"
    if "cannot start any token" in what or "expected alphabetic or numeric character" in what or "expected URI" in what:
        first = value[:1] or line.strip()[:1]
        return (
            "yaml.bad-start",
            f"值不能以“{first}”开头，请给整个值加上英文引号（如 '{value or '…'}'），或改用中文标点。",
        )
    if "expected a comment or a line break" in what:
        return (
            "yaml.block-indicator",
            "值以 | 或 > 开头时请给整个值加上引号；多行文字请把 | 单独写在冒号后，文字另起一行并缩进。",
        )
    if "mapping keys are not allowed" in what:
        return "yaml.bad-start", "值以 ? 开头时请给整个值加上引号。"
    if "but found '<scalar>'" in what and value[:1] in "\"'[{":
        return (
            "yaml.text-after-quote",
            "值以引号或括号开头时，整个值都要在引号里：请改用中文引号“”，或给整个值再加一层引号。",
        )
    if "but found '<block mapping start>'" in what or "but found '<block sequence start>'" in what:
        return "yaml.indent", "缩进不对：同一层的字段要左边对齐（只用半角空格，每层 2 个）。"
    if "mapping values are not allowed" in what:
        if re.fullmatch(r"\s*(- )?[A-Za-z_]+: [^:]*", line):
            return "yaml.indent", "缩进不对：这一行比上一行多缩进了，同一层的字段要左边对齐（只用半角空格）。"
        return "yaml.colon-in-value", "这一行的冒号位置不对：值里含有“: ”时请给整个值加上英文引号。"
    return "yaml.syntax", f"YAML 格式错误（{what or context}），请检查这一行的缩进、冒号和引号。"
