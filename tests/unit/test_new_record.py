"""scripts/new_record.py: id proposal from pinyin, files from the templates, and the checker on them."""

from __future__ import annotations

import json
import re

import pytest
import yaml

import new_record as nr
from jiangxin.checks.yamlsource import parse
from jiangxin.content.loader import parse_record
from jiangxin.problems import Stop
from jiangxin.records.ids import strip_generic_suffix
from jiangxin.records.registry import SLUG_ID as ID
from jiangxin.records.slugs import words
from support.project import ROOT, copy_project


def uncomment_examples(text: str) -> str:
    """The template with every `# ` example line turned on (explanations start with `##`)."""
    out = []
    for i, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        if i > 0 and stripped.startswith("# "):
            line = line[: len(line) - len(stripped)] + stripped[2:]
        out.append(line)
    return "\n".join(out)


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "p")


# --- id proposal ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三创新工作室", "zhangsan"),
        ("何旺创新工作室", "hewang"),
        ("孔孔泉劳模和工匠人才创新工作室", "kongkongquan"),
        ("高强工匠人才创新工作室", "gaoqiang"),
        ("王井峰劳模创新工作室", "wangjingfeng"),
        ("吴立国齐鲁工匠创新工作室", "wuliguo"),
        ("李四工作室", "lisi"),
        ("鲁北化工企业工作室", "lubeihuagongqiye"),
        ("吕布工作室", "lvbu"),  # ü is written v, as in everyday ASCII pinyin
        ("  张三创新工作室  ", "zhangsan"),
    ],
)
def test_studio_id_is_pinyin_of_the_name_without_its_generic_ending(name, expected):
    assert nr.propose_id(name, set()) == expected


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("张三劳模和工匠人才创新工作室", "张三"),
        ("张三工匠人才创新工作室", "张三"),
        ("张三劳模创新工作室", "张三"),
        ("张三创新工作室", "张三"),
        ("张三工作室", "张三"),
        ("张三创新工作室联盟", "张三创新工作室联盟"),  # only endings are stripped
        ("工作室", "工作室"),  # nothing would be left
        ("创新工作室", "创新"),
    ],
)
def test_only_one_generic_ending_is_stripped(name, stripped):
    assert strip_generic_suffix(name) == stripped


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三 5G 创新工作室", "zhangsan-5g"),
        ("ＡＢＣ５Ｇ工作室", "abc5g"),  # full-width letters and digits
        ("Müller创新工作室", "muller"),
        ("李四·王五创新工作室", "lisi-wangwu"),
        ("“金点子”张三工作室", "jindianzi-zhangsan"),
        ("2号车间工作室", "2-haochejian"),
    ],
)
def test_other_characters_separate_words(name, expected):
    assert nr.propose_id(name, set()) == expected


def test_long_names_keep_twelve_characters():
    assert nr.propose_id("山东京博控股集团有限公司创新工作室联盟", set()) == "shandongjingbokonggujituanyouxiangongsi"
    assert len(words("山东京博控股集团有限公司")[0]) == 12


@pytest.mark.parametrize("name", ["！？", "——", "😀创新工作室", "··"])
def test_name_without_letters_asks_for_an_id(name):
    with pytest.raises(Stop, match="请用 --id 指定编号") as stopped:
        nr.propose_id(name, set())
    assert stopped.value.codes == ["new.no-id"]


def test_collisions_get_a_number():
    assert nr.propose_id("张三创新工作室", {"zhangsan"}) == "zhangsan-2"
    assert nr.propose_id("张三创新工作室", {"zhangsan", "zhangsan-2", "zhangsan-3"}) == "zhangsan-4"
    assert nr.propose_id("张三创新工作室", {"zhangsan-2"}) == "zhangsan"
    assert nr.propose_id("index创新工作室", set()) == "index-2"  # index is the directory page


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("以赛促学：渤海活塞的技能竞赛", "hewang-yisaicuxue"),
        ("名师带高徒:任长博工作室", "hewang-mingshidaigaotu"),
        ("从浓盐水到烧碱——孔孔泉工作室的攻关项目", "hewang-congnongyanshuidaoshaojian"),
        ("把工匠精神讲进校园：高强工作室的宣讲", "hewang-bagongjiangjingshenjiangjinxiao"),
        ("：冒号开头的标题", "hewang-maohaokaitoudebiaoti"),
        ("2025年技能大赛", "hewang-2025-nianjinengdasai"),
    ],
)
def test_story_id_is_studio_then_pinyin_of_the_main_title(title, expected):
    assert nr.propose_id(title, set(), "story", "hewang") == expected


def test_story_collision():
    assert nr.propose_id("以赛促学", {"hewang-yisaicuxue"}, "story", "hewang") == "hewang-yisaicuxue-2"


def test_every_proposal_is_a_valid_id():
    names = ["张三创新工作室", "A-B工作室", "--张三--", "张三　李四", "Ⅻ工作室", "ｚｈａｎｇ三", "张三\n李四"]
    for name in names:
        assert ID.fullmatch(nr.propose_id(name, set())), name


@pytest.mark.parametrize(
    "name",
    [
        "张三创新工作室",
        "2025",
        "标题: 副标题",
        "#1 工作室",
        "- 列表",
        "yes",
        "“金点子”工作室",
        "@测试",
        "010",
        "a # b",
        "'引号'",
    ],
)
def test_names_are_written_so_they_read_back_unchanged(name):
    source, problems = parse(f"name: {nr.yaml_text(name)}\n", "x.yml")
    assert problems == []
    assert source.value["name"] == name
    assert yaml.safe_load(f"name: {nr.yaml_text(name)}\n")["name"] == name


