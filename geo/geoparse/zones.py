"""Zones by pattern: a place name + a descriptor + a zone suffix is one zone mention at that place.
A landmark suffix makes it a landmark in the same way (新化 + 大紫鹊界 + 景区, 闽江 + 河口 + 国家湿地公园).

No list names every 特色小镇, 产业园 or 开发区 a corpus may meet, but their names follow one shape:
德清 + 地理信息 + 小镇, 萧山 + 经济技术开发区, 上虞区 + e游 + 小镇 (and a free trade zone's area:
安徽 + 自贸试验区 + 芜湖片区, placed at 芜湖). The place in front (the *anchor*)
says where the zone is, no more: the mention keeps the zone's full name, takes the anchor's chain
and point, and its precision is never finer than the anchor's (a county anchor → county).

Guards against phrases that only end like a zone: the descriptor is at most 8 characters with no
function word or verb of a sentence (萧山加快推进产业园区建设 is not a zone), a bare suffix needs a
title-like suffix (永康经济开发区, not 杭州小镇), and 新城区 / 港口 are words, not zones. Curated rows
win: when another name starts inside the descriptor, that name is the anchor (or the curated zone).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from geo.geoparse.anchors import LANDMARK_SUFFIXES, SENTENCE_WORDS
from geo.geoparse.words import common_words, in_org_at, jieba_tags, word_bounds
from geo.geoparse.zone_former import former_county, named_after_former, town_of_former
from geo.geoparse.zone_parts import PART_WORDS, zone_parts
from geo.geoparse.zone_prefix import free_trade_zones

if TYPE_CHECKING:
    from geo.geoparse.matches import RawMatch

#: Zone suffixes, longest first (the regex alternation takes the first that fits).
ZONE_SUFFIXES = (
    "高新技术产业开发区",
    "自由贸易试验区",
    "高新技术产业园区",
    "经济技术开发区",
    "产业集聚区",
    "综合保税区",
    "经济开发区",
    "自贸试验区",
    "保税港区",
    "工业园区",
    "产业园区",
    "产业区块",
    "产业社区",
    "旅游度假区",
    "产业园",
    "工业城",
    "商务区",
    "科创园",
    "科技园",
    "工业园",
    "高新区",
    "经开区",
    "开发区",
    "自贸区",
    "保税区",
    "科技城",
    "科学城",
    "智造谷",
    "新区",
    "新城",
    "小镇",
    "园区",
    "科创区",
    "港",
)
#: Suffixes that name a zone with the place alone (永康经济开发区, 盐城经开区, 舟山港).
TITLE_SUFFIXES = frozenset(
    (
        "高新技术产业开发区",
        "自由贸易试验区",
        "自贸试验区",
        "自贸区",
        "保税港区",
        "保税区",
        "高新技术产业园区",
        "经济技术开发区",
        "产业集聚区",
        "综合保税区",
        "经济开发区",
        "工业园区",
        "高新区",
        "经开区",
        "开发区",
        "科技城",
        "科学城",
        "新区",
        "新城",
        "科创区",
        "港",
    )
)
#: A landmark suffix names the area with the place alone only after a landmark (龙虎山景区), 古镇
#: after a township (前童古镇: the old town of 前童镇) and 古城 after a city or county (漳州古城, 青州古城:
#: the old walled town of the city); otherwise after a city or county it is a category (杭州景区: the
#: city's scenic areas), after a township's short form a phrase (沿江湿地公园).
_DESCRIPTOR = r"[0-9A-Za-z\u4e00-\u9fff]{0,8}?"
_ALL_SUFFIXES = sorted(ZONE_SUFFIXES + LANDMARK_SUFFIXES, key=len, reverse=True)
_TAIL = re.compile(f"({_DESCRIPTOR})(" + "|".join(_ALL_SUFFIXES) + ")")
_SUFFIX = re.compile("|".join(_ALL_SUFFIXES))
_SUFFIX_AT_END = re.compile("(?:" + "|".join(_ALL_SUFFIXES) + ")$")
#: Descriptors that name a category, not a zone: 余杭区特色小镇 and 杭州特色小镇 are "the 特色小镇 of
#: 余杭/杭州" (浙江's programme of 特色小镇), not a town called so; 杭州城市公园, 萧山口袋公园 likewise.
_CATEGORY = frozenset(("特色", "特色产业", "城市", "口袋", "主题", "社区", "街心", "小微", "生态", "水乡"))
#: Regions that share their name with a township somewhere (江南镇 in several provinces): before a
#: landmark suffix they name the region's kind of place (江南古镇, 江南水乡古镇), not the town's.
_REGIONS = frozenset("江南 岭南 苏南 苏北 浙南 浙北 皖南 皖北 闽南 赣南 粤东 粤西".split())
#: Characters after a suffix that make it part of a longer word (新城区, 港口, 新区块).
_NOT_AFTER = {
    "新城": "区市",
    "新区": "块",
    "港": "口湾澳台股币元城区务村镇乡街路",  # 荻港村, 新港镇, 海港路: divisions' and streets' names
    "小镇": "上里",
    "园区": "内外",
    "古城": "区镇乡村街路",  # 丽江古城区, 古城镇: divisions' names
}
#: A landmark suffix right after a zone's suffix names the scenic area of the zone's name: 太湖溇港
#: (a 港 read as a zone) + 景区 is one landmark, 太湖溇港景区.
_LANDMARK_AT = re.compile("|".join(sorted(LANDMARK_SUFFIXES, key=len, reverse=True)))
#: A zone's suffix right after a zone's suffix: the first was part of the name (临沂|临港|经济开发区
#: read as 临|港 first; 临沂|临港|新区): the zone is named by the last.
_ZONE_AT = re.compile("|".join(ZONE_SUFFIXES))
#: A free trade zone's area is named by the place it lies in + 片区 (安徽自贸试验区芜湖片区): one zone.
_AREA_OF = frozenset(("自由贸易试验区", "自贸试验区", "自贸区"))
_DIVISION_SUFFIX = re.compile(r"(?:省|市|区|县|旗|盟|州|镇|乡|街道)$")


def find_zones(text: str, base: int, matches: list[RawMatch]) -> list[RawMatch]:
    """``matches`` with pattern zones added: a zone that starts with its anchor replaces it
    (德清|地理信息小镇 → 德清地理信息小镇); one after a full division name follows it (上虞区|e游小镇).

    Suffixes are found in one pass over the text; only a name ending at most 8 characters before
    one is looked at (most names are followed by no zone at all)."""
    starts = [s.start() for s in _SUFFIX.finditer(text)]
    if not starts:
        return matches
    out: list[RawMatch] = []
    for i, m in enumerate(matches):
        pos = m.end - base
        k = bisect_left(starts, pos)
        if k == len(starts) or starts[k] - pos > 8 or not m.entry.zone_anchor:
            out.append(m)
            continue
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        z = _zone_after(text, base, m, nxt)
        if z is None:
            out.append(m)
        elif z.start == m.start and out and out[-1].end == m.start and former_county(out[-1]):
            out.append(named_after_former(text, base, out.pop(), z))  # 江干|丁兰智慧小镇
        elif z.start == m.start:
            out.append(z)
        else:
            out.extend((m, z))
    if any(w in text for w in PART_WORDS):
        out = zone_parts(text, base, out)  # 杭州高新区(滨江)|萧山|特别合作园: one zone
    if any(m.zone is not None for m in out):
        out = zone_repeats(text, base, out)
    if "中国" in text and ("(" in text or "（" in text):
        return free_trade_zones(text, base, out)  # 中国(湖南)自由贸易试验区
    return out


def zone_repeats(text: str, base: int, matches: list[RawMatch]) -> list[RawMatch]:
    """A pattern zone named again in its article without its place: 三门沿海工业城建设提速……沿海工业城
    已入驻企业 — the second is the same zone. Only a name of 4 or more characters whose descriptor
    has 2 or more (沿海|工业城, 国际|商务区; never a bare suffix such as 高新区 or 开发区), and only
    where no other name is found. A development zone is named again by its descriptor alone too
    (临沂临港经济开发区……将临港确定为): see :func:`_by_descriptor`."""
    tails: dict[str, tuple[RawMatch, str, int]] = {}  # name again → (zone, not after, from where)
    for m in matches:
        if m.zone is None or m.anchor is None:
            continue
        own = text[max(m.anchor.end, m.start) - base : m.end - base]
        suffix = _SUFFIX_AT_END.search(own)
        if suffix is not None and len(own) >= 4 and suffix.start() >= 2 and own == "".join(own.split()):
            tails.setdefault(own, (m, _NOT_AFTER.get(suffix.group(), ""), 0))
            if _by_descriptor(own[: suffix.start()], suffix.group()):
                tails.setdefault(own[: suffix.start()], (m, "", m.end - base))
    if not tails:
        return matches
    taken = [(m.start - base, m.end - base) for m in matches]
    extra = []
    for own, (z, not_after, after) in tails.items():
        at = text.find(own, after)
        while at >= 0:
            end = at + len(own)
            free = all(e <= at or s >= end for s, e in taken)
            if (
                free
                and not (text[end : end + 1] and text[end] in not_after)
                and (not after or _alone(text, at, end))
            ):
                extra.append(
                    z._replace(start=base + at, end=base + end, in_org=in_org_at(text, end), anchor=None)
                )
                taken.append((at, end))
            at = text.find(own, end)
    if not extra:
        return matches
    return sorted(matches + extra, key=lambda m: m.start)


#: Suffixes of the development zones, whose descriptor alone names the zone again (临港, 江东).
_DEVELOPMENT = frozenset(("经济技术开发区", "经济开发区", "高新技术产业开发区", "开发区", "高新区", "经开区"))


def _by_descriptor(descriptor: str, suffix: str) -> bool:
    """临沂|临港|经济开发区 is 临港 again later in its article: a development zone's descriptor of 2 to 4
    characters that reads as a place's name to jieba (临港, 滨海: ns) or is no word it knows (临空),
    never a common noun (国家, 国际: 萧山国家经济技术开发区 is no 国家 again)."""
    if suffix not in _DEVELOPMENT or not 2 <= len(descriptor) <= 4 or descriptor in common_words():
        return False
    return jieba_tags().get(descriptor, "ns") == "ns"


def _alone(text: str, at: int, end: int) -> bool:
    """The descriptor is a word of its own in the sentence (为|临港|实体经济, not 北|临|港口) and no
    zone's name goes on after it (临港产业园 is another zone)."""
    if _SUFFIX.match(text, end) is not None:
        return False
    lo = max(0, at - 3)
    bounds = word_bounds(text[lo : end + 3])
    return (at - lo) in bounds and (end - lo) in bounds


