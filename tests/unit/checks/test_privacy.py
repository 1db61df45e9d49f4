"""Personal data detection: resident ID numbers (GB 11643 checksum) and mainland mobile numbers."""

from __future__ import annotations

import pytest

from jiangxin.checks.privacy import check_published, scan, valid_id_number
from jiangxin.problems import Problem


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", True),
        ("110105194912310021", False),
        ("11010519491231002", False),
    ],
)
def test_id_number_checksum(number, valid):
    assert valid_id_number(number) is valid


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("身份证：11010519491231002X", "privacy.id-number", "居民身份证号"),
        ("手机 13800138000", "privacy.mobile", "手机号码"),
        ("手机 138 0013 8000", "privacy.mobile", "手机号码"),
        ("手机 138-0013-8000", "privacy.mobile", "手机号码"),
        ("+86 139 1234 5678", "privacy.mobile", "手机号码"),
        ("+86-139-1234-5678", "privacy.mobile", "手机号码"),
        ("0086 13912345678", "privacy.mobile", "手机号码"),
        ("全角 １３８００１３８０００", "privacy.mobile", "手机号码"),
        ("全角破折 １３８－００１３－８０００", "privacy.mobile", "手机号码"),
    ],
)
def test_personal_data_is_found(text, code, kind):
    found = scan("第一行\n" + text)
    assert [(f.line, f.code, f.kind) for f in found] == [(2, code, kind)]
    assert "0013" not in found[0].masked and "1234" not in found[0].masked[:7]


@pytest.mark.parametrize(
    "text",
    [
        "单位电话 0543-3161234",
        "服务热线 (0543) 316 1234",
        "110105194912310021（校验位不对，不是身份证号）",
        "专利号 ZL201910123456.7",
        "138001380001（12 位，不是手机号）",
        "2025年累计实施1558项，获得专利868项",
        "2013-2025年",
    ],
)
def test_public_numbers_stay_allowed(text):
    assert scan(text) == []


def test_asset_scans_are_reused_only_for_the_same_bytes():
    """While serving, a generated file whose bytes did not change is not scanned again; a changed one is."""
    from jiangxin.checks.privacy import check_assets
    from jiangxin.site.rendering import Asset

    poster = Asset("studios/a/poster.html", "<p>联系 13912345678</p>")
    data = Asset("data/studios.csv", "id,name\na,甲\n")
    known: dict = {}
    first = check_assets([poster, data], known)
    assert [(p.path, p.code) for p in first] == [("studios/a/poster.html", "privacy.mobile")]
    assert first[0].brief() == f"studios/a/poster.html: {first[0].message}" and "139****5678" in first[0].message
    assert len(known) == 2
    # A planted finding for the unchanged CSV shows it is taken from `known`, not scanned again.
    key = next(k for k in known if k[0] == "data/studios.csv")
    reused = Problem.file("data/studios.csv", "privacy.id-number", "reused")
    known[key] = [reused]
    changed = Asset("studios/a/poster.html", "<p>联系 13987654321</p>")
    second = check_assets([changed, data], known)
    assert second[-1] is reused and "139****4321" in second[0].message
    assert len(known) == 2  # the old poster's entry is gone
    assert check_assets([poster, data]) == first  # without `known` (a plain build) everything is scanned


def test_published_problems_name_the_place_and_what_it_is():
    """A built page is named by its source and its address; a generated CSV by its line and where it comes from."""
    page = check_published('<abbr title="11010519491231002X">联系</abbr>', "content/a.md", note="网页 /a/")
    assert [(p.path, p.line, p.field, p.code) for p in page] == [("content/a.md", 0, "网页 /a/", "privacy.id-number")]
    assert page[0].brief() == "content/a.md（网页 /a/）: " + page[0].message
    assert "110***********002X" in page[0].message
    csv = check_published("id,phone\na,13800138000\n", "data/studios.csv", html=False, note="由记录生成，请改记录")
    assert [(p.line, p.code) for p in csv] == [(2, "privacy.mobile")]
    assert csv[0].brief() == "data/studios.csv:2（由记录生成，请改记录）: " + csv[0].message
