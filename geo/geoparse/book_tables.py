"""The village book's tables: jionlp's villages outside the home province, per township one string
``|璜土村|…|``, per county its townships, per township full name its ids (built with the geoparser
and cached with it; read by :mod:`geo.geoparse.village_book`)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from geo.gazetteer.sources import read_jionlp_villages

SUFFIXES = ("社区", "村")


class VillageBook(NamedTuple):
    """jionlp's villages outside the home province, keyed for look-ups after a township match."""

    by_town: dict  # township id -> "|name|name|…|" (full names with their suffix)
    towns_of: dict  # county id -> tuple of township ids that have villages
    town_ids: dict  # township full name (油坊镇) -> tuple of township ids


EMPTY = VillageBook({}, {}, {})


@lru_cache(maxsize=1)
def jionlp_villages() -> pd.DataFrame:
    """jionlp's villages of all provinces (county_code, township, village), read once."""
    return read_jionlp_villages("")


def build_book(raw: pd.DataFrame, places: pd.DataFrame, home: str | None) -> VillageBook:
    """The book from jionlp's rows (county_code, township, village: ``read_jionlp_villages``) and
    the gazetteer's townships (matched by county + name, as the home province's villages are);
    the home province's rows are left out (the gazetteer has them)."""
    towns = places[places.level == "township"]
    if home is not None:
        towns = towns[towns.province_id != home]
    towns = towns.drop_duplicates(["county_id", "name"]).set_index(["county_id", "name"])["place_id"]
    raw = raw[raw.village.str.endswith(SUFFIXES)]
    key = pd.MultiIndex.from_arrays([raw.county_code, raw.township])
    found = key.isin(towns.index)
    pids = towns.loc[key[found]].to_numpy()
    names: dict[str, list[str]] = {}
    for pid, name in zip(pids.tolist(), raw.village[found].tolist()):
        names.setdefault(pid, []).append(name)
    by_town = {pid: "|" + "|".join(dict.fromkeys(ns)) + "|" for pid, ns in names.items()}
    towns_of: dict[str, list[str]] = {}
    town_ids: dict[str, list[str]] = {}
    for (county, tname), pid in towns.items():
        if pid in by_town:
            towns_of.setdefault(county, []).append(pid)
            town_ids.setdefault(tname, []).append(pid)
    return VillageBook(
        by_town, {k: tuple(v) for k, v in towns_of.items()}, {k: tuple(v) for k, v in town_ids.items()}
    )
