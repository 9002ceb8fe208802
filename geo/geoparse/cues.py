"""What the words around a name say about it: a list it stands in (北京、上海), a count closing
a list of counties (新河和巨鹿两县), the year the text is written in (an old name read in its
time), whether a township's short form stands as a name (not “七星服务”, not 七星级)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from geo.geoparse.words import word_bounds

if TYPE_CHECKING:
    from geo.geoparse.recognize import RawMatch


def in_list(m: RawMatch, text: str, base: int) -> bool:
    """An element of an enumeration: 北京、上海、广州、深圳."""
    before = text[m.start - base - 1 : m.start - base] if m.start > base else ""
    return before == "、" or text[m.end - base : m.end - base + 1] == "、"


#: After a county's short form in a list, the count that names the list's level: 新河和巨鹿两县,
#: 淳安、建德、桐庐三县, 德清等县 — the list says these are counties.
_COUNTED_COUNTIES = re.compile(
    r"(?:[、和与及][\u4e00-\u9fff]{2,4}?){0,5}(?:[两二三四五六七八九十几等各]个?)(?:县|区县|县区|县市|市县)"
)


def counted_county(m: RawMatch, text: str, base: int) -> bool:
    """A county's short form in a list closed by a count of counties (新河和巨鹿两县)."""
    return _COUNTED_COUNTIES.match(text, m.end - base) is not None


_YEAR = re.compile(r"(19[4-9][0-9]|20[0-4][0-9])\s*年")


@lru_cache(maxsize=8)
def text_year(text: str) -> int | None:
    """The first year an article writes (2015年…): the time the text is read in."""
    y = _YEAR.search(text)
    return int(y.group(1)) if y else None


def era_bonus(until: int, text: str) -> float:
    """A former name read in its text's time: in a 2026 text 江北区 is rather 宁波's current district
    than 重庆's abolished one (gone in 2025); up to that year both readings stand on evidence."""
    year = text_year(text)
    if year is None:
        return 0.0
    return -2.0 if year > until else 0.0


_OPEN_QUOTE = frozenset("“「《‘\"")
_CLOSE_QUOTE = frozenset("”」》’\"")
_STOP_RUN = re.compile(r"[^\s，。；：、,.;:!?！？“”\"（）()的和与及等是在为将]{0,10}")
#: A run ending in one of these names a facility or a group, not the township (石林水上运动中心).
_FACILITY_TAIL = re.compile(r"(?:中心|公园|码头|广场|基地|景区|馆|分会|社|队|群|号|园|苑|小区|初中)$")
_FACILITY_WORD = re.compile(r"中心|公园|码头|广场|基地|景区|小区|大剧院|体育场|度假区|开发区|园区")


def short_form_stands(text: str, s: int, e: int) -> bool:
    """A township's short form at [s, e) names the township: not a brand in quotes (“七星服务”),
    not the start of a longer word (七星级), not a facility's name (石林水上运动中心)."""
    if quoted_brand(text, s, e):
        return False
    if (e - s) not in word_bounds(text[s : s + 8]):
        return False  # 七星级: the short form is the start of a longer word
    return not facility_after(text, e)


def quoted_brand(text: str, s: int, e: int) -> bool:
    """The name at [s, e) opens a quoted phrase that goes on after it: a brand or a slogan
    (“七星服务”, “齐鲁粮仓”), not the name quoted alone (“三秦”)."""
    return s > 0 and text[s - 1] in _OPEN_QUOTE and text[e : e + 1] not in _CLOSE_QUOTE


#: After a name these make it part of a street's, a mountain's, a bridge's or a village's name
#: (泉城路, 金陵大街, 三衢山, 鹏城村): the unit's literary name, but not the unit.
_NAME_PART = re.compile(r"路|街|大道|巷|弄|村|镇|乡|社区|小区|花园|苑|山|桥|湖|江|中学|小学|一中|二中")


def name_part_after(text: str, e: int) -> bool:
    """The name ending at ``e`` begins a street's, mountain's or village's name (泉城路, 三衢山)."""
    return _NAME_PART.match(text, e) is not None


def facility_after(text: str, e: int, reach: int = 0) -> bool:
    """The words after a name up to the next stop end in a facility's or a park's name: the name
    begins that facility's (石林水上运动中心); with ``reach``, such a word ends within ``reach``
    characters, whatever follows (嘉州绿心公园散步, 泉城广场人头攒动)."""
    run = _STOP_RUN.match(text, e)
    if run is None or not run.group():
        return False
    if reach:
        return _FACILITY_WORD.search(run.group()[:reach]) is not None
    return _FACILITY_TAIL.search(run.group()) is not None


#: Words before a place one travels from or to (从海口出发, 抵达南昌, 前往文昌, 赴琼海): the name there is
#: a place, whatever else the word means (夸下海口 is a boast, 从海口出发 a journey).
_TRAVEL_TO = re.compile(
    "(?:前往|赶赴|奔赴|飞赴|飞抵|抵达|到达|来到|回到|返回|途经|飞往|开往|驶往|去往|直达|远赴|转战|赴|来自)了?$"
)
#: After 从/自 + a name, the journey's verb (从海口出发, 自南昌驱车): 从 alone is no cue (从海口看).
_TRAVEL_FROM = re.compile("出发|启程|驱车|乘车|坐车|乘坐|搭乘|飞|转车|赶|来|到|前往|返回|一路")


def travel_cue(m: RawMatch, text: str, base: int) -> bool:
    """The name is where a journey goes or starts (抵达|海口, 从|南昌|出发), written as a word of its
    own (前往文昌市 is read in full anyway; 到达海口港 is the port's start, not the city alone)."""
    s, e = m.start - base, m.end - base
    if s > 0 and text[s - 1] in "从自" and text[s - 2 : s] != "来自":  # (来自海口的: a place)
        if _TRAVEL_FROM.match(text, e) is None:
            return False
    elif _TRAVEL_TO.search(text, max(0, s - 3), s) is None:
        return False
    return (e - s) in word_bounds(text[s : s + 6])


#: After a city's short form, the people from there (四位南昌影友, 海口市民, 一名文昌籍学生): the city.
_PEOPLE_OF = re.compile("(?:籍|游客|市民|网友|影友|车友|驴友|客商|老乡|考生|球迷|乡亲|姑娘|小伙)")


def people_of(m: RawMatch, text: str, base: int) -> bool:
    """A city's short form right before the people from there (南昌|影友, 海口|市民), where the name
    ends a word: they come from the city (an adjective of origin, as 杭州人)."""
    s, e = m.start - base, m.end - base
    return _PEOPLE_OF.match(text, e) is not None and (e - s) in word_bounds(text[s : s + 6])
