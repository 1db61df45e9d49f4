"""A clearly fictional studio (with dated talks and a photo) and story, added to a copy of the project with
`site_url` set: what the open data, feed, calendar, QR code and poster tests build from."""

from __future__ import annotations

from pathlib import Path

from jiangxin.content.loader import load_site
from jiangxin.records.model import Site

SITE_URL = "https://jiangxin.example.org/"


# A 1×1 PNG, so the fictional studio can carry a photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


FICTIONAL_STUDIO = """\
name: 虚构测试工作室“甲”, 仅供测试
organization: 虚构测试单位
units: 2
county: 虚构县
industry: 虚构行业
keywords:
  - 虚构
level: provincial
designations:
  - level: provincial
    title: 虚构省级命名
    year: 2024
  - title: 虚构荣誉，未注明级别
leader:
  name: 虚构甲
  honors:
    - 虚构工匠
    - 虚构劳模, 带逗号
team:
  size: 12
  core_members: 3
focus:
  - 虚构方向一
  - 虚构方向二
summary: 这是一条虚构的测试记录，只在测试的临时文件夹里出现，不会发布。
description: |
  第一段，含 "引号" 和逗号,。

  第二段。
achievements:
  - type: benefit
    title: 虚构效益
    year: 2025
    amount:
      value: 11.15
      unit: 亿元
      approx: 超
      period: 2025年
      label: 虚构说明
  - type: patent
    patent_type: invention
    title: 虚构专利
    count:
      value: 3
      unit: 项
talent:
  - type: mentoring
    title: 虚构师徒结对
    count:
      value: 300
      unit: 人次
      approx: 余
      period: 每年
competitions:
  - name: 虚构竞赛
    year: 2025
    participants:
      value: 1000
      unit: 人次
      approx: 近
    results: 虚构成绩。
outreach:
  - title: 虚构校园宣讲
    date: 2025-05-01
    audiences:
      - 校园
      - 社区
    place: 虚构中学
    speaker: 虚构甲
    text: 虚构说明，含逗号；分号。
    reach:
      value: 500
      unit: 人次
  - title: 虚构只有年份的宣讲
    year: 2024
  - title: 虚构同日第二场
    date: 2025-05-01
photos:
  - file: media/test-1.png
    caption: 虚构照片
    alt: 一张一像素的虚构图片
featured: false
source:
  title: 虚构出处
  author: 虚构作者
  date: 2025-04-30
  url: https://example.org/fictional
"""


FICTIONAL_STORY = """\
title: 虚构的测试故事
person:
  name: 虚构甲
  honors:
    - 虚构工匠
studio: test-fictional
date: 2025-06-01
summary: 虚构的测试故事，只在测试里出现。
body: |
  虚构正文，[链接到工作室](../../studios/test-fictional/)。
themes:
  - 工匠精神
  - 创新
audiences:
  - 中学
questions:
  - 虚构问题一、带顿号？
  - 虚构问题二
source:
  title: 虚构出处
"""


def add_fictional(project: Path) -> Path:
    """Add the fictional studio (with dated talks) and story, and set `site_url`."""
    content = project / "content"
    (content / "studios" / "test-fictional.yml").write_text(FICTIONAL_STUDIO, encoding="utf-8")
    (content / "stories" / "test-fictional-story.yml").write_text(FICTIONAL_STORY, encoding="utf-8")
    (content / "media").mkdir(exist_ok=True)
    (content / "media" / "test-1.png").write_bytes(PNG)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("site_author: 滨州市总工会\n", f"site_author: 滨州市总工会\nsite_url: {SITE_URL}\n"),
        encoding="utf-8",
    )
    assert f"site_url: {SITE_URL}" in config.read_text(encoding="utf-8")
    return project


def fictional_site(project: Path) -> Site:
    """The content of `project` (with `add_fictional`'s records) as the loader reads it, without a problem."""
    loaded, problems = load_site(project / "content", project)
    assert not problems, problems
    assert loaded.studio("test-fictional")
    return loaded
