"""The app's questions as SQL over the store: counts per place for the map, the sidebar's
options, one place's articles, one article's mentions, a filtered extraction for downloads.

Filters mean what they mean in memory (:func:`geo.appkit.filter_frames`): ``levels`` restricts
mentions (None: every level), ``files`` restricts every table (empty: all), ``periods`` restricts
metrics (empty: all). Aggregation happens in DuckDB, so the app holds counts, not mentions.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.layers import COUNT_COLUMNS, POINT_LEVELS, ROLLUP_LEVELS
from geo.pipeline import Extraction
from geo.schema import ARTICLE_COLUMNS, MENTION_COLUMNS, METRIC_COLUMNS
from geo.store import count_reads
from geo.store.panel import place_panel as place_panel  # the app's click, re-exported
from geo.store.read import (
    REPEATED_ARTICLE_COLUMNS,
    REPEATED_MENTION_COLUMNS,
    AtlasStore,
    decode_articles,
    like_extraction,
)
from geo.store.scope import Scope as Scope
from geo.store.scope import date_where as _date_where
from geo.store.scope import in_list as _in
from geo.store.scope import mention_where as _mention_where
from geo.store.tables import q


def place_counts(store: AtlasStore, scope: Scope, key: str) -> pd.DataFrame:
    """mentions / articles / in_org_mentions per county (key "county_id", mentions of places
    inside it included) or per point place (key "place_id"), like :func:`geo.layers.county_counts`."""
    levels = ROLLUP_LEVELS if key == "county_id" else POINT_LEVELS
    if not scope.files:  # from the count tables (thousands of rows, not every mention)
        with store.connect() as con:
            frame = count_reads.place_counts(con, key, scope.levels, scope.dates, scope.undated, levels)
        return frame.set_index("place_id")[list(COUNT_COLUMNS)].astype("int64")
    return scanned_counts(store, scope, key)


def scanned_counts(store: AtlasStore, scope: Scope, key: str) -> pd.DataFrame:
    """:func:`place_counts` from the mentions themselves (a filter on documents reads their few
    rows; the count tables are checked against it)."""
    levels = ROLLUP_LEVELS if key == "county_id" else POINT_LEVELS
    params: list[Any] = list(levels)
    level_sql = f"m.level IN ({', '.join('?' * len(levels))})"
    where = _mention_where(scope, params)
    frame = store.query(
        f"SELECT CAST(m.{key} AS VARCHAR) AS place_id, count(*) AS mentions, "
        f"count(DISTINCT m.article_id) AS articles, count(*) FILTER (WHERE m.in_org) AS in_org_mentions "
        f"FROM mentions m WHERE {level_sql} AND m.{key} IS NOT NULL AND {where} GROUP BY 1",
        params,
    )
    return frame.set_index("place_id")[list(COUNT_COLUMNS)].astype("int64")


def first_mentions(store: AtlasStore, place_ids: list[str]) -> pd.DataFrame:
    """The first mention (corpus order) of each place: the coordinate of places the gazetteer
    does not know (found by a geocoder). Each place's first row is found by ``arg_min`` over the
    ids' mentions (a hash aggregate), then read by its row id: at 1 GB, 891 ids, 1.7 → 0.66 s
    (a window ranking every mention of the ids, with the ids as ``IN (?, ?, …)``: 1.7 s)."""
    if not place_ids:
        return pd.DataFrame(columns=list(MENTION_COLUMNS))
    cols = ", ".join(f"m.{q(c)}" for c in MENTION_COLUMNS)
    return store.query(
        f"WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS place_id), "
        f"firsts AS (SELECT m.place_id, arg_min(m.rowid, (d.doc_order, m.seq)) AS rid "
        f"FROM mentions m SEMI JOIN wanted w ON w.place_id = m.place_id "
        f"JOIN documents d ON d.file = m.file GROUP BY 1) "
        f"SELECT {cols} FROM mentions m SEMI JOIN firsts f ON f.rid = m.rowid",
        [[str(p) for p in place_ids]],
    )


def scoped_metrics(
    store: AtlasStore,
    scope: Scope,
    via_arrow: bool = False,
    columns: tuple[str, ...] = METRIC_COLUMNS,
    place_id: str | None = None,
) -> pd.DataFrame:
    """The metrics rows in scope, corpus order (``via_arrow``: read through Arrow, the same frame
    in a third of the time; the app's path, checked against the other by a test; ``columns``:
    the ones the caller uses — the app holds 500,000 rows of a 1 GB store in memory;
    ``place_id``: one place's rows, as the side panel shows them)."""
    params: list[Any] = []
    place = "TRUE"
    if place_id is not None:
        place, params = "t.place_id = ?", [str(place_id)]
    files = _in("t.file", scope.files, params) if scope.files else "TRUE"
    periods = _in("coalesce(t.period, '')", scope.periods, params) if scope.periods else "TRUE"
    dates = _date_where(scope, params, "t")
    cols = ", ".join(f"t.{q(c)}" for c in columns)
    frame = (store.query_arrow if via_arrow else store.query)(
        f"SELECT {cols} FROM metrics t JOIN documents d ON d.file = t.file "
        f"WHERE {place} AND {files} AND {periods} "
        f"AND {dates} ORDER BY d.doc_order, t.seq",
        params,
    )
    return like_extraction(frame, set())


def metric_count(store: AtlasStore, scope: Scope) -> int:
    """How many rows :func:`scoped_metrics` returns (counted, not fetched)."""
    params: list[Any] = []
    files = _in("t.file", scope.files, params) if scope.files else "TRUE"
    periods = _in("coalesce(t.period, '')", scope.periods, params) if scope.periods else "TRUE"
    dates = _date_where(scope, params, "t")
    frame = store.query(
        "SELECT count(*) AS n FROM metrics t JOIN documents d ON d.file = t.file "
        f"WHERE {files} AND {periods} AND {dates}",
        params,
    )
    return int(frame["n"][0])


def article_count(store: AtlasStore, scope: Scope) -> int:
    params: list[Any] = []
    files = _in("t.file", scope.files, params) if scope.files else "TRUE"
    dates = _date_where(scope, params, "t")
    return int(
        store.query(
            f"SELECT count(DISTINCT article_id) AS n FROM articles t WHERE {files} AND {dates}", params
        )["n"][0]
    )


def totals(store: AtlasStore, scope: Scope) -> dict[str, int]:
    """What the caption counts, in scope: documents, articles, mentions, metrics."""
    m_params: list[Any] = []
    m_where = _mention_where(scope, m_params)
    f_params: list[Any] = []
    files = _in("file", scope.files, f_params) if scope.files else "TRUE"
    in_dates = _date_where(scope, f_params, "t")
    dated = "TRUE" if scope.dates is None else f"file IN (SELECT t.file FROM articles t WHERE {in_dates})"
    with store.connect() as con:
        docs = con.execute(
            f"SELECT count(*) FROM documents WHERE skipped_reason IS NULL AND {files} AND {dated}", f_params
        )
        n_docs = docs.fetchone()
        if scope.files:
            n_mentions = con.execute(f"SELECT count(*) FROM mentions m WHERE {m_where}", m_params).fetchone()
        else:  # from the count tables
            n_mentions = (count_reads.mention_total(con, scope.levels, scope.dates, scope.undated),)
    metrics = metric_count(store, scope)
    return {
        "documents": int(n_docs[0]) if n_docs else 0,
        "articles": article_count(store, scope),
        "mentions": int(n_mentions[0]) if n_mentions else 0,
        "metrics": metrics,
    }


def options(store: AtlasStore) -> dict[str, Any]:
    """What the sidebar offers: levels present, documents (file, first title), periods."""
    levels = store.query("SELECT DISTINCT level FROM mentions WHERE level IS NOT NULL")["level"].tolist()
    files = store.query(
        "SELECT d.file, (SELECT a.title FROM articles a WHERE a.file = d.file AND a.title <> '' "
        "ORDER BY a.seq LIMIT 1) AS title FROM documents d WHERE d.skipped_reason IS NULL "
        "ORDER BY d.doc_order"
    )
    periods = store.query("SELECT DISTINCT period FROM metrics WHERE period IS NOT NULL")["period"].tolist()
    skipped = store.query("SELECT file, skipped_reason FROM documents WHERE skipped_reason IS NOT NULL")
    dates = store.query(
        "SELECT min(CASE length(date) WHEN 4 THEN date || '-01' ELSE substr(date, 1, 7) END) AS first, "
        "max(CASE length(date) WHEN 4 THEN date || '-12' ELSE substr(date, 1, 7) END) AS last, "
        "count(*) FILTER (WHERE date IS NULL) AS undated, count(*) AS articles FROM articles"
    ).iloc[0]
    return {
        "levels": levels,
        "files": files,
        "periods": periods,
        "skipped": skipped,
        "dates": dates.to_dict(),
    }


def place_timeline(store: AtlasStore, place_id: str, scope: Scope) -> pd.DataFrame:
    """A place's mentions per month of its articles' dates (month "YYYY-MM"; a year-only date
    counts in its year's "YYYY"; unknown dates are left out)."""
    params: list[Any] = [place_id, place_id]
    where = _mention_where(scope, params)
    return store.query(
        "SELECT CASE WHEN length(a.date) >= 7 THEN substr(a.date, 1, 7) ELSE a.date END AS month, "
        "count(*) AS mentions, count(DISTINCT m.article_id) AS articles "
        "FROM mentions m JOIN articles a ON a.article_id = m.article_id "
        f"WHERE (m.place_id = ? OR m.county_id = ?) AND {where} AND a.date IS NOT NULL GROUP BY 1 ORDER BY 1",
        params,
    )


def mentions_under(store: AtlasStore, place_id: str, scope: Scope) -> pd.DataFrame:
    """Every mention that belongs to a place: the place itself, or (for a county) anything inside
    it — the roll-up the county layer counts (:func:`geo.appkit.place_ids_under`)."""
    params: list[Any] = [place_id, place_id]
    where = _mention_where(scope, params)
    cols = ", ".join(f"m.{q(c)}" for c in MENTION_COLUMNS)
    return store.query(
        f"SELECT {cols} FROM mentions m JOIN documents d ON d.file = m.file "
        f"WHERE (m.place_id = ? OR m.county_id = ?) AND {where} ORDER BY d.doc_order, m.seq",
        params,
    )


def article_mentions(store: AtlasStore, article_id: str) -> pd.DataFrame:
    cols = ", ".join(q(c) for c in MENTION_COLUMNS)
    return store.query(f"SELECT {cols} FROM mentions WHERE article_id = ? ORDER BY seq", [article_id])


def articles_by_id(store: AtlasStore, article_ids: list[str]) -> pd.DataFrame:
    if not article_ids:
        return pd.DataFrame(columns=list(ARTICLE_COLUMNS))
    cols = ", ".join(q(c) for c in ARTICLE_COLUMNS)
    return store.query(
        f"SELECT {cols} FROM articles WHERE article_id IN ({', '.join('?' * len(article_ids))})",
        list(article_ids),
    )


def document_files(store: AtlasStore, files: list[str]) -> pd.DataFrame:
    """path and sha256 of documents (to read their text, checked)."""
    if not files:
        return pd.DataFrame(columns=["file", "path", "sha256"])
    return store.query(
        f"SELECT file, path, sha256 FROM documents WHERE file IN ({', '.join('?' * len(files))})", list(files)
    )


def scoped_extraction(store: AtlasStore, scope: Scope) -> Extraction:
    """The extraction in scope (what a download exports): same rows as filtering in memory."""
    params: list[Any] = []
    where = _mention_where(scope, params, alias="t")
    m_cols = ", ".join(f"t.{q(c)}" for c in MENTION_COLUMNS)
    mentions = store.query(
        f"SELECT {m_cols} FROM mentions t JOIN documents d ON d.file = t.file WHERE {where} "
        "ORDER BY d.doc_order, t.seq",
        params,
    )
    a_params: list[Any] = []
    files = _in("t.file", scope.files, a_params) if scope.files else "TRUE"
    dates = _date_where(scope, a_params, "t")
    a_cols = ", ".join(f"t.{q(c)}" for c in ARTICLE_COLUMNS)
    articles = store.query(
        f"SELECT {a_cols} FROM articles t JOIN documents d ON d.file = t.file WHERE {files} AND {dates} "
        "ORDER BY d.doc_order, t.seq",
        a_params,
    )
    return Extraction(
        articles=like_extraction(decode_articles(articles), REPEATED_ARTICLE_COLUMNS),
        mentions=like_extraction(mentions, REPEATED_MENTION_COLUMNS),
        metrics=scoped_metrics(store, scope),
    )


def place_summary(store: AtlasStore, place_id: str, scope: Scope) -> dict[str, int]:
    """A place's counts, saying what they cover: with the places inside it (a county's polygon)
    and its own (its marker)."""
    params: list[Any] = [place_id] * 4  # two FILTERs, then place or county
    where = _mention_where(scope, params)
    row = store.query(
        "SELECT count(*) AS total, count(DISTINCT article_id) AS total_articles, "
        "count(*) FILTER (WHERE place_id = ?) AS own, "
        "count(DISTINCT article_id) FILTER (WHERE place_id = ?) AS own_articles "
        f"FROM mentions m WHERE (m.place_id = ? OR m.county_id = ?) AND {where}",
        params,
    ).iloc[0]
    return {k: int(row[k]) for k in ("total", "total_articles", "own", "own_articles")}


def top_articles(store: AtlasStore, place_id: str, scope: Scope, limit: int) -> pd.DataFrame:
    """The place's mentions in its ``limit`` articles with the most of them (ties: corpus order),
    the rows the side panel's snippets need — not every mention of a big county."""
    params: list[Any] = [place_id, place_id]
    where = _mention_where(scope, params)
    cols = ", ".join(f"m.{q(c)}" for c in MENTION_COLUMNS)
    return store.query(
        f"WITH mine AS (SELECT m.*, d.doc_order FROM mentions m JOIN documents d ON d.file = m.file "
        f"  WHERE (m.place_id = ? OR m.county_id = ?) AND {where}), "
        "top AS (SELECT article_id, count(*) AS n, min(doc_order * 1000000 + seq) AS first FROM mine "
        f"  GROUP BY article_id ORDER BY n DESC, first LIMIT {int(limit)}) "
        f"SELECT {cols} FROM mine m JOIN top t ON t.article_id = m.article_id ORDER BY m.doc_order, m.seq",
        params,
    )
