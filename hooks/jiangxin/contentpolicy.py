"""What may be published from the content folder, and how hand-written pages are checked.

Three gates, one set of rules:

* files: every file under content/ is a hand-written page, a record or an image, and
  nothing else; none leaves the repository through a symlink or takes a theme file's place
  (`check_tree` for scripts/check.py, `check_file` for the build's own file list);
* pages: the HTML MkDocs renders from a hand-written page must come through an HTML
  sanitizer (ammonia, via nh3) unchanged, or the build is refused (`check_page_html`);
* the site: every built page is parsed once more for what only the templates may emit
  (`check_final_html`).
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nh3
import yaml

from . import markup
from .markup import browser_url, safe_url
from .problems import Problem
from .recordschema import CONTROL, INVISIBLE, invisible_message
from .registry import KINDS
from .yamlsource import decode, per_line

# mkdocs.utils.markdown_extensions (MkDocs matches them case-sensitively); a test keeps them equal.
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
RECORD_SUFFIXES = (".yml", ".yaml")
RECORD_FOLDERS = tuple(kind.folder for kind in KINDS)
# Image types by their first bytes: a file named .png that is not one is refused.
IMAGE_MAGIC: Mapping[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
ALLOWED = "手写页面（.md）、记录（studios、stories、reports 文件夹里的 .yml）和图片（.jpg、.jpeg、.png、.webp、.gif）"
# Why a refused kind of file is refused, and what to do instead.
REFUSED_HINTS: Mapping[str, str] = {
    ".html": "网页文件可能带有脚本，请把内容改写成 .md 页面",
    ".htm": "网页文件可能带有脚本，请把内容改写成 .md 页面",
    ".svg": "SVG 图片可能带有脚本，请另存为 PNG 或 JPG 图片",
    ".js": "脚本由网站程序提供，不能放在 content 里",
    ".css": "样式由网站程序提供，不能放在 content 里",
}


@dataclass
class Inventory:
    """The content folder as checked: every problem, and the text of each hand-written page."""

    problems: list[Problem] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)
    # Images that passed: (path under content/, file, path as editors see it), for jiangxin.photos.
    images: list[tuple[str, Path, str]] = field(default_factory=list)


# Theme files no page loads: Material's own search (lunr and its worker; Pagefind searches
# here) and source maps (for a developer's tools, 1.3 MB a release).
UNUSED_THEME_FILES = re.compile(r"^assets/javascripts/(lunr|workers)/|\.map$")


def kind_of(src_uri: str) -> str | None:
    """'page', 'record' or 'image' for a path under content/ (posix, relative), None if not published."""
    name = src_uri.rsplit("/", 1)[-1]
    suffix = os.path.splitext(name)[1]
    if suffix in MARKDOWN_SUFFIXES:
        return "page"
    folder = src_uri.split("/", 1)[0] if "/" in src_uri else ""
    if suffix.lower() in RECORD_SUFFIXES and folder in RECORD_FOLDERS and src_uri.count("/") == 1:
        return "record"
    if suffix.lower() in IMAGE_MAGIC:
        return "image"
    return None


def excluded(src_uri: str) -> bool:
    """MkDocs' default `exclude_docs` (dot files and folders, /templates/): never published."""
    return src_uri.startswith("templates/") or any(part.startswith(".") for part in src_uri.split("/"))


