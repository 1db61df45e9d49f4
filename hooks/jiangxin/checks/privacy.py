"""Personal data that must never be published: resident ID numbers and mobile numbers.

A number is found however it is written: in any Unicode digits (full-width,
circled, mathematical), in Chinese numerals read out digit by digit (一三八〇〇…),
with spaces, line breaks, hyphens, dots, slashes, Markdown marks, inline HTML
tags or invisible characters between its groups, glued to letters as in a URL.
What keeps ordinary figures out is the number itself: an ID number must have a
valid GB 11643 check character and birth date, a mobile number 11 digits
starting 13–19, and either must consist of whole digit groups (a window of
groups, never part of a longer group). Organizations' public landlines
(0543-xxxxxxx) therefore stay allowed.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import operator
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import accumulate
from pathlib import Path
from typing import Protocol

from jiangxin.problems import Problem

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
ID_NUMBER = re.compile(r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]")
MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Every position where one starts (overlapping matches).
ID_AT = re.compile(rf"(?={ID_NUMBER.pattern})")
MOBILE_AT = re.compile(rf"(?={MOBILE.pattern})")
# Country code written before a mobile number in the same digit group (8613800138000).
COUNTRY = ("86", "0086")

# Chinese numerals as used when a number is read out digit by digit (幺 is the spoken 1, ○ a common
# zero in years). 两 is left out: it means "two of" and is never used for a digit.
CHINESE = dict(zip("〇○零幺一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖", "0001123456789122334566789", strict=True))
# Digits that are not decimal digits (\d): circled, parenthesised, superscript and subscript forms.
OTHER_DIGITS = "".join(
    chr(c)
    for c in (*range(0xB2, 0xBA), *range(0x2070, 0x2090), *range(0x2460, 0x2500), *range(0x2776, 0x2794))
    if unicodedata.category(chr(c)) == "No" and unicodedata.digit(chr(c), None) is not None
)
DIGIT = rf"[\d{OTHER_DIGITS}{''.join(CHINESE)}]"
# What may stand between two digit groups of one number: white space and line breaks, separators
# (ASCII and full-width), Markdown marks and escapes, invisible characters, inline HTML tags and comments.
# The characters a reader does not see there, which the digit joiner skips (not `text.INVISIBLE`,
# the format characters free text refuses: this set adds combining marks and fillers, and is a class body).
UNSEEN_BETWEEN_DIGITS = (
    r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    # Combining marks (a keycap "1\ufe0f\u20e3", a tilde over a digit) still read as the digit; the
    # braille blank, annotation and tag characters show nothing.
    r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u2800\ufff9-\ufffb"
    r"\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef"
)
SIGNS = "-‐‑‒–—―−﹘﹣－.．·・･•‧∙⋅/／⁄∕、"  # visible separators (the rest are marks and escapes)
SEPARATOR = re.escape(SIGNS) + r"\\＼*＊_＿`｀~～"
INLINE_TAGS = (
    "a|abbr|b|bdi|bdo|br|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u"
    "|var|wbr"
)
MARKUP = rf"(?i:</?(?:{INLINE_TAGS})\b[^<>]{{0,500}}>)|<!--(?:[^-]|-(?!->)){{0,500}}-->"
GAP = rf"(?:\s++|[{SEPARATOR}{UNSEEN_BETWEEN_DIGITS}]|{MARKUP})"
# Possessive throughout: a gap is never split two ways, so a failed match costs linear time.
RUN = re.compile(rf"{DIGIT}(?:{GAP}{{0,24}}+{DIGIT})*+(?:{GAP}{{0,24}}+[XxＸｘ])?")
# A group of digits of one script (decimal digits, Chinese numerals), the X check character, or a gap.
TOKEN = re.compile(rf"([\d{OTHER_DIGITS}]+|[{''.join(CHINESE)}]+)|([XxＸｘ])|({GAP}++)")
GAPS = re.compile(GAP)
SPLIT = re.compile(f"((?:{GAP})++)")
TAGS = re.compile(MARKUP)
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# SVG geometry: long lists of small numbers that are drawn, never read as text.
GEOMETRY = frozenset({"d", "points", "viewbox", "transform"})
BLOCK = "\x00"  # joins nothing: stands for a tag that ends a run of text in scan_html
# Published as they are; what is in them is not read here (image metadata is checked elsewhere).
BINARY = re.compile(
    r"\.(?:png|jpe?g|gif|webp|avif|bmp|ico|tiff?|heic|heif|mp3|mp4|m4a|m4v|mov|webm|og[gv]|wav|flac|aac|avi|mkv"
    r"|woff2?|ttf|otf|eot|pdf|zip|t?gz|bz2|xz|7z|rar|docx?|xlsx?|pptx?|od[tsp])",
    re.IGNORECASE,
)
HTML_LIKE = frozenset({".html", ".htm", ".xhtml", ".svg", ".xml"})
# The problem code of each kind of finding.
CODES = {"居民身份证号": "privacy.id-number", "手机号码": "privacy.mobile"}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its 1-based line (and column) and what kind it is, in Chinese."""

    line: int
    kind: str
    masked: str
    column: int = 0

    @property
    def code(self) -> str:
        return CODES[self.kind]


