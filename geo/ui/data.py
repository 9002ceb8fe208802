"""The app's data from the atlas store, cached per filter state (the decisions live in geo.appkit,
the SQL in geo.store.query).

The server never extracts a corpus itself and never holds corpus texts: a folder without a store
is built by a separate process (:mod:`geo.ui.building`), the map's layers come from SQL counts,
and an article's text is read from its file when it is shown (checked against the sha256
recorded at build time). Caches key on the store's version, so a
rebuild shows at once.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from geo import appkit, mapview
from geo.export import export_layers
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.layers import (
    chain_column,
    county_layer,
    label_points,
    latest_metrics,
    layer_bounds,
    metric_labels,
    point_layer,
    simplify_counties,
)
from geo.settings import Settings
from geo.store import AtlasStore, query
from geo.ui import files

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreRef:
    """A store and its version: what every cache below keys on (hashable, cheap)."""

    path: str
    version: str


@st.cache_resource(show_spinner=False)
def gazetteer(settings: Settings) -> Gazetteer:
    return load_gazetteer(settings)


@st.cache_resource(max_entries=8, show_spinner=False)
def _open(ref: StoreRef) -> AtlasStore:
    # DuckDB's cache of the file's blocks: 128 MB (256 MB held ~220 MB of a 1 GB store's blocks
    # the OS page cache holds anyway; the first page's CPU time is the same)
    return AtlasStore(ref.path, keep_open=True, memory_limit="128MB")


def store(ref: StoreRef) -> AtlasStore:
    return _open(ref)


_PREFETCH = ThreadPoolExecutor(max_workers=2, thread_name_prefix="atlas-prefetch")
_PREFETCHED: set[tuple[StoreRef, Settings]] = set()


def prefetch(ref: StoreRef, settings: Settings) -> list[Future]:
    """The first page of a store after a server start: the frames whose time is mostly DuckDB's or
    GEOS's (which run beside Python) are started in two threads while the page computes the rest;
    the page's own calls then wait for them (a cached function computes a key once). Later pages
    find them cached, and this does nothing."""
    if (ref, settings) in _PREFETCHED:
        return []
    _PREFETCHED.add((ref, settings))
    ctx = get_script_run_ctx()

    def run(*steps) -> None:
        add_script_run_ctx(threading.current_thread(), ctx)
        for step in steps:
            try:
                step()
            except Exception:  # the page computes it again and shows the error itself
                log.warning("prefetch of %s failed", ref.path, exc_info=True)
                return

    def county_labels() -> None:  # the pole of every county it may draw, memoised by shape
        shapes = _simplified(ref, settings)
        label_points(gpd.GeoDataFrame({"name": list(shapes)}, geometry=list(shapes.values())))

    return [
        _PREFETCH.submit(run, lambda: _not_in_gazetteer(ref, settings)),  # first mentions: DuckDB
        _PREFETCH.submit(run, county_labels, lambda: _encoded(ref, settings)),  # simplify, poles: GEOS
    ]


# ---------------------------------------------------------------- map data per filter state

#: Filter states whose frames are kept. On a 1 GB store a filter state's layers hold ~100 MB
#: (67,000 places) and a scope's metric rows ~140 MB (500,000 rows): going back to an evicted
#: state costs ~1 s, keeping 64 of them cost gigabytes.
PER_FILTER = 6
PER_SCOPE = 3  # the metric rows do not depend on the place types


def scoped_metrics(ref: StoreRef, scope: query.Scope) -> pd.DataFrame:
    """The metrics rows in scope (shared: do not modify them). The place types filter mentions,
    not metrics: a change of types reuses them (500,000 rows on a 1 GB store)."""
    return _scoped_metrics(ref, dataclasses.replace(scope, levels=None))


#: The metric columns the app holds per scope: what the measures and the layers' latest values
#: need (a place's rows with their evidence are read when it is clicked): 136 → ~53 MB of the
#: 500,000 rows of a 1 GB store, whose 21 columns took 214 MB.
APP_METRIC_COLUMNS = ("place_id", "metric", "label", "value", "unit", "period", "is_target")
#: A place's metric rows as the side panel shows them (appkit.place_metrics).
PANEL_METRIC_COLUMNS = (*APP_METRIC_COLUMNS, "yoy_pct", "qualifier", "file", "evidence")


@st.cache_resource(max_entries=PER_SCOPE, show_spinner=False)
def _scoped_metrics(ref: StoreRef, scope: query.Scope) -> pd.DataFrame:
    return query.scoped_metrics(store(ref), scope, via_arrow=True, columns=APP_METRIC_COLUMNS)


def _measure_metrics(
    ref: StoreRef, scope: query.Scope, measure_key: str
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(the metric rows the measure colours by, their latest value per place, the metrics'
    labels): shared by both layers and by every filter state that differs only in place types."""
    return _measure_metrics_cached(ref, dataclasses.replace(scope, levels=None), measure_key)


