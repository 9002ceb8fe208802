"""The Folium map (the only module that imports folium): choropleth, markers, legend, offline.

Offline by construction: every JS/CSS resource folium or a plugin asks for is rewritten to the
local copies that ``python -m geo assets`` installs (see :mod:`geo.assets`); an element asking for
anything we have no local copy of raises instead of silently loading a CDN. In the app the assets
are served by Streamlit at ``/app/static/vendor``; :func:`map_html` inlines them instead, so a saved
HTML file works anywhere without a network. folium's jQuery/Bootstrap/awesome-markers are dropped:
the map uses tooltips (no folium Popup, which needs jQuery) and circle markers (no icons).

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
    LEVEL_COLORS,
    LEVEL_LABELS,
    NO_DATA,
    PALETTE,
    base_map,
    localize,
    map_html,
)
from geo.mapview.groups import build_map, county_group, point_group, point_style
from geo.mapview.legend import class_colors, legend_bins, legend_html

__all__ = [
    "APP_ASSET_BASE",
    "CHINA_VIEW",
    "LEVEL_COLORS",
    "LEVEL_LABELS",
    "NO_DATA",
    "PALETTE",
    "base_map",
    "bin_edges",
    "build_map",
    "class_colors",
    "classify",
    "county_group",
    "legend_bins",
    "legend_html",
    "localize",
    "map_html",
    "measure_values",
    "point_group",
    "point_style",
]
