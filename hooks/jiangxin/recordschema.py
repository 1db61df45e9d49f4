"""The JSON Schemas of the record kinds, and checking one parsed record against them.

The schema is the single definition of the fields: it decides the type of every
unquoted scalar (see `yamlsource.Plain`) and its Chinese titles name the fields
in error messages.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from . import markup
from .problems import Problem, field_name
from .registry import KIND
from .yamlsource import Plain, Source

SCHEMA_DIR = Path(__file__).parent / "schemas"
MAX_DIGITS = 100
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# The rest of what the free-text pattern of common.schema.json refuses (a test keeps the two equal):
# format characters (Unicode Cf) and noncharacters. Bidi controls reorder what readers see
# (Trojan source); zero-width characters and tags hide text that copying and search still find.
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufdd0-\ufdef\ufeff\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f]"
)
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
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
# Problems reported per file: past a few dozen an editor fixes the first ones and checks again,
# and a list of 80,000 wrong items would otherwise take seconds to translate and a screen to read.
MAX_PROBLEMS = 50


@cache
def documents() -> dict[str, dict]:
    """Every schema file by name, as loaded JSON."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


@cache
def inlined(kind: str) -> dict:
    """The schema of one record kind with every `$ref` replaced by its target."""
    return _inline(*top(kind))


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


