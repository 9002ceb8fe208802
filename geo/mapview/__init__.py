"""The Folium map (the only module that imports folium): choropleth, markers, legend, offline.

Offline by construction: every JS/CSS resource folium or a plugin asks for is rewritten to the
local copies that ``python -m geo assets`` installs (see :mod:`geo.assets`); an element asking for
anything we have no local copy of raises instead of silently loading a CDN. In the app the assets
are served by Streamlit at ``/app/static/vendor``; :func:`map_html` inlines them instead, so a saved
HTML file works anywhere without a network. folium's jQuery/Bootstrap/awesome-markers are dropped:
the map uses tooltips (no folium Popup, which needs jQuery) and circle markers (no icons).

Every place is reachable: markers are always clustered (:mod:`geo.mapview.points`) and a pile
of places on one point spreads out on click. Borders and names are small non-interactive groups
(:mod:`geo.mapview.overlays`); the selection is marked in the browser from the page's URL
(:mod:`geo.mapview.selection`), so a click re-sends no layers.

Tiles are off by default. ``Settings.tiles`` (a URL template) turns on one tile layer with
``Settings.tiles_attribution``. Coordinates are WGS-84: tiles in GCJ-02 (高德/AMap, 腾讯/Tencent,
Google's China tiles) are shifted by ~300–600 m against them, so prefer WGS-84 tiles (天地图
Tianditu, OpenStreetMap) or expect markers to sit off their streets.

Everything from the corpus reaches the page as data (JSON) and is put on screen with
``textContent`` — a place name containing ``<script>`` shows as text.
"""

from geo.layers import bin_edges, classify, measure_values
from geo.mapview.base import (
    APP_ASSET_BASE,
    CHINA_VIEW,
    CITY_LABEL_ZOOM,
    COUNTY_LABEL_ZOOM,
    LEVEL_COLORS,
    LEVEL_LABELS,
    NO_DATA,
    PALETTE,
    PANES,
    base_map,
    localize,
    map_html,
)
from geo.mapview.compact import LayerData, county_data, encode_geometries, point_data
from geo.mapview.groups import build_map, county_group
from geo.mapview.legend import class_colors, legend_bins, legend_html, period_note
from geo.mapview.loader import CompactLayer, layer_group
from geo.mapview.overlays import boundary_group, label_group, label_rows
from geo.mapview.points import CLUSTER_RADIUS, metric_radius, point_group, point_style
from geo.mapview.selection import SELECTION_COLOR, selection_group, selection_spec

__all__ = [
    "APP_ASSET_BASE",
    "CHINA_VIEW",
    "CITY_LABEL_ZOOM",
    "CLUSTER_RADIUS",
    "COUNTY_LABEL_ZOOM",
    "LEVEL_COLORS",
    "LEVEL_LABELS",
    "NO_DATA",
    "PALETTE",
    "PANES",
    "SELECTION_COLOR",
    "CompactLayer",
    "LayerData",
    "base_map",
    "bin_edges",
    "boundary_group",
    "build_map",
    "class_colors",
    "classify",
    "county_data",
    "county_group",
    "encode_geometries",
    "label_group",
    "label_rows",
    "layer_group",
    "legend_bins",
    "legend_html",
    "localize",
    "map_html",
    "measure_values",
    "metric_radius",
    "period_note",
    "point_data",
    "point_group",
    "point_style",
    "selection_group",
    "selection_spec",
]
