"""The gazetteer: places of China (admin units to township, Zhejiang villages, curated zones).

``load_gazetteer()`` is what every stage calls: it builds on first use (gazetteer_build), then
warm-loads the cached parquet files, and keeps the loaded object in-process so repeated calls
are free. See gazetteer/README.md for sources, licences and precision rules.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.gazetteer import build as gb
from geo.gazetteer.geocoded import apply_geocoded, cache_file
from geo.settings import Settings, load_settings
from geo.tables import shared_strings

log = logging.getLogger(__name__)

LEVEL_ORDER = ("province", "city", "county", "township", "village", "zone", "landmark")
NAME_TYPE_ORDER = {"full": 0, "alias": 1, "literary": 2, "short": 3, "historical": 4}
LOOKUP_COLUMNS = [
    "query",
    "name_type",
    "place_id",
    "name",
    "level",
    "chain",
    "precision",
    "lon",
    "lat",
    "source",
    "note",
]


@dataclass(eq=False)
class Gazetteer:
    """Tables of the data contract (see the team brief): places, names, counties, meta."""

    places: pd.DataFrame
    names: pd.DataFrame
    counties: gpd.GeoDataFrame
    meta: dict
    _by_id: pd.DataFrame | None = field(default=None, repr=False)

    def province_id(self, name: str) -> str | None:
        """The place_id of a province by its full name (浙江省 → "33"); None if there is none."""
        p = self.places
        hit = p.loc[(p["level"] == "province") & (p["name"] == name), "place_id"]
        return str(hit.iloc[0]) if len(hit) else None

    @property
    def by_id(self) -> pd.DataFrame:
        """places indexed by place_id (built once)."""
        if self._by_id is None:
            self._by_id = self.places.set_index("place_id", drop=False)
        return self._by_id


_lock = threading.Lock()
_loaded: dict[tuple[str, str], tuple[str, Gazetteer]] = {}


def build_gazetteer(settings: Settings | None = None, force: bool = False) -> Gazetteer:
    """Build (or, unless force, reuse the up-to-date cache) and return the gazetteer. The
    in-process copy (with geocoded points applied) is kept by :func:`load_gazetteer` only."""
    settings = settings or load_settings()
    out = gb.cache_path(settings)
    fp = gb.fingerprint(settings)
    if not force:
        g = _read_cache(out, fp)
        if g is not None:
            return g
    places, names, counties, meta = gb.assemble(settings)
    try:
        gb.write_cache(out, places, names, counties, meta)
    except OSError as e:  # a read-only cache must not stop the pipeline
        log.warning("could not cache the gazetteer in %s: %s", out, e)
    return Gazetteer(places, names, counties, meta)


def load_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The gazetteer for these settings: in-process copy, else cache, else a fresh build."""
    settings = settings or load_settings()
    key = _key(settings)
    built_fp = gb.fingerprint(settings)
    fp = built_fp + _geocoded_stamp(settings)
    with _lock:
        hit = _loaded.get(key)
        if hit and hit[0] == fp:
            return hit[1]
        g = _read_cache(gb.cache_path(settings), built_fp)
        if g is None:  # built here: the same frames a later process reads back from the cache
            built = build_gazetteer(settings, force=True)
            g = _as_read(built.places, built.names, built.counties, built.meta)
        g = _with_geocoded(g, settings)
        _loaded[key] = (fp, g)
        return g


def gazetteer_key(settings: Settings) -> str:
    """What the loaded gazetteer depends on: its build fingerprint and the geocoded points' stamp
    (cheap: nothing is loaded). A cache derived from the gazetteer keys itself on this."""
    return gb.fingerprint(settings) + _geocoded_stamp(settings)


def _geocoded_stamp(settings: Settings) -> str:
    """Changes when `geo geocode` adds answers, so a long-running app sees them."""
    p = cache_file(settings)
    return f":{p}:{p.stat().st_mtime_ns}" if p.is_file() else ""


def _with_geocoded(g: Gazetteer, settings: Settings) -> Gazetteer:
    """Upgrade county-precision points with cached geocoder answers (applied at load, never
    baked into the build cache, so deleting the geocoder cache returns to the offline state)."""
    places = apply_geocoded(
        g.places, cache_file(settings), g.counties, prefer=(settings.geocoder,) if settings.geocoder else ()
    )
    return g if places is g.places else Gazetteer(places, g.names, g.counties, g.meta)


def _key(settings: Settings) -> tuple[str, str]:
    return (str(settings.cache_dir), str(settings.curated_dir))


