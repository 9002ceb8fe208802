"""Build an atlas store from a corpus: extract once, incrementally, never half-written.

A build works on a copy of the store (``<store>.building-<pid>``) and renames it over the store
when it is complete, so a reader (the app) sees the old state or the new one, never a half-built
one; a build killed with SIGKILL leaves the old store intact, and the next build removes the
stale copy and says so. A lock file (``<store>.lock``, flock) keeps a second build of the same
store out with a clear message. DuckDB allows one writer or many readers per file, never both:
the copy is the only file ever opened for writing.

Incremental: a file whose size and mtime are unchanged is not read; a changed one is hashed
(sha256) and re-extracted only if its content changed; removed files are dropped. When the
gazetteer changes (curated CSVs, source package versions, geocoded points, home province) or the
package version does, every document is re-resolved, and the build says why.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from geo._version import __version__
from geo.corpus import corpus_listing
from geo.errors import StoreBusyError, StoreError
from geo.gazetteer import Gazetteer, cache_file
from geo.gazetteer.build import fingerprint as gazetteer_fingerprint
from geo.settings import Settings, load_settings
from geo.store import counts
from geo.store.extract import BuildReport, Engine, LocalEngine, Progress, Todo
from geo.store.read import check_store
from geo.store.tables import SCHEMA_VERSION, UPGRADABLE_VERSIONS, create_indexes, ddl, drop_indexes

__all__ = ["BuildReport", "Progress", "build_lock", "build_store", "default_store_path", "fingerprint"]

#: DuckDB's buffer pool while building: by default it keeps every table block it wrote in memory
#: (up to 80 % of RAM), so the build grew with the corpus (1.1 GB in the parent at 400 MB of a
#: 1 GB corpus); capped, blocks already written are evicted (and a few spill to <store>.tmp).
BUILD_MEMORY_LIMIT = "256MB"


def default_store_path(corpus: Path | str, settings: Settings) -> Path:
    """The store of a corpus folder: ``ATLAS_STORE`` for the configured corpus, else one file per
    folder under ``ATLAS_STORES_DIR`` (``<cache>/stores/seeds-1a2b3c4d.duckdb``)."""
    folder = Path(corpus).expanduser().resolve()
    if settings.store_path and folder == Path(settings.corpus_dir).expanduser().resolve():
        return Path(settings.store_path).expanduser()
    digest = hashlib.sha1(str(folder).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return settings.stores_folder() / f"{folder.name or 'corpus'}-{digest}.duckdb"


def fingerprint(settings: Settings) -> str:
    """What the extraction depends on besides the files: the gazetteer's build fingerprint
    (curated CSVs, source package versions, home province), geocoded points, package version. A
    change means every document is re-resolved. Cheap: the gazetteer is not loaded for it."""
    geocoded = cache_file(settings)
    stamp = str(geocoded.stat().st_mtime_ns) if geocoded.is_file() else "-"
    parts = [gazetteer_fingerprint(settings), stamp, settings.home_province, __version__]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


@contextlib.contextmanager
def build_lock(store: Path) -> Iterator[None]:
    """Hold ``<store>.lock`` for the build; a second build refuses at once with who holds it."""
    lock_path = store.with_name(store.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise StoreError(f"cannot create {lock_path}: {e.strerror} (is the folder writable?)") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise StoreBusyError(
                f"another build is writing {store} ({holder}); wait for it to finish and run again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {datetime.now().isoformat(timespec='seconds')}".encode(), 0)
        yield
    finally:
        os.close(fd)


def _stale_copies(store: Path) -> list[Path]:
    return sorted(store.parent.glob(store.name + ".building-*"))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _open_copy(store: Path, rebuild: bool, report: BuildReport) -> tuple[Path, duckdb.DuckDBPyConnection]:
    """A writable copy of the store (or a new empty one) beside it."""
    work = store.with_name(f"{store.name}.building-{os.getpid()}")
    fresh = rebuild or not store.exists()
    upgrade = not fresh and _schema_of(store) in UPGRADABLE_VERSIONS
    if not fresh and not upgrade and _schema_of(store) not in (None, str(SCHEMA_VERSION)):
        # a store of an older (or newer) version of the program: derived data, rebuilt whole
        report.notes.append(
            f"{store.name} has store schema {_schema_of(store)}, this version writes {SCHEMA_VERSION}: "
            "rebuilding it from scratch"
        )
        fresh = True
    try:
        if not fresh and not upgrade:
            check_store(store)
        if not fresh:
            shutil.copyfile(store, work)
        con = _connect_copy(work)
    except PermissionError as e:
        raise StoreError(
            f"cannot write beside {store} ({e.strerror}): choose a writable --store path"
        ) from None
    except duckdb.Error as e:
        work.unlink(missing_ok=True)
        raise StoreError(f"cannot open a copy of {store}: {e}") from None
    if fresh:
        for stmt in ddl():
            con.execute(stmt)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        if rebuild and store.exists():
            report.notes.append("rebuilt from scratch (--rebuild)")
    elif upgrade:  # the count tables are derived from the mentions: added, nothing re-extracted
        old = _schema_of(store)
        counts.create(con)
        counts.recount(con)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
        report.notes.append(
            f"{store.name} had store schema {old}: brought up to schema {SCHEMA_VERSION} "
            "(count tables added; nothing re-extracted)"
        )
    return work, con


def _connect_copy(work: Path) -> duckdb.DuckDBPyConnection:
    """The build's connection to its working copy, within the build's memory cap."""
    return duckdb.connect(str(work), config={"memory_limit": BUILD_MEMORY_LIMIT})


def _schema_of(store: Path) -> str | None:
    """The schema version a store file declares; None when it cannot tell (check_store reports)."""
    try:
        con = duckdb.connect(str(store), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return str(row[0]) if row else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def build_store(
    paths: Sequence[Path | str],
    store: Path | str,
    settings: Settings | None = None,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    gazetteer: Gazetteer | None = None,
    engine: Engine | None = None,
) -> BuildReport:
    """Extract ``paths`` into ``store`` (created if missing) on ``engine`` (default: this
    machine, ``settings.workers`` processes); returns what was done."""
    t0 = time.perf_counter()
    settings = settings or load_settings()
    engine = engine or LocalEngine()
    store = Path(store).expanduser().resolve()
    report = BuildReport(store, engine=engine.name)
    if store.is_dir():
        raise StoreError(f"--store {store} is a folder: give a file name such as {store / 'atlas.duckdb'}")
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot create the folder of --store {store}: {e.strerror}") from None
    listing = list(corpus_listing([Path(p) for p in paths]))
    with build_lock(store):
        for stale in _stale_copies(store):
            if stale.is_dir():  # a Dask build's Parquet parts, DuckDB's spill folder
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
            report.notes.append(f"removed {stale.name}, left by an interrupted build; the store was intact")
        work, con = _open_copy(store, rebuild, report)
        try:
            recount = _update(con, listing, settings, gazetteer, engine, report, progress)
            con.execute("CHECKPOINT")
            if recount:
                # counted on a new connection, its buffer pool empty: the loading one ran out of
                # its 256 MB at 1 GB while it held the mentions' indexes (no longer built)
                con.close()
                con = _connect_copy(work)
                counts.recount(con)
                con.execute("CHECKPOINT")
            con.close()
            os.replace(work, store)
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            work.unlink(missing_ok=True)
            raise
    report.seconds = time.perf_counter() - t0
    return report


def _update(
    con: duckdb.DuckDBPyConnection,
    listing: list[tuple[str, Path, str | None]],
    settings: Settings,
    gazetteer: Gazetteer | None,
    engine: Engine,
    report: BuildReport,
    progress: Progress | None,
) -> bool:
    """The store brought up to date with ``listing``; True when the count tables are to be
    counted afresh (a first build, or everything re-resolved, on an engine that did not count its
    parts), which build_store does."""
    fp = fingerprint(settings)
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    known = {
        r[0]: r[1:]
        for r in con.execute("SELECT file, size, mtime_ns, sha256, skipped_reason FROM documents").fetchall()
    }
    everything = bool(known) and meta.get("fingerprint") != fp
    if everything:
        report.notes.append(
            f"the gazetteer or settings changed since the last build ({meta.get('fingerprint')} → {fp}): "
            f"re-resolving all {len(known)} documents"
        )
    current = {file for file, _, _ in listing}
    removed = sorted(set(known) - current)
    todo: list[Todo] = []
    for order, (file, path, problem) in enumerate(listing):
        if problem:  # left out by the walk (unreadable folder, link, name clash): a skip
            todo.append(Todo(order, file, path, 0, 0, None, problem))
            continue
        try:
            st = path.stat()
        except OSError as e:
            todo.append(Todo(order, file, path, 0, 0, None, f"cannot read {file}: {e.strerror}"))
            continue
        old = known.get(file)
        if old and not everything and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            report.unchanged += 1
            continue
        try:
            digest = _sha256(path)
        except OSError as e:
            todo.append(
                Todo(order, file, path, st.st_size, st.st_mtime_ns, None, f"cannot read {file}: {e.strerror}")
            )
            continue
        if old and not everything and digest == old[2]:
            con.execute("UPDATE documents SET mtime_ns = ? WHERE file = ?", [st.st_mtime_ns, file])
            report.unchanged += 1
            continue
        todo.append(Todo(order, file, path, st.st_size, st.st_mtime_ns, digest))
    drop = removed + [t.file for t in todo if t.file in known]
    full = not known or everything  # the count tables: counted afresh, else updated by file
    drop_indexes(con, every=full)  # every row reloaded: its indexes built once afterwards
    if full:
        counts.clear(con)
    counts.before_delete(con, drop, full)
    _delete(con, drop)
    report.removed = len(removed)
    report.files = len(listing)
    counted = False  # the engine added the extracted files' counts (summed from its parts)
    if todo:  # a build with nothing to extract does not load the gazetteer
        # One DuckDB thread while the rows go in: the load runs beside the extracting workers on
        # the same cores, and a second thread only added CPU (200 MB: 10.4 → 5.7 CPU-s of
        # inserts, the store 283 → 228 MB); the queries after it have every core again.
        con.execute("SET threads = 1")
        try:
            counted = engine.extract(con, todo, settings, gazetteer, report, progress)
        finally:
            with contextlib.suppress(duckdb.Error):  # never in place of the extraction's error
                con.execute("RESET threads")
    create_indexes(con)  # after a full load; an incremental build's are kept up to date
    if (todo or drop) and not full:  # a full count is made afterwards (build_store)
        counts.after_insert(con, [] if counted else [t.file for t in todo])
    orders = pd.DataFrame({"file": [f for f, _, _ in listing], "doc_order": range(len(listing))})  # noqa: F841
    con.execute("UPDATE documents SET doc_order = o.doc_order FROM orders o WHERE documents.file = o.file")
    for key, value in (
        ("fingerprint", fp),
        ("home_province", settings.home_province),
        ("built_at", datetime.now(UTC).isoformat(timespec="seconds")),
        ("package_version", __version__),
    ):
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
    return full and not counted


def _delete(con: duckdb.DuckDBPyConnection, files: list[str]) -> None:
    if not files:
        return
    gone = pd.DataFrame({"file": files})  # noqa: F841 (read by DuckDB)
    for table in ("articles", "mentions", "metrics", "documents"):
        con.execute(f"DELETE FROM {table} WHERE file IN (SELECT file FROM gone)")
