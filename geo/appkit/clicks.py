"""A click on the map → the place it meant (nearest marker within tolerance, else the county)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

# ---------------------------------------------------------------- click → place

#: How far (degrees) a click may be from a clicked marker's centre: 20 px at zoom 6.
MARKER_TOLERANCE_DEG = 0.5


def _close(a: float, b: float, tol: float = 1e-6) -> bool:
    return abs(float(a) - float(b)) <= tol


def _click_latlng(returned: Mapping | None) -> tuple[float, float] | None:
    clicked = (returned or {}).get("last_object_clicked")
    if not clicked or clicked.get("lat") is None or clicked.get("lng") is None:
        return None
    return float(clicked["lat"]), float(clicked["lng"])


def click_signature(returned: Mapping | None) -> tuple | None:
    """Identity of the latest click, so a stale click is not re-applied on every rerun."""
    latlng = _click_latlng(returned)
    if latlng is None:
        return None
    assert returned is not None  # a click was read from it
    return (returned.get("last_object_clicked_count"), round(latlng[0], 7), round(latlng[1], 7))


def place_id_from_click(
    returned: Mapping | None, points: pd.DataFrame | None, counties: pd.DataFrame | None
) -> str | None:
    """The place the user clicked, from st_folium's returned objects.

    ``last_active_drawing`` is the clicked GeoJSON feature (its properties carry place_id), but
    st_folium keeps the previous one when the click hits a layer without GeoJSON, so it is trusted
    only when it agrees with ``last_object_clicked``: a polygon must contain the click; a marker
    must be near it (Leaflet reports a small marker's own position, but the mouse position for a
    marker wider than 10 px, up to 20 px ≈ 0.25° away at the province view). Otherwise: the point
    feature exactly at the click, else the county polygon containing it.
    """
    from shapely.geometry import Point, shape

    returned = returned or {}
    latlng = _click_latlng(returned)
    feature = returned.get("last_active_drawing") or {}
    pid = (feature.get("properties") or {}).get("place_id")
    geom = feature.get("geometry")
    if pid and geom:
        if latlng is None:
            return str(pid)
        lat, lng = latlng
        if geom.get("type") == "Point":
            lon0, lat0 = geom["coordinates"][:2]
            if _close(lon0, lng, MARKER_TOLERANCE_DEG) and _close(lat0, lat, MARKER_TOLERANCE_DEG):
                return str(pid)
        elif shape(geom).buffer(1e-4).contains(Point(lng, lat)):
            return str(pid)
    if latlng is None:
        return None
    lat, lng = latlng
    if points is not None and len(points):
        hit = points[(points["lon"] - lng).abs().le(1e-6) & (points["lat"] - lat).abs().le(1e-6)]
        if len(hit):
            return str(hit.iloc[0]["place_id"])
    if counties is not None and len(counties) and "geometry" in counties:
        hit = counties[counties.geometry.intersects(Point(lng, lat))]
        if len(hit):
            return str(hit.iloc[0]["place_id"])
    return None
