"""A famous mountain, river or lake named like a division (黄山, 武夷山, 崂山, 鳌江, 西湖): the
landmark where the text speaks of the sight, the division everywhere else.

The gazetteer lets the division win such a name (黄山 is 黄山市's and 黄山区's short form; the lists'
landmark keeps its other names: 黄山风景区, 武夷山风景名胜区, 崂山风景名胜区). The sight is read only
with a cue in the text around it:

- a verb of going up or visiting right before a mountain (登上黄山, 攀登崂山, 游览武夷山), or the
  mountain as what a place leans on (南依崂山, 背倚黄山);
- a part of the mountain or of its scenery right after (黄山山顶, 黄山日出, 崂山脚下), a river's or
  a lake's (鳌江两岸, 鳌江入海口, 西湖边), or a river counted before it (一条蜿蜒的鳌江);
- the sentence names it among sights (四大旅游名山是指黄山、庐山、泰山和峨眉山; 等国家级风景区);
- a lake that is a candidate of its name (西湖: the lake, 西湖区 of 杭州 and of 南昌) right after the
  city it lies in (杭州|西湖: the city and the lake, as news writes them).
"""

from __future__ import annotations

import re

from geo.geoparse.context import Resolved
from geo.geoparse.index import PlaceIndex
from geo.geoparse.recognize import RawMatch

#: A landmark's name with these endings names the sight of the stem before them (黄山|风景区).
_SIGHT_SUFFIX = re.compile("(?:风景名胜区|风景区|旅游区|景区)$")
_MOUNTAIN_BEFORE = re.compile("(?:登上|登临|攀登|攀爬|爬上|游览|游玩|畅游|登|爬|游|依|倚|傍)$")
_MOUNTAIN_AFTER = re.compile(
    "(?:山顶|山上|山下|山脚|山腰|山麓|山中|之巅|之上|顶上|脚下|主峰|日出|云海|奇松|怪石|索道|景区|景点)"
)
_RIVER_BEFORE = re.compile("一条[^，。；、,]{0,5}$")
_RIVER_AFTER = re.compile(
    "(?:两岸|江畔|江边|江水|河畔|河水|入海口|流域|上游|中游|下游|水系|沿岸|之滨|湖畔|湖边|湖面|湖水|湖心|湖上|边|畔)"
)
#: The sentence lists sights: 等(国家级)风景区, 等景点, 十大名山, 名胜.
_SIGHTS_LISTED = re.compile(
    "等[^，。；！？,]{0,6}(?:风景区|景区|景点|名山|名胜|旅游胜地)|名山|名胜古迹|旅游胜地"
)
#: A distance to the name: the city's, not the sight's (西距黄山130公里, 离崂山约一小时车程).
_DISTANCE = re.compile("(?:距离|相距|距|离)$")
_SENTENCE_END = re.compile("[。！？!?\n]")
_REACH = 60

_HERITAGE = "landmark:heritage"  # (古镇 of the heritage lists: read by their own names)
_TABLES: dict[int, dict[str, str]] = {}  # (one table per index, built once)


def sight_table(index: PlaceIndex) -> dict[str, str]:
    """Written name → landmark id for the sights of the landmark lists whose short name is a
    division's (黄山 → 黄山风景区) or that are named like a township (鳌江, the river)."""
    got = _TABLES.get(id(index.row))
    if got is None:
        got = {}
        for pid, row in index.row.items():
            if row[1] != "landmark" or not pid.startswith("landmark:") or pid.startswith(_HERITAGE):
                continue
            name = row[0]
            stem = _SIGHT_SUFFIX.sub("", name)
            if len(stem) >= 2 and stem[-1] in "山江河湖":
                got.setdefault(stem, pid)
        _TABLES.clear()
        _TABLES[id(index.row)] = got
    return got


