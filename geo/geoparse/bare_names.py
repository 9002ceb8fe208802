"""A village, community or township named in full once, then by its bare name in the same article.

News names a place in full the first time and drops the suffix after that, or in a heading:
常熟市支塘镇蒋巷村 … 在蒋巷, 稻田连片; 江北区慈城镇 … 在慈城. The full name read in the article is
the evidence: the bare name means that place, wherever the article writes it as a word of its own.
Guards: the bare name has two characters or more; it is no ordinary word (白果, 小河, 红星 and 前进
are words before they are villages; 昭君 is a person), not made of direction and size words only
(城东, 新港), no unit's name too (广安社区 … 广安: the city), no body's name (航天四院社区), and not
followed by a character that makes it another place or thing (潭头镇 beside 潭头村, 蒋巷路, 通安中学,
天目新村).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from geo.columns import MentionColumns
from geo.geoparse.words import common_words, in_org_at, jieba_tags, longer_words, word_bounds
from geo.schema import Article, Mention

if TYPE_CHECKING:
    from geo.geoparse.recognize import Matcher

_SUFFIX = re.compile(r"(?:社区|街道|村|镇|乡)$")
_LEVELS = frozenset(("village", "township"))
_UNITS = frozenset(("country", "foreign", "province", "city", "county"))
_GENERIC = re.compile(r"^[东南西北中上下前后左右内外新老大小高低城镇乡村一二三四五六七八九十]+$")
#: After the bare name these make it another place or thing (潭头镇, 岭口路, 通安中学, 天目新村).
_NOT_AFTER = frozenset("村镇乡区县市省路街巷道桥山河湖江溪港湾岛园寺庙厂站场馆校院中小大公集组人新")
#: A community named after the body it houses (航天四院社区): the bare name is that body.
_BODY_END = frozenset("院所厂局校司部委会")


_CORES: dict[str, str | None] = {}  # (a place name's bare name, decided once per process)


def _core(name: str, matcher: Matcher) -> str | None:
    """The bare name of a village, community or township (岭口村 → 岭口), None if too short, a word
    or the name of a unit too (广安社区 → 广安, a city's short form)."""
    got = _CORES.get(name, _CORES)
    if got is _CORES:
        got = _CORES[name] = _bare(name, matcher)
    return got  # type: ignore[return-value]


def _bare(name: str, matcher: Matcher) -> str | None:
    core = _SUFFIX.sub("", name)
    if len(core) < 2 or core == name or _GENERIC.match(core) or core[-1] in _BODY_END:
        return None
    if core in common_words() or core in longer_words() or jieba_tags().get(core, "ns") != "ns":
        return None  # a word or a person's name in jieba's dictionary (红星, 前进, 昭君)
    idx = matcher.ids.get(core)
    if idx is not None and any(c.level in _UNITS for c in matcher.entries[idx].candidates):
        return None
    return core


def bare_names(articles: list[Article], cols: MentionColumns, matcher: Matcher) -> MentionColumns:
    """``cols`` with the bare names of the villages, communities and townships each article
    names in full, as further mentions of the same places."""
    cores = {k: c for k, p in enumerate(cols.places) if p[2] in _LEVELS and (c := _core(p[1], matcher))}
    if not cores:
        return cols  # (a place row: place_id, name, level, …)
    place, written, bounds = cols.place, cols.text, cols.bounds
    found: dict[int, dict[str, int]] = {}
    for i in [i for i, k in enumerate(place) if k in cores]:
        core = cores[place[i]]
        a_no = bisect_right(bounds, i) - 1
        if written[i] != core or (i > bounds[a_no] and _after_its_county(cols, i)):
            found.setdefault(a_no, {}).setdefault(core, i)  # named in full, or right after its county
    changed: dict[int, Sequence[Mention]] = {}
    for a_no, names in found.items():
        lo, hi = bounds[a_no], bounds[a_no + 1]
        extra = _repeats(articles[a_no], cols, lo, hi, names)
        if extra:
            ms = cols.records(lo, hi)
            changed[a_no] = sorted(ms + extra, key=lambda m: m.start)
    return cols.spliced(changed) if changed else cols


def _repeats(a: Article, cols: MentionColumns, lo: int, hi: int, found: dict[str, int]) -> list[Mention]:
    starts, ends = cols.start[lo:hi], cols.end[lo:hi]
    text, out = a.text, list[Mention]()
    for core, i in found.items():
        s = text.find(core)
        while s >= 0:
            e = s + len(core)
            if text[e : e + 1] in _NOT_AFTER:  # (most: the full name itself, 蒋巷|村)
                s = text.find(core, e)
                continue
            start, end = a.start + s, a.start + e
            j = bisect_right(starts, end - 1) - 1
            if (j >= 0 and ends[j] > start) or _taken(out, start, end):
                s = text.find(core, e)
                continue
            w = max(0, s - 3)
            bounds = word_bounds(text[w : e + 3])
            if s - w in bounds and e - w in bounds:  # not inside a longer word
                full = cols.record(i)
                out.append(full._replace(start=start, end=end, text=core, in_org=in_org_at(text, e)))
            s = text.find(core, e)
    return out


def _after_its_county(cols: MentionColumns, i: int) -> bool:
    """A township's short form read right after its own county (鄞州横溪, 萧山瓜沥): as good evidence
    as the full name (横溪镇) for its bare name elsewhere in the article (横溪水畔, 深入横溪的田间)."""
    row = cols.places[cols.place[i]]
    return (
        row[2] == "township"
        and cols.end[i - 1] == cols.start[i]
        and cols.places[cols.place[i - 1]][0] == row[11]  # (a place row: place_id … county_id)
    )


def _taken(out: list[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in out)
