"""The configuration of the browser form at /admin/ (Decap CMS), generated from the record kinds and their schemas.

One folder collection per kind, one widget per schema field: a new schema field gets a
widget without anyone editing this file, and a field of a shape this module does not know
stops the build (`UnknownField`) instead of vanishing from the form. The form only helps:
the loader stays the one judge of what it saves (`jx-admin.js` writes the YAML).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jiangxin.problems import Problem
from jiangxin.records import ids
from jiangxin.records.catalogue import Field, items, properties, short_title, title_explanation, top
from jiangxin.records.registry import KIND, KINDS, RecordKind

TEMPLATES = Path(__file__).resolve().parents[1] / "record_templates"
MEDIA_FOLDER = "media"  # under content/: what the schema's photo `file` is relative to
LOCAL_PORT = 8081  # decap-server's own default
LOCAL_HOSTS = ("127.0.0.1", "localhost")  # where Decap looks for decap-server (scripts/cms.sh)
# Backends of Decap CMS 3 for a git host the union may run itself (or, for GitHub, rent).
BACKENDS = {"forgejo": "Forgejo", "gitea": "Gitea", "gitlab": "GitLab", "github": "GitHub"}
# Decap 3.16 has the editorial workflow (drafts → review → ready) on these; its gitea backend
# refuses it ("does not support editorial workflow"), its forgejo backend has it.
WORKFLOW_BACKENDS = frozenset({"forgejo", "gitlab", "github"})
# Settings without which Decap falls back to a public host (try.gitea.io, gitlab.com, Netlify).
REQUIRED = {
    "forgejo": ("api_root", "app_id"),
    "gitea": ("base_url", "api_root", "app_id"),
    "gitlab": ("base_url", "api_root", "app_id"),
    "github": ("base_url",),
}
SETTINGS = ("backend", "repo", "branch", "base_url", "api_root", "app_id", "editorial_workflow", "local_port")
# Field names the form adds for itself; `jx-admin.js` never writes them into a record.
ID_FIELD = "jx_id"
_TEMPLATE_KEY = re.compile(r"^(?:# )?([a-z_]+):", re.MULTILINE)
# JavaScript-safe patterns worth checking while the editor types; the rest is the loader's.
_SIMPLE_PATTERN = re.compile(r"[\^$\\\[\]a-z0-9_/.*+?:|(){}-]+")


class UnknownField(ValueError):
    """A schema field whose shape has no widget here: add one, or the form would silently lack it."""


def label_and_hint(field: Field) -> tuple[str, str]:
    """A short label from the field's title ("年份，如 2025" → "年份") and the rest as the hint."""
    title = field.title or field.name
    hint = field.schema.get("description") or title_explanation(title)
    return short_title(title) or field.name, hint


def options(labels: dict[str, str]) -> list[dict[str, str]]:
    """Decap's select options: the schema's Chinese label shown, the value saved."""
    return [{"label": label, "value": value} for value, label in labels.items()]


def widget(field: Field, required: bool, image: bool = False) -> dict:
    """The Decap field of one schema field (recursively for objects and lists); `image`: a photo's file."""
    label, hint = label_and_hint(field)
    out: dict = {"name": field.name, "label": label, "required": required}
    if hint:
        out["hint"] = hint
    schema = field.schema
    if field.labels is not None:
        out.update(widget="select", options=options(field.labels))
        out.pop("hint", None)  # the options say it
    elif field.type == "array":
        item = items(field)
        if item.labels is not None:
            out.update(widget="select", multiple=True, options=options(item.labels))
            out.pop("hint", None)
            if schema.get("minItems"):
                out["min"] = schema["minItems"]
        elif item.type == "object":
            subs = object_fields(item)
            out.update(widget="list", fields=subs, collapsed=True)
            first = next((s["name"] for s in subs if s["widget"] in ("string", "text")), None)
            if first:
                out["summary"] = "{{fields." + first + "}}"
        elif item.type == "string":
            out.update(widget="list", field=widget(item, True) | {"name": "item", "label": label})
        else:
            raise UnknownField(f"{'.'.join(field.path)}: a list of {item.type}")
    elif field.type == "object":
        subs = object_fields(field)
        if not required:
            # Decap checks the required fields of an object even when the editor left the
            # whole object empty: here they are optional, and the loader asks for them.
            for sub in subs:
                if sub["required"]:
                    sub["required"] = False
                    sub["hint"] = f"填写“{label}”时必填。" + (f" {sub['hint']}" if sub.get("hint") else "")
        out.update(widget="object", fields=subs, collapsed=False)
    elif field.type in ("integer", "number"):
        out.update(widget="number", value_type="int" if field.type == "integer" else "float")
        for key, name in (("minimum", "min"), ("maximum", "max")):
            if key in schema:
                out[name] = schema[key]
    elif field.type == "boolean":
        out.update(widget="boolean")
        out.pop("hint", None)  # "true 或 false": the switch says it
    elif field.type == "string":
        out.update(string_widget(field, image))
    else:
        raise UnknownField(f"{'.'.join(field.path)}: type {field.type!r}")
    return out