def _sentence(text: str, s: int, e: int) -> str:
    """The sentence around [s, e) (at most _REACH characters each side)."""
    lo = max(0, s - _REACH)
    starts = [x.end() for x in _SENTENCE_END.finditer(text, lo, s)]
    hi_match = _SENTENCE_END.search(text, e, e + _REACH)
    return text[starts[-1] if starts else lo : hi_match.start() if hi_match else e + _REACH]


def sight_cue(name: str, text: str, s: int, e: int) -> bool:
    """The text at [s, e) speaks of the mountain or river ``name``, not of the division."""
    before = text[max(0, s - 4) : s]
    if _DISTANCE.search(before):
        return False  # 西距黄山130公里: a distance is counted to the city
    if name[-1] == "山":  # (a lake's and a river's cues are one list: 西湖边, 鳌江两岸)
        if _MOUNTAIN_BEFORE.search(before) or _MOUNTAIN_AFTER.match(text, e):
            return True
    elif _RIVER_BEFORE.search(text[max(0, s - 8) : s]) or _RIVER_AFTER.match(text, e):
        return True
    return _SIGHTS_LISTED.search(_sentence(text, s, e)) is not None


def as_sights(
    resolved: list[Resolved], matches: list[RawMatch], text: str, base: int, index: PlaceIndex
) -> list[Resolved]:
    """``resolved`` with the division-named sights the text speaks of read as the landmarks, also
    those dropped for want of evidence (登上黄山: neither 黄山市 nor 黄山区 had any)."""
    table = sight_table(index)
    maybe = _maybe_sight(index)
    # (the span, not the entry: 黄山 may be matched as the short form of a 黄山村; the entry's
    # surface only sorts out, once per surface, the names that can never be a sight)
    hits = [
        m
        for m in matches
        if m.zone is None
        and _maybe(maybe, m.entry, table)
        and (_own_landmark(m) or text[m.start - base : m.end - base] in table)
    ]
    if not hits:
        return resolved
    by_start = {r.match.start: i for i, r in enumerate(resolved)}
    by_end = {r.match.end: r.place_id for r in resolved}
    out = list(resolved)
    added = False
    for m in hits:
        s, e = m.start - base, m.end - base
        own = _own_landmark(m)
        pid = own.pid if own is not None else table[text[s:e]]
        after_city = own is not None and by_end.get(m.start) in own.ancestors  # 杭州|西湖
        if m.in_org or not (after_city or sight_cue(text[s:e], text, s, e)):
            continue
        i = by_start.get(m.start)
        if i is not None:
            r = out[i]
            if r.match.end == m.end and r.place_id != pid and r.zone is None:
                out[i] = tuple.__new__(Resolved, (r.match, pid, 0.9, r.place_id, False, None))
        elif not any(r.match.start < m.end and m.start < r.match.end for r in out):
            out.append(tuple.__new__(Resolved, (m, pid, 0.8, None, False, None)))
            added = True
    return sorted(out, key=lambda x: x.match.start) if added else out


_MAYBE: dict[int, dict[str, bool]] = {}  # (per index: surface → may it be a sight)


def _maybe_sight(index: PlaceIndex) -> dict[str, bool]:
    got = _MAYBE.get(id(index.row))
    if got is None:
        _MAYBE.clear()
        got = _MAYBE[id(index.row)] = {}
    return got


def _maybe(memo: dict[str, bool], entry, table: dict[str, str]) -> bool:
    """Whether a match of ``entry`` may be a sight: its surface is a sight's name or it has one
    landmark among division readings (worked out once per surface; most names are neither)."""
    got = memo.get(entry.surface)
    if got is None:
        got = memo[entry.surface] = entry.surface in table or _own_mark(entry) is not None
    return got


def _own_landmark(m: RawMatch):
    """The one landmark among the candidates of a name that is also a division's short form (西湖:
    the lake, 西湖区 of 杭州 and of 南昌), or None."""
    return _own_mark(m.entry)


def _own_mark(entry):
    cands = entry.candidates
    marks = [c for c in cands if c.level == "landmark"]
    if len(marks) != 1 or len(cands) == 1 or not any(c.kind == "short" for c in cands):
        return None
    return marks[0]
