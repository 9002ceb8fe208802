"""The base map, offline: every resource folium asks for served from the local copies, or inlined."""

from __future__ import annotations

import base64
import math
import re

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.assets import FOLIUM_RESOURCES, AssetsError, read_bytes_asset, read_text_asset
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
        if url.startswith(base + "/"):
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


_CSS = """<style>
.atlas-legend{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;
  box-shadow:0 0 4px rgba(0,0,0,.3);font:12px/1.5 sans-serif;color:#222;max-width:240px}
.atlas-legend i{display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:-1px;
  border:1px solid #999}
.atlas-legend .swatch-point{border-radius:50%}
.atlas-tip table{border-collapse:collapse}.atlas-tip td{padding:0 4px;vertical-align:top}
.atlas-tip td:first-child{color:#666;white-space:nowrap}
</style>"""


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
    extent; without bounds, all of China), offline assets, no tiles unless ``settings.tiles``.
    Build it once; pass layers separately (streamlit-folium's ``feature_group_to_add``) so that
    pan and zoom do not rebuild it."""
    settings = settings or load_settings()
    lat, lon, zoom = initial_view(bounds)
    m = folium.Map(location=(lat, lon), zoom_start=zoom, tiles=None, control_scale=True)
    if settings.tiles:
        folium.TileLayer(
            tiles=settings.tiles, attr=settings.tiles_attribution or "tiles", name="底图", control=False
        ).add_to(m)
    if bounds:
        m.fit_bounds(bounds)
    m.add_child(_VendorAssets(), name="atlas_vendor")
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
