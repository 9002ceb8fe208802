"""Colour classes, the legend and the tooltips (corpus text reaches the page only as data)."""

from __future__ import annotations

import html
import json
import math

from branca.element import MacroElement
from folium.template import Template
from folium.utilities import JsCode

from geo.mapview.base import LEVEL_COLORS, LEVEL_LABELS, NO_DATA, PALETTE

# ---------------------------------------------------------------- measures and legend


def fmt_number(x: float) -> str:
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
            text = fmt_number(hi)
        elif i == 0 or integer:
            text = f"{fmt_number(lo)} – {fmt_number(hi)}"
        else:
            text = f"&gt; {fmt_number(lo)} – {fmt_number(hi)}"
        rows.append(f'<div><i style="background:{html.escape(color)}"></i>{text}</div>')
    if no_data:
        rows.append(f'<div><i style="background:{NO_DATA}"></i>{html.escape(no_data)}</div>')
    return '<div class="atlas-legend">' + "".join(rows) + "</div>"


def points_legend_html() -> str:
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


class LegendControl(MacroElement):
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


def tooltip_js(title_key: str, rows: list[tuple[str, str]]) -> JsCode:
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