# --- creating files --------------------------------------------------------------------------


def test_creates_studio_from_template(project):
    path = nr.create_record(project, "studio", "张三创新工作室")
    assert path == project / "content" / "studios" / "zhangsan.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../hooks/jiangxin/schemas/studio.schema.json\n")
    assert "\nname: 张三创新工作室\n" in text
    assert "{{" not in text and "\r" not in text
    assert "只填有出处的事实" in text and "没有的字段整行删去" in text
    data = yaml.safe_load(text)
    assert data == {"name": "张三创新工作室", "organization": None, "summary": None, "source": {"title": None}}


def test_creates_story_with_title_and_studio(project):
    path = nr.create_record(project, "story", "以赛促学：测试单位的技能竞赛", studio="hewang")
    assert path.relative_to(project).as_posix() == "content/stories/hewang-yisaicuxue.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../hooks/jiangxin/schemas/story.schema.json\n")
    data = yaml.safe_load(text)
    assert data == {
        "title": "以赛促学：测试单位的技能竞赛",
        "studio": "hewang",
        "summary": None,
        "body": "",
        "source": {"title": None},
    }


def test_story_studio_may_be_given_by_name(project):
    path = nr.create_record(project, "story", "测试故事", studio="何旺创新工作室")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["studio"] == "hewang"


def test_story_needs_an_existing_studio(project):
    with pytest.raises(Stop, match="(?s)找不到工作室“nowhere”.*\n  hewang（何旺创新工作室）\n") as stopped:
        nr.create_record(project, "story", "测试故事", studio="nowhere")
    assert stopped.value.codes == ["new.unknown-studio"]
    with pytest.raises(Stop, match="--studio") as stopped:
        nr.create_record(project, "story", "测试故事")
    assert stopped.value.codes == ["new.no-studio"]
    assert list((project / "content" / "stories").glob("*ceshi*")) == []


def test_second_record_of_the_same_name_gets_a_new_id(project):
    first = nr.create_record(project, "studio", "张三创新工作室")
    second = nr.create_record(project, "studio", "张三创新工作室")
    assert (first.stem, second.stem) == ("zhangsan", "zhangsan-2")


def test_never_overwrites(project):
    existing = project / "content" / "studios" / "hewang.yml"
    before = existing.read_bytes()
    with pytest.raises(Stop, match="hewang.yml 已经存在，本程序不会覆盖它") as stopped:
        nr.create_record(project, "studio", "何旺创新工作室", record_id="hewang")
    assert stopped.value.codes == ["new.exists"]
    (project / "content" / "studios" / "zhangsan.yaml").write_text("name: x\n", encoding="utf-8")
    with pytest.raises(Stop, match="zhangsan.yaml 已经存在"):
        nr.create_record(project, "studio", "张三创新工作室", record_id="zhangsan")
    assert existing.read_bytes() == before
    assert (project / "content" / "studios" / "zhangsan.yaml").read_text(encoding="utf-8") == "name: x\n"
    assert not (project / "content" / "studios" / "zhangsan.yml").exists()


@pytest.mark.parametrize(
    ("bad", "code", "hint"),
    [
        ("ZhangSan", "new.bad-id", "zhangsan"),
        ("zhang san", "new.bad-id", "zhang-san"),
        ("张三", "new.bad-id", "zhangsan"),
        ("index", "new.reserved-id", "index"),
    ],
)
def test_bad_id_is_refused_with_a_suggestion(project, bad, code, hint):
    with pytest.raises(Stop, match=hint) as stopped:
        nr.create_record(project, "studio", "张三创新工作室", record_id=bad)
    assert stopped.value.codes == [code]


# --- the checker on fresh and filled files ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["studio", "story"])
def test_every_template_example_is_valid(kind):
    """Turning every example on (and filling the empty required fields) gives a valid record."""
    text = uncomment_examples(nr.render(kind, "张三创新工作室", "zhangsan", "hewang"))
    assert text.count("\n# ") == 0
    text = re.sub(r"(?m)^(organization|summary):$", r"\1: 测试", text)
    text = re.sub(r"(?m)^  title:$", "  title: 测试出处", text)
    text = re.sub(r"(?m)^body: \|$", "body: |\n  测试正文。", text)
    item = parse_record(kind, text.encode("utf-8"), f"content/x/{kind}.yml", "zhangsan")
    assert item.problems == []
    schema = json.loads((ROOT / "hooks" / "jiangxin" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert set(item.value) == set(schema["properties"])  # the template shows every field


# --- the editors' guide ---------------------------------------------------------------------------

GUIDE = ROOT / "content" / "contribute" / "index.md"
MODELINE = re.compile(
    r"# yaml-language-server: \$schema=\.\./\.\./hooks/jiangxin/schemas/(studio|story|report)\.schema\.json\n"
)


def test_guide_full_examples_are_valid_records():
    """The annotated examples in the guide (those with a modeline) pass the checker's validation."""
    blocks = re.findall(r"(?ms)^```yaml\n(.*?)^```", GUIDE.read_text(encoding="utf-8"))
    full = [(MODELINE.match(b).group(1), b) for b in blocks if MODELINE.match(b) and len(b.splitlines()) > 3]
    assert sorted(kind for kind, _ in full) == ["report", "story", "studio"]
    for kind, text in full:
        record_id = "2025" if kind == "report" else "zhangsan"
        item = parse_record(kind, text.encode("utf-8"), f"content/x/{record_id}.yml", record_id)
        assert item.problems == [], (kind, item.problems)
        schema = json.loads(
            (ROOT / "hooks" / "jiangxin" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        )
        assert set(item.value) == set(schema["properties"]), kind  # every field is shown
