"""Per-place facts resolution reads in its hot loop, as plain dicts built once per gazetteer."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class PlaceIndex:
    """Per-place facts resolution needs, as plain dicts for the hot loop."""

    level: dict
    ancestors: dict  # place_id -> tuple of ancestor ids (province … township)
    county_of: dict
    province_of: dict
    row: dict  # place_id -> output fields
    villages: tuple = field(default=({}, {}, {}))  # book_tables.VillageBook: jionlp's villages beyond home


#: The place columns the index reads (a places frame built elsewhere needs these at least).
INDEX_COLUMNS = (
    "place_id",
    "name",
    "level",
    "province",
    "city",
    "county",
    "township",
    "code",
    "lon",
    "lat",
    "precision",
    "province_id",
    "city_id",
    "county_id",
    "parent_id",
)


def build_index(places: pd.DataFrame) -> PlaceIndex:
    level, ancestors, county_of, province_of, row = {}, {}, {}, {}, {}
    for (
        pid,
        name,
        lev,
        prov,
        city,
        county,
        town,
        code,
        lon,
        lat,
        prec,
        prov_id,
        city_id,
        county_id,
        parent_id,
    ) in places[list(INDEX_COLUMNS)].itertuples(index=False, name=None):
        level[pid] = lev
        anc = tuple(
            dict.fromkeys(
                a for a in (prov_id, city_id, county_id, parent_id) if isinstance(a, str) and a and a != pid
            )
        )
        ancestors[pid] = anc
        county_of[pid] = county_id if isinstance(county_id, str) else None
        province_of[pid] = prov_id if isinstance(prov_id, str) else None
        row[pid] = (name, lev, _s(prov), _s(city), _s(county), _s(town), _s(code), _f(lon), _f(lat), _s(prec))
    return PlaceIndex(level, ancestors, county_of, province_of, row)


def _s(v):
    return v if isinstance(v, str) and v else None


def _f(v):
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else round(x, 6)
