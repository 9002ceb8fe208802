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

from __future__ import annotations

import base64
import html
import json
import math
import re
from typing import ClassVar

import folium
import folium.plugins
import numpy as np
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from folium.utilities import JsCode

from geo.assets import FOLIUM_RESOURCES, AssetsError, read_bytes_asset, read_text_asset
from geo.geojson import feature_collection
from geo.layers import (
    COUNT_LABELS,
    METRIC_PREFIX,
    bin_edges,
    classify,
    fallback_precision,
    layer_bounds,
    measure_column,
    measure_values,
    precision_text,
    simplify_counties,
)
from geo.settings import Settings

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
ZHEJIANG_CENTER = (29.2, 120.5)


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
    default_js: ClassVar[list] = list(folium.plugins.MarkerCluster.default_js)
    default_css: ClassVar[list] = list(folium.plugins.MarkerCluster.default_css)


_CSS = """<style>
.atlas-legend{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;
  box-shadow:0 0 4px rgba(0,0,0,.3);font:12px/1.5 sans-serif;color:#222;max-width:240px}
.atlas-legend i{display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:-1px;
  border:1px solid #999}
.atlas-legend .swatch-point{border-radius:50%}
.atlas-tip table{border-collapse:collapse}.atlas-tip td{padding:0 4px;vertical-align:top}
.atlas-tip td:first-child{color:#666;white-space:nowrap}
</style>"""


def base_map(settings: Settings | None = None, bounds=None, asset_base: str = APP_ASSET_BASE) -> folium.Map:
    """An empty map over Zhejiang (or ``bounds`` [[s, w], [n, e]]), offline assets, no tiles
    unless ``settings.tiles``. Build it once; pass layers separately (streamlit-folium's
    ``feature_group_to_add``) so that pan and zoom do not rebuild it."""
    settings = settings or Settings()
    m = folium.Map(location=ZHEJIANG_CENTER, zoom_start=7, tiles=None, control_scale=True)
    if settings.tiles:
        folium.TileLayer(
            tiles=settings.tiles, attr=settings.tiles_attribution or "tiles", name="底图", control=False
        ).add_to(m)
    if bounds:
        m.fit_bounds(bounds)
    m.add_child(_VendorAssets(), name="atlas_vendor")
    m.get_root().header.add_child(Element(_CSS), name="atlas_css")
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


# ---------------------------------------------------------------- measures and legend


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.4g}"


def class_colors(n: int) -> list[str]:
    """n colours spread over the palette (light → dark)."""
    if n <= 0:
        return []
    return [PALETTE[round(i * (len(PALETTE) - 1) / max(n - 1, 1))] for i in range(n)]


def legend_bins(edges: list[float], low: float | None = None) -> list[tuple[float, float]]:
    lows = [low if low is not None else (edges[0] if edges else 0.0)] + edges[:-1]
    return list(zip(lows, edges))


def legend_html(
    measure: str,
    bins: list[tuple[float, float]],
    colors: list[str],
    no_data: str | None = "无数据",
    counts: bool = False,
) -> str:
    """The legend as escaped HTML: title, one swatch per class, a no-data swatch. Classes are
    (previous edge, edge]; for counts they read as whole numbers ("3 – 5")."""
    rows = [f"<b>{html.escape(measure)}</b>"]
    integer = counts and all(float(x).is_integer() for pair in bins for x in pair)
    for i, ((lo, hi), color) in enumerate(zip(bins, colors)):
        if i and integer:
            lo = lo + 1  # classes are (prev, hi]: integers prev+1 … hi
        if lo == hi:
            text = _fmt(hi)
        elif i == 0 or integer:
            text = f"{_fmt(lo)} – {_fmt(hi)}"
        else:
            text = f"&gt; {_fmt(lo)} – {_fmt(hi)}"
        rows.append(f'<div><i style="background:{html.escape(color)}"></i>{text}</div>')
    if no_data:
        rows.append(f'<div><i style="background:{NO_DATA}"></i>{html.escape(no_data)}</div>')
    return '<div class="atlas-legend">' + "".join(rows) + "</div>"


