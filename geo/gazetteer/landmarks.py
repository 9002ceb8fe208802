"""Landmarks from a curated list (gazetteer/landmarks.csv): China's major rivers, lakes, seas,
mountains and ranges, 5A scenic areas, and the home province's rivers, lakes and mountains.

A river or a range has no point, and most lie across several units, so a row gives only the
containers it lies wholly within: a province (闽江 in 福建省), a city (秦淮河 in 南京市) or a county
(天目山 in 临安区), or none (长江, 太行山). Only a row with a county is drawn, at that county's
representative point with ``county`` precision (the point says "in this county", never where the
feature is); a row without one has no point and no precision, like a country, and is listed but
never drawn. Curated zones.csv rows (with their own points) win: a name already there is an error
to fix in the file.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import CuratedRowError
from geo.gazetteer.curated import _rows
from geo.schema import PLACE_COLUMNS

LANDMARK_COLUMNS = ("name", "aliases", "kind", "province", "city", "county", "source", "note")
DISPLAY = "gazetteer/landmarks.csv"
_NONE = pd.DataFrame(columns=["parent_id"])


def _divisions(places: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """Provinces, cities and counties by (level, name): looked up once per row of the list, where
    a scan of every place per look-up made the list 0.8 s of a cold gazetteer build."""
    units = places[places["level"].isin(("province", "city", "county"))]
    return {key: rows for key, rows in units.groupby(["level", "name"], sort=False)}


def _unit(
    divisions: dict[tuple[str, str], pd.DataFrame], level: str, name: str, parent: str | None, line: int
) -> pd.Series:
    """The one division of ``level`` called ``name`` (inside ``parent`` when given)."""
    rows = divisions.get((level, name), _NONE)
    if parent is not None:
        rows = rows[rows["parent_id"] == parent]
    if len(rows) != 1:
        raise CuratedRowError(DISPLAY, line, f"{level} {name!r} matches {len(rows)} divisions, not one")
    return rows.iloc[0]


def listed_landmarks(
    places: pd.DataFrame, counties: gpd.GeoDataFrame, path: Path, taken: set[str]
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Landmark place rows and their aliases ((alias, place_id, source ref)) from the list."""
    rep = counties.set_index("place_id").geometry.representative_point()
    divisions = _divisions(places)
    rows, aliases = [], []
    for line, row in _rows(path, LANDMARK_COLUMNS, DISPLAY):
        for col in ("name", "kind", "source"):
            if not row[col]:
                raise CuratedRowError(DISPLAY, line, f"missing value for {col}")
        if (row["city"] and not row["province"]) or (row["county"] and not row["city"]):
            raise CuratedRowError(DISPLAY, line, "a city needs its province, a county its city")
        names = [row["name"], *(a.strip() for a in row["aliases"].split("|") if a.strip())]
        dup = [n for n in names if n in taken]
        if dup:
            raise CuratedRowError(DISPLAY, line, f"{', '.join(dup)} already listed (zones.csv or above)")
        taken.update(names)
        prov = _unit(divisions, "province", row["province"], None, line) if row["province"] else None
        city = None
        if row["city"] and prov is not None:
            # a municipality is its own city (北京市 / 北京市 / 延庆区)
            same = row["city"] == row["province"]
            city = prov if same else _unit(divisions, "city", row["city"], prov["place_id"], line)
        county = None
        if row["county"] and city is not None:
            county = _unit(divisions, "county", row["county"], city["place_id"], line)
        pid = f"landmark:list:{row['name']}"
        code = None if county is None else county["place_id"]
        point = rep.get(code) if code is not None else None
        rows.append(
            {
                "place_id": pid,
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
                "source": f"{DISPLAY}:{line} ({row['source']})"
                + ("; point: county representative point" if point is not None else "; no point"),
                "kind": row["kind"],
                "note": row["note"] or None,
            }
        )
        aliases += [(a, pid, f"{DISPLAY}:{line}") for a in names[1:]]
    return pd.DataFrame(rows, columns=list(PLACE_COLUMNS)), aliases
