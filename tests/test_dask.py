"""The Dask engine: the same store as the local engine, on a LocalCluster and on a real scheduler
with workers (one of them killed mid-build), and clear errors when the cluster is not there."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from geo.errors import EngineError
from geo.jsonl import frame_to_jsonl
from geo.settings import PROJECT_DIR, SEEDS_DIR
from geo.store import AtlasStore, build_store
from geo.store import partitions as pt
from geo.store.extract import Todo

pytest.importorskip("distributed")

from distributed import Client, LocalCluster

from geo.store.dask_engine import DaskEngine

ENV = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
TABLES = ("articles", "mentions", "metrics", "documents", "place_dates", "county_dates", "county_articles")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _differences(a: Path, b: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: (rows in a, rows only in a, rows only in b), every column but mtime_ns compared
    (EXCEPT ALL: a duplicated row counts)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY); ATTACH '{b}' AS b (READ_ONLY)")
    out = {}
    for t in TABLES:
        cols = "* EXCLUDE (mtime_ns)" if t == "documents" else "*"
        only_a = f"SELECT count(*) FROM (SELECT {cols} FROM a.{t} EXCEPT ALL SELECT {cols} FROM b.{t})"
        only_b = f"SELECT count(*) FROM (SELECT {cols} FROM b.{t} EXCEPT ALL SELECT {cols} FROM a.{t})"
        n = con.execute(f"SELECT count(*) FROM a.{t}").fetchone()[0]
        out[t] = (n, con.execute(only_a).fetchone()[0], con.execute(only_b).fetchone()[0])
    con.close()
    return out


@pytest.fixture(scope="module")
def local_seeds(tmp_path_factory, settings, gazetteer):
    store = tmp_path_factory.mktemp("local") / "seeds.duckdb"
    build_store([SEEDS_DIR], store, settings, gazetteer=gazetteer)
    return store


@pytest.fixture
def threads_engine():
    """A cluster in this process (worker threads): fast, and monkeypatches reach its tasks."""
    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
    with DaskEngine(Client(cluster, set_as_default=False), cluster, part_mb=0.05) as engine:
        yield engine


def test_parts_are_file_lists_of_a_few_megabytes():
    todo = [
        Todo(i, f"f{i}.txt", Path(f"/c/f{i}.txt"), size, 0, None) for i, size in enumerate([3, 3, 3, 9, 1])
    ]
    parts = pt.plan_parts(todo, part_bytes=6)
    assert [[f for f, _ in p.files] for p in parts] == [
        ["f0.txt", "f1.txt"],
        ["f2.txt"],
        ["f3.txt"],
        ["f4.txt"],
    ]
    assert [p.nbytes for p in parts] == [6, 3, 9, 1] and [p.number for p in parts] == [0, 1, 2, 3]


def test_the_last_megabytes_are_cut_finer_so_no_worker_waits_long_at_the_end():
    todo = [Todo(i, f"f{i}.txt", Path(f"/c/f{i}.txt"), 1, 0, None) for i in range(24)]
    parts = pt.plan_parts(todo, part_bytes=8, tail_bytes=8)
    assert [p.nbytes for p in parts] == [8, 8, 2, 2, 2, 2]  # the last 8 bytes in quarters
    assert [f for p in parts for f, _ in p.files] == [t.file for t in todo]  # every file once, in order


def test_seeds_on_an_in_process_cluster_equal_the_local_build(
    tmp_path, threads_engine, settings, local_seeds
):
    store = tmp_path / "dask.duckdb"
    report = build_store([SEEDS_DIR], store, settings, engine=threads_engine)
    assert (report.extracted, report.engine) == (5, "dask") and report.skipped == []
    assert threads_engine.stats["tasks"] > 1  # part_mb=0.05: the seeds span several tasks
    diff = _differences(local_seeds, store)
    assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), diff
    assert not list(tmp_path.glob("*.parts")), "the Parquet parts are removed after the load"
    again = build_store([SEEDS_DIR], store, settings, engine=threads_engine)
    assert (again.extracted, again.unchanged) == (0, 5)  # incremental, as with the local engine


def test_incremental_builds_after_a_dask_build_keep_the_counts_equal_to_a_fresh_count(
    tmp_path, threads_engine, settings, gazetteer
):
    """The count tables of a Dask build are summed from its parts; a file changed afterwards is
    re-counted by the local engine (from its mentions) or by Dask (its part's counts, merged into
    the tables), or every file by Dask after the gazetteer changed (the tables emptied, then the
    parts' sums): each time the store equals a fresh local build of the corpus as it now is."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    store = tmp_path / "dask.duckdb"
    build_store([corpus], store, settings, engine=threads_engine)
    first, second = sorted(corpus.iterdir())[:2]
    for i, (changed, engine) in enumerate(((first, None), (second, threads_engine))):
        text = changed.read_text(encoding="utf-8")
        changed.write_text(
            text + "\n\n湖州南浔：古镇旅游人气旺\n\n本报讯 南浔区练市镇、善琏镇游客增长。\n", "utf-8"
        )
        report = build_store([corpus], store, settings, gazetteer=gazetteer, engine=engine)
        assert (report.extracted, report.unchanged) == (1, 4)
        fresh = tmp_path / f"fresh-{i}.duckdb"
        build_store([corpus], fresh, settings, gazetteer=gazetteer)
        diff = _differences(fresh, store)
        assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), (changed.name, diff)
        assert diff["county_articles"][0] > 100
    con = duckdb.connect(str(store))  # the gazetteer changed: every document re-resolved on Dask
    con.execute("UPDATE meta SET value = 'an older gazetteer' WHERE key = 'fingerprint'")
    con.close()
    first.write_text(first.read_text(encoding="utf-8") + "\n\n本报讯 南浔镇又一新闻。\n", "utf-8")
    report = build_store([corpus], store, settings, engine=threads_engine)
    assert report.extracted == 5 and any("re-resolving all 5 documents" in n for n in report.notes)
    build_store([corpus], fresh, settings, gazetteer=gazetteer)
    diff = _differences(fresh, store)
    assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), diff


