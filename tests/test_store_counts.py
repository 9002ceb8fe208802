"""The store's count tables (geo.store.counts): the app's counts per filter state read them
instead of every mention; they must equal counting the mentions, after any incremental build."""

from __future__ import annotations

import os
import shutil

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from geo.settings import SEEDS_DIR
from geo.store import SCHEMA_VERSION, AtlasStore, build_store, counts, query
from geo.store.counts import recount

NEWS = "湖州南浔：古镇旅游人气旺\n\n本报讯 南浔区南浔镇、练市镇、善琏镇今年接待游客人数同比增长12.5%。\n"


@pytest.fixture
def built(tmp_path, settings, gazetteer):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    store = tmp_path / "atlas.duckdb"
    build_store([corpus], store, settings, gazetteer=gazetteer)
    return corpus, store


def _tables(store) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df()
            for t in ("place_dates", "county_dates", "county_articles")
        }
    finally:
        con.close()


def _recounted(store, tmp_path) -> dict[str, pd.DataFrame]:
    copy = tmp_path / "recount.duckdb"
    shutil.copyfile(store, copy)
    con = duckdb.connect(str(copy))
    recount(con)
    con.close()
    return _tables(copy)


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for t in a:
        assert a[t].reset_index(drop=True).equals(b[t].reset_index(drop=True)), t


SCOPES = (
    query.Scope(),
    query.Scope(levels=("township",)),
    query.Scope(levels=("county", "zone")),
    query.Scope(levels=()),
    query.Scope(dates=("2021-04-01", "2021-04-31"), undated=False),
    query.Scope(dates=("2024-01-01", "2024-06-31"), undated=True),
    query.Scope(levels=("village", "township"), dates=("2021-01-01", "2024-12-31"), undated=False),
)


def _frame(f: pd.DataFrame) -> pd.DataFrame:
    return f.sort_index().astype("int64")


def test_counts_from_the_tables_equal_counting_the_mentions(built):
    _, store = built
    s = AtlasStore(store)
    for scope in SCOPES:
        for key in ("county_id", "place_id"):
            got = query.place_counts(s, scope, key)
            want = query.scanned_counts(s, scope, key)
            assert _frame(got).equals(_frame(want)), (scope, key)
            if scope.levels is None and scope.dates is None:
                assert len(got) > 10


#: The count tables by their definitions, counted the plain way from every mention (a distinct
#: count, the mention's own file): what the build's grouped SQL must give, row for row.
_PLAIN = {
    "place_dates": "SELECT a.date, m.place_id, m.level, m.county_id, count(*), count(DISTINCT m.article_id), "
    "count(*) FILTER (WHERE m.in_org) FROM mentions m LEFT JOIN articles a USING (article_id) GROUP BY ALL",
    "county_dates": "SELECT date, county_id, levels, count(*) FROM (SELECT a.date, m.county_id, "
    "list_sort(list_distinct(list(m.level))) AS lv, (SELECT sum(b) FROM (SELECT unnest(["
    + ", ".join(
        f"CASE WHEN list_contains(lv, '{lv}') THEN {b} ELSE 0 END" for lv, b in counts.LEVEL_BITS.items()
    )
    + "]) AS b))::INTEGER AS levels FROM mentions m LEFT JOIN articles a USING (article_id) "
    f"WHERE m.county_id IS NOT NULL AND m.level IN {tuple(counts.LEVEL_BITS)} "
    "GROUP BY m.article_id, m.county_id, a.date) GROUP BY ALL",
    "county_articles": "SELECT m.county_id, m.level, m.article_id, m.file, a.date, count(*), min(m.seq) "
    "FROM mentions m LEFT JOIN articles a USING (article_id) WHERE m.county_id IS NOT NULL GROUP BY ALL",
}


def test_the_count_tables_are_their_definitions(built):
    """Every row of the three tables, as counted plainly: places' mentions and distinct articles
    per date, counties' articles per set of levels, a county's articles with their file and date."""
    _, store = built
    con = duckdb.connect(str(store), read_only=True)
    try:
        for table, plain in _PLAIN.items():
            got = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            assert got == con.execute(f"{plain} ORDER BY ALL").fetchall(), table
            assert len(got) > 10, table
    finally:
        con.close()


