"""The base map, offline: every resource folium asks for served from the local copies, or inlined."""

from __future__ import annotations

import base64
import math
import re
from urllib.parse import unquote

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.assets import FOLIUM_RESOURCES, AssetsError, read_bytes_asset, read_text_asset
from geo.mapview.selection import SelectionMarker
from geo.settings import Settings, load_settings

APP_ASSET_BASE = "/app/static/vendor"
#: ColorBrewer YlOrRd, 6 classes; grey for "no mentions / no data".
PALETTE = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA = "#e8e8e8"
LEVEL_COLORS = {
    "county": "#6a3d9a",
    "township": "#1f78b4",
    "village": "#33a02c",
    "zone": "#ff7f00",
    "landmark": "#b15928",
}
LEVEL_LABELS = {
    "county": "区县",
    "township": "乡镇街道",
    "village": "村社区",
    "zone": "园区/功能区",
    "landmark": "地标",
}
#: Where a map with nothing to show opens: all of China (a map with layers fits their bounds).
CHINA_VIEW = (35.0, 105.0, 4)
#: Loaded before Leaflet: markers and names placed with left/top instead of translate3d. Each 3D
#: transform made its icon a compositing layer of its own; on the 1 GB store's map (3,700 name and
#: cluster icons) every paint after a click or a zoom then spent 0.4-1.3 s sorting those layers
#: (Chromium trace), and a click took 6 s to list the articles. The price: zooms are not animated.
FLAT_MARKERS_JS = "data:text/javascript,window.L_DISABLE_3D%3Dtrue%3B"


# ---------------------------------------------------------------- offline assets


def localize(element, asset_base: str = APP_ASSET_BASE):
    """Point every JS/CSS link in an element tree at the local vendor copies (in place)."""
    base = asset_base.rstrip("/")
    stack = [element]
    while stack:
        el = stack.pop()
        if isinstance(el, JSCSSMixin):
            el.default_js = _local_links(el, el.default_js, base)
            el.default_css = _local_links(el, el.default_css, base)
        stack.extend(getattr(el, "_children", {}).values())
    return element


def _local_links(el, links, base: str) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if url.startswith((base + "/", "data:")):
            out.append((name, url))
            continue
        if name not in FOLIUM_RESOURCES:
            raise AssetsError(
                f"{type(el).__name__} needs {url} ({name}), which has no local copy; "
                "add it to geo.assets.PACKAGES"
            )
        if FOLIUM_RESOURCES[name]:
            out.append((name, f"{base}/{FOLIUM_RESOURCES[name]}"))
    return out


class _VendorAssets(JSCSSMixin, MacroElement):
    """Declares the plugin files on the base map: streamlit-folium loads only the links it finds
    on the base map, not those of layers passed later through ``feature_group_to_add``."""

    _template = Template("")

    def __init__(self) -> None:
        super().__init__()
        self.default_js = list(folium.plugins.MarkerCluster.default_js)
        self.default_css = list(folium.plugins.MarkerCluster.default_css)


#: Panes, bottom to top (Leaflet's own: overlayPane 400, markerPane 600, tooltipPane 650):
#: grey neighbouring provinces under the counties, borders and names over them, then the places,
#: the cluster icons, and the selection on top. Only the counties and places take clicks.
PANES = {
    "atlas-context": 350,
    "atlas-boundaries": 420,
    "atlas-labels": 440,
    "atlas-points": 460,
    "atlas-selection": 640,
}
#: Zoom from which city names (and from which county names) are shown.
CITY_LABEL_ZOOM, COUNTY_LABEL_ZOOM = 7, 9
#: The map's deepest zoom (Leaflet.markercluster needs one when no tile layer sets it).
MAX_ZOOM = 18

_CSS = """<style>
.atlas-legend{background:rgba(255,255,255,.92);padding:5px 8px;border-radius:4px;
  box-shadow:0 0 4px rgba(0,0,0,.3);font:12px/1.45 sans-serif;color:#222;max-width:210px}
.atlas-legend summary{cursor:pointer;font-weight:600;outline:none}
.atlas-legend i{display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:-1px;
  border:1px solid #999}
.atlas-legend .swatch-point{border-radius:50%}
.atlas-legend .atlas-note{color:#555}
.atlas-legend .atlas-size{display:flex;align-items:flex-end;gap:8px;margin:2px 0}
.atlas-legend .atlas-size span{display:flex;flex-direction:column;align-items:center;font-size:11px}
.atlas-legend .atlas-size b{display:block;border-radius:50%;border:1.5px solid #8c0020;
  background:rgba(189,0,38,.45)}
.leaflet-interactive:focus,.leaflet-container path:focus{outline:none}
.leaflet-tooltip.atlas-tooltip{white-space:normal;width:max-content;max-width:300px}
.atlas-quiet .leaflet-tooltip-pane{visibility:hidden}
.atlas-tip table{border-collapse:collapse}.atlas-tip td{padding:0 4px;vertical-align:top}
.atlas-tip td:first-child{color:#666;white-space:nowrap}
.atlas-cluster{display:flex;align-items:center;justify-content:center;border-radius:50%;
  background:rgba(255,255,255,.92);border:2px solid #333;font:bold 12px/1 sans-serif;color:#222;
  box-shadow:0 0 0 3px rgba(255,255,255,.6)}
.atlas-cluster-metric{background:rgba(189,0,38,.45);border-color:#8c0020;color:#fff;
  text-shadow:0 0 2px #000}
.atlas-label span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;
  pointer-events:none;color:#333;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
.atlas-label-city span{font:600 13px/1 sans-serif;color:#222}
.atlas-label-county span{font:11px/1 sans-serif;color:#444}
.atlas-label-province span{font:600 14px/1 sans-serif;color:#888;letter-spacing:2px}
.atlas-label-city,.atlas-label-county,.atlas-label-home{display:none}
.atlas-z-city .atlas-label-city,.atlas-z-county .atlas-label-county{display:block}
.atlas-z-low .atlas-label-home{display:block}
.atlas-z-county .atlas-label-province{display:none}
.atlas-tiled .leaflet-atlas-context-pane path{fill-opacity:0}
</style>"""


