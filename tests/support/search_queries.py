"""The search query set of the sample content: names and terms readers type, and the page each must find.

Kept apart from the tests so that benchmarks/bench.py can put the same queries to another
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


# (query, page): what readers type for a name: pinyin, initials, Chinese with pinyin, a
# homophone or wrong character picked in the IME. The names index must suggest the page first.
NAME_SUGGESTIONS = [
    ("hewang", "studios/hewang/"),
    ("he wang", "studios/hewang/"),
    ("hw", "studios/hewang/"),
    ("何w", "studios/hewang/"),
    ("kkq", "studios/kongkongquan/"),
    ("kongkongquan", "studios/kongkongquan/"),
    ("渤海", "studios/bohai-piston/"),
    ("renzhangbo", "studios/renchangbo/"),  # 长 read zhang (as in 任长博) or chang
    ("renchangbo", "studios/renchangbo/"),
    ("rcb", "studios/renchangbo/"),
    ("gaoq", "studios/gaoqiang/"),
    ("丁shuli", "studios/dingshuli/"),
    ("wjf", "studios/wangjingfeng/"),
    ("shilixiang", "studios/renchangbo/"),
    ("孔孔全", "studios/kongkongquan/"),  # one wrong character
    ("王井锋", "studios/wangjingfeng/"),  # one wrong character
    ("wudixian", "studios/county/wudixian/"),
    ("何旺 新能源", "studios/hewang/"),  # name + topic: the name is suggested
]

# (query, page): two words, a name and a topic: the full-text results hold the page in the first three.
TWO_WORDS = [
    ("何旺 新能源", "studios/hewang/"),
    ("孔孔泉 烧碱", "stories/kongkongquan-caustic-soda/"),
    ("渤海活塞 技能竞赛", "stories/bohai-piston-competitions/"),
]

# Queries that must find nothing: no suggestion and no full-text result.
NOTHING = ["鲸鱼潜水艇", "qqqxz", "zzzzzz"]


def name_expectations() -> list[tuple[str, str, int]]:
    """Every name-suggestion query with the page it must suggest and within how many suggestions (the first)."""
    return [(q, page, 1) for q, page in NAME_SUGGESTIONS]
