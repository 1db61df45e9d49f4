"""The names index of the instant suggestions (jiangxin/namesindex.py): readings, entries, shards."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from jiangxin.records.model import Site, Studio, freeze
from jiangxin.site import namesindex

SCRIPTS = Path(__file__).resolve().parents[3] / "overrides" / "assets" / "javascripts"


def studio(sid: str, name: str, leader: str, organization: str = "测试单位", **data) -> Studio:
    record = {"name": name, "organization": organization, "summary": "测试。", "leader": {"name": leader}, **data}
    return Studio(sid, f"content/studios/{sid}.yml", freeze(record))


def test_polyphonic_characters_keep_every_reading():
    assert {"zhang", "chang"} <= set(namesindex.readings("长"))
    assert {"shan", "dan"} <= set(namesindex.readings("单"))
    assert namesindex.units("任长博") == [{"r", "l"}, {"z", "c"}, {"b"}]


def test_entries_of_the_sample_name_every_kind(real_site):
    entries = namesindex.entries(real_site)
    kinds = {namesindex.KINDS[e.kind] for e in entries}
    assert kinds >= {"工作室", "领衔人", "单位", "区县"}
    by_name = {(e.name, namesindex.KINDS[e.kind]): e.url for e in entries}
    assert by_name[("何旺", "领衔人")] == "studios/hewang/"
    assert by_name[("无棣县", "区县")] == "studios/county/wudixian/"
    # One organization with two studios: told apart by the studio's name.
    jingbo = [e for e in entries if e.name == "山东京博控股集团有限公司"]
    assert len(jingbo) == 2 and all(e.detail for e in jingbo)


def test_index_lists_readings_and_shards(real_site):
    assets = {a.path: a.content for a in namesindex.build(real_site)}
    meta = json.loads(assets["jx-names/index.json"])
    assert set(meta["chars"]["长"].split()) >= {"zhang", "chang"}
    for key in meta["shards"].split(" "):
        assert f"jx-names/{namesindex.file_name(key, meta['stamp'])}" in assets


def test_index_publishes_the_rules_the_browser_matches_by(real_site):
    """jx-names.js reads the character classes, the shard depth and the start positions from index.json."""
    meta = json.loads({a.path: a.content for a in namesindex.build(real_site)}["jx-names/index.json"])
    assert (meta["han"], meta["token"]) == (namesindex.HAN.pattern, namesindex.TOKEN.pattern)
    assert (meta["max_depth"], meta["starts"]) == (namesindex.MAX_DEPTH, namesindex.STARTS)


def test_the_browser_code_keeps_no_copy_of_the_rules():
    """A copy of the Han class or of the shard rules in our scripts would drift from namesindex.py again."""
    for script in SCRIPTS.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "\\u4e00" not in text and "MAX_DEPTH" not in text and "STARTS =" not in text, script.name


def test_a_large_index_is_split_and_each_shard_stays_small():
    pairs = [(a, b) for a in "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨" for b in "伟芳娜敏静丽强磊军洋" for _ in range(6)]
    studios = tuple(
        studio(f"s{n}", f"虚构{a}{b}{n}号创新工作室", f"{a}{b}{n}号", f"虚构{a}有限公司{n}")
        for n, (a, b) in enumerate(pairs)
    )
    site = Site(studios=studios)
    assets = namesindex.build(site)
    shards = [a for a in assets if not a.path.endswith("index.json")]
    assert len(shards) > 1, "a large index must be split"
    biggest = max(len(gzip.compress(a.content.encode(), 9)) for a in shards)
    assert biggest <= 10 * 1024, f"largest shard {biggest} bytes gzip"
    meta = json.loads(next(a.content for a in assets if a.path.endswith("index.json")))
    keys = meta["shards"].split(" ")
    # Every studio can still be reached from the initials of its leader's name.
    assert any(k.startswith("zw") or k == "z" or k == "zw*" for k in keys), keys[:20]
