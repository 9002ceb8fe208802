"""Online geocoder adapters (天地图, 高德, Nominatim) and the GCJ-02 datum shift.

Network I/O lives here and nowhere else in geo.geocode.online: one HTTP call per attempt, bounded retries
with back-off, a per-provider rate limit, and every failure turned into a ``ProviderFailure`` whose
message never contains a key. Coordinates leave this module in WGS-84.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

import requests

from geo._version import __version__
from geo.errors import GeocoderError

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


def parse_seconds(value) -> float | None:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def parse_float(value, provider: str, what: str) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ProviderFailure(provider, "malformed", f"{what} is not a number: {value!r:.40}") from None
    if not math.isfinite(f):
        raise ProviderFailure(provider, "malformed", f"{what} is not finite")
    return f


def parse_lonlat(text, provider: str) -> tuple[float, float]:
    parts = [p for p in re.split(r"[,\s]+", str(text or "").strip()) if p]
    if len(parts) != 2:
        raise ProviderFailure(provider, "malformed", f"not a coordinate pair: {text!r:.40}")
    return parse_float(parts[0], provider, "lon"), parse_float(parts[1], provider, "lat")


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
                retry_after=parse_seconds(r.headers.get("Retry-After")),
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
