"""The county choropleth, and the whole map for the CLI and the standalone HTML export."""

from __future__ import annotations

import math
from typing import NamedTuple

import folium
import folium.plugins
import numpy as np
import pandas as pd

from geo.geojson import feature_collection
from geo.layers import (
    COUNT_LABELS,
    COUNTY_ARTICLES_LABEL,
    COUNTY_MENTIONS_LABEL,
    METRIC_PREFIX,
    bin_edges,
    classify,
    layer_bounds,
    measure_column,
    measure_values,
    period_label,
    simplify_counties,
)
from geo.mapview.base import APP_ASSET_BASE, NO_DATA, base_map, localize
from geo.mapview.legend import (
    LegendControl,
    class_colors,
    fmt_number,
    legend_bins,
    legend_html,
    period_note,
    tooltip_js,
)
from geo.mapview.overlays import boundary_group, label_group
from geo.mapview.points import point_group
from geo.settings import Settings, load_settings

#: What a county's counts mean: they include the places inside it (a point counts its own).
COUNTY_COUNT_LABELS = {"mentions": COUNTY_MENTIONS_LABEL, "articles": COUNTY_ARTICLES_LABEL}

# ---------------------------------------------------------------- layers


class CountyFeatures(NamedTuple):
    """What the choropleth draws: the features' properties (``frame``, with geometry), each
    county's fill colour by place_id, the tooltip rows and the legend's HTML."""

    frame: pd.DataFrame
    fill: dict
    rows: list[tuple[str, str]]
    legend: str


#: Every county's outline, and how a hovered county stands out.
COUNTY_STYLE = {"fillOpacity": 0.75, "color": "#555", "weight": 0.8}
COUNTY_HIGHLIGHT = {"weight": 2.5, "color": "#222", "fillOpacity": 0.9}


def county_features(county_gdf, measure: str = "mentions", label: str | None = None) -> CountyFeatures:
    """The properties, colours, tooltip rows and legend of :func:`county_group` (shared with the
    app's compact layer, :mod:`geo.mapview.compact`, so both draw the same)."""
    column, _ = measure_column(measure)
    values = measure_values(county_gdf, measure)
    is_count = column in COUNT_LABELS
    if is_count:
        values = np.where(values > 0, values, np.nan)  # 0 mentions: grey, like "no data"
        label = COUNTY_COUNT_LABELS.get(column) or label or COUNT_LABELS[column]
    elif label is None:
        labels = county_gdf.attrs.get("metric_labels", {})
        label = labels.get(column[len(METRIC_PREFIX) :], column)
    edges = bin_edges(values)
    colors = class_colors(len(edges))
    klass = classify(values, edges)
    frame = county_gdf[["place_id", "name", "chain", "mentions", "articles", "geometry"]].copy()
    units = county_gdf[f"{column}_unit"].astype("string").fillna("") if f"{column}_unit" in county_gdf else ""
    frame["value"] = [None if math.isnan(v) else v for v in values]
    rows = [("chain", "行政区划")]
    if column not in COUNTY_COUNT_LABELS:  # a metric (or a share): its value, then the counts
        frame["value_text"] = [
            (fmt_number(v) + (f" {u}" if u else "")) if not math.isnan(v) else None
            for v, u in zip(values, np.broadcast_to(np.asarray(units, dtype=object), len(values)))
        ]
        rows.append(("value_text", label))
    if not is_count:
        periods = county_gdf.get(f"{column}_period")
        frame["period_text"] = [
            None if math.isnan(v) else period_label(p)
            for v, p in zip(values, periods if periods is not None else [None] * len(frame))
        ]
        rows.append(("period_text", "时期"))
    rows += [(c, COUNTY_COUNT_LABELS[c]) for c in ("mentions", "articles")]
    fill = {pid: (colors[k] if k >= 0 else NO_DATA) for pid, k in zip(frame["place_id"], klass)}
    zero = "0 次提及" if is_count else "无数据"
    low = float(np.nanmin(values)) if edges else None
    notes: tuple[str, ...] = ()
    if not is_count:
        n = int((~np.isnan(values)).sum())
        notes = (period_note(measure), f"有数据：{n} / {len(frame)} 个区县")
    legend = legend_html(label, legend_bins(edges, low), colors, zero, counts=is_count, notes=notes)
    return CountyFeatures(frame, fill, rows, legend)


def county_group(
    county_gdf,
    measure: str = "mentions",
    label: str | None = None,
    name: str = "区县",
    legend: bool = True,
    decimals: int = 5,
) -> folium.FeatureGroup:
    """The choropleth: counties coloured by a binned measure, Chinese tooltips, place_id kept in
    each feature's properties (a click tells the app which county). Counts are the county's own
    and its places' together, and say so; a metric's legend tells its period and how many of the
    counties drawn have data. Pass simplified polygons (:func:`geo.layers.simplify_counties`)
    to keep the page light."""
    feats = county_features(county_gdf, measure, label)
    fill = feats.fill
    data = feature_collection(feats.frame, decimals)
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda f: {"fillColor": fill.get(f["id"], NO_DATA), **COUNTY_STYLE},
        highlight_function=lambda f: dict(COUNTY_HIGHLIGHT),
        on_each_feature=tooltip_js("name", feats.rows),
    ).add_to(group)
    if legend:
        group.add_child(LegendControl(feats.legend, key="counties", fold_below=500))
    return group


def build_map(
    county_gdf,
    points_gdf,
    measure: str = "mentions",
    settings: Settings | None = None,
    asset_base: str = APP_ASSET_BASE,
    tolerance: float = 0.005,
    label: str | None = None,
    gaz=None,
) -> folium.Map:
    """Everything on one map (CLI, standalone HTML): base map, simplified choropleth, borders
    and names (given the gazetteer), points, and a layer switcher; the view opens on the home
    province (the rest is a pan away)."""
    settings = settings or load_settings()
    counties = simplify_counties(county_gdf, tolerance) if tolerance else county_gdf
    home = counties[counties["province"] == settings.home_province] if "province" in counties else []
    view = layer_bounds(home) if len(home) else layer_bounds(counties, points_gdf)
    m = base_map(settings, bounds=view, asset_base=asset_base)
    county_group(counties, measure, label=label).add_to(m)
    if gaz is not None:
        boundary_group(gaz, settings.home_province).add_to(m)
        label_group(gaz, settings.home_province, counties).add_to(m)
    if points_gdf is not None and len(points_gdf):
        radius = settings.cluster_radius
        point_group(points_gdf, measure, cluster_radius=radius, asset_base=asset_base).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return localize(m, asset_base)
