"""The configuration of the browser form (/admin/), generated from the registry and the schemas."""

from __future__ import annotations

import json
import re

import pytest

from jiangxin.records import ids, slugs
from jiangxin.records.catalogue import Field, fields
from jiangxin.records.registry import KIND, KINDS
from jiangxin.site import admin_config
from support.project import ROOT

CONFIG = admin_config.config(admin_config.Settings())
GITEA = {
    "backend": "gitea",
    "repo": "a/b",
    "base_url": "https://g.cn",
    "api_root": "https://g.cn/api/v1",
    "app_id": "x",
}
COLLECTIONS = {c["name"]: c for c in CONFIG["collections"]}


def widget_paths(widgets: list[dict], prefix: tuple = ()) -> dict[tuple, dict]:
    """Every widget of a collection by its schema path (`*` for the items of a list), as `catalogue.fields` names them."""
    out = {}
    for w in widgets:
        path = prefix + (w["name"],)
        out[path] = w
        if w["widget"] == "object":
            out.update(widget_paths(w["fields"], path))
        elif w["widget"] == "list" and "fields" in w:
            out[path + ("*",)] = w
            out.update(widget_paths(w["fields"], path + ("*",)))
        elif w["widget"] == "list":
            out[path + ("*",)] = w["field"]
        elif w["widget"] == "select" and w.get("multiple"):
            out[path + ("*",)] = w
    return out


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_every_schema_field_has_a_widget(kind):
    widgets = widget_paths(COLLECTIONS[kind.folder]["fields"])
    schema_paths = {f.path for f in fields(kind.key)}
    missing = sorted(schema_paths - set(widgets))
    assert not missing, f"{kind.key}: schema fields without a widget in the form: {missing}"
    extra = sorted(set(widgets) - schema_paths - {(admin_config.ID_FIELD,)})
    assert not extra, f"{kind.key}: widgets the schema does not have (the loader would refuse them): {extra}"


def test_a_field_of_an_unknown_shape_stops_the_build():
    odd = Field(("odd",), {"type": "array", "items": {"type": "array"}}, "studio.schema.json")
    with pytest.raises(admin_config.UnknownField, match="odd"):
        admin_config.widget(odd, False)
    with pytest.raises(admin_config.UnknownField, match="null"):
        admin_config.widget(Field(("odd",), {"type": "null"}, "studio.schema.json"), False)
    # A code the form would show as it is: the schema must give it a Chinese label.
    unlabelled = Field(("odd",), {"oneOf": [{"const": "a", "title": "甲"}, {"const": "b"}]}, "studio.schema.json")
    with pytest.raises(ValueError, match="odd: .*'b'"):
        admin_config.widget(unlabelled, False)
    with pytest.raises(ValueError, match="odd: .*'a'"):
        admin_config.widget(Field(("odd",), {"enum": ["a"], "title": "类别：a 甲"}, "studio.schema.json"), False)


def test_one_collection_per_kind_in_registry_order_with_the_records_folder():
    assert [c["name"] for c in CONFIG["collections"]] == [k.folder for k in KINDS]
    for kind in KINDS:
        c = COLLECTIONS[kind.folder]
        assert c["label"] == kind.label and c["folder"] == f"content/{kind.folder}"
        assert c["extension"] == "yml" and c["format"] == "jx-yaml"
        assert c["slug"] == "{{fields.jx_id}}" and c["fields"][0]["widget"] == "jx-id"
        assert c["identifier_field"] == kind.title_field
        assert (ROOT / "hooks" / "jiangxin" / "schemas" / kind.schema_file).is_file()
        assert c["jx_schema"] == f"../../hooks/jiangxin/schemas/{kind.schema_file}"


def test_fields_follow_the_template_order_and_required_fields_are_required():
    names = [f["name"] for f in COLLECTIONS["studios"]["fields"]]
    assert names[:5] == ["jx_id", "name", "organization", "summary", "source"]
    required = {f["name"] for f in COLLECTIONS["studios"]["fields"] if f["required"]}
    assert required == {"name", "organization", "summary", "source"}
    story = [f["name"] for f in COLLECTIONS["stories"]["fields"]]
    assert story.index("studio") < story.index("summary") < story.index("body")
    # Reports have no template: schema order.
    assert [f["name"] for f in COLLECTIONS["reports"]["fields"]][1:] == ["year", "title", "figures", "source"]


