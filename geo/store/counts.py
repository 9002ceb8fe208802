"""Count tables: the mentions counted per place at build time, so the app's counts per filter
state read thousands of rows instead of every mention (22.8 M on a 1 GB corpus: 3 s a query).

- ``place_dates``: per article date, place, level and county: mentions, articles (distinct, within
  the row's date) and mentions inside an organisation's name. A place's counts over any set of
  levels and any date range are sums of its rows (an article has one date).
- ``county_dates``: per article date, county and *set of levels* (a bit mask over
  :data:`ROLLUP_LEVELS`) the number of articles whose mentions inside that county have exactly
  those levels — so a county's distinct articles over any set of levels ``S`` is the sum over the
  masks that meet ``S``, which the mentions of ``place_dates`` cannot give (an article naming a
  county and a town in it counts once).

A filter on documents reads the mentions themselves (a few documents' rows are found from the
table's zone maps in milliseconds). Every count is a sum over documents, so a build keeps the
tables up to date incrementally: the contributions of the files it drops are subtracted before
their rows go, those of the files it extracts added after (:func:`before_delete`,
:func:`after_insert`); a fresh build or a re-resolution counts everything once (:func:`recount`).
On a Dask cluster each part of the build (whole files) is counted on its worker
(:func:`part_counts`) and the client only sums the parts' rows (:func:`add_parts`): an article
lies in one file, so its distinct counts add up across parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

from geo.layers import ROLLUP_LEVELS

#: The bit of each roll-up level in ``county_dates.levels``.
LEVEL_BITS = {level: 1 << i for i, level in enumerate(ROLLUP_LEVELS)}

DDL = [
    "CREATE TABLE place_dates (date VARCHAR, place_id VARCHAR, level VARCHAR, county_id VARCHAR, "
    "mentions BIGINT, articles BIGINT, in_org_mentions BIGINT)",
    "CREATE TABLE county_dates (date VARCHAR, county_id VARCHAR, levels INTEGER, articles BIGINT)",
    "CREATE TABLE county_articles (county_id VARCHAR, level VARCHAR, article_id VARCHAR, file VARCHAR, "
    "date VARCHAR, mentions BIGINT, first_seq BIGINT)",
]
#: Per county, level and article: its mentions and the first one's position in its document,
#: rows of a county together (sorted by county, so a county's rows are a few blocks): what ranks a
#: clicked county's articles without reading every mention. Kept by file, like the mentions.
_ARTICLES_SELECT = (
    "SELECT m.county_id, m.level, m.article_id, any_value(m.file) AS file, any_value(a.date) AS date, "
    "count(*) AS mentions, min(m.seq) AS first_seq "
    "FROM mentions m LEFT JOIN articles a ON a.article_id = m.article_id "
    "WHERE m.county_id IS NOT NULL AND {files} GROUP BY m.county_id, m.level, m.article_id"
)
_TABLES = ("place_dates", "county_dates")
_KEYS = {"place_dates": "date, place_id, level, county_id", "county_dates": "date, county_id, levels"}
_SUMS = {
    "place_dates": ("mentions", "articles", "in_org_mentions"),
    "county_dates": ("articles",),
}
_BIT_SQL = "CASE m.level " + " ".join(f"WHEN '{lv}' THEN {b}" for lv, b in LEVEL_BITS.items()) + " END"


def level_mask(levels: Sequence[str] | None) -> int:
    """The bits of ``levels`` (None: every roll-up level)."""
    chosen = ROLLUP_LEVELS if levels is None else levels
    return sum(LEVEL_BITS[lv] for lv in set(chosen) if lv in LEVEL_BITS)


def _contributions(files_sql: str) -> dict[str, str]:
    """SELECTs of each table's rows for the mentions whose file passes ``files_sql``."""
    return {
        # per article first, then per place: the distinct articles are the first grouping's
        # rows (a count(DISTINCT) took 13.7 CPU-s of a 1 GB corpus's recount, this 8.9)
        "place_dates": (
            "SELECT date, place_id, level, county_id, sum(n)::BIGINT AS mentions, count(*) AS articles, "
            "sum(o)::BIGINT AS in_org_mentions FROM ("
            "  SELECT a.date, m.place_id, m.level, m.county_id, m.article_id, count(*) AS n, "
            "  count(*) FILTER (WHERE m.in_org) AS o "
            f"  FROM mentions m LEFT JOIN articles a ON a.article_id = m.article_id WHERE {files_sql} "
            "  GROUP BY ALL) GROUP BY date, place_id, level, county_id"
        ),
        "county_dates": (
            "SELECT date, county_id, levels, count(*) AS articles FROM ("
            f"  SELECT a.date, m.county_id, bit_or({_BIT_SQL})::INTEGER AS levels "
            "  FROM mentions m LEFT JOIN articles a ON a.article_id = m.article_id "
            f"  WHERE m.county_id IS NOT NULL AND m.level IN ({', '.join(repr(x) for x in ROLLUP_LEVELS)}) "
            f"  AND {files_sql} GROUP BY m.article_id, m.county_id, a.date) GROUP BY ALL"
        ),
    }


def create(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in DDL:
        con.execute(stmt)


def recount(con: duckdb.DuckDBPyConnection) -> None:
    """Both tables counted anew from every mention."""
    for table, select in _contributions("TRUE").items():
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} {select} ORDER BY county_id")
    con.execute("DELETE FROM county_articles")
    con.execute(f"INSERT INTO county_articles {_ARTICLES_SELECT.format(files='TRUE')} ORDER BY county_id")


