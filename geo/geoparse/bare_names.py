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


def _core(name: str, matcher: Matcher) -> str | None:
    """The bare name of a village, community or township (岭口村 → 岭口), None if too short, a word
    or the name of a unit too (广安社区 → 广安, a city's short form)."""
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
    cores = {
        k: c for k, p in enumerate(cols.places) if p[2] in _LEVELS and (c := _core(p[1], matcher)) is not None
    }
    if not cores:
        return cols  # (a place row: place_id, name, level, …)
    changed: dict[int, Sequence[Mention]] = {}
    bounds = cols.bounds
    for a_no, a in enumerate(articles):
        lo, hi = bounds[a_no], bounds[a_no + 1]
        found: dict[str, int] = {}
        for i, k in enumerate(cols.place[lo:hi], lo):
            if k in cores and cols.text[i] != cores[k]:
                found.setdefault(cores[k], i)  # named in full in the article
        if not found:
            continue
        extra = _repeats(a, cols, lo, hi, found)
        if extra:
            ms = [cols.record(i) for i in range(lo, hi)]
            changed[a_no] = sorted(ms + extra, key=lambda m: m.start)
    return cols.spliced(changed) if changed else cols


def _repeats(a: Article, cols: MentionColumns, lo: int, hi: int, found: dict[str, int]) -> list[Mention]:
    taken = list(zip(cols.start[lo:hi], cols.end[lo:hi]))
    text, out = a.text, []
    names = re.compile("|".join(re.escape(c) for c in sorted(found, key=len, reverse=True)))
    for hit in names.finditer(text):
        s, e = hit.span()
        start, end = a.start + s, a.start + e
        if any(ts < end and start < te for ts, te in taken) or text[e : e + 1] in _NOT_AFTER:
            continue
        w = max(0, s - 3)
        bounds = word_bounds(text[w : e + 3])
        if s - w not in bounds or e - w not in bounds:
            continue  # inside a longer word
        full = cols.record(found[hit.group()])
        out.append(full._replace(start=start, end=end, text=hit.group(), in_org=in_org_at(text, e)))
        taken.append((start, end))
    return out