def _inline(schema, doc: str):
    # The schemas have no recursion, so every reference can be replaced by its target.
    if isinstance(schema, list):
        return [_inline(s, doc) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        schema, doc = resolve(schema, doc)
    return {k: _inline(v, doc) for k, v in schema.items() if k != "$defs"}


def resolve(schema: dict, doc: str) -> tuple[dict, str]:
    """Follow `$ref` (local or into another schema file) to the schema it names.

    The referring schema's own keys win over the target's, so a property keeps its own title.
    """
    schema, doc, _ = resolve_named(schema, doc)
    return schema, doc


def resolve_named(schema: dict, doc: str) -> tuple[dict, str, str | None]:
    """`resolve`, and the name of the last `$defs` entry passed through (`markdown`, `text` …)."""
    name = None
    while isinstance(schema, dict) and "$ref" in schema:
        target, _, pointer = schema["$ref"].partition("#")
        doc = target or doc
        node = documents()[doc]
        for part in filter(None, pointer.split("/")):
            node = node[part]
        name = pointer.rsplit("/", 1)[-1]
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema, doc, name


def top(kind: str) -> tuple[dict, str]:
    """The schema of a record kind and the name of its file."""
    doc = KIND[kind].schema_file
    return documents()[doc], doc


@dataclass(frozen=True)
class Field:
    """One field of a schema, resolved: its path (`*` for the items of a list), schema, file and title."""

    path: tuple[str, ...]
    schema: dict
    doc: str
    definition: str | None = None  # the shared definition it uses (`markdown`, `text` …), if any

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def title(self) -> str:
        return self.schema.get("title", "")

    @property
    def type(self) -> str | None:
        return self.schema.get("type")


def properties(schema: dict, doc: str, prefix: tuple[str, ...] = ()) -> list[Field]:
    """The fields of an object schema, in schema order."""
    schema, doc = resolve(schema, doc)
    return [Field(prefix + (name,), *resolve_named(raw, doc)) for name, raw in schema.get("properties", {}).items()]


def items(field: Field) -> Field:
    """The schema of one item of a list field."""
    return Field(field.path + ("*",), *resolve_named(field.schema.get("items", {}), field.doc))


def fields(kind: str) -> Iterator[Field]:
    """Every field of a record kind, each object before its fields and each list before its items."""

    def walk(field: Field) -> Iterator[Field]:
        yield field
        if field.type == "object":
            for sub in properties(field.schema, field.doc, field.path):
                yield from walk(sub)
        elif field.type == "array":
            yield from walk(items(field))

    for field in properties(*top(kind)):
        yield from walk(field)


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


def field_title(kind: str, path: tuple) -> str:
    """The Chinese title the schema gives the field at `path`, if any."""
    schema, doc = resolve(*top(kind))
    title = ""
    for part in path:
        if isinstance(part, int):
            schema, doc = resolve(schema.get("items", {}), doc)
            continue
        raw = schema.get("properties", {}).get(part, {})
        title = raw.get("title", "") if isinstance(raw, dict) else ""
        schema, doc = resolve(raw, doc)
        title = title or schema.get("title", "")
    return re.split(r"[：，（]", title)[0]


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


@cache
def markdown_fields(kind: str) -> tuple[tuple[str, ...], ...]:
    """Paths of the fields rendered as Markdown (`*` for every item of a list)."""
    return tuple(f.path for f in fields(kind) if f.definition == "markdown")


def _values_at(value, path: tuple[str, ...], at: tuple = ()) -> Iterator[tuple[tuple, object]]:
    if not path:
        yield at, value
    elif path[0] == "*" and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values_at(item, path[1:], at + (i,))
    elif isinstance(value, dict) and path[0] in value:
        yield from _values_at(value[path[0]], path[1:], at + (path[0],))


def _markdown_problems(kind: str, value: dict, source: Source, path: str) -> Iterator[Problem]:
    """Markdown fields that would render slowly or not at all (see `markup.check`)."""
    for field in markdown_fields(kind):
        for where, text in _values_at(value, field):
            if isinstance(text, str):
                for _, message in markup.check(text):
                    yield _at(kind, source, path, where, message)


def _at(kind: str, source: Source, path: str, where: tuple, message: str) -> Problem:
    line, col = source.where(where)
    label = field_title(kind, where)
    name = field_name(where) + (f"（{label}）" if label else "")
    return Problem(path, line, col, name, message)


def _translate(kind: str, error: jsonschema.ValidationError, source: Source, path: str) -> Iterable[Problem]:
    where = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    v = error.validator
    instance: Any = error.instance

    def at(p: tuple, message: str) -> Problem:
        return _at(kind, source, path, p, message)

    if v == "required":
        missing = [k for k in schema.get("required", []) if k not in instance]
        return [at(where + (k,), "缺少必填字段，请补上这一项。") for k in missing]
    if v == "additionalProperties":
        props = schema.get("properties", {})
        known = sorted(props)
        # One error for all unknown keys: translated lazily, only as far as the report goes.
        return (at(where + (key,), _unknown_field(key, known)) for key in instance if key not in props)
    if v == "type":
        expected = schema.get("type")
        expected = [expected] if isinstance(expected, str) else (expected or [])
        want = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        if instance is None:
            if _required(kind, where):
                return [at(where, f"内容是空的：这是必填项，请在冒号后填写{want}。")]
            return [at(where, f"内容是空的：冒号后应填{want}；不需要这一项时请删去整行。")]
        return [at(where, f"类型不对：这里应填{want}，现在是“{_short(instance)}”。")]
    if v == "enum":
        allowed = "、".join(str(x) for x in schema.get("enum", []))
        title = schema.get("title", "")
        hint = f"（{title.split('：', 1)[1]}）" if "：" in title else ""
        return [at(where, f"“{_short(instance)}”不是可选的值，请从以下选一个：{allowed}{hint}。")]
    if v == "format" and schema.get("format") == "date":
        return [at(where, f"日期“{_short(instance)}”不存在或格式不对，请写成 年-月-日，如 2025-05-01。")]
    if v == "pattern" and isinstance(instance, str) and CONTROL.search(instance):
        return [at(where, "含有看不见的控制字符（多半是从别处复制来的），请删去这段文字后重新输入。")]
    if v == "pattern" and isinstance(instance, str) and INVISIBLE.search(instance):
        return [at(where, invisible_message(instance))]
    if v == "pattern":
        if where and where[-1] == "studio":
            return [
                at(
                    where,
                    f"“{_short(instance)}”不是有效的编号：只能用小写英文字母、数字和连字符，"
                    "即 content/studios 里的文件名（不含 .yml）。",
                )
            ]
        if where and where[-1] == "url":
            return [at(where, "网址应以 http:// 或 https:// 开头。")]
        if where and where[-1] == "file":
            return [
                at(
                    where,
                    f"图片文件名“{_short(instance)}”不合要求：只能用小写英文字母、数字、-、_ 和 /，以 .jpg、.jpeg、"
                    ".png 或 .webp 结尾（如 media/hewang-1.jpg）。",
                )
            ]
        if where and where[-1] == "metric":
            return [
                at(
                    where,
                    f"指标编号“{_short(instance)}”只能用小写英文字母、数字和下划线，以字母开头（如 patents）。",
                )
            ]
        return [at(where, f"“{_short(instance)}”的格式不对。")]
    if v == "minLength":
        if _required(kind, where):
            return [at(where, "不能为空：这是必填项，请填写内容。")]
        return [at(where, "不能为空，请填写内容或删去这一项。")]
    if v == "maxLength":
        return [at(where, f"太长了（{len(instance)} 字，上限 {schema.get('maxLength')} 字），请精简。")]
    if v == "minItems":
        return [at(where, "列表是空的，请至少写一项，或删去这个字段。")]
    if v == "uniqueItems":
        return [at(where, "列表里有重复的项，请删去重复的。")]
    if v in ("minimum", "maximum"):
        bound = schema.get(v)
        word = "不能小于" if v == "minimum" else "不能大于"
        return [at(where, f"数值 {instance} 超出范围：{word} {bound}。")]
    return [at(where, f"内容不符合要求（{error.message}）。")]  # pragma: no cover - every keyword we use is above


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


def _required(kind: str, path: tuple) -> bool:
    """Whether the field at `path` is required by its parent object."""
    if not path or isinstance(path[-1], int):
        return False
    schema, doc = resolve(*top(kind))
    for part in path[:-1]:
        schema, doc = resolve(
            schema.get("items", {}) if isinstance(part, int) else schema.get("properties", {}).get(part, {}), doc
        )
    return path[-1] in schema.get("required", [])


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


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"
