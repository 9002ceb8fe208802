"""Online geocoder adapters (天地图, 高德, Nominatim) and the GCJ-02 datum shift.

Network I/O lives here and nowhere else in geo.geocode.online: one HTTP call per attempt, bounded retries
with back-off, a per-provider rate limit, and every failure turned into a ``ProviderFailure`` whose
message never contains a key. Coordinates leave this module in WGS-84.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field

import requests

from geo._version import __version__
from geo.errors import GeocoderError

# GCJ-02 ("Mars coordinates") <-> WGS-84. AMap answers in GCJ-02, a published, deterministic
# obfuscation of WGS-84 (shift of a few hundred metres, zero outside China).
_KRASOVSKY_A = 6378245.0  # semi-major axis the shift is computed on (m)
_KRASOVSKY_E2 = 0.00669342162296594323  # its first eccentricity squared


def _outside_china(lon: float, lat: float) -> bool:
    """GCJ-02 leaves points outside this rough box untouched."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _wave(x: float, t: float, k1: float, k2: float) -> float:
    """Sine terms of the shift polynomials: a term in x for both axes, then terms in t (the
    axis' own variable: y for the northing, x for the easting) with amplitudes k1, k2."""
    pi = math.pi
    return (
        (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * math.sin(t * pi) + 40.0 * math.sin(t / 3.0 * pi)) * 2.0 / 3.0
        + (k1 * math.sin(t / 12.0 * pi) + k2 * math.sin(t / 30.0 * pi)) * 2.0 / 3.0
    )


