"""mkdocs.yml as editors see it: its syntax checked in Chinese, and MkDocs' English warnings explained.

MkDocs answers a broken mkdocs.yml and a link to a missing page in English only;
publish.py and check.py read the file here first and pass MkDocs' log lines
through `explain`. The file is only composed (YAML nodes, no Python objects), so
tags like `!ENV` or `!!python/name:` that MkDocs allows pass untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from jiangxin.checks.page_policy import angle_brackets
from jiangxin.checks.yamlsource import decode, syntax_problem
from jiangxin.problems import Problem

NAME = "mkdocs.yml"


@dataclass
class Config:
    """What the messages need from mkdocs.yml: docs_dir and the line of each setting and nav entry."""

    docs_dir: str = "docs"
    # `theme`: its name and custom_dir (MkDocs' default theme is "mkdocs", with none).
    theme: str = "mkdocs"
    custom_dir: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)
    nav_lines: dict[str, int] = field(default_factory=dict)


def read(project: Path) -> tuple[Config, list[Problem]]:
    """Read `project/mkdocs.yml`; problems carry `mkdocs.yml:line:col` and say how to fix it."""
    try:
        raw = (project / NAME).read_bytes()
    except FileNotFoundError:
        return Config(), [
            Problem.file(NAME, "config.missing", f"找不到网站配置文件 {project / NAME}，请在项目目录运行。")
        ]
    text, problems = decode(raw, NAME)
    if text is None:
        return Config(), problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        return Config(), [_unclosed_quote(text) or syntax_problem(err, text, NAME)]
    except yaml.YAMLError as err:  # ReaderError: a control character; it has a position, not a mark
        pos = getattr(err, "position", 0)
        line = text[:pos].count("\n") + 1
        control = "这一行含有不可见的控制字符，请删去它（可整行删除后重新输入）。"
        return Config(), [Problem(NAME, line, 0, "", control, code="yaml.control-character")]
    if not isinstance(root, yaml.MappingNode):
        not_mapping = "网站配置应是“设置: 值”形式的列表，请对照原来的 mkdocs.yml 改正。"
        return Config(), [Problem(NAME, 1, 1, "", not_mapping, code="yaml.not-a-mapping")]
    config = Config()
    problems = []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode):
            config.key_lines.setdefault(str(key.value), key.start_mark.line + 1)
            if key.value == "docs_dir" and isinstance(value, yaml.ScalarNode):
                config.docs_dir = str(value.value).strip("/") or "docs"
            if key.value == "theme":
                config.theme, config.custom_dir = _theme(value)
            if key.value == "nav":
                _nav_lines(value, config.nav_lines)
                problems += _nav_titles(value)
            if key.value in THEME_TEXT and isinstance(value, yaml.ScalarNode) and angle_brackets(str(value.value)):
                problems.append(_at_node(value, str(key.value), THEME_TEXT[key.value]))
    return config, problems


def _theme(node: yaml.Node) -> tuple[str, str | None]:
    """`theme: name` or `theme: {name: …, custom_dir: …}`."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value), None
    values = (
        {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if isinstance(node, yaml.MappingNode)
        else {}
    )
    name, custom = values.get("name"), values.get("custom_dir")
    return (
        str(name.value) if isinstance(name, yaml.ScalarNode) else "mkdocs",
        str(custom.value) if isinstance(custom, yaml.ScalarNode) else None,
    )


# Settings the theme writes into every page as they are (MkDocs' templates do not escape them).
THEME_TEXT = {
    "site_name": "网站名称",
    "site_description": "网站简介",
    "site_author": "网站作者",
    "copyright": "页脚的版权说明",
}


def _brackets(what: str) -> str:
    return (
        f"{what}里不能有尖括号“<”“>”（也不能写成 &lt; &gt; 等）：它会原样放进网页的标题栏、页头或页脚，"
        "尖括号会被当作网页代码。请改用书名号《》或全角的＜＞。"
    )


def _at_node(node: yaml.Node, field: str, what: str) -> Problem:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return Problem(NAME, line, column, field, _brackets(what), code="config.title-markup")


def _nav_titles(node: yaml.Node) -> list[Problem]:
    """Nav titles (the keys of its entries) with angle brackets: the navigation shows them on every page."""
    found = []
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _nav_titles(item)
    elif isinstance(node, yaml.MappingNode):
        for title, value in node.value:
            if isinstance(title, yaml.ScalarNode) and angle_brackets(str(title.value)):
                found.append(_at_node(title, "nav", "导航的标题"))
            found += _nav_titles(value)
    return found


def _unclosed_quote(text: str) -> Problem | None:
    """A quoted value running over lines, in a file that fails: a quote left open there.

    YAML lets quoted text span lines, so PyYAML runs on to the next quote in the file and
    reports a line far below; the editor's mistake is where that value began.
    """
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                start, end = token.start_mark, token.end_mark
                if start.line != end.line:
                    return Problem(
                        NAME, start.line + 1, start.column + 1, "",
                        "引号没有配对：从这一行开始的引号一直没有结束，请补上结尾的引号（中文内容里的引号请用中文引号“”）。",
                        code="yaml.unclosed-quote",
                    )  # fmt: skip
    except yaml.YAMLError:
        pass
    return None


def _nav_lines(node: yaml.Node, out: dict[str, int]) -> None:
    if isinstance(node, yaml.ScalarNode):
        out.setdefault(str(node.value), node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _nav_lines(item, out)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            _nav_lines(value, out)


# MkDocs 1.6's wording (mkdocs/structure/pages.py, structure/nav.py, config/base.py, commands/build.py).
_DOC = r"Doc file '(?P<page>[^']+)' contains "
_HINT = r"(?: Did you mean '(?P<hint>[^']+)'\?)?"
MISSING_PAGE = re.compile(
    _DOC + r"a link '(?P<link>[^']+)', but the target(?: '(?P<target>[^']+)')? is not found among documentation files\."
    + _HINT
)  # fmt: skip
ABSOLUTE = re.compile(_DOC + r"an absolute link '(?P<link>[^']+)', it was left as is\." + _HINT)
UNRECOGNIZED = re.compile(_DOC + r"an unrecognized relative link '(?P<link>[^']+)', it was left as is\." + _HINT)
ANCHOR = re.compile(
    _DOC + r"a link '(?P<link>[^']+)', but "
    r"(?:the doc '(?P<target>[^']+)' does not contain an anchor '#[^']*'|there is no such anchor on this page)"
)  # fmt: skip
NAV_MISSING = re.compile(r"A reference to '(?P<link>[^']+)' is included in the 'nav' configuration, which is not found")
UNKNOWN_KEY = re.compile(r"Config value '(?P<key>[^']+)': Unrecognised configuration name")
ABORTED = re.compile(r"Aborted with .* in '?strict'? mode")


def explain(line: str, config: Config) -> str | None:
    """A Chinese line for an English MkDocs message editors cause, or None for any other line."""
    docs = config.docs_dir
    if m := MISSING_PAGE.search(line):
        target = f"（应有文件 {docs}/{m['target']}）" if m["target"] else ""
        return (
            f"{docs}/{m['page']}: 链接 {m['link']} 指向的页面不存在{target}。"
            f"请检查文件名和路径（相对于本页所在的文件夹）{_hint(m)}，或删去这个链接。"
        )
    if m := ABSOLUTE.search(line):
        return (
            f"{docs}/{m['page']}: 链接 {m['link']} 以“/”开头，网站不在域名根目录时会找不到："
            f"请改为相对于本页的 .md 文件路径{_hint(m)}。"
        )
    if m := UNRECOGNIZED.search(line):
        return f"{docs}/{m['page']}: 链接 {m['link']} 无法识别：请链接到具体的 .md 文件{_hint(m)}。"
    if m := ANCHOR.search(line):
        where = f" {docs}/{m['target']} 里" if m["target"] else "本页"
        return f"{docs}/{m['page']}: 链接 {m['link']} 指向的标题在{where}不存在：请检查 # 后面的部分，或删去它。"
    if m := NAV_MISSING.search(line):
        at = _at(config.nav_lines.get(m["link"]))
        return f"{NAME}{at}: nav: 导航里的 {m['link']} 在 {docs}/ 里不存在：请检查文件名，或从 nav 中删去这一项。"
    if m := UNKNOWN_KEY.search(line):
        at = _at(config.key_lines.get(m["key"]))
        return f"{NAME}{at}: {m['key']}: 不是 MkDocs 的设置：请检查拼写和缩进（是否应缩进到上一个设置的下面？）。"
    if m := ABORTED.search(line):
        return "因为上面的警告（严格模式下警告也算错误），本次没有生成网站。"
    return None


def _hint(m: re.Match) -> str:
    return f"（是不是 {m['hint']}？）" if m["hint"] else ""


def _at(line: int | None) -> str:
    return f":{line}" if line else ""