@pytest.mark.slow
def test_a_shared_fsspec_url_carries_the_parts(tmp_path, settings, local_seeds):
    """--shared may be an fsspec URL (s3://… on a real cluster): here memory://, which the
    in-process workers and the client share."""
    import fsspec

    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
    client = Client(cluster, set_as_default=False)
    with DaskEngine(client, cluster, shared="memory://atlas-test", part_mb=0.05) as engine:
        store = tmp_path / "dask.duckdb"
        build_store([SEEDS_DIR], store, settings, engine=engine)
    diff = _differences(local_seeds, store)
    assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), diff
    assert fsspec.filesystem("memory").find("/atlas-test") == []  # the build's folder is removed


def test_a_document_that_fails_on_a_worker_is_skipped_with_its_reason(
    tmp_path, threads_engine, settings, gazetteer, monkeypatch
):
    import geo.pipeline

    real = geo.pipeline.parse_document

    def flaky(doc, gp, articles=None):
        if doc.file.startswith("002_"):
            raise RuntimeError("boom in the resolver")
        return real(doc, gp, articles)

    monkeypatch.setattr(geo.pipeline, "parse_document", flaky)
    stores = {}
    for name, engine in (("dask", threads_engine), ("local", None)):
        stores[name] = tmp_path / f"{name}.duckdb"
        report = build_store([SEEDS_DIR], stores[name], settings, gazetteer=gazetteer, engine=engine)
        assert report.extracted == 4
        assert [(s.file[:4], s.reason) for s in report.skipped] == [
            ("002_", "extraction failed: RuntimeError: boom in the resolver")
        ]
    docs = AtlasStore(stores["dask"]).query("SELECT file, skipped_reason FROM documents ORDER BY file")
    assert docs["skipped_reason"].notna().sum() == 1
    assert (
        docs.loc[docs["file"].str.startswith("002_"), "skipped_reason"].item().startswith("extraction failed")
    )
    diff = _differences(stores["local"], stores["dask"])
    assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), diff


