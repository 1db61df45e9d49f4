"""A jieba user dictionary built from the records, so that names are segmented whole.

Without it jieba cuts "领衔人张三" into 领衔 / 人张 / 三, and Material's search
in the browser, which splits a query into words found in the index, turns a
search for a name into a search for its first character.

Only short names go in. Material segments in jieba's accurate mode, so a long
name added whole (a project title, a company's full legal name) would hide the
words inside it: 烧碱 in a project title, 十里香 in 山东省十里香芝麻制品股份有限公司.
Short names that jieba gets wrong (京博) come from a record's `keywords`.
"""

from __future__ import annotations

import re

from .model import Site

# High enough that jieba keeps the name whole next to common words.
FREQUENCY = 200000
HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def names(site: Site) -> list[str]:
    """People, counties, industries, search keywords and the names in source credits."""
    found: set[str] = set()
    for record in (*site.studios, *site.stories, *site.reports):
        data = record.data
        people = [data.get("leader"), data.get("person")]
        found.update(p["name"] for p in people if p)
        found.update(filter(None, (data.get("county"), data.get("industry"))))
        found.update(data.get("keywords", ()))
        for outreach in data.get("outreach", ()):
            found.update(filter(None, (outreach.get("speaker"),)))
        author = (data.get("source") or {}).get("author", "")
        # "晚报记者 张旭；通讯员 王欣欣 宁雪": keep each credited name whole.
        found.update(w for w in re.split(r"[\s；;，,、]+", author) if HAN_NAME.fullmatch(w))
    return sorted(w for w in found if w.strip() and not re.search(r"\s", w))


def user_dict(site: Site) -> str:
    """The dictionary in jieba's `word freq tag` format, one name per line."""
    return "".join(f"{word} {FREQUENCY} nz\n" for word in names(site))
