"""Orientation without tiles: city and province outlines dissolved from the gazetteer's counties.

The home province's counties are simplified as one coverage with the tolerance the choropleth
uses (:func:`geo.layers.simplify_counties`), then dissolved per city, so a city line lies on the
county borders drawn under it. Neighbouring provinces are dissolved and simplified more coarsely:
they are grey context, not data. Dissolving costs a few hundred milliseconds, so results are kept
per gazetteer and province (shared frames: do not modify them).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.ops import polylabel

_WGS84 = "EPSG:4326"
#: How far (degrees) a county may be from the home province and still make its province a neighbour.
_NEIGHBOUR_GAP = 0.02
_CACHE: dict[tuple, tuple[object, dict[str, gpd.GeoDataFrame]]] = {}
_LABELS: dict[bytes, shapely.Point] = {}
_LABELS_BY_ID: dict[int, tuple] = {}  # id → (geometry, its label point): no WKB per rerun


def _frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=["place_id", "name", "province", "kind"])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=_WGS84).values, crs=_WGS84)


def _place_ids(gaz, level: str) -> dict[tuple[str, str], str]:
    """(province, name) → place_id for the gazetteer's places of a level (cities, provinces)."""
    places = getattr(gaz, "places", None)
    if places is None or "level" not in places:
        return {}
    rows = places[places["level"] == level]
    return {
        (str(p), str(n)): str(i)
        for p, n, i in zip(rows["province"], rows["name"], rows["place_id"])
        if isinstance(n, str)
    }


def _union(geoms) -> shapely.Geometry:
    """Dissolve polygons that tile the plane (fast), or any polygons (robust)."""
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    try:
        if shapely.coverage_is_valid(geoms):
            return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:  # pragma: no cover - a broken coverage
        pass
    return shapely.union_all(shapely.make_valid(geoms))


def _drop_small(geom, min_area: float = 0.01) -> shapely.Geometry:
    """The parts of a polygon larger than ``min_area`` square degrees (~100 km²); the largest
    part always stays."""
    parts = sorted(getattr(geom, "geoms", [geom]), key=lambda g: g.area, reverse=True)
    return shapely.MultiPolygon([parts[0]] + [g for g in parts[1:] if g.area >= min_area])


def boundary_layers(
    gaz, home_province: str, tolerance: float = 0.005, context_tolerance: float = 0.03
) -> dict[str, gpd.GeoDataFrame]:
    """{"city": the home province's cities, "province": the home province, "context": the
    provinces next to it} as polygons, and "lines": each border drawn once (kind "city": between
    two cities; kind "province": the home province's outline) — half the bytes of drawing
    every polygon's ring. Columns place_id (when the gazetteer has one), name, province, kind,
    WGS-84 geometry; empty frames when the home province has no counties."""
    key = (id(gaz.counties), home_province, tolerance, context_tolerance)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is gaz.counties:
        return hit[1]
    counties = gaz.counties
    home = counties[counties["province"] == home_province]
    city_ids, province_ids = _place_ids(gaz, "city"), _place_ids(gaz, "province")
    out = {k: _frame([], []) for k in ("city", "province", "context", "lines")}
    if len(home):
        simple = shapely.coverage_simplify(home.geometry.values, tolerance, simplify_boundary=True)
        rows, geoms = [], []
        for city, idx in pd.Series(range(len(home))).groupby(home["city"].fillna("").to_numpy()):
            name = str(city) or home_province
            rows.append(dict(place_id=city_ids.get((home_province, name)), name=name,
                             province=home_province, kind="city"))  # fmt: skip
            geoms.append(_union(simple[idx.to_numpy()]))
        out["city"] = _frame(rows, geoms)
        outline = _union(geoms)
        out["province"] = _frame(
            [dict(place_id=province_ids.get((home_province, home_province)), name=home_province,
                  province=home_province, kind="province")],
            [outline],
        )  # fmt: skip
        near = counties.geometry.intersects(outline.buffer(_NEIGHBOUR_GAP))
        names = sorted(set(counties.loc[near, "province"].dropna()) - {home_province})
        rows, context = [], []
        for name in names:
            rows.append(dict(place_id=province_ids.get((name, name)), name=name, province=name,
                             kind="province"))  # fmt: skip
            context.append(_union(counties.loc[counties["province"] == name].geometry.values))
        rim = outline.boundary
        # the coast is drawn by the counties already: the province line is the land border
        land = rim.intersection(shapely.union_all(context).buffer(_NEIGHBOUR_GAP)) if context else rim
        inner = shapely.union_all([g.boundary for g in geoms]).difference(rim)
        out["lines"] = _frame(
            [dict(place_id=None, name="市界", province=home_province, kind="city"),
             dict(place_id=None, name="省界", province=home_province, kind="province")],
            [shapely.line_merge(inner), shapely.line_merge(land)],
        )  # fmt: skip
        if context:  # one coverage (neighbours keep sharing borders), islands left out
            context = [_drop_small(g) for g in context]
            context = list(shapely.coverage_simplify(context, context_tolerance, simplify_boundary=True))
        out["context"] = _frame(rows, context)
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[key] = (counties, out)
    return out


def label_points(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """name, lon, lat of a point well inside each polygon (its largest part's pole of
    inaccessibility), where a name label reads as belonging to that area."""
    if gdf is None or len(gdf) == 0:
        return pd.DataFrame(columns=["place_id", "name", "lon", "lat"])
    points: list = []
    for geom in gdf.geometry.values:
        if geom is None or geom.is_empty:
            points.append(None)
            continue
        seen = _LABELS_BY_ID.get(id(geom))  # the very same object (the app keeps its shapes)
        if seen is not None and seen[0] is geom:
            points.append(seen[1])
            continue
        key = geom.wkb  # the same county on every rerun: placed once
        if key not in _LABELS:
            if len(_LABELS) > 20_000:
                _LABELS.clear()
            parts = list(getattr(geom, "geoms", [geom]))
            _LABELS[key] = polylabel(max(parts, key=lambda g: g.area), tolerance=0.005)
        if len(_LABELS_BY_ID) > 20_000:
            _LABELS_BY_ID.clear()
        _LABELS_BY_ID[id(geom)] = (geom, _LABELS[key])
        points.append(_LABELS[key])
    return pd.DataFrame(
        {
            "place_id": gdf["place_id"].astype("string") if "place_id" in gdf else pd.NA,
            "name": gdf["name"].astype(str).to_numpy(),
            "lon": [round(p.x, 4) if p is not None else None for p in points],
            "lat": [round(p.y, 4) if p is not None else None for p in points],
        }
    ).dropna(subset=["lon", "lat"])
