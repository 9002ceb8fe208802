"""Map layers: the extraction joined to the gazetteer, as GeoDataFrames ready to draw or export.

Pure functions over the gazetteer and the extraction frames (mentions, articles, metrics; see
the brief's data contracts). Both layers are WGS-84 (EPSG:4326), sorted by their stable
``place_id``, with plain columns so that every export format can carry them unchanged:

- county layer: every county of the home province (a complete choropleth, zeros included) plus
  any other county the corpus mentions; mentions of townships, villages, zones and landmarks roll
  up into their county through ``county_id``.
- point layer: every mentioned place below county level, and every directly mentioned county at
  its representative point; counts are for the place itself (no roll-up).

Metrics become flat columns ``metric_<key>`` (latest non-target value), ``metric_<key>_period``
and ``metric_<key>_unit``; their Chinese labels are in ``gdf.attrs["metric_labels"]``.

Orientation (city and province outlines, label points) is in :mod:`geo.layers.boundaries`; what the
map colours by in :mod:`geo.layers.measures`; the wording of counts and periods shared by map,
panel and exports in :mod:`geo.layers.wording`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.layers.boundaries import boundary_layers as boundary_layers
from geo.layers.boundaries import label_points as label_points
from geo.layers.measures import LATEST_PERIOD as LATEST_PERIOD
from geo.layers.measures import METRIC_PREFIX as METRIC_PREFIX
from geo.layers.measures import bin_edges as bin_edges
from geo.layers.measures import classify as classify
from geo.layers.measures import fallback_precision as fallback_precision
from geo.layers.measures import measure_column as measure_column
from geo.layers.measures import measure_values as measure_values
from geo.layers.measures import precision_text as precision_text
from geo.layers.wording import COUNTY_ARTICLES_LABEL as COUNTY_ARTICLES_LABEL
from geo.layers.wording import COUNTY_MENTIONS_LABEL as COUNTY_MENTIONS_LABEL
from geo.layers.wording import POINT_ARTICLES_LABEL as POINT_ARTICLES_LABEL
from geo.layers.wording import POINT_MENTIONS_LABEL as POINT_MENTIONS_LABEL
from geo.layers.wording import UNKNOWN_YEAR as UNKNOWN_YEAR
from geo.layers.wording import period_label as period_label

WGS84 = "EPSG:4326"
#: Mentions of these levels roll up into their county (county_id) on the county layer.
ROLLUP_LEVELS = ("county", "township", "village", "zone", "landmark")
#: Levels that get a point of their own.
POINT_LEVELS = ("county", "township", "village", "zone", "landmark")
COUNT_COLUMNS = ("mentions", "articles", "in_org_mentions")
COUNT_LABELS = {
    "mentions": "提及次数",
    "articles": "文章数",
    "in_org_mentions": "机构名中提及",
    "article_share": "提及文章占比",
}
_CHAIN_KEYS = ("province", "city", "county", "township")


def _empty_mentions() -> pd.DataFrame:
    return pd.DataFrame(columns=["article_id", "place_id", "level", "in_org", "county_id"])


def _counts(mentions: pd.DataFrame, key: str) -> pd.DataFrame:
    """mentions / articles / in_org_mentions per value of ``key`` (place_id or county_id)."""
    m = mentions[mentions[key].notna()]
    if m.empty:
        return pd.DataFrame(columns=list(COUNT_COLUMNS), index=pd.Index([], dtype=object, name="place_id"))
    in_org = m["in_org"].fillna(False).astype(bool) if "in_org" in m else False
    grouped = m.assign(_org=in_org).groupby(m[key].astype(str))
    out = pd.DataFrame(
        {
            "mentions": grouped.size(),
            "articles": grouped["article_id"].nunique(),
            "in_org_mentions": grouped["_org"].sum(),
        }
    )
    return out.astype("int64").rename_axis("place_id")


def period_key(period) -> tuple:
    """Sort key for free-form periods ("2023年", "2024年1-6月", "2023-Q3"): numbers in order."""
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return (-1,)
    return tuple(int(n) for n in re.findall(r"\d+", str(period))) or (-1,)


def _period_ranks(periods: pd.Series) -> np.ndarray:
    """Each period's rank in :func:`period_key` order (equal keys, equal ranks): integers a
    group-wise max is fast on, where the keys themselves are tuples (a Python loop per group)."""
    codes, uniques = pd.factorize(periods, use_na_sentinel=True)
    keys = [period_key(p) for p in uniques] + [period_key(None)]  # code -1: no period
    order = {k: i for i, k in enumerate(sorted(set(keys)))}
    ranks = np.array([order[k] for k in keys], dtype="int64")
    return ranks[codes]  # codes == -1 picks the last entry, the missing period's rank


def metric_labels(metrics: pd.DataFrame | None) -> dict[str, str]:
    """metric key → its Chinese label (the first one the corpus gives)."""
    if metrics is None or metrics.empty:
        return {}
    label = metrics["label"] if "label" in metrics else metrics["metric"]
    frame = pd.DataFrame(
        {"metric": metrics["metric"].astype(str), "label": label.fillna(metrics["metric"]).astype(str)}
    )
    return dict(frame.drop_duplicates("metric").itertuples(index=False, name=None))


def latest_metrics(metrics: pd.DataFrame | None) -> pd.DataFrame:
    """One row per place: for each metric its latest reported value, period and unit.

    Targets (is_target) are plans, not values, and are left out; among the rows of the latest
    period the first in corpus order wins, so the result is deterministic.
    """
    if metrics is None or metrics.empty:
        return pd.DataFrame(index=pd.Index([], name="place_id"))
    m = metrics[metrics["place_id"].notna() & pd.to_numeric(metrics["value"], errors="coerce").notna()]
    if "is_target" in m:
        m = m[~m["is_target"].fillna(False).astype(bool)]
    if m.empty:
        return pd.DataFrame(index=pd.Index([], name="place_id"))
    m = m.assign(_key=_period_ranks(m["period"]), _order=np.arange(len(m)))
    m = m.sort_values("_order")
    latest = m.loc[m.groupby(["place_id", "metric"], sort=False)["_key"].transform("max") == m["_key"]]
    latest = latest.drop_duplicates(["place_id", "metric"], keep="first")
    wide = {}
    for metric, rows in latest.groupby("metric", sort=True):
        rows = rows.set_index(rows["place_id"].astype(str))
        col = f"{METRIC_PREFIX}{metric}"
        wide[col] = pd.to_numeric(rows["value"]).astype("float64")
        wide[f"{col}_period"] = rows["period"].astype("string") if "period" in rows else pd.NA
        wide[f"{col}_unit"] = rows["unit"].astype("string") if "unit" in rows else pd.NA
    out = pd.DataFrame(wide)
    out.index.name = "place_id"
    return out


def metric_columns(gdf: pd.DataFrame) -> list[str]:
    """The value columns of the metrics a layer carries (``metric_<key>``)."""
    return [c for c in gdf.columns if c.startswith(METRIC_PREFIX) and not c.endswith(("_period", "_unit"))]


def _join_counts_metrics(
    frame: pd.DataFrame, counts: pd.DataFrame, metrics: pd.DataFrame | None, latest: pd.DataFrame | None
) -> pd.DataFrame:
    frame = frame.join(counts, on="place_id")
    for c in COUNT_COLUMNS:
        frame[c] = frame[c].fillna(0).astype("int64")
    wide = latest_metrics(metrics) if latest is None else latest
    if len(wide.columns):
        frame = frame.join(wide, on="place_id")
    return frame


def admin_chain(row) -> list[str]:
    """Containing units from province down, ending with the place itself (no repeats)."""
    parts: list[str] = []
    for key in (*_CHAIN_KEYS, "name"):
        v = row.get(key)
        if isinstance(v, str) and v and v not in parts:
            parts.append(v)
    return parts


def chain_column(frame: pd.DataFrame) -> list[str]:
    """admin_chain of every row joined with " > " (浙江省 > 杭州市 > 萧山区), without a per-row
    pandas apply (a point layer of a large corpus has tens of thousands of rows)."""
    keys = [k for k in (*_CHAIN_KEYS, "name") if k in frame.columns]
    columns = [frame[k].tolist() for k in keys]
    out = []
    for values in zip(*columns):
        parts: list[str] = []
        for v in values:
            if isinstance(v, str) and v and v not in parts:
                parts.append(v)
        out.append(" > ".join(parts))
    return out


def _mentions(mentions: pd.DataFrame | None) -> pd.DataFrame:
    return _empty_mentions() if mentions is None or mentions.empty else mentions


def county_counts(mentions: pd.DataFrame | None) -> pd.DataFrame:
    """Counts per county, mentions of every place inside it included (index place_id)."""
    m = _mentions(mentions)
    rolled = m[m["level"].isin(ROLLUP_LEVELS)] if "level" in m else m
    return _counts(rolled, "county_id")


def point_counts(mentions: pd.DataFrame | None) -> pd.DataFrame:
    """Counts per mentioned place of a POINT_LEVELS level (index place_id)."""
    m = _point_mentions(mentions)
    return _counts(m, "place_id")


def _point_mentions(mentions: pd.DataFrame | None) -> pd.DataFrame:
    m = _mentions(mentions)
    return m[m["level"].isin(POINT_LEVELS) & m["place_id"].notna()] if "level" in m else m.iloc[0:0]


def county_layer(
    gaz,
    mentions: pd.DataFrame | None,
    articles: pd.DataFrame | None = None,
    metrics: pd.DataFrame | None = None,
    home_province: str | None = None,
    *,
    counts: pd.DataFrame | None = None,
    n_articles: int | None = None,
    latest: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One polygon per county: the home province's counties always (``Settings.home_province``,
    e.g. 江苏省), other counties when mentioned.

    Columns: place_id, name, level ("county"), province, city, chain, mentions, articles, in_org_mentions,
    article_share (share of the corpus's articles that mention the county, 0–1, when
    ``articles`` is given), the metric columns, geometry. A store passes ``counts`` (from SQL, as
    :func:`county_counts` computes them) and ``n_articles`` instead of the mentions, and may pass
    ``latest``, :func:`latest_metrics` of ``metrics`` computed once for both layers.
    """
    if counts is None:
        counts = county_counts(mentions)
    if n_articles is None and articles is not None and len(articles):
        n_articles = int(articles["article_id"].nunique())
    counties = gaz.counties.copy()
    counties["place_id"] = counties["place_id"].astype(str)
    keep = (counties["province"] == home_province) | counties["place_id"].isin(counts.index)
    frame = pd.DataFrame(counties.loc[keep, ["place_id", "name", "province", "city"]])
    frame.insert(2, "level", "county")
    frame["chain"] = chain_column(frame)
    frame = _join_counts_metrics(frame, counts, metrics, latest)
    if n_articles:
        frame["article_share"] = (frame["articles"] / n_articles).round(4)
    geometry = counties.loc[keep].geometry
    gdf = gpd.GeoDataFrame(frame, geometry=geometry.values, crs=counties.crs)
    gdf = _to_wgs84(gdf).sort_values("place_id").reset_index(drop=True)
    gdf.attrs["metric_labels"] = metric_labels(metrics)
    return gdf


