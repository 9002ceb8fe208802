"""Landmarks from a curated list (gazetteer/landmarks.csv): China's major rivers, lakes, seas,
mountains and ranges, 5A scenic areas, and the home province's rivers, lakes and mountains.

A river or a range has no point, and most lie across several units, so a row gives only the
containers it lies wholly within: a province (闽江 in 福建省), a city (秦淮河 in 南京市) or a county
(天目山 in 临安区), or none (长江, 太行山). Only a row with a county is drawn, at that county's
representative point with ``county`` precision (the point says "in this county", never where the
feature is); a row without one has no point and no precision, like a country, and is listed but
never drawn. Curated zones.csv rows (with their own points) win: a name already there is an error
to fix in the file.

The sourced list (gazetteer/landmark_lists.csv) holds China's ranges, plateaus, basins, plains,
rivers, lakes, famous mountains and 5A scenic areas, each row with the public page it comes from
and every province the page gives (秦岭 and 长江: several, so no container; 柴达木盆地: 青海省). Its
rows follow the same rule, with one more: a name that is a division's name or short form is not
the landmark's (黄山 is 黄山市's and 黄山区's, 西湖 西湖区's, 峨眉山 峨眉山市's: the division wins), so
such a row keeps only its other names (黄山风景区) and is reported in the build warnings.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import CuratedRowError
from geo.gazetteer.curated import _rows, short_form
from geo.schema import PLACE_COLUMNS

LANDMARK_COLUMNS = ("name", "aliases", "kind", "province", "city", "county", "source", "note")
LIST_COLUMNS = ("name", "aliases", "kind", "provinces", "city", "county", "source", "note")
DISPLAY = "gazetteer/landmarks.csv"
LIST_DISPLAY = "gazetteer/landmark_lists.csv"


def _divisions(places: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """Provinces, cities and counties by (level, name), as plain records: looked up once per row of
    the lists, where a scan of every place per look-up made a list 0.8 s of a cold gazetteer build
    (and a frame per name 0.05 s)."""
    units = places.loc[
        places["level"].isin(("province", "city", "county")), ["level", "name", "place_id", "parent_id"]
    ]
    out: dict[tuple[str, str], list[dict]] = {}
    for r in units.to_dict("records"):
        out.setdefault((r["level"], r["name"]), []).append(r)
    return out


def _unit(
    divisions: dict[tuple[str, str], list[dict]],
    level: str,
    name: str,
    parent: str | None,
    line: int,
    display: str = DISPLAY,
) -> dict:
    """The one division of ``level`` called ``name`` (inside ``parent`` when given)."""
    rows = divisions.get((level, name), [])
    if parent is not None:
        rows = [r for r in rows if r["parent_id"] == parent]
    if len(rows) != 1:
        raise CuratedRowError(display, line, f"{level} {name!r} matches {len(rows)} divisions, not one")
    return rows[0]


def division_names(places: pd.DataFrame) -> set[str]:
    """Every division's full name and the short forms of provinces, cities and counties (黄山 of
    黄山市, 西湖 of 西湖区): names a listed landmark must not take."""
    units = places[places["level"].isin(("province", "city", "county", "township"))]
    out = set(units["name"])
    out.update(s for s in map(short_form, units.loc[units["level"] != "township", "name"]) if s)
    return out


def _place(
    divisions: dict[tuple[str, str], list[dict]],
    shapes: gpd.GeoSeries,
    row: dict,
    province: str,
    line: int,
    display: str,
) -> dict:
    """The place row of one listed landmark inside the units it names (see the module docstring)."""
    if (row["city"] and not province) or (row["county"] and not row["city"]):
        raise CuratedRowError(display, line, "a city needs its one province, a county its city")
    prov = _unit(divisions, "province", province, None, line, display) if province else None
    city = None
    if row["city"] and prov is not None:
        # a municipality is its own city (北京市 / 北京市 / 延庆区)
        same = row["city"] == province
        city = prov if same else _unit(divisions, "city", row["city"], prov["place_id"], line, display)
    county = None
    if row["county"] and city is not None:
        county = _unit(divisions, "county", row["county"], city["place_id"], line, display)
    code = None if county is None else county["place_id"]
    # the point of the one county named (not every county's: 0.05 s of a cold build per list)
    shape = shapes.get(code) if code is not None else None
    point = None if shape is None else shape.representative_point()
    return {
        "place_id": f"landmark:list:{row['name']}",
        "name": row["name"],
        "level": "landmark",
        "province": None if prov is None else prov["name"],
        "city": None if city is None or city is prov else city["name"],
        "county": None if county is None else county["name"],
        "township": None,
        "province_id": None if prov is None else prov["place_id"],
        "city_id": None if city is None or city is prov else city["place_id"],
        "county_id": code,
        "parent_id": code
        or (None if city is None else city["place_id"])
        or (None if prov is None else prov["place_id"]),
        "code": None,
        "lon": None if point is None else point.x,
        "lat": None if point is None else point.y,
        "precision": None if point is None else "county",
        "source": f"{display}:{line} ({row['source']})"
        + ("; point: county representative point" if point is not None else "; no point"),
        "kind": row["kind"],
        "note": row["note"] or None,
    }


def _names(row: dict, line: int, display: str, taken: set[str]) -> list[str]:
    for col in ("name", "kind", "source"):
        if not row[col]:
            raise CuratedRowError(display, line, f"missing value for {col}")
    names = [row["name"], *(a.strip() for a in row["aliases"].split("|") if a.strip())]
    dup = [n for n in names if n in taken]
    if dup:
        raise CuratedRowError(display, line, f"{', '.join(dup)} already listed (zones.csv or above)")
    taken.update(names)
    return names


def listed_landmarks(
    places: pd.DataFrame, counties: gpd.GeoDataFrame, path: Path, taken: set[str]
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Landmark place rows and their aliases ((alias, place_id, source ref)) from the list."""
    shapes = counties.set_index("place_id").geometry
    divisions = _divisions(places)
    rows, aliases = [], []
    for line, row in _rows(path, LANDMARK_COLUMNS, DISPLAY):
        names = _names(row, line, DISPLAY, taken)
        rows.append(_place(divisions, shapes, row, row["province"], line, DISPLAY))
        aliases += [(a, rows[-1]["place_id"], f"{DISPLAY}:{line}") for a in names[1:]]
    return pd.DataFrame(rows, columns=list(PLACE_COLUMNS)), aliases


