"""A river, lake or sea whose name is a division's: 牡丹江 (牡丹江市), 嫩江 (嫩江市), 东海 (东海县),
南海 (南海区). The division keeps the bare name (gazetteer/landmark_lists.csv gives the water no
name a division has), so 牡丹江市区 and 东海县 stay the city and the county; but where the text
says the name is a water's, it is the water: a water's word follows it (牡丹江流域, 嫩江两岸,
呼兰河畔, 东海海域, 梅江上游), or it stands in a list beside another water (乌苏里江、牡丹江、
松花江; 渤海、黄海、东海和南海). The water is a landmark in its one province, or in none (no point).
A name nothing was read at (a short form that needs evidence: 黑河流域) is added so too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import daachorse

from geo.columns import MentionColumns
from geo.gazetteer.landmarks import listed_waters
from geo.geoparse.words import in_org_at, word_bounds
from geo.schema import Article, Mention
from geo.settings import load_settings

#: Words that make the name before them a water's: its basin, banks, course and surface.
_WATER_NEXT = re.compile(
    "流域|两岸|沿岸|左岸|右岸|沿江|干流|支流|水系|上游|中游|下游|源头|江段|河段|江面|河面|湖面|湖区|水域|海域|"
    "海面|海区|海底|入海口|河口|江口|之滨|[江河湖]?畔|[江河湖]?边(?![境防界贸检民疆])"
)
#: What joins two names of a list (乌苏里江、牡丹江; 东海和南海).
_JOIN = frozenset("、和与及")
#: A neighbour in a list is a water when its name ends so (松花江, 渤海, 青海湖, 湟水, 纳木错).
_WATER_END = frozenset("江河湖海水溪错淀池")
_DIVISIONS = frozenset(("province", "city", "county", "township"))
#: What may stand right before a name no mention covers: no character of a longer name (大|洋河).
_BEFORE = frozenset("、和与及在的沿经入注过跨至到从向是为对了等即将条")


_Automaton = daachorse.CharwiseDoubleArrayAhoCorasick


@cache
def _waters(
    curated_dir: str,
) -> tuple[dict[str, str | None], daachorse.CharwiseDoubleArrayAhoCorasick | None]:
    path = Path(curated_dir) / "landmark_lists.csv"
    known = listed_waters(path) if path.is_file() else {}
    kind = daachorse.MATCH_KIND_LEFTMOST_LONGEST
    return known, (daachorse.CharwiseDoubleArrayAhoCorasick(list(known), match_kind=kind) if known else None)


def waters() -> dict[str, str | None]:
    """The listed waters by name → their one province (None: several or none), read once."""
    return _waters(str(load_settings().curated_dir))[0]


def _water_place(name: str, province: str | None) -> tuple:
    """The mention columns' place row of a listed water (no point: it lies along its course)."""
    return (f"landmark:list:{name}", name, "landmark", province, *([None] * 7), None)


def _is_water(text: str, level: str, known: dict[str, str | None]) -> bool:
    return level == "landmark" and (text[-1:] in _WATER_END or text in known)


def waters_over_divisions(articles: Sequence[Article], cols: MentionColumns) -> MentionColumns:
    """``cols`` with each division's mention whose name is a listed water's, written as a water
    (see the module docstring), read as that water (in place), and the listed waters so written
    that no mention covers added."""
    known, automaton = _waters(_curated_dir())
    if automaton is None:
        return cols
    _relabel(articles, cols, known)
    changed: dict[int, Sequence[Mention]] = {}
    levels: list | None = None
    for k, a in enumerate(articles):
        names = [(s, e) for s, e, _ in automaton.find(a.text)]  # (rare: most articles name none)
        if not names:
            continue
        lo, hi = cols.bounds[k], cols.bounds[k + 1]
        if all(_covered(cols, lo, hi, a.start + s, a.start + e) for s, e in names):
            continue  # (the common case: every listed water here was read by the matcher)
        levels = levels if levels is not None else cols.place_column("level")
        spans = [(cols.start[i] - a.start, cols.end[i] - a.start) for i in range(lo, hi)]
        read = [spans[i - lo] for i in range(lo, hi) if _is_water(cols.text[i], levels[cols.place[i]], known)]
        added = _unread(a, names, spans, read, known)
        if added:
            changed[k] = sorted([*cols.records(lo, hi), *added], key=lambda m: m.start)
    return cols.spliced(changed) if changed else cols


