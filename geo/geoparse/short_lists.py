"""Villages and townships listed by their short names in an article about their county:
桐庐 … 深澳、荻浦、徐畈、环溪四个古村 (深澳村 …), 梅县 … 丙村、白渡、雁洋等镇 (丙村镇 …),
嵊泗 … 泗礁、黄龙、枸杞、嵊山、花鸟等岛 (黄龙乡 …: the islands are the townships' seats, and a
township's point is what the map can say of them).

A lone short name is no evidence (芦茨 may be a stream, 黄龙 a scenic spot); a list is: where the
items of a 、-separated list (two or more) are short forms of the townships or villages of ONE
county the article names (:func:`~geo.geoparse.county_units.article_counties`), and the list is
closed by what they are (等村, 四个古村, 3个典型镇, 两镇, 等乡镇) — or, closed by nothing or by 等地/
等岛, two thirds of its items at least are — each such item is that township or village. The
same short form again in the article (李坑 … 到李坑) is the same place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.columns import fields_of
from geo.geoparse.added_mentions import coverage, place_mention, village_mention
from geo.geoparse.book_tables import VillageBook
from geo.geoparse.county_units import book_village, county_shorts, name_like
from geo.geoparse.index import PlaceIndex
from geo.geoparse.town_repeats import standing_spans
from geo.schema import Article, Mention

_HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")
_HAN_AT = re.compile(r"[\u4e00-\u9fff]")
#: What may follow the last item of a list with no closer (晓起、江岭、汪口都在东线).
_AFTER_LAST = frozenset("等和与及都也是的在为均已各")
_NUM = "[0-9一二两三四五六七八九十]+"
#: What closes a list and says what its items are: 等村, 四个古村, 等29家村庄, 3个典型镇, 两镇, 等乡镇,
#: 等岛, 等地, 等 alone (the group: 村 village, 镇/乡/街道 township, anything else: not said).
_CLOSER = re.compile(
    rf"(?:等(?:{_NUM})?|{_NUM})[个家座处]?(?:[\u4e00-\u9fff]{{0,2}}?)(乡镇|村(?!委|级|干部)|镇|乡|街道|岛|地)|等"
)
_VILLAGE, _TOWNSHIP = "village", "township"
_LEVELS = frozenset((_VILLAGE, _TOWNSHIP))
_KIND = {"村": _VILLAGE, "镇": _TOWNSHIP, "乡": _TOWNSHIP, "街道": _TOWNSHIP, "乡镇": _TOWNSHIP}


def listed_short_names(
    articles: list[Article], out: list[Sequence[Mention]], index: PlaceIndex, counties_of: list[list[str]]
) -> list[Sequence[Mention]]:
    """Each article's mentions with the villages and townships it lists by short name, given each
    article's counties (a new list where an article gains some)."""
    towns, villages = county_shorts(index)
    book = VillageBook(*index.villages)
    for k, (a, ms, counties) in enumerate(zip(articles, out, counties_of)):
        if not counties or "、" not in a.text:
            continue
        runs = _lists(a.text)
        if not runs:
            continue
        cov = coverage(ms, a)
        base = a.start
        known = {  # (an item read already: 芦茨 of 芦茨、合岭两村 counts for the list)
            (s - base, e - base): (lev, c)
            for s, e, lev, c in zip(*fields_of(ms, "start", "end", "level", "county_id"))
            if lev in _LEVELS
        }
        read: dict[str, tuple[str, str]] = {}  # short form -> (place id, level)
        for items, kind in runs:
            for county in counties:
                got = _read_list(a.text, items, kind, county, (towns, villages, book), cov, known)
                if got:
                    read.update(got)
                    break
        if not read:
            continue
        extra = []
        for core, (pid, _lev) in read.items():
            for s, e in standing_spans(a.text, core, cov):
                if pid in index.row:  # (a township, a village of the gazetteer)
                    extra.append(place_mention(a, a.start + s, a.start + e, pid, index, 0.8))
                else:
                    full = pid.rsplit(":", 1)[1]
                    extra.append(village_mention(a, a.start + s, a.start + e, full, pid, index, 0.8))
                cov[s:e] = b"\x01" * (e - s)
        if extra:
            out[k] = sorted([*ms, *extra], key=lambda m: m.start)
    return out


Spans = list[list[tuple[int, int]]]  # per item, the spans it may have (the longest first)


def _lists(text: str) -> list[tuple[Spans, str | None]]:
    """The 、-lists of a text: per item its possible spans (the first item's start and the last
    one's end are not marked: 2 to 4 characters of a run of Han characters), and what the list's
    closer says its items are (village, township or None)."""
    seps = [m.start() for m in re.finditer("、", text)]
    runs: list[list[int]] = []
    for at in seps:
        if runs and _HAN.fullmatch(text, runs[-1][-1] + 1, at):
            runs[-1].append(at)
        else:
            runs.append([at])
    out = []
    for run in runs:
        first = [(run[0] - n, run[0]) for n in (4, 3, 2) if _HAN.fullmatch(text, run[0] - n, run[0])]
        if not first:
            continue
        middle = [[(s + 1, e)] for s, e in zip(run, run[1:])]
        start = run[-1] + 1
        kind, closed = None, False
        last: list[tuple[int, int]] = []  # (the longest first)
        for n in (2, 3, 4):
            if not _HAN.fullmatch(text, start, start + n):
                break
            last.insert(0, (start, start + n))
            close = _CLOSER.match(text, start + n)
            if close is not None and "等" not in text[start : start + n]:
                kind, closed = _KIND.get(close.group(1) or ""), True
                break  # (before a closer, a shorter item too: 思溪|延村等12个)
        if not closed:  # the last item ends the phrase: 汪口|都在东线, not 流坑、牛田|古樟树林, 全旺|陶谷和
            last = [(s, e) for s, e in last if not _HAN_AT.match(text, e) or text[e] in _AFTER_LAST]
        if last:
            out.append(([first, *middle, last], kind))
    return out


def _read_list(
    text: str,
    items: Spans,
    kind: str | None,
    county: str,
    tables: tuple[dict, dict, VillageBook],
    cov: bytearray,
    known: dict[tuple[int, int], tuple[str, str | None]],
) -> dict[str, tuple[str, str]]:
    """The list's items read as the county's townships or villages, where enough of them are."""
    best: dict[str, tuple[str, str]] = {}
    for lev in (kind,) if kind else (_TOWNSHIP, _VILLAGE):
        got: dict[str, tuple[str, str]] = {}
        names = before = 0  # (items no ordinary word: 枸杞 and 花鸟 count only beside two of them)
        for spans in items:
            for s, e in spans:
                if any(cov[s:e]):
                    before += known.get((s, e)) == (lev, county)
                    continue
                core = text[s:e]
                pid = _unit(core, lev, county, *tables)
                if pid is not None:
                    got[core] = (pid, lev)
                    names += name_like(core)
                    break
        n = len(got) + before
        enough = got and names + before >= 2 and (2 * n >= len(items) if kind else 3 * n >= 2 * len(items))
        if enough and len(got) > len(best):
            best = got
    return best


def _unit(core: str, lev: str, county: str, towns: dict, villages: dict, book: VillageBook) -> str | None:
    """The township or village of ``county`` written ``core`` without its suffix, if one only."""
    if lev == _TOWNSHIP:
        pids = towns.get(county, {}).get(core, ())
        return pids[0] if len(pids) == 1 else None
    full = core if core.endswith("村") else core + "村"
    pids = villages.get(county, {}).get(full[:-1], ())
    if pids:
        return pids[0] if len(pids) == 1 else None
    return book_village(book, county, full)
