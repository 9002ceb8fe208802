"""The atlas store: built once, incrementally, atomically; read by exports and the app."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from geo.errors import StoreBusyError, StoreError
from geo.export import export_corpus, export_layers
from geo.jsonl import frame_to_jsonl
from geo.settings import SEEDS_DIR
from geo.store import SCHEMA_VERSION, AtlasStore, build_store
from geo.store.build import build_lock

NEWS = """湖州南浔：古镇旅游人气旺

记者 王晓东

本报讯 南浔区南浔镇今年接待游客人数同比增长12.5%。练市镇、善琏镇的企业代表参加了座谈。
"""


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, folder)
    return folder


@pytest.fixture
def built(corpus, tmp_path, settings, gazetteer):
    store = tmp_path / "atlas.duckdb"
    build_store([corpus], store, settings, gazetteer=gazetteer)
    return corpus, store


def _counts(store: Path) -> tuple[int, int, int]:
    x = AtlasStore(store).extraction()
    return len(x.articles), len(x.mentions), len(x.documents)


def test_exports_from_the_store_equal_exports_from_the_folder(built, settings, gazetteer):
    corpus, store = built
    x = AtlasStore(store).extraction()
    for layer, fmt in [("both", "geojson"), ("points", "csv"), ("mentions", "parquet"), ("metrics", "csv")]:
        direct, extraction = export_corpus([corpus], layer, fmt, settings)
        stored = export_layers(
            x, gazetteer, layer, fmt, home_province=settings.home_province, settings=settings
        )
        assert stored == direct, (layer, fmt)
    for table in ("articles", "mentions", "metrics"):
        assert frame_to_jsonl(getattr(x, table)) == frame_to_jsonl(getattr(extraction, table))


def test_incremental_build_adds_changes_and_removes_files(built, settings, gazetteer):
    corpus, store = built
    articles, mentions, docs = _counts(store)
    again = build_store([corpus], store, settings, gazetteer=gazetteer)
    assert (again.extracted, again.unchanged) == (0, 5)

    (corpus / "new.txt").write_text(NEWS, encoding="utf-8")
    added = build_store([corpus], store, settings, gazetteer=gazetteer)
    assert (added.extracted, added.unchanged) == (1, 5)
    x = AtlasStore(store).extraction()
    assert len(x.documents) == docs + 1
    assert {"南浔镇", "练市镇", "善琏镇"} <= set(x.mentions.loc[x.mentions["file"] == "new.txt", "name"])

    (corpus / "new.txt").write_text(NEWS.replace("练市镇、", ""), encoding="utf-8")
    changed = build_store([corpus], store, settings, gazetteer=gazetteer)
    assert changed.extracted == 1
    names = set(AtlasStore(store).extraction().mentions.query("file == 'new.txt'")["name"])
    assert "练市镇" not in names and "善琏镇" in names

    os.utime(corpus / "new.txt")  # touched, same content: hashed, not re-extracted
    assert build_store([corpus], store, settings, gazetteer=gazetteer).extracted == 0

    (corpus / "new.txt").unlink()
    removed = build_store([corpus], store, settings, gazetteer=gazetteer)
    assert removed.removed == 1
    assert _counts(store) == (articles, mentions, docs)


def test_a_changed_gazetteer_reresolves_everything_and_says_so(built, settings, gazetteer):
    corpus, store = built
    report = build_store([corpus], store, settings.with_(home_province="江苏省"), gazetteer=gazetteer)
    assert report.extracted == 5
    assert any("re-resolving all 5 documents" in n for n in report.notes)


def _indexes(store: Path) -> set[str]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    finally:
        con.close()


def test_a_full_load_builds_its_index_afterwards_and_old_unused_ones_go(built, settings, gazetteer, tmp_path):
    corpus, store = built
    assert _indexes(store) == {"articles_id"}  # built once the rows were in
    con = duckdb.connect(str(store))  # a store of an earlier version: an index no query uses
    con.execute("CREATE INDEX mentions_place ON mentions (place_id)")
    con.close()
    (corpus / "new.txt").write_text(NEWS, encoding="utf-8")
    assert build_store([corpus], store, settings, gazetteer=gazetteer).extracted == 1
    assert _indexes(store) == {"articles_id"}
    jiangsu = settings.with_(home_province="江苏省")
    assert build_store([corpus], store, jiangsu, gazetteer=gazetteer).extracted == 6  # re-resolved
    fresh = tmp_path / "fresh.duckdb"
    build_store([corpus], fresh, jiangsu, gazetteer=gazetteer)
    assert _indexes(store) == _indexes(fresh) == {"articles_id"}
    old, new = AtlasStore(store).extraction(), AtlasStore(fresh).extraction()
    for table in ("articles", "mentions", "metrics"):
        assert frame_to_jsonl(getattr(old, table)) == frame_to_jsonl(getattr(new, table))
    article = old.articles.loc[old.articles["file"] == "new.txt", "article_id"].iloc[0]
    assert AtlasStore(store).article_text(article)[3] == "new.txt"


def test_schema_mismatch_corrupt_and_foreign_files_are_clear_errors(built, tmp_path):
    _, store = built
    con = duckdb.connect(str(store))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="--rebuild"):
        AtlasStore(store)
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a readable atlas store"):
        AtlasStore(garbage)
    with pytest.raises(StoreError, match="no atlas store"):
        AtlasStore(tmp_path / "missing.duckdb")


def test_a_build_rebuilds_a_store_of_another_schema_and_says_so(built, settings, gazetteer):
    corpus, store = built
    con = duckdb.connect(str(store))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="--rebuild"):
        AtlasStore(store)  # reading says what to do
    report = build_store([corpus], store, settings, gazetteer=gazetteer)  # building does it
    assert report.extracted == 5 and any("store schema 0" in n for n in report.notes)
    assert AtlasStore(store).meta["schema_version"] == str(SCHEMA_VERSION)


def test_article_text_is_read_from_the_file_and_checked(built):
    corpus, store = built
    s = AtlasStore(store)
    article_id, file = s.query("SELECT article_id, file FROM articles LIMIT 1").iloc[0]
    text, start, end, got_file = s.article_text(article_id)
    assert got_file == file and text[start:end]
    (corpus / file).write_text("改过了", encoding="utf-8")
    with pytest.raises(StoreError, match="changed since the store was built"):
        s.article_text(article_id)
    (corpus / file).unlink()
    with pytest.raises(StoreError, match="corpus moved"):
        s.article_text(article_id)


def test_a_second_build_refuses_while_one_runs(built, settings):
    corpus, store = built
    with build_lock(store), pytest.raises(StoreBusyError, match="another build is writing"):
        build_store([corpus], store, settings)


def test_a_read_only_location_is_a_clear_error(corpus, tmp_path, settings, gazetteer):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="writable"):
            build_store([corpus], folder / "atlas.duckdb", settings, gazetteer=gazetteer)
    finally:
        folder.chmod(0o755)


def test_a_folder_as_store_is_a_clear_error(corpus, tmp_path, settings):
    with pytest.raises(StoreError, match="is a folder"):
        build_store([corpus], tmp_path, settings)


def test_readers_see_the_old_or_the_new_store_during_a_build(built, settings, gazetteer):
    corpus, store = built
    (corpus / "new.txt").write_text(NEWS, encoding="utf-8")
    seen: list[int] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(len(AtlasStore(store).query("SELECT file FROM documents")))
            except Exception as e:
                errors.append(e)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        build_store([corpus], store, settings, gazetteer=gazetteer)
        time.sleep(0.2)
    finally:
        stop.set()
        reader.join()
    assert errors == [] and set(seen) <= {5, 6} and seen[-1] == 6


@pytest.mark.slow
def test_sigkill_during_a_build_leaves_the_old_store_and_the_next_build_recovers(built, tmp_path):
    corpus, store = built
    big = corpus / "more"
    big.mkdir()
    for i in range(60):
        (big / f"n{i:03d}.txt").write_text(NEWS * 40 + f"\n第{i}篇\n", encoding="utf-8")
    before = _counts(store)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    cmd = [sys.executable, "-m", "geo", "build", str(corpus), "--store", str(store), "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(store.parent.glob(store.name + ".building-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _counts(store) == before  # the old store, whole
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "interrupted build" in done.stderr
    assert _counts(store)[2] == before[2] + 60
    assert not list(store.parent.glob(store.name + ".building-*"))


def test_cli_build_then_export_from_the_store(tmp_path, settings):
    store = tmp_path / "seeds.duckdb"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run(
        [sys.executable, "-m", "geo", "build", str(SEEDS_DIR), "--store", str(store), "--quiet"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "5 extracted" in run.stdout
    out = tmp_path / "c.geojson"
    subprocess.run(
        [sys.executable, "-m", "geo", "export", "--store", str(store), "--layer", "county",
         "--format", "geojson", "--out", str(out)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    direct, _ = export_corpus([SEEDS_DIR], "county", "geojson", settings)
    assert out.read_bytes() == direct


def test_layers_from_store_queries_equal_layers_from_memory(built, settings, gazetteer):
    """The app's map comes from SQL counts; it must show what the in-memory layers show."""
    from geo.appkit import Filters, subset
    from geo.layers import county_layer, point_layer
    from geo.store import query

    _, store = built
    s = AtlasStore(store)
    x = s.extraction()
    for scope in (
        query.Scope(),
        query.Scope(levels=("township", "zone")),
        query.Scope(files=(x.articles["file"][0],)),
    ):
        sub = subset(x.mentions, x.metrics, x.articles, Filters(scope.levels, scope.files, scope.periods))
        metrics = query.scoped_metrics(s, scope)
        from_sql = county_layer(
            gazetteer, None, None, metrics, home_province=settings.home_province,
            counts=query.place_counts(s, scope, "county_id"), n_articles=query.article_count(s, scope),
        )  # fmt: skip
        in_memory = county_layer(gazetteer, sub.mentions, sub.articles, sub.metrics, settings.home_province)
        assert from_sql.drop(columns="geometry").equals(in_memory.drop(columns="geometry"))
        points_sql = point_layer(
            gazetteer, None, metrics, counts=query.place_counts(s, scope, "place_id"),
            first_mentions=lambda ids: query.first_mentions(s, ids),
        )  # fmt: skip
        points_mem = point_layer(gazetteer, sub.mentions, sub.metrics)
        assert points_sql.drop(columns="geometry").equals(points_mem.drop(columns="geometry"))
        assert query.totals(s, scope)["mentions"] == len(sub.mentions)


