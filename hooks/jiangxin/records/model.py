"""The validated, immutable model of the site's content."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from jiangxin.records import catalogue

# Coded values and their Chinese labels, as the schemas define them (one place: the schema files).
LEVELS = catalogue.labels_at("common.schema.json#/$defs/level")
LEVEL_ORDER = tuple(LEVELS)
_ENTRY = "studio.schema.json#/properties/{}/items/properties/{}"
ACHIEVEMENT_TYPES = catalogue.labels_at(_ENTRY.format("achievements", "type"))
PATENT_TYPES = catalogue.labels_at(_ENTRY.format("achievements", "patent_type"))
TALENT_TYPES = catalogue.labels_at(_ENTRY.format("talent", "type"))


def freeze(value):
    """Deep read-only copy: dicts become mapping proxies, lists become tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


@dataclass(frozen=True)
class Record:
    """Fields shared by every record: its id, its file (relative to mkdocs.yml) and its data."""

    id: str
    path: str
    data: MappingProxyType = field(repr=False, compare=False)

    def get(self, key: str, default=None):
        """A top-level field of the record, or `default`."""
        return self.data.get(key, default)


@dataclass(frozen=True)
class Studio(Record):
    """One 创新工作室 (or a company's group of them, when `units` is set)."""

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def level(self) -> str | None:
        return self.data.get("level")

    @property
    def leader(self) -> str | None:
        leader = self.data.get("leader")
        return leader["name"] if leader else None

    @property
    def url(self) -> str:
        return f"studios/{self.id}/"

    @property
    def photos(self) -> tuple:
        """The record's photos (file, caption, alt), in record order."""
        return self.data.get("photos", ())


@dataclass(frozen=True)
class Story(Record):
    """One craftsman story, linked to its studio."""

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def studio(self) -> str:
        return self.data["studio"]

    @property
    def url(self) -> str:
        return f"stories/{self.id}/"


@dataclass(frozen=True)
class Report(Record):
    """The city's officially reported figures of one year, shown as reported."""

    @property
    def year(self) -> int:
        return self.data["year"]


@dataclass(frozen=True)
class Site:
    """All records, sorted by id so every build is byte-identical."""

    studios: tuple[Studio, ...] = ()
    stories: tuple[Story, ...] = ()
    reports: tuple[Report, ...] = ()
    # Processed images (jiangxin.content.photos): a record photo's file → its variants; any other image
    # under content/ (path there) → its stripped copy. Not compared: they follow from the files.
    photos: Mapping[str, Photo] = field(default_factory=dict, compare=False, repr=False)
    page_images: Mapping[str, Stripped] = field(default_factory=dict, compare=False, repr=False)

    def photo(self, file: str) -> Photo | None:
        """The variants of a record photo (None when the file could not be used: the load reported it)."""
        return self.photos.get(file)

    def cover(self, studio: Studio) -> tuple[Mapping, Photo] | None:
        """A studio's first photo (its record entry and variants), for cards, portraits and the header."""
        for entry in studio.photos:
            variants = self.photos.get(entry["file"])
            if variants is not None:
                return entry, variants
        return None

    def studio(self, studio_id: str) -> Studio:
        """The studio with this id (ids are checked when loading)."""
        return self._studios_by_id[studio_id]

    def stories_of(self, studio_id: str) -> tuple[Story, ...]:
        """The stories that name this studio."""
        return self._stories_by_studio.get(studio_id, ())

    # Built once per site: looked up for every page, a scan each time grew as studios × stories.
    @cached_property
    def _studios_by_id(self) -> dict[str, Studio]:
        return {s.id: s for s in self.studios}

    @cached_property
    def _stories_by_studio(self) -> dict[str, tuple[Story, ...]]:
        found: dict[str, list[Story]] = {}
        for story in self.stories:
            found.setdefault(story.studio, []).append(story)
        return {k: tuple(v) for k, v in found.items()}

    @property
    def latest_report(self) -> Report | None:
        """The report of the most recent year, if any."""
        return max(self.reports, key=lambda r: r.year, default=None)


FALLBACK_WIDTH = 960


@dataclass(frozen=True)
class Variant:
    """One published file of a photo: its site path, size and format, and where the cache keeps it."""

    url: str
    width: int
    height: int
    format: str
    path: Path


@dataclass(frozen=True)
class Photo:
    """A record photo after processing: its variants, by format, narrowest first."""

    digest: str
    variants: tuple[Variant, ...]

    def of(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    def srcset(self, fmt: str, root: str = "") -> str:
        """`srcset` of one format, relative to `root`."""
        return ", ".join(f"{root}{v.url} {v.width}w" for v in self.of(fmt))

    @property
    def fallback(self) -> Variant:
        """The JPEG for `src`, share previews and the poster: 960 px wide, or the widest below that."""
        jpegs = self.of("jpeg")
        return next((v for v in reversed(jpegs) if v.width <= FALLBACK_WIDTH), jpegs[0])

    @property
    def largest(self) -> Variant:
        return self.of("jpeg")[-1]


@dataclass(frozen=True)
class Stripped:
    """A hand-written page's image, re-encoded without its metadata: publish `path` in the original's place."""

    digest: str
    path: Path
