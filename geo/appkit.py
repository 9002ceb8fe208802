"""Pure logic behind the Streamlit app (app.py stays a thin view over these functions).

Everything here works on the extraction DataFrames (mentions, articles, metrics; see the brief's
data contracts) and plain dicts, so it is unit-tested without a browser: filters → the frames the
map layers are built from, a map click → a place id, a place → its articles with highlighted
snippets, an article → its full text with every mention highlighted, and place search by Chinese
name or pinyin. Corpus text is HTML-escaped everywhere it is turned into markup.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from geo.layers import POINT_LEVELS, admin_chain, period_key  # noqa: F401 (admin_chain: app API)

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
    periods = {str(p) for p in metrics["period"].dropna() if str(p)}
    return sorted(periods, key=period_key, reverse=True)


def measure_options(metrics: pd.DataFrame) -> list[Measure]:
    """Mentions, articles, then every (metric, period) the corpus reports, most reported first."""
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
    for r in grouped.itertuples(index=False):
        period = r.period or None
        text = f"{r.label}（{r.period}）" if period else str(r.label)
        if r.unit:
            text += f" [{r.unit}]"
        out.append(Measure(f"metric:{r.metric}@{r.period}", text, r.metric, period, r.unit or None))
    return out


def metrics_for_measure(metrics: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """The metric rows a metric measure colours by (only that metric, only that period)."""
    if measure.metric is None:
        return metrics
    keep = (metrics["metric"] == measure.metric) & (
        metrics["period"].fillna("").astype(str) == (measure.period or "")
    )
    return metrics[keep].reset_index(drop=True)


# ---------------------------------------------------------------- click → place

#: How far (degrees) a click may be from a clicked marker's centre: 20 px at zoom 6.
MARKER_TOLERANCE_DEG = 0.5


def _close(a: float, b: float, tol: float = 1e-6) -> bool:
    return abs(float(a) - float(b)) <= tol


def _click_latlng(returned: Mapping | None) -> tuple[float, float] | None:
    clicked = (returned or {}).get("last_object_clicked")
    if not clicked or clicked.get("lat") is None or clicked.get("lng") is None:
        return None
    return float(clicked["lat"]), float(clicked["lng"])


def click_signature(returned: Mapping | None) -> tuple | None:
    """Identity of the latest click, so a stale click is not re-applied on every rerun."""
    latlng = _click_latlng(returned)
    if latlng is None:
        return None
    assert returned is not None  # a click was read from it
    return (returned.get("last_object_clicked_count"), round(latlng[0], 7), round(latlng[1], 7))


def place_id_from_click(
    returned: Mapping | None, points: pd.DataFrame | None, counties: pd.DataFrame | None
) -> str | None:
    """The place the user clicked, from st_folium's returned objects.

    ``last_active_drawing`` is the clicked GeoJSON feature (its properties carry place_id), but
    st_folium keeps the previous one when the click hits a layer without GeoJSON, so it is trusted
    only when it agrees with ``last_object_clicked``: a polygon must contain the click; a marker
    must be near it (Leaflet reports a small marker's own position, but the mouse position for a
    marker wider than 10 px, up to 20 px ≈ 0.25° away at the province view). Otherwise: the point
    feature exactly at the click, else the county polygon containing it.
    """
    from shapely.geometry import Point, shape

    returned = returned or {}
    latlng = _click_latlng(returned)
    feature = returned.get("last_active_drawing") or {}
    pid = (feature.get("properties") or {}).get("place_id")
    geom = feature.get("geometry")
    if pid and geom:
        if latlng is None:
            return str(pid)
        lat, lng = latlng
        if geom.get("type") == "Point":
            lon0, lat0 = geom["coordinates"][:2]
            if _close(lon0, lng, MARKER_TOLERANCE_DEG) and _close(lat0, lat, MARKER_TOLERANCE_DEG):
                return str(pid)
        elif shape(geom).buffer(1e-4).contains(Point(lng, lat)):
            return str(pid)
    if latlng is None:
        return None
    lat, lng = latlng
    if points is not None and len(points):
        hit = points[(points["lon"] - lng).abs().le(1e-6) & (points["lat"] - lat).abs().le(1e-6)]
        if len(hit):
            return str(hit.iloc[0]["place_id"])
    if counties is not None and len(counties) and "geometry" in counties:
        hit = counties[counties.geometry.intersects(Point(lng, lat))]
        if len(hit):
            return str(hit.iloc[0]["place_id"])
    return None


# ---------------------------------------------------------------- place → details, articles


def _val(row: Mapping, key: str):
    v = row.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def place_row(place_id: str, *tables: pd.DataFrame | None) -> dict | None:
    """The first row describing ``place_id`` in the given tables (gazetteer places, layers …)."""
    for t in tables:
        if t is None or t.empty or "place_id" not in t:
            continue
        ids = t["place_id"]
        if not pd.api.types.is_string_dtype(ids):
            ids = ids.astype(str)
        hit = t[ids == str(place_id)]
        if len(hit):
            row = hit.iloc[0].to_dict()
            return {k: _val(row, k) for k in row if k != "geometry"}
    return None


def place_ids_under(place_id: str, mentions: pd.DataFrame) -> pd.Series:
    """Mask of mentions that belong to a place: the place itself, or (for a county) anything
    inside it — the same roll-up the county layer counts."""
    mask = mentions["place_id"].astype(str) == str(place_id)
    if "county_id" in mentions:
        mask |= mentions["county_id"].astype(str) == str(place_id)
    return mask


def _mark(
    text: str, place_id: str, cls: str = "atlas-mention", href: str | None = None, title: str | None = None
) -> str:
    inner = html.escape(text)
    if href:
        inner = f'<a href="{html.escape(href)}" target="_self">{inner}</a>'
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<mark class="{cls}" data-place-id="{html.escape(str(place_id))}"{tip}>{inner}</mark>'


def _article_bounds(articles: pd.DataFrame) -> dict[str, tuple[int, int]]:
    return {str(r.article_id): (int(r.start), int(r.end)) for r in articles.itertuples()}


def articles_for_place(
    place_id: str, mentions: pd.DataFrame, articles: pd.DataFrame, texts: Mapping[str, str], context: int = 40
) -> list[ArticleHit]:
    """Articles mentioning a place, most mentions first, each with a snippet around its first
    mention where every mention of the place in the window is highlighted."""
    mine = mentions[place_ids_under(place_id, mentions)].sort_values(["article_id", "start"])
    if mine.empty:
        return []
    info = articles.set_index(articles["article_id"].astype(str))
    bounds = _article_bounds(articles)
    hits: list[ArticleHit] = []
    for article_id, group in mine.groupby(mine["article_id"].astype(str), sort=False):
        if article_id not in info.index:
            continue
        a = info.loc[article_id]
        text = texts.get(str(a["file"]), "")
        a_start, a_end = bounds[article_id]
        first = group.iloc[0]
        lo = max(a_start, int(first["start"]) - context)
        hi = min(a_end, int(first["end"]) + context)
        spans = [
            (int(s), int(e), str(p))
            for s, e, p in zip(group["start"], group["end"], group["place_id"])
            if s >= lo and e <= hi
        ]
        snippet = _highlight(text, lo, hi, spans, lambda s, e, p, t=text: _mark(t[s:e], p))
        prefix = "…" if lo > a_start else ""
        suffix = "…" if hi < a_end else ""
        hits.append(
            ArticleHit(
                article_id,
                str(a["title"]),
                str(a["file"]),
                len(group),
                prefix + re.sub(r"\s+", " ", snippet) + suffix,
            )
        )
    hits.sort(key=lambda h: (-h.mentions, h.file, h.title))
    return hits


def _highlight(text: str, lo: int, hi: int, spans: Iterable[tuple[int, int, str]], render) -> str:
    """Escape text[lo:hi], wrapping each non-overlapping span with ``render(start, end, pid)``."""
    out, cursor = [], lo
    for s, e, pid in sorted(spans):
        if s < cursor or e > hi or text[s:e] == "":
            continue
        out.append(html.escape(text[cursor:s]))
        out.append(render(s, e, pid))
        cursor = e
    out.append(html.escape(text[cursor:hi]))
    return "".join(out)


def map_link(place_id: str, article_id: str | None = None) -> str:
    """Query string that reopens the app on a place (and article): the "back to the map" link."""
    params = {"place": place_id}
    if article_id:
        params["article"] = article_id
    return "?" + urlencode(params)


def article_html(
    article_id: str,
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    texts: Mapping[str, str],
    focus_place_id: str | None = None,
) -> str:
    """Full text of one article, escaped, every place mention a <mark> linking to its place on
    the map; mentions of the focused place (or inside the focused county) get a second class."""
    row = articles[articles["article_id"].astype(str) == str(article_id)]
    if row.empty:
        raise KeyError(f"no article {article_id!r}")
    a = row.iloc[0]
    text = texts.get(str(a["file"]), "")
    start, end = int(a["start"]), int(a["end"])
    mine = mentions[mentions["article_id"].astype(str) == str(article_id)]
    focus = (
        set(mine.loc[place_ids_under(focus_place_id, mine), "start"].astype(int)) if focus_place_id else set()
    )
    names = dict(zip(mine["start"].astype(int), mine["name"].astype(str)))
    levels = dict(zip(mine["start"].astype(int), mine["level"].astype(str)))

    def render(s: int, e: int, pid: str) -> str:
        cls = "atlas-mention atlas-focus" if s in focus else "atlas-mention"
        tip = f"{names.get(s, '')} · {LEVEL_LABELS.get(levels.get(s, ''), levels.get(s, ''))}"
        return _mark(text[s:e], pid, cls, href=map_link(pid, str(article_id)), title=tip)

    spans = [
        (int(s), int(e), str(p))
        for s, e, p in zip(mine["start"], mine["end"], mine["place_id"])
        if p is not None
    ]
    body = _highlight(text, start, end, spans, render)
    return (
        f'<div class="atlas-article" data-article-id="{html.escape(str(article_id))}" '
        f'style="white-space: pre-wrap; line-height: 1.7">{body}</div>'
    )


def place_metrics(place_id: str, metrics: pd.DataFrame) -> pd.DataFrame:
    """Metric rows reported for a place, newest period first, with the columns a reader needs."""
    cols = [
        c
        for c in (
            "label",
            "value",
            "unit",
            "period",
            "yoy_pct",
            "is_target",
            "qualifier",
            "metric",
            "file",
            "evidence",
        )
        if c in metrics
    ]
    if metrics.empty:
        return pd.DataFrame(columns=cols)
    mine = metrics[metrics["place_id"].astype(str) == str(place_id)]
    return mine.sort_values(["metric", "period"], ascending=[True, False])[cols].reset_index(drop=True)


# ---------------------------------------------------------------- search


def _pinyin_keys(name: str) -> tuple[str, str]:
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(name, errors="ignore")
    initials = "".join(s[0] for s in syllables if s)
    return "".join(syllables).lower(), initials.lower()


def search_index(places: pd.DataFrame) -> pd.DataFrame:
    """place_id, name, level + pinyin keys; build once per layer set (pinyin is the slow part)."""
    frame = places[["place_id", "name", "level"]].drop_duplicates("place_id").copy()
    keys = [_pinyin_keys(str(n)) for n in frame["name"]]
    frame["pinyin"] = [k[0] for k in keys]
    frame["initials"] = [k[1] for k in keys]
    return frame.reset_index(drop=True)


def search_places(query: str, index: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """Places whose Chinese name or pinyin (full, or initials such as "xsq") matches the query:
    exact name first, then prefix matches, then substring matches."""
    q = "".join(query.split()).lower()
    if not q or index.empty:
        return index.iloc[0:0]
    names = index["name"].astype(str)
    if any("\u4e00" <= ch <= "\u9fff" for ch in q):
        rank = pd.Series(9, index=index.index)
        rank[names.str.contains(q, regex=False)] = 2
        rank[names.str.startswith(q)] = 1
        rank[names == q] = 0
    else:
        rank = pd.Series(9, index=index.index)
        for col in ("pinyin", "initials"):
            keys = index[col].astype(str)
            rank[keys.str.contains(q, regex=False) & (rank > 2)] = 2
            rank[keys.str.startswith(q) & (rank > 1)] = 1
            rank[(keys == q)] = 0
    found = index.assign(_rank=rank)[rank < 9]
    return found.sort_values(["_rank", "name"]).drop(columns="_rank").head(limit).reset_index(drop=True)
