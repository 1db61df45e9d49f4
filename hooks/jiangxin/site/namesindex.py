"""The names index behind the search box's instant suggestions (jx-names.js).

Studios, people (leaders, story subjects, speakers), organizations and counties, each
with its page, a kind label, and the readings of its characters: every reading pypinyin
knows (heteronym=True, so 长 is zhang or chang, 单 dan/chan/shan), kept per character in
one table rather than as spelled-out combinations, so a name of polyphonic characters
costs no more than any other. The browser matches full pinyin, initials and mixed
Chinese + pinyin against that table; no request goes to Pagefind for a suggestion.

The index is split into shards by the initials of the first units a query types
(`hw` for 何旺, 何w or hewang), so a query fetches one or two small files however many
names the site has. A shard that would exceed BUDGET bytes gzip is split by the next
initial; the split shard keeps only its TOP best entries plus the names that end there,
which is all a query of that length can show.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pypinyin import Style, pinyin

from jiangxin.records.model import Site
from jiangxin.site import aggregates, directory
from jiangxin.site.context import BuildContext
from jiangxin.site.rendering import Asset
from jiangxin.text import HAN

FOLDER = "jx-names"
# JSON bytes one shard may hold (about 8 KB gzip) before it is split by the next initial.
BUDGET = 48 * 1024
TOP = 24
MAX_DEPTH = 12
# A match may begin at any of a name's first STARTS characters (滨州|渤海活塞, 山东省|十里香); jx-names.js reads it.
STARTS = 5
KINDS = ("工作室", "领衔人", "故事人物", "宣讲人", "单位", "区县")
TOKEN = re.compile(rf"{HAN.pattern}|[a-z0-9]+")


@dataclass(frozen=True)
class Entry:
    name: str
    kind: int  # index into KINDS; lower ranks first
    url: str  # relative to the site root
    detail: str = ""

    def row(self) -> list:
        return [self.name, self.kind, self.url, self.detail] if self.detail else [self.name, self.kind, self.url]


@functools.cache
def readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of one character (ü as v), most common first; () when pypinyin has none."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    out = [re.sub(r"[^a-z]", "", r.replace("ü", "v")) for r in (found[0] if found else ())]
    return tuple(dict.fromkeys(r for r in out if r))


def fold(text: str) -> str:
    """Full-width letters to ASCII, lower case: as the browser folds the query."""
    return unicodedata.normalize("NFKC", text).lower()


def units(name: str) -> list[frozenset[str]]:
    """The name as units a query can type, each as its set of initial letters.

    A Han character is a unit (the first letters of its readings); so is a run of
    ASCII letters or digits (its first character). Anything else separates units.
    """
    out = []
    for token in TOKEN.findall(fold(name)):
        letters = _initials(token) if len(token) == 1 and HAN.fullmatch(token) else frozenset(token[0])
        if letters:
            out.append(letters)
    return out


@functools.cache
def _initials(char: str) -> frozenset[str]:
    return frozenset(r[0] for r in readings(char))


def entries(site: Site) -> list[Entry]:
    """Every name a reader may look up, best kinds first, one per name, kind and page."""
    found: list[Entry] = []
    for studio in site.studios:
        found.append(Entry(studio.name, 0, studio.url))
    for person in aggregates.people(site):
        kinds = {r.kind for r in person.roles}
        if "leader" in kinds:
            led = next(r.studio for r in person.roles if r.kind == "leader")
            found.append(Entry(person.name, 1, led.url, person.organization))
        elif person.stories:
            found.append(Entry(person.name, 2, person.stories[0].url, person.organization))
        else:
            found.append(Entry(person.name, 3, person.roles[0].studio.url + "#jx-outreach", person.organization))
    by_org: dict[str, list] = {}
    for studio in site.studios:
        if studio.get("organization"):
            by_org.setdefault(studio.get("organization"), []).append(studio)
    for org, studios in by_org.items():
        for studio in studios:
            found.append(Entry(org, 4, studio.url, studio.name if len(studios) > 1 else ""))
    for facet in directory.studio_facets(site):
        if facet.key == "county":
            found.extend(Entry(o.label, 5, o.url) for o in facet.options if not o.unknown)
    return _disambiguated(found)


def _disambiguated(found: list[Entry]) -> list[Entry]:
    """Drop repeats; a detail (organization, studio) only where two entries would read the same."""
    unique = list(dict.fromkeys(found))
    same: dict[tuple[str, int], int] = {}
    for e in unique:
        same[(e.name, e.kind)] = same.get((e.name, e.kind), 0) + 1
    out = [e if same[(e.name, e.kind)] > 1 else Entry(e.name, e.kind, e.url) for e in unique]
    return list(dict.fromkeys(out))


def char_table(names: Iterable[str]) -> dict[str, str]:
    """Readings of every Han character of the names, space-separated."""
    chars = sorted({c for name in set(names) for c in HAN.findall(fold(name))})
    return {c: " ".join(readings(c)) for c in chars if readings(c)}


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def shards(all_entries: list[Entry]) -> dict[str, list[int]]:
    """Shard key (initials typed so far; "" for the whole index) → indexes of its entries, best first.

    A split shard's own list is under its key + "*". Sizes are counted in JSON bytes (gzip
    shrinks these rows about fourfold), which is fast enough to do for every node.
    """
    sizes = [len(_dump(e.row())) + 1 for e in all_entries]
    # (entry, unit sets from one start position): a name matches from any of its first STARTS characters.
    items = [
        (i, us[p:], p) for i, e in enumerate(all_entries) for us in [units(e.name)] for p in range(min(STARTS, len(us)))
    ]
    out: dict[str, list[int]] = {}

    def node(key: str, members: list[tuple[int, list[frozenset[str]], int]]) -> None:
        ids = sorted({i for i, _, _ in members})
        depth = len(key)
        if depth >= MAX_DEPTH or sum(sizes[i] for i in ids) <= BUDGET:
            out[key] = ids
            return
        # Split: the names that end at this depth, then the best others, for a query of this length.
        ending = sorted({i for i, us, p in members if p == 0 and len(us) == depth})
        taken = set(ending)
        out[key + "*"] = (ending + [i for i in ids if i not in taken])[: max(TOP, len(ending))]
        children: dict[str, list] = {}
        for i, us, p in members:
            if len(us) > depth:
                for letter in us[depth]:
                    children.setdefault(letter, []).append((i, us, p))
        for letter, group in sorted(children.items()):
            node(key + letter, group)

    node("", items)
    return out


def file_name(key: str, stamp: str) -> str:
    """`hw.<stamp>.json`; a split shard's own list `hw-.<stamp>.json`; the whole index `all.<stamp>.json`."""
    return f"{key.replace('*', '-') or 'all'}.{stamp}.json"


