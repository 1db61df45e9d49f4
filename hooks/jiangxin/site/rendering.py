"""The rendering toolkit every builder uses: generated pages and files, and rendering one page from a template.

Each generated page is HTML rendered from a template in `overrides/jx/` plus the
page meta (title, description) MkDocs needs. The hook hands both to MkDocs
directly, so the HTML is not parsed again as Markdown; `Page.markdown` is the
same page as a Markdown file, for the benchmark's naive stack and for tests.
Links are relative, so the site works from any folder and offline.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass

import yaml

# Characters a YAML document may not hold raw (PyYAML refuses the file) or reads as a line
# break; MkDocs would then treat the whole front matter as Markdown and render its links.
YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
# Any element's id: links from other pages may point at it (MkDocs validates such anchors).
ELEMENT_IDS = re.compile(r"<[a-z][a-z0-9]*\b[^>]*?\sid=\"([^\"]+)\"")


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page (JSON, CSV, SVG, feed): its path in the site and content."""

    path: str
    content: str | bytes


@dataclass(frozen=True)
class Page:
    """A generated page: where it lives in the docs tree, its meta and HTML, and the record it shows."""

    src_uri: str
    meta: dict
    html: str
    record_path: str | None = None

    @property
    def markdown(self) -> str:
        """The page as a Markdown file with YAML front matter (what MkDocs would read from disk)."""
        return _front_matter(self.meta) + self.html

    @property
    def element_ids(self) -> set[str]:
        """Every id in the page's HTML: anchors that links from other pages may point at."""
        return set(ELEMENT_IDS.findall(self.html))


def root_of(url: str) -> str:
    """The relative prefix from a page at `url` (e.g. 'studios/hewang/') back to the site root."""
    depth = len([p for p in url.split("/") if p])
    return "../" * depth


def edit_url(repo_url: str, edit_uri: str, docs_name: str, record: str) -> str:
    """Where to edit `record` (a path from the repository root) on the git host.

    `edit_uri` points at the docs folder ("edit/main/content/"); records are named from the root.
    """
    prefix = edit_uri.strip("/").removesuffix(docs_name).strip("/")
    return "/".join(filter(None, (repo_url.rstrip("/"), prefix, record)))


def page_meta(title: str, description: str) -> dict:
    """The meta MkDocs needs, HTML-escaped: Material prints page.meta.title and .description unescaped."""
    return {"title": html.escape(title, quote=True), "description": html.escape(description, quote=True)}


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: JSON string syntax, with the characters YAML cannot take raw escaped."""
    return YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _front_matter(meta: dict) -> str:
    lines = []
    for key, value in meta.items():
        if isinstance(value, str):
            lines.append(f"{key}: {_yaml_string(value)}")
        else:
            lines.append(yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False).rstrip("\n"))
    block = "\n".join(lines) + "\n"
    # If MkDocs could not read this block it would render it as Markdown, links and all.
    if yaml.safe_load(block) != meta:
        raise ValueError(f"front matter does not read back: {block!r}")
    return "---\n" + block + "---\n\n"


def stylesheet_bundle(sources: list[tuple[str, str]], folder: str = "assets/stylesheets") -> Asset:
    """Our stylesheets (path, text) as one file named by its content hash, in their cascade order.

    One render-blocking request instead of one per file (each costs a round trip on a slow
    phone network), and a name that changes with the content, so it may be cached for a year.
    """
    text = "".join(f"/* {path} */\n{css.rstrip()}\n" for path, css in sources)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return Asset(f"{folder}/jx.{digest}.min.css", text)
