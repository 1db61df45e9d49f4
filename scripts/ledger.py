"""The union's Excel ledger (台账) in and out of content/.

    python3 scripts/ledger.py template 台账.xlsx          # an empty ledger generated from the record schemas
    python3 scripts/ledger.py import 台账.xlsx --check    # what importing would change; writes nothing
    python3 scripts/ledger.py import 台账.xlsx            # create or update records under content/
    python3 scripts/ledger.py export 台账.xlsx            # every record, in the same layout (for reporting)

An import reports every problem of every cell at once (台账.xlsx 工作室!D12: 字段: 说明) and
writes nothing while there is one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _project import ROOT
from jiangxin.content.loader import load_site
from jiangxin.ledger import exporter, importer
from jiangxin.problems import report


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n（运行 python3 scripts/ledger.py --help 查看说明）\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python3 scripts/ledger.py",
        description="工会台账（Excel）与网站记录互转：生成模板、导入台账、导出全部记录。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "例子：\n"
            "  python3 scripts/ledger.py template 台账.xlsx         生成空白台账模板\n"
            "  python3 scripts/ledger.py import 台账.xlsx --check   只检查，列出将新建、修改的记录\n"
            "  python3 scripts/ledger.py import 台账.xlsx           导入：新建或更新 content/ 里的记录\n"
            "  python3 scripts/ledger.py export 台账.xlsx           导出全部记录（上报用，也可改后再导入）"
        ),
    )
    p.add_argument(
        "action", choices=("template", "import", "export"), metavar="操作", help="template、import 或 export"
    )
    p.add_argument("workbook", type=Path, metavar="台账.xlsx", help="Excel 文件（.xlsx）")
    p.add_argument("--check", action="store_true", help="只检查并列出将要做的改动，不写入任何文件（import）")
    p.add_argument("--force", action="store_true", help="覆盖已有的 Excel 文件（template、export）")
    p.add_argument("--project", type=Path, default=ROOT, metavar="文件夹", help="网站项目所在的文件夹（默认是本仓库）")
    return p


def main(argv: list[str] | None = None) -> int:
    opts = parser().parse_args(argv)
    project, book = opts.project.resolve(), opts.workbook
    if opts.action in ("template", "export"):
        if book.exists() and not opts.force:
            print(
                f"错误：{book} 已经存在，不会覆盖它（里面可能有还没导入的修改）。请换一个文件名，或加 --force。",
                file=sys.stderr,
            )
            return 1
        if book.suffix.lower() != ".xlsx":
            print(f"错误：文件名要以 .xlsx 结尾（现在是“{book.name}”）。", file=sys.stderr)
            return 1
        if opts.action == "template":
            exporter.template(book)
            print(f"已生成空白台账：{book}（填写说明见其中的“说明”表）")
            return 0
        site, problems = load_site(project / "content", project)
        if problems:
            print(report(problems).replace("本次未生成网站（原有网站保持不变）", "本次未导出台账"), file=sys.stderr)
            return 1
        exporter.export(book, site)
        print(f"已导出全部记录：{book}")
        return 0
    if not book.is_file():
        print(f"错误：找不到文件 {book}。", file=sys.stderr)
        return 1
    result = importer.plan(book, project, str(book))
    if result.problems:
        print(importer.report(result.problems), file=sys.stderr)
        return 1
    print(importer.summary(result, project))
    if opts.check:
        print("（只是检查，没有写入文件。去掉 --check 即导入。）")
        return 0
    written = importer.apply(result)
    print(f"已写入 {len(written)} 个文件。下一步：运行 python3 scripts/check.py，预览后提交。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