#: The count tables of a part of a build, as :func:`part_counts` gives them.
PART_TABLES = ("place_dates", "county_dates", "county_articles")
_part_db: list[duckdb.DuckDBPyConnection] = []  # per process: a connection costs 10 ms, a cursor 0


def part_counts(mentions: pa.Table, articles: pa.Table) -> dict[str, pa.Table]:
    """The count tables' rows of one part of a build (whole files), counted with the SQL of a full
    count: a worker's share of :func:`recount`, summed by :func:`add_parts`."""
    if not _part_db:
        _part_db.append(duckdb.connect(config={"threads": 1, "memory_limit": "256MB"}))
    con = _part_db[0].cursor()  # one per call: a worker may run several tasks at once
    try:
        con.register("mentions", mentions)
        con.register("articles", articles)
        selects = {**_contributions("TRUE"), "county_articles": _ARTICLES_SELECT.format(files="TRUE")}
        return {table: con.sql(select).to_arrow_table() for table, select in selects.items()}
    finally:
        con.close()


def add_parts(con: duckdb.DuckDBPyConnection, parts: dict[str, list[str]]) -> None:
    """Add the parts' count rows (Parquet files of :func:`part_counts`, per table) to the tables.
    An empty table (a first build, a re-resolution: :func:`clear`) gets their sums, sorted by county
    as :func:`recount` writes it; otherwise the sums join the changes :func:`after_insert` applies."""
    for table in _TABLES:
        if not parts.get(table):
            continue
        sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in _SUMS[table])
        summed = f"SELECT {_KEYS[table]}, {sums} FROM read_parquet(?) GROUP BY ALL"
        if _is_empty(con, table):
            con.execute(f"INSERT INTO {table} {summed} ORDER BY county_id", [parts[table]])
        else:
            con.execute(f"CREATE TEMP TABLE IF NOT EXISTS delta_{table} AS SELECT * FROM {table} LIMIT 0")
            con.execute(f"INSERT INTO temp.delta_{table} {summed}", [parts[table]])
    if parts.get("county_articles"):  # an article's rows come from its one part: no sum
        order = " ORDER BY county_id" if _is_empty(con, "county_articles") else ""
        con.execute(f"INSERT INTO county_articles FROM read_parquet(?){order}", [parts["county_articles"]])


def clear(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the tables: every document is about to be counted afresh."""
    for table in PART_TABLES:
        con.execute(f"DELETE FROM {table}")


def _is_empty(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone() == (True,)


def _delta(con: duckdb.DuckDBPyConnection, files: list[str], sign: int) -> None:
    """Add the contributions of ``files``' mentions (negated when ``sign`` is -1) to the temp
    tables :func:`_merge` folds in."""
    frame = pd.DataFrame({"file": files})
    con.register("atlas_count_files", frame)
    try:
        for table, select in _contributions("m.file IN (SELECT file FROM atlas_count_files)").items():
            sums = ", ".join(f"{sign} * {c} AS {c}" for c in _SUMS[table])
            con.execute(f"CREATE TEMP TABLE IF NOT EXISTS delta_{table} AS SELECT * FROM {table} LIMIT 0")
            con.execute(f"INSERT INTO temp.delta_{table} SELECT {_KEYS[table]}, {sums} FROM ({select})")
    finally:
        con.unregister("atlas_count_files")


def before_delete(con: duckdb.DuckDBPyConnection, files: list[str], full: bool) -> None:
    """Before ``files``' rows are deleted: their contributions, to subtract (nothing when the
    build counts everything afresh, ``full``)."""
    if files and not full:
        _delta(con, files, -1)
        con.register("atlas_count_files", pd.DataFrame({"file": files}))
        try:
            con.execute("DELETE FROM county_articles WHERE file IN (SELECT file FROM atlas_count_files)")
        finally:
            con.unregister("atlas_count_files")


def after_insert(con: duckdb.DuckDBPyConnection, files: list[str]) -> None:
    """After ``files`` were extracted (and others dropped): the tables up to date by the changes
    (a full count is :func:`recount`, on a connection of its own: see geo.store.build)."""
    if files:
        _delta(con, files, 1)
        con.register("atlas_count_files", pd.DataFrame({"file": files}))
        try:
            chosen = "m.file IN (SELECT file FROM atlas_count_files)"
            con.execute(f"INSERT INTO county_articles {_ARTICLES_SELECT.format(files=chosen)}")
        finally:
            con.unregister("atlas_count_files")
    for table in _TABLES:
        if not con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [f"delta_{table}"]
        ).fetchone()[0]:  # type: ignore[index]
            continue
        # the changes, summed by key (a few thousand rows), applied in place: regrouping the
        # whole table would hold it in memory (the build's DuckDB has 256 MB)
        sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in _SUMS[table])
        con.execute(
            f"CREATE TEMP TABLE merged AS SELECT {_KEYS[table]}, {sums} FROM temp.delta_{table} GROUP BY ALL"
        )
        same = " AND ".join(f"t.{k} IS NOT DISTINCT FROM d.{k}" for k in _KEYS[table].split(", "))
        added = ", ".join(f"{c} = t.{c} + d.{c}" for c in _SUMS[table])
        con.execute(f"UPDATE {table} AS t SET {added} FROM temp.merged AS d WHERE {same}")
        con.execute(
            f"INSERT INTO {table} SELECT d.* FROM temp.merged AS d "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {same})"
        )
        con.execute(f"DELETE FROM {table} WHERE {_SUMS[table][0]} = 0")
        con.execute(f"DROP TABLE temp.merged; DROP TABLE temp.delta_{table}")


# ---------------------------------------------------------------- reading


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
