"""One problem found in the content, reported to editors as `path:line:col: field: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A single editor-facing problem; `message` is Chinese and says how to fix it."""

    path: str
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        # A file name with a control character or bytes that are not UTF-8 (surrogates) would break the
        # report's line or the terminal's encoding: such characters are shown as escapes.
        where = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in self.path)
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        field = self.field or "(文件)"
        return f"{where}: {field}: {self.message}"


def field_name(path: tuple) -> str:
    """Render a value path like ('leader', 'honors', 0) as `leader.honors[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def report(problems: list[Problem]) -> str:
    """The full Chinese report of a failed check, one problem per line, sorted by place."""
    lines = [str(p) for p in sorted(problems)]
    head = f"内容检查发现 {len(problems)} 个问题，本次未生成网站（原有网站保持不变）："
    return "\n".join([head, *lines])