def theme_dirs(base: Path) -> list[Path]:
    """The theme folders a build uses: the project's overrides, then Material's and MkDocs' templates."""
    dirs = [base / "overrides"]
    # As MkDocs' Theme.dirs: the theme's, then MkDocs' own (sitemap.xml).
    for package in ("material", "mkdocs"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            dirs.append(Path(spec.origin).parent / "templates")
    return [d for d in dirs if d.is_dir()]


def reserved_paths(dirs: Iterable[Path], generated: Iterable[str] = ()) -> frozenset[str]:
    """Site paths (lower case) of every theme file and generated file: content may not take their place."""
    paths = {p.lower() for p in generated}
    for folder in dirs:
        for root, subdirs, names in os.walk(folder):
            # MkDocs publishes no dot folder of a theme (Material's .icons alone holds 14,000 files).
            subdirs[:] = [d for d in subdirs if not d.startswith(".")]
            for name in names:
                paths.add((Path(root) / name).relative_to(folder).as_posix().lower())
    return frozenset(paths)


def check_file(src_uri: str, path: Path, rel: str, repo: Path, reserved: frozenset[str]) -> list[Problem]:
    """Problems of one file of the content folder (`src_uri` relative to it, `rel` as editors see it)."""
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in src_uri):
        # Bytes that are not UTF-8 become surrogates, on which MkDocs' URL quoting crashes.
        return [
            Problem(
                rel,
                0,
                0,
                "",
                "文件名或文件夹名里有控制字符（如换行）或乱码（不是 UTF-8 文字），不能作网址。"
                "请改用小写英文字母、数字和连字符重新命名。",
            )
        ]
    hidden = INVISIBLE.search(src_uri)
    if hidden:
        # A bidi control turns "x\u202egpj.md" into what reads as "xdm.jpg".
        return [
            Problem(
                rel,
                0,
                0,
                "",
                f"文件名或文件夹名里有看不见的特殊字符（U+{ord(hidden.group()):04X}），网址会与看到的名字不同。"
                "请改用小写英文字母、数字和连字符重新命名。",
            )
        ]
    real, root = path.resolve(), repo.resolve()
    if not real.is_relative_to(root):
        return [
            Problem(
                rel,
                0,
                0,
                "",
                f"这是指向仓库以外（{real}）的链接，不能发布。请删去这个链接，把文件本身放进 content 文件夹。",
            )
        ]
    if any(part.startswith(".") for part in real.relative_to(root).parts):
        # Reached through a link: .git (its config may hold a password), .releases behind site/.
        return [
            Problem(
                rel,
                0,
                0,
                "",
                "这个链接指向网站程序或版本库的内部文件，不能发布。请删去这个链接，把文件本身放进 content 文件夹。",
            )
        ]
    if not real.is_file():
        return [Problem(rel, 0, 0, "", "这不是普通文件，不能发布，请删去。")]
    kind = kind_of(src_uri)
    taken = _folder_over_reserved(src_uri, kind, reserved)
    if taken:
        return [
            Problem(
                rel,
                0,
                0,
                "",
                f"这个文件发布后所在的文件夹“{taken}”与网站自带的同名文件位置相同，网站无法生成。请改名或换一个文件夹。",
            )
        ]
    if kind is None:
        suffix = os.path.splitext(src_uri)[1]
        if suffix.lower() in MARKDOWN_SUFFIXES:
            hint = f"页面的扩展名要用小写，请改名为 {src_uri.rsplit('/', 1)[-1][: -len(suffix)]}{suffix.lower()}"
        elif suffix.lower() in RECORD_SUFFIXES:
            hint = "记录只能直接放在 content/studios、content/stories 或 content/reports 文件夹里，请移到对应文件夹"
        else:
            hint = REFUSED_HINTS.get(suffix.lower(), "请删去这个文件，或把它移出 content 文件夹")
        shown = f"（{suffix}）" if suffix else ""
        return [Problem(rel, 0, 0, "", f"网站不发布这种文件{shown}：content 里只能放{ALLOWED}。{hint}。")]
    if kind == "page":
        return []
    if src_uri.lower() in reserved:
        return [
            Problem(
                rel,
                0,
                0,
                "",
                "这个文件与网站自带的同名文件（主题或程序生成）位置相同，会把它替换掉。请改名或换一个文件夹。",
            )
        ]
    if kind == "image":
        try:
            with open(real, "rb") as stream:
                head = stream.read(12)
        except OSError as err:
            return [unreadable(rel, err)]
        magic = IMAGE_MAGIC[os.path.splitext(src_uri)[1].lower()]
        webp_ok = not src_uri.lower().endswith(".webp") or head[8:12] == b"WEBP"
        if not head.startswith(magic) or not webp_ok:
            return [
                Problem(
                    rel, 0, 0, "", "文件内容不是它的扩展名所说的图片，不能发布。请用图片软件重新导出为 JPG 或 PNG。"
                )
            ]
    return []


def unreadable(rel: str, err: OSError) -> Problem:
    """A file the build may not or cannot read (permissions, a disk error)."""
    why = "没有读取权限" if isinstance(err, PermissionError) else f"读取出错：{err.strerror or err}"
    return Problem(rel, 0, 0, "", f"无法读取这个文件（{why}）。请检查文件的权限（应允许读取），或重新复制这个文件。")


def _folder_over_reserved(src_uri: str, kind: str | None, reserved: frozenset[str]) -> str | None:
    """The folder of the published file that a theme or generated file already is, if any.

    A page `x.md` is published as `x/index.html` (use_directory_urls); a folder where the site has
    a file makes MkDocs crash with FileExistsError.
    """
    parts = src_uri.split("/")
    folders = ["/".join(parts[: i + 1]) for i in range(len(parts) - 1)]
    stem, suffix = os.path.splitext(src_uri)
    if kind == "page" and parts[-1][: -len(suffix)].lower() not in ("index", "readme"):
        folders.append(stem)
    return next((folder for folder in folders if folder.lower() in reserved), None)


