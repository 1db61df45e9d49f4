"""Build-time charts and profile sums: pure functions, no MkDocs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from jiangxin import aggregates
from jiangxin.charts import bar_chart
from jiangxin.content import load_site

ROOT = Path(__file__).resolve().parents[1]
SITE, _ = load_site(ROOT / "content", ROOT)
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


def test_level_facet_counts_every_studio_once():
    counts = dict(aggregates.facet(SITE, "level"))
    assert counts["national"] == 1
    assert sum(counts.values()) == len(SITE.studios)


def test_profile_totals_only_add_like_with_like():
    totals = {(t.label, t.unit): t for t in aggregates.profile_totals(SITE)}
    patents = totals[("专利", "项")]
    assert patents.value == 28 + 34 and not patents.at_least
    assert [s.id for s in patents.studios] == ["dingshuli"]
    # 近五年 (京博) and 累计 (吴立国) are different periods: never one sum.
    assert totals[("提案建议（近五年）", "项")].value == 2000
    assert totals[("提案建议（累计）", "项")].value == 200
    assert totals[("提案建议（累计）", "项")].at_least
