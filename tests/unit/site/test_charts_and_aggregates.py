"""Build-time charts and profile sums: pure functions, no MkDocs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from jiangxin.site import aggregates
from jiangxin.site.charts import bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_scales_to_the_largest_value_and_escapes_labels():
    svg = bar_chart([("省级", 23), ("市级<b>", 95), ("县级", 0)], "家")
    root = ET.fromstring(svg)
    bars = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert bars == [round(300 * 23 / 95, 1), 300.0, 0]
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "市级<b>" in labels and "95家" in labels
    assert root.get("aria-hidden") == "true"


def test_empty_chart_is_nothing():
    assert bar_chart([]) == ""


def test_level_facet_counts_every_studio_once(real_site):
    counts = dict(aggregates.facet(real_site, "level"))
    assert counts["national"] == 1
    assert sum(counts.values()) == len(real_site.studios)


def test_profile_totals_only_add_like_with_like(real_site):
    totals = {(t.label, t.unit): t for t in aggregates.profile_totals(real_site)}
    patents = totals[("专利", "项")]
    assert patents.value == 28 + 34 and not patents.at_least
    assert [s.id for s in patents.studios] == ["dingshuli"]
    # 近五年 (京博) and 累计 (吴立国) are different periods: never one sum.
    assert totals[("提案建议（近五年）", "项")].value == 2000
    assert totals[("提案建议（累计）", "项")].value == 200
    assert totals[("提案建议（累计）", "项")].at_least


def test_chart_is_drawn_at_its_own_size_and_fits_its_labels():
    short = ET.fromstring(bar_chart([("化工", 2)], "个"))
    long = ET.fromstring(bar_chart([("精密金属铸造", 1), ("化工", 2)], "个"))
    for svg in (short, long):
        _, _, width, height = svg.get("viewBox").split()
        assert (svg.get("width"), svg.get("height")) == (width, height)
    # The label column grows with the longest label; the bars keep their scale.
    label_x = lambda svg: float(next(svg.iter(f"{SVG}rect")).get("x"))
    assert label_x(long) > label_x(short)
    assert [float(r.get("width")) for r in long.iter(f"{SVG}rect")] == [150.0, 300.0]
    truncated = ET.fromstring(bar_chart([("一二三四五六七八九十甲乙", 1)]))
    assert [t.text for t in truncated.iter(f"{SVG}text")][0] == "一二三四五六七八九十…"


def test_sum_keeps_the_report_wording_of_approximate_parts(real_site):
    studio = real_site.studios[0]
    total = lambda *approx: (
        aggregates._sum("x", [(studio, {"value": 10, "unit": "项", **({"approx": a} if a else {})}) for a in approx])[
            0
        ].text
    )
    assert total("", "") == "20项"
    assert total("余", "") == "20余项"
    assert total("近", "近") == "近20项"
    assert total("超", "近") == "约20项"


def test_pillar_categories_follow_a_fixed_order_with_patents_by_type(real_site):
    keys = [c.key for c in aggregates.categories(real_site, "achievements")]
    assert keys == ["project", "patent:invention", "patent:utility_model", "improvement", "proposal", "benefit"]
    assert [c.label for c in aggregates.categories(real_site, "talent")] == ["师徒结对", "培养培训", "技能晋升"]
    assert aggregates.categories(real_site, "competitions")[0].totals[0].text == "近1000人次"
