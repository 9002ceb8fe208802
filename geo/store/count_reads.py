"""Reading the count tables (:mod:`geo.store.counts` writes them): a filter state's counts per
place or county, a clicked place's counts and months, and a county's top articles, summed from the
tables' rows instead of every mention. A county's distinct articles over a set of levels come
from ``county_dates``' level masks (:func:`geo.store.counts.level_mask`)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from geo.store.counts import level_mask


def date_condition(column: str, dates: tuple[str, str] | None, undated: bool, params: list[Any]) -> str:
    """``column`` (an article date: 2021, 2021-04, 2021-04-16) meets the range ``dates`` (first day,
    last day), or is unknown and ``undated`` — as the filter on articles reads it."""
    if dates is None:
        return "TRUE"
    params.extend([dates[1], dates[0]])
    c = column
    start = f"CASE length({c}) WHEN 4 THEN {c} || '-01-01' WHEN 7 THEN {c} || '-01' ELSE {c} END"
    end = f"CASE length({c}) WHEN 4 THEN {c} || '-12-31' WHEN 7 THEN {c} || '-31' ELSE {c} END"
    unknown = f" OR {column} IS NULL" if undated else ""
    return f"(({start} <= ? AND {end} >= ?){unknown})"


def _level_sql(levels: tuple[str, ...] | None, params: list[Any]) -> str:
    """``level`` is one of ``levels`` (None: any level, unknown included; empty: none)."""
    if levels is None:
        return "TRUE"
    if not levels:
        return "FALSE"
    params.extend(levels)
    return f"level IN ({', '.join('?' * len(levels))})"


def mention_total(
    con: duckdb.DuckDBPyConnection,
    levels: tuple[str, ...] | None,
    dates: tuple[str, str] | None,
    undated: bool,
) -> int:
    """How many mentions have a level in ``levels`` (None: any, unknown included) and an article
    whose date meets ``dates``."""
    params: list[Any] = []
    level_sql = _level_sql(levels, params)
    when = date_condition("date", dates, undated, params)
    row = con.execute(
        f"SELECT coalesce(sum(mentions), 0)::BIGINT FROM place_dates WHERE {level_sql} AND {when}", params
    ).fetchone()
    return int(row[0]) if row else 0


def place_counts(
    con: duckdb.DuckDBPyConnection,
    key: str,
    levels: tuple[str, ...] | None,
    dates: tuple[str, str] | None,
    undated: bool,
    allowed: tuple[str, ...],
) -> pd.DataFrame:
    """mentions / articles / in_org_mentions per point place (``key`` "place_id") or per county
    (``key`` "county_id", the places inside it included), over mentions whose level is in
    ``allowed`` and in ``levels`` (None: any) and whose article's date meets ``dates``."""
    chosen = [lv for lv in allowed if levels is None or lv in levels]
    if not chosen:
        return pd.DataFrame(columns=["place_id", "mentions", "articles", "in_org_mentions"])
    params: list[Any] = list(chosen)
    when = date_condition("date", dates, undated, params)
    where = f"level IN ({', '.join('?' * len(chosen))}) AND {key} IS NOT NULL AND {when}"
    if key == "place_id":
        return con.execute(
            "SELECT place_id, sum(mentions)::BIGINT AS mentions, sum(articles)::BIGINT AS articles, "
            f"sum(in_org_mentions)::BIGINT AS in_org_mentions FROM place_dates WHERE {where} GROUP BY 1",
            params,
        ).df()
    mask_params: list[Any] = [level_mask(chosen)]
    mask_when = date_condition("date", dates, undated, mask_params)
    return con.execute(
        "WITH m AS (SELECT county_id, sum(mentions)::BIGINT AS mentions, "
        f"sum(in_org_mentions)::BIGINT AS in_org_mentions FROM place_dates WHERE {where} GROUP BY 1), "
        "a AS (SELECT county_id, sum(articles)::BIGINT AS articles FROM county_dates "
        f"WHERE (levels & ?) <> 0 AND {mask_when} GROUP BY 1) "
        "SELECT m.county_id AS place_id, m.mentions, coalesce(a.articles, 0)::BIGINT AS articles, "
        "m.in_org_mentions FROM m LEFT JOIN a ON a.county_id = m.county_id",
        params + mask_params,
    ).df()