def check_tree(docs_dir: Path, base: Path) -> Inventory:
    """Every file under `docs_dir` as MkDocs would find it (following folder links), checked."""
    inventory = Inventory()
    reserved = reserved_paths(theme_dirs(base))
    seen: set[Path] = set()

    def rel(path: Path) -> str:
        return Path(os.path.relpath(path, base)).as_posix()

    def walk(folder: Path, prefix: str) -> None:
        real = folder.resolve()
        if real in seen:
            inventory.problems.append(
                Problem(rel(folder), 0, 0, "", "这个文件夹链接指向了它自己所在的文件夹（形成循环），请删去这个链接。")
            )
            return
        seen.add(real)
        for entry in sorted(folder.iterdir()):
            src_uri = prefix + entry.name
            if excluded(src_uri):
                continue
            if entry.is_dir():
                if entry.is_symlink() and not entry.resolve().is_relative_to(base.resolve()):
                    inventory.problems.append(
                        Problem(
                            rel(entry),
                            0,
                            0,
                            "",
                            f"这是指向仓库以外（{entry.resolve()}）的文件夹链接，不能发布。请删去这个链接。",
                        )
                    )
                    continue
                walk(entry, src_uri + "/")
                continue
            found = check_file(src_uri, entry, rel(entry), base, reserved)
            inventory.problems.extend(found)
            if not found and kind_of(src_uri) == "image":
                inventory.images.append((src_uri, entry, rel(entry)))
            if not found and kind_of(src_uri) == "page":
                try:
                    raw = entry.read_bytes()
                except OSError as err:
                    inventory.problems.append(unreadable(rel(entry), err))
                    continue
                text, problems = decode(raw, rel(entry))
                inventory.problems.extend(problems)
                if text is not None:
                    inventory.problems.extend(check_invisible(text, rel(entry)))
                    inventory.problems.extend(check_front_matter(text, rel(entry)))
                    inventory.problems.extend(check_markdown(text, rel(entry)))
                    inventory.pages.append((rel(entry), text))

    if docs_dir.is_dir():
        walk(docs_dir, "")
    return inventory


# What the schemas refuse in a record's free text (recordschema: CONTROL, INVISIBLE): tab and line feed aside.
REFUSED_TEXT = re.compile(f"{CONTROL.pattern}|{INVISIBLE.pattern}")


def check_invisible(text: str, rel: str) -> list[Problem]:
    """Control, bidi and other invisible characters in a hand-written page, one problem per line
    (the first ten lines): published, they make the page read otherwise than it says."""

    def message(line: str, match: re.Match[str]) -> str:
        char = match.group()
        if CONTROL.match(char):
            kind = "特殊的换行符" if char in "\u2028\u2029" else "看不见的控制字符"
            return f"含有{kind}（U+{ord(char):04X}，多半是从别处复制来的），请删去这段文字后重新输入。"
        return invisible_message(line[: match.end()])

    return per_line(text, REFUSED_TEXT, rel, message)


# mkdocs.utils.meta.YAML_RE: when its block does not parse as a mapping, MkDocs silently
# publishes the front matter as Markdown text.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def check_front_matter(text: str, rel: str) -> list[Problem]:
    """The front matter of a hand-written page must read as `key: value` lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    if match is None:
        if re.match(r"-{3}[ \t]*\n", text):
            return [
                Problem(rel, 1, 1, "", "页面开头的“---”没有配对的结束行：请在页面信息（title 等）之后另起一行写“---”。")
            ]
        return []
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 2 if mark else 2
        column = mark.column + 1 if mark else 0
        return [
            Problem(
                rel,
                line,
                column,
                "",
                f"页面开头“---”之间的页面信息格式错误（{err.problem}），请检查这一行的冒号、缩进和引号。",
            )
        ]
    except yaml.YAMLError as err:
        return [Problem(rel, 2, 0, "", f"页面开头“---”之间的页面信息无法读取（{err}），请检查冒号、缩进和引号。")]
    if not isinstance(data, dict):
        return [Problem(rel, 2, 1, "", "页面开头“---”之间应是“字段: 值”形式的页面信息（如 title: 标题）。")]
    return []


def check_markdown(text: str, rel: str) -> list[Problem]:
    """The shapes that make Python-Markdown slow or fail (`markup.check`, as for records), with the
    page's line numbers: the front matter MkDocs takes off is kept as blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    if match:
        text = "\n" * match.group().count("\n") + text[match.end() :]
    return [Problem(rel, line, 0, "", message) for line, message in markup.check(text, fenced=True)]