def valid_id_number(number: str) -> bool:
    """True if an 18-character resident ID number has a correct GB 11643 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(map(operator.mul, map(int, number[:17]), WEIGHTS))  # map: a flood holds 25,000
    return CHECK[total % 11] == number[17].upper()


def _mask(text: str) -> str:
    return text[:3] + "*" * max(len(text) - 7, 1) + text[-4:] if len(text) > 7 else "*" * len(text)


def _digit(char: str) -> str:
    return CHINESE.get(char) or str(unicodedata.digit(char))


@functools.lru_cache(maxsize=4096)
def _gap(text: str) -> str:
    """What a gap between two digit groups is: "" (spaces, marks, tags), "line", "sign" or "cut"."""
    if "<" in text:  # what a tag or comment holds is no separator
        text = TAGS.sub("", text)
    line = LINE_BREAK.search(text) is not None
    sign = any(c in SIGNS for c in text)
    # A line break next to a sign is a list or a line that ends in a figure, never one number.
    return "cut" if line and sign else "line" if line else "sign" if sign else ""


def _whole(gaps: list[str]) -> bool:
    # A number split over lines joins only by spaces and marks: "…169\n2019-2027 年" is two figures.
    return "cut" not in gaps and not ("line" in gaps and "sign" in gaps)


def _candidate(run: str) -> bool:
    """Whether the digits of `run`, gaps left out, hold an ID or mobile number at all (a fast first look)."""
    text = GAPS.sub("", run)
    if not text.isascii():
        text = "".join("X" if c in "XxＸｘ" else _digit(c) for c in text)
    return bool(ID_NUMBER.search(text) or MOBILE.search(text))


def _groups(run: str) -> tuple[str, list[int], list[int], list[str]]:
    """The digits of `run` without its gaps, where each digit group starts in them and in `run`, and
    the kind of gap (see `_gap`) before each group ("" before the first)."""
    parts = SPLIT.split(run)
    groups = parts[::2]
    text = "".join(groups)
    if text.isascii() and text.isdigit():
        # Only decimal digits and gaps, as in a flood: each group is one part, found at C speed.
        offsets = list(accumulate(map(len, parts), initial=0))[::2]
        return (
            text,
            list(accumulate(map(len, groups[:-1]), initial=0)),
            offsets[: len(groups)],
            ["", *map(_gap, parts[1::2])],
        )
    digits: list[str] = []
    group_at: list[int] = []
    group_offset: list[int] = []  # a group is one token or several without a gap: one character per digit
    kinds: list[str] = []
    size = at = 0
    gap: str | None = None
    last = ""
    # findall, not finditer: no match object per token.
    for chars, check, between in TOKEN.findall(run):
        if between:
            gap = between
            at += len(between)
            continue
        chars = chars or check
        # Arabic digits, Chinese numerals and the X check character each make their own groups.
        script = "x" if check else "zh" if chars[0] in CHINESE else "0"
        if gap is not None or script != last:
            kinds.append(_gap(gap) if gap else "")
            group_at.append(size)
            group_offset.append(at)
        gap, last = None, script
        digits.append("X" if check else chars if chars.isascii() else "".join(map(_digit, chars)))
        size += len(chars)
        at += len(chars)
    return "".join(digits), group_at, group_offset, kinds


def _numbers(run: str) -> list[tuple[int, str, str]]:
    """(offset in `run`, kind, digits) of each ID or mobile number made of whole digit groups of `run`."""
    if not _candidate(run):
        return []
    # Linear in the run, by whole groups: a record of 40,000 numbers or 250,000 spaced digits is
    # answered within the loader's second.
    text, group_at, group_offset, kinds = _groups(run)
    size = len(text)
    # How many groups before each follow a gap with a line break, a sign, or both ("cut"): `whole` in O(1).
    lines = list(accumulate(map("line".__eq__, kinds), initial=0))
    signs = list(accumulate(map("sign".__eq__, kinds), initial=0))
    cuts = list(accumulate(map("cut".__eq__, kinds), initial=0))
    group = {at: i for i, at in enumerate(group_at)}  # group start in the digits -> its index
    group[size] = len(group_at)

    def whole(start: int, end: int) -> bool:
        # `end` is a group boundary; the gaps that count are those of the groups strictly inside.
        first, stop = bisect.bisect_right(group_at, start), group[end]
        line, sign = lines[stop] - lines[first], signs[stop] - signs[first]
        return cuts[stop] == cuts[first] and not (line and sign)

    def offset(at: int) -> int:
        i = bisect.bisect_right(group_at, at) - 1
        return group_offset[i] + at - group_at[i]

    found: list[tuple[int, str, str]] = []
    taken = bytearray(size)
    # Only where the digits match at all: a run of 160,000 groups is not tried group by group.
    for match in ID_AT.finditer(text):
        start = match.start()
        number = text[start : start + 18]
        if start in group and start + 18 in group and valid_id_number(number) and whole(start, start + 18):
            found.append((offset(start), "居民身份证号", number))
            taken[start : start + 18] = b"\x01" * 18
    candidates = []
    for match in MOBILE_AT.finditer(text):
        at = match.start()
        if at + 11 in group:
            if at in group:
                candidates.append((at, at))
            for prefix in COUNTRY:
                start = at - len(prefix)
                if start in group and text.startswith(prefix, start):
                    candidates.append((start, at))
    for _start, at in sorted(candidates):
        if taken.find(1, at, at + 11) == -1 and whole(at, at + 11):
            found.append((offset(at), "手机号码", text[at : at + 11]))
            taken[at : at + 11] = b"\x01" * 11
    return found


def find(text: str) -> list[tuple[int, str, str]]:
    """(index in `text`, kind, digits) of every ID number and mobile number, in order."""
    found: list[tuple[int, str, str]] = []
    for run in RUN.finditer(text):
        if run.end() - run.start() >= 11:  # fewer characters cannot hold 11 digits
            found.extend((run.start() + at, kind, number) for at, kind, number in _numbers(run.group()))
    return sorted(found)


def scan(text: str) -> list[Finding]:
    """Every resident ID number (valid checksum) and mobile number in `text`, at the line where it starts."""
    found = find(text)
    if not found:
        return []
    breaks = [m.end() for m in LINE_BREAK.finditer(text)]
    findings = []
    for index, kind, number in found:
        line = bisect.bisect_right(breaks, index)
        column = index - (breaks[line - 1] if line else 0) + 1
        findings.append(Finding(line + 1, kind, _mask(number), column))
    return findings


class _Text(HTMLParser):
    """The text and attribute values of an HTML page as one string, with each piece's source line.

    Inline tags and comments join the text on both sides (a number split by <strong> still reads as
    one); any other tag and every attribute value stand apart.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.starts: list[int] = []  # offset of each part in the joined text
        self.lines: list[int] = []  # source line of each part
        self.size = 0

    def _add(self, text: str, line: int) -> None:
        self.starts.append(self.size)
        self.lines.append(line)
        self.parts.append(text)
        self.size += len(text)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        inline = re.fullmatch(INLINE_TAGS, tag) is not None
        if not inline:
            self._add(BLOCK, line)
        for name, value in attrs:
            if value and name not in GEOMETRY:
                self._add(f"{BLOCK}{value}{BLOCK}", line)

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_endtag(self, tag):
        if re.fullmatch(INLINE_TAGS, tag) is None:
            self._add(BLOCK, self.getpos()[0])

    def handle_data(self, data):
        self._add(data, self.getpos()[0])


