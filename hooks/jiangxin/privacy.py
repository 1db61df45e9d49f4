"""Personal data that must never be published: resident ID numbers and mobile numbers.

Organizations' public landlines (0543-xxxxxxx) stay allowed. Full-width digits
and separators are normalised first, since Chinese input methods produce them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])([1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx])(?![0-9A-Za-z])"
)
# Cheap pre-filter: both patterns need at least 11 digits, at most a few separators apart.
DIGIT = re.compile(r"(?:[0-9][^0-9]{0,3}){11}")
TAG = re.compile(r"<[^>]+>")
MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[\s\-]*)?(1[3-9][0-9](?:[\s\-]*[0-9]){8})(?![0-9])")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its 1-based line and what kind it is, in Chinese."""

    line: int
    kind: str
    masked: str


def valid_id_number(number: str) -> bool:
    """True if an 18-character resident ID number has a correct GB 11643 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], WEIGHTS, strict=True))
    return CHECK[total % 11] == number[17].upper()


def _mask(text: str) -> str:
    return text[:3] + "*" * max(len(text) - 7, 1) + text[-4:] if len(text) > 7 else "*" * len(text)


def scan(text: str) -> list[Finding]:
    """Every resident ID number (valid checksum) and mobile number in `text`, by line."""
    found = []
    # NFKC maps full-width digits to ASCII one for one and adds no line breaks, so lines stay aligned.
    text = unicodedata.normalize("NFKC", text).replace("\u2014", "-").replace("\u2013", "-")
    for number, plain in enumerate(text.split("\n"), start=1):
        if not DIGIT.search(plain):
            continue
        for match in ID_NUMBER.finditer(plain):
            if valid_id_number(match.group(1)):
                found.append(Finding(number, "居民身份证号", _mask(match.group(1))))
        for match in MOBILE.finditer(plain):
            digits = re.sub(r"\D", "", match.group(1))
            found.append(Finding(number, "手机号码", _mask(digits)))
    return found


def scan_html(html: str) -> list[Finding]:
    """`scan` of an HTML page's text, tags taken out (a number split by markup still reads as one)."""
    return scan(TAG.sub(" ", html))


def message(finding: Finding) -> str:
    """The Chinese message for a finding: what it is and how to fix it."""
    return (
        f"含有个人信息（{finding.kind} {finding.masked}），不能公开发布。请删去；需要联系方式时请写单位的公开座机号码。"
    )
