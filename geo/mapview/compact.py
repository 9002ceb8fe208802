"""The app's map layers as compact data: the same features, styles and tooltips as
:func:`geo.mapview.point_group` and :func:`geo.mapview.county_group`, sent as columns.

folium writes a GeoJSON layer as one JSON object per feature (every Chinese character escaped
to six bytes) plus a ``switch`` with one ``case`` per feature for its style: 34 MB of JavaScript
for the 66,000 places of a 100 MB corpus, rebuilt by streamlit-folium at every rerun (seconds)
and parsed by the browser. Here each layer is a :class:`LayerData` built once per filter state
(the app caches it): properties as columns (repeated texts as a table of distinct values and
indices, a place's chain as its parent's chain plus its name), styles as a table of distinct
styles, polygons as integer deltas. A few lines of JavaScript rebuild the very GeoJSON features
folium would have sent and hand them to the same ``L.geoJson`` (so clicks, tooltips,
``window.atlasPoints`` and the selection work unchanged). The standalone HTML export keeps
folium's own layers (:func:`geo.mapview.build_map`), byte for byte.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.mapview.base import NO_DATA
from geo.mapview.groups import COUNTY_HIGHLIGHT, COUNTY_STYLE, county_features
from geo.mapview.legend import tooltip_js
from geo.mapview.points import CLUSTER_RADIUS, cluster_options, place_marker, point_features


@dataclass(frozen=True)
class LayerData:
    """One map layer ready to send: its features as compact JSON (``data``), the JavaScript that
    draws them (``on_each``: tooltip and click), its legend and, for points, the cluster's
    options. Plain strings and dicts: cheap to keep per filter state and to wrap in a group."""

    kind: str  # "points" or "counties"
    data: str
    on_each: str
    legend: str
    options: dict
    place_ids: frozenset
    #: Where the browser fetches ``data`` from instead of receiving it in the page (the app
    #: publishes it as a static file: a rerun then re-sends a URL, not megabytes).
    url: str | None = None
    #: More features of the layer, drawn after ``data`` (and after what the page asks for
    #: meanwhile: see :mod:`geo.mapview.loader`), with their URLs once published.
    parts: tuple[str, ...] = ()
    part_urls: tuple[str, ...] = ()


def _json(value) -> str:
    """JSON for a script (raw UTF-8, no spaces; "</" cannot end a script)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def _plain(column: pd.Series) -> list:
    """A column as JSON values, like :func:`geo.geojson.plain_value` (NaN/None → null)."""
    if pd.api.types.is_integer_dtype(column.dtype) and not column.hasnans:
        return column.astype("int64").tolist()
    if pd.api.types.is_float_dtype(column.dtype):
        return [None if math.isnan(v) or math.isinf(v) else v for v in column.astype("float64").tolist()]
    if isinstance(column.dtype, pd.StringDtype):  # str or None, without a test per value
        return column.to_numpy(dtype=object, na_value=None).tolist()
    out: list = []
    for v in column.tolist():
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, (bool, np.bool_)):
            out.append(bool(v))
        elif isinstance(v, (int, np.integer)):
            out.append(int(v))
        elif isinstance(v, (float, np.floating)):
            out.append(None if math.isinf(v) else float(v))
        else:
            out.append(v if isinstance(v, str) else str(v))
    return out


def _column(key: str, values: list, names: list | None = None) -> dict:
    """One property column: repeated values as a table of distinct values and indices; a chain
    as its parent's chain and the feature's name ("浙江省 > 杭州市 > " + "萧山区")."""
    if names is not None:  # value = parents[i] + name (i >= 0), or parents[-i - 1] itself
        parents: dict = {}
        index = []
        for v, name in zip(values, names):
            if isinstance(v, str) and isinstance(name, str) and name and v.endswith(name):
                index.append(parents.setdefault(v[: len(v) - len(name)], len(parents)))
            else:
                index.append(-parents.setdefault(v, len(parents)) - 1)
        return {"k": key, "tail": "name", "d": list(parents), "i": index}
    distinct: dict = {}
    try:
        index = [distinct.setdefault(v, len(distinct)) for v in values]
    except TypeError:  # unhashable values: as they are
        return {"k": key, "v": values}
    if len(distinct) * 2 > len(values):
        return {"k": key, "v": values}
    return {"k": key, "d": list(distinct), "i": index}


def _columns(frame: pd.DataFrame) -> list[dict]:
    cols = [c for c in frame.columns if c != "geometry"]
    names = _plain(frame["name"]) if "name" in frame else None
    return [_column(c, _plain(frame[c]), names if c == "chain" else None) for c in cols]


