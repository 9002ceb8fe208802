"""What the build lays over the package-derived admin units: the home province's villages (jionlp)
and the curated township points, zones and landmarks (gazetteer/towns.csv, gazetteer/zones.csv,
zone_lists.csv, landmarks.csv, landmark_lists.csv).
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import CuratedRowError, GazetteerError
from geo.gazetteer import sources as src
from geo.gazetteer.curated import _rows, read_curated_points
from geo.gazetteer.landmarks import listed_landmarks, sourced_landmarks
from geo.schema import PLACE_COLUMNS as _PLACE_COLUMNS

PLACE_COLUMNS = list(_PLACE_COLUMNS)

log = logging.getLogger(__name__)


def villages(places: pd.DataFrame, versions: dict, home_province: str) -> tuple[pd.DataFrame, int]:
    """The home province's villages/communities from jionlp, attached to MCA townships by county
    + name (villages of all China would triple the names and the false matches)."""
    home = places.loc[(places.level == "province") & (places.name == home_province), "place_id"]
    if home.empty:
        raise GazetteerError(
            f"home province {home_province!r} is not a province of the 民政部 list "
            "(ATLAS_HOME_PROVINCE takes a full name such as 浙江省 or 江苏省)"
        )
    raw = src.read_jionlp_villages(str(home.iloc[0]))
    towns = places[places.level == "township"].set_index(["county_id", "name"])
    towns = towns[~towns.index.duplicated()]
    key = pd.MultiIndex.from_arrays([raw.county_code, raw.township])
    found = key.isin(towns.index)
    raw, parent = raw[found], towns.loc[key[found]].reset_index()
    v = parent.copy()
    v["place_id"] = ["village:" + p + ":" + n for p, n in zip(parent.place_id.tolist(), raw.village.tolist())]
    v["name"] = raw.village.to_numpy()
    v["level"], v["township"], v["parent_id"], v["code"] = "village", parent.name, parent.place_id, None
    v["source"] = [
        f"jionlp {versions['jionlp']} china_location (name); point of its township: {s}"
        for s in parent.source.tolist()
    ]
    v["note"], v["kind"] = None, None
    return v.drop_duplicates("place_id")[PLACE_COLUMNS], int((~found).sum())


def apply_curated(
    places: pd.DataFrame, counties: gpd.GeoDataFrame, curated_dir: Path, warnings: list[str]
) -> tuple[pd.DataFrame, list]:
    """Curated township points (towns.csv) and curated zones/landmarks (zones.csv)."""
    cidx = counties.set_index("place_id")
    aliases: list[tuple[str, str, str]] = []
    towns_path = curated_dir / "towns.csv"
    if towns_path.is_file():
        known = set(places.loc[places.level == "township", "place_id"])
        by_id = places.set_index("place_id")
        for row in read_curated_points(towns_path, "gazetteer/towns.csv", cidx, ("township",), known):
            if by_id.at[row.place_id, "county_id"] != row.county_code:
                raise CuratedRowError(
                    "gazetteer/towns.csv",
                    int(row.source_ref.rsplit(":", 1)[1]),
                    f"county_code {row.county_code} is not the county of {row.place_id}",
                )
            i = places.index[places.place_id == row.place_id][0]
            places.loc[i, ["lon", "lat", "precision"]] = [row.lon, row.lat, row.precision]
            name_src = places.at[i, "source"].split("; point: ")[0]
            places.at[i, "source"] = f"{name_src}; point: {row.source_ref} ({row.source})"
            places.at[i, "note"] = row.note
            aliases += [(a, row.place_id, row.source_ref) for a in row.aliases]
    zones_path = curated_dir / "zones.csv"
    if not zones_path.is_file():
        warnings.append("gazetteer/zones.csv not found: built without zones and landmarks")
        log.warning(warnings[-1])
        return places, aliases
    county_rows = places[places.level == "county"].set_index("place_id")
    rows = []
    for z in read_curated_points(zones_path, "gazetteer/zones.csv", cidx, ("zone", "landmark")):
        c = county_rows.loc[z.county_code] if z.county_code in county_rows.index else None
        rows.append(
            {
                "place_id": z.place_id,
                "name": z.name,
                "level": z.level,
                "province": cidx.at[z.county_code, "province"],
                "city": None if c is None else c["city"],
                "county": cidx.at[z.county_code, "name"],
                "township": None,
                "province_id": None if c is None else c["province_id"],
                "city_id": None if c is None else c["city_id"],
                "county_id": z.county_code,
                "parent_id": z.county_code,
                "code": None,
                "lon": z.lon,
                "lat": z.lat,
                "precision": z.precision,
                "source": f"{z.source_ref} ({z.source})",
                "kind": z.kind,
                "note": z.note,
            }
        )
        aliases += [(a, z.place_id, z.source_ref) for a in z.aliases]
    out = pd.concat([places, pd.DataFrame(rows)], ignore_index=True)
    lists_path = curated_dir / "zone_lists.csv"
    if lists_path.is_file():
        taken = {r["name"] for r in rows} | {a for a, _, _ in aliases}
        listed, list_aliases = listed_zones(places, counties, lists_path, taken)
        out = pd.concat([out, listed], ignore_index=True)
        aliases += list_aliases
    marks_path = curated_dir / "landmarks.csv"
    if marks_path.is_file():
        taken = set(out.loc[out.level.isin(("zone", "landmark")), "name"]) | {a for a, _, _ in aliases}
        marks, mark_aliases = listed_landmarks(places, counties, marks_path, taken)
        out = pd.concat([out, marks], ignore_index=True)
        aliases += mark_aliases
    sourced_path = curated_dir / "landmark_lists.csv"
    if sourced_path.is_file():
        taken = set(out.loc[out.level.isin(("zone", "landmark")), "name"]) | {a for a, _, _ in aliases}
        marks, mark_aliases = sourced_landmarks(places, counties, sourced_path, taken, warnings)
        out = pd.concat([out, marks], ignore_index=True)
        aliases += mark_aliases
    return out, aliases


LIST_COLUMNS = ("name", "aliases", "kind", "county_code", "county", "list", "source", "note")


def listed_zones(
    places: pd.DataFrame, counties: gpd.GeoDataFrame, path: Path, taken: set[str]
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Zones from official lists (gazetteer/zone_lists.csv): the list names the zone and its county,
    nothing finer, so each is placed at its county's representative point with ``county``
    precision. ``taken``: names already in zones.csv (a curated row with a better point wins,
    so a list row repeating one is an error to fix in the file)."""
    display = "gazetteer/zone_lists.csv"
    cidx = counties.set_index("place_id")
    county_rows = places[places.level == "county"].set_index("place_id")
    rep = cidx.geometry.representative_point()
    rows, aliases = [], []
    for line, row in _rows(path, LIST_COLUMNS, display):
        for col in ("name", "kind", "county_code", "county", "list", "source"):
            if not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        code = row["county_code"]
        if code not in county_rows.index or code not in rep.index:
            raise CuratedRowError(display, line, f"unknown county_code {code!r}")
        if county_rows.at[code, "name"] != row["county"]:
            raise CuratedRowError(
                display, line, f"county {row['county']!r} does not match county_code {code}"
            )
        names = [row["name"], *(a.strip() for a in row["aliases"].split("|") if a.strip())]
        dup = [n for n in names if n in taken]
        if dup:
            raise CuratedRowError(display, line, f"{', '.join(dup)} already in zones.csv (curated rows win)")
        taken.update(names)
        pid = f"zone:list:{code}:{row['name']}"
        c = county_rows.loc[code]
        rows.append(
            {
                "place_id": pid,
                "name": row["name"],
                "level": "zone",
                "province": c["province"],
                "city": c["city"],
                "county": row["county"],
                "township": None,
                "province_id": c["province_id"],
                "city_id": c["city_id"],
                "county_id": code,
                "parent_id": code,
                "code": None,
                "lon": rep[code].x,
                "lat": rep[code].y,
                "precision": "county",
                "source": f"{display}:{line} ({row['list']}: {row['source']}); "
                "point: county representative point",
                "kind": row["kind"],
                "note": row["note"] or None,
            }
        )
        aliases += [(a, pid, f"{display}:{line}") for a in names[1:]]
    return pd.DataFrame(rows, columns=PLACE_COLUMNS), aliases
