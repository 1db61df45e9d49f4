"""The core pages: the studio directory, the story list, one profile per studio, one page per story,
and the home page's featured cards."""

from __future__ import annotations

from .context import BuildContext
from .directory import stories_context, studios_context
from .model import LEVEL_ORDER, Site, Story, Studio
from .registry import PILLARS
from .rendering import Page

NO_LEVEL = "none"


def levels(site: Site) -> list[tuple[str, tuple[Studio, ...]]]:
    """Studios grouped by level, national first; studios whose level is not reported come last."""
    groups = []
    for level in (*LEVEL_ORDER, None):
        members = tuple(s for s in site.studios if s.level == level)
        if members:
            groups.append((level or NO_LEVEL, members))
    return groups


def studio_page(ctx: BuildContext, studio: Studio) -> Page:
    """The profile page of one studio (a profile shows only its studio and that studio's stories)."""
    src_uri = f"studios/{studio.id}.md"
    stories = ctx.site.stories_of(studio.id)
    cover = ctx.site.cover(studio)
    # The variants' names hold the photo's hash: a replaced photo with an unchanged record is a new page.
    digests = tuple(p.digest for p in (ctx.site.photo(e["file"]) for e in studio.photos) if p)
    return ctx.reuse(src_uri, (studio, *stories), lambda: ctx.render(
        "jx/studio.html", src_uri, studio.url, studio.name, studio.get("summary"), studio.path,
        image=cover[1].fallback.url if cover else None, studio=studio, data=studio.data, stories=stories,
        pillars=PILLARS,
    ), digests)  # fmt: skip


def story_page(ctx: BuildContext, story: Story) -> Page:
    """The page of one craftsman story, linked to its studio (it shows only itself and its studio)."""
    src_uri = f"stories/{story.id}.md"
    studio = ctx.site.studio(story.studio)
    return ctx.reuse(src_uri, (story, studio), lambda: ctx.render(
        "jx/story.html", src_uri, story.url, story.title, story.get("summary"), story.path,
        story=story, data=story.data, studio=studio,
    ))  # fmt: skip


def studios_index(ctx: BuildContext) -> Page:
    """The directory of all studios, grouped by level, with its filters."""
    site = ctx.site
    return ctx.render(
        "jx/studios_index.html", "studios/index.md", "studios/", "创新工作室",
        f"滨州市劳模和工匠人才创新工作室名录，共 {len(site.studios)} 条记录，按级别分组。",
        groups=levels(site), **studios_context(site),
    )  # fmt: skip


def stories_index(ctx: BuildContext) -> Page:
    """The list of all craftsman stories, with its filters."""
    site = ctx.site
    return ctx.render(
        "jx/stories_index.html", "stories/index.md", "stories/", "工匠故事",
        f"滨州劳模工匠的故事，共 {len(site.stories)} 篇，适合公众阅读和课堂讨论。",
        stories=site.stories, **stories_context(site),
    )  # fmt: skip


def core_pages(ctx: BuildContext) -> list[Page]:
    """The directory, the story list, and one page per studio and per story."""
    pages = [studios_index(ctx), stories_index(ctx)]
    pages += [studio_page(ctx, s) for s in ctx.site.studios]
    pages += [story_page(ctx, s) for s in ctx.site.stories]
    return pages


def home_blocks(ctx: BuildContext) -> dict[str, str]:
    """HTML blocks for the `featured-studios` and `featured-stories` markers of the home page."""
    site = ctx.site
    featured_studios = tuple(s for s in site.studios if s.get("featured")) or site.studios[:6]
    featured_stories = tuple(s for s in site.stories if s.get("featured")) or site.stories[:4]
    return {
        "featured-studios": ctx.fragment("jx/studio_cards.html", studios=featured_studios),
        "featured-stories": ctx.fragment("jx/story_cards.html", stories=featured_stories),
    }