def _styles(styles: list[dict]) -> tuple[list[dict], list[int]]:
    """The distinct styles and each feature's index into them."""
    table: dict[str, int] = {}
    seen: dict[int, int] = {}  # features often share one style dict
    index = []
    for s in styles:
        i = seen.get(id(s))
        if i is None:
            i = seen[id(s)] = table.setdefault(json.dumps(s, sort_keys=True), len(table))
        index.append(i)
    return [json.loads(k) for k in table], index


def _ring(coords: np.ndarray, scale: float) -> list[int]:
    """A ring as integers: the first vertex, then each vertex's difference to the one before."""
    q = np.round(np.asarray(coords)[:, :2] * scale).astype(np.int64)
    q[1:] -= q[:-1].copy()
    return q.ravel().tolist()


def _geometry(geom, scale: float):
    """[0, rings] for a Polygon, [1, [rings, …]] for a MultiPolygon, [2, [x, y]] for a Point."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return [2, _ring(np.array([[geom.x, geom.y]]), scale)]
    polygons = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    encoded = [
        [_ring(np.asarray(p.exterior.coords), scale)]
        + [_ring(np.asarray(r.coords), scale) for r in p.interiors]
        for p in polygons
    ]
    return [0, encoded[0]] if geom.geom_type == "Polygon" else [1, encoded]


def point_data(
    points_gdf, measure: str = "mentions", cluster_radius: int = CLUSTER_RADIUS, label: str | None = None
) -> LayerData:
    """The point layer of :func:`geo.mapview.point_group`, compact (coordinates to 5 decimals)."""
    feats = point_features(points_gdf, measure, label)
    frame = feats.frame
    styles, index = _styles(feats.styles)
    scale = 1e5
    xy = np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()]) if len(frame) else None
    data = {
        "n": len(frame),
        "scale": scale,
        "xy": _ring(xy, scale) if xy is not None else [],
        "cols": _columns(frame),
        "styles": styles,
        "style": index,
        "base": place_marker().options,
    }
    return LayerData(
        "points",
        _json(data),
        str(tooltip_js("name", feats.rows)),
        feats.legend,
        cluster_options(cluster_radius, feats.top),
        frozenset(frame["place_id"].astype(str).to_numpy(dtype=object)),
    )


def encode_geometries(geoms: dict, decimals: int = 4) -> dict:
    """place_id → geometry as :func:`county_data` encodes it (a cache for ``encoded``)."""
    scale = float(10**decimals)
    return {pid: _geometry(g, scale) for pid, g in geoms.items()}


def county_data(
    county_gdf,
    measure: str = "mentions",
    label: str | None = None,
    decimals: int = 4,
    encoded: dict | None = None,
    first: Collection[str] | None = None,
) -> LayerData:
    """The choropleth of :func:`geo.mapview.county_group`, compact (coordinates to ``decimals``).
    ``encoded``: :func:`encode_geometries` of these counties' very geometries, when kept.
    ``first``: the place ids drawn first (the counties the map opens on, e.g. 浙江省's 90); the
    others go to ``parts`` (same classes, colours and legend: computed over all counties)."""
    feats = county_features(county_gdf, measure, label)
    frame = feats.frame
    by_fill: dict[str, dict] = {}
    fills = [feats.fill.get(pid, NO_DATA) for pid in frame["place_id"]]
    styles, index = _styles([by_fill.setdefault(f, {"fillColor": f, **COUNTY_STYLE}) for f in fills])
    scale = float(10**decimals)
    ids = frame["place_id"].astype(str).to_numpy(dtype=object)
    geoms = [
        encoded[pid] if encoded is not None and pid in encoded else _geometry(g, scale)
        for pid, g in zip(ids, frame.geometry.values)
    ]

    def part(rows: np.ndarray) -> str:
        return _json(
            {
                "n": len(rows),
                "scale": scale,
                "geoms": [geoms[i] for i in rows],
                "cols": _columns(frame.iloc[rows]),
                "styles": styles,
                "style": [index[i] for i in rows],
                "highlight": COUNTY_HIGHLIGHT,
            }
        )

    everything = np.arange(len(frame))
    head = everything if first is None else everything[np.isin(ids, list(first))]
    if not len(head):
        head = everything
    rest = everything[~np.isin(everything, head)]
    return LayerData(
        "counties",
        part(head),
        str(tooltip_js("name", feats.rows)),
        feats.legend,
        {},
        frozenset(ids),
        parts=(part(rest),) if len(rest) and len(head) else (),
    )
