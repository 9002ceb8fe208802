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
from dataclasses import dataclass

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.layers import METRIC_PREFIX
from geo.mapview.base import APP_ASSET_BASE, NO_DATA, localize
from geo.mapview.groups import COUNTY_HIGHLIGHT, COUNTY_STYLE, county_features
from geo.mapview.legend import LegendControl, tooltip_js
from geo.mapview.points import (
    CLUSTER_ICON,
    CLUSTER_RADIUS,
    ClusterBehaviour,
    cluster_options,
    point_features,
)


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
        "base": folium.CircleMarker().options,
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
) -> LayerData:
    """The choropleth of :func:`geo.mapview.county_group`, compact (coordinates to ``decimals``).
    ``encoded``: :func:`encode_geometries` of these counties' very geometries, when kept."""
    feats = county_features(county_gdf, measure, label)
    frame = feats.frame
    by_fill: dict[str, dict] = {}
    fills = [feats.fill.get(pid, NO_DATA) for pid in frame["place_id"]]
    styles, index = _styles([by_fill.setdefault(f, {"fillColor": f, **COUNTY_STYLE}) for f in fills])
    scale = float(10**decimals)
    data = {
        "n": len(frame),
        "scale": scale,
        "geoms": [
            encoded[pid] if encoded is not None and pid in encoded else _geometry(g, scale)
            for pid, g in zip(frame["place_id"].astype(str), frame.geometry.values)
        ],
        "cols": _columns(frame),
        "styles": styles,
        "style": index,
        "highlight": COUNTY_HIGHLIGHT,
    }
    return LayerData(
        "counties",
        _json(data),
        str(tooltip_js("name", feats.rows)),
        feats.legend,
        {},
        frozenset(frame["place_id"].astype(str).to_numpy(dtype=object)),
    )