#: After a listed landmark's name these make it part of a street's, a division's or an estate's
#: name (长江路, 黄河路街道, 长江新城街道, 太湖花园), not the landmark.
_PART_AFTER = re.compile(r"路|街|大道|大街|巷|弄|村|镇|乡|社区|新城|新区|小区|花园|苑|广场")


def landmark_parts(text: str, base: int, matches: list[RawMatch]) -> list[RawMatch]:
    """``matches`` without the landmark names that begin a longer name of another kind: 长江 in
    长江路 or 长江新城街道 is a street's or a division's name, not the river."""
    return [
        m
        for m in matches
        if m.zone is not None
        or not m.entry.candidates
        or m.entry.candidates[0].level != "landmark"
        or any(c.level != "landmark" for c in m.entry.candidates)
        or not _part_of_name(text, m.end - base, m.entry.candidates[0].province is None)
    ]


def _part_of_name(text: str, pos: int, nowhere: bool) -> bool:
    """A street's or division's name goes on at ``pos`` (长江|路); or, after a landmark that lies in
    no one province (长城), a zone's name (老长城|工业产业园区: a park in 永康, not the wall)."""
    if _PART_AFTER.match(text, pos) is not None:
        return True
    t = _TAIL.match(text, pos) if nowhere else None
    return t is not None and t.group(2) not in LANDMARK_SUFFIXES and not SENTENCE_WORDS.search(t.group(1))


