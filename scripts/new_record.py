"""Create a new studio or story record from a commented template, proposing its id from pinyin.

    python3 scripts/new_record.py studio 张三创新工作室
    python3 scripts/new_record.py story "以赛促学：测试单位的技能竞赛" --studio zhangsan
    python3 scripts/new_record.py studio 张三创新工作室 --id zhangsan-lathe

The id is the pinyin of the name (see `base_id`); the file is never overwritten.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

import yaml

from _project import ROOT
from jiangxin.content.loader import parse_record
from jiangxin.problems import Stop
from jiangxin.records import ids

# The rule's limits, named in the help text.
from jiangxin.records.ids import (
    MAX_STORY_CHARS,
    MAX_STUDIO_CHARS,
)
from jiangxin.records.registry import KIND, KINDS, SLUG_ID

TEMPLATES = ROOT / "hooks" / "jiangxin" / "record_templates"

# The kinds an editor creates from a template (the city reports are typed from the report itself).
FOLDERS = {k.key: k.folder for k in KINDS if k.templated}
# "index" would take the place of the generated studios/ or stories/ index page.
RESERVED = frozenset(i for kind in KINDS for i in kind.reserved_ids)
MAX_NAME_LENGTH = 200  # the schema's limit for one line of text


def base_id(name: str, kind: str = "studio", studio: str | None = None) -> str:
    """The id a name would get before avoiding collisions (see `jiangxin.records.ids.base_id`)."""
    slug = ids.base_id(name, kind, studio)
    if not slug:
        raise Stop.because(
            "new.no-id",
            f"无法从“{name}”生成编号（里面没有汉字、英文字母或数字）。请用 --id 指定编号，如 --id zhangsan。",
        )
    return slug


def propose_id(name: str, existing, kind: str = "studio", studio: str | None = None) -> str:
    """A free id for `name`: `base_id`, or with -2, -3 … appended when taken or reserved."""
    taken = set(existing) | RESERVED
    base = base_id(name, kind, studio)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def existing_ids(folder: Path) -> set[str]:
    """Ids of the record files in `folder` (the loader reads both .yml and .yaml)."""
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".yml", ".yaml")}


def record_names(folder: Path, field: str) -> dict[str, str]:
    """Id → name (or title) of each readable record in `folder`; unreadable ones are skipped (check.py reports them)."""
    names = {}
    for record_id in sorted(existing_ids(folder)):
        for suffix in (".yml", ".yaml", ".YML", ".YAML"):
            path = folder / f"{record_id}{suffix}"
            if path.is_file():
                break
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and data.get(field) is not None:
            names[record_id] = str(data[field])
    return names


def yaml_text(text: str) -> str:
    """`text` as one YAML scalar: plain when that reads back as the same text, else quoted."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**9)
    return dumped.removesuffix("\n").removesuffix("\n...").removesuffix("\n")


def check_name(name: str, kind: str) -> str:
    """The name trimmed, or a `Stop` saying what is wrong with it."""
    name = " ".join(name.split())  # newlines and runs of spaces → one space
    label = "名称" if kind == "studio" else "标题"
    if not name:
        raise Stop.because("new.empty-name", f"{KIND[kind].label}的{label}是空的，请写上{label}。")
    if len(name) > MAX_NAME_LENGTH:
        raise Stop.because("new.long-name", f"{label}太长了（{len(name)} 字，上限 {MAX_NAME_LENGTH} 字）。")
    return name


def check_id(record_id: str) -> str:
    """An id given with --id, or a `Stop` with a corrected suggestion."""
    if record_id in RESERVED:
        raise Stop.because("new.reserved-id", f"编号“{record_id}”留给网站的目录页使用，请换一个。")
    if not SLUG_ID.fullmatch(record_id):
        suggestion = re.sub(r"[^a-z0-9]+", "-", record_id.lower()).strip("-") or "zhangsan"
        raise Stop.because(
            "new.bad-id", f"编号“{record_id}”不能用：只能用小写英文字母、数字和连字符（-），如 {suggestion}。"
        )
    return record_id


def resolve_studio(project: Path, studio: str) -> str:
    """The id of the studio given by id or by its exact name, or a `Stop` listing the studios."""
    folder = project / "content" / FOLDERS["studio"]
    studio = studio.strip().removesuffix(".yml")
    if studio in existing_ids(folder):
        return studio
    names = record_names(folder, "name")
    by_name = [i for i, n in names.items() if n == studio]
    if len(by_name) == 1:
        return by_name[0]
    known = (
        "\n".join(f"  {i}（{names.get(i, '')}）" for i in sorted(existing_ids(folder)))
        or "  （还没有工作室记录，请先创建工作室）"
    )
    raise Stop.because(
        "new.unknown-studio",
        f"找不到工作室“{studio}”（content/studios/{studio}.yml 不存在）。--studio 后面写工作室的编号，现有的有："
        f"\n{known}",
    )


