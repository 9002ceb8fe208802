"""A river, lake or sea whose name is a division's: 牡丹江 (牡丹江市), 嫩江 (嫩江市), 东海 (东海县),
南海 (南海区). The division keeps the bare name (gazetteer/landmark_lists.csv gives the water no
name a division has), so 牡丹江市区 and 东海县 stay the city and the county; but where the text
says the name is a water's, it is the water: a water's word follows it (牡丹江流域, 嫩江两岸,
呼兰河畔, 东海海域, 梅江上游), or it stands in a list beside another water (乌苏里江、牡丹江、
松花江; 渤海、黄海、东海和南海). The water is a landmark in its one province, or in none (no point).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from geo.columns import MentionColumns
from geo.gazetteer.landmarks import listed_waters
from geo.schema import Article
from geo.settings import load_settings

#: Words that make the name before them a water's: its basin, banks, course and surface.
_WATER_NEXT = re.compile(
    "流域|两岸|沿岸|沿江|干流|支流|水系|上游|中游|下游|源头|江段|河段|江面|河面|湖面|湖区|水域|海域|"
    "海面|海区|海底|入海口|河口|江口|之滨|[江河湖]?畔|[江河湖]?边(?![境防界贸检民疆])"
)
#: What joins two names of a list (乌苏里江、牡丹江; 东海和南海).
_JOIN = frozenset("、和与及")
#: A neighbour in a list is a water when its name ends so (松花江, 渤海, 青海湖, 湟水, 纳木错).
_WATER_END = frozenset("江河湖海水溪错淀池")
_DIVISIONS = frozenset(("province", "city", "county", "township"))


@cache
def _waters(curated_dir: str) -> dict[str, str | None]:
    path = Path(curated_dir) / "landmark_lists.csv"
    return listed_waters(path) if path.is_file() else {}


def waters() -> dict[str, str | None]:
    """The listed waters by name → their one province (None: several or none), read once."""
    return _waters(str(load_settings().curated_dir))


def _water_place(name: str, province: str | None) -> tuple:
    """The mention columns' place row of a listed water (no point: it lies along its course)."""
    return (f"landmark:list:{name}", name, "landmark", province, *([None] * 7), None)


def _is_water(text: str, level: str, known: dict[str, str | None]) -> bool:
    return level == "landmark" and (text[-1:] in _WATER_END or text in known)


def waters_over_divisions(articles: Sequence[Article], cols: MentionColumns) -> MentionColumns:
    """``cols`` with each division's mention whose name is a listed water's, written as a water
    (see the module docstring), read as that water: the place changed in place."""
    known = waters()
    if not known:
        return cols
    places, place, texts = cols.places, cols.place, cols.text
    hits = [i for i, k in enumerate(place) if places[k][2] in _DIVISIONS and texts[i] in known]
    if not hits:
        return cols
    bounds = cols.bounds
    k = 0
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
    return cols