def _word_goes_on(text: str, suffix: re.Match) -> bool:
    """The suffix is the start of a longer word (新城|区, 新区|块): it chains no zone's name."""
    after = text[suffix.end() : suffix.end() + 1]
    return bool(after) and after in _NOT_AFTER.get(suffix.group(), "")


def _landmark_title(e, suffix: str) -> bool:
    """龙虎山|景区, 前童|古镇, 漳州|古城, 武夷山|国家公园: a landmark suffix right after a landmark,
    古镇 after a township, 古城 after a city or county, 国家公园 after any place; never after a name
    that is itself such a suffix (古城古镇古村: three kinds of place, 古城 being also a district's
    short form)."""
    if suffix not in LANDMARK_SUFFIXES or e.surface in LANDMARK_SUFFIXES:
        return False
    return any(
        c.level == "landmark"
        or (c.level == "township" and suffix == "古镇")
        or (c.level in ("city", "county") and suffix == "古城")
        or suffix == "国家公园"  # 武夷山国家公园, 神农架国家公园: a park of its own
        for c in e.candidates
    )


def _word_inside(m: RawMatch, nxt: RawMatch, base: int, end: int, suffix_at: int) -> bool:
    """A name inside the zone's name that is an ordinary word too and no place of the anchor's:
    the suffix itself (长沙会展|新城), or a word of the descriptor naming a county elsewhere
    (金华|新兴|产业集聚区: 新兴县 is in 广东). A county of the anchor's is the zone's own anchor
    (连云港|东海|高新区: 东海县 is in 连云港)."""
    e = nxt.entry
    if not e.wordlike or nxt.end - base > end:
        return False
    if nxt.start - base >= suffix_at:
        return True
    outer = {c.pid for c in m.entry.candidates}
    return e.short and not any(not outer.isdisjoint(c.ancestors) for c in e.candidates)


