"""MkDocs' English warnings followed by a Chinese line in `mkdocs build` itself (jiangxin.mkdocswarnings),
counted once under strict mode, and printed once by scripts/publish.py, which explains them as well."""

from __future__ import annotations

import logging

import pytest

from jiangxin.engine.mkdocswarnings import ChineseLines
from jiangxin.engine.mkdocsyml import Config, explain

CONFIG = Config(docs_dir="content", key_lines={"site_autor": 4}, nav_lines={"people/index.md": 30})
ENGLISH = "Doc file 'about.md' contains a link 'signup.md', but the target is not found among documentation files."
CHINESE = "content/about.md: 链接 signup.md 指向的页面不存在"

# MkDocs 1.6's wording, as mkdocs/structure/pages.py, structure/nav.py and config/base.py log it.
KNOWN = [
    (
        "Doc file 'stories/a.md' contains a link '../b.md', but the target 'b.md' is not found among "
        "documentation files. Did you mean '../stories/b.md'?",
        "content/stories/a.md: 链接 ../b.md 指向的页面不存在（应有文件 content/b.md）。"
        "请检查文件名和路径（相对于本页所在的文件夹）（是不是 ../stories/b.md？），或删去这个链接。",
    ),
    (
        "Doc file 'about.md' contains an absolute link '/studios/', it was left as is.",
        "content/about.md: 链接 /studios/ 以“/”开头",
    ),
    (
        "Doc file 'about.md' contains an unrecognized relative link 'studios', it was left as is.",
        "content/about.md: 链接 studios 无法识别",
    ),
    (
        "Doc file 'about.md' contains a link 'index.md#join', but the doc 'index.md' does not contain "
        "an anchor '#join'.",
        "content/about.md: 链接 index.md#join 指向的标题在 content/index.md 里不存在",
    ),
    (
        "Doc file 'about.md' contains a link '#join', but there is no such anchor on this page.",
        "content/about.md: 链接 #join 指向的标题在本页不存在",
    ),
    (
        "A reference to 'people/index.md' is included in the 'nav' configuration, which is not found in the "
        "documentation files.",
        "mkdocs.yml:30: nav: 导航里的 people/index.md 在 content/ 里不存在",
    ),
    (
        "Config value 'site_autor': Unrecognised configuration name: site_autor",
        "mkdocs.yml:4: site_autor: 不是 MkDocs 的设置",
    ),
    ("Aborted with 1 warnings in strict mode!", "因为上面的警告（严格模式下警告也算错误），本次没有生成网站。"),
]


@pytest.mark.parametrize(("english", "chinese"), KNOWN, ids=[c[1].split(":")[0] + f"-{i}" for i, c in enumerate(KNOWN)])
def test_each_known_warning_is_explained_with_its_file(english, chinese):
    assert (explain(english, CONFIG) or "").startswith(chinese)


@pytest.mark.parametrize(
    "line", ["INFO    -  Building documentation to directory: site", "Documentation built in 1.20 seconds", ""]
)
def test_other_lines_are_not_explained(line):
    assert explain(line, CONFIG) is None


def test_the_handler_writes_the_chinese_line_and_logs_nothing(tmp_path):
    """After the English line, in the same stream; no record of its own, so strict mode counts the warning once."""
    logger = logging.getLogger("mkdocs.test_chinese_warnings")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    out = tmp_path / "log.txt"
    with out.open("w", encoding="utf-8") as stream:
        english = logging.StreamHandler(stream)
        chinese = ChineseLines()
        chinese.setStream(stream)
        chinese.config = CONFIG
        records: list[logging.LogRecord] = []
        counter = logging.Handler(logging.WARNING)
        counter.emit = records.append  # type: ignore[method-assign]
        for handler in (english, chinese, counter):
            logger.addHandler(handler)
        try:
            logger.warning(ENGLISH)
            logger.warning("Some other warning")
            logger.info(ENGLISH)  # below WARNING: MkDocs' handler prints it, no explanation
        finally:
            for handler in (english, chinese, counter):
                logger.removeHandler(handler)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ENGLISH
    assert lines[1].startswith(CHINESE)
    assert lines[2:] == ["Some other warning", ENGLISH]
    assert [r.getMessage() for r in records] == [ENGLISH, "Some other warning"]
