"""The places as circle markers, always clustered: a pile of places on one point opens on click.

Places known only to their township or county sit on its point, so many share a coordinate; a
marker cluster (Leaflet.markercluster, local copy) gathers markers closer than a few pixels and a
click on a cluster zooms in, or spreads a pile of places on one point into a spider whose every
leg is a clickable place. With a metric as the measure the circles are graduated by its value.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from geo.geojson import feature_collection
from geo.layers import (
    COUNT_LABELS,
    METRIC_PREFIX,
    POINT_ARTICLES_LABEL,
    POINT_MENTIONS_LABEL,
    fallback_precision,
    measure_column,
    measure_values,
    period_label,
    precision_text,
)
from geo.mapview.base import APP_ASSET_BASE, LEVEL_COLORS, LEVEL_LABELS, localize
from geo.mapview.legend import LegendControl, fmt_number, period_note, points_legend_html, tooltip_js

#: Markers closer than this (px) share a cluster; identical points always do.
CLUSTER_RADIUS = 28
#: Graduated circles: radius (px) of the smallest and the largest value.
METRIC_RADIUS = (5.0, 22.0)
METRIC_STYLE = {"color": "#8c0020", "fillColor": "#bd0026", "fillOpacity": 0.45, "weight": 1.5}
#: The legs of a spread pile: not clickable, so a click near a leg reaches the place, not the map.
SPIDER_LEG_STYLE = {"weight": 1.5, "color": "#222", "opacity": 0.6, "interactive": False}
NO_VALUE_STYLE = {"radius": 4.0, "color": "#777", "fillColor": "#fff", "fillOpacity": 0.7, "weight": 1.0}


def place_marker() -> folium.CircleMarker:
    """The circle of one place. Its clicks stay on it (Leaflet's default for a marker, not for
    a circle): a click on a leg of a spread pile would reach the map too, and a click on the
    map closes the pile, so the place just chosen would vanish back into it."""
    return folium.CircleMarker(bubbling_mouse_events=False)


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


def metric_radius(value: float, top: float) -> float:
    """Circle area proportional to the value (its magnitude), between METRIC_RADIUS."""
    low, high = METRIC_RADIUS
    if not top or math.isnan(value):
        return low
    return round(low + (high - low) * math.sqrt(min(abs(value) / top, 1.0)), 1)


def _size_steps(values: np.ndarray) -> list[tuple[float, float]]:
    """Up to three reference circles for the legend: the largest value, a middle one, the smallest."""
    v = np.abs(values[~np.isnan(values)])
    if not len(v):
        return []
    top = float(v.max())
    middle = {float(np.median(v))} if len(v) >= 3 else set()
    picks = sorted({top, float(v.min())} | middle, reverse=True)
    return [(x, metric_radius(x, top)) for x in picks]


class ClusterBehaviour(MacroElement):
    """What the cluster group does beyond Leaflet.markercluster's defaults:

    - a click on a cluster icon is not a click on a place: streamlit-folium listens for clicks on
      every layer on the map when the layers arrive — the cluster icons then shown and the group's
      inner layer, which hears them before the group renames their events to ``cluster*`` — so a
      cluster's clicks skip the listeners of the icon and of the inner layer and reach the group
      alone (which zooms in or spreads the pile);
    - a click on a pile while the clusters still move after a zoom (markercluster ignores it)
      spreads the pile once they stand still;
    - hovering a cluster lists its places (names set as text, never as HTML);
    - ``window.atlasPoints`` maps place ids to markers, for the selection ring.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }}, inner = group._featureGroup;
            function onlyUp(target, type, data, propagate) {  // skip the target's own listeners
                if (propagate) {
                    target._propagateEvent(L.Util.extend({}, data,
                        {type: type, target: target, sourceTarget: (data && data.sourceTarget) || target}));
                }
                return target;
            }
            if (!L.MarkerCluster.prototype.atlasQuiet) {
                var fire = L.MarkerCluster.prototype.fire;
                L.MarkerCluster.prototype.fire = function (type, data, propagate) {
                    return /click$/.test(type) ? onlyUp(this, type, data, propagate)
                                               : fire.call(this, type, data, propagate);
                };
                L.MarkerCluster.prototype.atlasQuiet = true;
            }
            inner.fire = function (type, data, propagate) {
                return data && data.layer instanceof L.MarkerCluster
                    ? onlyUp(this, type, data, propagate)
                    : L.FeatureGroup.prototype.fire.call(this, type, data, propagate);
            };
            var byId = {};
            group.eachLayer(function (m) {
                if (m.feature && m.feature.properties) { byId[m.feature.properties.place_id] = m; }
            });
            window.atlasPoints = {group: group, byId: byId};
            function pile(c) {
                var bottom = c;
                while (bottom._childClusters.length === 1) { bottom = bottom._childClusters[0]; }
                return bottom._zoom === group._maxZoom && bottom._childCount === c._childCount;
            }
            group.atlasIsPile = pile;
            // A click on a pile while the clusters still move (~300 ms after a zoom, longer on a
            // slow machine) is not lost: markercluster ignores it then, so the pile that holds
            // the same places spreads once they stand still.
            group.on("clusterclick", function (e) {
                var c = e.layer, first = c.getAllChildMarkers()[0];
                if (!group._inZoomAnimation || group._spiderfied === c || !first || !pile(c)) { return; }
                var retry = function () {
                    if (group._inZoomAnimation) { group.once("animationend", retry); return; }
                    var v = group._map && group.getVisibleParent(first);
                    if (v && v instanceof L.MarkerCluster && v._icon && pile(v)) { v.spiderfy(); }
                };
                group.once("animationend", retry);
            });
            group.on("clustermouseover", function (e) {
                var c = e.layer;
                if (!c.getTooltip()) {
                    c.bindTooltip(function () {
                        var names = c.getAllChildMarkers().map(function (m) {
                            return (m.feature && m.feature.properties.name) || "";
                        });
                        var div = document.createElement("div"), b = document.createElement("b");
                        div.className = "atlas-tip";
                        b.textContent = names.length + " 个地点" +
                            (pile(c) ? "在同一位置，点击展开" : "，点击放大");
                        div.appendChild(b);
                        var list = document.createElement("div");
                        list.textContent = names.slice(0, {{ this.max_names }}).join("、") +
                            (names.length > {{ this.max_names }} ? " 等" : "");
                        div.appendChild(list);
                        return div;
                    }, {className: "atlas-tooltip", direction: "top", offset: [0, -10]});
                }
                c.openTooltip();
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, max_names: int = 30):
        super().__init__()
        self._name = "ClusterBehaviour"
        self.max_names = max_names


class PointFeatures(NamedTuple):
    """What the point layer draws, in drawing order (big circles first, small ones on top):
    the features' properties (``frame``, a geometry column included), one style per feature,
    the tooltip rows, the largest metric value (0: counts) and the legend's HTML."""

    frame: pd.DataFrame
    styles: list[dict]
    rows: list[tuple[str, str]]
    top: float
    legend: str


def point_features(points_gdf, measure: str = "mentions", label: str | None = None) -> PointFeatures:
    """The properties, styles, tooltip rows and legend of :func:`point_group` (shared with the
    app's compact layer, :mod:`geo.mapview.compact`, so both draw the same)."""
    # only what the tooltip and a click need: the side panel looks the rest up by place_id
    # (coordinate sources alone were ~40 % of the point payload at 10,000 places)
    keep = ["place_id", "name", "level", "chain", "precision", "mentions", "articles", "geometry"]
    frame = points_gdf[[c for c in keep if c in points_gdf.columns]].copy()
    # plain object arrays: iterating an Arrow-backed text column goes value by value (slow)
    level = frame["level"].to_numpy(dtype=object)
    precision = frame["precision"].fillna("county").to_numpy(dtype=object)
    frame["level_text"] = frame["level"].map(LEVEL_LABELS).fillna(frame["level"])
    texts: dict[tuple, str] = {}  # few distinct (level, precision) pairs
    frame["precision_text"] = [
        texts[k] if (k := (lv, pr)) in texts else texts.setdefault(k, precision_text(lv, pr))
        for lv, pr in zip(level, precision)
    ]
    column, _ = measure_column(measure)
    is_metric = column.startswith(METRIC_PREFIX)
    values = measure_values(points_gdf, measure) if is_metric else np.full(len(frame), np.nan)
    top = float(np.nanmax(np.abs(values))) if is_metric and not np.isnan(values).all() else 0.0
    styles = []
    memo: dict[tuple, dict] = {}  # few distinct styles: one dict each (66,000 places, ~300 styles)
    for lv, pr, n, v in zip(level, precision, frame["mentions"].to_numpy(), values):
        if not is_metric:
            key: tuple = ("count", lv, pr, int(n))
        elif math.isnan(v):
            key = ("no value",)
        else:
            key = ("value", lv, pr, float(v))
        style = memo.get(key)
        if style is None:
            if not is_metric:
                style = point_style(lv, pr, int(n))
            elif math.isnan(v):
                style = dict(NO_VALUE_STYLE, fill=True)
            else:
                style = dict(METRIC_STYLE, radius=metric_radius(v, top), fill=True)
                if fallback_precision(lv, pr):
                    style["dashArray"] = "3 3"
            style = memo[key] = dict(style, pane="atlas-points")
        styles.append(style)
    rows = [("level_text", "类型"), ("chain", "行政区划"), ("precision_text", "位置精度")]
    if is_metric:
        if label is None:
            labels = points_gdf.attrs.get("metric_labels", {})
            label = COUNT_LABELS.get(column) or labels.get(column[len(METRIC_PREFIX) :], column)
        units = points_gdf.get(f"{column}_unit")
        periods = points_gdf.get(f"{column}_period")
        frame["metric_text"] = [
            None if math.isnan(v) else fmt_number(v) + (f" {u}" if isinstance(u, str) and u else "")
            for v, u in zip(values, units if units is not None else [None] * len(frame))
        ]
        frame["period_text"] = [
            None if math.isnan(v) else period_label(p)
            for v, p in zip(values, periods if periods is not None else [None] * len(frame))
        ]
        frame["metric_value"] = [None if math.isnan(v) else float(v) for v in values]  # cluster discs
        rows += [("metric_text", label), ("period_text", "时期")]
    rows += [("mentions", POINT_MENTIONS_LABEL), ("articles", POINT_ARTICLES_LABEL)]
    order = np.argsort([-s["radius"] for s in styles], kind="stable")  # big first, small on top
    notes: tuple[str, ...] = ()
    if is_metric:
        n = int((~np.isnan(values)).sum())
        notes = (
            f"圆圈面积：{label}",
            "红色聚合圆：其中最大的数值",
            period_note(measure),
            f"有数据：{n} / {len(frame)} 个地点",
        )
    legend = points_legend_html(_size_steps(values) if is_metric else None, notes)
    return PointFeatures(
        frame.iloc[order].drop(columns=["level", "precision"]), [styles[i] for i in order], rows, top, legend
    )


def cluster_options(cluster_radius: int, top: float) -> dict:
    """Leaflet.markercluster's options for the places."""
    return {
        "maxClusterRadius": cluster_radius,
        # a metric: a cluster holding figures is a disc as big as its largest one
        "atlasTop": top,
        "atlasRadius": list(METRIC_RADIUS),
        "showCoverageOnHover": False,
        "spiderfyOnMaxZoom": True,
        "spiderfyDistanceMultiplier": 1.6,
        "spiderLegPolylineOptions": SPIDER_LEG_STYLE,
    }


def point_group(
    points_gdf,
    measure: str = "mentions",
    name: str = "地点",
    legend: bool = True,
    asset_base: str = APP_ASSET_BASE,
    cluster_radius: int = CLUSTER_RADIUS,
    label: str | None = None,
) -> folium.FeatureGroup:
    """Circle markers for the point layer (one GeoJSON layer, place_id in each feature's
    properties for the click), in a marker cluster at every size. A metric ``measure`` draws
    graduated circles for the places that report it (in its period) and small grey ones for the
    rest, which stay clickable. Smaller markers are drawn over larger ones."""
    feats = point_features(points_gdf, measure, label)
    by_id = dict(zip(feats.frame["place_id"].astype(str), feats.styles))
    data = feature_collection(feats.frame, decimals=5)
    group = folium.FeatureGroup(name=name)
    cluster = folium.plugins.MarkerCluster(
        name=name, options=cluster_options(cluster_radius, feats.top), icon_create_function=CLUSTER_ICON
    )
    group.add_child(cluster)
    folium.GeoJson(
        data,
        name=name,
        marker=place_marker(),
        style_function=lambda f: by_id.get(str(f["id"]), {}),
        on_each_feature=tooltip_js("name", feats.rows),
    ).add_to(cluster)
    cluster.add_child(ClusterBehaviour())
    if legend:
        group.add_child(LegendControl(feats.legend, position="bottomright", key="points", fold_below=900))
    return localize(group, asset_base)


#: Cluster icons: a white disc with the number of places (never corpus text); with a metric, a
#: cluster holding figures is a red disc sized like its largest figure, so figures show at every zoom.
CLUSTER_ICON = """function (cluster) {
    var n = cluster.getChildCount(), o = cluster._group.options, top = o.atlasTop, big = 0;
    if (top) {
        cluster.getAllChildMarkers().forEach(function (m) {
            var v = m.feature && m.feature.properties.metric_value;
            if (v !== null && v !== undefined) { big = Math.max(big, Math.abs(v)); }
        });
    }
    var size = n < 10 ? 26 : (n < 50 ? 32 : 38), kind = "atlas-cluster";
    if (big) {
        var low = o.atlasRadius[0], high = o.atlasRadius[1];
        size = Math.max(24, Math.round(2 * (low + (high - low) * Math.sqrt(Math.min(big / top, 1)))));
        kind += " atlas-cluster-metric";
    }
    return L.divIcon({html: "<span>" + n + "</span>", className: kind, iconSize: L.point(size, size)});
}"""
