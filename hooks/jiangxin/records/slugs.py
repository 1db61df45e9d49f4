"""The one slug rule: ASCII ids and URL parts from Chinese text, by pinyin.

Used for facet pages (`studios/county/wudixian/`) and by `scripts/new_record.py` to
propose record ids, so a value keeps its slug from build to build and a new record's
id reads like the site's other URLs.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from jiangxin.text import HAN

MAX_SLUG = 48
HAN_RUN = re.compile(f"{HAN.pattern}+")
ASCII_WORD = re.compile(r"[a-z0-9]+")
_UMLAUT = re.compile("[üǖǘǚǜ]")
TOKEN = re.compile(f"{HAN_RUN.pattern}|{ASCII_WORD.pattern}")


def words(text: str) -> list[list[str]]:
    """The text as words of syllables: a run of Han characters is one word, so is a run of ASCII letters and digits."""
    # NFKD turns full-width letters into ASCII and drops accents (é → e); Han characters are unchanged.
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    out = []
    for token in TOKEN.findall(folded):
        if HAN_RUN.fullmatch(token):
            # Style.NORMAL: no tones, ü written as v (吕 → lv), as in everyday ASCII pinyin.
            syllables = [re.sub(r"[^a-z0-9]", "", s) for s in lazy_pinyin(token, style=Style.NORMAL, errors="ignore")]
            syllables = [s for s in syllables if s]
            if syllables:
                out.append(syllables)
        else:
            out.append([token])
    return out


def short_slug(text: str, max_chars: int) -> str:
    """Pinyin words joined by '-', keeping at most `max_chars` characters (syllables) of the text."""
    kept: list[str] = []
    left = max_chars
    for word in words(text):
        if left <= 0:
            break
        kept.append("".join(word[:left]))
        left -= len(word)
    return "-".join(kept)


def digest(value: str) -> str:
    """Six hex digits of the value's SHA-256: tells apart values whose pinyin coincide."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:6]


def slug(value: str) -> str:
    """An ASCII slug of a value: pinyin of each Han run written together, words joined by '-'.

    无棣县 → wudixian, 精密金属铸造 → jingmijinshuzhuzao, CNC 加工 → cnc-jiagong. Text with no
    letter, digit or Han character gets `v-` and a hash; longer than 48 characters, a hash ends it.
    """
    text = "-".join("".join(word) for word in words(value))
    if not text:
        return f"v-{digest(value)}"
    if len(text) > MAX_SLUG:
        return f"{text[: MAX_SLUG - 7].rstrip('-')}-{digest(value)}"
    return text


@functools.cache
def syllables_table() -> dict[str, str]:
    """Each Han character's reading as `words` writes it when the character stands alone, grouped by
    syllable ({"he": "何和河…"}): for the browser form, which proposes ids where pypinyin cannot run.

    Read from pypinyin's own table (first reading = lazy_pinyin's for a lone character) because
    calling lazy_pinyin 28,000 times costs two thirds of a second a build.
    """
    table: dict[str, list[str]] = {}
    for code, readings in pinyin_dict.items():
        char = chr(code)
        if not HAN.fullmatch(char):
            continue
        reading = _UMLAUT.sub("v", readings.split(",")[0])
        bare = "".join(c for c in unicodedata.normalize("NFKD", reading) if not unicodedata.combining(c))
        plain = re.sub(r"[^a-z0-9]", "", bare)
        if plain:
            table.setdefault(plain, []).append(char)
    return {syllable: "".join(chars) for syllable, chars in sorted(table.items())}
