"""Pure functions from the model to the site's generated pages and home-page blocks.

Each generated page is HTML rendered from a template in `overrides/jx/` plus the
page meta (title, description) MkDocs needs. The hook hands both to MkDocs
directly, so the HTML is not parsed again as Markdown; `Page.markdown` is the
same page as a Markdown file, for the benchmark's naive stack and for tests.
Links are relative, so the site works from any folder and offline.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import jinja2
import yaml

from .model import LEVEL_ORDER, Site, Story, Studio

NO_LEVEL = "none"
# Characters a YAML document may not hold raw (PyYAML refuses the file) or reads as a line
# break; MkDocs would then treat the whole front matter as Markdown and render its links.
YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


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


def root_of(url: str) -> str:
    """The relative prefix from a page at `url` (e.g. 'studios/hewang/') back to the site root."""
    depth = len([p for p in url.split("/") if p])
    return "../" * depth


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: JSON string syntax, with the characters YAML cannot take raw escaped."""
    return YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def page_meta(title: str, description: str) -> dict:
    # Both values are HTML-escaped here because Material prints page.meta.title
    # and .description into the page unescaped.
    return {"title": html.escape(title, quote=True), "description": html.escape(description, quote=True)}


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


def render_page(
    env: jinja2.Environment,
    template: str,
    src_uri: str,
    url: str,
    title: str,
    description: str,
    record_path=None,
    **context,
) -> Page:
    # Stripped as Markdown would leave it, so the HTML goes to MkDocs as is, without a copy.
    body = env.get_template(template).render(root=root_of(url), **context).strip("\n")
    return Page(src_uri, page_meta(title, description), body, record_path)


# Any element's id: links from other pages may point at it (MkDocs validates such anchors).
ELEMENT_IDS = re.compile(r"<[a-z][a-z0-9]*\b[^>]*?\sid=\"([^\"]+)\"")


def levels(site: Site) -> list[tuple[str, tuple[Studio, ...]]]:
    """Studios grouped by level, national first; studios whose level is not reported come last."""
    groups = []
    for level in (*LEVEL_ORDER, None):
        members = tuple(s for s in site.studios if s.level == level)
        if members:
            groups.append((level or NO_LEVEL, members))
    return groups


# Profiles and stories of the last rebuild of `mkdocs serve`, by page, with what they were made from.
_REUSE: dict[str, tuple[tuple, Page]] = {}


def _reuse(env: jinja2.Environment, src_uri: str, records: tuple, build) -> Page:
    """`build()`, or the page made from equal records under the same templates in the last rebuild.

    Only while serving: the hook then puts its stamp of the templates in env.globals["jx_theme_stamp"].
    A profile shows only its studio and that studio's stories, a story only itself and its studio.
    """
    stamp = env.globals.get("jx_theme_stamp")
    if stamp is None:
        return build()
    inputs = (stamp, tuple((r.id, r.path, r.data) for r in records if r is not None))
    hit = _REUSE.get(src_uri)
    if hit is not None and hit[0] == inputs:
        return hit[1]
    page = build()
    _REUSE[src_uri] = (inputs, page)
    return page


def studio_page(env: jinja2.Environment, site: Site, studio: Studio) -> Page:
    """The profile page of one studio."""
    stories = site.stories_of(studio.id)
    return _reuse(
        env,
        f"studios/{studio.id}.md",
        (studio, *stories),
        lambda: render_page(
            env,
            "jx/studio.html",
            f"studios/{studio.id}.md",
            studio.url,
            studio.name,
            studio.get("summary"),
            studio.path,
            site=site,
            studio=studio,
            data=studio.data,
            stories=stories,
        ),
    )


def story_page(env: jinja2.Environment, site: Site, story: Story) -> Page:
    """The page of one craftsman story, linked to its studio."""
    studio = site.studio(story.studio)
    return _reuse(
        env,
        f"stories/{story.id}.md",
        (story, studio),
        lambda: render_page(
            env,
            "jx/story.html",
            f"stories/{story.id}.md",
            story.url,
            story.title,
            story.get("summary"),
            story.path,
            site=site,
            story=story,
            data=story.data,
            studio=studio,
        ),
    )


def studios_index(env: jinja2.Environment, site: Site) -> Page:
    """The directory of all studios, grouped by level, with its filters."""
    from .directory import studios_context  # directory builds on this module

    return render_page(
        env,
        "jx/studios_index.html",
        "studios/index.md",
        "studios/",
        "创新工作室",
        f"滨州市劳模和工匠人才创新工作室名录，共 {len(site.studios)} 条记录，按级别分组。",
        groups=levels(site),
        site=site,
        **studios_context(site),
    )


def stories_index(env: jinja2.Environment, site: Site) -> Page:
    """The list of all craftsman stories, with its filters."""
    from .directory import stories_context  # directory builds on this module

    return render_page(
        env,
        "jx/stories_index.html",
        "stories/index.md",
        "stories/",
        "工匠故事",
        f"滨州劳模工匠的故事，共 {len(site.stories)} 篇，适合公众阅读和课堂讨论。",
        stories=site.stories,
        site=site,
        **stories_context(site),
    )


def core_pages(env: jinja2.Environment, site: Site) -> list[Page]:
    """The directory, the story list, and one page per studio and per story."""
    pages = [studios_index(env, site), stories_index(env, site)]
    pages += [studio_page(env, site, s) for s in site.studios]
    pages += [story_page(env, site, s) for s in site.stories]
    return pages


def home_blocks(env: jinja2.Environment, site: Site) -> dict[str, str]:
    """HTML blocks that replace `<!-- jx:NAME -->` markers on the hand-written home page."""
    featured_studios = tuple(s for s in site.studios if s.get("featured")) or site.studios[:6]
    featured_stories = tuple(s for s in site.stories if s.get("featured")) or site.stories[:4]
    context = {"root": "", "site": site}
    return {
        "featured-studios": env.get_template("jx/studio_cards.html").render(studios=featured_studios, **context),
        "featured-stories": env.get_template("jx/story_cards.html").render(stories=featured_stories, **context),
    }
