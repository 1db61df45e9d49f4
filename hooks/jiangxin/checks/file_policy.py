"""The files gate: what may be published from the content folder.

Every file under content/ is a hand-written page, a record or an image, and nothing else;
none leaves the repository through a symlink or takes a theme file's place (`check_tree`
for scripts/check.py, `check_file` for the build's own file list).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jiangxin.checks.page_policy import check_front_matter, check_invisible, check_markdown, check_titles
from jiangxin.checks.yamlsource import decode
from jiangxin.problems import Problem
from jiangxin.records.registry import KINDS
from jiangxin.text import INVISIBLE

# mkdocs.utils.markdown_extensions (MkDocs matches them case-sensitively); a test keeps them equal.
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
RECORD_SUFFIXES = (".yml", ".yaml")
RECORD_FOLDERS = tuple(kind.folder for kind in KINDS)
# The browser form's folder: the web server gives it a looser policy (release.securityheaders), so
# nothing of the content may be published there.
FORM_FOLDER = "admin/"
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
    # Images that passed: (path under content/, file, path as editors see it), for jiangxin.content.photos.
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


def theme_dirs(base: Path, theme: str = "material", custom_dir: str | None = "overrides") -> list[Path]:
    """The theme folders a build uses, as MkDocs' Theme.dirs: the project's custom_dir, the theme's
    own folder (found as MkDocs finds it, by its `mkdocs.themes` entry point), then MkDocs' templates."""
    dirs = [base / custom_dir] if custom_dir else []
    found = [e for e in importlib.metadata.entry_points(group="mkdocs.themes") if e.name == theme]
    spec = importlib.util.find_spec(found[0].value) if found else None
    if spec is not None and spec.submodule_search_locations:
        dirs.append(Path(next(iter(spec.submodule_search_locations))))
    spec = importlib.util.find_spec("mkdocs")
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
            Problem.file(
                rel,
                "file.unreadable-name",
                "文件名或文件夹名里有控制字符（如换行）或乱码（不是 UTF-8 文字），不能作网址。"
                "请改用小写英文字母、数字和连字符重新命名。",
            )
        ]
    hidden = INVISIBLE.search(src_uri)
    if hidden:
        # A bidi control turns "x\u202egpj.md" into what reads as "xdm.jpg".
        return [
            Problem.file(
                rel,
                "file.invisible-name",
                f"文件名或文件夹名里有看不见的特殊字符（U+{ord(hidden.group()):04X}），网址会与看到的名字不同。"
                "请改用小写英文字母、数字和连字符重新命名。",
            )
        ]
    real, root = path.resolve(), repo.resolve()
    if not real.is_relative_to(root):
        return [
            Problem.file(
                rel,
                "file.outside-link",
                f"这是指向仓库以外（{real}）的链接，不能发布。请删去这个链接，把文件本身放进 content 文件夹。",
            )
        ]
    if any(part.startswith(".") for part in real.relative_to(root).parts):
        # Reached through a link: .git (its config may hold a password), .releases behind site/.
        return [
            Problem.file(
                rel,
                "file.internal-link",
                "这个链接指向网站程序或版本库的内部文件，不能发布。请删去这个链接，把文件本身放进 content 文件夹。",
            )
        ]
    if not real.is_file():
        return [Problem.file(rel, "file.not-a-file", "这不是普通文件，不能发布，请删去。")]
    if src_uri.lower().startswith(FORM_FOLDER):
        return [
            Problem.file(
                rel,
                "file.form-folder",
                "content 里不能有 admin 文件夹：网站的 /admin/ 是编辑人员用的网页表单，服务器给它较宽的安全策略。"
                "请把这个文件移到别的文件夹。",
            )
        ]
    kind = kind_of(src_uri)
    taken = _folder_over_reserved(src_uri, kind, reserved)
    if taken:
        return [
            Problem.file(
                rel,
                "file.folder-taken",
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
        return [
            Problem.file(rel, "file.refused-type", f"网站不发布这种文件{shown}：content 里只能放{ALLOWED}。{hint}。")
        ]
    if kind == "page":
        return []
    if src_uri.lower() in reserved:
        return [
            Problem.file(
                rel,
                "file.place-taken",
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
                Problem.file(
                    rel,
                    "file.wrong-suffix",
                    "文件内容不是它的扩展名所说的图片，不能发布。请用图片软件重新导出为 JPG 或 PNG。",
                )
            ]
    return []


def unreadable(rel: str, err: OSError) -> Problem:
    """A file the build may not or cannot read (permissions, a disk error)."""
    why = "没有读取权限" if isinstance(err, PermissionError) else f"读取出错：{err.strerror or err}"
    return Problem.file(
        rel, "file.unreadable", f"无法读取这个文件（{why}）。请检查文件的权限（应允许读取），或重新复制这个文件。"
    )


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
                Problem.file(
                    rel(folder),
                    "file.link-loop",
                    "这个文件夹链接指向了它自己所在的文件夹（形成循环），请删去这个链接。",
                )
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
                        Problem.file(
                            rel(entry),
                            "file.outside-link",
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
                    inventory.problems.extend(check_titles(text, rel(entry)))
                    inventory.pages.append((rel(entry), text))

    if docs_dir.is_dir():
        walk(docs_dir, "")
    return inventory
