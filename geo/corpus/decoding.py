"""Decoding a corpus file's bytes: exact text, the encoding used, or a reason to skip it.

Why a plausibility check: GB18030 accepts almost any byte sequence, so a Big5 (Taiwan, Hong Kong)
file decodes as GB18030 without error, into nonsense (kana, Greek and rare characters) that
would be geoparsed and exported with exit 0. A decode other than UTF-8 is accepted only when its
non-ASCII characters are mostly common Chinese characters (GB2312's 6,763 or Big5's 5,401
frequent ones) or CJK punctuation; genuine text scores ~1.0, Big5 read as GB18030 ~0.25.
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import cache

from geo.errors import DecodeError

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
#: Below this share of plausible characters a decode is nonsense.
MIN_PLAUSIBLE = 0.8
#: Fewer non-ASCII characters than this say too little to judge: the decode is accepted.
MIN_SAMPLE = 20
_SAMPLE_CHARS = 1 << 20

#: Tried in order for bytes without a BOM; the legacy ones must also look like Chinese.
LEGACY_ENCODINGS = ("gb18030", "big5", "cp950")


@cache
def common_chinese() -> frozenset[str]:
    """GB2312 hanzi (simplified) and Big5's frequent hanzi (traditional), built from the codecs."""
    chars: set[str] = set()
    rows: list[tuple[str, range, list[int]]] = [
        ("gb2312", range(0xB0, 0xF8), [*range(0xA1, 0xFF)]),  # levels 1 and 2
        ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),  # frequent hanzi
    ]
    for codec, leads, trails in rows:
        for lead in leads:
            for trail in trails:
                with suppress(UnicodeDecodeError):  # unassigned code points
                    chars.add(bytes((lead, trail)).decode(codec))
    return frozenset(chars)


def _plausible_char(c: str) -> bool:
    o = ord(c)
    return (
        0x3000 <= o <= 0x303F  # CJK punctuation 。、《》
        or 0xFF00 <= o <= 0xFFEF  # full-width forms ，：（）
        or 0x2000 <= o <= 0x206F  # general punctuation “”…—
        or c in common_chinese()
    )


def plausibility(text: str) -> float | None:
    """Share of the non-ASCII characters (first MiB) that common Chinese text is made of;
    None when there are too few to judge."""
    chars = _NON_ASCII_RE.findall(text, 0, _SAMPLE_CHARS)
    if len(chars) < MIN_SAMPLE:
        return None
    return sum(map(_plausible_char, chars)) / len(chars)


def _check_binary(text: str, enc: str) -> None:
    controls = len(_CONTROL_RE.findall(text, 0, _SAMPLE_CHARS))
    if controls > max(8, min(len(text), _SAMPLE_CHARS) // 1000):
        raise DecodeError(f"binary file ({controls} control characters, decoded as {enc})", enc)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding used) of a file's bytes; DecodeError (with the encoding it tried, if any)
    when they are binary, undecodable or decode only to nonsense."""
    if not data:
        return "", "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)")
    else:
        candidates = ("utf-8", *LEGACY_ENCODINGS)
    first_error: UnicodeDecodeError | None = None
    implausible: list[str] = []
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            first_error = first_error or e
            continue
        _check_binary(text, enc)
        score = plausibility(text) if enc in LEGACY_ENCODINGS else None
        if score is not None and score < MIN_PLAUSIBLE:
            implausible.append(f"{enc} ({score:.0%} common Chinese characters)")
            continue
        return text, enc
    if implausible:
        raise DecodeError(
            f"decodes only to nonsense as {' or '.join(implausible)}: not a Chinese text in "
            f"{', '.join(LEGACY_ENCODINGS)}; save it as UTF-8",
            implausible[0].split(" ")[0],
        )
    where = f" (first bad byte at offset {first_error.start})" if first_error else ""
    raise DecodeError(f"cannot decode as {' or '.join(candidates)}{where}")