# ---------------------------------------------------------------- hand-written pages

# What the Markdown of hand-written pages renders to (MkDocs' toc, tables and fenced code,
# plus attr_list and md_in_html from mkdocs.yml), and a few plain text elements.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
})  # fmt: skip
ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    # Markdown tables align columns with style="text-align: …" (filtered to that property).
    "th": frozenset({"scope", "colspan", "rowspan", "style"}),
    "td": frozenset({"colspan", "rowspan", "style"}),
    "details": frozenset({"open"}),
}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return value if safe_url(value, image=attribute == "src") else None
    # Material's own controls have ids like __search and __drawer; a page must not redefine them.
    if attribute == "id" and value.startswith("__"):
        return None
    return value


# Comments are kept: editors write them and they are inert; link_rel off: it would add
# rel to every link and so change every page.
CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=False,
    link_rel=None,
    url_schemes={"http", "https", "mailto"},
    url_relative="pass_through",
    filter_style_properties={"text-align"},
)


class _Events(HTMLParser):
    """What an HTML text means, for comparing two serialisations: start tags with their
    attributes (entity-decoded), text and comments. End tags carry nothing a sanitizer
    removes, and ammonia writes `<br>` where Markdown wrote `<br />`."""

    def __init__(self, source: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.events: list[tuple] = []

    def _add(self, event: tuple) -> None:
        if event[0] == "text" and self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + event[1])
        else:
            self.events.append(event)

    def handle_starttag(self, tag, attrs):
        if tag != "tbody":  # html5ever adds the tbody that raw HTML tables may omit
            self._add(("tag", tag, tuple(sorted((k, _normal(k, v or "")) for k, v in attrs))))

    def handle_data(self, data):
        # Browsers (and html5ever) drop the newline that starts a <pre>; ammonia does not write it back.
        if self.source and data.startswith("\n") and self.events and self.events[-1][:2] == ("tag", "pre"):
            data = data[1:]
        if data:
            self._add(("text", data))

    def handle_comment(self, data):
        self._add(("comment", data))

    def handle_decl(self, decl):
        self._add(("decl", decl))

    def handle_pi(self, data):
        self._add(("pi", data))

    def unknown_decl(self, data):
        self._add(("decl", data))


def _normal(name: str, value: str) -> str:
    # ammonia writes a filtered style as "text-align:left", Markdown as "text-align: left;".
    return re.sub(r"\s+", "", value).rstrip(";") if name == "style" else value


def _events(html: str, *, source: bool) -> list[tuple]:
    parser = _Events(source)
    parser.feed(html)
    parser.close()
    return parser.events


def check_page_html(html: str, source: str, rel: str) -> list[Problem]:
    """Problems of a hand-written page's rendered HTML: whatever the sanitizer would change.

    The page is published as MkDocs rendered it only when the sanitized HTML means the same
    (same elements, attributes, text and comments); `source` (the Markdown file) locates the cause.
    """
    before = _events(html, source=True)
    after = _events(CLEANER.clean(html), source=False)
    if before == after:
        return []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    # Events come in document order: each is looked for after the one before (two javascript: links, two lines).
    cursor = [0]
    tags, others = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        kept = {e[1]: e for e in after[j1:j2] if e[0] == "tag"}
        for event in before[i1:i2]:
            if event[0] == "tag":
                tags.append(_explain(event, kept.get(event[1]), source, rel, cursor))
            else:
                others.append(_explain(event, None, source, rel, cursor))
    # A removed element also joins the texts around it: report the element, not the texts.
    unique = list(dict.fromkeys(tags or others))
    return unique or [Problem(rel, 0, 0, "", "页面的 HTML 写法不规范，网站无法原样发布。请改用普通 Markdown 写法。")]