def test_an_unreachable_scheduler_is_a_clear_error_within_seconds(tmp_path, monkeypatch, capsys):
    from geo.cli import main

    monkeypatch.setenv("ATLAS_DASK_TIMEOUT", "2")
    address = f"tcp://127.0.0.1:{_free_port()}"
    t0 = time.monotonic()
    rc = main(["build", str(SEEDS_DIR), "--store", str(tmp_path / "s.duckdb"), "--scheduler", address])
    assert rc == 1 and time.monotonic() - t0 < 8
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot reach the Dask scheduler at {address} within 2 s")
    assert "dask scheduler" in err and not (tmp_path / "s.duckdb").exists()


def test_parts_the_build_machine_cannot_see_are_a_clear_error(
    tmp_path, threads_engine, settings, monkeypatch
):
    """Workers writing to their own disk (a --shared path that is not shared): the build names the
    problem, and leaves the store as it was (here: not created)."""
    real = pt.write_bytes
    monkeypatch.setattr(pt, "write_bytes", lambda url, data: None if "/parts/" in url else real(url, data))
    store = tmp_path / "dask.duckdb"
    with pytest.raises(EngineError, match="cannot read the Parquet parts the workers wrote"):
        build_store([SEEDS_DIR], store, settings, engine=threads_engine)
    assert not store.exists() and not list(tmp_path.glob("dask.duckdb.building-*"))


def test_a_corpus_the_worker_cannot_see_is_named(tmp_path):
    part = pt.Part(0, (("a.txt", str(tmp_path / "not-mounted" / "a.txt")),), 10)
    snap = pt.Snapshot(str(tmp_path / "gz"), "k", "浙江省")
    with pytest.raises(EngineError, match=r"cannot see the corpus folder .*not-mounted: the corpus must be"):
        pt.run_part(part, str(tmp_path), snap)


def test_a_shared_path_the_workers_cannot_read_is_named(tmp_path, settings, gazetteer):
    snap = pt.write_snapshot(
        *pt.snapshot_bytes(settings, gazetteer), str(tmp_path / "gz"), settings.home_province
    )
    shutil.rmtree(tmp_path / "gz")
    with pytest.raises(EngineError, match=r"shared path .* must be one every worker can read"):
        pt.read_snapshot(snap)


def test_the_worker_loads_the_cached_geoparser_the_local_engine_uses(tmp_path, settings):
    """No explicit gazetteer: the snapshot is the compact cache file itself, loaded in a fraction
    of a second; another Python or daachorse on the worker is refused with both versions named."""
    from geo.geoparse.cache import cache_file

    key, data = pt.snapshot_bytes(settings, None)
    assert data == cache_file(settings).read_bytes()
    snap = pt.write_snapshot(key, data, str(tmp_path / "gz"), settings.home_province)
    gp = pt.read_snapshot(snap)
    assert len(gp.matcher.entries) > 50_000 and gp.home_province
    with pytest.raises(EngineError, match=r"runs python .* the build machine python 2\.7, daachorse 0"):
        pt.read_snapshot(snap._replace(runtime="python 2.7, daachorse 0"))
    with pytest.raises(EngineError, match=r"is not this build's"):
        pt.read_snapshot(snap._replace(key="another"))


