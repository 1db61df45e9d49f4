"""The Excel ledger (台账): layout from the schemas, reading real-looking workbooks, cell-precise errors, round trip."""

from __future__ import annotations

import datetime
import shutil

import openpyxl
import pytest
from openpyxl.styles.cell_style import StyleArray

from jiangxin.content.loader import parse_record
from jiangxin.ledger import exporter, importer, reader, writer
from jiangxin.ledger.layout import GUIDE_SHEET, sheets
from jiangxin.records import catalogue
from jiangxin.records.registry import KINDS
from support.project import ROOT, load_real_site

# The number formats Excel in a Chinese locale gives typed dates; openpyxl reads them as bare serials.
CHINESE_DATE_FORMATS = (*range(27, 37), *range(50, 59))
SOURCE = "建强阵地四维发力 释放“硬核”动能——滨州市总工会以劳模和工匠人才创新工作室赋能企业发展"


def sheet_of(name):
    return next(s for s in sheets() if s.name == name)


def headers(name):
    return [c.label for c in sheet_of(name).columns]


def book(tmp_path, tables, name="台账.xlsx"):
    """A workbook: sheet name → list of rows (the first is the header row, written as given)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in tables.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def row(sheet, **by_header):
    """One data row of `sheet`, cells given by header (without the required mark)."""
    cols = [c.header for c in sheet_of(sheet).columns]
    out = [None] * len(cols)
    for header, value in by_header.items():
        out[cols.index(header)] = value
    return out


def studio_row(**extra):
    values = {"工作室名称": "张三创新工作室", "所在单位": "测试单位", "一段话简介": "简介。", "出处标题": "测试出处"}
    return row("工作室", **{**values, **extra})


@pytest.fixture
def project(tmp_path):
    """A scratch project with the sample content (only content/ is read and written by the ledger)."""
    dest = tmp_path / "project"
    shutil.copytree(ROOT / "content", dest / "content")
    return dest


def plan(path, project):
    return importer.plan(path, project, path.name)


def messages(result):
    return [str(p) for p in result.problems]


# --- layout -----------------------------------------------------------------------------------------


def test_every_schema_field_has_one_column_or_sheet():
    for kind in (k for k in KINDS if k.templated):
        covered = set()
        for sheet in (s for s in sheets() if s.kind is kind):
            prefix = (sheet.list_field, "*") if sheet.list_field else ()
            if sheet.list_field:
                covered.add((sheet.list_field,))
            covered |= {(*prefix, *c.path) for c in sheet.columns if c.path}
        for field in catalogue.fields(kind.key):
            if field.type == "object" or field.name == "*" or field.path[-1:] == ("*",):
                continue
            if field.path[-1] == "*":
                continue
            assert field.path in covered or (field.path[:-1] in covered and field.path[-1] == "*"), field.path


def test_headers_are_the_schema_titles_shortened():
    assert headers("工作室")[:3] == ["编号", "工作室名称*", "所在单位*"]
    assert (
        "级别" in headers("工作室") and "领衔人姓名" in headers("工作室") and "出处作者或发布单位" in headers("工作室")
    )
    achievements = headers("难题攻关")
    assert achievements[:4] == ["工作室编号", "工作室名称", "类别*", "名称*"]
    assert {"数量", "数量单位", "数量约数", "数量时间范围", "金额", "金额单位"} <= set(achievements)
    assert [s.name for s in sheets()] == [
        "工作室",
        "命名与荣誉",
        "难题攻关",
        "人才成长",
        "技能比拼",
        "铸魂育人",
        "照片",
        "工匠故事",
    ]


def test_enum_columns_offer_chinese_labels():
    level = sheet_of("工作室").column(("level",))
    assert level.options == (("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"), ("county", "县级"))
    kinds = sheet_of("难题攻关").column(("type",))
    assert dict(kinds.options)["patent"] == "专利"


def test_template_has_dropdowns_frozen_headers_and_a_guide(tmp_path):
    path = tmp_path / "模板.xlsx"
    exporter.template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*(s.name for s in sheets()), GUIDE_SHEET]
    for sheet in sheets():
        ws = wb[sheet.name]
        assert ws.freeze_panes == "A2"
        assert [c.value for c in ws[1]] == [c.label for c in sheet.columns]
        lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in ws.data_validations.dataValidation}
        for n, column in enumerate(sheet.columns, 1):
            letter = reader.column_letter(n)
            if column.options:
                assert lists[letter] == '"' + ",".join(label for _, label in column.options) + '"', (sheet.name, column)
    guide = [r[1] for r in wb[GUIDE_SHEET].iter_rows(values_only=True)]
    assert "级别" in guide and "数量约数" in guide


# --- round trip ---------------------------------------------------------------------------------------


def test_export_then_import_changes_nothing_on_the_sample_content(tmp_path):
    path = tmp_path / "导出.xlsx"
    exporter.export(path, load_real_site())
    result = plan(path, ROOT)
    assert result.problems == []
    assert {c.status for c in result.changes} == {"unchanged"}
    studios = sum(1 for c in result.changes if c.kind.key == "studio")
    assert studios == len(load_real_site().studios)
    assert len(result.changes) == len(load_real_site().studios) + len(load_real_site().stories)


def test_exported_cells_read_as_the_ledger_says(tmp_path):
    path = tmp_path / "导出.xlsx"
    exporter.export(path, load_real_site())
    wb = openpyxl.load_workbook(path)
    ws = wb["人才成长"]
    rows = [dict(zip([c.value for c in ws[1]], r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    bohai = [r for r in rows if r["工作室编号"] == "bohai-piston"]
    assert [r["人数"] for r in bohai] == [849, 615, 8]
    assert bohai[0]["类别*"] == "技能晋升" and bohai[0]["人数时间范围"] == "近年来"


# --- reading real ledgers -------------------------------------------------------------------------------


def test_chinese_builtin_date_formats_are_dates(tmp_path, project):
    """Every East-Asian built-in date format (27–36, 50–58), in a date column and in a year column."""
    out = [headers("铸魂育人")]
    for n, _ in enumerate(CHINESE_DATE_FORMATS):
        out.append(row("铸魂育人", 工作室编号="hewang", 活动名称=f"宣讲{n}", 日期=45721, 年份=45721))
    path = book(tmp_path, {"铸魂育人": out})
    wb = openpyxl.load_workbook(path)
    ws = wb["铸魂育人"]
    date_col = headers("铸魂育人").index("日期") + 1
    year_col = headers("铸魂育人").index("年份") + 1
    for n, fmt in enumerate(CHINESE_DATE_FORMATS, 2):
        for col in (date_col, year_col):
            style = StyleArray()
            style.numFmtId = fmt
            ws.cell(row=n, column=col)._style = style
    wb.save(path)
    # openpyxl indeed sees serial numbers here: why the ledger reads values with calamine.
    assert openpyxl.load_workbook(path)["铸魂育人"].cell(row=3, column=date_col).value == 45721
    result = plan(path, project)
    assert result.problems == []
    (change,) = result.changes
    value = parse_record("studio", change.text.encode(), "x.yml", "hewang").value
    assert [o["date"] for o in value["outreach"]] == ["2025-03-05"] * len(CHINESE_DATE_FORMATS)
    assert {o["year"] for o in value["outreach"]} == {2025}


@pytest.mark.parametrize(
    ("typed", "date", "year"),
    [
        ("2025年3月5日", "2025-03-05", 2025),
        ("2025.3.5", "2025-03-05", 2025),
        ("2025/03/05", "2025-03-05", 2025),
        ("2025-3-5", "2025-03-05", 2025),
        ("20250305", "2025-03-05", None),
        (datetime.datetime(2025, 3, 5, 0, 0), "2025-03-05", 2025),
        (45721, "2025-03-05", 2025),
    ],
)
def test_dates_typed_as_text(typed, date, year):
    assert reader.date(typed) == date
    if year:
        assert reader.year(typed) == year


@pytest.mark.parametrize(
    ("typed", "year"), [("2025年3月", 2025), ("2025.3", 2025), (2025.3, 2025), ("2025年", 2025), ("２０２５", 2025)]
)
def test_year_columns_take_months_and_keep_the_year(typed, year):
    assert reader.year(typed) == year


def test_a_month_in_a_date_column_asks_for_the_day():
    with pytest.raises(reader.CellError, match="日期要写到日"):
        reader.date("2025年3月")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (360, (360, "", "")),
        ("360万元", (360, "", "万元")),
        ("近1000人次", (1000, "近", "人次")),
        ("30余项", (30, "余", "项")),
        ("1,000", (1000, "", "")),
        ("１０００", (1000, "", "")),
        ("11.15万元", (11.15, "", "万元")),
        (849.0, (849, "", "")),
    ],
)
def test_quantities_as_typed(typed, expected):
    assert reader.quantity(typed) == expected


def test_long_digit_strings_come_back_as_digits():
    assert reader.text(20251234567.0) == "20251234567"
    with pytest.raises(reader.CellError, match="前 15 位"):
        reader.text(1.2345678901234567e17)


def test_a_real_looking_ledger_imports(tmp_path, project):
    """Title row, 序号, headers with spaces and full-width brackets, blank and 合计 rows, merged grouping cells."""
    studio_head = ["序号", "编 号", "工作室名称（必填）", "所在单位 *", "级　别", "一段话简介", "出处标题", "团队人数"]
    studios = [
        ["2025年滨州市劳模和工匠人才创新工作室台账"],
        studio_head,
        [1, None, "张三创新工作室", "测试单位", "市级", "简介一。", "测试出处", "１２"],
        [None] * 8,
        [2, None, "李四劳模创新工作室", "测试单位", "县级", "简介二。", "测试出处", "8人"],
        ["合计", None, None, None, None, None, None, 20],
    ]
    entries = [
        ["工作室名称", "类别", "名称", "金额", "年份"],
        ["张三创新工作室", "攻关项目", "项目一", "360万元", "2025年3月"],
        [None, "专利", "专利一", None, 2024],
        [None, "攻关项目", "项目二", "近20万元", "2025.3"],
        ["李四劳模创新工作室", "攻关项目", "项目三", "15万元", datetime.date(2023, 6, 1)],
    ]
    path = book(
        tmp_path, {"工作室": studios, "难题攻关": entries, "汇总": [["别的表"]]}, name="滨州市总工会台账（2025）.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    wb["工作室"].merge_cells("A1:H1")
    wb["难题攻关"].merge_cells("A2:A4")
    wb.save(path)
    result = plan(path, project)
    assert messages(result) == []
    by_id = {c.id: c for c in result.changes}
    assert set(by_id) == {"zhangsan", "lisi"} and {c.status for c in result.changes} == {"new"}
    zhangsan = parse_record("studio", by_id["zhangsan"].text.encode(), "x.yml", "zhangsan").value
    assert zhangsan["team"] == {"size": 12}
    assert zhangsan["level"] == "municipal"
    assert [(a["title"], a.get("year"), a.get("amount")) for a in zhangsan["achievements"]] == [
        ("项目一", 2025, {"value": 360, "unit": "万元"}),
        ("专利一", 2024, None),
        ("项目二", 2025, {"value": 20, "unit": "万元", "approx": "近"}),
    ]
    assert result.skipped_sheets == ["汇总"]
    assert importer.apply(result) and (project / "content/studios/lisi.yml").is_file()


def test_a_thousand_rows(tmp_path, project):
    out = [headers("工作室")]
    out += [studio_row(工作室名称=f"测试{n}号创新工作室", 级别="县级") for n in range(1000)]
    result = plan(book(tmp_path, {"工作室": out}), project)
    assert result.problems == []
    new = [c for c in result.changes if c.status == "new"]
    assert len(new) == 1000 and len({c.id for c in new}) == 1000
    assert "ceshi-999-hao" in {c.id for c in new}


# --- ids ------------------------------------------------------------------------------------------------


def test_an_existing_studio_keeps_its_id(tmp_path, project):
    # Only the columns it has: the rest of the record stays as it is.
    path = book(tmp_path, {"工作室": [["工作室名称", "所在区县"], ["何旺创新工作室", "滨城区"]]})
    result = plan(path, project)
    assert result.problems == []
    (change,) = [c for c in result.changes]
    assert change.id == "hewang" and change.status == "changed" and change.fields == ("county",)


def test_proposed_ids_avoid_each_other_and_existing_ones(tmp_path, project):
    rows = [headers("工作室"), studio_row(工作室名称="何旺劳模创新工作室"), studio_row(工作室名称="何旺技能大师工作室")]
    result = plan(book(tmp_path, {"工作室": rows}), project)
    assert result.problems == []
    assert sorted(c.id for c in result.changes) == ["hewang-2", "hewang-3"]


def test_id_collisions_are_errors(tmp_path, project):
    rows = [
        headers("工作室"),
        studio_row(编号="zhangsan"),
        studio_row(编号="zhangsan", 工作室名称="张三二号创新工作室"),
        studio_row(编号="hewang", 工作室名称="另一个创新工作室"),
        studio_row(工作室名称="张三创新工作室", 所在单位="又一行"),
        studio_row(编号="foo", 工作室名称="何旺创新工作室"),
    ]
    found = messages(plan(book(tmp_path, {"工作室": rows}), project))
    assert found[0].startswith("台账.xlsx 工作室!A3: 编号: 编号“zhangsan”与第 2 行相同")
    assert any(m.startswith("台账.xlsx 工作室!A4: 编号: 编号“hewang”已是“何旺创新工作室”") for m in found)
    assert any(m.startswith("台账.xlsx 工作室!B5: name（工作室名称）: 与第 2 行重复") for m in found)
    assert any(
        m.startswith("台账.xlsx 工作室!A6: 编号: “何旺创新工作室”已有记录 content/studios/hewang.yml") for m in found
    )


# --- the error matrix -------------------------------------------------------------------------------------

MATRIX = {
    # (sheet, cell): (field shown, a piece of the message)
    ("工作室", "H2"): ("level（级别）", "“国家”不是可选的值，请从下拉列表里选一个：国家级、省级、市级、县级"),
    ("工作室", "K2"): ("team.size（团队人数）", "“十二”不是整数"),
    ("工作室", "P2"): ("featured（是否在首页推荐）", "“也许”请改为“是”或“否”"),
    ("工作室", "S2"): ("source.date（出处日期）", "“2025年13月5日”不存在"),
    ("工作室", "D2"): ("units（本条记录涵盖的工作室数量）", "数值 1 超出范围：不能小于 2"),
    ("工作室", "T2"): ("source.url（出处网址）", "网址应以 http:// 或 https:// 开头"),
    ("工作室", "C3"): ("organization（所在单位）", "缺少必填字段"),
    ("工作室", "I3"): ("leader.name（领衔人姓名）", "含有个人信息（手机号"),
    ("工作室", "E3"): ("county（所在区县）", "只保留了前 15 位"),
    ("工作室", "N3"): ("summary（一段话简介）", "含有个人信息（居民身份证号"),
    ("工作室", "A4"): ("编号", "“Index”不能作编号"),
    ("工作室", "S4"): ("source.date（出处日期）", "只写到了年或月"),
    ("工作室", "B4"): ("name（工作室名称）", "太长了（201 字，上限 200 字）"),
    ("工作室", "A5"): ("编号", "无法从“！？”按拼音生成编号"),
    ("难题攻关", "C2"): ("achievements.type（类别）", "“发明专利”不是可选的值"),
    ("难题攻关", "G2"): ("achievements.year（年份）", "“去年”不是年份"),
    ("难题攻关", "H2"): ("achievements.count.value（数量）", "“很多”不是数字"),
    ("难题攻关", "A3"): ("工作室编号", "找不到编号“nowhere”"),
    ("难题攻关", "B4"): ("工作室名称", "编号“hewang”是“何旺创新工作室”，不是“别的工作室”"),
    ("难题攻关", "H5"): ("achievements.count.value（数量）", "数字后写的“项”与“数量单位”列的“人”不一致"),
    ("难题攻关", "D6"): ("achievements.title（名称）", "缺少必填字段"),
    ("难题攻关", "G7"): ("achievements.year（年份）", "数值 1800 超出范围"),
    ("铸魂育人", "F2"): (
        "outreach.audiences（面向）",
        "“学校”不是可选的值，请从下拉列表里选一个：企业、校园、社区、基层一线",
    ),
    ("工匠故事", "F2"): ("studio（所属工作室的编号）", "找不到编号为“nobody”的工作室"),
    ("工作室", "Z1"): ("表头", "不认识的列“联系电话”"),
}


def test_every_bad_cell_is_named_at_once(tmp_path, project):
    studio = headers("工作室") + [None] * 5 + ["联系电话"]
    studios = [
        studio,
        studio_row(
            工作室名称="王五创新工作室",
            级别="国家",
            团队人数="十二",
            是否在首页推荐="也许",
            出处日期="2025年13月5日",
            本条记录涵盖的工作室数量=1,
            出处网址="www.example.cn",
        ),
        studio_row(
            工作室名称="赵六创新工作室",
            所在单位=None,
            领衔人姓名="赵六 13800138000",
            所在区县=110101199003077777,
            一段话简介="证件 11010519491231002X。",
        ),
        studio_row(编号="Index", 工作室名称="长" * 201, 出处日期="2025年3月"),
        studio_row(工作室名称="！？"),
    ]
    achievements = [
        headers("难题攻关"),
        row("难题攻关", 工作室编号="hewang", 类别="发明专利", 名称="甲", 年份="去年", 数量="很多"),
        row("难题攻关", 工作室编号="nowhere", 类别="攻关项目", 名称="乙"),
        row("难题攻关", 工作室编号="hewang", 工作室名称="别的工作室", 类别="攻关项目", 名称="丙"),
        row("难题攻关", 工作室编号="gaoqiang", 类别="专利", 名称="丁", 数量="3项", 数量单位="人"),
        row("难题攻关", 工作室编号="dingshuli", 类别="专利", 年份=2020),
        row("难题攻关", 工作室编号="dingshuli", 类别="专利", 名称="戊", 年份=1800),
    ]
    outreach = [headers("铸魂育人"), row("铸魂育人", 工作室编号="renchangbo", 活动名称="宣讲", 面向="校园、学校")]
    story = [
        headers("工匠故事"),
        row("工匠故事", 标题="新故事：测试", 所属工作室的编号="nobody", 导语="导语。", 正文="正文。", 出处标题=SOURCE),
    ]
    path = book(tmp_path, {"工作室": studios, "难题攻关": achievements, "铸魂育人": outreach, "工匠故事": story})
    before = {p: p.read_bytes() for p in (project / "content").rglob("*.yml")}
    result = plan(path, project)
    found = messages(result)
    for (sheet, cell), (field, message) in MATRIX.items():
        prefix = f"台账.xlsx {sheet}!{cell}: {field}: " if field else f"台账.xlsx {sheet}!{cell}: "
        assert any(m.startswith(prefix) and message in m for m in found), (sheet, cell, field, message, found)
    assert len(MATRIX) >= 20
    with pytest.raises(ValueError):
        importer.apply(result)
    assert {p: p.read_bytes() for p in (project / "content").rglob("*.yml")} == before
    report = importer.report(result.problems)
    assert report.startswith(f"台账检查发现 {len(found)} 个问题，没有写入任何文件：")


def test_unreadable_file_is_one_problem(tmp_path, project):
    path = tmp_path / "台账.xlsx"
    path.write_text("不是 Excel", encoding="utf-8")
    (problem,) = plan(path, project).problems
    assert "另存为 .xlsx" in problem.message


# --- updates keep the file ----------------------------------------------------------------------------------

COMMENTED = """# yaml-language-server: $schema=../../hooks/jiangxin/schemas/studio.schema.json
## 编辑注：照报道写。
name: 何旺创新工作室
organization: 滨州大有新能源开发有限公司
industry: 新能源
level: national
# 命名：2025 年入选全国
designations:
  - level: national
    title: 全国劳模工匠创新工作室
    year: 2025
