"""The search query set of the sample content: names and terms readers type, and the page each must find.

Kept apart from the tests so that scripts/bench.py can put the same queries to another
search engine (Material's search with jieba) and compare the answers.
Material + jieba + a user dictionary of the records' names met every one of the
name and organization queries before the switch to Pagefind.
"""

# (query, studio id): the studio's profile is among the first three results, and the first is about it.
LEADER_NAMES = [
    ("任长博", "renchangbo"),
    ("高强", "gaoqiang"),
    ("何旺", "hewang"),
    ("孔孔泉", "kongkongquan"),
    ("丁树立", "dingshuli"),
    ("吴立国", "wuliguo"),
    ("王井峰", "wangjingfeng"),
]

# (query, studio id): organization names, whole or short, find the studio's profile in the first three.
ORGANIZATIONS = [
    ("魏桥", "weiqiao-textile"),
    ("鲁北化工", "lubei-chemical"),
    ("山东省十里香芝麻制品股份有限公司", "renchangbo"),
    ("十里香", "renchangbo"),
    ("京博", "jingbo-alliance"),
    ("京博", "wuliguo"),
]

# (query, page): terms from the records' texts find the page in the first five.
TERMS = [
    ("烧碱", "studios/kongkongquan/"),
    ("烧碱", "stories/kongkongquan-caustic-soda/"),
    ("海水淡化", "studios/kongkongquan/"),
    ("名师带高徒", "studios/renchangbo/"),
    ("渤海活塞", "studios/bohai-piston/"),
    ("技能竞赛", "stories/bohai-piston-competitions/"),
    ("金点子", "studios/jingbo-alliance/"),
    ("校园宣讲", "studios/gaoqiang/"),
    ("芝麻", "studios/renchangbo/"),
]


def expectations() -> list[tuple[str, str, int]]:
    """Every query with the page it must find and within how many results."""
    return [(q, f"studios/{s}/", 3) for q, s in LEADER_NAMES + ORGANIZATIONS] + [(q, page, 5) for q, page in TERMS]
