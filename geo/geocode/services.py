"""The online geocoders: 天地图 (Tianditu, WGS-84/CGCS2000), 高德 (AMap, GCJ-02) and Nominatim (OSM)."""

from __future__ import annotations

import json

from geo.errors import GeocoderError
from geo.geocode.gcj02 import gcj02_to_wgs84

# -- failures, queries, answers --------------------------------------------------------------
from geo.geocode.providers import (
    Candidate,
    Provider,
    parse_float,
    parse_lonlat,
)


class TiandituProvider(Provider):
    """天地图 地名搜索 V2.0, 行政区划区域搜索 (queryType 12, ``specify`` = 156 + county code).
    CGCS2000 answers are used as WGS-84 (they differ by centimetres)."""

    name = "tianditu"
    default_base_url = "https://api.tianditu.gov.cn"  # the key travels in the URL
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
            lon, lat = parse_lonlat(poi.get("lonlat"), self.name)
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
            lon, lat = parse_lonlat(area.get("lonlat"), self.name)
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
        g_lon, g_lat = parse_lonlat(hit.get("location"), self.name)
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
        lon = parse_float(hit.get("lon"), self.name, "lon")
        lat = parse_float(hit.get("lat"), self.name, "lat")
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