@st.cache_resource(max_entries=PER_FILTER, show_spinner=False)
def _measure_metrics_cached(
    ref: StoreRef, scope: query.Scope, measure_key: str
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    metrics = scoped_metrics(ref, scope)
    measure = next(
        (m for m in appkit.measure_options(metrics) if m.key == measure_key),
        appkit.Measure(measure_key, measure_key),
    )
    chosen = appkit.metrics_for_measure(metrics, measure)
    return chosen, latest_metrics(chosen), metric_labels(chosen)


@st.cache_resource(max_entries=PER_FILTER, show_spinner=False)
def layers(ref: StoreRef, scope: query.Scope, measure_key: str, settings: Settings):
    """(simplified county layer coloured for the measure, point layer)."""
    s = store(ref)
    _, latest, labels = _measure_metrics(ref, scope, measure_key)  # the chosen metric and period
    gaz = gazetteer(settings)
    counties = county_layer(
        gaz,
        None,
        None,
        None,  # the metrics' latest values and labels: computed once, below and above
        home_province=settings.home_province,
        counts=query.place_counts(s, scope, "county_id"),
        n_articles=query.article_count(s, scope),
        latest=latest,
    )
    unknown = _not_in_gazetteer(ref, settings)  # places the gazetteer lacks: first mentions, once per store
    points = point_layer(
        gaz, None, None, counts=query.place_counts(s, scope, "place_id"), latest=latest,
        first_mentions=lambda ids: unknown[unknown.place_id.isin(ids)], places=_store_places(ref, settings),
    )  # fmt: skip
    counties.attrs["metric_labels"] = points.attrs["metric_labels"] = labels
    simplified = _simplified(ref, settings)
    geoms = [simplified[pid] for pid in counties["place_id"].astype(str)]
    simple = counties.set_geometry(gpd.GeoSeries(geoms, index=counties.index, crs=counties.crs))
    return simple, points


@st.cache_resource(max_entries=8, show_spinner=False)
def _simplified(ref: StoreRef, settings: Settings) -> dict:
    """The simplified polygon of every county a filter state of the store can draw (the home
    province's and every county it mentions), simplified once as one coverage: a filter state
    draws a subset, whose neighbours still share their borders (simplifying 2,800 counties
    takes a second, and each filter state drew its own set)."""
    every = county_layer(
        gazetteer(settings),
        None,
        home_province=settings.home_province,
        counts=query.place_counts(store(ref), query.Scope(), "county_id"),
    )
    simple = simplify_counties(every)
    return dict(zip(simple["place_id"].astype(str), simple.geometry.values))


@st.cache_resource(max_entries=8, show_spinner=False)
def _encoded(ref: StoreRef, settings: Settings) -> dict:
    """The simplified county polygons as the map's data encode them, once per store."""
    return mapview.encode_geometries(_simplified(ref, settings), decimals=4)


@st.cache_resource(max_entries=8, show_spinner=False)
def _store_places(ref: StoreRef, settings: Settings) -> pd.DataFrame:
    """The gazetteer's rows of the places the store mentions, with their chains: what every filter
    state's point layer looks in (instead of the whole gazetteer, each time)."""
    places = gazetteer(settings).places
    ids = set(query.place_counts(store(ref), query.Scope(), "place_id").index.to_numpy(dtype=object))
    mine = places.assign(place_id=places["place_id"].astype(str))
    # a set and an object array: Series.isin on Arrow-backed text took 0.8 s at 1 GB (60,000 ids)
    keep = np.fromiter((p in ids for p in mine["place_id"].to_numpy(dtype=object)), bool, len(mine))
    mine = mine[keep].drop_duplicates("place_id")
    return mine.assign(chain=chain_column(mine))


@st.cache_resource(max_entries=8, show_spinner=False)
def _not_in_gazetteer(ref: StoreRef, settings: Settings) -> pd.DataFrame:
    """Every filter state's point layer takes its own from these (1 GB: 891 places, 0.7 s)."""
    ids = query.place_counts(store(ref), query.Scope(), "place_id").index
    known = set(_store_places(ref, settings)["place_id"].to_numpy(dtype=object))
    return query.first_mentions(store(ref), sorted(set(ids.to_numpy(dtype=object)) - known))


@dataclass(frozen=True)
class MapData:
    """What the map draws for a filter state and measure, ready to send (compact layers, see
    :mod:`geo.mapview.compact`): built once, then every rerun only wraps it in feature groups."""

    counties: mapview.LayerData
    points: mapview.LayerData | None
    labels: list


@st.cache_resource(max_entries=PER_FILTER, show_spinner=False)
def map_data(ref: StoreRef, scope: query.Scope, measure_key: str, label: str, settings: Settings) -> MapData:
    counties, points = layers(ref, scope, measure_key, settings)
    gaz = gazetteer(settings)
    radius = settings.cluster_radius
    encoded = _encoded(ref, settings)
    # the home province's counties (what the map opens on) are drawn before the others
    home = counties.loc[counties["province"] == settings.home_province, "place_id"].astype(str)
    county_layer_data = mapview.county_data(
        counties, measure_key, label=label, decimals=4, encoded=encoded, first=set(home)
    )
    points_data = mapview.point_data(points, measure_key, cluster_radius=radius) if len(points) else None
    return MapData(
        files.publish(county_layer_data),
        files.publish(points_data) if points_data is not None else None,
        mapview.label_rows(gaz, settings.home_province, counties),
    )


@st.cache_resource(max_entries=PER_FILTER, show_spinner=False)
def places_table(
    ref: StoreRef, scope: query.Scope, measure: appkit.Measure, settings: Settings
) -> pd.DataFrame:
    """The places table of the map (shared: do not modify it)."""
    counties, points = layers(ref, scope, measure.key, settings)
    return appkit.places_table(counties, points, measure)


@st.cache_resource(max_entries=8, show_spinner=False)
def base_bounds(settings: Settings):
    """Map bounds: the home province (stable across filters, so the map never jumps)."""
    return layer_bounds(county_layer(gazetteer(settings), None, home_province=settings.home_province))


@st.cache_resource(max_entries=PER_FILTER, show_spinner=False)
def search_index(ref: StoreRef, scope: query.Scope, _counties, _points, settings: Settings) -> pd.DataFrame:
    """The places on the map plus every city and province of the gazetteer (searchable by name
    or pinyin even when the corpus does not name them: "Hangzhou" → 杭州市)."""
    places = gazetteer(settings).places
    big = places[places["level"].isin(["city", "province"])]
    frames = [f[["place_id", "name", "level"]] for f in (_counties, _points, big) if len(f)]
    return appkit.search_index(pd.concat(frames, ignore_index=True))


@st.cache_data(max_entries=128, show_spinner=False)
def place_metric_rows(ref: StoreRef, scope: query.Scope, place_id: str) -> pd.DataFrame:
    """The metric rows in scope of one place, in corpus order, read from the store when it is
    clicked (the scope's rows are not held with their evidence texts: 63 MB on a 1 GB store)."""
    scope = dataclasses.replace(scope, levels=None)  # place types filter mentions, not metrics
    return query.scoped_metrics(
        store(ref), scope, via_arrow=True, columns=PANEL_METRIC_COLUMNS, place_id=str(place_id)
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def options(ref: StoreRef) -> dict:
    """What the sidebar offers (shared, not copied at every rerun: do not modify it)."""
    opts = query.options(store(ref))
    opts["titles"] = dict(zip(opts["files"]["file"].tolist(), opts["files"]["title"].tolist()))
    opts["levels"] = [lv for lv in appkit.MAP_LEVELS if lv in set(opts["levels"])]  # map order
    metrics = scoped_metrics(ref, query.Scope())
    opts["measures"] = appkit.measure_options(metrics)
    opts["periods"] = appkit.periods_present(metrics)
    return opts


@st.cache_data(max_entries=32, show_spinner=False)
def totals(ref: StoreRef, scope: query.Scope) -> dict[str, int]:
    return query.totals(store(ref), scope)


@st.cache_data(max_entries=32, show_spinner=False)
def export_bytes(ref: StoreRef, scope: query.Scope, layer: str, fmt: str, settings: Settings) -> bytes:
    """The same bytes as ``python -m geo export`` for this store (and filters)."""
    sub = query.scoped_extraction(store(ref), scope)
    return export_layers(
        sub, gazetteer(settings), layer, fmt, home_province=settings.home_province, settings=settings
    )


# ---------------------------------------------------------------- one place, one article


@st.cache_resource(max_entries=128, show_spinner=False)
def _place_panel(ref: StoreRef, place_id: str, scope: query.Scope, limit: int):
    """(counts, mentions per month, mentions in its ``limit`` top articles) of a place, from one
    pass over the store's mentions (shared frames: do not modify them)."""
    return query.place_panel(store(ref), place_id, scope, limit)


def place_summary(ref: StoreRef, place_id: str, scope: query.Scope, limit: int) -> dict[str, int]:
    return dict(_place_panel(ref, place_id, scope, limit)[0])


def top_mentions(ref: StoreRef, place_id: str, scope: query.Scope, limit: int) -> pd.DataFrame:
    """The place's mentions in its ``limit`` articles with the most of them."""
    return _place_panel(ref, place_id, scope, limit)[2]


def place_timeline(ref: StoreRef, place_id: str, scope: query.Scope, limit: int) -> pd.DataFrame:
    return _place_panel(ref, place_id, scope, limit)[1]


@st.cache_data(max_entries=128, show_spinner=False)
def first_mention(ref: StoreRef, place_id: str) -> pd.DataFrame:
    return query.first_mentions(store(ref), [place_id])


@st.cache_data(max_entries=128, show_spinner=False)
def article_mentions(ref: StoreRef, article_id: str) -> pd.DataFrame:
    return query.article_mentions(store(ref), article_id)


@st.cache_data(max_entries=256, show_spinner=False)
def articles(ref: StoreRef, article_ids: tuple[str, ...]) -> pd.DataFrame:
    return query.articles_by_id(store(ref), list(article_ids))


def texts(ref: StoreRef, names: list[str]) -> dict[str, str]:
    """The texts of a few documents, read from their files now (checked against the build's
    sha256); the last few are kept, never the corpus."""
    return files.read_texts(query.document_files(store(ref), names), Path(ref.path))
