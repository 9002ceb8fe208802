"""Colour classes, the legend and the tooltips (corpus text reaches the page only as data)."""

from __future__ import annotations

import html
import json
import math

from branca.element import MacroElement
from folium.template import Template
from folium.utilities import JsCode

from geo.layers import LATEST_PERIOD, POINT_MENTIONS_LABEL, period_label
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


def period_note(measure: str) -> str:
    """The legend line saying which period a metric measure shows ("metric:x@2024-Q1"), or that
    each place shows its latest value ("metric:x", or the app's "metric:x@latest")."""
    period = measure.rsplit("@", 1)[1] if "@" in measure else LATEST_PERIOD
    if period == LATEST_PERIOD:
        return "时期：各地最新值（见提示）"
    return "时期：" + period_label(period or None)


def legend_bins(edges: list[float], low: float | None = None) -> list[tuple[float, float]]:
    lows = [low if low is not None else (edges[0] if edges else 0.0)] + edges[:-1]
    return list(zip(lows, edges))


def _box(title: str, rows: list[str]) -> str:
    """A legend that folds to its title (a click on the title): <details>, no script needed."""
    return (
        f'<details class="atlas-legend" open><summary>{html.escape(title)}</summary>'
        + "".join(rows)
        + "</details>"
    )


def legend_html(
    measure: str,
    bins: list[tuple[float, float]],
    colors: list[str],
    no_data: str | None = "无数据",
    counts: bool = False,
    notes: tuple[str, ...] = (),
) -> str:
    """The legend as escaped HTML: title, one swatch per class, a no-data swatch, then notes
    ("4 / 103 个区县有数据", the period). Classes are (previous edge, edge]; for counts they read
    as whole numbers ("3 – 5")."""
    rows = []
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
    rows += [f'<div class="atlas-note">{html.escape(n)}</div>' for n in notes]
    return _box(measure, rows)


def points_legend_html(sizes: list[tuple[float, float]] | None = None, notes: tuple[str, ...] = ()) -> str:
    """The places legend: colour by level, hollow when approximate; circle size by own mentions,
    or, with ``sizes`` [(value, radius px)], graduated circles of a metric."""
    rows = []
    for level, label in LEVEL_LABELS.items():
        rows.append(
            f'<div><i class="swatch-point" style="background:{LEVEL_COLORS[level]}"></i>{label}</div>'
        )
    rows.append(
        '<div><i class="swatch-point" style="background:#fff;border:2px dashed #555">'
        "</i>近似位置（所在区县/乡镇）</div>"
    )
    if sizes:
        circles = "".join(
            f'<span><b style="width:{2 * r:.0f}px;height:{2 * r:.0f}px"></b>{fmt_number(v)}</span>'
            for v, r in sizes
        )
        rows.append(f'<div class="atlas-size">{circles}</div>')
    else:
        rows.append(f"<div>圆点大小：{html.escape(POINT_MENTIONS_LABEL)}</div>")
    rows += [f'<div class="atlas-note">{html.escape(n)}</div>' for n in notes]
    return _box("地点", rows)


class LegendControl(MacroElement):
    """A Leaflet control shown while its feature group is on the map (so a legend comes and goes
    with the layer streamlit-folium swaps in and out). It folds to its title; a folded or opened
    legend stays so when the layers are swapped after a click, and on a map narrower than
    ``fold_below`` px it starts folded, so it never covers a small map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var fg = {{ this._parent.get_name() }};
            var legend = L.control({position: {{ this.position|tojson }}});
            var key = {{ this.key|tojson }};
            var state = window.atlasLegendOpen = window.atlasLegendOpen || {};
            legend.onAdd = function (map) {
                var div = L.DomUtil.create("div", "atlas-legend-box");
                div.setAttribute("data-legend", key);
                div.innerHTML = {{ this.html|tojson }};
                var box = div.querySelector("details");
                if (box) {
                    box.open = key in state ? state[key] : map.getSize().x >= {{ this.fold_below }};
                    box.addEventListener("toggle", function () { state[key] = box.open; });
                }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            fg.on("add", function () { legend.addTo(fg._map); });
            fg.on("remove", function () { legend.remove(); });
            if (fg._map) { legend.addTo(fg._map); }
        })();
        {% endmacro %}
    """)

    def __init__(
        self, legend: str, position: str = "bottomright", key: str = "legend", fold_below: int = 600
    ):
        super().__init__()
        self._name = "AtlasLegend"
        self.html, self.position, self.key, self.fold_below = legend, position, key, fold_below


def tooltip_js(title_key: str, rows: list[tuple[str, str]]) -> JsCode:
    """onEachFeature binding a tooltip built with textContent (never innerHTML) from properties,
    and marking the place as selected when it is clicked (:mod:`geo.mapview.selection`)."""
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
        }, {sticky: true, className: "atlas-tooltip"});
        layer.on("click", function () {  // mark the place at once; the app's URL confirms it
            var pid = (feature.properties || {}).place_id;
            if (pid != null && window.atlasSelect) { window.atlasSelect(pid); }
        });
    }"""
        % spec
    )