def render(kind: str, name: str, record_id: str, studio: str | None = None) -> str:
    """The template of `kind` with its {{…}} markers filled in."""
    text = (TEMPLATES / f"{kind}.yml").read_text(encoding="utf-8")
    values = {"name": yaml_text(name), "id": record_id, "studio": studio or ""}
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise RuntimeError(f"template {kind}.yml has an unknown marker")  # a programming error, not the editor's
    return text


def plan_record(
    project: Path, kind: str, name: str, *, studio: str | None = None, record_id: str | None = None
) -> tuple[Path, str, str | None]:
    """Where a new record would be written: (path, cleaned name, studio id); `Stop` if it cannot be created."""
    name = check_name(name, kind)
    if kind == "story":
        if not studio:
            raise Stop.because(
                "new.no-studio", "故事要写明所属工作室：在命令末尾加上 --studio 工作室编号，如 --studio hewang。"
            )
        studio = resolve_studio(project, studio)
    folder = project / "content" / FOLDERS[kind]
    existing = existing_ids(folder)
    record_id = check_id(record_id) if record_id is not None else propose_id(name, existing, kind, studio)
    if record_id in existing:
        same = sorted(p.name for p in folder.iterdir() if p.stem == record_id)
        raise Stop.because(
            "new.exists",
            f"content/{FOLDERS[kind]}/{same[0]} 已经存在，本程序不会覆盖它。请换一个编号（--id 新编号），"
            "或直接编辑已有的文件。",
        )
    return folder / f"{record_id}.yml", name, studio