def _points_legend_html() -> str:
    rows = ["<b>地点</b>"]
    for level, label in LEVEL_LABELS.items():
        rows.append(
            f'<div><i class="swatch-point" style="background:{LEVEL_COLORS[level]}"></i>{label}</div>'
        )
    rows.append(
        '<div><i class="swatch-point" style="background:#fff;border:2px dashed #555">'
        "</i>近似位置（所在区县/乡镇）</div><div>圆点大小：提及次数</div>"
    )
    return '<div class="atlas-legend">' + "".join(rows) + "</div>"


class _LegendControl(MacroElement):
    """A Leaflet control shown while its feature group is on the map (so a legend comes and goes
    with the layer streamlit-folium swaps in and out)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var fg = {{ this._parent.get_name() }};
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-legend-box");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            fg.on("add", function () { legend.addTo(fg._map); });
            fg.on("remove", function () { legend.remove(); });
            if (fg._map) { legend.addTo(fg._map); }
        })();
        {% endmacro %}
    """)

    def __init__(self, legend: str, position: str = "bottomright"):
        super().__init__()
        self._name = "AtlasLegend"
        self.html, self.position = legend, position


def _tooltip_js(title_key: str, rows: list[tuple[str, str]]) -> JsCode:
    """onEachFeature binding a tooltip built with textContent (never innerHTML) from properties."""
    spec = json.dumps({"title": title_key, "rows": rows}).replace("<", "\\u003c")
    return JsCode(
        """function (feature, layer) {
        var spec = %s;
        layer.bindTooltip(function () {
            var p = feature.properties || {}, div = document.createElement("div");
            div.className = "atlas-tip";
            var title = document.createElement("b");
            title.textContent = p[spec.title] == null ? "" : String(p[spec.title]);
            div.appendChild(title);
            var table = document.createElement("table");
            spec.rows.forEach(function (r) {
                var v = p[r[0]];
                if (v === null || v === undefined || v === "") { return; }
                var tr = table.insertRow();
                tr.insertCell().textContent = r[1];
                tr.insertCell().textContent =
                    typeof v === "number" ? v.toLocaleString("zh-CN") : String(v);
            });
            div.appendChild(table);
            return div;
        }, {sticky: true});
    }"""
        % spec
    )


# ---------------------------------------------------------------- layers


def county_group(
    county_gdf,
    measure: str = "mentions",
    label: str | None = None,
    name: str = "区县",
    legend: bool = True,
    decimals: int = 5,
) -> folium.FeatureGroup:
    """The choropleth: counties coloured by a binned measure, Chinese tooltips, place_id kept in
    each feature's properties (a click tells the app which county). Pass simplified polygons
    (:func:`geo.layers.simplify_counties`) to keep the page light."""
    column, period = measure_column(measure)
    values = measure_values(county_gdf, measure)
    is_count = column in COUNT_LABELS
    if is_count:
        values = np.where(values > 0, values, np.nan)  # 0 mentions: grey, like "no data"
    edges = bin_edges(values)
    colors = class_colors(len(edges))
    klass = classify(values, edges)
    if label is None:
        labels = county_gdf.attrs.get("metric_labels", {})
        label = COUNT_LABELS.get(column) or labels.get(column[len(METRIC_PREFIX) :], column)
        if period:
            label += f"（{period}）"
    unit_col = f"{column}_unit"
    frame = county_gdf[["place_id", "name", "chain", "mentions", "articles", "geometry"]].copy()
    units = county_gdf[unit_col].astype("string").fillna("") if unit_col in county_gdf else ""
    frame["value"] = [None if math.isnan(v) else v for v in values]
    shown = measure_values(county_gdf, measure)  # counts: 0 is shown, though coloured grey
    frame["value_text"] = [
        (_fmt(v) + (f" {u}" if u else "")) if not math.isnan(v) else None
        for v, u in zip(shown, np.broadcast_to(np.asarray(units, dtype=object), len(values)))
    ]
    fill = {pid: (colors[k] if k >= 0 else NO_DATA) for pid, k in zip(frame["place_id"], klass)}
    data = feature_collection(frame, decimals)
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda f: {
            "fillColor": fill.get(f["id"], NO_DATA),
            "fillOpacity": 0.75,
            "color": "#555",
            "weight": 0.8,
        },
        highlight_function=lambda f: {"weight": 2.5, "color": "#222", "fillOpacity": 0.9},
        on_each_feature=_tooltip_js(
            "name",
            [("chain", "行政区划"), ("value_text", label)]
            + [(c, COUNT_LABELS[c]) for c in ("mentions", "articles") if c != column],
        ),
    ).add_to(group)
    if legend:
        zero = "0 次提及" if is_count else "无数据"
        low = float(np.nanmin(values)) if edges else None
        group.add_child(
            _LegendControl(legend_html(label, legend_bins(edges, low), colors, zero, counts=is_count))
        )
    return group


