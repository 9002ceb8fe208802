"""The map's layers: the county choropleth, the point markers, and the whole map."""

from __future__ import annotations

import math

import folium
import folium.plugins
import numpy as np

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
from geo.mapview.base import APP_ASSET_BASE, LEVEL_COLORS, LEVEL_LABELS, NO_DATA, base_map, localize
from geo.mapview.legend import (
    LegendControl,
    class_colors,
    fmt_number,
    legend_bins,
    legend_html,
    points_legend_html,
    tooltip_js,
)
from geo.settings import Settings, load_settings

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
        (fmt_number(v) + (f" {u}" if u else "")) if not math.isnan(v) else None
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
        on_each_feature=tooltip_js(
            "name",
            [("chain", "行政区划"), ("value_text", label)]
            + [(c, COUNT_LABELS[c]) for c in ("mentions", "articles") if c != column],
        ),
    ).add_to(group)
    if legend:
        zero = "0 次提及" if is_count else "无数据"
        low = float(np.nanmin(values)) if edges else None
        group.add_child(
            LegendControl(legend_html(label, legend_bins(edges, low), colors, zero, counts=is_count))
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
    parent: folium.FeatureGroup | folium.plugins.MarkerCluster = group
    if len(frame) > cluster_threshold:
        parent = folium.plugins.MarkerCluster(name=name, options={"maxClusterRadius": 40})
        group.add_child(parent)
    folium.GeoJson(
        data,
        name=name,
        marker=folium.CircleMarker(),
        style_function=lambda f: styles.get(f["id"], {}),
        on_each_feature=tooltip_js(
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
        group.add_child(LegendControl(points_legend_html(), position="bottomleft"))
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
    settings = settings or load_settings()
    counties = simplify_counties(county_gdf, tolerance) if tolerance else county_gdf
    home = counties[counties["province"] == settings.home_province] if "province" in counties else []
    view = layer_bounds(home) if len(home) else layer_bounds(counties, points_gdf)
    m = base_map(settings, bounds=view, asset_base=asset_base)
    county_group(counties, measure, label=label).add_to(m)
    if points_gdf is not None and len(points_gdf):
        point_group(points_gdf, cluster_threshold=settings.cluster_threshold, asset_base=asset_base).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return localize(m, asset_base)