def _shift_deg(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 offset (dlon, dlat) in degrees at a WGS-84 point."""
    x, y = lon - 105.0, lat - 35.0
    north = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * math.sqrt(abs(x))
        + _wave(x, y, 160.0, 320.0)
    )
    east = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + _wave(x, x, 150.0, 300.0)
    )
    phi = math.radians(lat)
    w = 1.0 - _KRASOVSKY_E2 * math.sin(phi) ** 2
    meridian_radius = _KRASOVSKY_A * (1.0 - _KRASOVSKY_E2) / (w * math.sqrt(w))
    parallel_radius = _KRASOVSKY_A / math.sqrt(w) * math.cos(phi)
    return math.degrees(east / parallel_radius), math.degrees(north / meridian_radius)


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (closed form)."""
    if _outside_china(lon, lat):
        return lon, lat
    dlon, dlat = _shift_deg(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float, tol_deg: float = 1e-10, max_iter: int = 30) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by fixed-point iteration (the shift is smooth; converges in a few steps)."""
    if _outside_china(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _ in range(max_iter):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        err_lon, err_lat = g_lon - lon, g_lat - lat
        w_lon, w_lat = w_lon - err_lon, w_lat - err_lat
        if abs(err_lon) < tol_deg and abs(err_lat) < tol_deg:
            break
    return w_lon, w_lat


# -- failures, queries, answers --------------------------------------------------------------
_SECRET_PARAM = re.compile(r"(?i)\b(tk|key|apikey|api_key|ak)=([^&\s'\"]+)")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove keys from anything we might print: known secrets and any ``tk=``/``key=`` value."""
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=***", text)


class ProviderFailure(GeocoderError):
    """One failed call; kind: network timeout http_429 http_5xx http_4xx malformed api_error
    rate_limited key_refused quota. ``fatal``: no point asking again this run."""

    def __init__(
        self,
        provider: str,
        kind: str,
        message: str,
        *,
        retryable: bool = False,
        fatal: bool = False,
        retry_after: float | None = None,
    ):
        self.provider, self.kind, self.message = provider, kind, message
        self.retryable, self.fatal, self.retry_after = retryable, fatal, retry_after
        super().__init__(f"{provider}: {kind}: {message}")


@dataclass(frozen=True)
class GeocodeQuery:
    """What we ask: the full admin chain, the place's own name, its county code and box."""

    text: str  # 浙江省杭州市萧山区临浦镇
    name: str  # 临浦镇
    county_code: str | None  # 330109
    bbox: tuple[float, float, float, float] | None = None  # county's lon/lat min, lon/lat max


@dataclass(frozen=True)
class Candidate:
    """One answer, already in WGS-84; raw_* are the provider's own numbers (crs says which)."""

    lon: float
    lat: float
    raw_lon: float
    raw_lat: float
    crs: str  # "CGCS2000" | "GCJ-02" | "WGS-84"
    label: str  # what the provider says it found
    coarse: bool = False  # provider only matched the county or above
    detail: dict = field(default_factory=dict)  # a small excerpt of the raw answer


class RateLimiter:
    """At most one call per ``min_interval`` seconds (monotonic clock, shared by retries)."""

    def __init__(self, min_interval: float):
        self.min_interval = max(0.0, float(min_interval))
        self._next = 0.0

    def wait(self) -> None:
        now = time.monotonic()
        if now < self._next:
            time.sleep(self._next - now)
        self._next = max(now, self._next) + self.min_interval


def _seconds(value) -> float | None:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def _float(value, provider: str, what: str) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ProviderFailure(provider, "malformed", f"{what} is not a number: {value!r:.40}") from None
    if not math.isfinite(f):
        raise ProviderFailure(provider, "malformed", f"{what} is not finite")
    return f


def _lonlat_pair(text, provider: str) -> tuple[float, float]:
    parts = [p for p in re.split(r"[,\s]+", str(text or "").strip()) if p]
    if len(parts) != 2:
        raise ProviderFailure(provider, "malformed", f"not a coordinate pair: {text!r:.40}")
    return _float(parts[0], provider, "lon"), _float(parts[1], provider, "lat")


# -- providers -------------------------------------------------------------------------------
class Provider:
    """Shared HTTP machinery; subclasses say how to ask (``_request``) and read (``_parse``)."""

    name = ""
    default_base_url = ""
    key_env: str | None = None
    attribution = ""
    default_min_interval = 0.5

    def __init__(
        self,
        *,
        key: str | None = None,
        base_url: str | None = None,
        timeout: float = 10.0,
        min_interval: float | None = None,
        max_retries: int = 2,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        session: requests.Session | None = None,
        contact: str | None = None,
    ):
        if self.key_env and not key:
            raise GeocoderError(f"{self.name} needs a key: set {self.key_env}")
        self.key = key
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.timeout = float(timeout)
        interval = self.default_min_interval if min_interval is None else min_interval
        if self.base_url == self.default_base_url:  # the public service: never faster than policy
            interval = max(interval, self.default_min_interval)
        self.limiter = RateLimiter(interval)
        self.max_retries = max_retries
        self.backoff_base, self.backoff_max = backoff_base, backoff_max
        self.session = session or requests.Session()
        contact = contact or "no contact configured"
        self.user_agent = f"corpus-atlas/{__version__} (geocoding a news corpus; {contact})"
        self.requests_made = 0

    def _request(self, q: GeocodeQuery) -> tuple[str, dict]:  # → (path, params)
        raise NotImplementedError

    def _parse(self, payload, q: GeocodeQuery) -> Candidate | None:
        raise NotImplementedError

    def _fail(self, kind: str, message: str, **kw) -> ProviderFailure:
        return ProviderFailure(self.name, kind, redact(message, (self.key or "",)), **kw)

    def _call(self, q: GeocodeQuery):
        path, params = self._request(q)
        self.limiter.wait()
        self.requests_made += 1
        try:
            r = self.session.get(
                self.base_url + path,
                params=params,
                timeout=self.timeout,
                headers={"User-Agent": self.user_agent, "Accept": "application/json"},
            )
        except requests.Timeout:
            raise self._fail(
                "timeout", f"no answer from {self.base_url} within {self.timeout:g} s", retryable=True
            ) from None
        except requests.RequestException as e:
            why = re.search(r"\[Errno -?\d+\][^'\")]*", str(e))
            raise self._fail(
                "network",
                f"cannot reach {self.base_url}: {why.group(0) if why else type(e).__name__}",
                retryable=True,
            ) from e
        if r.status_code == 429 or r.status_code >= 500:
            kind = "http_429" if r.status_code == 429 else "http_5xx"
            raise self._fail(
                kind,
                f"HTTP {r.status_code} from {self.base_url}{path}",
                retryable=True,
                retry_after=_seconds(r.headers.get("Retry-After")),
            )
        if r.status_code in (401, 403):
            raise self._fail("key_refused", f"HTTP {r.status_code}: {r.text[:120]}", fatal=True)
        if r.status_code >= 400:
            raise self._fail("http_4xx", f"HTTP {r.status_code}: {r.text[:120]}")
        try:
            return r.json()
        except ValueError:
            raise self._fail("malformed", f"answer is not JSON: {r.text[:60]!r}") from None

    def geocode(self, q: GeocodeQuery) -> Candidate | None:
        """Best candidate, or None when the provider knows nothing; raises ProviderFailure."""
        for attempt in range(self.max_retries + 1):
            try:
                return self._parse(self._call(q), q)
            except ProviderFailure as f:
                if not f.retryable or attempt == self.max_retries:
                    raise
                delay = min(self.backoff_max, self.backoff_base * 2**attempt)
                if f.retry_after is not None:
                    delay = min(self.backoff_max, max(delay, f.retry_after))
                time.sleep(delay)
        raise AssertionError("unreachable")


class TiandituProvider(Provider):
    """天地图 地名搜索 V2.0, 行政区划区域搜索 (queryType 12, ``specify`` = 156 + county code).
    CGCS2000 answers are used as WGS-84 (they differ by centimetres)."""

    name = "tianditu"
    default_base_url = "http://api.tianditu.gov.cn"
    key_env = "ATLAS_TIANDITU_KEY"
    attribution = "© 天地图 (National Platform for Common GeoSpatial Information Services)"
    default_min_interval = 0.2

    def _request(self, q):
        post = {"keyWord": q.text, "start": 0, "count": 5, "show": 1}
        if q.county_code and len(q.county_code) == 6:
            post.update(queryType=12, specify=f"156{q.county_code}")
        else:  # no code: ordinary search inside the box
            box = q.bbox or (73.5, 18.0, 135.1, 53.6)
            post.update(queryType=1, level=12, mapBound=",".join(f"{v:.5f}" for v in box))
        return "/v2/search", {
            "postStr": json.dumps(post, ensure_ascii=False),
            "type": "query",
            "tk": self.key,
        }

    def _parse(self, payload, q):
        if not isinstance(payload, dict):
            raise self._fail("malformed", "answer is not a JSON object")
        status = payload.get("status")
        status = status if isinstance(status, dict) else {}
        code = str(status.get("infocode", "1000"))
        if code != "1000":
            raise self._fail("api_error", f"infocode {code} {status.get('cndesc', '')}")
        result_type = str(payload.get("resultType", ""))
        if result_type == "1":
            pois = payload.get("pois") or []
            if not isinstance(pois, list) or not pois:
                return None
            named = [p for p in pois if isinstance(p, dict) and q.name in str(p.get("name", ""))]
            poi = (named or pois)[0]
            if not isinstance(poi, dict):
                raise self._fail("malformed", "poi is not an object")
            lon, lat = _lonlat_pair(poi.get("lonlat"), self.name)
            return Candidate(
                lon,
                lat,
                lon,
                lat,
                "CGCS2000",
                str(poi.get("name", "")),
                detail={k: poi.get(k) for k in ("name", "address", "lonlat")},
            )
        if result_type == "3":  # an administrative area answered
            area = payload.get("area") or {}
            if not isinstance(area, dict):
                raise self._fail("malformed", "area is not an object")
            lon, lat = _lonlat_pair(area.get("lonlat"), self.name)
            label = str(area.get("name", ""))
            return Candidate(
                lon,
                lat,
                lon,
                lat,
                "CGCS2000",
                label,
                coarse=q.name not in label,
                detail={k: area.get(k) for k in ("name", "lonlat", "level")},
            )
        return None  # statistics / suggestions: no point


_AMAP_REFUSED = {
    "10001",
    "10002",
    "10005",
    "10006",
    "10007",
    "10008",
    "10009",
    "10010",
    "10011",
    "10012",
    "10013",
}
_AMAP_QUOTA = {"10003", "10044", "10045"}
_AMAP_THROTTLED = {"10004", "10014", "10015", "10016", "10019", "10020", "10021", "10029"}
_AMAP_COARSE_LEVELS = {"国家", "省", "市", "区县"}


class AmapProvider(Provider):
    """高德 Web 服务 地理编码 (/v3/geocode/geo, ``city`` = county adcode); answers GCJ-02."""

    name = "amap"
    default_base_url = "https://restapi.amap.com"
    key_env = "ATLAS_AMAP_KEY"
    attribution = "© 高德地图 AutoNavi"
    default_min_interval = 0.34  # personal keys: 3 requests/s

    def _request(self, q):
        params = {"address": q.text, "key": self.key, "output": "JSON"}
        if q.county_code:
            params["city"] = q.county_code
        return "/v3/geocode/geo", params

    def _parse(self, payload, q):
        if not isinstance(payload, dict):
            raise self._fail("malformed", "answer is not a JSON object")
        if str(payload.get("status")) != "1":
            code, info = str(payload.get("infocode", "")), str(payload.get("info", ""))
            if code in _AMAP_REFUSED:
                raise self._fail("key_refused", f"{info} ({code})", fatal=True)
            if code in _AMAP_QUOTA:
                raise self._fail("quota", f"{info} ({code})", fatal=True)
            if code in _AMAP_THROTTLED:
                raise self._fail("rate_limited", f"{info} ({code})", retryable=True)
            raise self._fail("api_error", f"{info} ({code})")
        geocodes = payload.get("geocodes") or []
        if not isinstance(geocodes, list) or not geocodes:
            return None
        same = [g for g in geocodes if isinstance(g, dict) and g.get("adcode") == q.county_code]
        hit = (same or geocodes)[0]
        if not isinstance(hit, dict):
            raise self._fail("malformed", "geocode is not an object")
        g_lon, g_lat = _lonlat_pair(hit.get("location"), self.name)
        lon, lat = gcj02_to_wgs84(g_lon, g_lat)
        level = str(hit.get("level", ""))
        return Candidate(
            lon,
            lat,
            g_lon,
            g_lat,
            "GCJ-02",
            str(hit.get("formatted_address", "")),
            coarse=level in _AMAP_COARSE_LEVELS,
            detail={k: hit.get(k) for k in ("formatted_address", "adcode", "level", "location")},
        )


class NominatimProvider(Provider):
    """OpenStreetMap Nominatim /search (jsonv2), bounded to the county's box. Max 1 request/s."""

    name = "nominatim"
    default_base_url = "https://nominatim.openstreetmap.org"
    key_env = None
    attribution = "© OpenStreetMap contributors (ODbL)"
    default_min_interval = 1.0  # the usage policy's absolute maximum

    def _request(self, q):
        params = {"q": q.text, "format": "jsonv2", "limit": 3, "countrycodes": "cn", "accept-language": "zh"}
        if q.bbox:
            lo_lon, lo_lat, hi_lon, hi_lat = q.bbox
            params.update(viewbox=f"{lo_lon:.5f},{hi_lat:.5f},{hi_lon:.5f},{lo_lat:.5f}", bounded=1)
        return "/search", params

    def _parse(self, payload, q):
        if not isinstance(payload, list):
            raise self._fail("malformed", "answer is not a JSON list")
        if not payload:
            return None
        hit = next(
            (h for h in payload if isinstance(h, dict) and q.name in str(h.get("name", ""))), payload[0]
        )
        if not isinstance(hit, dict):
            raise self._fail("malformed", "result is not an object")
        lon = _float(hit.get("lon"), self.name, "lon")
        lat = _float(hit.get("lat"), self.name, "lat")
        try:
            rank = int(hit.get("place_rank", 30))
        except (TypeError, ValueError):
            rank = 30
        return Candidate(
            lon,
            lat,
            lon,
            lat,
            "WGS-84",
            str(hit.get("display_name", "")),
            coarse=rank <= 12,  # 12 = county level in China
            detail={
                k: hit.get(k) for k in ("osm_type", "osm_id", "name", "addresstype", "place_rank", "licence")
            },
        )


PROVIDERS: dict[str, type[Provider]] = {
    p.name: p for p in (TiandituProvider, AmapProvider, NominatimProvider)
}


def make_provider(
    name: str, *, base_url: str | None = None, timeout: float = 10.0, key: str | None = None, **tuning
) -> Provider:
    """A provider by name (its key from the caller's settings: :meth:`Settings.geocoder_key`)."""
    cls = PROVIDERS.get((name or "").lower())
    if cls is None:
        raise GeocoderError(f"unknown geocoder {name!r}; choose one of {', '.join(PROVIDERS)}")
    return cls(key=key, base_url=base_url, timeout=timeout, **tuning)