@pytest.mark.slow
def test_seeds_on_a_local_cluster_of_two_processes_equal_the_local_build(tmp_path, local_seeds):
    """Through the command line, as a user runs it: exported JSON Lines and documents equal."""
    store = tmp_path / "dask.duckdb"
    cmd = [sys.executable, "-m", "geo", "build", str(SEEDS_DIR), "--store", str(store), "--engine", "dask"]
    run = subprocess.run(
        [*cmd, "--workers", "2", "--quiet"], env={**ENV, "ATLAS_DASK_PART_MB": "0.05"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "dask: local cluster tcp://127.0.0.1:" in run.stderr and "2 workers" in run.stderr
    assert "dashboard http://" in run.stderr and "5 extracted" in run.stdout
    a, b = AtlasStore(local_seeds).extraction(), AtlasStore(store).extraction()
    for table in ("articles", "mentions", "metrics"):
        assert frame_to_jsonl(getattr(b, table)) == frame_to_jsonl(getattr(a, table)), table
    assert (b.documents, b.skipped) == (a.documents, a.skipped)
    cols = "file, sha256, size, encoding, chars, articles, skipped_reason, doc_order"
    query = f"SELECT {cols} FROM documents ORDER BY file"
    assert AtlasStore(store).query(query).equals(AtlasStore(local_seeds).query(query))


@pytest.fixture(scope="module")
def generated(tmp_path_factory, settings, gazetteer):
    """A generated 20 MB corpus and its store built by the local engine (the reference)."""
    folder = tmp_path_factory.mktemp("gen") / "corpus"
    gen = [sys.executable, str(PROJECT_DIR / "bench" / "gen_corpus.py"), "--out", str(folder)]
    subprocess.run(
        [*gen, "--size", "20MB", "--seed", "1"], env=ENV, check=True, capture_output=True, timeout=600
    )
    store = folder.parent / "local.duckdb"
    build_store([folder], store, settings, gazetteer=gazetteer)
    return folder, store


def _start(cmd: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=ENV, stdout=log.open("wb"), stderr=subprocess.STDOUT)


@pytest.mark.slow
def test_a_real_scheduler_and_workers_survive_a_worker_killed_mid_build(tmp_path, generated):
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1; one worker process is killed
    (SIGKILL) while tasks are running: Dask retries its tasks, the build completes, and the store
    equals the local engine's, row for row (nothing lost, nothing doubled)."""
    import psutil

    corpus, local = generated
    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [_start([dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                     "--no-dashboard"], tmp_path / "scheduler.log")]  # fmt: skip
    try:
        for i in range(2):
            worker = [dask, "worker", address, "--nthreads", "1", "--no-dashboard", "--name", f"w{i}"]
            procs.append(_start(worker, tmp_path / f"worker{i}.log"))
        store, shared = tmp_path / "dask.duckdb", tmp_path / "shared"
        cmd = [sys.executable, "-m", "geo", "build", str(corpus), "--store", str(store),
               "--scheduler", address, "--shared", str(shared)]  # fmt: skip
        build = subprocess.Popen(
            cmd,
            env={**ENV, "ATLAS_DASK_PART_MB": "0.5"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []  # stderr, progress bar included ("\r" reads as a line end)
        reader = threading.Thread(target=lambda: lines.extend(build.stderr), daemon=True)
        reader.start()

        def tasks_done() -> tuple[int, int]:
            found = [re.search(r"(\d+)/(\d+) tasks", ln) for ln in lines[-50:]]
            done = [(int(m[1]), int(m[2])) for m in found if m]
            return done[-1] if done else (0, 0)

        deadline = time.monotonic() + 240
        while tasks_done()[0] < 4 and time.monotonic() < deadline:
            assert build.poll() is None, "".join(lines)
            time.sleep(0.05)
        done_at_kill, n_parts = tasks_done()
        victim = psutil.Process(procs[1].pid).children(recursive=True) or [psutil.Process(procs[1].pid)]
        for p in victim:  # the worker process under its nanny: the nanny starts a new one
            p.send_signal(signal.SIGKILL)
        assert build.poll() is None, "the build ended before a worker could be killed"
        assert build.wait(timeout=600) == 0, "".join(lines)
        reader.join(timeout=10)
        assert 4 <= done_at_kill < n_parts - 2, (done_at_kill, n_parts)
        assert f"dask: {n_parts} tasks" in "".join(lines)
        diff = _differences(local, store)
        assert all(only_a == only_b == 0 for _, only_a, only_b in diff.values()), diff
        assert diff["mentions"][0] > 50_000 and diff["documents"][0] > 100
        assert not any(shared.iterdir()), "the build's folder on the shared path is removed"
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