def sourced_landmarks(
    places: pd.DataFrame, counties: gpd.GeoDataFrame, path: Path, taken: set[str], warnings: list[str]
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Landmark place rows and aliases from the sourced list (gazetteer/landmark_lists.csv): the one
    province a row names is its container (none where it names several or none); a name that is
    a division's is left out (the division wins), and a row with no other name is skipped."""
    shapes = counties.set_index("place_id").geometry
    divisions, reserved = _divisions(places), division_names(places)
    rows, aliases, dropped = [], [], []
    for line, row in _rows(path, LIST_COLUMNS, LIST_DISPLAY):
        names = _names(row, line, LIST_DISPLAY, taken)
        provinces = [p for p in row["provinces"].split("|") if p]
        kept = [n for n in names if n not in reserved]
        dropped += [n for n in names if n in reserved]
        if not kept:
            continue
        place = _place(
            divisions, shapes, row, provinces[0] if len(provinces) == 1 else "", line, LIST_DISPLAY
        )
        if len(provinces) > 1:
            place["note"] = "; ".join(filter(None, ["spans " + "/".join(provinces), place["note"]]))
        place["name"] = kept[0]
        rows.append(place)
        aliases += [(a, place["place_id"], f"{LIST_DISPLAY}:{line}") for a in kept[1:]]
    if dropped:
        warnings.append(
            f"{LIST_DISPLAY}: {len(dropped)} names are divisions' names, not read as landmarks: "
            + ", ".join(dropped)
        )
    return pd.DataFrame(rows, columns=list(PLACE_COLUMNS)), aliases


#: The kinds of the sourced list that are waters: a name of one before 流域 or 两岸 is the water's.
WATER_KINDS = frozenset(("河流", "湖泊", "海"))


def listed_waters(path: Path) -> dict[str, str | None]:
    """The rivers, lakes and seas of the sourced list by name and alias → the one province a row
    names (None where it names several or none): 牡丹江 → None, 图们江 → 吉林省. Read whole, with
    the names a division keeps (牡丹江 of 牡丹江市), which the geoparser reads as the water only
    where the text says it is one (牡丹江流域)."""
    out: dict[str, str | None] = {}
    for _line, row in _rows(path, LIST_COLUMNS, LIST_DISPLAY):
        if row["kind"] not in WATER_KINDS:
            continue
        provinces = [p for p in row["provinces"].split("|") if p]
        for name in (row["name"], *(a.strip() for a in row["aliases"].split("|") if a.strip())):
            out[name] = provinces[0] if len(provinces) == 1 else None
    return out