class CompactLayer(MacroElement):
    """Rebuilds a layer's GeoJSON features from :class:`LayerData` in the browser and adds them,
    as one ``L.geoJson``, to its parent (the marker cluster, or the feature group)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var parent = {{ this._parent.get_name() }}, onEach = {{ this.layer.on_each }};
            function build(d) {
                var scale = d.scale, feats = new Array(d.n), cols = d.cols;
                function coords(r) {
                    var out = new Array(r.length / 2), x = 0, y = 0;
                    for (var j = 0; j < r.length; j += 2) {
                        x += r[j]; y += r[j + 1];
                        out[j / 2] = [x / scale, y / scale];
                    }
                    return out;
                }
                function geometry(i) {
                    var g = d.geoms[i];
                    if (!g) { return null; }
                    if (g[0] === 0) { return {type: "Polygon", coordinates: g[1].map(coords)}; }
                    var parts = g[1].map(function (p) { return p.map(coords); });
                    return {type: "MultiPolygon", coordinates: parts};
                }
                var x = 0, y = 0;
                for (var i = 0; i < d.n; i++) {
                    var props = {};
                    for (var c = 0; c < cols.length; c++) {
                        var col = cols[c], v;
                        if (col.v) { v = col.v[i]; }
                        else if (col.tail) {
                            var k = col.i[i];
                            v = k >= 0 ? col.d[k] + props[col.tail] : col.d[-k - 1];
                        } else { v = col.d[col.i[i]]; }
                        if (v === null && col.k.indexOf({{ this.metric_prefix|tojson }}) === 0) { continue; }
                        props[col.k] = v;
                    }
                    var geom;
                    if (d.xy) {  // points: running sums over all places
                        x += d.xy[2 * i]; y += d.xy[2 * i + 1];
                        geom = {type: "Point", coordinates: [x / scale, y / scale]};
                    } else { geom = geometry(i); }
                    var f = {type: "Feature", geometry: geom, properties: props};
                    if (props.place_id != null) { f.id = String(props.place_id); }
                    Object.defineProperty(f, "atlasStyle", {value: d.style[i]});  // not in toGeoJSON()
                    feats[i] = f;
                }
                function styleOf(feature) { return d.styles[feature.atlasStyle]; }
                var layer = L.geoJson(null, {
                    style: styleOf,
                    {%- if this.layer.kind == "points" %}
                    pointToLayer: function (feature, latlng) {
                        return new L.CircleMarker(latlng, Object.assign({}, d.base, styleOf(feature)));
                    },
                    {%- endif %}
                    onEachFeature: function (feature, l) {
                        onEach(feature, l);
                        {%- if this.layer.kind == "counties" %}
                        l.on({  // as folium's highlight_function
                            mouseout: function (e) {
                                if (typeof e.target.setStyle === "function") { layer.resetStyle(e.target); }
                            },
                            mouseover: function (e) {
                                var t = e.target;
                                if (typeof t.setStyle === "function") { t.setStyle(d.highlight); }
                            }
                        });
                        {%- endif %}
                    }
                });
                layer.addData({type: "FeatureCollection", features: feats});
                {%- if this.layer.kind == "points" %}
                // Leaflet.markercluster checks every marker added before the group is on a map
                // against all the others (66,000 places: seconds): add them once it is on the
                // map, all at once, and register them for the selection (see ClusterBehaviour)
                function add() {
                    parent.addLayers(layer.getLayers());
                    var reg = window.atlasPoints;
                    if (reg && reg.group === parent) {
                        layer.eachLayer(function (m) { reg.byId[m.feature.properties.place_id] = m; });
                    }
                }
                if (parent._map) { add(); } else { parent.once("add", add); }
                {%- else %}
                layer.addTo(parent);
                {%- endif %}
            }
            {%- if this.layer.url %}
            // the data are a static file of the app (the same at every rerun): fetched once;
            // window.atlasPending counts the layers still on their way (tests wait for 0)
            window.atlasPending = (window.atlasPending || 0) + 1;
            {%- if this.layer.kind == "counties" %}
            var drawn;  // the places wait for the counties to be painted (their build takes seconds)
            window.atlasCountiesDrawn = new Promise(function (resolve) { drawn = resolve; });
            {%- endif %}
            var data = fetch({{ this.layer.url|tojson }}).then(function (r) {
                if (!r.ok) { throw new Error("map data " + r.status); }
                return r.json();
            });
            {%- if this.layer.kind == "points" %}
            var counties = window.atlasCountiesDrawn || Promise.resolve();
            data = Promise.all([data, counties]).then(function (both) { return both[0]; });
            {%- endif %}
            data.then(build)
                .catch(function (e) { console.error("map layer not loaded:", e); })
                .finally(function () {
                    window.atlasPending -= 1;
                    {%- if this.layer.kind == "counties" %}
                    // a frame later: the shapes are on screen before the places' work starts
                    requestAnimationFrame(function () { setTimeout(drawn, 0); });
                    {%- endif %}
                });
            {%- else %}
            build(JSON.parse({{ this.data_literal }}));
            {%- endif %}
        })();
        {% endmacro %}
    """)

    def __init__(self, layer: LayerData):
        super().__init__()
        self._name = "CompactLayer"
        self.layer = layer
        self.metric_prefix = METRIC_PREFIX
        # a string for JSON.parse: V8 reads large data faster so than as an object literal
        self.data_literal = (
            "" if layer.url else json.dumps(layer.data, ensure_ascii=False).replace("</", "<\\/")
        )

    def render(self, **kwargs):
        """As :meth:`MacroElement.render`, but the script goes into the page as it is: branca
        wraps it in an ``Element``, which compiles it as a Jinja template (0.7 s for 3 MB)."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Verbatim(script(self, kwargs)), name=self.get_name())


class _Verbatim(Element):
    """Text that renders as itself (no template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def layer_group(
    layer: LayerData, name: str | None = None, asset_base: str = APP_ASSET_BASE
) -> folium.FeatureGroup:
    """A feature group drawing ``layer``: counties with their legend, or places in a marker
    cluster (every size) with the cluster's behaviour and their legend — as
    :func:`geo.mapview.county_group` and :func:`geo.mapview.point_group` draw them."""
    if layer.kind == "counties":
        group = folium.FeatureGroup(name=name or "区县")
        group.add_child(CompactLayer(layer))
        group.add_child(LegendControl(layer.legend, key="counties", fold_below=500))
        return group
    group = folium.FeatureGroup(name=name or "地点")
    cluster = folium.plugins.MarkerCluster(
        name=name or "地点", options=layer.options, icon_create_function=CLUSTER_ICON
    )
    group.add_child(cluster)
    cluster.add_child(CompactLayer(layer))
    cluster.add_child(ClusterBehaviour())
    group.add_child(LegendControl(layer.legend, position="bottomright", key="points", fold_below=900))
    return localize(group, asset_base)
