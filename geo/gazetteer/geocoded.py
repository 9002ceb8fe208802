"""Cached geocoder answers applied to the gazetteer offline (no network here).

``python -m geo geocode`` (geo.geocode) stores every final answer in a SQLite file under
Settings.data_dir; :func:`apply_geocoded` upgrades county-precision places that have an accepted
point to precision ``exact`` with source ``geocoder:<provider>``. The gazetteer loader calls it at
load time, so deleting the cache returns the atlas to its offline state.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from shapely.geometry import Point
from shapely.prepared import prep

from geo.settings import Settings

CACHE_FILE = "geocode_cache.sqlite"


def cache_file(settings: Settings) -> Path:
    """Where geocoder answers live (Settings.data_dir: they must survive cache clean-ups)."""
    return Path(settings.data_dir) / CACHE_FILE


# ---------------------------------------------------------------------------------------------
# The cache
# ---------------------------------------------------------------------------------------------
class GeocodeCache:
    """Every final answer, one row per (provider, query); each write is one SQLite transaction."""

    _SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
        provider TEXT NOT NULL, query TEXT NOT NULL, place_id TEXT, county_id TEXT,
        status TEXT NOT NULL, lon REAL, lat REAL, raw_lon REAL, raw_lat REAL, crs TEXT,
        label TEXT, detail TEXT, note TEXT, requested_at TEXT NOT NULL,
        PRIMARY KEY (provider, query))"""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=30)
        with self._conn:
            self._conn.execute(self._SCHEMA)

    @classmethod
    def for_settings(cls, settings: Settings) -> GeocodeCache:
        return cls(cache_file(settings))

    def close(self) -> None:
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __len__(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def get(self, provider: str, query: str) -> dict | None:
        cur = self._conn.execute("SELECT * FROM answers WHERE provider=? AND query=?", (provider, query))
        row = cur.fetchone()
        return dict(zip([c[0] for c in cur.description], row)) if row else None

    def put(
        self,
        *,
        provider: str,
        query: str,
        place_id: str,
        county_id: str | None,
        status: str,
        candidate=None,
        note: str | None = None,
    ) -> None:
        c = candidate
        values = (
            provider,
            query,
            place_id,
            county_id,
            status,
            c.lon if c else None,
            c.lat if c else None,
            c.raw_lon if c else None,
            c.raw_lat if c else None,
            c.crs if c else None,
            c.label if c else None,
            json.dumps(c.detail, ensure_ascii=False, default=str) if c else None,
            note,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._conn:  # commit or roll back: never half a row
            self._conn.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values)

    def table(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM answers ORDER BY requested_at, provider, query", self._conn)


# ---------------------------------------------------------------------------------------------
# Using cached answers (pure, offline): the gazetteer loader's entry point
# ---------------------------------------------------------------------------------------------
def apply_geocoded(
    places: pd.DataFrame,
    cache: GeocodeCache | Path | str | None,
    counties=None,
    prefer: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Upgrade county-precision rows that have an accepted cached point to precision ``exact``.

    Returns a copy; rows without an accepted answer are untouched. ``cache`` may be a path: a
    missing file means no answers (nothing is created). Given ``counties``, a cached point is
    re-checked against today's polygon of the row's county. With answers from several providers,
    ``prefer`` orders them, then the most recent wins.
    """
    if cache is None:
        return places
    if not isinstance(cache, GeocodeCache):
        if not Path(cache).is_file():
            return places
        with GeocodeCache(Path(cache)) as c:
            return apply_geocoded(places, c, counties, prefer)
    answers = cache.table()
    answers = answers[answers["status"] == "ok"]
    if answers.empty or places.empty:
        return places
    rank = {p: i for i, p in enumerate(prefer)}
    answers = answers.assign(_rank=answers["provider"].map(lambda p: rank.get(p, len(rank))))
    answers = answers.sort_values(["_rank", "requested_at"], ascending=[True, False])
    best = answers.drop_duplicates("place_id").set_index("place_id")
    target = (places["precision"] == "county") & places["place_id"].isin(best.index)
    if counties is not None and target.any():
        needed = set(places.loc[target, "county_id"].astype(str))
        shapes = county_shapes(counties[counties["place_id"].astype(str).isin(needed)])
        for i in places.index[target]:
            pid, cid = places.at[i, "place_id"], str(places.at[i, "county_id"])
            shape = shapes.get(cid)
            pt = Point(best.at[pid, "lon"], best.at[pid, "lat"])
            target[i] = shape is not None and shape[0].covers(pt)
    if not target.any():
        return places
    out = places.copy()
    ids = out.loc[target, "place_id"]
    out.loc[target, "lon"] = ids.map(best["lon"]).astype(float).to_numpy()
    out.loc[target, "lat"] = ids.map(best["lat"]).astype(float).to_numpy()
    out.loc[target, "source"] = ids.map(lambda i: f"geocoder:{best.at[i, 'provider']}").to_numpy()
    out.loc[target, "precision"] = "exact"
    return out


def county_shapes(counties) -> dict[str, tuple]:
    """Prepared polygon and bounds of each county, by place_id (for point-in-county checks)."""
    shapes = {}
    for pid, geom in zip(counties["place_id"], counties.geometry):
        if geom is not None and not geom.is_empty:
            shapes[str(pid)] = (prep(geom), geom.bounds)
    return shapes
