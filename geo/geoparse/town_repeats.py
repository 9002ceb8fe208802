"""A township written by its short form again and again in an article about its county: 到了建德,
当然会去梅城。梅城是梅花城的简称 … → 梅城 is 梅城镇 of 建德市.

The rules before this one need the township written in full somewhere (白杨街道 … 白杨) or right
after its county (鄞州横溪); a travel piece or a column often never writes 梅城镇 at all. Here the
county is the evidence (named in full, by its read short form, or through a township of it
written in full: 三都镇 → 建德市) and the repetition is the other half: a short form of one of the
county's townships standing as a word two times or more in the article is that township, each
time. Guards as for other short forms: no ordinary word (建设, 中心), no unit or street after it
(梅城镇, 梅城路), not the start of a longer word or a brand in quotes, not inside a body's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.geoparse.added_mentions import coverage, place_mention
from geo.geoparse.county_units import county_shorts, name_like
from geo.geoparse.cues import name_part_after, short_form_stands
from geo.geoparse.index import PlaceIndex
from geo.geoparse.words import in_org_at
from geo.schema import Article, Mention

#: After the short form these make it another name: a unit (梅城镇, 梅城县), a street, a school,
#: an era's year (淳化五年).
_NOT_AFTER = re.compile(r"[镇乡街村县区市省旗州路巷桥]|中学|小学|[元一二三四五六七八九十0-9]+年")
_MIN_TIMES = 2


def repeated_townships(
    articles: list[Article], out: list[Sequence[Mention]], index: PlaceIndex, counties_of: list[list[str]]
) -> list[Sequence[Mention]]:
    """Each article's mentions with its counties' townships written by short form two times or
    more, given each article's counties (a new list where an article gains some)."""
    table = county_shorts(index)[0]
    for k, (a, ms, counties) in enumerate(zip(articles, out, counties_of)):
        if not counties:
            continue
        text = a.text
        cov = None
        extra: list[Mention] = []
        for county in counties:
            for core, pids in table.get(county, {}).items():
                if text.count(core) < _MIN_TIMES:
                    continue
                if len(pids) != 1 or not name_like(core):
                    continue
                cov = coverage([*ms, *extra], a) if cov is None else cov
                spans = standing_spans(text, core, cov)
                if len(spans) >= _MIN_TIMES:
                    for s, e in spans:
                        extra.append(place_mention(a, a.start + s, a.start + e, pids[0], index, 0.8))
                        cov[s:e] = b"\x01" * (e - s)
        if extra:
            out[k] = sorted([*ms, *extra], key=lambda m: m.start)
    return out


def standing_spans(text: str, core: str, cov: bytearray) -> list[tuple[int, int]]:
    """Where ``core`` stands as a name of its own, outside the article's mentions."""
    spans = []
    at = text.find(core)
    while at >= 0:
        e = at + len(core)
        if (
            not any(cov[at:e])
            and not _NOT_AFTER.match(text, e)
            and not name_part_after(text, e)  # 滨湖大道, 梅城中学
            and short_form_stands(text, at, e)
            and not in_org_at(text, e)
        ):
            spans.append((at, e))
        at = text.find(core, e)
    return spans
