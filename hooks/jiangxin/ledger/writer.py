"""Writing records from the ledger: new files in the templates' style, updates as small line patches.

An update replaces only the lines of the values that changed (found with `yamlsource`'s line
numbers), so comments, the `# yaml-language-server:` line, key order and untouched fields stay as
the editor wrote them and the git diff shows what the workbook changed. No round-tripping YAML
library is needed for that: records are block YAML of a known shape, and the caller parses the
result again and compares it with the value it meant to write.
"""

from __future__ import annotations

import yaml

from jiangxin.checks.yamlsource import Source
from jiangxin.records.registry import RecordKind


class _Dumper(yaml.SafeDumper):
    """Block style as the sample records are written: list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str)


def dump(value: object) -> str:
    """`value` as block YAML, Chinese as it is, no line folding."""
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False)


def schema_line(kind: RecordKind) -> str:
    """The first line of a record file: VS Code's YAML plugin checks the file against its schema."""
    return f"# yaml-language-server: $schema=../../hooks/jiangxin/schemas/{kind.schema_file}\n"


def new_file(kind: RecordKind, value: dict) -> str:
    return schema_line(kind) + dump(value)


def update(text: str, source: Source, old: dict, new: dict) -> str:
    """`text` (parsed as `source`, value `old`) patched so that it reads as `new`."""
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []
    _Patch(lines, source, edits).mapping((), old, new)
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = replacement
    return "\n".join(lines)


def _indented(text: str, first: str, indent: int) -> list[str]:
    out = text.rstrip("\n").split("\n")
    return [first + out[0], *((" " * indent + line) if line else line for line in out[1:])]


class _Patch:
    def __init__(self, lines: list[str], source: Source, edits: list):
        self.lines, self.source, self.edits = lines, source, edits

    def where(self, path: tuple) -> tuple[int, int]:
        """0-based line and column of the value (for a key: the key) at `path`."""
        line, col = self.source.positions[path]
        return line - 1, col - 1

    def end(self, start: int, col: int, dash_belongs: bool) -> int:
        """One past the last line of the block starting at line `start` whose key or item is at column `col`.

        Blank and comment lines at its end belong to what follows (a comment above the next field).
        """
        last = start
        for i in range(start + 1, len(self.lines)):
            line = self.lines[i]
            stripped = line.lstrip(" ")
            indent = len(line) - len(stripped)
            if not stripped or (stripped.startswith("#") and indent <= col):
                continue
            if indent > col or (dash_belongs and indent == col and (stripped == "-" or stripped.startswith("- "))):
                last = i
                continue
            break
        return last + 1

    def block(self, path: tuple) -> bool:
        """Whether the collection at `path` is written in block style (its items on lines of their own)."""
        own = self.source.positions.get(path)
        children = [
            self.source.positions[p] for p in self.source.positions if len(p) == len(path) + 1 and p[:-1] == path
        ]
        if own is None or not children:
            return False
        lines = [line for line, _ in children]
        if len(set(lines)) != len(lines):
            return False
        # A list item's mapping starts on the item's line ("- type: …"); a key's value starts below the key.
        in_item = bool(path) and isinstance(path[-1], int)
        return all(line > own[0] for line in lines) or (in_item and min(children) == own)

    def mapping(self, path: tuple, old: dict, new: dict) -> None:
        keys = list(old)
        if path and isinstance(path[-1], int) and keys[0] not in new:
            raise _Rewrite  # the entry's first key shares the line of its dash
        for key in keys:
            if key not in new:
                start, col = self.where((*path, key))
                self.edits.append((start, self.end(start, col, True), []))
            elif new[key] != old[key]:
                self.value((*path, key), old[key], new[key])
        # New keys go after the nearest key before them (in the new order) that the file has.
        previous = None
        for key in new:
            if key in old:
                previous = key
                continue
            if previous is None:
                if path:  # before an entry's first key: the caller rewrites the whole entry
                    raise _Rewrite
                at, col = (self.where((*path, keys[0]))[0] if keys else len(self.lines) - 1), 0
            else:
                start, col = self.where((*path, previous))
                at = self.end(start, col, True)
            self.edits.append((at, at, _indented(dump({key: new[key]}), " " * col, col)))

    def value(self, path: tuple, old: object, new: object) -> None:
        start, col = self.where(path)
        edits = len(self.edits)
        try:
            if isinstance(old, dict) and isinstance(new, dict) and old and self.block(path):
                return self.mapping(path, old, new)
            if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and self.block(path):
                for i, (a, b) in enumerate(zip(old, new, strict=True)):
                    if a != b:
                        self.item((*path, i), a, b)
                return None
        except _Rewrite:
            del self.edits[edits:]
        self.edits.append(
            (start, self.end(start, col, True), _indented(dump({path[-1]: new}), self.lines[start][:col], col))
        )
        return None

    def item(self, path: tuple, old: object, new: object) -> None:
        start, col = self.where(path)
        dash = self.lines[start].rfind("-", 0, col)
        if isinstance(old, dict) and isinstance(new, dict) and old and self.block(path):
            edits = len(self.edits)
            try:
                return self.mapping(path, old, new)
            except _Rewrite:
                del self.edits[edits:]
        self.edits.append((start, self.end(start, dash, False), _indented(dump([new]), self.lines[start][:dash], dash)))
        return None


class _Rewrite(Exception):
    """A change the line patch cannot place (a new first key of an entry): the enclosing value is written anew."""