def test_a_date_range_drives_counts_layers_and_downloads(built, settings, gazetteer):
    """Seed 004 is the April 2021 issue; the news pages are dated 2024 by their documents."""
    from geo.store import query

    _, store = built
    s = AtlasStore(store)
    every = query.totals(s, query.Scope())
    april = query.Scope(dates=("2021-04-01", "2021-04-31"), undated=False)
    only = query.totals(s, april)
    assert 0 < only["articles"] < every["articles"] and 0 < only["mentions"] < every["mentions"]
    assert only["documents"] == 1
    sub = query.scoped_extraction(s, april)
    assert len(sub.mentions) == only["mentions"] and len(sub.articles) == only["articles"]
    assert set(sub.articles["date"].str[:7]) == {"2021-04"}
    counts = query.place_counts(s, april, "county_id")
    assert int(counts["mentions"].sum()) < int(
        query.place_counts(s, query.Scope(), "county_id")["mentions"].sum()
    )
    timeline = query.place_timeline(s, "330114", query.Scope())  # 钱塘区
    assert "2021-04" in set(timeline["month"])


def test_on_demand_stores_go_where_the_user_says(tmp_path):
    """A typed folder's store (and uploads) land under ATLAS_STORES_DIR, else under the cache; the
    configured corpus uses ATLAS_STORE."""
    from geo.settings import load_settings
    from geo.store import default_store_path

    env = {"ATLAS_CACHE_DIR": str(tmp_path / "cache")}
    news = tmp_path / "news"
    in_cache = default_store_path(news, load_settings(env))
    assert in_cache.parent == tmp_path / "cache" / "stores" and in_cache.name.startswith("news-")
    big_disk = load_settings({**env, "ATLAS_STORES_DIR": str(tmp_path / "big")})
    assert default_store_path(news, big_disk).parent == tmp_path / "big"
    chosen = load_settings({**env, "ATLAS_STORE": str(tmp_path / "a.duckdb"), "ATLAS_CORPUS": str(news)})
    assert default_store_path(news, chosen) == tmp_path / "a.duckdb"


