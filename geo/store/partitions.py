"""Work units of a distributed build, without dask: :mod:`geo.store.dask_engine` only schedules
these functions, so they run (and are tested) without a cluster.

- :func:`plan_parts` cuts the files to extract into parts of a few MB: lists of paths, never
  texts, travel to the workers (the corpus must be on a path every worker sees).
- :func:`write_snapshot` puts the build's geoparser (the compact cache the local engine's
  workers load, :mod:`geo.geoparse.cache`) on the shared path once; each worker loads it once
  (:func:`worker_geoparser`, a module-level cache, 0.2–0.3 s) — the same tables the local engine
  parses with, so the same places and ids.
- :func:`run_part` extracts one part on a worker with :func:`geo.pipeline.extract_document` (a
  failing document is skipped with its reason) and writes one Parquet file per table to the
  shared path under a name fixed by the part: a retried task rewrites the same file, atomically,
  so nothing is lost or doubled. It also counts the part's rows of the count tables
  (:func:`geo.store.counts.part_counts`; a part holds whole files), which the client sums instead
  of counting every mention after the tasks.
"""

from __future__ import annotations

import gc
import io
import os
import socket
import sys
import threading
import time
import uuid
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

import fsspec
import pyarrow.parquet as pq

from geo.columns import MentionColumns
from geo.corpus import load_document
from geo.errors import EngineError
from geo.gazetteer import Gazetteer
from geo.geoparse import Geoparser, geoparser
from geo.geoparse.cache import dumps as cache_dumps
from geo.geoparse.cache import geoparser_bytes
from geo.geoparse.cache import loads as cache_loads
from geo.pipeline import extract_document, tune_gc
from geo.schema import Skipped
from geo.settings import Settings
from geo.store import counts
from geo.store.extract import Todo, mentions_table
from geo.store.tables import rows_table

TABLES = ("articles", "mentions", "metrics")


class Part(NamedTuple):
    """Consecutive corpus files extracted by one task."""

    number: int
    files: tuple[tuple[str, str], ...]  # (file, absolute path), in corpus order
    nbytes: int


class PartResult(NamedTuple):
    """What a task sends back: where its rows are, and one line per file (small)."""

    number: int
    tables: dict[str, str]  # table (count tables too) → its Parquet file; a table without rows is absent
    documents: list[tuple[str, str | None, int, int, str | None]]  # file, encoding, chars, articles, skipped
    chars: int
    seconds: float  # spent on the worker, gazetteer wait included
    worker: str  # host:pid, to tell retries and workers apart in a report
    cpu_seconds: float = 0.0  # the task thread's CPU time: its cost whatever else the machine runs


class Snapshot(NamedTuple):
    """The build's geoparser as the workers load it: the compact cache's bytes on the shared path."""

    url: str  # folder holding geoparser.bin
    key: str  # the cache's key (in its header): same key, same geoparser
    home_province: str
    runtime: str = ""  # the build machine's Python and daachorse: marshal's and the automaton's format


def plan_parts(todo: list[Todo], part_bytes: int, tail_bytes: int = 0) -> list[Part]:
    """Consecutive files of about ``part_bytes`` each (a bigger file is a part of its own); the
    last ``tail_bytes`` of the corpus in parts of a quarter of that. Run largest first, those small
    parts come last: a worker that finishes early waits for a quarter of a part, not half of one
    (200 MB on 2 workers: 51 tasks of ~1.8 s)."""
    total = sum(t.size for t in todo)
    parts: list[Part] = []
    files: list[tuple[str, str]] = []
    size = done = 0
    for t in todo:
        limit = part_bytes if done < total - tail_bytes else part_bytes // 4
        done += t.size
        if files and size + t.size > limit:
            parts.append(Part(len(parts), tuple(files), size))
            files, size = [], 0
        files.append((t.file, str(t.path)))
        size += t.size
    if files:
        parts.append(Part(len(parts), tuple(files), size))
    return parts


def join(url: str, *names: str) -> str:
    return "/".join([url.rstrip("/"), *names])


def is_local(url: str) -> bool:
    return "://" not in url or url.startswith("file://")


def write_bytes(url: str, data: bytes) -> None:
    """Whole or not at all: a local file is written beside and renamed (a killed writer leaves no
    half file under the final name); an object store commits a PUT whole by itself."""
    if is_local(url):
        path = Path(url.removeprefix("file://"))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    else:
        fs, path = fsspec.core.url_to_fs(url)
        fs.pipe_file(path, data)


def read_bytes(url: str) -> bytes:
    if is_local(url):
        return Path(url.removeprefix("file://")).read_bytes()
    fs, path = fsspec.core.url_to_fs(url)
    return fs.cat_file(path)


def remove(url: str) -> None:
    """Delete a build's folder on the shared path (best effort: it only holds copies)."""
    fs, path = fsspec.core.url_to_fs(url)
    if fs.exists(path):
        fs.rm(path, recursive=True)


# ---------------------------------------------------------------- the geoparser, once per worker


def runtime() -> str:
    """What the snapshot's format depends on besides its key: marshal (Python) and daachorse."""
    return f"python {sys.version_info[0]}.{sys.version_info[1]}, daachorse {version('daachorse')}"