def scan_html(html: str) -> list[Finding]:
    """`scan` of an HTML page: its text (entities decoded, inline tags joined) and every attribute value."""
    if not RUN.search(html):
        return []
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    findings = []
    for index, kind, number in find(text):
        part = bisect.bisect_right(parser.starts, index) - 1
        line = parser.lines[part] + len(LINE_BREAK.findall(text, parser.starts[part], index))
        findings.append(Finding(line, kind, _mask(number)))
    return findings


def check_published(text: str, path: str, *, html: bool = True, note: str = "") -> list[Problem]:
    """Each piece of personal data in a text about to be published as `path`, in the order found.

    HTML is read by its text and attribute values, and its lines mean nothing to editors;
    a CSV or JSON file's lines name the row. `note` (the problem's field) says what `path` is.
    """
    findings = scan_html(text) if html else scan(text)
    return [Problem(path, 0 if html else f.line, 0, note, message(f), code=f.code) for f in findings]


class Published(Protocol):
    """A generated file as the site builders hand it over (their `Asset`): where it goes and its bytes."""

    @property
    def path(self) -> str: ...
    @property
    def content(self) -> str | bytes: ...


def check_assets(
    assets: Iterable[Published], known: dict[tuple[str, bytes], list[Problem]] | None = None
) -> list[Problem]:
    """`check_published` of every generated file (open data, feeds, posters, QR codes).

    `known`: the lines of the last call's files by path and content digest, which `mkdocs serve`
    keeps between rebuilds so that only changed files are scanned again; replaced by this call's.
    """
    problems: list[Problem] = []
    scanned = {}
    for asset in assets:
        data = asset.content.encode("utf-8") if isinstance(asset.content, str) else asset.content
        key = (asset.path, hashlib.blake2b(data, digest_size=16).digest())
        found = known.get(key) if known is not None else None
        if found is None:
            text = data.decode("utf-8", "replace")
            html = asset.path.endswith((".html", ".svg", ".xml"))
            found = check_published(text, asset.path, html=html, note="" if html else "由记录生成，请改记录")
        scanned[key] = found
        problems += found
    if known is not None:
        known.clear()
        known.update(scanned)
    return problems


