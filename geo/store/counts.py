"""Count tables, written: the mentions counted per place at build time, so the app's counts per
filter state read thousands of rows instead of every mention (22.8 M on a 1 GB corpus: 3 s a
query). Reading them is :mod:`geo.store.count_reads`.

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
from typing import TYPE_CHECKING

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
    "SELECT g.county_id, g.level, g.article_id, a.file, a.date, g.mentions, g.first_seq FROM ("
    "  SELECT m.county_id, m.level, m.article_id, count(*) AS mentions, min(m.seq) AS first_seq "
    "  FROM mentions m WHERE m.county_id IS NOT NULL AND {files} GROUP BY ALL) g "
    "LEFT JOIN articles a ON a.article_id = g.article_id"
)  # (grouped first, then the article's file and date joined: 7.6 → 2.9 CPU-s of a 1 GB recount)
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
        # rows (a count(DISTINCT) took 13.7 CPU-s of a 1 GB corpus's recount, this 8.9); the
        # article's date is joined to those groups, not to every mention (an article has one date)
        "place_dates": (
            "SELECT a.date, g.place_id, g.level, g.county_id, sum(g.n)::BIGINT AS mentions, "
            "count(*) AS articles, sum(g.o)::BIGINT AS in_org_mentions FROM ("
            "  SELECT m.article_id, m.place_id, m.level, m.county_id, count(*) AS n, "
            f"  count(*) FILTER (WHERE m.in_org) AS o FROM mentions m WHERE {files_sql} GROUP BY ALL) g "
            "LEFT JOIN articles a ON a.article_id = g.article_id "
            "GROUP BY a.date, g.place_id, g.level, g.county_id"
        ),
        "county_dates": (
            "SELECT a.date, g.county_id, g.levels, count(*) AS articles FROM ("
            f"  SELECT m.article_id, m.county_id, bit_or({_BIT_SQL})::INTEGER AS levels FROM mentions m "
            f"  WHERE m.county_id IS NOT NULL AND m.level IN ({', '.join(repr(x) for x in ROLLUP_LEVELS)}) "
            f"  AND {files_sql} GROUP BY m.article_id, m.county_id) g "
            "LEFT JOIN articles a ON a.article_id = g.article_id GROUP BY ALL"
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
