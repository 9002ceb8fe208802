"""Small, non-interactive groups over the data layers: the selection, borders, and names.

Each is its own feature group so the app passes it next to the (large, cached) data layers in
streamlit-folium's ``feature_group_to_add``: a click changes the selection group only. None of
them takes clicks (their panes ignore the mouse), so they never hide a place from a click.
"""

from __future__ import annotations

import json

import folium
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from geo.geojson import round_geometry
from geo.layers import boundary_layers, label_points

SELECTION_COLOR = "#1d4ed8"
#: Fixed ring radius (px) when the selected place's marker is not on the map (filtered out).
RING_RADIUS = 14


def _geometry(geom, decimals: int) -> dict:
    return shapely.geometry.mapping(round_geometry(geom, decimals))


def selection_spec(place_id: str | None, counties=None, points=None, cities=None, decimals: int = 4) -> dict:
    """What to mark for a selected place: the outline of its polygon (county, or city from
    :func:`geo.layers.boundary_layers`) and/or its point. A county mentioned by name has both."""
    spec: dict = {"place_id": place_id, "outline": None, "point": None}
    if not place_id:
        return spec
    for polygons in (counties, cities):
        if polygons is not None and len(polygons) and "place_id" in polygons:
            hit = polygons[polygons["place_id"].astype(str) == str(place_id)]
            if len(hit) and hit.geometry.iloc[0] is not None:
                spec["outline"] = _geometry(hit.geometry.iloc[0], decimals)
                break
    if points is not None and len(points):
        hit = points[points["place_id"].astype(str) == str(place_id)]
        if len(hit):
            spec["point"] = [round(float(hit["lat"].iloc[0]), 6), round(float(hit["lon"].iloc[0]), 6)]
    return spec


class _Selection(MacroElement):
    """Draws the outline and the ring; the ring follows its marker when a pile is spread
    (spiderfied) and a pile that holds the selected place opens again after the layers are swapped."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var fg = {{ this._parent.get_name() }}, spec = {{ this.spec_json }};
            window.atlasSelected = spec.place_id;  // what the map marks (tests wait on it)
            var base = {pane: "atlas-selection", interactive: false, fill: false};
            var color = {{ this.color|tojson }};
            function line(extra) { return L.extend({}, base, extra); }
            if (spec.outline) {
                var shape = {type: "Feature", properties: {}, geometry: spec.outline};
                var under = line({color: "#fff", weight: 7, opacity: 0.9});
                L.geoJson(shape, line({style: under})).addTo(fg);
                L.geoJson(shape, line({style: line({color: color, weight: 3.5})})).addTo(fg);
            }
            if (!spec.point) { return; }
            var reg = window.atlasPoints, marker = reg && reg.byId[spec.place_id];
            var r = (marker ? marker.getRadius() : {{ this.radius }}) + 5;
            var halo = L.circleMarker(spec.point, line({radius: r, color: "#fff", weight: 6, opacity: 0.9}));
            var ring = L.circleMarker(spec.point, line({radius: r, color: color, weight: 3}));
            halo.addTo(fg);
            ring.addTo(fg);
            ring.atlasPlaceId = spec.place_id;
            if (!marker) { return; }
            var group = reg.group;
            function follow() { var ll = marker.getLatLng(); halo.setLatLng(ll); ring.setLatLng(ll); }
            group.on("spiderfied unspiderfied", follow);
            fg.on("remove", function () { group.off("spiderfied unspiderfied", follow); });
            var map = group._map;
            if (map && !map.hasLayer(marker)) {
                var c = group.getVisibleParent(marker);
                if (c && c._icon && group.atlasIsPile && group.atlasIsPile(c)) { c.spiderfy(); follow(); }
            }
        })();
        {% endmacro %}
    """)

    def __init__(self, spec: dict, color: str, radius: float):
        super().__init__()
        self._name = "AtlasSelection"
        # JSON in a script: "</" must not close it (a place id is data, never markup)
        self.spec_json = json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")
        self.color, self.radius = color, radius


