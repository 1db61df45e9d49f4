"""Personal numbers are found however they are written, and ordinary figures are never taken for one.

All numbers are fictional: 13800138000 is the textbook example mobile number, the ID numbers are made up
with a valid GB 11643 check character (computed in `test_fictional_ids_are_valid`).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from jiangxin.checks.privacy import CODES, scan, scan_html, valid_id_number
from jiangxin.content.loader import load_site
from support.project import ROOT

MOBILE = "13800138000"
ID_X = "11010519491231002X"
ID_DIGIT = "371602198506151233"
ZW = "\u200b"


def test_fictional_ids_are_valid():
    assert valid_id_number(ID_X) and valid_id_number(ID_DIGIT)


# Every spelling of one mobile number. "{}" is where the text around it goes: it must be found on line 3.
MOBILE_SPELLINGS = {
    "plain": "13800138000",
    "spaces": "138 0013 8000",
    "hyphens": "138-0013-8000",
    "dots": "138.0013.8000",
    "slashes": "138/0013/8000",
    "middle dots": "138·0013·8000",
    "ideographic comma": "138、0013、8000",
    "mixed separators": "138 - 0013 . 8000",
    "en dash": "138–0013–8000",
    "two lines": "138 0013\n8000",
    "two lines indented": "1380013\n      8000",
    "CRLF": "138 0013\r\n8000",
    "bold": "138**0013**8000",
    "italic and code": "138_0013_`8000`",
    "strike": "~~138~~00138000",
    "escaped": "138\\-0013\\-8000",
    "zero-width space": f"138{ZW}0013{ZW}8000",
    "other invisible": "138\u20600013\ufeff80\u00ad00",
    "Chinese numerals": "一三八〇〇一三八〇〇〇",
    "Chinese numerals with 零 and 幺": "幺三八零零幺三八零零零",
    "Chinese and Arabic mixed": "一三八 0013 八〇〇〇",
    "full-width": "１３８００１３８０００",
    "full-width separators": "１３８－００１３－８０００",
    "full-width slash and space": "１３８／００１３\u3000８０００",
    "mathematical digits": "𝟏𝟑𝟖𝟎𝟎𝟏𝟑𝟖𝟎𝟎𝟎",
    "circled digits": "①③⑧⓪⓪①③⑧⓪⓪⓪",
    "inline HTML": "138<strong>0013</strong>8000",
    "HTML comment": "138<!-- x -->00138000",
    "line break tag": "1380013<br>8000",
    "country code": "+86 138 0013 8000",
    "country code glued": "8613800138000",
    "0086": "0086-138-0013-8000",
    "glued to letters": "tel13800138000abc",
    "in a URL": "https://example.cn/u?phone=13800138000&x=1",
    "followed by a Chinese numeral": "13800138000一次",
}

ID_SPELLINGS = {
    "plain": "{id}",
    "lower-case x": "{id_lower}",
    "spaces": "{a} {b} {c}",
    "hyphens": "{a}-{b}-{c}",
    "dots": "{a}.{b}.{c}",
    "slashes": "{a}/{b}/{c}",
    "four-digit groups": "{quads}",
    "two lines": "{a}{b}\n{c}",
    "three lines": "{a}\n{b}\n  {c}",
    "bold": "{a}**{b}**{c}",
    "code": "`{a}`{b}`{c}`",
    "zero-width space": "{a}" + ZW + "{b}" + ZW + "{c}",
    "Chinese numerals": "{chinese}",
    "full-width": "{wide}",
    "inline HTML": "{a}<span>{b}</span>{c}",
    "glued in a URL": "https://example.cn/p?id={id}&t=1",
    "glued to letters": "sfz{id}abc",
    "glued after id=": "?id={id}",
}
CHINESE = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))


def _id_spelling(template: str, number: str) -> str:
    return template.format(
        id=number,
        id_lower=number.lower(),
        a=number[:6],
        b=number[6:14],
        c=number[14:],
        quads=" ".join(number[i : i + 4] for i in range(0, 18, 4)),
        chinese="".join(CHINESE.get(c, c) for c in number),
        wide="".join(chr(ord(c) + 0xFEE0) for c in number),
    )


CASES = [pytest.param(spelling, "手机号码", MOBILE, id=f"mobile-{name}") for name, spelling in MOBILE_SPELLINGS.items()]
CASES += [
    pytest.param(_id_spelling(template, number), "居民身份证号", number, id=f"id{number[-1]}-{name}")
    for name, template in ID_SPELLINGS.items()
    for number in (ID_X, ID_DIGIT)
]


@pytest.mark.parametrize(("spelling", "kind", "number"), CASES)
def test_every_spelling_is_found_at_the_line_it_starts(spelling, kind, number):
    text = f"# 工作室介绍\n\n领衔人的联系方式：{spelling}，欢迎咨询。\n后面还有一行 2025 年。\n"
    found = scan(text)
    assert [(f.line, f.kind) for f in found] == [(3, kind)], found
    masked = found[0].masked
    assert masked.startswith(number[:3]) and masked.endswith(number[-4:].upper()) and number[3:-4] not in masked


@pytest.mark.parametrize(("spelling", "kind", "number"), CASES)
def test_every_spelling_is_found_in_a_record_through_the_loader(tmp_path, spelling, kind, number):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    record = content / "studios" / "hewang.yml"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    # A literal block keeps every spelling (line breaks, marks, tags) as the editor typed it.
    body = "".join(f"  {line}\n" for line in f"联系：{spelling}".splitlines())
    lines[at] = f"summary: |\n{body}"
    record.write_text("".join(lines), encoding="utf-8")
    _site, problems = load_site(content, tmp_path)
    private = [p for p in problems if p.code.startswith("privacy.")]
    assert [(p.path, p.line, p.field, p.code) for p in private] == [
        ("content/studios/hewang.yml", at + 2, "summary（一段话简介）", CODES[kind])
    ], problems


HTML_CASES = {
    "title attribute": '<p><abbr title="联系 138 0013 8000">联系方式</abbr></p>',
    "tel link": '<p><a href="tel:+86-138-0013-8000">电话</a></p>',
    "data attribute": '<div data-phone="13800138000"></div>',
    "alt text": '<img src="a.png" alt="身份证 11010519491231002X">',
    "entities in text": "<p>&#49;&#51;&#56;&#48;&#48;&#49;&#51;&#56;&#48;&#48;&#48;</p>",
    "entities in an attribute": '<a title="&#x31;&#x33;&#x38;00138000">x</a>',
    "inline tags in text": "<p>138<em>0013</em><strong>8000</strong></p>",
    "zero-width entity": "<p>138&#8203;0013&zwj;8000</p>",
}


@pytest.mark.parametrize("html", HTML_CASES.values(), ids=HTML_CASES.keys())
def test_rendered_html_text_and_attributes_are_scanned(html):
    found = scan_html(f"<h1>标题</h1>\n<p>第二行</p>\n{html}\n")
    assert [f.line for f in found] == [3], found


@pytest.mark.parametrize(
    "text",
    [
        "3184,681,14.36,2020,169\n2019-2027 年累计获得专利 852 项",
        "4703,343,98.9,2012,187\n1998/05/05 12:19 宣讲",
        "- 169\n- 2019\n- 2027",
        "共 138-\n0013-8000 项",
    ],
)
def test_a_line_break_next_to_signs_parts_figures(text):
    # A figure at a line end and a year range or list item on the next line are two figures.
    assert scan(text) == []


def test_block_tags_and_drawings_do_not_join_figures():
    html = (
        "<table><tr><td>1558</td><td>868</td><td>11.15</td><td>360</td></tr></table>"
        '<svg viewBox="0 0 1380 0138"><path d="M13 8a0 0 1 3 8 0 0 0 1 3 8 0 0 0 1 3 8 0 0 0"/></svg>'
        "<ul><li>138</li><li>0013</li><li>8000</li></ul>"
    )
    assert scan_html(html) == []


# Sentences with figures from the source report (../shared/source/), as published in content/.
SOURCE_LINES = """\
其中滨州大有新能源开发有限公司何旺创新工作室成功入选2025年全国劳模工匠创新工作室,成为全市创新标杆。
全市10家工匠学院与创新工作室深度融合,年均开展职工培训超20万人次,打通了产业与人才、创新与实践的对接通道。
截至目前,滨州市共建成创新工作室国家级1家,省级23家,市级95家,县级120家,形成覆盖广泛、特色鲜明、成效显著的创新矩阵。
2025年,全市各工作室累计实施科技技改项目、创新课题1558项,获得专利868项,创造经济效益超11.15亿元。
成功推动“海水淡化浓盐水资源化及液体盐制烧碱产业化”项目落地,获批政策资金360万元,彰显高端创新实力。
工作室拥有授权发明专利28项、实用新型专利34项,多项成果在行业内推广应用。
完成“斜油孔加工方式改善”等创新成果30余项,优质提案改善50余件,为企业节约成本、提升效能超千万元。
每年组织专项技能提升活动200余场次,培训人员超6800人次。
魏桥纺织企业工作室每年师徒结对300余人次,培养技师、高级工200余名,多名骨干成长为省级工匠、首席技师。
领衔人及3名核心成员与15名青年骨干签订培养协议,采用“项目历练+理论辅导+月度复盘”模式,精准培育技术新人。
滨州渤海活塞有限公司充分发挥6个创新工作室引领示范作用,每年参赛人员近1000人次。
近年来共849人晋升为高级技师、615人晋升为技师、8名职工晋升省市技术能手,“一技之长”成为可量化、可晋升的职业资本。
近五年征集建言献策、金点子近2000项,其中吴立国齐鲁工匠创新工作室累计征集各类建议近200项。
累计覆盖职工及学生超5万人次,其中高强工匠人才创新工作室开展校园宣讲活动,累计覆盖学生500人次;王井峰劳模创新工作室累计覆盖职工学生700人次。
""".splitlines()


def _generated_lines(rng: random.Random) -> list[str]:
    lines = []
    for _ in range(40):
        y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        lines += [
            f"{y}年{m}月{d}日，工作室开展技能竞赛，{y}-{m:02d}-{d:02d} 至 {y}.{m:02d}.{d:02d} 报名。",
            f"{y}/{m:02d}/{d:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} 宣讲，{y}{m:02d}{d:02d} 期。",
            f"累计创造经济效益 {rng.randint(1, 99)}.{rng.randint(0, 99):02d} 亿元，节约成本 {rng.randint(1000, 99999)} 万元。",
            f"{y - rng.randint(1, 12)}-{y} 年累计获得专利 {rng.randint(1, 2000)} 项、实用新型专利 {rng.randint(1, 99)} 项。",
            f"单位电话 0543-{rng.randint(2000000, 8999999)}，传真 (0543) {rng.randint(200, 899)} {rng.randint(1000, 9999)}。",
            f"占比 {rng.randint(1, 99)}.{rng.randint(0, 9)}%，同比增长 {rng.randint(1, 300)}%，{rng.randint(1, 100)}‰。",
            f"专利号 ZL{y}{rng.randint(10000000, 99999999)}.{rng.randint(0, 9)}，ISBN 978-7-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}-{rng.randint(0, 9)}",
            f"{rng.randint(1000, 9999)},{rng.randint(100, 999)},{rng.randint(10, 99)}.{rng.randint(0, 99)},{y},{rng.randint(1, 500)}",
            f"金额 {rng.randint(1, 999)},{rng.randint(100, 999)},{rng.randint(100, 999)},{rng.randint(100, 999)} 元",
            # Phone-like but not a mobile: 12 or 10 digits, prefix 10–12, a landline with its area code.
            f"编号 {rng.randint(130000000000, 199999999999)}，{rng.randint(1300000000, 1999999999)}，{rng.randint(10000000000, 12999999999)}",
            f"服务热线 400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}，{rng.randint(95000, 95999)}，0543{rng.randint(2000000, 8999999)}",
        ]
    # ID-like numbers with a wrong check character.
    for _ in range(20):
        body = f"{rng.randint(110000, 659999)}{rng.randint(1950, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        bad = next(c for c in "0123456789X" if not valid_id_number(body + c))
        lines.append(f"证书编号 {body}{bad}，登记号 {body[:6]} {body[6:14]} {body[14:]}{bad}")
    lines += [
        "二〇二五年，全市创新工作室国家级一家、省级二十三家，一二三四五六七八九十。",
        "第一、二、三、四、五、六、七、八、九批次，共十批。",
        "一是聚焦攻坚，二是匠心传承，三是技能比武，四是铸魂育人。",
        "| 年份 | 项目 | 专利 |\n| 2025 | 1558 | 868 |\n| 2024 | 1380 | 0138 |",
        "- 2023\n- 2024\n- 2025",
    ]
    return lines


def _content_lines() -> list[str]:
    lines = []
    for file in sorted((ROOT / "content").rglob("*")):
        if file.suffix in (".yml", ".md"):
            lines += file.read_text(encoding="utf-8").splitlines()
    return lines


def test_ordinary_text_with_figures_raises_nothing():
    rng = random.Random(20250501)
    corpus = _content_lines() + SOURCE_LINES + _generated_lines(rng)
    assert len(corpus) >= 500
    assert [(line, scan(line)) for line in corpus if scan(line)] == []
    # Also as one text in a shuffled order: figures at the end and start of adjacent lines stay apart.
    for _ in range(5):
        rng.shuffle(corpus)
        assert scan("\n".join(corpus)) == []
        assert scan_html("<p>" + "</p>\n<p>".join(corpus) + "</p>") == []


def test_the_real_content_passes_the_loader(tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    _site, problems = load_site(content, tmp_path)
    assert problems == []


@pytest.fixture
def content(tmp_path) -> Path:
    return shutil.copytree(ROOT / "content", tmp_path / "content")


def _private(content: Path) -> list[tuple[str, int, str]]:
    _site, problems = load_site(content, content.parent)
    return [(p.path, p.line, p.message) for p in problems if p.code.startswith("privacy.")]


def test_a_record_named_after_a_mobile_number_is_refused(content):
    shutil.copy(content / "studios" / "hewang.yml", content / "studios" / "13800138000.yml")
    _site, problems = load_site(content, content.parent)
    found = [p for p in problems if p.code.startswith("privacy.")]
    assert [(p.path, p.line, p.code) for p in found] == [("content/studios/13800138000.yml", 0, "privacy.file-name")]
    assert "（手机号码 138****8000）" in found[0].message


def test_any_file_named_after_a_number_is_refused(content):
    (content / "media").mkdir()
    (content / "media" / "110105-19491231-002X.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    assert [(p, line) for p, line, _ in _private(content)] == [("content/media/110105-19491231-002X.jpg", 0)]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", "说明\n联系 138.0013.8000\n".encode()),
        ("notes-gbk.txt", "说明\n联系 138 0013 8000\n".encode("gb18030")),
        ("page.markdown", "# 说明\n\n联系 **138**0013**8000**\n".encode()),
        ("list.csv", b"id,phone\nzhang,138-0013-8000\n"),
        ("data.json", '{\n  "a": 1,\n  "phone": "1380013\u200b8000"\n}\n'.encode()),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg">\n<title>x</title>\n<text x="1" data-t="13800138000">a</text></svg>',
        ),
        ("page.html", b"<p>a</p>\n<p>b</p>\n<a href='tel:&#49;3800138000'>c</a>\n"),
    ],
)
def test_every_text_file_under_content_is_scanned(content, name, data):
    file = content / "media" / name
    file.parent.mkdir()
    file.write_bytes(data)
    found = _private(content)
    expected_line = 3 if name in ("data.json", "logo.svg", "page.html", "page.markdown") else 2
    assert [(path, line) for path, line, _ in found] == [(f"content/media/{name}", expected_line)], found


def test_json_escapes_are_decoded(content):
    (content / "media").mkdir()
    (content / "media" / "data.json").write_text('{"list": [{"phone": "\\u0031\\u0033\\u003800138000"}]}')
    _site, problems = load_site(content, content.parent)
    # The content policy refuses the .json file as such too; here only the personal data counts.
    problems = [p for p in problems if p.code.startswith("privacy.")]
    assert [(p.path, p.field, p.code) for p in problems] == [
        ("content/media/data.json", "list[0].phone", "privacy.mobile")
    ]
    assert "138****8000" in problems[0].message


def test_binary_files_are_not_read(content):
    (content / "media").mkdir()
    (content / "media" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00 13800138000 \x00")
    (content / "media" / "blob.bin").write_bytes(b"\x00\x01 13800138000 \x00")
    assert _private(content) == []


def test_numbers_only_the_parsed_yaml_shows_are_found(content):
    record = content / "studios" / "hewang.yml"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    escaped = "".join(f"\\u{ord(c):04x}" for c in MOBILE)  # YAML escapes: no digit run in the file itself
    lines[at] = f'summary: "联系 {escaped}"\n'
    record.write_text("".join(lines), encoding="utf-8")
    _site, problems = load_site(content, content.parent)
    private = [p for p in problems if p.code.startswith("privacy.")]
    assert [(p.path, p.line, p.field, p.code) for p in private] == [
        ("content/studios/hewang.yml", at + 1, "summary（一段话简介）", "privacy.mobile")
    ]
