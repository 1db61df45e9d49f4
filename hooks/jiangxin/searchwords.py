"""A jieba user dictionary built from the records, so that names are segmented whole.

Without it jieba cuts "领衔人张三" into 领衔 / 人张 / 三 and a search for the name
finds nothing. Project titles are left out on purpose: Material segments in
jieba's accurate mode, so a whole title would hide the terms inside it (烧碱).
"""

from __future__ import annotations

from .model import Site

# High enough that jieba keeps the name whole next to common words.
FREQUENCY = 200000


def names(site: Site) -> list[str]:
    """Names of people, studios, organizations, counties and industries in the records."""
    found: set[str] = set()
    for studio in site.studios:
        found.update(filter(None, (studio.name, studio.get("organization"), studio.get("county"), studio.get("industry"), studio.leader)))
    for story in site.stories:
        person = story.get("person") or {}
        found.update(filter(None, (person.get("name"), person.get("organization"))))
    return sorted(w for w in found if " " not in w and "\u3000" not in w)


def user_dict(site: Site) -> str:
    """The dictionary in jieba's `word freq tag` format, one name per line."""
    return "".join(f"{word} {FREQUENCY} nz\n" for word in names(site))
