"""One profile per studio, one page per story, and the home page's featured cards."""

from __future__ import annotations

from jiangxin.records.model import Story, Studio
from jiangxin.records.registry import PILLARS
from jiangxin.site.context import BuildContext
from jiangxin.site.rendering import Page


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


def profile_pages(ctx: BuildContext) -> list[Page]:
    """One page per studio and per story."""
    pages = [studio_page(ctx, s) for s in ctx.site.studios]
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
