"""What an article's counties are, and what their townships and villages are called without
their suffix: the evidence the short-form rules (:mod:`geo.geoparse.short_lists`,
:mod:`geo.geoparse.town_repeats`) read a bare 梅城 or 芦茨 with.

A county is the article's when it names the county (桐庐县, or 桐庐 read as it) or one of its
townships in full (三都镇 → 建德市). Per county: township short forms (梅城 → 梅城镇, all of China,
from the gazetteer) and village short forms (芦茨 → 芦茨村: the home province's villages from the
gazetteer, the others from the village book), worked out once per process.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.columns import ArticleMentions, fields_of
from geo.geoparse.book_tables import VillageBook
from geo.geoparse.index import PlaceIndex
from geo.geoparse.words import common_words, jieba_tags
from geo.schema import Mention

#: A township's suffix, with the people of a 民族乡 (漳溪畲族乡 → 漳溪).
_TOWN_SUFFIX = re.compile(r"(?:街道办事处|街道|镇|(?:[\u4e00-\u9fff]{1,2}族)?乡)$")
#: An article naming more counties than this gives no county evidence (a list of places).
MAX_COUNTIES = 4
_LEVELS = frozenset(("county", "township", "landmark"))
ShortTable = dict[str, dict[str, tuple[str, ...]]]

#: id(index) -> (index, towns, villages), each {county id: {short form: (place ids …)}}.
_TABLES: dict[int, tuple[PlaceIndex, ShortTable, ShortTable]] = {}


def county_shorts(index: PlaceIndex) -> tuple[ShortTable, ShortTable]:
    """Per county id, the short forms of its townships (梅城 → 梅城镇) and, apart, of the
    gazetteer's villages in it (芦茨 → 芦茨村), each with its place ids."""
    hit = _TABLES.get(id(index))
    if hit is not None and hit[0] is index:
        return hit[1], hit[2]
    towns: dict[str, dict[str, list[str]]] = {}
    villages: dict[str, dict[str, list[str]]] = {}
    row, county_of = index.row, index.county_of
    for pid, lev in index.level.items():
        name = row[pid][0]
        if lev == "township":
            core, into = _TOWN_SUFFIX.sub("", name), towns
        elif lev == "village" and name.endswith("村"):
            core, into = name[:-1], villages
        else:
            continue
        county = county_of.get(pid)
        if county is not None and len(core) >= 2 and core != name:
            into.setdefault(county, {}).setdefault(core, []).append(pid)
    town_table, village_table = (_frozen(t) for t in (towns, villages))
    _TABLES.clear()
    _TABLES[id(index)] = (index, town_table, village_table)
    return town_table, village_table


def _frozen(table: dict[str, dict[str, list[str]]]) -> ShortTable:
    return {c: {k: tuple(v) for k, v in names.items()} for c, names in table.items()}


def article_counties(ms: Sequence[Mention]) -> tuple[list[str], list[str]]:
    """The counties an article names (in full or by a read short form) or names a township of in
    full (三都镇 → 建德市); then the same with those it names a landmark of in full (嵊泗列岛 →
    嵊泗县): for lists, where the items say what they are. None when more than :data:`MAX_COUNTIES`."""
    if isinstance(ms, ArticleMentions):
        rows = ms.place_rows()  # (place_id, name, level, …, county_id)
        texts = ms.column("text")
        got = [(p[2], p[0], t, p[1], p[11]) for p, t in zip(rows, texts) if p[2] in _LEVELS]
    else:
        got = [
            (lev, pid, t, n, c)
            for lev, pid, t, n, c in zip(*fields_of(ms, "level", "place_id", "text", "name", "county_id"))
            if lev in _LEVELS
        ]
    units: dict[str, None] = {}
    near: dict[str, None] = {}
    for lev, pid, text, name, county in got:
        if lev == "county":
            units[pid] = None
        elif text == name and county:
            (units if lev == "township" else near)[county] = None
    with_landmarks = [*units, *(c for c in near if c not in units)]
    return (list(units) if len(units) <= MAX_COUNTIES else []), (
        with_landmarks if len(with_landmarks) <= MAX_COUNTIES else []
    )


def book_village(book: VillageBook, county: str, name: str) -> str | None:
    """The village book's village ``name`` (李坑村) in ``county``, as a place id, if one township
    of the county lists it."""
    needle = "|" + name + "|"
    by_town = book.by_town
    hit = [t for t in book.towns_of.get(county, ()) if needle in by_town.get(t, "")]
    return f"village:{hit[0]}:{name}" if len(hit) == 1 else None


def name_like(core: str) -> bool:
    """A short form that can stand for a place: no ordinary word (建设, 中心, 前进), jieba does not
    know it or tags it a place or a name (梅城, 芦茨, 李坑)."""
    if core in common_words():
        return False
    tag = jieba_tags().get(core)
    return tag is None or tag.startswith(("ns", "nz", "nr"))