def test_a_clicked_place_in_one_pass_equals_its_separate_queries(built):
    """The app's click (query.place_panel: one pass, on a kept-open connection) answers what
    place_summary, place_timeline and top_articles answer, for counties, towns, cities, filters."""
    from geo.store import query
    from geo.store.panel import PANEL_COLUMNS

    _, store = built
    s = AtlasStore(store, keep_open=True)
    files = tuple(query.options(s)["files"]["file"][:1])
    scopes = (
        query.Scope(),
        query.Scope(levels=("township",)),
        query.Scope(files=files),
        query.Scope(dates=("2021-04-01", "2021-04-30"), undated=False),
    )
    for pid in ("330109", "330109101", "330114001", "3301", "no-such-place"):
        for scope in scopes:
            summary, timeline, top = query.place_panel(s, pid, scope, 3)
            assert summary == query.place_summary(s, pid, scope)
            assert timeline.equals(query.place_timeline(s, pid, scope))
            want = query.top_articles(s, pid, scope, 3)[list(PANEL_COLUMNS)]
            assert (top.empty and want.empty) or top.equals(want), (pid, scope)
    with s.connect() as con:  # the temporary table is gone, the connection is kept
        assert con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'atlas_place'"
        ).fetchone() == (0,)
    assert len(s._idle) >= 1