def test_labels_and_hints_come_from_the_schema_titles():
    w = widget_paths(COLLECTIONS["studios"]["fields"])
    assert w[("name",)]["label"] == "工作室名称" and "hint" not in w[("name",)]
    assert (w[("designations", "*", "year")]["label"], w[("designations", "*", "year")]["hint"]) == ("年份", "如 2025")
    assert w[("units",)]["label"] == "本条记录涵盖的工作室数量" and w[("units",)]["hint"] == "企业整体介绍时填写"
    assert w[("level",)]["options"] == [
        {"label": "国家级", "value": "national"},
        {"label": "省级", "value": "provincial"},
        {"label": "市级", "value": "municipal"},
        {"label": "县级", "value": "county"},
    ]
    patent = {o["value"]: o["label"] for o in w[("achievements", "*", "patent_type")]["options"]}
    assert patent == {"invention": "发明专利", "utility_model": "实用新型专利", "design": "外观设计专利"}
    audiences = w[("outreach", "*", "audiences")]
    assert audiences["multiple"] and [o["label"] for o in audiences["options"]] == ["企业", "校园", "社区", "基层一线"]


def test_widgets_match_the_value_types():
    w = widget_paths(COLLECTIONS["studios"]["fields"])
    assert w[("team", "size")]["widget"] == "number" and w[("team", "size")]["value_type"] == "int"
    assert w[("team", "size")]["min"] == 1
    assert w[("achievements", "*", "count", "value")]["value_type"] == "float"
    assert w[("featured",)]["widget"] == "boolean"
    assert w[("summary",)]["widget"] == "text" and w[("name",)]["widget"] == "string"
    assert w[("source", "url")]["widget"] == "string", "an address is one line"
    assert w[("source", "date")]["pattern"][0] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    assert w[("photos", "*", "file")]["widget"] == "image"
    assert w[("photos", "*", "caption")]["widget"] == "string"
    assert w[("keywords",)]["widget"] == "list" and w[("keywords", "*")]["widget"] == "string"
    assert w[("achievements",)]["widget"] == "list" and w[("achievements",)]["summary"] == "{{fields.title}}"


def test_markdown_fields_are_plain_textareas_for_input_methods():
    for collection, name in (("studios", "description"), ("stories", "body")):
        w = next(f for f in COLLECTIONS[collection]["fields"] if f["name"] == name)
        assert w["widget"] == "text" and "Markdown" in w["hint"]
    assert "markdown" not in json.dumps(CONFIG).replace("Markdown", ""), "Decap's rich Markdown editor is used"


def test_required_fields_of_an_optional_object_do_not_block_saving():
    leader = next(f for f in COLLECTIONS["studios"]["fields"] if f["name"] == "leader")
    name = next(f for f in leader["fields"] if f["name"] == "name")
    assert not leader["required"] and not name["required"] and "填写“领衔人”时必填" in name["hint"]
    source = next(f for f in COLLECTIONS["studios"]["fields"] if f["name"] == "source")
    assert next(f for f in source["fields"] if f["name"] == "title")["required"]


def test_a_story_chooses_its_studio_from_the_studios():
    studio = next(f for f in COLLECTIONS["stories"]["fields"] if f["name"] == "studio")
    assert studio["widget"] == "relation" and studio["collection"] == "studios"
    assert studio["value_field"] == "{{slug}}" and studio["search_fields"] == ["name"]
    assert studio["label"] == "所属工作室" and studio["required"]
    assert KIND["story"].references == (("studio", "studio"),)


def test_the_id_widget_carries_the_kind_rule_and_reserved_ids():
    for kind in KINDS:
        w = COLLECTIONS[kind.folder]["fields"][0]
        assert w["jx_kind"] == kind.key and w["jx_source"] == kind.title_field
        assert re.fullmatch(w["jx_pattern"].strip("^$"), "abc-1") or kind.key == "report"
        assert w["jx_reserved"] == list(kind.reserved_ids)
    rule = CONFIG["jx_id_rule"]
    assert rule["suffixes"] == list(ids.GENERIC_SUFFIXES)
    assert rule["max_chars"] == {"studio": ids.MAX_STUDIO_CHARS, "story": ids.MAX_STORY_CHARS}
    assert re.compile(rule["clause_end"]).pattern == ids.STORY_CLAUSE_END.pattern


def test_the_pinyin_table_reads_each_character_as_the_slug_rule_does():
    table = slugs.syllables_table()
    by_char = {c: s for s, chars in table.items() for c in chars}
    assert len(by_char) > 20_000
    sample = "何旺孔空泉任长博滨州渤海活塞吕绿单"
    assert [by_char[c] for c in sample] == ["".join(slugs.words(c)[0]) for c in sample]
    assert by_char["吕"] == "lv" and by_char["何"] == "he"