def point_layer(
    gaz,
    mentions: pd.DataFrame | None,
    metrics: pd.DataFrame | None = None,
    *,
    counts: pd.DataFrame | None = None,
    first_mentions: Callable[[list[str]], pd.DataFrame] | None = None,
    latest: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One point per mentioned place of a POINT_LEVELS level, at the gazetteer's coordinate.

    Columns: place_id, name, level, kind, province, city, county, township, chain, county_id,
    lon, lat, precision, source, mentions, articles, in_org_mentions, metric columns, geometry.
    A place the gazetteer does not know (e.g. found by an online geocoder) keeps the mention's
    own coordinate and precision; a place with no coordinate at all is left out and listed in
    ``gdf.attrs["skipped"]``. A store passes ``counts`` (as :func:`point_counts`) and
    ``first_mentions`` (place ids → their first mention rows) instead of the mentions (and
    ``latest``, as :func:`county_layer`); ``places``: the gazetteer's rows to look in (place_id
    as text, one row each, optionally with their ``chain``), by default all of ``gaz.places``.
    """
    if counts is None:
        m = _point_mentions(mentions)
        counts = _counts(m, "place_id")

        def first_mentions(ids: list[str]) -> pd.DataFrame:
            first = m.assign(place_id=m["place_id"].astype(str)).drop_duplicates("place_id")
            return first[first["place_id"].isin(ids)]

    if places is None:
        places = gaz.places.assign(place_id=gaz.places["place_id"].astype(str))
    # a set, and object arrays: Arrow-backed text goes value by value (isin, iteration)
    wanted = set(counts.index.to_numpy(dtype=object))
    ids = places["place_id"].to_numpy(dtype=object)
    keep = np.fromiter((p in wanted for p in ids), dtype=bool, count=len(places))
    places = places[keep].drop_duplicates("place_id")
    cols = [
        "place_id",
        "name",
        "level",
        "kind",
        "province",
        "city",
        "county",
        "township",
        "county_id",
        "lon",
        "lat",
        "precision",
        "source",
    ]
    known = places.reindex(columns=cols + (["chain"] if "chain" in places else []))
    unknown_ids = sorted(wanted - set(known["place_id"].to_numpy(dtype=object)))
    if unknown_ids and first_mentions is not None:
        extra = first_mentions(unknown_ids).reindex(columns=cols)
        extra["source"] = extra["source"].astype(object).fillna("mention coordinate (not in gazetteer)")
        known = pd.concat([known, extra], ignore_index=True)
    has_xy = known["lon"].notna() & known["lat"].notna()
    frame = known[has_xy].copy()
    if "chain" not in frame or frame["chain"].isna().any():
        frame["chain"] = chain_column(frame)
    frame = _join_counts_metrics(frame, counts, metrics, latest)
    frame["lon"] = frame["lon"].astype("float64")
    frame["lat"] = frame["lat"].astype("float64")
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84)
    gdf = gdf.sort_values("place_id").reset_index(drop=True)
    gdf.attrs["metric_labels"] = metric_labels(metrics)
    gdf.attrs["skipped"] = sorted(known.loc[~has_xy, "place_id"].astype(str))
    return gdf


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """WGS-84; CGCS2000 (EPSG:4490, what Chinese boundary data ships in) is within a metre of it,
    so it is relabelled rather than transformed."""
    if gdf.crs is None or gdf.crs.to_epsg() in (4326, 4490):
        return gdf.set_crs(WGS84, allow_override=True)
    return gdf.to_crs(WGS84)


def simplify_counties(gdf: gpd.GeoDataFrame, tolerance: float = 0.005) -> gpd.GeoDataFrame:
    """Simplify county polygons as one coverage, so neighbours keep sharing their borders exactly
    (no slivers or overlaps, unlike simplifying each polygon on its own). ``tolerance`` is in
    degrees (0.005° ≈ 500 m, plenty for a province-wide choropleth)."""
    out = gdf.copy()
    if len(out) == 0:
        return out
    geoms = shapely.coverage_simplify(out.geometry.values, tolerance, simplify_boundary=True)
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=out.crs))
    return out


def layer_bounds(*layers: gpd.GeoDataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the given layers (Leaflet's order), or None."""
    boxes = [layer.total_bounds for layer in layers if layer is not None and len(layer)]
    if not boxes:
        return None
    b = np.array(boxes)
    return [[float(b[:, 1].min()), float(b[:, 0].min())], [float(b[:, 3].max()), float(b[:, 2].max())]]