def test_incremental_builds_keep_the_tables_equal_to_a_recount(built, settings, gazetteer, tmp_path):
    corpus, store = built
    _same(_tables(store), _recounted(store, tmp_path))
    (corpus / "new.txt").write_text(NEWS, encoding="utf-8")
    assert build_store([corpus], store, settings, gazetteer=gazetteer).extracted == 1
    _same(_tables(store), _recounted(store, tmp_path))
    (corpus / "new.txt").write_text(NEWS.replace("练市镇、", ""), encoding="utf-8")
    assert build_store([corpus], store, settings, gazetteer=gazetteer).extracted == 1
    _same(_tables(store), _recounted(store, tmp_path))
    first = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))[0]
    first.unlink()
    os.remove(corpus / "new.txt")
    assert build_store([corpus], store, settings, gazetteer=gazetteer).removed == 2
    _same(_tables(store), _recounted(store, tmp_path))
    s = AtlasStore(store)
    for scope in SCOPES:
        for key in ("county_id", "place_id"):
            assert _frame(query.place_counts(s, scope, key)).equals(
                _frame(query.scanned_counts(s, scope, key))
            )


def test_counts_of_parts_summed_equal_the_count_of_every_mention(built, tmp_path):
    """A Dask build counts each part (whole files) on its worker and sums the parts' rows: the
    tables equal counting every mention, places named in both parts included."""
    _, store = built
    con = duckdb.connect(str(store), read_only=True)
    files = [f for (f,) in con.execute("SELECT file FROM documents ORDER BY file").fetchall()]
    sources: dict[str, list[str]] = {t: [] for t in counts.PART_TABLES}
    rows = 0
    for n, chosen in enumerate((files[:2], files[2:])):
        pick = f"WHERE file IN ({', '.join(repr(f) for f in chosen)})"
        m = con.sql(f"SELECT * FROM mentions {pick}").to_arrow_table()
        a = con.sql(f"SELECT * FROM articles {pick}").to_arrow_table()
        for table, part in counts.part_counts(m, a).items():
            sources[table].append(str(tmp_path / f"{table}-{n}.parquet"))
            pq.write_table(part, sources[table][-1])
            rows += part.num_rows if table == "place_dates" else 0
    con.close()
    summed = tmp_path / "summed.duckdb"
    con = duckdb.connect(str(summed))
    counts.create(con)
    counts.add_parts(con, sources)
    con.close()
    _same(_tables(summed), _tables(store))
    assert rows > len(_tables(store)["place_dates"]), "some place and date lie in both parts"


def test_a_store_of_schema_2_gets_its_count_tables_without_re_extraction(
    built, settings, gazetteer, tmp_path
):
    corpus, store = built
    want = _tables(store)
    con = duckdb.connect(str(store))
    con.execute("DROP TABLE place_dates; DROP TABLE county_dates; DROP TABLE county_articles")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    report = build_store([corpus], store, settings, gazetteer=gazetteer)
    assert report.extracted == 0 and any("brought up to schema" in n for n in report.notes)
    assert AtlasStore(store).meta["schema_version"] == str(SCHEMA_VERSION)
    _same(_tables(store), want)


def test_the_apps_metrics_through_arrow_equal_the_plain_read(built):
    _, store = built
    s = AtlasStore(store)
    files = tuple(query.options(s)["files"]["file"][:2])
    for scope in (*SCOPES, query.Scope(files=files), query.Scope(periods=("2023",))):
        plain = query.scoped_metrics(s, scope)
        arrow = query.scoped_metrics(s, scope, via_arrow=True)
        assert list(plain.dtypes) == list(arrow.dtypes), scope
        assert plain.equals(arrow), scope
        assert len(plain) or scope.dates or scope.periods


def test_a_places_metric_rows_read_on_click_are_its_rows_of_the_scope(built):
    """The side panel reads a clicked place's metric rows from the store (the app no longer holds
    the scope's rows with their evidence): the same rows, in the same order, as in the scope (a
    column without a value in the place's rows arrives as None instead of NaN)."""
    _, store = built
    s = AtlasStore(store)
    for scope in (*SCOPES, query.Scope(periods=("2023",))):
        every = query.scoped_metrics(s, scope, via_arrow=True)
        for pid in every["place_id"].dropna().unique()[:5]:
            mine = query.scoped_metrics(s, scope, via_arrow=True, place_id=pid)
            want = every[every["place_id"] == pid].reset_index(drop=True)
            assert len(want), (scope, pid)
            assert _cells(mine) == _cells(want), (scope, pid)


def _cells(frame: pd.DataFrame) -> list[tuple]:
    """The rows as the panel shows them: a missing cell is missing, whether None or NaN."""
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]
