"""The selected place marked on the map: its county outlined, its point ringed.

Drawn in the browser from the layers already there, so a click costs no re-sent layers:
streamlit-folium re-evaluates every group of ``feature_group_to_add`` as soon as one changes
(~600 KiB and a full redraw per click on the seeds when the selection was a server-side group).
The marker follows the place named by ``?place=`` in the page's URL (the app mirrors its
selection there), and answers a click at once (the URL then confirms it). Only a place the map
does not draw (a city, a place filtered out) needs :func:`selection_group` to send its shape.
"""

from __future__ import annotations

import json

import folium
import shapely
from branca.element import MacroElement
from folium.template import Template

from geo.geojson import round_geometry
from geo.layers import boundary_layers

SELECTION_COLOR = "#1d4ed8"
#: Ring radius (px) around a place whose marker is not on the map (filtered out).
RING_RADIUS = 14
POLL_MS = 150


class SelectionMarker(MacroElement):
    """Once per map (see :func:`geo.mapview.base.base_map`): draws the selection in its own
    layer, which stays when the data groups are swapped, and draws it again on the new ones.
    A place in a pile that is not spread opens the pile (a selection from search or a link)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, marks = L.layerGroup().addTo(map);
            var color = {{ this.color|tojson }}, lastUrl, cur = {pid: null};
            var base = {pane: "atlas-selection", interactive: false, fill: false};
            function line(extra) { return L.extend({}, base, extra); }
            function urlPlace() {
                try { return new URLSearchParams(window.parent.location.search).get("place"); }
                catch (e) { return null; }  // a page the map may not read: clicks only
            }
            function polygonOf(pid) {
                var hit = null;
                map.eachLayer(function (l) {
                    var f = l.feature;
                    if (!hit && f && f.properties && String(f.properties.place_id) === pid &&
                        f.geometry && /Polygon/.test(f.geometry.type)) { hit = l; }
                });
                return hit;
            }
            function pile(group, c) {
                return c && c._icon && group.atlasIsPile && group.atlasIsPile(c);
            }
            function draw(pid) {
                marks.clearLayers();
                if (cur.group) {
                    cur.group.off("spiderfied unspiderfied animationend", cur.follow);
                    map.off("zoomend moveend", cur.follow);
                }
                cur = {pid: pid};
                window.atlasSelected = pid;
                if (!pid) { return; }
                var extra = (window.atlasShapes || {})[pid] || {};
                var poly = polygonOf(pid), shape = poly ? poly.toGeoJSON().geometry : extra.outline;
                cur.poly = poly;
                if (shape) {
                    var f = {type: "Feature", properties: {}, geometry: shape};
                    L.geoJson(f, line({style: line({color: "#fff", weight: 7, opacity: 0.9})})).addTo(marks);
                    L.geoJson(f, line({style: line({color: color, weight: 3.5})})).addTo(marks);
                }
                var reg = window.atlasPoints, marker = reg && reg.byId[pid];
                cur.registry = reg;
                cur.found = !!(shape || marker || extra.point);  // else: look again (layers to come)
                if (!marker && !extra.point) { return; }
                var at = marker ? marker.getLatLng() : extra.point;
                var r = (marker ? marker.getRadius() : {{ this.radius }}) + 5;
                var halo = L.circleMarker(at, line({radius: r, color: "#fff", weight: 6, opacity: 0.9}));
                var ring = L.circleMarker(at, line({radius: r, color: color, weight: 3}));
                ring.atlasPlaceId = pid;
                marks.addLayer(halo).addLayer(ring);
                if (!marker) { return; }
                var group = reg.group;
                // on the marker when it is shown (a spread pile included), else around the
                // cluster that holds it: "your place is in here"
                cur.follow = function () {
                    var ll = marker.getLatLng(), radius = marker.getRadius() + 5;
                    if (group._map && !map.hasLayer(marker)) {
                        var c = group.getVisibleParent(marker);
                        if (c && c._icon) { ll = c.getLatLng(); radius = c._icon.offsetWidth / 2 + 5; }
                    }
                    halo.setLatLng(ll).setRadius(radius);
                    ring.setLatLng(ll).setRadius(radius);
                };
                cur.group = group;
                group.on("spiderfied unspiderfied animationend", cur.follow);
                map.on("zoomend moveend", cur.follow);
                var open = function () {  // not while the pile is still closing or opening
                    if (cur.group !== group) { return; }
                    if (group._inZoomAnimation) { group.once("animationend", open); return; }
                    var c = group._map && !map.hasLayer(marker) && group.getVisibleParent(marker);
                    if (pile(group, c)) { c.spiderfy(); }
                };
                open();
                cur.follow();
            }
            function tick() {
                var u = urlPlace();
                if (u !== lastUrl) { lastUrl = u; draw(u); return; }
                // the data groups were swapped (filters, measure): mark the place on the new ones
                var stale = !cur.found || (cur.poly && !map.hasLayer(cur.poly)) ||
                            window.atlasPoints !== cur.registry;
                if (cur.pid && stale) { draw(cur.pid); }
            }
            window.atlasSelect = function (pid) { draw(pid == null ? null : String(pid)); };
            map.whenReady(tick);
            setInterval(tick, {{ this.poll_ms }});
        })();
        {% endmacro %}
    """)

    def __init__(self, color: str = SELECTION_COLOR, radius: float = RING_RADIUS, poll_ms: int = POLL_MS):
        super().__init__()
        self._name = "AtlasSelection"
        self.color, self.radius, self.poll_ms = color, radius, poll_ms