class _MapSetup(MacroElement):
    """Once per map: the panes, a metric scale, tooltips kept inside the map and hidden after a
    click until the mouse moves on, and zoom classes that show names by zoom (pure CSS)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var panes = {{ this.panes|tojson }};
            Object.keys(panes).forEach(function (name) {
                var pane = map.getPane(name) || map.createPane(name);
                pane.style.zIndex = panes[name];
                if (name !== "atlas-points") { pane.style.pointerEvents = "none"; }
            });
            L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
            if (!L.Tooltip.prototype._atlasClamped) {
                var place = L.Tooltip.prototype._setPosition;
                L.Tooltip.prototype._setPosition = function (pos) {
                    place.call(this, pos);
                    var el = this._container, m = this._map;
                    if (!el || !m) { return; }
                    var box = m.getContainer().getBoundingClientRect(),
                        r = el.getBoundingClientRect(), pad = 4, dx = 0, dy = 0;
                    if (r.right > box.right - pad) { dx = box.right - pad - r.right; }
                    if (r.left + dx < box.left + pad) { dx = box.left + pad - r.left; }
                    if (r.bottom > box.bottom - pad) { dy = box.bottom - pad - r.bottom; }
                    if (r.top + dy < box.top + pad) { dy = box.top + pad - r.top; }
                    if (dx || dy) { L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add([dx, dy])); }
                };
                L.Tooltip.prototype._atlasClamped = true;
            }
            var box = map.getContainer(), quiet = null;
            L.DomEvent.on(box, "click", function (e) {
                quiet = [e.clientX, e.clientY];
                L.DomUtil.addClass(box, "atlas-quiet");
                map.eachLayer(function (l) { if (l.closeTooltip) { l.closeTooltip(); } });
                setTimeout(sendClickNow, 0);  // once the click's own handlers have run
            });
            L.DomEvent.on(box, "mousemove", function (e) {
                if (quiet && Math.abs(e.clientX - quiet[0]) + Math.abs(e.clientY - quiet[1]) > 6) {
                    quiet = null;
                    L.DomUtil.removeClass(box, "atlas-quiet");
                }
            });
            // A click on a place reaches the app at once: streamlit-folium sends the clicked
            // feature through a 250 ms debounce (meant for pans and zooms). After the click's own
            // handlers have run, the value it would send is sent now, exactly as it would build
            // it; the debounced call then finds nothing new and sends nothing (one rerun, 250 ms
            // sooner). Without streamlit-folium's globals (the exported HTML) this does nothing.
            function sendClickNow() {
                var g = window.__GLOBAL_DATA__, keys = g && g.returned_objects;
                if (!keys || !keys.length || window.parent === window) { return; }
                var wrap = function (v) { return v && g.wrap_longitude ? map.wrapLatLng(v) : v; },
                    bounds = map.getBounds(), all = {
                    last_clicked: wrap(g.lat_lng_clicked),
                    last_object_clicked: wrap(g.last_object_clicked),
                    last_object_clicked_count: g.last_object_clicked_count,
                    last_object_clicked_tooltip: g.last_object_clicked_tooltip,
                    last_object_clicked_popup: g.last_object_clicked_popup,
                    all_drawings: g.all_drawings,
                    last_active_drawing: g.last_active_drawing,
                    last_geocoder_result: g.last_geocoder_result,
                    bounds: bounds && g.wrap_longitude ? map.wrapLatLngBounds(bounds) : bounds,
                    zoom: map.getZoom(),
                    last_circle_radius: g.last_circle_radius,
                    last_circle_polygon: g.last_circle_polygon,
                    center: wrap(map.getCenter()),
                    selected_layers: Object.values(g.selected_layers || {}),
                    selected_tags: g.selected_tags
                }, value = {};
                Object.keys(all).forEach(function (k) {
                    if (keys.indexOf(k) >= 0) { value[k] = all[k]; }
                });
                if (JSON.stringify(g.previous_data) === JSON.stringify(value)) { return; }
                g.previous_data = value;
                window.parent.postMessage({isStreamlitMessage: true,
                    type: "streamlit:setComponentValue", value: value, dataType: "json"}, "*");
            }
            function zoomClasses() {
                var z = map.getZoom();
                L.DomUtil[z >= {{ this.city_zoom }} ? "addClass" : "removeClass"](box, "atlas-z-city");
                L.DomUtil[z >= {{ this.county_zoom }} ? "addClass" : "removeClass"](box, "atlas-z-county");
                L.DomUtil[z < {{ this.city_zoom }} ? "addClass" : "removeClass"](box, "atlas-z-low");
            }
            map.on("zoomend", zoomClasses);
            zoomClasses();
            {%- if this.tiled %}
            L.DomUtil.addClass(box, "atlas-tiled");  // the tiles show the land: no grey provinces
            {%- endif %}
        })();
        {% endmacro %}
    """)

    def __init__(self, tiled: bool = False) -> None:
        super().__init__()
        self._name = "AtlasSetup"
        self.panes, self.city_zoom, self.county_zoom = PANES, CITY_LABEL_ZOOM, COUNTY_LABEL_ZOOM
        self.tiled = tiled


