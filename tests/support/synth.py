"""Clearly synthetic records for benchmarks and load tests: never written under the real content/.

Every name carries 虚构 (fictional) so a synthetic record can never be taken for a fact.
The generator is seeded: the same scale gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国立新文斌波宁"
COUNTIES = ["滨城区", "沾化区", "惠民县", "阳信县", "无棣县", "博兴县", "邹平市"]
INDUSTRIES = ["化工", "纺织", "装备制造", "新能源", "食品加工", "医疗", "教育", "文创"]
WORDS = [
    "工艺优化",
    "设备改造",
    "节能降耗",
    "质量提升",
    "安全生产",
    "数字化",
    "技能培训",
    "师徒结对",
    "技术攻关",
    "创新课题",
    "精密加工",
    "自动化",
    "检测技术",
    "绿色低碳",
    "班组管理",
    "成本控制",
]
LEVELS = ["national", "provincial", "municipal", "county"]
SOURCE = {"title": "虚构数据：仅用于性能测试，不得发布", "author": "基准测试生成器"}


def _person(rng: random.Random, n: int) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) + f"{n}号"


def _sentence(rng: random.Random, k: int) -> str:
    return "，".join(rng.choice(WORDS) + "取得进展" for _ in range(k)) + "。"


def studio(rng: random.Random, n: int) -> dict:
    """One fictional studio with every pillar filled, like a rich real profile."""
    leader = _person(rng, n)
    return {
        "name": f"虚构{leader}创新工作室",
        "organization": f"虚构{rng.choice(INDUSTRIES)}有限公司{n}",
        "county": rng.choice(COUNTIES),
        "industry": rng.choice(INDUSTRIES),
        "level": rng.choice(LEVELS),
        "leader": {"name": leader, "honors": [rng.choice(["滨州工匠", "齐鲁工匠", "市劳动模范"])]},
        "team": {"size": rng.randint(5, 40), "core_members": rng.randint(2, 8)},
        "focus": rng.sample(WORDS, 2),
        "summary": _sentence(rng, 4),
        "description": "\n\n".join(_sentence(rng, 6) for _ in range(3)),
        "achievements": [
            {
                "type": "project",
                "title": f"{rng.choice(WORDS)}项目{i}",
                "year": rng.randint(2020, 2025),
                "amount": {"value": rng.randint(10, 500), "unit": "万元", "label": "节约成本"},
            }
            for i in range(3)
        ]
        + [
            {
                "type": "patent",
                "patent_type": "invention",
                "title": "授权发明专利",
                "count": {"value": rng.randint(1, 30), "unit": "项"},
            }
        ],
        "talent": [
            {
                "type": "mentoring",
                "title": "师徒结对",
                "count": {"value": rng.randint(5, 300), "unit": "人次", "period": "每年"},
            }
        ],
        "competitions": [
            {"name": f"虚构技能竞赛{n}", "year": 2025, "participants": {"value": rng.randint(20, 900), "unit": "人次"}}
        ],
        "outreach": [
            {
                "title": "宣讲进校园",
                "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "audiences": ["校园"],
                "reach": {"value": rng.randint(50, 800), "unit": "人次"},
            }
        ],
        "source": SOURCE,
    }


def story(rng: random.Random, n: int, studio_id: str, studio_data: dict) -> dict:
    """One fictional story of about 800 characters."""
    return {
        "title": f"虚构故事{n}：{rng.choice(WORDS)}",
        "person": {"name": studio_data["leader"]["name"]},
        "studio": studio_id,
        "summary": _sentence(rng, 3),
        "body": "\n\n".join(f"## 第{i + 1}部分\n\n" + _sentence(rng, 12) for i in range(4)),
        "themes": ["工匠精神"],
        "audiences": [rng.choice(["公众", "小学", "中学", "职业院校"])],
        "questions": ["这个虚构故事说明了什么？"],
        "source": SOURCE,
    }


def write(content: Path, studios: int, stories: int, seed: int = 2025) -> None:
    """Write `studios` and `stories` synthetic records into a content folder (which must not be the real one)."""
    if (content / "studios" / "hewang.yml").exists():
        raise SystemExit("refusing to write synthetic records next to the real content")
    rng = random.Random(seed)
    (content / "studios").mkdir(parents=True, exist_ok=True)
    (content / "stories").mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(studios):
        data = studio(rng, n)
        sid = f"synth-{n:05d}"
        made.append((sid, data))
        (content / "studios" / f"{sid}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    for n in range(stories):
        sid, data = made[n % len(made)]
        (content / "stories" / f"synth-story-{n:05d}.yml").write_text(
            yaml.safe_dump(story(rng, n, sid, data), allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


def write_photos(content: Path, size: tuple[int, int] = (4000, 3000), seed: int = 2025) -> int:
    """One generated photo (shapes and noise, as large as a phone's) per synthetic studio, added to its record.

    Each photo differs (its own shapes), so every one is processed; returns the bytes written.
    """
    import io

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    # Noise gives the encoders real work, as a photo's texture does; one noise layer, shapes on top per studio.
    noise = Image.effect_noise(size, 40).convert("RGB")
    (content / "media").mkdir(exist_ok=True)
    total = 0
    for record in sorted((content / "studios").glob("synth-*.yml")):
        image = Image.blend(noise, Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3))), 0.6)
        draw = ImageDraw.Draw(image)
        for _ in range(30):
            x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(50, 600)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        name = f"media/{record.stem}.jpg"
        (content / name).write_bytes(buffer.getvalue())
        total += len(buffer.getvalue())
        with record.open("a", encoding="utf-8") as stream:
            alt = "程序生成的彩色圆形，虚构的测试图片"
            stream.write(f"photos:\n  - file: {name}\n    caption: 虚构的测试图片\n    alt: {alt}\n")
    return total