def _read_cache(out: Path, fp: str) -> Gazetteer | None:
    meta_path = out / "meta.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):  # valid JSON, but not what we write: a stale cache
            log.warning("gazetteer cache in %s has a meta.json that is not an object; rebuilding", out)
            return None
        if meta.get("fingerprint") != fp:
            return None
        places = pd.read_parquet(out / "places.parquet")
        names = pd.read_parquet(out / "names.parquet")
        counties = gpd.read_parquet(out / "counties.parquet")
    except (OSError, ValueError) as e:
        log.warning("gazetteer cache in %s unreadable (%s); rebuilding", out, e)
        return None
    return _as_read(places, names, counties, meta)


def _as_read(places: pd.DataFrame, names: pd.DataFrame, counties, meta: dict) -> Gazetteer:
    """The gazetteer's frames as every process holds them, whether it read the cache or built it:
    text (and the historical years) as object columns with None where missing, each distinct
    string held once — so the first run of a new user sees what every later run sees."""
    places = shared_strings(places, [c for c in places.columns if c not in ("lon", "lat")])
    places["lon"], places["lat"] = places.lon.astype(float), places.lat.astype(float)
    return Gazetteer(places, shared_strings(names, list(names.columns)), counties, meta)


def chain_of(row) -> str:
    """'浙江省/嘉兴市/南湖区/七星街道' — the containing units then the place itself."""
    parts = [row["province"], row["city"], row["county"], row["township"]]
    parts = [p for p in parts if isinstance(p, str) and p]  # a listed landmark may have none (NaN)
    if row["name"] not in parts:
        parts.append(row["name"])
    return "/".join(dict.fromkeys(parts))


def lookup(g: Gazetteer, name: str, home_province: str | None = None) -> pd.DataFrame:
    """Every candidate place for a name, alias, short or historical form (one row each).

    Ordered home province first (by its full name, e.g. 浙江省), then by level (province before
    township) and place id.
    """
    home_province_id = g.province_id(home_province) if home_province else None
    name = (name or "").strip()
    hits = g.names[g.names.name == name]
    if hits.empty:
        return pd.DataFrame(columns=LOOKUP_COLUMNS)
    # One row per place: the most trusted name type wins, notes of all matching names are kept.
    hits = hits.assign(_t=hits.name_type.map(NAME_TYPE_ORDER)).sort_values("_t", kind="stable")
    notes = hits.groupby("place_id", sort=False).note.agg(
        lambda ns: "; ".join(dict.fromkeys(n for n in ns if isinstance(n, str) and n)) or None
    )
    hits = hits.drop_duplicates("place_id").assign(note=lambda d: d.place_id.map(notes))
    places = g.by_id.loc[hits.place_id]
    out = pd.DataFrame(
        {
            "query": name,
            "name_type": hits.name_type.to_numpy(),
            "place_id": hits.place_id.to_numpy(),
            "name": places.name.to_numpy(),
            "level": places.level.to_numpy(),
            "chain": [chain_of(r) for _, r in places.iterrows()],
            "precision": places.precision.to_numpy(),
            "lon": places.lon.to_numpy(),
            "lat": places.lat.to_numpy(),
            "source": places.source.to_numpy(),
            "note": [
                n if isinstance(n, str) else (p if isinstance(p, str) else None)
                for n, p in zip(hits.note, places.note)
            ],
        }
    )
    rank = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    out["_h"] = [0 if p == home_province_id else 1 for p in places.province_id]
    out["_r"] = out.level.map(rank)
    return (
        out.sort_values(["_h", "_r", "place_id"], kind="stable")
        .drop(columns=["_h", "_r"])
        .reset_index(drop=True)
    )


def gazetteer_stats(g: Gazetteer, home_province: str) -> dict:
    """Counts per level (all China and the home province), point precision, names by type."""
    province_id = g.province_id(home_province) or home_province
    p = g.places
    prov = p[(p.province_id == province_id) | (p.place_id == province_id)]
    towns = prov[prov.level == "township"]
    return {
        "places_by_level": p.level.value_counts().to_dict(),
        f"province_{province_id}_by_level": prov.level.value_counts().to_dict(),
        f"province_{province_id}_township_precision": towns.precision.value_counts().to_dict(),
        f"province_{province_id}_township_point_source": {
            "GeoNames, Chinese name": int(towns.source.str.contains("matched by chinese name").sum()),
            "GeoNames, pinyin": int(towns.source.str.contains("matched by pinyin").sum()),
            "curated towns.csv": int(towns.source.str.contains("towns.csv").sum()),
            "county fallback": int((towns.precision == "county").sum()),
        },
        "names_by_type": g.names.name_type.value_counts().to_dict(),
        "county_polygons": len(g.counties),
        "sources": g.meta.get("sources"),
        "built_at": g.meta.get("built_at"),
        "build_seconds": g.meta.get("build_seconds"),
        "fingerprint": g.meta.get("fingerprint"),
        "warnings": g.meta.get("warnings", []),
        "completeness": g.meta.get("completeness"),
    }