def string_widget(field: Field, image: bool = False) -> dict:
    """A one-line input, or a plain textarea for paragraphs and Markdown.

    Markdown fields get the plain textarea too: Decap's rich Markdown editor loses or doubles
    Chinese typed through an input method (decap-cms#4837, #6287).
    """
    schema = field.schema
    out: dict = {}
    if field.definition == "markdown":
        out.update(widget="text", hint="可用 Markdown 格式：空一行分段，## 开头为小标题，- 开头为列表。")
    elif schema.get("maxLength", 0) > 500:  # paragraphs (2000), not one-line text (200) or addresses (500)
        out.update(widget="text")
    elif image:
        out.update(widget="image", choose_url=False)
    else:
        out.update(widget="string")
    if schema.get("format") == "date":
        out["pattern"] = ["^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "请按 年-月-日 填写，如 2025-05-01"]
    elif schema.get("pattern") and _SIMPLE_PATTERN.fullmatch(schema["pattern"]) and out["widget"] == "string":
        out["pattern"] = [schema["pattern"], f"格式不对：{field.title}"]
    return out


def object_fields(field: Field) -> list[dict]:
    """The widgets of an object's properties, in schema order."""
    subs = properties(field.schema, field.doc, field.path)
    # The schema's photo (`$defs/photo`) names its image file `file`; it is uploaded, not typed.
    return [widget(sub, sub.required, field.definition == "photo" and sub.name == "file") for sub in subs]


def key_order(kind: RecordKind) -> list[str]:
    """Top-level fields in the order of the kind's template (commented-out examples included), then the schema's."""
    schema, _ = top(kind.key)
    names = list(schema["properties"])
    path = TEMPLATES / f"{kind.key}.yml"
    from_template = _TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")) if path.is_file() else []
    ordered = [n for n in dict.fromkeys(from_template) if n in names]
    return ordered + [n for n in names if n not in ordered]


def collection(kind: RecordKind, content_dir: str) -> dict:
    """The folder collection of one record kind."""
    schema, doc = top(kind.key)
    by_name = {f.name: f for f in properties(schema, doc)}
    fields = [widget(by_name[name], by_name[name].required) for name in key_order(kind)]
    for name, target in kind.references:
        at = next(i for i, f in enumerate(fields) if f["name"] == name)
        fields[at] = relation(fields[at], KIND[target])
    return {
        "name": kind.folder,
        "label": kind.label,
        "label_singular": kind.label,
        "description": schema.get("description", ""),
        "folder": f"{content_dir}/{kind.folder}",
        "extension": "yml",
        "format": "jx-yaml",
        "create": True,
        "delete": False,
        "slug": "{{fields." + ID_FIELD + "}}",
        "identifier_field": kind.title_field,
        "summary": "{{fields." + kind.title_field + "}}",
        "sortable_fields": [kind.title_field],
        "editor": {"preview": False},
        "fields": [id_widget(kind), *fields],
        # Read by jx-admin.js: where the record's schema is, for the first line of a new file.
        "jx_schema": f"../../hooks/jiangxin/schemas/{kind.schema_file}",
    }


def relation(field: dict, target: RecordKind) -> dict:
    """A field holding another record's id, as a searchable list of those records by name."""
    return {
        "name": field["name"],
        "label": f"所属{target.label}",
        "required": field["required"],
        "hint": f"输入{target.label}名称中的字，从列表中选择。",
        "widget": "relation",
        "collection": target.folder,
        "value_field": "{{slug}}",
        "search_fields": [target.title_field],
        "display_fields": [target.title_field],
        "options_length": 500,
    }


def id_widget(kind: RecordKind) -> dict:
    """The record's id (its file name): proposed from the name while the editor leaves it alone, fixed once saved."""
    return {
        "name": ID_FIELD,
        "label": "编号",
        "widget": "jx-id",
        "required": False,
        "hint": "即文件名和网址里的那一段，只能用小写英文字母、数字和连字符（-）；保存后不能再改。",
        "jx_kind": kind.key,
        "jx_source": kind.title_field,
        "jx_pattern": f"^{kind.id_pattern.pattern}$",
        "jx_reserved": list(kind.reserved_ids),
    }


def id_rule() -> dict:
    """The settings of `ids.base_id`, for the form's port of it."""
    return {
        "suffixes": list(ids.GENERIC_SUFFIXES),
        "max_chars": {"studio": ids.MAX_STUDIO_CHARS, "story": ids.MAX_STORY_CHARS},
        "clause_end": ids.STORY_CLAUSE_END.pattern,
    }


@dataclass(frozen=True)
class Settings:
    """`extra.cms` of mkdocs.yml, checked."""

    backend: str | None = None
    repo: str = ""
    branch: str = "main"
    base_url: str = ""
    api_root: str = ""
    app_id: str = ""
    editorial_workflow: bool = True
    local_port: int = LOCAL_PORT


def settings(extra: Mapping, line: int = 0) -> tuple[Settings, list[Problem]]:
    """`extra.cms` as Settings, with a Chinese problem (at `mkdocs.yml:line`) for each wrong setting."""
    raw = extra.get("cms")
    if raw is None:
        return Settings(), []

    def problem(key: str, code: str, message: str) -> Problem:
        field = f"extra.cms.{key}" if key else "extra.cms"
        return Problem("mkdocs.yml", line, 0, field, message, code=f"config.cms.{code}")

    if not isinstance(raw, Mapping):
        return Settings(), [
            problem("", "not-a-mapping", "应写成若干“设置: 值”，如 backend: gitea 和 repo: 单位/仓库。")
        ]
    problems = [
        problem(str(k), "unknown-setting", f"不认识这项设置，可用的有：{'、'.join(SETTINGS)}。")
        for k in raw
        if k not in SETTINGS
    ]
    values = {k: raw[k] for k in SETTINGS if k in raw}
    backend = values.get("backend")
    if backend is not None and backend not in BACKENDS:
        names = "、".join(f"{k}（{v}）" for k, v in BACKENDS.items())
        problems.append(problem("backend", "backend", f"“{backend}”不是可用的代码托管平台，只能写 {names} 之一。"))
    if backend is not None and not re.fullmatch(r"[\w.-]+/[\w.-]+", str(values.get("repo", ""))):
        problems.append(
            problem("repo", "repo", "请写明内容所在的仓库，格式为 拥有者/仓库名，如 binzhou-union/jiangxin。")
        )
    for key in REQUIRED.get(str(backend), ()):
        if key not in values:
            problems.append(
                problem(
                    key, "required", f"用 {BACKENDS[str(backend)]} 时必须填写这一项（见编辑指南“开通网页编辑”一节）。"
                )
            )
    if backend in BACKENDS and backend not in WORKFLOW_BACKENDS and values.get("editorial_workflow") is True:
        problems.append(
            problem(
                "editorial_workflow",
                "workflow-unsupported",
                f"{BACKENDS[str(backend)]} 不支持先审核再发布：请改用 Forgejo 或 GitLab，或写 false。",
            )
        )
    for key in ("base_url", "api_root"):
        if key in values and not re.fullmatch(r"https?://[^\s\"'<>]+", str(values[key])):
            problems.append(problem(key, "url", "请写完整的网址，以 https:// 开头，如 https://git.example.cn。"))
    for key in ("repo", "branch", "app_id"):
        if key in values and not re.fullmatch(r"[\w./-]+", str(values[key])):
            problems.append(problem(key, "characters", "只能含英文字母、数字和 . _ - / 这几个符号。"))
    if "editorial_workflow" in values and not isinstance(values["editorial_workflow"], bool):
        problems.append(problem("editorial_workflow", "not-a-boolean", "只能写 true（先审核再发布）或 false。"))
    port = values.get("local_port", LOCAL_PORT)
    if not isinstance(port, int) or isinstance(port, bool) or not 1024 <= port <= 65535:
        problems.append(problem("local_port", "port", "本机试用的端口应是 1024 到 65535 之间的整数，如 8081。"))
    if problems:
        return Settings(), problems
    typed = ("editorial_workflow", "local_port")
    texts: dict = {k: str(v) for k, v in values.items() if k not in typed}
    return Settings(**texts, **{k: values[k] for k in typed if k in values}), []


def backend(s: Settings) -> dict:
    """Decap's `backend`: the configured git host, or only the local mode when none is set."""
    if s.backend is None:
        # Decap needs a backend; this one is never reached from a reader's browser (jx-admin.js
        # shows a Chinese notice instead of starting the CMS off 127.0.0.1 when none is configured).
        return {"name": "proxy", "proxy_url": f"http://127.0.0.1:{s.local_port}/api/v1"}
    out: dict = {"name": s.backend, "repo": s.repo, "branch": s.branch}
    if s.base_url:
        out["base_url"] = s.base_url
    if s.api_root:
        out["api_root"] = s.api_root
    if s.app_id:
        out["app_id"] = s.app_id
        if s.backend == "gitlab":  # Gitea and Forgejo always log in with PKCE
            out["auth_type"] = "pkce"
    out["commit_messages"] = {
        "create": "新建{{collection}}：{{slug}}",
        "update": "修改{{collection}}：{{slug}}",
        "delete": "删除{{collection}}：{{slug}}",
        "uploadMedia": "上传图片：{{path}}",
        "deleteMedia": "删除图片：{{path}}",
    }
    return out


def config(s: Settings, content_dir: str = "content", site_url: str | None = None) -> dict:
    """The whole Decap configuration (`admin/config.json`)."""
    out: dict = {
        "load_config_file": False,
        "locale": "zh_Hans",
        "backend": backend(s),
        "local_backend": {"url": f"http://127.0.0.1:{s.local_port}/api/v1", "allowed_hosts": list(LOCAL_HOSTS)},
        "media_folder": f"{content_dir}/{MEDIA_FOLDER}",
        "public_folder": MEDIA_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, content_dir) for kind in KINDS],
        "jx_configured": s.backend is not None,
        "jx_id_rule": id_rule(),
    }
    if s.backend in WORKFLOW_BACKENDS and s.editorial_workflow:
        out["publish_mode"] = "editorial_workflow"
    if site_url:
        out["site_url"] = site_url
        out["display_url"] = site_url
    return out
