"""The map layers' data drawn in the browser: :class:`CompactLayer` rebuilds the GeoJSON features
of a :class:`geo.mapview.compact.LayerData` and adds them to Leaflet; :func:`layer_group` wraps a
layer as the app sends it (counties with their legend, places in their marker cluster).

A layer published as files is fetched at once but drawn in turn: one part at a time, each painted
before the next is parsed. The county layer's first part is the home province (what the map opens
on: 90 counties, ~90 KB), so the first shapes are on screen before the browser parses the
megabytes of counties elsewhere in China a large corpus mentions (2,757 of them, 3.2 MB on the
1 GB store), which come last, after the places.
"""

from __future__ import annotations

import json

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.layers import METRIC_PREFIX
from geo.mapview.base import APP_ASSET_BASE, localize
from geo.mapview.compact import LayerData
from geo.mapview.legend import LegendControl
from geo.mapview.points import CLUSTER_ICON, ClusterBehaviour


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
            {%- if this.urls %}
            // The data are static files of the app (the same at every rerun), fetched at once
            // and drawn one at a time, in the order the page asks, each painted before the next
            // is parsed: the home province's counties (small, in view) first, then the places,
            // then the other counties. window.atlasPending counts the layers still on their way
            // (tests wait for 0).
            window.atlasPending = (window.atlasPending || 0) + 1;
            var urls = {{ this.urls|tojson }}, texts = urls.map(function (u) {
                return fetch(u).then(function (r) {
                    if (!r.ok) { throw new Error("map data " + r.status); }
                    return r.text();
                });
            });
            function painted() {  // then a moment for what waits (input, timers) before the next
                return new Promise(function (done) {
                    requestAnimationFrame(function () { setTimeout(done, 30); });
                });
            }
            function step(i) {  // a later part queues behind what was asked for meanwhile
                window.atlasQueue = (window.atlasQueue || Promise.resolve()).then(function () {
                    return texts[i].then(function (t) { build(JSON.parse(t)); })
                        .catch(function (e) { console.error("map layer not loaded:", e); })
                        .then(painted)
                        .then(function () {
                            if (i + 1 < urls.length) { step(i + 1); } else { window.atlasPending -= 1; }
                        });
                });
            }
            step(0);
            {%- else %}
            {%- for literal in this.data_literals %}
            build(JSON.parse({{ literal }}));
            {%- endfor %}
            {%- endif %}
        })();
        {% endmacro %}
    """)

    def __init__(self, layer: LayerData):
        super().__init__()
        self._name = "CompactLayer"
        self.layer = layer
        self.metric_prefix = METRIC_PREFIX
        self.urls = [layer.url, *layer.part_urls] if layer.url else []
        # strings for JSON.parse: V8 reads large data faster so than as an object literal
        self.data_literals = (
            []
            if layer.url
            else [json.dumps(d, ensure_ascii=False).replace("</", "<\\/") for d in (layer.data, *layer.parts)]
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