def _explain(event: tuple, kept: tuple | None, source: str, rel: str, cursor: list[int]) -> Problem:
    kind = event[0]
    if kind == "tag" and event[1] not in TAGS:
        line, col = _locate(source, [rf"<\s*{re.escape(event[1])}\b"], cursor)
        return Problem(
            rel,
            line,
            col,
            "",
            f"页面里不能用 <{event[1]}> 标签（可能带有脚本或改变整个网站），请删去，改用普通 Markdown 写法。",
        )
    if kind == "tag":
        tag, attrs = event[1], dict(event[2])
        left = dict(kept[2]) if kept else {}
        for name, value in attrs.items():
            if left.get(name) == value:
                continue
            # By the value too (Markdown writes no `src=`), unless it is too short to tell apart.
            by_name = rf"\b{re.escape(name)}\s*=" if value else rf"\b{re.escape(name)}\b"
            patterns = [re.escape(value), by_name] if len(value) >= 4 else [by_name]
            line, col = _locate(source, patterns, cursor)
            if name in ("href", "src"):
                shown = browser_url(value)[:60]
                what = "图片只能用本站的文件" if name == "src" else "链接只能指向 http、https、mailto 网址或本站页面"
                return Problem(rel, line, col, "", f"<{tag}> 的地址“{shown}”不安全：{what}，请改正。")
            if name == "id" and value.startswith("__"):
                return Problem(rel, line, col, "", f"编号“{value}”是网站自身使用的，页面里不能用，请换一个。")
            if name.startswith("on"):
                return Problem(rel, line, col, "", f"页面里不能有脚本或事件属性（<{tag}> 的 {name}），请删去。")
            return Problem(
                rel, line, col, "", f"<{tag}> 标签不能带 {name} 属性（可能带有脚本或改变页面行为），请删去。"
            )
    if kind == "comment":
        line, col = _locate(source, [r"<!--"], cursor)
        return Problem(rel, line, col, "", "这里的 HTML 注释写法不规范，请写成 <!-- 注释 --> 的形式。")
    text = str(event[-1]).strip()[:30]
    line, col = _locate(source, [re.escape(text)] if text else [], cursor)
    return Problem(
        rel,
        line,
        col,
        "",
        f"这里的 HTML 写法不规范或含有不允许的内容（“{text}”），网站无法原样发布。请改用普通 Markdown 写法。",
    )


def _locate(source: str, patterns: list[str], cursor: list[int] | None = None) -> tuple[int, int]:
    """Line and column (1-based) of the earliest match of the patterns in the page's source, or (0, 0).

    Looked for from `cursor[0]` on (then from the start), and the cursor moved past the match.
    """
    for begin in dict.fromkeys([cursor[0] if cursor else 0, 0]):
        found = [m.start() for m in (re.compile(p, re.IGNORECASE).search(source, begin) for p in patterns) if m]
        if found:
            start = min(found)
            if cursor is not None:
                cursor[0] = start + 1
            line_start = source.rfind("\n", 0, start) + 1
            return source.count("\n", 0, start) + 1, start - line_start + 1
    return 0, 0


# ---------------------------------------------------------------- the built site

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data"})
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# Elements that load from their URL as the page opens, and which attribute holds it.
LOADING = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src"}


class _FinalCheck(HTMLParser):
    def __init__(self, hosts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.hosts = hosts
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if tag in ("base", "object", "embed"):
            self.found.append(f"第 {line} 行有 <{tag}> 标签")
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self.found.append(f"第 {line} 行有自动跳转（<meta http-equiv=refresh>）")
        # Material's forms (search, palette) submit nowhere; only a form with a target can send data away.
        if tag == "form" and ({"action", "method", "target"} & values.keys()):
            self.found.append(f"第 {line} 行有提交到别处的表单（<form>）")
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"第 {line} 行 <{tag}> 带有事件属性 {name}")
            elif name in URL_ATTRIBUTES and browser_url(value).lower().startswith(DANGEROUS_SCHEMES):
                self.found.append(f"第 {line} 行 <{tag}> 的 {name} 是不安全的地址（{browser_url(value)[:40]}）")
        loads = LOADING.get(tag)
        if tag == "iframe" or (loads and loads in values and self._foreign(values[loads])):
            self.found.append(f"第 {line} 行 <{tag}> 从别的网站加载内容（{values.get(loads or '', '')[:60]}）")

    def _foreign(self, value: str) -> bool:
        parts = urlsplit(browser_url(value).replace("\\", "/"))
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return True
        return bool(parts.netloc) and (parts.hostname or "").lower() not in self.hosts


def check_final_html(html: str, site_url: str | None) -> list[str]:
    """What a built page may not contain unless the templates put it there, in Chinese, one line each."""
    hosts = frozenset({h.lower() for h in [urlsplit(site_url).hostname] if h} if site_url else set())
    parser = _FinalCheck(hosts)
    parser.feed(html)
    parser.close()
    return parser.found


def without_blocks(html: str, blocks: Mapping[str, str]) -> str:
    """A hand-written page's HTML with the generated blocks of its markers taken out again.

    Markdown passes a raw HTML block through verbatim, without its surrounding newlines; a
    block it changed stays in and is sanitized with the page (and so refuses the build).
    """
    for name, block in blocks.items():
        html = html.replace(block.strip("\n"), f"<!-- jx:{name} -->")
    return html
