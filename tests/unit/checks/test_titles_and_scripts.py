"""No script past the CSP through a title (issue 21, part 1): titles with markup are refused where
they are written, a page or site holding an inline script no template writes is refused, and
the form's folder and the theme's component classes are not the content's to use."""

from __future__ import annotations

import pytest

from jiangxin.checks import built_policy, file_policy, page_policy
from jiangxin.engine import mkdocsyml
from jiangxin.release import securityheaders
from support.project import ROOT

THEME = tuple(file_policy.theme_dirs(ROOT))
ESCAPE = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


# ---------------------------------------------------------------- titles where they are written


@pytest.mark.parametrize(
    ("title", "refused"),
    [
        (ESCAPE, True),
        ("<script>alert(1)</script>", True),
        ("&#60;b&#62;", True),
        ("&LT;", True),
        ("a > b", True),
        ("何旺创新工作室", False),
        ("《工匠精神》读后 & 感想", False),
        ("＜全角＞", False),
    ],
)
def test_a_title_may_hold_no_angle_bracket_typed_or_encoded(title, refused):
    assert page_policy.angle_brackets(title) is refused


def test_a_heading_may_hold_tags_but_no_encoded_brackets():
    # Complete tags are the sanitizer's (and striptags removes them from the title); `&lt;` becomes `<`.
    assert not page_policy.angle_brackets("好 <b>标题</b>", tags=True)
    assert page_policy.angle_brackets("x &lt;/title&gt;", tags=True)
    assert page_policy.angle_brackets("x </title", tags=True)


PAGE = f"""---
description: 说明
title: "{ESCAPE}"
---

# 好 <b>标题</b>

```
# {ESCAPE} 在代码里不算标题
```

## a &lt; b

Setext &gt; 标题
---

正文里写 &lt;x&gt; 没关系。
"""


def test_the_front_matter_title_and_every_heading_are_checked_with_their_lines():
    # The front matter's title is read with the rest of it (check_front_matter), the headings by check_titles.
    found = page_policy.check_front_matter(PAGE, "content/x.md") + page_policy.check_titles(PAGE, "content/x.md")
    assert [(p.line, p.field, p.code) for p in found] == [
        (3, "title", "page.title-markup"),
        (12, "标题", "page.title-markup"),
        (14, "标题", "page.title-markup"),
    ]
    assert all("尖括号" in p.message and "《》" in p.message for p in found)
    assert page_policy.check_titles("# 标题\n\n正文 &lt;\n", "content/y.md") == []


YML = """site_name: "匠心&lt;/title&gt;"
site_description: 说明 <script>
site_author: 滨州市总工会
copyright: 版权所有
nav:
  - 首页: index.md
  - "<b>工作室</b>":
      - 名录: studios/index.md
      - "&lt;script&gt;": talent/index.md
"""


def test_mkdocs_yml_titles_are_refused_with_their_lines(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(YML, encoding="utf-8")
    _, problems = mkdocsyml.read(tmp_path)
    assert {p.code for p in problems} == {"config.title-markup"}
    assert [(p.path, p.line, p.field) for p in problems] == [
        ("mkdocs.yml", 1, "site_name"),
        ("mkdocs.yml", 2, "site_description"),
        ("mkdocs.yml", 7, "nav"),
        ("mkdocs.yml", 9, "nav"),
    ]
    assert "网站名称里不能有尖括号" in problems[0].message and "导航的标题" in problems[2].message


def test_the_real_mkdocs_yml_passes():
    assert mkdocsyml.read(ROOT)[1] == []


# ---------------------------------------------------------------- inline scripts the templates write


@pytest.mark.parametrize(
    "script",
    [
        "alert(1)",
        # Material's base script with a value that leaves its string.
        '__md_scope=new URL("/"+alert(1)+"",location)',
        "",
    ],
)
def test_a_script_no_template_writes_is_found(script):
    html = f"<html><head><title>t</title><script>{script}</script></head><body></body></html>"
    found = built_policy.check_final_html(html, None, "x/", "content/x.md", built_policy.theme_scripts(THEME))
    assert [(p.code, p.path, p.field, p.message) for p in found] == [
        ("built.unknown-script", "x/", "content/x.md", f"第 1 行有模板之外的脚本（<script>{script[:40]}）")
    ]
    # Data blocks do not run; without the templates' scripts the check leaves scripts alone.
    data = html.replace("<script>", '<script type="application/json">')
    assert built_policy.check_final_html(data, None, scripts=()) == []
    assert built_policy.check_final_html(html, None) == []


def test_a_template_script_is_a_pattern_of_its_literal_text(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "a.html").write_text(
        '<script>var base="{{ base_url }}";go(base)</script>\n'
        "<script>{% if x %}maybe(){% endif %}</script>\n"
        '<script src="{{ x }}"></script><script type="application/json">{{ config }}</script>\n'
        "<script>var keys = {{ keys|tojson }};</script>",
        encoding="utf-8",
    )
    allowed = built_policy.theme_scripts([tmp_path])
    assert len(allowed) == 2
    # A JSON value may hold quotes, not code.
    assert not built_policy.unknown_script('var keys = {"help": 191, "next": [78, "n"]};', allowed)
    assert built_policy.unknown_script('var keys = {"a": alert(1)};', allowed)
    assert built_policy.unknown_script("var keys = 1;alert(1);", allowed)
    assert not built_policy.unknown_script('var base="../..";go(base)', allowed)
    assert built_policy.unknown_script('var base="x";go(base);alert(1)', allowed)
    assert built_policy.unknown_script('var base="x"+alert(1)+"";go(base)', allowed)
    assert built_policy.unknown_script("maybe()", allowed)  # a script with a block tag is allowed nowhere


# ---------------------------------------------------------------- what the content may not use


def test_the_forms_folder_is_not_the_contents(tmp_path):
    page = tmp_path / "content" / "admin" / "login.md"
    page.parent.mkdir(parents=True)
    page.write_text("# 登录\n", encoding="utf-8")
    found = file_policy.check_file("admin/login.md", page, "content/admin/login.md", tmp_path, frozenset())
    assert [p.code for p in found] == ["file.form-folder"] and "admin 文件夹" in found[0].message
    assert securityheaders.ADMIN == file_policy.FORM_FOLDER


@pytest.mark.parametrize(
    ("html", "refused"),
    [
        ('<div class="md-dialog md-dialog--active">请点此重新登录</div>', "md-dialog"),
        ('<p class="note md-header">x</p>', "md-header"),
        ('<p><a class="md-button md-button--primary" href="../studios/">看看</a></p>', None),
        ('<p class="jx-note">x</p>', None),
    ],
)
def test_the_themes_component_classes_are_refused_buttons_are_not(html, refused):
    found = page_policy.check_page_html(html, html, "content/x.md")
    if refused:
        assert [p.code for p in found] == ["page.theme-class"] and f"类名“{refused}”" in found[0].message
    else:
        assert found == []