def message(finding: Finding) -> str:
    """The Chinese message for a finding: what it is and how to fix it."""
    return (
        f"含有个人信息（{finding.kind} {finding.masked}），不能公开发布。请删去；需要联系方式时请写单位的公开座机号码。"
    )


def name_message(finding: Finding) -> str:
    """The Chinese message for a number in a file name (the name becomes a URL and an id in the open data)."""
    return (
        f"文件名含有个人信息（{finding.kind} {finding.masked}）：文件名会成为网址和开放数据里的编号，不能公开发布。"
        "请改用不含号码的文件名（如领衔人姓名的拼音）。"
    )


def strings(value: object, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every string in a parsed value, mapping keys included (at their mapping's path)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key, path)
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, (*path, i))


def check_files(
    docs_dir: Path, rel: Callable[[Path], str], is_record: Callable[[Path], bool], pages: tuple[str, ...]
) -> list[Problem]:
    """Personal data in the name of every file under `docs_dir` and in every text file.

    Records (`is_record`) are checked by the loader, names and text; pages (suffixes `pages`, checked
    with the content policy) only by name here.
    """
    problems = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs.sort()
        for name in sorted(names):
            file = Path(folder, name)
            if is_record(file):
                continue
            found = scan(file.relative_to(docs_dir).as_posix())
            if found:
                problems.append(Problem.file(rel(file), "privacy.file-name", name_message(found[0])))
            if file.suffix.lower() not in pages and not BINARY.fullmatch(file.suffix) and file.is_file():
                problems.extend(check_file(file, rel(file)))
    return problems


def check_file(file: Path, rel: str) -> list[Problem]:
    """Personal data in one text file (HTML and SVG by their text and attribute values); none in a binary file."""
    text = _text(file)
    if text is None:
        return []
    found = scan_html(text) if file.suffix.lower() in HTML_LIKE else scan(text)
    problems = [Problem(rel, f.line, f.column, "", message(f), code=f.code) for f in found]
    if file.suffix.lower() == ".json":  # "\u0031"-style escapes show only in the parsed strings
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        known = {f.masked for f in found}
        for path, string in strings(value):
            for finding in scan(string):
                if finding.masked not in known:
                    known.add(finding.masked)
                    problems.append(Problem(rel, 0, 0, _path(path), message(finding), code=finding.code))
    return problems


def _path(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _text(file: Path) -> str | None:
    """A file's text if it is text (UTF-8, UTF-16 with a BOM, or GBK as Windows saves it), else None."""
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if b"\x00" in raw[:8192]:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
