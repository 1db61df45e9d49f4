"""The studio directory and the story list as facets: slugs, counts, static pages.

Each facet value gets a stable ASCII slug. The cards on `/studios/` and
`/stories/` carry their values as space-separated slugs in `data-<facet>`
attributes, which `jx-filters.js` filters on in the browser; the same slugs name
one static page per value (`studios/county/wudixian/`), so every list is also
reachable with JavaScript off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from jiangxin.records.model import LEVEL_ORDER, LEVELS, Record, Site, Story, Studio
from jiangxin.records.slugs import digest, slug
from jiangxin.site import aggregates
from jiangxin.site.context import BuildContext
from jiangxin.site.formatting import level_label
from jiangxin.site.rendering import Page

R = TypeVar("R", bound=Record)
UNKNOWN = aggregates.UNKNOWN
UNKNOWN_SLUG = "unknown"
# "index" would turn `studios/county/index.md` into the folder's own page.
RESERVED_SLUGS = frozenset({UNKNOWN_SLUG, "index"})
AUDIENCE_ORDER = ("小学", "中学", "职业院校", "公众")


@dataclass(frozen=True)
class Kind:
    """A facet of a list: its key, its Chinese label and the titles of its static pages."""

    key: str
    label: str
    title: str  # "{}" is replaced by the option's label
    unknown_title: str


STUDIO_KINDS = (
    Kind("level", "级别", "{}创新工作室", "级别未注明的创新工作室"),
    Kind("county", "区县", "{}的创新工作室", "区县未注明的创新工作室"),
    Kind("industry", "行业", "{}行业的创新工作室", "行业未注明的创新工作室"),
    Kind("honor", "领衔人荣誉", "领衔人获“{}”称号的创新工作室", "领衔人荣誉未注明的创新工作室"),
)
STORY_KINDS = (
    Kind("audience", "适合对象", "适合{}的工匠故事", "适合对象未注明的工匠故事"),
    Kind("theme", "主题", "主题为“{}”的工匠故事", "主题未注明的工匠故事"),
)
SECTIONS = {"studios": ("创新工作室", "个"), "stories": ("工匠故事", "篇")}


@dataclass(frozen=True)
class Option:
    """One value of a facet, the records that have it, and the URL of its static page."""

    value: str
    label: str
    slug: str
    url: str
    members: tuple[Record, ...]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def unknown(self) -> bool:
        return self.value == UNKNOWN


@dataclass(frozen=True)
class Facet:
    """A facet with its options, most useful first; `section` is `studios` or `stories`."""

    kind: Kind
    section: str
    options: tuple[Option, ...]

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def label(self) -> str:
        return self.kind.label

    def title(self, option: Option) -> str:
        """The title of the option's static page."""
        return self.kind.unknown_title if option.unknown else self.kind.title.format(option.label)


def assign_slugs(values: Iterable[str], key: str = "") -> dict[str, str]:
    """A distinct slug for each value of one facet.

    Levels keep their record keys (`national`), `未注明` is `unknown`. Values whose pinyin
    coincide (homophones) or hit a reserved slug all get a short hash of the value appended,
    so which value came first never decides a URL.
    """
    values = list(dict.fromkeys(values))
    base: dict[str, str] = {}
    for value in values:
        if value == UNKNOWN:
            base[value] = UNKNOWN_SLUG
        elif key == "level" and value in LEVELS:
            base[value] = value
        else:
            base[value] = slug(value)
    taken = Counter(text for value, text in base.items() if value != UNKNOWN)
    result = {}
    for value, text in base.items():
        clash = value != UNKNOWN and (taken[text] > 1 or text in RESERVED_SLUGS)
        result[value] = f"{text}-{digest(value)}" if clash else text
    return result


def story_values(story: Story, key: str) -> list[str]:
    """The values a story has for `audience` or `theme`; `未注明` when the record does not say."""
    field = {"audience": "audiences", "theme": "themes"}[key]
    return list(story.get(field) or ()) or [UNKNOWN]


def _story_counts(site: Site, key: str) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for story in site.stories:
        counts.update(story_values(story, key))

    def order(kv: tuple[str, int]):
        rank = AUDIENCE_ORDER.index(kv[0]) if key == "audience" and kv[0] in AUDIENCE_ORDER else len(AUDIENCE_ORDER)
        return (kv[0] == UNKNOWN, rank, -kv[1], kv[0])

    return sorted(counts.items(), key=order)