def _drawn(place_id: str, frames) -> bool:
    return any(
        f is not None and len(f) and "place_id" in f and (f["place_id"].astype(str) == place_id).any()
        for f in frames
    )


def selection_spec(place_id: str | None, counties=None, points=None, cities=None, decimals: int = 4) -> dict:
    """What marks a place: the outline of its polygon (county, or city from
    :func:`geo.layers.boundary_layers`) and its point ([lat, lng]). A county named in the corpus
    has both."""
    spec: dict = {"place_id": place_id, "outline": None, "point": None}
    if not place_id:
        return spec
    for polygons in (counties, cities):
        if polygons is not None and len(polygons) and "place_id" in polygons:
            hit = polygons[polygons["place_id"].astype(str) == str(place_id)]
            if len(hit) and hit.geometry.iloc[0] is not None:
                spec["outline"] = shapely.geometry.mapping(round_geometry(hit.geometry.iloc[0], decimals))
                break
    if points is not None and len(points):
        hit = points[points["place_id"].astype(str) == str(place_id)]
        if len(hit):
            spec["point"] = [round(float(hit["lat"].iloc[0]), 6), round(float(hit["lon"].iloc[0]), 6)]
    return spec


class _Shapes(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        window.atlasShapes = {{ this.shapes_json }};
        {% endmacro %}
    """)

    def __init__(self, shapes: dict):
        super().__init__()
        self._name = "AtlasShapes"
        # JSON inside a script: "</" must not end it (an id is data, never markup)
        self.shapes_json = json.dumps(shapes, ensure_ascii=False).replace("</", "<\\/")


def selection_group(
    place_id: str | None, counties=None, points=None, gaz=None, home_province: str | None = None
) -> folium.FeatureGroup:
    """The shape the map needs to mark a selected place it does not draw itself (a city of the
    home province, given the gazetteer); for a drawn place it is the same tiny group whatever
    the selection, so a click re-sends no layers. Pass it in ``feature_group_to_add``; the
    marking itself is done in the browser (:class:`SelectionMarker`)."""
    shapes = {}
    if place_id and gaz is not None and home_province and not _drawn(str(place_id), (counties, points)):
        cities = boundary_layers(gaz, home_province)["city"]
        spec = selection_spec(str(place_id), None, None, cities)
        if spec["outline"] or spec["point"]:
            shapes[str(place_id)] = {"outline": spec["outline"], "point": spec["point"]}
    group = folium.FeatureGroup(name="选中", control=False)
    group.add_child(_Shapes(shapes))
    return group