def create_record(
    project: Path, kind: str, name: str, *, studio: str | None = None, record_id: str | None = None
) -> Path:
    """Write content/<folder>/<id>.yml from the template and return its path; never overwrites."""
    path, name, studio = plan_record(project, kind, name, studio=studio, record_id=record_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Mode "x" fails if the file appeared meanwhile: never overwrite an editor's work.
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(render(kind, name, path.stem, studio))
    except FileExistsError as err:
        raise Stop.because("new.exists", f"content/{FOLDERS[kind]}/{path.name} 已经存在，本程序不会覆盖它。") from err
    return path


def unfilled_fields(path: Path, project: Path, kind: str) -> list[str]:
    """The fields the checker will complain about in a fresh file, as it names them."""
    rel = path.relative_to(project).as_posix()
    item = parse_record(kind, path.read_bytes(), rel, path.stem)
    return list(dict.fromkeys(p.field for p in item.problems if p.field))


class _ChineseHelp(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：")


class _Parser(argparse.ArgumentParser):
    # argparse's own messages are English; translate the ones an editor can meet.
    TRANSLATIONS = (
        (r"the following arguments are required: (.*)", r"缺少参数：\1。"),
        (
            r"argument 类型: invalid choice: '?([^' ]*)'? .*",
            r"不认识的记录类型“\1”，只能写 studio（工作室）或 story（故事）。",
        ),
        (r"unrecognized arguments: (.*)", r"不认识的选项：\1。"),
        (r"argument (--\w+): expected one argument", r"\1 后面要写一个值。"),
    )

    def error(self, message: str):
        for pattern, chinese in self.TRANSLATIONS:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, chinese, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n（运行 python3 scripts/new_record.py --help 查看说明）\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python3 scripts/new_record.py",
        description="按模板新建一条工作室或故事记录，并根据名称的拼音建议编号（也就是文件名和网址）。",
        epilog=(
            "例子：\n"
            "  python3 scripts/new_record.py studio 张三创新工作室\n"
            "      → 新建 content/studios/zhangsan.yml\n"
            '  python3 scripts/new_record.py story "以赛促学：测试单位的技能竞赛" --studio zhangsan\n'
            "      → 新建 content/stories/zhangsan-yisaicuxue.yml\n"
            "  python3 scripts/new_record.py studio 张三创新工作室 --id zhangsan-lathe\n"
            "      → 不用建议的编号，用自己指定的\n\n"
            "编号怎么来的：\n"
            "  工作室：名称去掉“劳模和工匠人才创新工作室”“创新工作室”“工作室”等通用结尾，取拼音（不带声调），\n"
            f"          最多取前 {MAX_STUDIO_CHARS} 个字；连在一起的汉字拼音连写，其他字符处用连字符隔开。\n"
            f"  故事：所属工作室的编号 + 标题中第一个冒号或破折号之前部分的拼音，最多取前 {MAX_STORY_CHARS} 个字。\n"
            "  与已有文件重名时在末尾加 -2、-3……；多音字可能读错，不满意就用 --id 自己指定。\n\n"
            "已有的文件不会被覆盖。创建后请按文件里的说明填写，再运行 python3 scripts/check.py 检查。"
        ),
        formatter_class=_ChineseHelp,
        add_help=False,
    )
    args = p.add_argument_group("参数")
    args.add_argument("kind", choices=FOLDERS, metavar="类型", help="studio（工作室）或 story（故事）")
    args.add_argument("name", nargs="+", metavar="名称", help="工作室的名称或故事的标题；含空格时请用英文引号括起来")
    opts = p.add_argument_group("选项")
    opts.add_argument(
        "--studio",
        metavar="工作室编号",
        help="故事所属的工作室：content/studios 里的文件名（不含 .yml），也可以写工作室的全称；新建故事时必填",
    )
    opts.add_argument("--id", metavar="编号", help="自己指定编号，不用建议的：只能用小写英文字母、数字和连字符")
    opts.add_argument("--dry-run", action="store_true", help="只显示将要创建的文件名，不真正创建")
    opts.add_argument(
        "--project", metavar="文件夹", type=Path, default=ROOT, help="网站项目所在的文件夹（默认是本仓库）"
    )
    opts.add_argument("-h", "--help", action="help", help="显示本说明并退出")
    return p


def main(argv: list[str] | None = None) -> int:
    """Create one record and print the next steps; 0 on success, 1 when nothing was created."""
    opts = parser().parse_args(argv)
    kind, project = opts.kind, opts.project.resolve()
    if kind == "studio" and opts.studio:
        print("错误：--studio 只用于新建故事（story）；工作室不需要它。", file=sys.stderr)
        return 1
    try:
        path, name, studio = plan_record(project, kind, " ".join(opts.name), studio=opts.studio, record_id=opts.id)
        if opts.dry_run:
            print(f"将创建：{path.relative_to(project).as_posix()}（只是预览，没有创建文件）")
            return 0
        path = create_record(project, kind, name, studio=studio, record_id=path.stem)
    except Stop as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
    _print_next_steps(project, kind, name, path, studio=studio, proposed=opts.id is None)
    return 0


def _shell_word(text: str) -> str:
    """`text` as one argument in an example command (double quotes work in bash, cmd and PowerShell)."""
    if re.fullmatch(r"[^\s\"'$`\\;&|<>()*?!#~]+", text):
        return text
    return shlex.quote(text) if re.search(r"[\"$`\\]", text) else f'"{text}"'


def _print_next_steps(project: Path, kind: str, name: str, path: Path, studio: str | None, proposed: bool) -> None:
    rel = path.relative_to(project).as_posix()
    folder = FOLDERS[kind]
    print(f"已创建：{rel}")
    print(f"编号：{path.stem}（网址将是 /{folder}/{path.stem}/）")
    twins = [i for i, n in record_names(path.parent, KIND[kind].title_field).items() if n == name and i != path.stem]
    for twin in twins:
        print(
            f"注意：content/{folder}/{twin}.yml 的{'名称' if kind == 'studio' else '标题'}与此相同。"
            f"如果是重复创建，请删除 {rel}，"
            "改为编辑已有的文件。"
        )
    if proposed:
        print(
            "编号是按拼音自动生成的，多音字可能读错（如姓“曾”会读成 ceng，“长”会读成 zhang）。不满意的话，"
            f"删除 {rel}，再加上 --id 重新创建（把最后的编号换成你想要的）："
        )
        again = [
            "python3",
            "scripts/new_record.py",
            kind,
            name,
            *(["--studio", studio] if studio else []),
            "--id",
            path.stem,
        ]
        print("  " + " ".join(_shell_word(w) for w in again))
    todo = "、".join(unfilled_fields(path, project, kind))
    print("\n下一步：")
    print(f"  1. 用编辑器（推荐 VS Code）打开 {rel}，按文件里的说明填写。只填有出处的事实；没有的字段整行删去。")
    if todo:
        print(f"     必填、但还空着的：{todo}。")
    print("  2. 运行 python3 scripts/check.py，按提示改正，直到显示“内容检查通过”。")
    print(
        "  3. 预览网站（bash scripts/serve.sh），然后提交：git add、git commit、git push。"
        "详见网站上的“编辑指南”（/contribute/）。"
    )


if __name__ == "__main__":
    sys.exit(main())