def names_assets(ctx: BuildContext) -> list[Asset]:
    """The names index of the site (an ASSET_BUILDER of sitegen)."""
    return build(ctx.site)


def build(site: Site) -> list[Asset]:
    """`jx-names/index.json` (readings, kinds, shard files) and one JSON file per shard."""
    all_entries = entries(site)
    rows = [_dump(e.row()) for e in all_entries]
    bodies = {key: b"[" + b",".join(rows[i] for i in ids) + b"]" for key, ids in shards(all_entries).items()}
    # One hash for the whole index in every file name: a reader never mixes two builds' shards.
    stamp = hashlib.sha256(b"".join(k.encode() + b"\0" + v for k, v in sorted(bodies.items()))).hexdigest()[:8]
    assets = [Asset(f"{FOLDER}/{file_name(key, stamp)}", body.decode("utf-8")) for key, body in bodies.items()]
    chars = char_table(e.name for e in all_entries)
    meta = {"v": 1, "stamp": stamp, "kinds": KINDS, "chars": chars, "shards": " ".join(bodies)}
    # The rules the shards were cut by, for jx-names.js to read rather than copy (patterns JavaScript reads alike).
    meta |= {"han": HAN.pattern, "token": TOKEN.pattern, "max_depth": MAX_DEPTH, "starts": STARTS}
    assets.append(Asset(f"{FOLDER}/index.json", _dump(meta).decode("utf-8")))
    return assets
