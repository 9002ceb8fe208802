"""Orientation over the data layers: provinces around, city and province borders, names by zoom.

Each is its own small feature group the app passes next to the data layers in streamlit-folium's
``feature_group_to_add``; they depend on the gazetteer and the home province only, so they never
change with a click. None takes clicks (their panes ignore the mouse): they never hide a place.
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
            "geometry": shapely.geometry.mapping(round_geometry(geom, decimals)),
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


def label_group(
    gaz, home_province: str, counties=None, name: str = "地名", rows: list[list] | None = None
) -> folium.FeatureGroup:
    """Province, city and county names that appear with zoom (cities from zoom
    :data:`geo.mapview.base.CITY_LABEL_ZOOM`); text only, never clickable. ``rows``: the
    :func:`label_rows` already computed (the app keeps them per filter state)."""
    group = folium.FeatureGroup(name=name, control=False)
    group.add_child(_Labels(rows if rows is not None else label_rows(gaz, home_province, counties)))
    return group