def _curated_dir() -> str:
    """The curated folder, from the settings read once per process (not once per document)."""
    global _CURATED
    if _CURATED is None:
        _CURATED = str(load_settings().curated_dir)
    return _CURATED


_CURATED: str | None = None


def _covered(cols: MentionColumns, lo: int, hi: int, s: int, e: int) -> bool:
    """A mention of the article's rows [lo, hi) overlaps the file span [s, e) (starts are in text
    order; no mention is longer than 64 characters)."""
    k = bisect_left(cols.start, s - 64, lo, hi)
    while k < hi and cols.start[k] < e:
        if cols.end[k] > s:
            return True
        k += 1
    return False


def _relabel(articles: Sequence[Article], cols: MentionColumns, known: dict[str, str | None]) -> None:
    places, place, texts = cols.places, cols.place, cols.text
    hits = [i for i, k in enumerate(place) if places[k][2] in _DIVISIONS and texts[i] in known]
    bounds, k = cols.bounds, 0
    for i in hits:
        while bounds[k + 1] <= i:
            k += 1
        a, lo, hi = articles[k], bounds[k], bounds[k + 1]
        s, e = cols.start[i] - a.start, cols.end[i] - a.start
        water = _WATER_NEXT.match(a.text, e) is not None
        if not water and i + 1 < hi and a.text[e : e + 1] in _JOIN:
            j = i + 1  # the next name of the list: 牡丹江、松花江
            water = cols.start[j] - a.start == e + 1 and _is_water(texts[j], places[place[j]][2], known)
        if not water and i > lo and s > 0 and a.text[s - 1] in _JOIN:
            j = i - 1  # the name before: 乌苏里江、牡丹江
            water = cols.end[j] - a.start == s - 1 and _is_water(texts[j], places[place[j]][2], known)
        if water:
            place[i] = cols.place_of(_water_place(texts[i], known[texts[i]]))


def _unread(
    a: Article,
    names: list[tuple[int, int]],
    spans: list[tuple[int, int]],
    read: list[tuple[int, int]],
    known: dict[str, str | None],
) -> list[Mention]:
    """The listed waters at ``names`` that no mention covers (``spans``: the article's mentions,
    ``read``: its waters), before a water's word (黑河流域) or joined to a water read (黄海、东海和南海:
    one by one, 梅江|和汀江 too)."""
    text, off = a.text, a.start
    free = [(s, e) for s, e in names if not any(ps < e and s < pe for ps, pe in spans)]
    keep = [(s, e) for s, e in free if _WATER_NEXT.match(text, e) and _starts_word(text, s, e)]
    waters_at = set(read) | set(keep)
    grew = True
    while grew:  # a name joined to a water: 黄海、|东海, then 东海和|南海
        grew = False
        for s, e in free:
            if (s, e) in waters_at:
                continue
            after = text[e : e + 1] in _JOIN and any(ws == e + 1 for ws, _ in waters_at)
            before = s > 0 and text[s - 1] in _JOIN and any(we == s - 1 for _, we in waters_at)
            if after or before:
                waters_at.add((s, e))
                keep.append((s, e))
                grew = True
    out: list[Mention] = []
    for s, e in sorted(keep):
        name = text[s:e]
        own = (a.article_id, a.file, s + off, e + off, name, *_water_place(name, known[name])[:11])
        out.append(tuple.__new__(Mention, (*own, 0.6, in_org_at(text, e), False, None, None)))
    return out


def _starts_word(text: str, s: int, e: int) -> bool:
    """The name at [s, e) starts a word: after a stop, a function word or a verb (走访|黑河两岸), not
    inside a longer name (大|洋河, 半|泾河: jieba's words say where the name begins)."""
    if s == 0 or text[s - 1] in _BEFORE or not _han(text[s - 1]):
        return True
    lo = max(0, s - 3)
    return (s - lo) in word_bounds(text[lo : e + 2])


def _han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"
