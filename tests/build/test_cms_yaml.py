"""What the browser form writes (overrides/admin/jx-format.js, run in Node with the pinned `yaml`).

The loader is the judge: every file the form writes is read back with `parse_record`.
"""

from __future__ import annotations

import difflib
import json
import subprocess
from pathlib import Path

import yaml

from jiangxin.content.loader import parse_record
from jiangxin.problems import report
from jiangxin.records import ids, slugs
from jiangxin.site import admin_config
from support.project import ROOT

FORMAT = ROOT / "overrides" / "admin" / "jx-format.js"
CONFIG = admin_config.config(admin_config.Settings())
FIELDS = {c["name"]: c["fields"] for c in CONFIG["collections"]}
SCHEMA_LINE = "yaml-language-server: $schema=../../hooks/jiangxin/schemas/{}.schema.json"


def node(calls: list[dict]) -> list:
    """Run each call ({"fn": name, "args": [...]}) of jx-format.js in Node; `YAML` is passed where an arg is "$YAML"."""
    script = f"""
import * as YAML from "yaml";
import * as F from {json.dumps(FORMAT.as_uri())};
import fs from "fs";
const calls = JSON.parse(fs.readFileSync(0, "utf8"));
const out = calls.map(({{ fn, args }}) => {{
  try {{
    if (fn === "baseIds") {{
      const [names, rule, table] = args;
      const byChar = F.readings(table);
      return names.map(([name, kind, studio]) => F.baseId(name, kind, rule, byChar, studio));
    }}
    return F[fn](...args.map((a) => (a === "$YAML" ? YAML : a)));
  }} catch (e) {{
    return {{ error: String(e) }};
  }}
}});
process.stdout.write(JSON.stringify(out));
"""
    result = subprocess.run(
        ["node", "--no-warnings", "--input-type=module", "-e", script],
        input=json.dumps(calls, ensure_ascii=False),
        capture_output=True,
        text=True,
        cwd=ROOT,  # where `yaml` resolves from node_modules
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def records() -> list[Path]:
    return sorted(p for kind in ("studios", "stories", "reports") for p in (ROOT / "content" / kind).glob("*.yml"))


def save(raw: str, data: dict, collection: str, kind: str) -> str:
    """What the form writes for `data` over the file `raw` ("" for a new record)."""
    return node(
        [{"fn": "toYaml", "args": ["$YAML", raw, data, FIELDS[collection], SCHEMA_LINE.format(kind), ["jx_id"]]}]
    )[0]


def loads(text: str, kind: str) -> dict:
    """The record as the loader reads it; fails with the loader's own Chinese report."""
    parsed = parse_record(kind, text.encode("utf-8"), f"content/{kind}s/x.yml", "x")
    assert not parsed.problems, report(parsed.problems)
    assert parsed.value is not None
    return parsed.value


def test_reading_and_saving_an_unchanged_record_changes_no_byte():
    calls = []
    for path in records():
        raw = path.read_text(encoding="utf-8")
        calls.append({"fn": "fromYaml", "args": ["$YAML", raw]})
    parsed = node(calls)
    saves = [
        {"fn": "toYaml", "args": ["$YAML", p.read_text(encoding="utf-8"), data, FIELDS[p.parent.name], "", ["jx_id"]]}
        for p, data in zip(records(), parsed, strict=True)
    ]
    for path, out in zip(records(), node(saves), strict=True):
        assert out == path.read_text(encoding="utf-8"), path.name


def test_what_yaml_1_1_would_mistype_is_quoted():
    tricky = [
        "no",
        "on",
        "yes",
        "off",
        "y",
        "010",
        "0x1F",
        "9:30",
        "1_000",
        "123456789012345678901",
        "~",
        "null",
        "1e3",
    ]
    data = {
        "name": "no",
        "organization": "010",
        "summary": "9:30",
        "keywords": tricky,
        "source": {"title": "123456789012345678901"},
    }
    text = save("", data, "studios", "studio")
    value = loads(text, "studio")
    assert value["keywords"] == tricky and value["name"] == "no" and value["organization"] == "010", text
    assert value["summary"] == "9:30" and value["source"]["title"] == "123456789012345678901"


def test_a_new_record_starts_with_the_schema_line_and_keeps_the_template_order():
    data = {
        "jx_id": "zhangsan",
        "featured": False,
        "source": {"date": "2025-05-01", "title": "出处"},
        "summary": "第一句。\n第二句：冒号 # 井号",
        "name": "张三创新工作室",
        "organization": "测试单位",
        "level": "",
        "leader": {"name": "", "honors": []},
        "designations": [],
        "team": {"size": 12},
    }
    text = save("", data, "studios", "studio")
    lines = text.splitlines()
    assert lines[0] == "# " + SCHEMA_LINE.format("studio") and lines[1] == "name: 张三创新工作室", text
    value = loads(text, "studio")
    assert list(value) == ["name", "organization", "summary", "source", "team", "featured"], text
    assert list(value["source"]) == ["title", "date"], "nested keys in schema order"
    assert value["summary"] == "第一句。\n第二句：冒号 # 井号" and value["team"] == {"size": 12}
    assert "jx_id" not in text and "leader" not in text and "level" not in text, "empty inputs are not facts"


def test_editing_one_field_keeps_comments_and_every_other_line():
    template = (admin_config.TEMPLATES / "studio.yml").read_text(encoding="utf-8")
    raw = (
        template.replace("{{id}}", "zhangsan")
        .replace("{{name}}", "张三创新工作室")
        .replace("organization:\n", "organization: 测试单位\n")
        .replace("summary:\n", "summary: 简介。\n")
        .replace("  title:\n", "  title: 出处\n")
    )
    loads(raw, "studio")
    data = node([{"fn": "fromYaml", "args": ["$YAML", raw]}])[0]
    assert save(raw, data, "studios", "studio") == raw, "a commented file saved unchanged must not change"
    data["organization"] = "改名后的单位"
    data["keywords"] = ["简称"]
    out = save(raw, data, "studios", "studio")
    diff = [d for d in difflib.unified_diff(raw.splitlines(), out.splitlines(), lineterm="", n=0) if d[:1] in "+-"]
    assert diff[2:] == ["-organization: 测试单位", "+organization: 改名后的单位", "+keywords:", "+  - 简称"], "\n".join(
        diff
    )
    assert out.count("\n## ") == raw.count("\n## ") and out.count("\n# ") == raw.count("\n# "), "comments lost"
    assert loads(out, "studio")["keywords"] == ["简称"]


def test_removing_a_list_entry_removes_only_its_lines():
    path = ROOT / "content" / "studios" / "bohai-piston.yml"
    raw = path.read_text(encoding="utf-8")
    data = node([{"fn": "fromYaml", "args": ["$YAML", raw]}])[0]
    del data["talent"][1]
    out = save(raw, data, "studios", "studio")
    removed = [d for d in difflib.unified_diff(raw.splitlines(), out.splitlines(), lineterm="", n=0) if d[:1] in "+-"]
    assert all(line.startswith("-") for line in removed[2:]) and "-    title: 晋升为技师" in removed, "\n".join(removed)
    assert [t["title"] for t in loads(out, "studio")["talent"]] == ["晋升为高级技师", "晋升省市技术能手"]


def test_the_form_proposes_the_ids_new_record_proposes():
    names = [(r.get("name"), "studio", None) for r in _records("studios")]
    names += [(r.get("title"), "story", r.get("studio")) for r in _records("stories")]
    names += [
        ("张三劳模创新工作室", "studio", None),
        ("ＣＮＣ 加工 张三工作室", "studio", None),
        ("吕绿技能大师工作室", "studio", None),
        ("以赛促学——测试：标题", "story", "hewang"),
        ("工作室", "studio", None),
        ("!!!", "studio", None),
    ]
    got = node([{"fn": "baseIds", "args": [names, CONFIG["jx_id_rule"], slugs.syllables_table()]}])[0]
    want = [ids.base_id(name, kind, studio) for name, kind, studio in names]
    assert got == want


def test_where_a_word_reads_a_character_differently_the_form_proposes_its_lone_reading():
    # pypinyin reads 重 in 重庆 as chong (a phrase); the form only knows lone characters (zhong).
    # The editor sees the proposal in the form and may change it; documented in the editors' guide.
    got = node(
        [{"fn": "baseIds", "args": [[("重庆工作室", "studio", None)], CONFIG["jx_id_rule"], slugs.syllables_table()]}]
    )
    assert ids.base_id("重庆工作室") == "chongqing" and got[0] == ["zhongqing"]


def _records(folder: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "content" / folder).glob("*.yml"))]
