"""Filters and measures: the subset of the extraction the map and the table show."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.layers import LATEST_PERIOD, POINT_LEVELS, period_key, period_label

#: Levels a user can filter by, in the order the sidebar shows them, with their Chinese labels.
LEVEL_LABELS: dict[str, str] = {
    "county": "区县",
    "township": "乡镇街道",
    "village": "村社区",
    "zone": "园区/功能区",
    "landmark": "地标",
    "city": "地级市",
    "province": "省",
    "country": "国家",
    "foreign": "境外",
}

PRECISION_LABELS = {"exact": "精确点位", "township": "乡镇级近似", "county": "区县级近似"}
#: The period of a measure that colours each place by its latest figure.
LATEST = LATEST_PERIOD
COUNT_MEASURES = {"mentions": "提及次数", "articles": "文章数"}


@dataclass(frozen=True)
class Filters:
    """What the sidebar asks for. levels None: every level (an empty tuple shows none);
    files and periods: an empty tuple means "no restriction"."""

    levels: tuple[str, ...] | None = None
    files: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    """What the choropleth colours by: a count, or one metric in one period."""

    key: str  # "mentions", "articles" or "metric:<metric>@<period>"
    label: str
    metric: str | None = None
    period: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ArticleHit:
    article_id: str
    title: str
    file: str
    mentions: int
    snippet_html: str


# ---------------------------------------------------------------- filters and measures


def _isin(series: pd.Series, values: tuple[str, ...]) -> pd.Series:
    return series.astype(str).isin(values) if values else pd.Series(True, index=series.index)


def filter_frames(
    mentions: pd.DataFrame, metrics: pd.DataFrame, articles: pd.DataFrame, filters: Filters
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Apply the sidebar filters; the result feeds the layer builders and the downloads.

    Level restricts mentions (a county-level filter keeps only mentions *of* counties). Source
    document restricts all three frames. Period only exists on metrics, so it restricts metrics.
    """
    by_level = (
        pd.Series(True, index=mentions.index)
        if filters.levels is None
        else mentions["level"].astype(str).isin(filters.levels)
    )
    m = mentions[by_level & _isin(mentions["file"], filters.files)]
    x = metrics[_isin(metrics["file"], filters.files)]
    if filters.periods and "period" in x:
        x = x[_isin(x["period"].fillna(""), filters.periods)]
    a = articles[_isin(articles["file"], filters.files)]
    return m.reset_index(drop=True), x.reset_index(drop=True), a.reset_index(drop=True)


@dataclass(frozen=True)
class Subset:
    """The filtered extraction: what the map shows and the downloads export (duck-types the
    ``.mentions/.articles/.metrics`` of geo.pipeline.Extraction for geo.export)."""

    mentions: pd.DataFrame
    metrics: pd.DataFrame
    articles: pd.DataFrame


def subset(mentions: pd.DataFrame, metrics: pd.DataFrame, articles: pd.DataFrame, filters: Filters) -> Subset:
    return Subset(*filter_frames(mentions, metrics, articles, filters))


#: Levels drawn on the map, hence the ones worth filtering by.
MAP_LEVELS = POINT_LEVELS


def levels_present(mentions: pd.DataFrame) -> list[str]:
    """Map levels that occur in the corpus, in LEVEL_LABELS order."""
    found = set(mentions["level"].dropna().astype(str)) if len(mentions) else set()
    return [lv for lv in MAP_LEVELS if lv in found]


def periods_present(metrics: pd.DataFrame) -> list[str]:
    """Metric periods, newest first (numbers in the period compared in order)."""
    if metrics is None or metrics.empty or "period" not in metrics:
        return []
    periods = {str(p) for p in metrics["period"].dropna().unique() if str(p)}
    return sorted(periods, key=period_key, reverse=True)


