"""A clicked place's side panel from the store: its counts, its mentions per month and the
mentions in its top articles, in a few cheap queries (see :func:`place_panel`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.store import count_reads
from geo.store.read import AtlasStore
from geo.store.scope import Scope, mention_where
from geo.store.tables import q

#: The mention columns a place's panel uses (its snippets: where each mention of it is): reading
#: every column of the top articles' rows costs 3× as much on a large store.
PANEL_COLUMNS = ("article_id", "file", "start", "end", "place_id", "county_id")


def place_panel(
    store: AtlasStore, place_id: str, scope: Scope, limit: int
) -> tuple[dict[str, int], pd.DataFrame, pd.DataFrame]:
    """What a click on a place shows: (:func:`place_summary`, :func:`place_timeline`,
    :func:`top_articles`: the :data:`PANEL_COLUMNS` of its rows), the same results. The counts
    and months come from the count tables (:func:`geo.store.count_reads.place_panel_counts`), a county's
    articles are ranked from ``county_articles`` (another place's by one pass over the mentions),
    and the rows are read for its ``limit`` top articles alone,
    found by their documents (the table's zone maps skip every other document). A filter on
    documents, or a place the tables cannot count exactly, takes the mentions' own pass
    (:func:`_scanned_panel`)."""
    with store.connect() as con:
        fast = None
        if not scope.files:
            fast = count_reads.place_panel_counts(con, place_id, scope.levels, scope.dates, scope.undated)
        if fast is None:
            return _scanned_panel(con, place_id, scope, limit)
        summary, timeline, county = fast
        params: list[Any] = [place_id] if county else [place_id, place_id]
        mine_sql = "m.county_id = ?" if county else "(m.place_id = ? OR m.county_id = ?)"
        where = mention_where(scope, params)
        if county:
            top = count_reads.county_top_articles(
                con, place_id, scope.levels, scope.dates, scope.undated, limit
            )
        else:
            top = con.execute(
                "WITH g AS (SELECT m.article_id, any_value(m.file) AS file, count(*) AS n, min(m.seq) AS s "
                f"FROM mentions m WHERE {mine_sql} AND {where} GROUP BY m.article_id) "
                "SELECT g.article_id, g.file FROM g JOIN documents d ON d.file = g.file "
                f"ORDER BY g.n DESC, d.doc_order * 1000000 + g.s LIMIT {int(limit)}",
                params,
            ).fetchall()
        mine = pd.DataFrame(columns=list(PANEL_COLUMNS))
        if top:
            ids = [r[0] for r in top]
            files = sorted({r[1] for r in top})
            cols = ", ".join(f"m.{q(c)}" for c in PANEL_COLUMNS)
            in_files, in_ids = ", ".join("?" * len(files)), ", ".join("?" * len(ids))
            mine = con.execute(
                f"SELECT {cols} FROM mentions m JOIN documents d ON d.file = m.file "
                f"WHERE m.file IN ({in_files}) AND m.article_id IN ({in_ids}) "
                f"AND {mine_sql} AND {where} ORDER BY d.doc_order, m.seq",
                [*files, *ids, *params],
            ).df()
    return summary, timeline, mine


def _scanned_panel(
    con: Any, place_id: str, scope: Scope, limit: int
) -> tuple[dict[str, int], pd.DataFrame, pd.DataFrame]:
    """:func:`place_panel` from one pass over the mentions: the place's mentions (ids and order
    only) go into a temporary table on the connection; the full rows are read for its ``limit``
    top articles alone."""
    params: list[Any] = [place_id, place_id]
    where = mention_where(scope, params)
    cols = ", ".join(f"m.{q(c)}" for c in PANEL_COLUMNS)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE atlas_place AS SELECT m.rowid AS rid, m.article_id, m.place_id, "
        "d.doc_order * 1000000 + m.seq AS pos FROM mentions m JOIN documents d ON d.file = m.file "
        f"WHERE (m.place_id = ? OR m.county_id = ?) AND {where}",
        params,
    )
    try:
        row = con.execute(
            "SELECT count(*), count(DISTINCT article_id), count(*) FILTER (WHERE place_id = ?), "
            "count(DISTINCT article_id) FILTER (WHERE place_id = ?) FROM temp.atlas_place",
            [place_id, place_id],
        ).fetchone()
        timeline = con.execute(
            "SELECT CASE WHEN length(a.date) >= 7 THEN substr(a.date, 1, 7) ELSE a.date END AS month, "
            "count(*) AS mentions, count(DISTINCT m.article_id) AS articles "
            "FROM temp.atlas_place m JOIN articles a ON a.article_id = m.article_id "
            "WHERE a.date IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).df()
        top = [
            r[0]
            for r in con.execute(
                "SELECT article_id, count(*) AS n, min(pos) AS first FROM temp.atlas_place "
                f"GROUP BY article_id ORDER BY n DESC, first LIMIT {int(limit)}"
            ).fetchall()
        ]
        mine = pd.DataFrame(columns=list(PANEL_COLUMNS))
        if top:
            # the rows by their row ids (same connection, same snapshot): a filter on
            # article_id would read every column of every mention (1 s on a 1 GB store)
            ids = ", ".join("?" * len(top))
            mine = con.execute(
                f"SELECT {cols} FROM mentions m JOIN documents d ON d.file = m.file "
                f"WHERE m.rowid IN (SELECT rid FROM temp.atlas_place WHERE article_id IN ({ids})) "
                "ORDER BY d.doc_order, m.seq",
                top,
            ).df()
    finally:
        con.execute("DROP TABLE IF EXISTS temp.atlas_place")
    keys = ("total", "total_articles", "own", "own_articles")
    summary = {k: int(v) for k, v in zip(keys, row or (0, 0, 0, 0))}
    return summary, timeline, mine
