"""The Atom feed of stories and the iCalendar file of dated outreach talks.

Neither carries the build time: every date comes from the records, so two
builds of the same content are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

import icalendar

from jiangxin.records.model import Site, Story, Studio
from jiangxin.site.context import BuildContext
from jiangxin.site.formatting import quantity
from jiangxin.site.markup import render
from jiangxin.site.rendering import Asset

FEED_PATH = "feed.xml"
CALENDAR_PATH = "outreach/calendar.ics"
ATOM = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
CHINA = dt.timezone(dt.timedelta(hours=8))
# Feed date when no record has a date or a report year: fixed, never the build time.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=CHINA)
UID_DOMAIN = "jiangxin-binzhou"


def absolute(site_url: str, path: str) -> str:
    """`path` (relative to the site root) as an absolute URL under `site_url`."""
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def _day(value: str | None) -> dt.datetime | None:
    return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), CHINA) if value else None


def story_date(story: Story) -> dt.datetime | None:
    """When a story was published: its `date`, else the date of its source, else unknown."""
    return _day(story.get("date")) or _day((story.get("source") or {}).get("date"))


def feed_updated(site: Site) -> dt.datetime:
    """The feed's `updated`: the newest story date, else 1 January of the newest report year, else a fixed epoch."""
    dates = [d for d in map(story_date, site.stories) if d]
    if dates:
        return max(dates)
    if site.latest_report:
        return dt.datetime(site.latest_report.year, 1, 1, tzinfo=CHINA)
    return EPOCH


def _stamp(when: dt.datetime) -> str:
    return when.isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(site: Site, site_url: str, author: str, title: str = "匠心滨州 · 工匠故事") -> bytes:
    """An Atom 1.0 feed of every story, newest first (undated stories after, by id); links are absolute."""
    fallback = feed_updated(site)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {f"{{{XML_NS}}}lang": "zh-CN"})
    _sub(feed, "id", absolute(site_url, FEED_PATH))
    _sub(feed, "title", title)
    _sub(feed, "subtitle", "滨州劳模工匠的故事，适合公众阅读和课堂讨论。")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=absolute(site_url, FEED_PATH))
    _sub(feed, "link", rel="alternate", type="text/html", href=absolute(site_url, "stories/"))
    _sub(feed, "updated", _stamp(fallback))
    _sub(_sub(feed, "author"), "name", author)
    ordered = sorted(site.stories, key=lambda s: (-(story_date(s) or EPOCH).timestamp(), s.id))
    for story in ordered:
        url = absolute(site_url, story.url)
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", story.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        published = story_date(story)
        _sub(entry, "updated", _stamp(published or fallback))
        if published:
            _sub(entry, "published", _stamp(published))
        person = story.get("person")
        if person:
            _sub(_sub(entry, "contributor"), "name", person["name"])
        for theme in story.get("themes", ()):
            _sub(entry, "category", term=theme)
        _sub(entry, "summary", story.get("summary"), type="text")
        # Relative links in the body resolve against the story's own page.
        content = _sub(entry, "content", str(render(story.get("body"))), type="html")
        content.set(f"{{{XML_NS}}}base", url)
    ET.indent(feed)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
    )


@dataclass(frozen=True)
class Talk:
    """One outreach entry of a studio, with its position in the studio's list."""

    studio: Studio
    position: int
    data: Mapping


def _talks(site: Site) -> list[Talk]:
    return [Talk(s, i, o) for s in site.studios for i, o in enumerate(s.get("outreach", ()), start=1)]


def dated_outreach(site: Site) -> list[Talk]:
    """Outreach entries with a day, in date order: the calendar's events."""
    return sorted(
        (t for t in _talks(site) if t.data.get("date")), key=lambda t: (t.data["date"], t.studio.id, t.position)
    )


def undated_outreach(site: Site) -> list[Talk]:
    """Outreach entries with only a year or no date at all: listed on /data/, not in the calendar."""
    return [t for t in _talks(site) if not t.data.get("date")]


def _description(talk: Talk) -> str:
    o = talk.data
    lines = [f"工作室：{talk.studio.name}"]
    if o.get("speaker"):
        lines.append(f"宣讲人：{o['speaker']}")
    if o.get("audiences"):
        lines.append(f"面向：{'、'.join(o['audiences'])}")
    if o.get("reach"):
        reach = o["reach"]
        lines.append(f"{reach.get('label') or '覆盖'}：{reach.get('period', '')}{quantity(reach)}")
    if o.get("text"):
        lines.append(o["text"])
    source = talk.studio.get("source") or {}
    lines.append(f"资料来源：《{source.get('title', '')}》" + (f"，{source['author']}" if source.get("author") else ""))
    return "\n".join(lines)


def outreach_calendar(site: Site, site_url: str | None) -> bytes:
    """An iCalendar file with one all-day event per dated outreach entry; stamps come from the dates, not the clock."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//滨州市总工会//匠心滨州//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "匠心滨州 · 劳模工匠宣讲")
    seen: dict[tuple[str, str], int] = {}
    for talk in dated_outreach(site):
        day = dt.date.fromisoformat(talk.data["date"])
        # Stable across edits elsewhere in the list: studio, day and the n-th talk of that day.
        n = seen[(talk.studio.id, talk.data["date"])] = seen.get((talk.studio.id, talk.data["date"]), 0) + 1
        event = icalendar.Event()
        event.add("uid", f"{talk.studio.id}-{day.isoformat()}-{n}@{UID_DOMAIN}")
        event.add("dtstamp", dt.datetime.combine(day, dt.time(), dt.UTC))
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"{talk.data['title']}（{talk.studio.name}）")
        if talk.data.get("place"):
            event.add("location", talk.data["place"])
        event.add("description", _description(talk))
        if site_url:
            event.add("url", absolute(site_url, talk.studio.url))
        cal.add_component(event)
    return cal.to_ical()


def feed_assets(ctx: BuildContext) -> list[Asset]:
    """The story feed (Atom, only with a site address) and the outreach calendar (.ics)."""
    # Atom ids and links must be absolute: no address, no feed (the /data/ page says so).
    assets = [Asset(FEED_PATH, atom_feed(ctx.site, ctx.site_url, ctx.publisher))] if ctx.site_url else []
    # Published even before the first dated talk, so that readers can subscribe early.
    assets.append(Asset(CALENDAR_PATH, outreach_calendar(ctx.site, ctx.site_url)))
    return assets
