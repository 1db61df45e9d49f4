"""What is wrong, said one way: a `Problem` per mistake, and `Stop` when the run cannot go on.

Every check returns a list of Problems; only a run that must stop raises, and then `Stop`,
carrying its Problems. Editors read a problem as `path:line:col: field: message` (Chinese);
tools and tests read its `code`, a short dotted name that stays when the wording changes.
The first part of a code is its area (`AREAS`), the rest says what is wrong in it, in
lower-case words joined by hyphens: `yaml.duplicate-key`, `privacy.mobile`, `page.tag`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

# The areas of the codes: where a problem is found.
AREAS = {
    "file": "a file under content/ the site will not publish (type, name, link, place)",
    "yaml": "the YAML text of a record or of mkdocs.yml (encoding, syntax, size, unsupported YAML)",
    "schema": "a record's values against its JSON Schema (missing, unknown, wrong type or value)",
    "record": "a record among the others (its id and file name, references, the report's cap)",
    "markdown": "Markdown that would render slowly or not at all (block markers, nesting)",
    "photo": "a record's photo entry (its path, its alternative text)",
    "image": "an image's bytes (size, type, pixels, a broken file)",
    "privacy": "personal data (resident ID numbers, mobile numbers) anywhere that is published",
    "page": "a hand-written page (front matter, invisible characters, HTML, markers)",
    "built": "a finished page that holds what only the templates may emit",
    "config": "mkdocs.yml and its `extra.cms` settings",
    "tool": "a program the build needs and cannot find or run (Pagefind, Decap CMS)",
    "ledger": "a workbook of the ledger (its sheets, headers and cells)",
    "new": "a record that scripts/new_record.py cannot create",
    "publish": "a publish that stopped (scripts/publish.py)",
}
CODE = re.compile(r"([a-z]+)(\.[a-z0-9]+(-[a-z0-9]+)*)+")
# The report's first line when the content's checks stop a build.
REPORT_HEADING = "内容检查发现 {count} 个问题，本次未生成网站（原有网站保持不变）："


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """A single editor-facing problem; `message` is Chinese and says how to fix it.

    Sorted by place (path, line, column, field), as the report lists them.
    """

    path: str
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""
    code: str = dataclasses.field(kw_only=True)

    def __post_init__(self) -> None:
        match = CODE.fullmatch(self.code)
        if match is None or match.group(1) not in AREAS:
            raise ValueError(f"problem code {self.code!r} is not area.what-is-wrong (see AREAS)")

    @classmethod
    def file(cls, path: str, code: str, message: str) -> Problem:
        """A problem of a whole file (no line, no field); `path` "" for the whole run (a missing tool)."""
        return cls(path, 0, 0, "", message, code=code)

    def _where(self) -> str:
        # A file name with a control character or bytes that are not UTF-8 (surrogates) would break the
        # report's line or the terminal's encoding: such characters are shown as escapes.
        where = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in self.path)
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        field = self.field or "(文件)"
        return f"{self._where()}: {field}: {self.message}"

    def brief(self) -> str:
        """The line of a stop with a heading of its own: the place, what it is in brackets, the message.

        Such problems name a place that is not a record's field: a built page and its source
        (`/studios/x/（content/studios/x.yml）`), a generated file's line; none at all for the whole run.
        """
        where = self._where() + (f"（{self.field}）" if self.field else "")
        return f"{where}: {self.message}" if where else self.message


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
    return "\n".join([REPORT_HEADING.format(count=len(problems)), *lines])


class Stop(Exception):
    """The run cannot go on; `problems` say why. The one exception the package raises for editors.

    Without a heading the text is the content `report` (counted, sorted, with fields). With one
    (`""` for none), the heading and each problem's `brief` line, in the order found.
    """

    def __init__(self, problems: Iterable[Problem], heading: str | None = None) -> None:
        self.problems = tuple(problems)
        self.heading = heading
        super().__init__(self.text())

    def __reduce__(self):  # pickled as it was made (a process pool hands exceptions back so)
        return Stop, (self.problems, self.heading)

    @classmethod
    def because(cls, code: str, message: str) -> Stop:
        """A stop about the whole run, said in one message."""
        return cls([Problem.file("", code, message)], heading="")

    def text(self) -> str:
        if self.heading is None:
            return report(list(self.problems))
        lines = [line for _, line in self.lines()]
        return "\n".join([self.heading, *lines] if self.heading else lines)

    def lines(self) -> list[tuple[Problem, str]]:
        """Each problem and its line in `text`, in the order shown."""
        if self.heading is None:
            return [(p, str(p)) for p in sorted(self.problems)]
        return [(p, p.brief()) for p in self.problems]

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]