def test_local_mode_only_without_a_git_host():
    assert CONFIG["backend"]["name"] == "proxy" and not CONFIG["jx_configured"]
    assert CONFIG["local_backend"] == {
        "url": "http://127.0.0.1:8081/api/v1",
        "allowed_hosts": ["127.0.0.1", "localhost"],
    }
    assert "publish_mode" not in CONFIG
    assert CONFIG["locale"] == "zh_Hans" and CONFIG["load_config_file"] is False
    assert CONFIG["media_folder"] == "content/media" and CONFIG["public_folder"] == "media"


@pytest.mark.parametrize(
    ("extra", "backend"),
    [
        (
            {"backend": "gitea", "repo": "union/site", "base_url": "https://git.example.cn",
             "api_root": "https://git.example.cn/api/v1", "app_id": "abc-123"},
            {"name": "gitea", "repo": "union/site", "branch": "main", "base_url": "https://git.example.cn",
             "api_root": "https://git.example.cn/api/v1", "app_id": "abc-123"},
        ),
        (
            {"backend": "forgejo", "repo": "union/site", "api_root": "https://git.example.cn/api/v1", "app_id": "abc"},
            {"name": "forgejo", "repo": "union/site", "branch": "main", "api_root": "https://git.example.cn/api/v1",
             "app_id": "abc"},
        ),
        (
            {"backend": "gitlab", "repo": "union/site", "branch": "content", "app_id": "x1",
             "base_url": "https://gitlab.example.cn", "api_root": "https://gitlab.example.cn/api/v4"},
            {"name": "gitlab", "repo": "union/site", "branch": "content", "app_id": "x1", "auth_type": "pkce",
             "base_url": "https://gitlab.example.cn", "api_root": "https://gitlab.example.cn/api/v4"},
        ),
        (
            {"backend": "github", "repo": "union/site", "base_url": "https://auth.example.cn"},
            {"name": "github", "repo": "union/site", "branch": "main", "base_url": "https://auth.example.cn"},
        ),
    ],
)  # fmt: skip
def test_a_configured_git_host_gets_the_editorial_workflow_where_decap_has_it(extra, backend):
    settings, problems = admin_config.settings({"cms": extra}, 40)
    assert not problems
    config = admin_config.config(settings, "content", "https://jx.example.cn/")
    got = {k: v for k, v in config["backend"].items() if k != "commit_messages"}
    assert got == backend
    workflow = extra["backend"] != "gitea"  # decap-cms-backend-gitea 3.x throws on it
    assert (config.get("publish_mode") == "editorial_workflow") == workflow and config["jx_configured"]
    assert config["backend"]["commit_messages"]["create"].startswith("新建")
    assert config["site_url"] == "https://jx.example.cn/"
    off, _ = admin_config.settings({"cms": {**extra, "editorial_workflow": False}})
    assert "publish_mode" not in admin_config.config(off)


@pytest.mark.parametrize(
    ("cms", "key", "words"),
    [
        ("gitea", "extra.cms", "设置: 值"),
        ({"backend": "bitbucket", "repo": "a/b"}, "extra.cms.backend", "gitea"),
        ({"backend": "github", "base_url": "https://a.cn"}, "extra.cms.repo", "拥有者/仓库名"),
        ({"backend": "github", "repo": "a/b", "base_url": "git.example.cn"}, "extra.cms.base_url", "https://"),
        (
            {"backend": "github", "repo": "a/b", "base_url": "https://a.cn", "app_id": "x y"},
            "extra.cms.app_id",
            "英文字母",
        ),
        ({"backend": "forgejo", "repo": "a/b", "app_id": "x"}, "extra.cms.api_root", "必须填写"),
        ({**GITEA, "editorial_workflow": True}, "extra.cms.editorial_workflow", "改用 Forgejo"),
        ({"local_port": 80}, "extra.cms.local_port", "1024"),
        ({"local_port": "8081"}, "extra.cms.local_port", "整数"),
        ({"editorial_workflow": "yes"}, "extra.cms.editorial_workflow", "true"),
        ({**GITEA, "token": "x"}, "extra.cms.token", "不认识"),
    ],
)
def test_wrong_settings_are_named_in_chinese(cms, key, words):
    settings, problems = admin_config.settings({"cms": cms}, 41)
    assert settings == admin_config.Settings()
    assert [p.field for p in problems] == [key] and words in problems[0].message
    assert problems[0].path == "mkdocs.yml" and problems[0].line == 41


def test_the_git_hosts_ci_runs_the_checker_on_what_the_form_saves():
    import yaml

    actions = yaml.safe_load((ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in actions["jobs"]["check"]["steps"]]
    assert steps[-2:] == [
        "python3 -m pip install --disable-pip-version-check -r requirements.txt",
        "python3 scripts/check.py",
    ]
    assert set(actions[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as True
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["content-check"]["script"][-1] == "python3 scripts/check.py"
