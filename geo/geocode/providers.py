"""Online geocoder adapters (天地图, 高德, Nominatim) and the GCJ-02 datum shift.

Network I/O lives here and nowhere else in geo.geocode.online: one HTTP call per attempt, bounded retries
with back-off, a per-provider rate limit, and every failure turned into a ``ProviderFailure`` whose
message never contains a key. Coordinates leave this module in WGS-84.

Each request has an overall deadline (``timeout``): requests' own timeout bounds every socket
read, so a server sending one byte every few seconds could hold a request for minutes. A
``Retry-After`` longer than the back-off allows stops the provider for the run and says when to
ask again. Answers are redacted before they leave (a provider echoing the key back must not put
it into the cache).
"""

from __future__ import annotations

import json
import math
import re
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

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
    """A ``Retry-After`` value in seconds: a number, or an HTTP date (RFC 9110 §10.2.3)."""
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        pass
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _duration(seconds: float) -> str:
    if seconds >= 5400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


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

    def _fetch(self, url: str, params: dict) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one GET, all within ``timeout`` seconds overall.

        The request runs in a helper thread so the caller never waits past the deadline, even
        while headers trickle in; a late answer's connection is shut down under it."""
        done, cancelled = threading.Event(), threading.Event()
        box: dict = {}

        def work() -> None:
            try:
                r = self.session.get(
                    url,
                    params=params,
                    timeout=self.timeout,
                    stream=True,
                    headers={"User-Agent": self.user_agent, "Accept": "application/json"},
                )
                box["response"] = r
                chunks = []
                while not cancelled.is_set() and (chunk := r.raw.read1(65536, decode_content=True)):
                    chunks.append(chunk)
                r.close()
                box["answer"] = (r.status_code, dict(r.headers), b"".join(chunks))
            except BaseException as e:  # handed to the caller
                box["error"] = e
            finally:
                done.set()

        threading.Thread(target=work, daemon=True, name=f"geocode-{self.name}").start()
        if not done.wait(self.timeout):
            cancelled.set()
            _abort(box.get("response"))
            raise requests.Timeout()
        if "error" in box:
            raise box["error"]
        return box["answer"]

    def _call(self, q: GeocodeQuery):
        path, params = self._request(q)
        self.limiter.wait()
        self.requests_made += 1
        try:
            status, headers, body = self._fetch(self.base_url + path, params)
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
        text = body.decode("utf-8", "replace")
        if status == 429 or status >= 500:
            kind = "http_429" if status == 429 else "http_5xx"
            wait = parse_seconds(headers.get("Retry-After"))
            if wait is not None and wait > self.backoff_max:  # not worth waiting for in this run
                when = datetime.now(UTC) + timedelta(seconds=wait)
                raise self._fail(
                    kind,
                    f"HTTP {status} from {self.base_url}: the provider asks us to wait {_duration(wait)} "
                    f"(Retry-After); stopped asking it for this run, try again after "
                    f"{when:%Y-%m-%d %H:%M} UTC",
                    fatal=True,
                    retry_after=wait,
                )
            raise self._fail(
                kind, f"HTTP {status} from {self.base_url}{path}", retryable=True, retry_after=wait
            )
        if status in (401, 403):
            raise self._fail("key_refused", f"HTTP {status}: {text[:120]}", fatal=True)
        if status >= 400:
            raise self._fail("http_4xx", f"HTTP {status}: {text[:120]}")
        try:
            return json.loads(body)
        except ValueError:
            raise self._fail("malformed", f"answer is not JSON: {text[:60]!r}") from None

    def _redacted(self, c: Candidate | None) -> Candidate | None:
        """The answer without our key (some providers echo the request back)."""
        if c is None:
            return None
        secrets = (self.key or "",)
        detail = json.loads(redact(json.dumps(c.detail, ensure_ascii=False, default=str), secrets))
        return replace(c, label=redact(c.label, secrets), detail=detail)

    def geocode(self, q: GeocodeQuery) -> Candidate | None:
        """Best candidate, or None when the provider knows nothing; raises ProviderFailure."""
        for attempt in range(self.max_retries + 1):
            try:
                return self._redacted(self._parse(self._call(q), q))
            except ProviderFailure as f:
                if not f.retryable or attempt == self.max_retries:
                    raise
                delay = min(self.backoff_max, self.backoff_base * 2**attempt)
                if f.retry_after is not None:
                    delay = min(self.backoff_max, max(delay, f.retry_after))
                time.sleep(delay)
        raise AssertionError("unreachable")


def _abort(response: requests.Response | None) -> None:
    """Shut a late answer's connection so its reader thread ends now, not at its next byte."""
    if response is None:
        return
    try:
        sock = response.raw.connection.sock  # type: ignore[union-attr]
        sock.shutdown(socket.SHUT_RDWR)
    except (AttributeError, OSError):
        pass
    response.close()