leader:
  name: 何旺
summary: 滨州大有新能源开发有限公司何旺创新工作室成功入选2025年全国劳模工匠创新工作室，成为全市创新标杆。
featured: true  # 首页推荐
source:
  title: 建强阵地四维发力 释放“硬核”动能——滨州市总工会以劳模和工匠人才创新工作室赋能企业发展
  author: 晚报记者 张旭；通讯员 王欣欣 宁雪
"""


def test_an_update_keeps_comments_order_and_untouched_fields(tmp_path, project):
    file = project / "content/studios/hewang.yml"
    file.write_text(COMMENTED, encoding="utf-8")
    rows = [
        ["编号", "工作室名称", "级别", "团队人数"],
        ["hewang", "何旺创新工作室", "省级", 15],
    ]
    designations = [
        headers("命名与荣誉"),
        row("命名与荣誉", 工作室编号="hewang", 级别="国家级", 命名名称="全国劳模工匠创新工作室", 年份=2024),
    ]
    result = plan(book(tmp_path, {"工作室": rows, "命名与荣誉": designations}), project)
    assert result.problems == []
    (change,) = result.changes
    expected = (
        COMMENTED.replace("level: national\n# 命名", "level: provincial\n# 命名")
        .replace("    year: 2025\n", "    year: 2024\n")
        .replace("  name: 何旺\nsummary", "  name: 何旺\nteam:\n  size: 15\nsummary")
    )
    assert change.text == expected
    importer.apply(result)
    assert file.read_text(encoding="utf-8") == expected


def test_patch_rewrites_an_entry_whose_first_key_goes():
    text = "name: x\nachievements:\n  - type: project  # 备注\n    title: a\n  - type: patent\n    title: b\nsource:\n  title: s\n"
    item = parse_record("studio", text.encode(), "x.yml", "x")
    new = {**item.value, "achievements": [{"title": "a"}, item.value["achievements"][1]]}
    out = writer.update(text, item.source, item.value, new)
    assert out == "name: x\nachievements:\n  - title: a\n  - type: patent\n    title: b\nsource:\n  title: s\n"


def test_patch_replaces_flow_style_whole():
    text = "name: x\nleader: {name: 张三, honors: [齐鲁工匠]}\nsource:\n  title: s\n"
    item = parse_record("studio", text.encode(), "x.yml", "x")
    new = {**item.value, "leader": {"name": "张三", "honors": ["滨州工匠"]}}
    out = writer.update(text, item.source, item.value, new)
    assert out == "name: x\nleader:\n  name: 张三\n  honors:\n    - 滨州工匠\nsource:\n  title: s\n"


def test_removing_a_field_keeps_the_comment_of_the_next():
    text = "name: x\nlevel: county\n# 出处\nsource:\n  title: s\n"
    item = parse_record("studio", text.encode(), "x.yml", "x")
    new = {k: v for k, v in item.value.items() if k != "level"}
    assert writer.update(text, item.source, item.value, new) == "name: x\n# 出处\nsource:\n  title: s\n"