def place_panel_counts(
    con: duckdb.DuckDBPyConnection,
    place_id: str,
    levels: tuple[str, ...] | None,
    dates: tuple[str, str] | None,
    undated: bool,
) -> tuple[dict[str, int], pd.DataFrame, bool] | None:
    """A clicked place's counts and mentions per month (as :func:`geo.store.query.place_panel`
    gives them) from the count tables, and whether its mentions are exactly those with
    ``county_id`` = the place (a county); None when the tables cannot say exactly (a place
    whose own mentions lie in several counties or levels: read the mentions)."""
    shape = con.execute(  # two conditions the tables' zone maps answer (sorted by county)
        "SELECT c.n, p.outside, p.combos FROM "
        "(SELECT count(*) AS n FROM place_dates WHERE county_id = $1) c, "
        "(SELECT count(*) FILTER (WHERE county_id IS DISTINCT FROM $1) AS outside, "
        "count(DISTINCT (level, county_id)) AS combos FROM place_dates WHERE place_id = $1) p",
        [place_id],
    ).fetchone()
    as_county, outside, combos = shape or (0, 0, 0)
    county = as_county > 0 and outside == 0
    if not county and (as_county > 0 or combos > 1):
        return None
    mine = "county_id = ?" if county else "place_id = ?"  # every mention of the place, either way
    params: list[Any] = [place_id, place_id, place_id]
    level_sql = "TRUE" if levels is None else "FALSE"
    if levels:
        level_sql = f"level IN ({', '.join('?' * len(levels))})"
    params.extend(levels or ())
    when = date_condition("date", dates, undated, params)
    row = con.execute(
        "SELECT coalesce(sum(mentions), 0)::BIGINT, "
        "coalesce(sum(mentions) FILTER (WHERE place_id = ?), 0)::BIGINT, "
        "coalesce(sum(articles) FILTER (WHERE place_id = ?), 0)::BIGINT "
        f"FROM place_dates WHERE {mine} AND {level_sql} AND {when}",
        params,
    ).fetchone()
    total, own, own_articles = row or (0, 0, 0)
    month = "CASE WHEN length(date) >= 7 THEN substr(date, 1, 7) ELSE date END"
    m_params: list[Any] = [place_id, *(levels or ())]
    m_when = date_condition("date", dates, undated, m_params)
    mentions = (
        f"SELECT {month} AS month, sum(mentions)::BIGINT AS mentions FROM place_dates "
        f"WHERE {mine} AND {level_sql} AND {m_when} AND date IS NOT NULL GROUP BY 1"
    )
    if county:
        a_params: list[Any] = [place_id, level_mask(levels)]
        a_when = date_condition("date", dates, undated, a_params)
        articles = (
            f"SELECT {month} AS month, sum(articles)::BIGINT AS articles FROM county_dates "
            f"WHERE county_id = ? AND (levels & ?) <> 0 AND {a_when} AND date IS NOT NULL GROUP BY 1"
        )
    else:
        a_params = [place_id, *(levels or ())]
        a_when = date_condition("date", dates, undated, a_params)
        articles = (
            f"SELECT {month} AS month, sum(articles)::BIGINT AS articles FROM place_dates "
            f"WHERE place_id = ? AND {level_sql} AND {a_when} AND date IS NOT NULL GROUP BY 1"
        )
    timeline = con.execute(
        f"SELECT m.month, m.mentions, coalesce(a.articles, 0)::BIGINT AS articles FROM ({mentions}) m "
        f"LEFT JOIN ({articles}) a ON a.month = m.month ORDER BY 1",
        m_params + a_params,
    ).df()
    if county:
        c_params: list[Any] = [place_id, level_mask(levels)]
        c_when = date_condition("date", dates, undated, c_params)
        found = con.execute(
            "SELECT coalesce(sum(articles), 0)::BIGINT FROM county_dates "
            f"WHERE county_id = ? AND (levels & ?) <> 0 AND {c_when}",
            c_params,
        ).fetchone()
        total_articles = found[0] if found else 0
    else:
        total_articles = own_articles
    summary = {
        "total": int(total),
        "total_articles": int(total_articles),
        "own": int(own),
        "own_articles": int(own_articles),
    }
    return summary, timeline, county


def county_top_articles(
    con: duckdb.DuckDBPyConnection,
    county_id: str,
    levels: tuple[str, ...] | None,
    dates: tuple[str, str] | None,
    undated: bool,
    limit: int,
) -> list[tuple[str, str]]:
    """(article_id, file) of the ``limit`` articles with the most mentions inside a county (ties:
    corpus order), from ``county_articles``."""
    params: list[Any] = [county_id]
    level_sql = _level_sql(levels, params)
    when = date_condition("date", dates, undated, params)
    rows = con.execute(
        "SELECT g.article_id, g.file FROM (SELECT article_id, any_value(file) AS file, "
        "sum(mentions) AS n, min(first_seq) AS s FROM county_articles "
        f"WHERE county_id = ? AND {level_sql} AND {when} GROUP BY article_id) g "
        "JOIN documents d ON d.file = g.file "
        f"ORDER BY g.n DESC, d.doc_order * 1000000 + g.s LIMIT {int(limit)}",
        params,
    ).fetchall()
    return [(str(a), str(f)) for a, f in rows]
