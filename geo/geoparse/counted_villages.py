"""Villages listed with their number after their township: 将牧野镇的前河头、后河头、尚村3个行政村划归….

Notices of boundary changes and news of villages name a township, then its villages by their
bare names (no 村 each), and close the list with how many there are and what they are:
``X镇的A、B、C3个行政村`` / ``X乡的A1个建制村``. The number is the evidence: when it equals the
number of names listed, each name is a village's (A → A村, a name already ending in 村 kept), placed
at that township like a village written after it (:mod:`geo.geoparse.villages`: the township's
chain and point, township precision). Without a township written in full right before the list
(its 的 allowed) nothing is read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geo.geoparse.villages import is_name

if TYPE_CHECKING:
    from geo.geoparse.matches import RawMatch

#: "8个行政村" / "两个建制村" / "3个村": the closing words, after the number (a literal first: the
#: regex engine skips to each 个).
_CLOSE = re.compile(r"个(?:行政|建制|自然)?村(?!民|庄|级|干部|集体)")
_NUMERAL = frozenset("0123456789一二两三四五六七八九十")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ITEM = re.compile(r"[\u4e00-\u9fff]{2,4}")
_SEPARATORS = ("、", "和", "及", "与")
_LEVELS = frozenset(("township", "county"))


def _number(s: str) -> int:
    """8 → 8, 十二 → 12, 两 → 2, 二十 → 20."""
    if not s:
        return 0
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _DIGITS.get(s, 0) if len(s) == 1 else 0
    tens, _, ones = s.partition("十")
    return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)


def counted_villages(text: str, base: int, matches: list[RawMatch]) -> list[RawMatch]:
    """``matches`` with the villages of each counted list added after their township (names
    found inside them, 临清 in 临清店, give way)."""
    added: list[RawMatch] = []
    for close in _CLOSE.finditer(text):
        at = close.start()
        while at > 0 and text[at - 1] in _NUMERAL and close.start() - at < 3:
            at -= 1
        n = _number(text[at : close.start()])
        listed = _items_before(text, at, n) if 0 < n <= 30 else None
        if listed is None:
            continue
        first_end, items = listed
        for first in range(first_end - 2, first_end - 5, -1):  # the first name: 2 to 4 characters
            anchor = _anchor_before(text, base, matches, first) if first > 0 else None
            if anchor is not None:
                break
        else:
            continue
        for s, e in [(first, first_end), *items]:
            if not _ITEM.fullmatch(text, s, e) or not _village_name(text[s:e]):
                break
        else:
            for s, e in [(first, first_end), *items]:
                name = text[s:e] if text[s:e].endswith("村") else text[s:e] + "村"
                fields = (base + s, base + e, anchor.entry, False, True, False, False, None, anchor, name)
                added.append(tuple.__new__(type(anchor), fields))
    if not added:
        return matches
    kept = [m for m in matches if not any(a.start < m.end and m.start < a.end for a in added)]
    return sorted(kept + added, key=lambda m: m.start)


def _village_name(name: str) -> bool:
    """A possible village name by the pattern rule's guards; a 村 inside it is part of the name
    (郭村岗, 尚村)."""
    core = name.replace("村", "")
    return bool(core) and is_name(core, "村")


def _items_before(text: str, end: int, n: int) -> tuple[int, list[tuple[int, int]]] | None:
    """The end of the first of ``n`` names listed before ``end`` and the spans of the others:
    separated by 、 (the last by 和/及/与 too), each of two to four characters."""
    items: list[tuple[int, int]] = []
    pos = end
    for _k in range(n - 1):
        start = pos
        while pos - start < 5 and start > 0 and text[start - 1] not in _SEPARATORS:
            start -= 1
        if pos - start < 2 or pos - start > 4 or start == 0 or text[start - 1] not in _SEPARATORS:
            return None
        items.append((start, pos))
        pos = start - 1
    items.reverse()
    return pos, items


def _anchor_before(text: str, base: int, matches: list[RawMatch], at: int) -> RawMatch | None:
    """The township (or county) written in full right before the list, its 的 allowed."""
    gap = 1 if text[at - 1 : at] == "的" else 0
    for m in matches:
        if m.end - base == at - gap:
            e = m.entry
            if e.short or e.wordlike or m.in_org or m.zone is not None:
                return None
            full = any(c.level in _LEVELS and c.kind == "full" for c in e.candidates)
            return m if full else None
    return None
