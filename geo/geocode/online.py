"""Online geocoding of places the offline gazetteer can only put at their county's point.

Optional and never on the build path: ``python -m geo geocode --missing`` asks one provider
(geo.geocode.providers) for each county-precision place, keeps an answer only if it falls inside
the place's county polygon, and stores every final answer in a SQLite cache under
Settings.data_dir. The gazetteer loader then calls ``apply_geocoded`` (no network) to use the
accepted points with precision ``exact`` and source ``geocoder:<provider>``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from shapely.geometry import Point

from geo.errors import GeocoderError
from geo.gazetteer.geocoded import CACHE_FILE, GeocodeCache, apply_geocoded, cache_file, county_shapes  # noqa: F401 (re-exported)
from geo.gazetteer.store import load_gazetteer
from geo.geocode.providers import GeocodeQuery, Provider, ProviderFailure
from geo.geocode.services import make_provider
from geo.settings import Settings, load_settings


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (WGS-84 mean radius); enough to judge offsets."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


#: Levels worth geocoding (a county's own point is its polygon's, by definition).
GEOCODABLE_LEVELS = ("township", "zone", "landmark", "village")
#: Statuses that are final: a rerun does not ask again.
FINAL_STATUSES = ("ok", "rejected", "coarse", "not_found")
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


# ---------------------------------------------------------------------------------------------
# Choosing what to ask, and how
# ---------------------------------------------------------------------------------------------
def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v).strip()
    return s or None


def query_chain(row) -> str:
    """The full admin chain, e.g. 浙江省杭州市萧山区临浦镇 (placeholders and repeats dropped)."""
    parts: list[str] = []
    for col in ("province", "city", "county", "township", "name"):
        v = _text(row.get(col))
        if v and v not in _PLACEHOLDERS and v not in parts:
            parts.append(v)
    return "".join(parts)


def missing_places(places: pd.DataFrame, province: str | None = None) -> pd.DataFrame:
    """County-precision places below county level that have a county to check against.

    Townships first (most useful on a map), then zones, landmarks, villages.
    """
    m = (places["precision"] == "county") & places["level"].isin(GEOCODABLE_LEVELS)
    m &= places["county_id"].notna()
    if province:
        m &= places["province"] == province
    order = {lvl: i for i, lvl in enumerate(GEOCODABLE_LEVELS)}
    sub = places[m]
    return sub.assign(_o=sub["level"].map(order)).sort_values(["_o", "place_id"]).drop(columns="_o")


@dataclass
class GeocodeReport:
    """What one run did; errors are grouped by kind so each is reported once."""

    provider: str
    attribution: str = ""
    candidates: int = 0  # places that needed a point
    cached: int = 0  # answered from the cache, no request
    accepted: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # place_id, name, why
    not_found: int = 0
    failed: int = 0  # asked, no usable answer because of an error; kept fallback
    skipped: int = 0  # not asked: the run stopped (fatal error, repeated failures)
    requests: int = 0
    errors: dict[str, dict] = field(default_factory=dict)  # kind → {count, message}
    stopped: str | None = None
    exact_before: int = 0
    exact_after: int = 0
    notes: list[str] = field(default_factory=list)  # what the run did besides asking (cache reset)

    @property
    def ok(self) -> bool:
        return not self.errors

    def note_error(self, f: ProviderFailure) -> None:
        e = self.errors.setdefault(f.kind, {"count": 0, "message": f.message})
        e["count"] += 1


Progress = Callable[[int, int, "GeocodeReport"], None]


def geocode_places(
    places: pd.DataFrame,
    counties,
    provider: Provider,
    cache: GeocodeCache,
    *,
    limit: int | None = None,
    province: str | None = None,
    max_consecutive_failures: int = 3,
    progress: Progress | None = None,
) -> GeocodeReport:
    """Ask ``provider`` for every missing place (cache first); never raises on provider failure."""
    report = GeocodeReport(provider=provider.name, attribution=provider.attribution)

    def n_exact() -> int:
        return int((apply_geocoded(places, cache, counties)["precision"] == "exact").sum())

    report.exact_before = n_exact()
    todo = missing_places(places, province)
    if limit is not None:
        todo = todo.head(max(0, limit))
    report.candidates = len(todo)
    shapes = county_shapes(counties)
    consecutive = 0
    start_requests = provider.requests_made
    for i, row in enumerate(todo.to_dict("records"), 1):
        failure = _geocode_one(row, shapes, provider, cache, report)
        consecutive = consecutive + 1 if failure else 0
        if failure and failure.fatal:
            report.stopped = f"{failure.kind}: {failure.message}"
        elif consecutive >= max_consecutive_failures:
            report.stopped = (
                f"gave up after {consecutive} consecutive failures; remaining places keep their county point"
            )
        if report.stopped:
            report.skipped = len(todo) - i
        if progress:
            progress(len(todo) if report.stopped else i, len(todo), report)
        if report.stopped:
            break
    report.requests = provider.requests_made - start_requests
    report.exact_after = n_exact()
    return report


def _geocode_one(
    row: dict, shapes: dict, provider: Provider, cache: GeocodeCache, report: GeocodeReport
) -> ProviderFailure | None:
    """One place: cache, else ask; records the outcome; returns the failure if the call failed."""
    pid, county_id, name = str(row["place_id"]), str(row["county_id"]), str(row["name"])
    text = query_chain(row)
    hit = cache.get(provider.name, text)
    if hit is not None and hit["status"] in FINAL_STATUSES:
        report.cached += 1
        if hit["status"] == "ok":
            report.accepted += 1
        elif hit["status"] == "not_found":
            report.not_found += 1
        else:  # rejections are reported on every run
            report.rejected.append((pid, name, f"{hit['note']} (cached {hit['requested_at'][:10]})"))
        return None
    shape = shapes.get(county_id)
    if shape is None:
        report.rejected.append((pid, name, f"no polygon for county {county_id}; not asked"))
        return None
    q = GeocodeQuery(
        text=text, name=name, county_code=county_id if county_id.isdigit() else None, bbox=shape[1]
    )
    try:
        cand = provider.geocode(q)
    except ProviderFailure as f:
        report.failed += 1
        report.note_error(f)
        return f
    if cand is None:
        status, why = "not_found", None
        report.not_found += 1
    elif cand.coarse:
        status, why = "coarse", f"provider only matched {cand.label or 'a larger area'}"
    elif not shape[0].covers(Point(cand.lon, cand.lat)):
        km = haversine_m(cand.lon, cand.lat, float(row["lon"]), float(row["lat"])) / 1000
        status, why = (
            "rejected",
            (
                f"answer ({cand.lon:.5f}, {cand.lat:.5f}) {cand.label} is "
                f"outside county {county_id}, {km:.0f} km from its point"
            ),
        )
    else:
        status, why = "ok", None
        report.accepted += 1
    if why:
        report.rejected.append((pid, name, why))
    cache.put(
        provider=provider.name,
        query=text,
        place_id=pid,
        county_id=county_id,
        status=status,
        candidate=cand,
        note=why,
    )
    return None


# ---------------------------------------------------------------------------------------------
# The CLI's job: python -m geo geocode --missing
# ---------------------------------------------------------------------------------------------
def _load_gazetteer(settings: Settings):

    return load_gazetteer(settings)


def geocode_missing(
    settings: Settings | None = None,
    *,
    provider: str | None = None,
    limit: int | None = None,
    gazetteer=None,
    progress: Progress | None = None,
    **tuning,
) -> GeocodeReport:
    """Fill county-precision places of the home province from ``provider`` (or Settings.geocoder).

    ``tuning`` goes to the provider (min_interval, max_retries, backoff_base, backoff_max) or the
    run (max_consecutive_failures).
    """
    settings = settings or load_settings()
    name = provider or settings.geocoder
    if not name:
        raise GeocoderError(
            "no geocoder chosen: pass --provider or set ATLAS_GEOCODER (tianditu, amap, nominatim)"
        )
    run_kw = {k: tuning.pop(k) for k in ("max_consecutive_failures",) if k in tuning}
    p = make_provider(
        name,
        base_url=settings.geocoder_base_url,
        timeout=settings.geocoder_timeout_s,
        key=settings.geocoder_key(name.lower()),
        contact=settings.geocoder_contact,
        **tuning,
    )
    g = gazetteer if gazetteer is not None else _load_gazetteer(settings)
    cache, reset = GeocodeCache.open_or_reset(cache_file(settings))
    with cache:
        report = geocode_places(
            g.places,
            g.counties,
            p,
            cache,
            limit=limit,
            province=settings.home_province,
            progress=progress,
            **run_kw,
        )
    if reset:
        report.notes.insert(0, reset)
    return report


class TextProgress:
    """A dependency-free progress bar on stderr (redrawn in place on a terminal)."""

    def __init__(self, stream=None, width: int = 30):
        self.stream, self.width = stream or sys.stderr, width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_step = -1

    def __call__(self, done: int, total: int, report: GeocodeReport) -> None:
        total = max(total, 1)
        filled = int(self.width * done / total)
        line = (
            f"geocode [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}  "
            f"ok {report.accepted} · rejected {len(report.rejected)} · "
            f"not found {report.not_found} · failed {report.failed}"
        )
        step = int(10 * done / total)
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        elif step != self._last_step or done >= total:
            self.stream.write(line + "\n")
        self._last_step = step
        self.stream.flush()


def format_report(r: GeocodeReport) -> list[str]:
    """Human lines for the CLI: totals, each error kind once, each rejection."""
    lines = [f"note: {n}" for n in r.notes] + [
        f"provider {r.provider}: {r.candidates} places at county precision, "
        f"{r.requests} requests, {r.cached} answered from cache",
        f"accepted {r.accepted}, rejected {len(r.rejected)}, not found {r.not_found}, "
        f"failed {r.failed}, not asked {r.skipped}",
        f"exact points: {r.exact_before} → {r.exact_after}",
    ]
    for pid, name, why in r.rejected:
        lines.append(f"rejected {pid} {name}: {why}")
    for kind, e in r.errors.items():
        lines.append(f"error ({kind}, {e['count']}×): {e['message']} — these places keep their county point")
    if r.stopped:
        lines.append(f"stopped asking: {r.stopped}")
    if r.attribution:
        lines.append(f"geocoding data {r.attribution}")
    return lines
