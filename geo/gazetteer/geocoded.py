"""Cached geocoder answers applied to the gazetteer offline (no network here).

``python -m geo geocode`` (geo.geocode) stores every final answer in a SQLite file under
Settings.data_dir; :func:`apply_geocoded` upgrades county-precision places that have an accepted
point to precision ``exact`` with source ``geocoder:<provider>``. The gazetteer loader calls it at
load time, so deleting the cache returns the atlas to its offline state.

Reading never changes the file (SQLite opened read-only), and a cache that cannot be read
(garbage, truncated, another schema) is a warning, not a crash: extract, export and the app carry
on with the offline points. ``python -m geo geocode`` moves such a file aside and starts anew.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from shapely.geometry import Point
from shapely.prepared import prep

from geo.errors import CacheCorruptError
from geo.settings import Settings

log = logging.getLogger(__name__)

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

    COLUMNS = (
        "provider", "query", "place_id", "county_id", "status", "lon", "lat", "raw_lon", "raw_lat",
        "crs", "label", "detail", "note", "requested_at",
    )  # fmt: skip

    def __init__(self, path: Path, readonly: bool = False):
        """Open (read-write: create the table if needed; ``readonly``: never write, never
        create). CacheCorruptError if the file is not a cache of this schema."""
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        try:
            if readonly:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, timeout=30)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(self.path, timeout=30)
                with self._conn:
                    self._conn.execute(self._SCHEMA)
            have = {row[1] for row in self._conn.execute("PRAGMA table_info(answers)")}
        except sqlite3.DatabaseError as e:
            self.close()
            raise CacheCorruptError(f"geocode cache {self.path} is unreadable ({e})") from None
        missing = [c for c in self.COLUMNS if c not in have]
        if missing:
            self.close()
            raise CacheCorruptError(
                f"geocode cache {self.path} has another schema (no {', '.join(missing[:3])} column)"
            )

    @classmethod
    def open_or_reset(cls, path: Path) -> tuple[GeocodeCache, str | None]:
        """The cache for writing; an unreadable one is moved aside first. Returns (cache, what
        was done, for the user)."""
        path = Path(path)
        try:
            cache = cls(path)
            cache._check_rows()
            return cache, None
        except CacheCorruptError as e:
            problem = str(e)
        aside = path.with_name(f"{path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        for suffix in ("", "-journal", "-wal", "-shm"):  # a stale journal must not replay
            if os.path.lexists(f"{path}{suffix}"):
                os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        return cls(path), f"{problem}: moved it aside to {aside} and started a new cache"

    def _check_rows(self) -> None:
        try:
            ok = self._connection().execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as e:
            ok = str(e)
        if ok != "ok":
            self.close()
            raise CacheCorruptError(f"geocode cache {self.path} is damaged ({ok})")

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise CacheCorruptError(f"geocode cache {self.path} is closed")
        return self._conn

    @classmethod
    def for_settings(cls, settings: Settings) -> GeocodeCache:
        return cls(cache_file(settings))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __len__(self) -> int:
        return self._connection().execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def get(self, provider: str, query: str) -> dict | None:
        cur = self._connection().execute(
            "SELECT * FROM answers WHERE provider=? AND query=?", (provider, query)
        )
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
        conn = self._connection()
        with conn:  # commit or roll back: never half a row
            conn.execute(f"INSERT OR REPLACE INTO answers ({', '.join(self.COLUMNS)}) "
                         f"VALUES ({', '.join('?' * len(self.COLUMNS))})", values)  # fmt: skip

    def table(self) -> pd.DataFrame:
        """Every answer; CacheCorruptError if the rows cannot be read (a truncated file)."""
        cols = ", ".join(self.COLUMNS)
        try:
            rows = (
                self._connection()
                .execute(f"SELECT {cols} FROM answers ORDER BY requested_at, provider, query")
                .fetchall()
            )
        except sqlite3.DatabaseError as e:
            raise CacheCorruptError(f"geocode cache {self.path} is unreadable ({e})") from None
        return pd.DataFrame(rows, columns=list(self.COLUMNS))


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
        try:
            with GeocodeCache(Path(cache), readonly=True) as c:
                return apply_geocoded(places, c, counties, prefer)
        except CacheCorruptError as e:
            log.warning("%s; carrying on without geocoded points (python -m geo geocode resets it)", e)
            return places
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
