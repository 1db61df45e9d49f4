"""Checking one parsed record against its JSON Schema, with Chinese messages.

The schema decides the type of every unquoted scalar (see `yamlsource.Plain`) and its
Chinese titles name the fields in error messages.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain, islice
from typing import Any

import fastjsonschema
import jsonschema

from jiangxin.checks import bounds
from jiangxin.checks.yamlsource import Plain, Source
from jiangxin.problems import Problem, field_name
from jiangxin.records.catalogue import (
    described_title,
    enum_labels,
    field_title,
    inlined,
    markdown_fields,
    required,
    resolve,
)
from jiangxin.records.registry import KIND
from jiangxin.text import BIDI, CONTROL, INVISIBLE, truncate

MAX_DIGITS = 100
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_NUM = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?")
TYPE_NAMES = {
    "string": "文字",
    "integer": "整数（不带引号，如 2025）",
    "number": "数字（不带引号，如 11.15）",
    "boolean": " true 或 false",
    "array": "列表（每项以“- ”开头）",
    "object": "“字段: 值”形式的一组内容",
    "null": "空",
}
# How much of a wrong value a message quotes.
QUOTED_CHARS = 30
# Problems reported per file: past a few dozen an editor fixes the first ones and checks again,
# and a list of 80,000 wrong items would otherwise take seconds to translate and a screen to read.
MAX_PROBLEMS = 50


@cache
def validator(kind: str) -> jsonschema.Draft202012Validator:
    """A validator for one record kind, its `$ref`s inlined (no lookups while validating)."""
    return jsonschema.Draft202012Validator(inlined(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@cache
def fast_check(kind: str):
    """A compiled yes/no check (fastjsonschema); the full validator runs only for invalid records."""
    schema = {k: v for k, v in inlined(kind).items() if k != "$schema"}
    return fastjsonschema.compile(schema, formats={"date": _is_date}, use_default=False)


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def coerce(value, schema: dict, doc: str):
    """Give unquoted scalars the type the schema asks for; everything else stays text."""
    schema, doc = resolve(schema, doc)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: coerce(v, props[k], doc) if k in props else _text(v) for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items", {})
        return [coerce(v, items, doc) for v in value]
    if isinstance(value, Plain):
        types = schema.get("type", [])
        types = [types] if isinstance(types, str) else types
        # Past a few thousand digits Python refuses to convert (sys.get_int_max_str_digits); such
        # a value stays text, and the schema then says it is not a number.
        if "integer" in types and _INT.fullmatch(value) and len(value) <= MAX_DIGITS:
            return int(value)
        if "number" in types and _NUM.fullmatch(value) and len(value) <= MAX_DIGITS:
            return float(value) if "." in value else int(value)
        if "boolean" in types and value in ("true", "false"):
            return value == "true"
        return str(value)
    return value


def _text(value):
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text(v) for v in value]
    return str(value) if isinstance(value, Plain) else value


def check(kind: str, source: Source, path: str, limit: int = MAX_PROBLEMS) -> tuple[dict, list[Problem], bool]:
    """Coerce and validate one record; return its value, its first `limit` problems (in Chinese)
    and whether it has more."""
    value = coerce(source.value, inlined(kind), KIND[kind].schema_file)
    try:
        fast_check(kind)(value)
        schema_problems: Iterable[Problem] = ()
    except fastjsonschema.JsonSchemaException:
        schema_problems = (
            problem
            for error in validator(kind).iter_errors(value)
            if tuple(error.absolute_path) not in source.ignored
            for problem in _translate(kind, error, source, path)
        )
    markdown_problems = _markdown_problems(kind, value, source, path)
    # jsonschema reports `required` once per missing field; each translation names them all.
    found = list(islice(_unique(chain(schema_problems, markdown_problems)), limit + 1))
    return value, found[:limit], len(found) > limit


def _unique(problems: Iterable[Problem]) -> Iterator[Problem]:
    seen: set[Problem] = set()
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            yield problem


def _values_at(value, path: tuple[str, ...], at: tuple = ()) -> Iterator[tuple[tuple, object]]:
    if not path:
        yield at, value
    elif path[0] == "*" and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values_at(item, path[1:], at + (i,))
    elif isinstance(value, dict) and path[0] in value:
        yield from _values_at(value[path[0]], path[1:], at + (path[0],))


def _markdown_problems(kind: str, value: dict, source: Source, path: str) -> Iterator[Problem]:
    """Markdown fields that would render slowly or not at all (see `bounds.check`)."""
    for field in markdown_fields(kind):
        for where, text in _values_at(value, field):
            if isinstance(text, str):
                for problem in bounds.check(text, path):
                    yield _at(kind, source, path, where, problem.code, problem.message)


def _at(kind: str, source: Source, path: str, where: tuple, code: str, message: str) -> Problem:
    line, col = source.where(where)
    label = field_title(kind, where)
    name = field_name(where) + (f"（{label}）" if label else "")
    return Problem(path, line, col, name, message, code=code)


def _translate(kind: str, error: jsonschema.ValidationError, source: Source, path: str) -> Iterable[Problem]:
    where = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    v = error.validator
    instance: Any = error.instance

    def at(p: tuple, code: str, message: str) -> Problem:
        return _at(kind, source, path, p, f"schema.{code}", message)

    if v == "required":
        missing = [k for k in schema.get("required", []) if k not in instance]
        return [at(where + (k,), "required", "缺少必填字段，请补上这一项。") for k in missing]
    if v == "additionalProperties":
        props = schema.get("properties", {})
        known = sorted(props)
        # One error for all unknown keys: translated lazily, only as far as the report goes.
        return (at(where + (key,), "unknown-field", _unknown_field(key, known)) for key in instance if key not in props)
    if v == "type":
        expected = schema.get("type")
        expected = [expected] if isinstance(expected, str) else (expected or [])
        want = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        if instance is None:
            if required(kind, where):
                return [at(where, "empty", f"内容是空的：这是必填项，请在冒号后填写{want}。")]
            return [at(where, "empty", f"内容是空的：冒号后应填{want}；不需要这一项时请删去整行。")]
        return [at(where, "type", f"类型不对：这里应填{want}，现在是“{_quoted(instance)}”。")]
    labels = enum_labels(schema) if v in ("enum", "oneOf") else None
    if labels is not None:
        # The codes, then what they mean: national、provincial（national 国家级 / provincial 省级）.
        title = described_title(schema)
        hint = f"（{title.split('：', 1)[1]}）" if "：" in title else ""
        return [at(where, "enum", f"“{_quoted(instance)}”不是可选的值，请从以下选一个：{'、'.join(labels)}{hint}。")]
    if v == "format" and schema.get("format") == "date":
        return [at(where, "date", f"日期“{_quoted(instance)}”不存在或格式不对，请写成 年-月-日，如 2025-05-01。")]
    if v == "pattern" and isinstance(instance, str) and CONTROL.search(instance):
        return [
            at(where, "control-character", "含有看不见的控制字符（多半是从别处复制来的），请删去这段文字后重新输入。")
        ]
    if v == "pattern" and isinstance(instance, str) and INVISIBLE.search(instance):
        return [at(where, "invisible-character", invisible_message(instance))]
    if v == "pattern":
        if where and where[-1] == "studio":
            return [
                at(
                    where,
                    "studio-id",
                    f"“{_quoted(instance)}”不是有效的编号：只能用小写英文字母、数字和连字符，"
                    "即 content/studios 里的文件名（不含 .yml）。",
                )
            ]
        if where and where[-1] == "url":
            return [at(where, "url", "网址应以 http:// 或 https:// 开头。")]
        if where and where[-1] == "file":
            return [
                at(
                    where,
                    "photo-file",
                    f"图片文件名“{_quoted(instance)}”不合要求：只能用小写英文字母、数字、-、_ 和 /，以 .jpg、.jpeg、"
                    ".png 或 .webp 结尾（如 media/hewang-1.jpg）。",
                )
            ]
        if where and where[-1] == "metric":
            return [
                at(
                    where,
                    "metric-id",
                    f"指标编号“{_quoted(instance)}”只能用小写英文字母、数字和下划线，以字母开头（如 patents）。",
                )
            ]
        return [at(where, "pattern", f"“{_quoted(instance)}”的格式不对。")]
    if v == "minLength":
        if required(kind, where):
            return [at(where, "empty-text", "不能为空：这是必填项，请填写内容。")]
        return [at(where, "empty-text", "不能为空，请填写内容或删去这一项。")]
    if v == "maxLength":
        return [at(where, "too-long", f"太长了（{len(instance)} 字，上限 {schema.get('maxLength')} 字），请精简。")]
    if v == "minItems":
        return [at(where, "empty-list", "列表是空的，请至少写一项，或删去这个字段。")]
    if v == "uniqueItems":
        return [at(where, "duplicate-items", "列表里有重复的项，请删去重复的。")]
    if v in ("minimum", "maximum"):
        bound = schema.get(v)
        word = "不能小于" if v == "minimum" else "不能大于"
        return [at(where, "out-of-range", f"数值 {instance} 超出范围：{word} {bound}。")]
    return [
        at(where, "other", f"内容不符合要求（{error.message}）。")
    ]  # pragma: no cover - every keyword we use is above


def invisible_message(text: str) -> str:
    """The Chinese message for a text holding an `INVISIBLE` character: which one, and after what."""
    match = BIDI.search(text) or INVISIBLE.search(text)
    if match is None:
        return ""
    code = f"U+{ord(match.group()):04X}"
    before = " ".join(INVISIBLE.sub("", CONTROL.sub("", text[: match.start()])).split())[-10:].strip()
    # A paragraph is long: say where the character is.
    where = f"，在“{before}”之后" if before else ""
    if BIDI.match(match.group()):
        return (
            f"含有看不见的文字方向控制符（{code}{where}），发布后读者看到的文字顺序会与实际内容不同。"
            "请删去这段文字后重新输入。"
        )
    return (
        f"含有看不见的特殊字符（{code}{where}，多半是从别处复制来的），它会藏在发布的文字里：读者看不见，"
        "复制和搜索时却在。请删去这段文字后重新输入。"
    )


def _unknown_field(key: str, known: list[str]) -> str:
    cleaned = key.replace("\u3000", "").replace("：", ":").split(":")[0].strip()
    if cleaned != key and cleaned in known:
        return (
            f"未知字段“{key}”：字段名里混入了全角冒号或全角空格，应为“{cleaned}”，并用英文冒号加空格（{cleaned}: 值）。"
        )
    if "\u3000" in key:
        return f"未知字段“{key}”：字段名前后有全角空格（可能是用全角空格缩进的）。缩进只能用半角空格，每层 2 个。"
    if "：" in key:
        return f"未知字段“{key}”：看起来用了中文冒号“：”，请改为英文冒号“:”，并在其后加一个空格。"
    close = difflib.get_close_matches(cleaned, known, n=1, cutoff=0.6)
    hint = f"是不是想写“{close[0]}”？" if close else f"可用的字段有：{'、'.join(known)}。"
    return f"未知字段“{key}”。{hint}"


def _quoted(value) -> str:
    return truncate(value, QUOTED_CHARS)