def selection_group(
    place_id: str | None, counties=None, points=None, cities=None, name: str = "选中"
) -> folium.FeatureGroup:
    """The selected place marked on the map: its county (or city) outlined, its point ringed.
    Small and non-interactive; pass it last in ``feature_group_to_add`` so it draws on top."""
    group = folium.FeatureGroup(name=name, control=False)
    spec = selection_spec(place_id, counties, points, cities)
    group.add_child(_Selection(spec, SELECTION_COLOR, RING_RADIUS))
    return group


def boundary_group(gaz, home_province: str, name: str = "行政边界") -> folium.FeatureGroup:
    """The neighbouring provinces in grey under the counties (context), and city and province
    borders over them (:func:`geo.layers.boundary_layers`); nothing here takes a click."""
    layers = boundary_layers(gaz, home_province)
    group = folium.FeatureGroup(name=name, control=False)
    context = layers["context"]
    if len(context):
        folium.GeoJson(
            _plain(context, 3),
            style_function=lambda f: {"color": "#bbb", "weight": 1, "fillColor": "#eeeeee", "fillOpacity": 1},
            pane="atlas-context",
            interactive=False,
        ).add_to(group)
    lines = layers["lines"]
    if len(lines):
        folium.GeoJson(
            _plain(lines, 3),
            style_function=lambda f: (
                {"color": "#333", "weight": 2.6, "opacity": 0.9}
                if f["properties"]["kind"] == "province"
                else {"color": "#444", "weight": 1.6, "opacity": 0.85, "dashArray": "6 3"}
            ),
            pane="atlas-boundaries",
            interactive=False,
        ).add_to(group)
    return group


def _plain(gdf, decimals: int) -> dict:
    """A small FeatureCollection: kind and name only (no ids: these features are not places)."""
    features = [
        {
            "type": "Feature",
            "id": f"{kind}:{name}",
            "properties": {"kind": str(kind), "name": str(name)},
            "geometry": _geometry(geom, decimals),
        }
        for kind, name, geom in zip(gdf["kind"], gdf["name"], gdf.geometry.values)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


class _Labels(MacroElement):
    """Names as text markers in the label pane; CSS shows each kind from its zoom (see base)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var fg = {{ this._parent.get_name() }}, rows = {{ this.rows_json }};
            rows.forEach(function (r) {
                var span = document.createElement("span");
                span.textContent = r[0];
                var icon = L.divIcon({className: "atlas-label atlas-label-" + r[1], html: span,
                                      iconSize: [0, 0]});
                L.marker([r[2], r[3]], {pane: "atlas-labels", interactive: false, keyboard: false,
                                        icon: icon}).addTo(fg);
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, rows: list[list]):
        super().__init__()
        self._name = "AtlasLabels"
        self.rows_json = json.dumps(rows, ensure_ascii=False).replace("</", "<\\/")


def label_rows(gaz, home_province: str, counties=None) -> list[list]:
    """[name, kind, lat, lon] for the names on the map: neighbouring provinces (and the home
    province, shown zoomed out), its cities (from zoom 7) and the drawn counties (from zoom 9)."""
    layers = boundary_layers(gaz, home_province)
    frames = [
        (label_points(layers["context"]), "province"),
        (label_points(layers["province"]), "home"),
        (label_points(layers["city"]), "city"),
    ]
    if counties is not None and len(counties):
        frames.append((label_points(counties), "county"))
    rows = []
    for frame, kind in frames:
        for name, lat, lon in zip(frame["name"], frame["lat"], frame["lon"]):
            if isinstance(name, str) and name and pd.notna(lat) and pd.notna(lon):
                rows.append([name, kind, float(lat), float(lon)])
    return rows


def label_group(gaz, home_province: str, counties=None, name: str = "地名") -> folium.FeatureGroup:
    """Province, city and county names that appear with zoom (cities from zoom
    :data:`geo.mapview.base.CITY_LABEL_ZOOM`); text only, never clickable."""
    group = folium.FeatureGroup(name=name, control=False)
    group.add_child(_Labels(label_rows(gaz, home_province, counties)))
    return group
