"""The JSON Schemas of the record kinds as a catalogue: files, `$ref`s, fields, titles and enum labels.

The schema is the single definition of the fields and of the Chinese label of every coded
value; the model, the validator, the form, the ledger and the exports all read it through
this module. It imports nothing else of the package, so the model and the registry can.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
# Where a schema title's explanation begins: 年份，如 2025 · 正文（Markdown） · 约数：超 / 近 ….
_TITLE_CUT = re.compile(r"[：，（(]")


def schema_file(kind: str) -> str:
    """The schema file of a record kind (`studio` → `studio.schema.json`)."""
    return f"{kind}.schema.json"


@cache
def documents() -> dict[str, dict]:
    """Every schema file by name, as loaded JSON."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


@cache
def inlined(kind: str) -> dict:
    """The schema of one record kind with every `$ref` replaced by its target."""
    return _inline(*top(kind))


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
    doc = schema_file(kind)
    return documents()[doc], doc


def short_title(title: str) -> str:
    """A schema title up to its first explanation, as a field's name: 级别：national 国家级 … → 级别."""
    return _TITLE_CUT.split(title, maxsplit=1)[0].strip()


def title_explanation(title: str) -> str:
    """What a schema title says after its short name: 年份，如 2025 → 如 2025; "" when nothing."""
    parts = _TITLE_CUT.split(title, maxsplit=1)
    return parts[1].strip().removesuffix("）").removesuffix(")") if len(parts) > 1 else ""


def enum_labels(schema: Mapping, where: str = "") -> dict[str, str] | None:
    """The values an enum field allows, each with its Chinese label, in schema order; None for any other field.

    A coded value carries its label as JSON Schema names a value: `oneOf` of `{"const": "national",
    "title": "国家级"}`, so the published schemas say it too and validators accept the same values.
    A value written in Chinese (`"enum": ["企业", "校园"]`) is its own label; a code without a label
    is an error (the form would show the reader-unfriendly code).
    """
    if "enum" in schema:
        values = [str(v) for v in schema["enum"]]
        coded = [v for v in values if v.isascii()]
        if coded:
            raise ValueError(f"{where}: a coded value needs a Chinese label (oneOf const/title): {coded[0]!r}")
        return {v: v for v in values}
    branches = schema.get("oneOf")
    if not branches or not all(isinstance(b, Mapping) and "const" in b for b in branches):
        return None
    for branch in branches:
        if not branch.get("title"):
            raise ValueError(f"{where}: the value {branch['const']!r} has no Chinese label (title)")
    return {str(b["const"]): b["title"] for b in branches}


def labels_at(ref: str) -> dict[str, str]:
    """`enum_labels` of the schema a reference names: `common.schema.json#/$defs/level`."""
    doc = ref.partition("#")[0]
    schema, _ = resolve({"$ref": ref}, doc)
    labels = enum_labels(schema, ref)
    if labels is None:
        raise ValueError(f"{ref}: not an enum")
    return labels


def described_title(schema: Mapping, where: str = "") -> str:
    """A field's title with the meaning of its codes, for readers of the raw data:
    级别 → 级别：national 国家级 / provincial 省级 / …; titles of other fields as they are."""
    title = schema.get("title", "")
    labels = enum_labels(schema, where) or {}
    coded = [f"{value} {label}" for value, label in labels.items() if value != label]
    return f"{title}：{' / '.join(coded)}" if coded else title


@dataclass(frozen=True)
class Field:
    """One field of a schema, resolved: its path (`*` for the items of a list), schema, file and title."""

    path: tuple[str, ...]
    schema: dict
    doc: str
    definition: str | None = None  # the shared definition it uses (`markdown`, `text` …), if any
    required: bool = False  # whether its object requires it

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def title(self) -> str:
        return self.schema.get("title", "")

    @property
    def type(self) -> str | None:
        return self.schema.get("type")

    @property
    def labels(self) -> dict[str, str] | None:
        """`enum_labels` of this field: value → Chinese label, or None when it is no enum."""
        return enum_labels(self.schema, ".".join(self.path))

    @property
    def described_title(self) -> str:
        return described_title(self.schema, ".".join(self.path))


def properties(schema: dict, doc: str, prefix: tuple[str, ...] = ()) -> list[Field]:
    """The fields of an object schema, in schema order."""
    schema, doc = resolve(schema, doc)
    required = set(schema.get("required", ()))
    return [
        Field(prefix + (name,), *resolve_named(raw, doc), name in required)
        for name, raw in schema.get("properties", {}).items()
    ]


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


@dataclass(frozen=True)
class Leaf:
    """One column of a flat table: a scalar field or a list of scalars, and the objects it sits in (outermost first)."""

    field: Field
    within: tuple[Field, ...] = ()

    @property
    def always_required(self) -> bool:
        """Required in every row: the field and each object around it are required."""
        return self.field.required and all(f.required for f in self.within)


@dataclass(frozen=True)
class Table:
    """A record kind flattened for a spreadsheet: one row per record (`entries` None) or per entry of a list."""

    entries: Field | None  # the list of objects whose entries are the rows
    columns: tuple[Leaf, ...]  # paths relative to the row


@cache
def tables(kind: str) -> tuple[Table, ...]:
    """The one flattening of a record kind, shared by the open-data CSV and the ledger: the record's own
    table, then one per list of objects, in schema order. Nested objects become several columns
    (领衔人 → leader.name, leader.honors); a list of objects inside a row has no flat form."""
    out: list[Table] = []
    lists: list[Field] = []

    def leaves(schema: dict, doc: str, within: tuple[Field, ...], prefix: tuple[str, ...]) -> Iterator[Leaf]:
        for field in properties(schema, doc, prefix):
            if field.type == "object":
                yield from leaves(field.schema, field.doc, (*within, field), field.path)
            elif field.type == "array" and items(field).type == "object":
                if within or out:
                    raise ValueError(f"{kind}: {'.'.join(field.path)}: a list of objects inside a row has no table")
                lists.append(field)
            else:
                yield Leaf(field, within)

    out.append(Table(None, tuple(leaves(*top(kind), (), ()))))
    for field in lists:
        item = items(field)
        out.append(Table(field, tuple(leaves(item.schema, item.doc, (), ()))))
    return tuple(out)


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
    return short_title(title)


@cache
def markdown_fields(kind: str) -> tuple[tuple[str, ...], ...]:
    """Paths of the fields rendered as Markdown (`*` for every item of a list)."""
    return tuple(f.path for f in fields(kind) if f.definition == "markdown")


def required(kind: str, path: tuple) -> bool:
    """Whether the field at `path` is required by its parent object."""
    if not path or isinstance(path[-1], int):
        return False
    schema, doc = resolve(*top(kind))
    for part in path[:-1]:
        schema, doc = resolve(
            schema.get("items", {}) if isinstance(part, int) else schema.get("properties", {}).get(part, {}), doc
        )
    return path[-1] in schema.get("required", [])