def snapshot_bytes(settings: Settings, gaz: Gazetteer | None) -> tuple[str, bytes]:
    """The geoparser the local engine would parse with, as the compact cache's (key, bytes): the
    cache file itself (built first if stale), or, for an explicit gazetteer, its geoparser built
    here and serialised."""
    if gaz is None:
        return geoparser_bytes(settings)
    gp = geoparser(gaz, settings.home_province)
    key = f"given-{uuid.uuid4().hex[:16]}"
    return key, cache_dumps(key, gp.matcher, gp.index, gp.home_province)


def write_snapshot(key: str, data: bytes, url: str, home_province: str) -> Snapshot:
    """The compact geoparser on the shared path, once per build (~18 MB): each worker reads it
    once and is parsing 0.2–0.3 s later, with no gazetteer, pandas frames or rebuild."""
    write_bytes(join(url, "geoparser.bin"), data)
    return Snapshot(url, key, home_province, runtime())


def read_snapshot(snap: Snapshot) -> Geoparser:
    """The snapshot as this worker's geoparser (checked against its key)."""
    if snap.runtime and snap.runtime != runtime():
        raise EngineError(
            f"worker {_where()} runs {runtime()}, the build machine {snap.runtime}: the geoparser snapshot "
            "needs the same Python minor version and daachorse on every worker (install the same versions)"
        )
    try:
        data = read_bytes(join(snap.url, "geoparser.bin"))
    except OSError as e:
        raise EngineError(
            f"worker {_where()} cannot read the geoparser snapshot at {snap.url} ({type(e).__name__}: {e}): "
            "the shared path (--shared, ATLAS_DASK_SHARED) must be one every worker can read"
        ) from None
    tables = cache_loads(data, snap.key, snap.url)
    if tables is None:
        raise EngineError(
            f"the geoparser snapshot at {snap.url} is not this build's (another build wrote it?)"
        )
    return Geoparser(*tables)


_lock = threading.Lock()
_geoparsers: dict[str, Geoparser] = {}  # one at a time: a worker serves one build's geoparser
_gc_before: list[tuple[int, int, int]] = []  # the thresholds to restore when the build is over


def worker_geoparser(snap: Snapshot) -> Geoparser:
    """This process's geoparser for the snapshot, loaded on first use (threads wait for it).
    Then the garbage collector is tuned as in the local engine's workers
    (:func:`geo.pipeline.tune_gc`): the geoparser's half a million objects frozen out of it."""
    with _lock:
        gp = _geoparsers.get(snap.key)
        if gp is None:
            _geoparsers.clear()
            gp = _geoparsers[snap.key] = read_snapshot(snap)
            if not _gc_before:
                _gc_before.append(tune_gc())
            else:
                gc.freeze()
        return gp


def forget_geoparser() -> None:
    """Free the worker's geoparser once the build is over (a shared cluster keeps running)."""
    with _lock:
        _geoparsers.clear()
        if _gc_before:
            gc.unfreeze()
            gc.set_threshold(*_gc_before.pop())


# ---------------------------------------------------------------- one task


def _where() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def part_url(shared: str, table: str, number: int) -> str:
    return join(shared, "parts", table, f"part-{number:06d}.parquet")


def run_part(part: Part, shared: str, snap: Snapshot) -> PartResult:
    """Extract one part on a worker; its rows go to Parquet on ``shared``, the rest comes back."""
    t0, c0 = time.perf_counter(), time.thread_time()
    for folder in sorted({os.path.dirname(path) for _, path in part.files}):
        if not os.path.isdir(folder):  # a deleted file is skipped; a missing folder is a set-up error
            raise EngineError(
                f"worker {_where()} cannot see the corpus folder {folder}: the corpus must be on a path "
                "every worker sees (a shared file system, mounted at the same place)"
            )
    gp = worker_geoparser(snap)
    rows: dict[str, Any] = {t: [] for t in TABLES}
    rows["mentions"] = MentionColumns()  # the geoparser's columns (geo.columns), never tuples
    seqs: dict[str, list[int]] = {t: [] for t in TABLES}
    documents: list[tuple[str, str | None, int, int, str | None]] = []
    chars = 0
    for file, path in part.files:
        item = load_document(Path(path), file)
        parsed = item if isinstance(item, Skipped) else extract_document(item, gp)
        if isinstance(parsed, Skipped):
            documents.append((file, None, 0, 0, parsed.reason))
            continue
        info, res = parsed
        got: dict[str, Any] = {"articles": res.articles, "mentions": res.mentions, "metrics": res.metrics}
        for table in TABLES:
            rows[table].extend(got[table])
            seqs[table].extend(range(len(got[table])))
        documents.append((file, info.encoding, info.chars, info.articles, None))
        chars += info.chars
    built = {
        table: mentions_table(rows[table], seqs[table])
        if table == "mentions"
        else rows_table(table, rows[table], seqs[table])
        for table in TABLES
        if rows[table]
    }
    if "mentions" in built:
        built.update(counts.part_counts(built["mentions"], built["articles"]))
    tables = {}
    for table, arrow in built.items():
        if arrow.num_rows:
            buf = io.BytesIO()
            pq.write_table(arrow, buf)
            tables[table] = part_url(shared, table, part.number)
            write_bytes(tables[table], buf.getvalue())
    return PartResult(
        part.number, tables, documents, chars, time.perf_counter() - t0, _where(), time.thread_time() - c0
    )
