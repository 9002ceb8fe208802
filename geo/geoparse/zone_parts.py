"""A zone's part named after the zone: 杭州高新区(滨江) + 萧山 + 特别合作园, X开发区 + 东部 + 片区.

A development zone runs branch parks and areas elsewhere, named by the zone's name, the place
or name of the part and a part's word (分园 园区 片区 集聚区 功能区 核心区 合作园). The whole is one zone
mention, the part: not the zone and a place beside it. It lies at the part's place when that is a
place read (萧山 → 萧山区), else where the zone lies (precision no finer than the zone's). The part
named again without the zone (萧山特别合作园) is the same part.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from geo.geoparse.anchors import SENTENCE_WORDS
from geo.geoparse.words import in_org_at
from geo.geoparse.zone_prefix import is_zone

if TYPE_CHECKING:
    from geo.geoparse.matches import RawMatch

PART_WORDS = ("产业集聚区", "集聚区", "功能区", "核心区", "合作园", "分园", "园区", "片区")
#: A name of its own after the zone, ending in a zone's suffix (永康经济开发区|老长城工业产业园区, an
#: industrial park inside the zone), is a zone of its own: a part named so only after a place.
_OWN_ZONE = ("园区", "产业集聚区")
#: After the part's place: its kind in a word or two, then the part's word (萧山|特别|合作园).
_PLACE_PART = re.compile("([\u4e00-\u9fff]{0,4}?)(" + "|".join(PART_WORDS) + ")")
#: A part's own name between the zone and the part's word: 2 to 6 characters (东部, 未来科技).
_NAMED_PART = re.compile("([\u4e00-\u9fff]{2,6}?)(" + "|".join(PART_WORDS) + ")")
#: Levels of a place a part is named after (杭州高新区(滨江)|萧山|特别合作园).
_PART_PLACE_LEVELS = frozenset(("city", "county", "township"))
#: Words of a sentence, not of a part's name (高新区建设园区, 开发区所有园区, 高新区的核心区).
_NOT_PART = re.compile(
    "[的和与及在将等把被对向从了是为个各这那其该也都并又还年月日号第亿万元内外]|"
    "建设|打造|发展|所有|全部|其他|相关|重点|主要|各个|多个|整个|部分|规划|新建|现有|已有"
)
_new = tuple.__new__
_PART_WORD = re.compile("|".join(PART_WORDS))
#: How far after a zone its part's word may start: a place's name (up to 11 characters: 黔西南布依族
#: 苗族自治州) and its kind (4), or a part's own name (6).
_PART_REACH = 16


def zone_parts(text: str, base: int, matches: list[RawMatch]) -> list[RawMatch]:
    """``matches`` with each zone followed by a part's name made the part (杭州高新区(滨江)|萧山|
    特别合作园 → one zone at 萧山区), and the part named again by its place alone (萧山特别合作园)."""
    out: list[RawMatch] = []
    again: dict[str, RawMatch] = {}  # 萧山特别合作园 → the part it names
    words = [w.start() for w in _PART_WORD.finditer(text)]  # (a part's word ends every part)
    i, n = 0, len(matches)
    while i < n:
        z = matches[i]
        nxt = matches[i + 1] if i + 1 < n else None
        k = bisect_left(words, z.end - base)
        near = k < len(words) and words[k] - (z.end - base) <= _PART_REACH
        part = _part_after(text, base, z, nxt) if near and not z.in_org and is_zone(z) else None
        if part is None:
            out.append(z)
            i += 1
            continue
        out.append(part)
        i += 1
        if part.anchor is not None and part.anchor is nxt:
            again.setdefault(text[nxt.start - base : part.end - base], part)
            i += 1
        while i < n and matches[i].start < part.end:
            i += 1  # (names read inside the part's own name: 萧山 of 杭州高新区(滨江)萧山特别合作园)
    return _parts_again(text, base, out, again) if again else out


def _part_after(text: str, base: int, z: RawMatch, nxt: RawMatch | None) -> RawMatch | None:
    pos = z.end - base
    if (
        nxt is not None
        and nxt.start == z.end
        and nxt.zone is None
        and not nxt.in_org
        and any(c.level in _PART_PLACE_LEVELS for c in nxt.entry.candidates)
    ):
        p = _PLACE_PART.match(text, nxt.end - base)
        if p is not None and not _not_a_name(p.group(1)):  # 杭州高新区(滨江)|萧山|特别合作园
            return _part(text, base, z, p.end(), nxt.entry, nxt)
    t = _NAMED_PART.match(text, pos)
    if t is None or not _named_part(t.group()) or _not_a_name(t.group(1)):
        return None
    if nxt is not None and nxt.start - base < t.end():
        return None  # (a name read inside the part's name is its place, or another zone's)
    # X高新区|东部|片区: a part the text places no finer than the zone
    return _part(text, base, z, t.end(), z.entry, z.anchor or z)


def _named_part(name: str) -> bool:
    """A part's name by a word of its own, not a zone's suffix (东部|片区, 科技|合作园)."""
    return name.endswith(PART_WORDS) and not name.endswith(_OWN_ZONE)


def _not_a_name(words: str) -> bool:
    """The words between the zone and the part's word are a sentence's (小镇位于印染|产业集聚区)."""
    return bool(words) and (_NOT_PART.search(words) is not None or SENTENCE_WORDS.search(words) is not None)


def _part(text: str, base: int, z: RawMatch, end: int, entry, anchor: RawMatch) -> RawMatch:
    name = "".join(text[z.start - base : end].split())
    return _new(
        type(z),
        (z.start, base + end, entry, in_org_at(text, end), True, z.after_foreign, False, None, anchor, name),
    )


def _parts_again(text: str, base: int, matches: list[RawMatch], again: dict[str, RawMatch]) -> list[RawMatch]:
    """萧山 + 特别合作园 after 杭州高新区(滨江)萧山特别合作园 was read: the part again, under its
    full name."""
    out: list[RawMatch] = []
    skip_to = -1
    for m in matches:
        if m.start < skip_to:
            continue
        p = _PLACE_PART.match(text, m.end - base) if m.zone is None else None
        part = again.get(text[m.start - base : p.end()]) if p is not None else None
        if p is None or part is None or part.start == m.start:
            out.append(m)
            continue
        end = p.end()
        out.append(part._replace(start=m.start, end=base + end, in_org=in_org_at(text, end), anchor=None))
        skip_to = base + end
    return out