def initial_view(bounds, width_px: int = 800) -> tuple[float, float, int]:
    """(lat, lon, zoom) that already shows ``bounds`` on a map about ``width_px`` wide, so the
    fit that follows is a small correction, not an animated zoom from all of China."""
    if not bounds:
        return CHINA_VIEW
    (south, west), (north, east) = bounds
    span = max(east - west, (north - south) * 1.3, 1e-3)
    zoom = int(max(3, min(12, math.floor(math.log2(width_px * 360 / (256 * span))))))
    return (round((south + north) / 2, 4), round((west + east) / 2, 4), zoom)


def base_map(settings: Settings | None = None, bounds=None, asset_base: str = APP_ASSET_BASE) -> folium.Map:
    """An empty map fitted to ``bounds`` [[s, w], [n, e]] (the app passes the home province's
    extent; without bounds, all of China), offline assets, no tiles unless ``settings.tiles``,
    the panes every group draws into (:data:`PANES`), a scale, and the selection marker.
    Build it once; pass layers separately (streamlit-folium's ``feature_group_to_add``) so that
    pan and zoom do not rebuild it."""
    settings = settings or load_settings()
    lat, lon, zoom = initial_view(bounds)
    m = folium.Map(location=(lat, lon), zoom_start=zoom, tiles=None, maxZoom=MAX_ZOOM, disable_3d=True)
    m.default_js = [("atlas_flat_markers", FLAT_MARKERS_JS), *m.default_js]  # before Leaflet
    if settings.tiles:
        folium.TileLayer(
            tiles=settings.tiles, attr=settings.tiles_attribution or "tiles", name="底图", control=False
        ).add_to(m)
    if bounds:
        m.fit_bounds(bounds)
    m.add_child(_VendorAssets(), name="atlas_vendor")
    m.add_child(_MapSetup(tiled=bool(settings.tiles)), name="atlas_setup")
    m.add_child(SelectionMarker(), name="atlas_selection")
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(_CSS), name="atlas_css")
    return localize(m, asset_base)


def map_html(m: folium.Map, inline: bool = True) -> str:
    """The map as one HTML page. With ``inline`` every local asset is embedded (CSS images as
    data: URIs), so the file opens offline anywhere; a link to anything else raises."""
    page = m.get_root().render()
    if not inline:
        return page

    def vendor_path(url: str) -> str:
        for rel in filter(None, FOLIUM_RESOURCES.values()):
            if url.endswith("/" + rel):
                return rel
        raise AssetsError(f"the map links {url}, which is not a local asset")

    def script(match: re.Match) -> str:
        if match.group(1).startswith("data:text/javascript,"):
            return f"<script>{unquote(match.group(1).split(',', 1)[1])}</script>"
        js = read_text_asset(vendor_path(match.group(1)))
        js = re.sub(r"//# sourceMappingURL=\S+", "", js).replace("</script", "<\\/script")
        return f"<script>{js}</script>"

    def style(match: re.Match) -> str:
        rel = vendor_path(match.group(1))
        folder = rel.rsplit("/", 1)[0]

        def data_uri(u: re.Match) -> str:
            ref = u.group(1).strip("'\"")
            if ref.startswith(("data:", "#")):
                return u.group(0)
            png = base64.b64encode(read_bytes_asset(f"{folder}/{ref}")).decode()
            return f"url(data:image/png;base64,{png})"

        css = re.sub(r"url\(([^)]+)\)", data_uri, read_text_asset(rel))
        css = css.replace("</style", "<\\/style")
        return f"<style>{css}</style>"

    page = re.sub(r'<script src="([^"]+)"></script>', script, page)
    return re.sub(r'<link rel="stylesheet" href="([^"]+)"\s*/>', style, page)