def measure_options(metrics: pd.DataFrame) -> list[Measure]:
    """Mentions, articles, each metric at its latest period per place (the default way to colour
    by a metric: every place shows its newest figure, stated in the label), then every (metric,
    period) the corpus reports, most reported first."""
    out = [Measure(k, v) for k, v in COUNT_MEASURES.items()]
    if metrics is None or metrics.empty:
        return out
    frame = metrics.assign(
        period=metrics["period"].fillna("").astype(str),
        label=metrics.get("label", metrics["metric"]).fillna(metrics["metric"]),
        unit=metrics.get("unit", pd.Series("", index=metrics.index)).fillna(""),
    )
    grouped = (
        frame.groupby(["metric", "period"], sort=False)
        .agg(label=("label", "first"), unit=("unit", "first"), n=("metric", "size"))
        .reset_index()
        .sort_values(["n", "metric", "period"], ascending=[False, True, False])
    )
    latest = frame.groupby("metric", sort=False).agg(label=("label", "first"), unit=("unit", "first"))
    for metric in grouped["metric"].drop_duplicates():
        lab, unit = latest.loc[metric, "label"], latest.loc[metric, "unit"]
        text = f"{lab}（各地最新一期）" + (f" [{unit}]" if unit else "")
        out.append(Measure(f"metric:{metric}@{LATEST}", text, str(metric), LATEST, unit or None))
    for r in grouped.itertuples(index=False):
        period = r.period or None
        text = f"{r.label}（{period_label(period)}）"
        if r.unit:
            text += f" [{r.unit}]"
        out.append(Measure(f"metric:{r.metric}@{r.period}", text, r.metric, period, r.unit or None))
    return out


def metrics_for_measure(metrics: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """The metric rows a metric measure colours by (only that metric, only that period)."""
    if measure.metric is None:
        return metrics
    if measure.period == LATEST:  # every period: the layers keep each place's latest
        return metrics[metrics["metric"] == measure.metric].reset_index(drop=True)
    keep = (metrics["metric"] == measure.metric) & (
        metrics["period"].fillna("").astype(str) == (measure.period or "")
    )
    return metrics[keep].reset_index(drop=True)


def places_table(
    counties: pd.DataFrame, points: pd.DataFrame, measure: Measure | None = None
) -> pd.DataFrame:
    """The places on the map as one table: 地点, 类型, 所属区县, 提及, 文章 (+ the coloured metric).

    A county's counts include the places inside it (as its polygon's), a point's are its own
    (as its marker's): the column names say which, so the table and the map never disagree.
    """
    cols = ["place_id", "name", "level", "county", "mentions", "articles"]
    parts = []
    if len(counties):
        c = counties[counties["mentions"] > 0].assign(county=counties["name"], scope="含辖区内")
        parts.append(c)
    if len(points):
        parts.append(points[points["level"] != "county"].assign(scope="本身"))
    if not parts:
        return pd.DataFrame(columns=["place_id", "地点", "类型", "所属区县", "提及", "文章", "计数范围"])
    frame = pd.concat([p.reindex(columns=[*cols, "scope", *_metric_cols(p, measure)]) for p in parts])
    out = pd.DataFrame(
        {
            "place_id": frame["place_id"].astype(str),
            "地点": frame["name"].astype(str),
            "类型": frame["level"].map(lambda lv: LEVEL_LABELS.get(lv, lv)),
            "所属区县": frame["county"].fillna(""),
            "提及": frame["mentions"].fillna(0).astype(int),
            "文章": frame["articles"].fillna(0).astype(int),
            "计数范围": frame["scope"],
        }
    )
    for col in _metric_cols(frame, measure):
        out[measure.label if measure else col] = frame[col].to_numpy()
    return out.sort_values(["提及", "地点"], ascending=[False, True]).reset_index(drop=True)


def _metric_cols(frame: pd.DataFrame, measure: Measure | None) -> list[str]:
    if measure is None or measure.metric is None:
        return []
    col = f"metric_{measure.metric}"
    return [col] if col in frame.columns else []


def month_range(first: str | None, last: str | None) -> list[str]:
    """Every month from ``first`` to ``last`` ("2021-03" … "2024-12"): the date slider's stops."""
    if not first or not last or first > last:
        return []
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_bounds(first: str, last: str) -> tuple[str, str]:
    """The days a month range covers: ("2021-03", "2021-04") → ("2021-03-01", "2021-04-31");
    dates compare as text, so a month's last day need not exist."""
    return f"{first}-01", f"{last}-31"