def point_style(level: str, precision: str, mentions: int) -> dict:
    """Colour by level, size by mentions; a place drawn at a coarser unit's point (a fallback)
    is hollow and dashed, so it never looks like an exact location."""
    color = LEVEL_COLORS.get(level, "#444")
    style = {
        "radius": round(min(4 + 3 * math.sqrt(max(mentions, 1)), 20), 1),
        "color": color,
        "fill": True,
        "fillColor": color,
        "weight": 1.5,
        "fillOpacity": 0.8,
        "opacity": 1.0,
    }
    if fallback_precision(level, precision):
        style.update(fillOpacity=0.0 if precision == "county" else 0.25, weight=2, dashArray="3 3")
    return style


def point_group(
    points_gdf,
    name: str = "地点",
    cluster_threshold: int = 200,
    legend: bool = True,
    asset_base: str = APP_ASSET_BASE,
) -> folium.FeatureGroup:
    """Circle markers for the point layer (one GeoJSON layer, place_id in its properties),
    clustered when there are more than ``cluster_threshold``."""
    # only what the tooltip and a click need: the side panel looks the rest up by place_id
    # (coordinate sources alone were ~40 % of the point payload at 10,000 places)
    keep = ["place_id", "name", "level", "chain", "precision", "mentions", "articles", "geometry"]
    frame = points_gdf[[c for c in keep if c in points_gdf.columns]].copy()
    frame["level_text"] = frame["level"].map(LEVEL_LABELS).fillna(frame["level"])
    frame["precision_text"] = [
        precision_text(lv, pr) for lv, pr in zip(frame["level"], frame["precision"].fillna("county"))
    ]
    styles = {
        pid: point_style(lv, pr, int(n))
        for pid, lv, pr, n in zip(frame["place_id"], frame["level"], frame["precision"], frame["mentions"])
    }
    data = feature_collection(frame.drop(columns=["level", "precision"]), decimals=5)
    group = folium.FeatureGroup(name=name)
    parent = group
    if len(frame) > cluster_threshold:
        parent = folium.plugins.MarkerCluster(name=name, options={"maxClusterRadius": 40})
        group.add_child(parent)
    folium.GeoJson(
        data,
        name=name,
        marker=folium.CircleMarker(),
        style_function=lambda f: styles.get(f["id"], {}),
        on_each_feature=_tooltip_js(
            "name",
            [
                ("level_text", "类型"),
                ("chain", "行政区划"),
                ("precision_text", "位置精度"),
                ("mentions", "提及次数"),
                ("articles", "文章数"),
            ],
        ),
    ).add_to(parent)
    if legend:
        group.add_child(_LegendControl(_points_legend_html(), position="bottomleft"))
    return localize(group, asset_base)


def build_map(
    county_gdf,
    points_gdf,
    measure: str = "mentions",
    settings: Settings | None = None,
    asset_base: str = APP_ASSET_BASE,
    tolerance: float = 0.005,
    label: str | None = None,
) -> folium.Map:
    """Everything on one map (CLI, standalone HTML): base map, simplified choropleth, points,
    and a layer switcher; the view opens on the home province (the rest is a pan away)."""
    settings = settings or Settings()
    counties = simplify_counties(county_gdf, tolerance) if tolerance else county_gdf
    home = counties[counties["province"] == settings.home_province] if "province" in counties else []
    view = layer_bounds(home) if len(home) else layer_bounds(counties, points_gdf)
    m = base_map(settings, bounds=view, asset_base=asset_base)
    county_group(counties, measure, label=label).add_to(m)
    if points_gdf is not None and len(points_gdf):
        point_group(points_gdf, cluster_threshold=settings.cluster_threshold, asset_base=asset_base).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return localize(m, asset_base)