def _facet(
    kind: Kind,
    section: str,
    counts: Sequence[tuple[str, int]],
    records: Sequence[R],
    values_of: Callable[[R, str], list[str]],
    label_of: Callable[[str], str],
) -> Facet | None:
    # A facet whose every record says 未注明 would only offer one useless choice.
    if all(value == UNKNOWN for value, _ in counts):
        return None
    slugs = assign_slugs((value for value, _ in counts), kind.key)
    # One pass over the records (dicts keep record order), so large sites stay linear.
    members: dict[str, dict[R, None]] = {value: {} for value, _ in counts}
    for record in records:
        for value in values_of(record, kind.key):
            members[value][record] = None
    options = tuple(
        # Within a facet's own group of options, 未注明 says enough (级别未注明 would repeat the group's name).
        Option(
            value,
            UNKNOWN if value == UNKNOWN else label_of(value),
            slugs[value],
            f"{section}/{kind.key}/{slugs[value]}/",
            tuple(members[value]),
        )
        for value, _ in counts
    )
    return Facet(kind, section, options)


def studio_facets(site: Site) -> list[Facet]:
    """Level, county, industry and the leader's honour, each with its options and counts."""
    facets = [
        _facet(
            kind,
            "studios",
            aggregates.facet(site, kind.key),
            site.studios,
            aggregates.facet_values,
            level_label if kind.key == "level" else str,
        )
        for kind in STUDIO_KINDS
    ]
    return [f for f in facets if f]


def story_facets(site: Site) -> list[Facet]:
    """Audience and theme of the stories, each with its options and counts."""
    facets = [
        _facet(kind, "stories", _story_counts(site, kind.key), site.stories, story_values, str) for kind in STORY_KINDS
    ]
    return [f for f in facets if f]


def card_tokens(records: Iterable[Record], facets: Sequence[Facet]) -> dict[str, dict[str, str]]:
    """For each record id, its `data-*` attributes: facet key → its values as space-separated slugs."""
    slugs: dict[str, dict[str, list[str]]] = {r.id: {f.key: [] for f in facets} for r in records}
    for f in facets:
        for option in f.options:
            for member in option.members:
                if member.id in slugs:
                    slugs[member.id][f.key].append(option.slug)
    return {rid: {key: " ".join(values) for key, values in by_key.items()} for rid, by_key in slugs.items()}


def studios_context(site: Site) -> dict:
    """What `jx/studios_index.html` needs for its filters: the facets and each card's slugs."""
    facets = studio_facets(site)
    return {"facets": facets, "tokens": card_tokens(site.studios, facets), "noun": SECTIONS["studios"][1]}


def stories_context(site: Site) -> dict:
    """What `jx/stories_index.html` needs for its filters: the facets and each card's slugs."""
    facets = story_facets(site)
    return {"facets": facets, "tokens": card_tokens(site.stories, facets), "noun": SECTIONS["stories"][1]}


# The key (and anchor, `#level-none`) of the directory's group of studios whose level the sources do not state.
NO_LEVEL_KEY = "none"


def levels(site: Site) -> list[tuple[str, tuple[Studio, ...]]]:
    """Studios grouped by level, national first; studios whose level is not reported come last."""
    groups = []
    for level in (*LEVEL_ORDER, None):
        members = tuple(s for s in site.studios if s.level == level)
        if members:
            groups.append((level or NO_LEVEL_KEY, members))
    return groups


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


def index_pages(ctx: BuildContext) -> list[Page]:
    """The directory of studios and the list of stories."""
    return [studios_index(ctx), stories_index(ctx)]


def _search_excluded(page: Page) -> Page:
    # The cards repeat text of the profiles; in search they would only crowd out the pages they point to.
    return Page(page.src_uri, {"search": {"exclude": True}, **page.meta}, page.html, page.record_path)


def facet_page(ctx: BuildContext, facet: Facet, option: Option) -> Page:
    """The static page of one facet value: its records as cards, and the other values of the facet."""
    section, noun = SECTIONS[facet.section]
    title = facet.title(option)
    total = len(ctx.site.studios if facet.section == "studios" else ctx.site.stories)
    page = ctx.render(
        "jx/directory_facet.html", f"{option.url.rstrip('/')}.md", option.url, title,
        f"滨州市{title}，共 {option.count} {noun}。",
        facet=facet, option=option, section=facet.section, section_title=section, noun=noun, total=total,
    )  # fmt: skip
    return _search_excluded(page)


def facet_pages(ctx: BuildContext) -> list[Page]:
    """One static page per level, county, industry, honour, audience and theme that any record has."""
    facets = (*studio_facets(ctx.site), *story_facets(ctx.site))
    return [facet_page(ctx, facet, option) for facet in facets for option in facet.options]