def test_a_kept_open_store_never_hides_the_file_that_replaced_it(built, tmp_path):
    """The app keeps connections open: a store file replaced by a build (a rename) must be read
    anew by the next AtlasStore, while the kept connection goes on reading its own version."""
    import shutil

    import duckdb

    _, store = built
    old = AtlasStore(store, keep_open=True)
    n = int(old.query("SELECT count(*) AS n FROM documents")["n"][0])
    copy = tmp_path / "next.duckdb"
    shutil.copy(store, copy)
    con = duckdb.connect(str(copy))
    con.execute("DELETE FROM documents WHERE file = (SELECT min(file) FROM documents)")
    con.close()
    copy.replace(store)  # what a build does
    assert (
        int(AtlasStore(store, keep_open=True).query("SELECT count(*) AS n FROM documents")["n"][0]) == n - 1
    )
    assert int(old.query("SELECT count(*) AS n FROM documents")["n"][0]) == n


def test_first_mentions_are_each_places_first_in_corpus_order(built):
    """The coordinate of a place the gazetteer lacks comes from its first mention: the store's
    query gives, for every place, the same row as the first one in the extraction's order."""
    from geo.store import query

    _, store = built
    s = AtlasStore(store)
    m = s.extraction().mentions
    m = m[m["place_id"].notna()].assign(place_id=m["place_id"].astype(str))
    ids = sorted(set(m["place_id"]))
    expected = m.drop_duplicates("place_id").set_index("place_id").sort_index()
    got = query.first_mentions(s, ids).assign(place_id=lambda f: f["place_id"].astype(str))
    got = got.set_index("place_id").sort_index()
    assert list(got.index) == ids
    for col in ("article_id", "start", "text", "lon", "lat"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    assert query.first_mentions(s, []).empty
