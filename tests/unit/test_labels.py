"""One label per enum value: the schemas hold it, and the site, the form (/admin/) and the ledger all show it."""

from __future__ import annotations

import json
import re

import jsonschema
import openpyxl
import pytest

from jiangxin.ledger import exporter
from jiangxin.ledger.layout import sheets
from jiangxin.records import catalogue
from jiangxin.records.model import Site
from jiangxin.records.registry import KINDS
from jiangxin.site import admin
from jiangxin.site.context import BuildContext
from jiangxin.site.templates import make_env
from support.project import ROOT

# How the reader's pages name a coded value: the template filter of each coded field.
SITE_FILTERS = {
    ("studio", ("level",)): "level_label",
    ("studio", ("designations", "*", "level")): "level_label",
    ("studio", ("achievements", "*", "type")): "achievement_label",
    ("studio", ("achievements", "*", "patent_type")): "patent_label",
    ("studio", ("talent", "*", "type")): "talent_label",
    ("report", ("figures", "*", "group")): "group_label",
}
# Hand-written texts that list codes with their labels for editors (`project 攻关项目 / patent 专利`).
EDITOR_TEXTS = ("hooks/jiangxin/record_templates/studio.yml", "hooks/jiangxin/record_templates/story.yml",
                "content/contribute/index.md")  # fmt: skip


def enum_fields() -> list[tuple[str, tuple[str, ...], dict[str, str]]]:
    """(kind, path, value → label) of every enum field of every kind; a list's items under `path + ("*",)`."""
    return [(k.key, f.path, f.labels) for k in KINDS for f in catalogue.fields(k.key) if f.labels is not None]


def form_options() -> dict[tuple[str, tuple[str, ...]], dict[str, str]]:
    """The select options of the generated admin/config.json, by kind and schema path."""
    asset = next(a for a in admin.admin_assets(BuildContext(make_env(), Site())) if a.path == "admin/config.json")
    config = json.loads(asset.content)
    found = {}

    def walk(kind: str, widgets: list[dict], at: tuple[str, ...]) -> None:
        for w in widgets:
            path = (*at, w["name"])
            if w["widget"] == "select":
                found[(kind, (*path, "*") if w.get("multiple") else path)] = {
                    o["value"]: o["label"] for o in w["options"]
                }
            walk(kind, w.get("fields", []), (*path, "*") if w["widget"] == "list" else path)

    for kind in KINDS:
        collection = next(c for c in config["collections"] if c["name"] == kind.folder)
        walk(kind.key, collection["fields"], ())
    return found


@pytest.fixture(scope="module")
def ledger_dropdowns(tmp_path_factory) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    """The dropdown lists of the ledger template as written, by kind and schema path."""
    path = tmp_path_factory.mktemp("ledger") / "模板.xlsx"
    exporter.template(path)
    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in sheets():
        ws = book[sheet.name]
        lists = {
            str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation
        }
        for n, column in enumerate(sheet.columns, 1):
            formula = lists.get(openpyxl.utils.get_column_letter(n))
            if formula is None or column.kind == "boolean":
                continue
            at = (sheet.list_field, "*", *column.path) if sheet.list_field else column.path
            items = (*at, "*") if column.kind == "enums" else at
            found[(sheet.kind.key, items)] = formula.strip('"').split(",")
    return found


def test_every_enum_value_has_one_label_on_the_site_in_the_form_and_in_the_ledger(ledger_dropdowns):
    filters = make_env().filters
    form = form_options()
    in_ledger = {k.key for k in KINDS if k.templated}
    fields = enum_fields()
    assert len(fields) >= 10 and sorted(form) == sorted((kind, path) for kind, path, _ in fields)
    for kind, path, labels in fields:
        coded = any(value != label for value, label in labels.items())
        if coded:
            assert (kind, path) in SITE_FILTERS, f"{kind} {path}: how does the site name these codes?"
            site = {value: filters[SITE_FILTERS[kind, path]](value) for value in labels}
        else:
            site = {value: value for value in labels}  # the pages print such values as they are
        assert site == labels, (kind, path)
        assert form[kind, path] == labels, (kind, path)
        if kind in in_ledger:
            assert ledger_dropdowns[kind, path] == list(labels.values()), (kind, path)


def test_the_site_speaks_the_unified_labels():
    filters = make_env().filters
    assert [filters["achievement_label"](v) for v in ("project", "funding")] == ["攻关项目", "资金支持"]
    assert filters["patent_label"]("invention") == "发明专利" and filters["talent_label"]("promotion") == "技能晋升"
    assert filters["group_label"]("studios") == "创新工作室" and filters["level_label"](None) == "级别未注明"


def _listed_pairs(line: str, codes: dict[str, dict[str, str]]) -> list[tuple[str, str, dict[str, str]]]:
    pairs = re.findall(r"(?<![A-Za-z_`])([a-z_]+)(?: |（)([\u4e00-\u9fff]+)", line)
    return [(code, label, codes[code]) for code, label in pairs if code in codes]


@pytest.mark.parametrize("name", EDITOR_TEXTS)
def test_texts_for_editors_list_the_schemas_labels(name):
    by_code: dict[str, dict[str, str]] = {}
    for _, _, labels in enum_fields():
        for value in labels:
            if not value.isascii():
                continue
            assert by_code.setdefault(value, labels) == labels, f"{value}: two enums share a code"
    listings = 0
    for n, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
        pairs = _listed_pairs(line, by_code)
        # A listing of one field's codes (project 攻关项目 / patent 专利); a lone "county 所在区县" is a field name.
        if len(pairs) >= 2 and all(p[2] is pairs[0][2] for p in pairs):
            listings += 1
            assert [label for _, label, _ in pairs] == [labels[code] for code, _, labels in pairs], f"{name}:{n}"
    assert listings or name.endswith("story.yml")


def test_labels_are_read_from_oneof_const_title_and_chinese_values_are_their_own_label():
    coded = {"title": "级别", "oneOf": [{"const": "a", "title": "甲"}, {"const": "b", "title": "乙"}]}
    assert catalogue.enum_labels(coded) == {"a": "甲", "b": "乙"}
    assert catalogue.described_title(coded) == "级别：a 甲 / b 乙"
    words = {"title": "面向：企业 / 校园", "enum": ["企业", "校园"]}
    assert catalogue.enum_labels(words) == {"企业": "企业", "校园": "校园"}
    assert catalogue.described_title(words) == "面向：企业 / 校园"
    assert catalogue.enum_labels({"type": "string", "title": "名称"}) is None
    with pytest.raises(ValueError, match="x.y: .*'b'"):
        catalogue.enum_labels({"oneOf": [{"const": "a", "title": "甲"}, {"const": "b"}]}, "x.y")
    with pytest.raises(ValueError, match="'code'"):
        catalogue.enum_labels({"enum": ["code"]})


def test_the_schemas_still_allow_exactly_the_coded_values():
    check = jsonschema.Draft202012Validator(catalogue.inlined("studio")["properties"]["level"])
    assert all(check.is_valid(value) for value in catalogue.labels_at("common.schema.json#/$defs/level"))
    assert not any(check.is_valid(v) for v in ("国家级", "National", "", None, 1, ["national"]))
