"""Text helpers every floor shares: the Han character class, controls and invisible characters refused in
free text, and cutting a long value short for a message or a chart."""

from __future__ import annotations

import re

# One Han character: the CJK unified ideographs (basic block and extension A), the compatibility
# ideographs, and the two ideographic planes (extensions B to J and the compatibility supplement).
# Written as the characters themselves, not Python escapes, so the pattern reads the same in
# JavaScript (`new RegExp(HAN.pattern, "u")`; the "u" flag is needed for the planes past U+FFFF).
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# The rest of what the free-text pattern of common.schema.json refuses (a test keeps the two equal):
# format characters (Unicode Cf) and noncharacters. Bidi controls reorder what readers see
# (Trojan source); zero-width characters and tags hide text that copying and search still find.
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufdd0-\ufdef\ufeff\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f]"
)
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def truncate(value: object, limit: int) -> str:
    """The value as text of at most `limit` characters, cut with “…” when longer."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