def _short_inside(m: RawMatch, nxt: RawMatch, at_suffix: bool) -> bool:
    """A short form inside a landmark's name, not right after the anchor, and no place of the
    anchor's: a piece of the descriptor's word (宜都|天龙湾|国家湿地公园: 龙湾区 is in 温州) or the
    suffix (漳州|古城: 古城区 is in 丽江), not the anchor of the name (连云港|东海|高新区)."""
    e = nxt.entry
    if (nxt.start == m.end and not at_suffix) or not e.short or any(c.kind != "short" for c in e.candidates):
        return False
    if at_suffix:
        return True  # 丽江|古城: the old town, though 古城区 is a district of 丽江 (not 丽江古城区)
    outer = {c.pid for c in m.entry.candidates}
    return not any(not outer.isdisjoint(c.ancestors) for c in e.candidates)


def _zone_after(text: str, base: int, m: RawMatch, nxt: RawMatch | None) -> RawMatch | None:
    e = m.entry
    if m.zone is not None or m.in_org:
        return None
    pos = m.end - base
    t = _TAIL.match(text, pos)
    if t is None:
        return None
    descriptor, suffix = t.group(1), t.group(2)
    if suffix not in LANDMARK_SUFFIXES and all(
        c.level == "landmark" and c.province is None for c in e.candidates
    ):
        return None  # 长城工业园区: a landmark across provinces places no zone
    end = t.end()
    area = None
    if suffix not in LANDMARK_SUFFIXES:
        longer = _ZONE_AT.match(text, end)
        if longer is not None and len(longer.group()) > 1 and not _word_goes_on(text, longer):
            end, suffix = longer.end(), longer.group()
        more = _LANDMARK_AT.match(text, end)
        if more is not None:  # 太湖溇港|景区: the scenic area
            end, suffix = more.end(), more.group()
    if (
        nxt is not None
        and nxt.start - base < end
        and not _word_inside(m, nxt, base, end, t.start(2))
        and not town_of_former(m, nxt)
        and not (
            suffix in LANDMARK_SUFFIXES
            and nxt.end - base <= end
            and _short_inside(m, nxt, nxt.start - base >= t.start(2))
        )
    ):
        return None  # another name inside: it is the anchor, or a curated zone that wins
    if (
        suffix in _AREA_OF
        and nxt is not None
        and nxt.start - base == end
        and text.startswith("片区", nxt.end - base)
    ):
        end = nxt.end - base + 2  # 安徽自贸试验区|芜湖|片区: the area is the zone named, in 芜湖
        area = nxt.entry
    if text[end : end + 1] and text[end] in _NOT_AFTER.get(suffix, ""):
        return None
    if suffix in LANDMARK_SUFFIXES and e.surface in _REGIONS:
        return None
    if descriptor and (descriptor in _CATEGORY or SENTENCE_WORDS.search(descriptor)):
        return None
    full_division = (
        not e.short
        and e.candidates[0].kind != "literary"  # 嘉州|绿心公园: the park is named after 嘉州, no division
        and _DIVISION_SUFFIX.search(e.surface) is not None
    )
    if full_division:
        # 上虞区e游小镇: the division stays a mention; the zone is what follows, named in full
        if len(descriptor) < 2:
            return None
        start = pos
    else:
        if not descriptor and suffix not in TITLE_SUFFIXES and not _landmark_title(e, suffix):
            return None  # 杭州小镇, 萧山园区, 杭州景区: a place and a common noun
        start = m.start - base
    name = "".join(text[start:end].split())
    # m with: its span, in_org after the zone, admin_after, no word continuation or alternative
    return tuple.__new__(
        type(m),
        (
            base + start,
            base + end,
            area or e,
            in_org_at(text, end),
            True,
            m.after_foreign,
            False,
            None,
            m,
            name,
        ),
    )
