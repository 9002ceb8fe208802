"""Work units of a distributed build, without dask: :mod:`geo.store.dask_engine` only schedules
these functions, so they run (and are tested) without a cluster.

- :func:`plan_parts` cuts the files to extract into parts of a few MB: lists of paths, never
  texts, travel to the workers (the corpus must be on a path every worker sees).
- :func:`write_snapshot` puts the build's gazetteer (places and names, geocoded points applied)
  on the shared path once; each worker loads it once (:func:`worker_geoparser`, a module-level
  cache) — the same tables the local engine parses with, so the same places and ids.
- :func:`run_part` extracts one part on a worker with :func:`geo.pipeline.extract_document` (a
  failing document is skipped with its reason) and writes one Parquet file per table to the
  shared path under a name fixed by the part: a retried task rewrites the same file, atomically,
  so nothing is lost or doubled.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import NamedTuple

import fsspec
import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

from geo.corpus import load_document
from geo.errors import EngineError
from geo.gazetteer import Gazetteer
from geo.geoparse import Geoparser, geoparser
from geo.pipeline import extract_document
from geo.schema import Skipped
from geo.store.extract import Todo
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
    tables: dict[str, str]  # table → its Parquet file; a table without rows is absent
    documents: list[tuple[str, str | None, int, int, str | None]]  # file, encoding, chars, articles, skipped
    chars: int
    seconds: float  # spent on the worker, gazetteer wait included
    worker: str  # host:pid, to tell retries and workers apart in a report
    cpu_seconds: float = 0.0  # the task thread's CPU time: its cost whatever else the machine runs


class Snapshot(NamedTuple):
    """The build's gazetteer as the workers load it."""

    url: str  # folder holding places.parquet, names.parquet
    key: str  # sha256 of those files + home province: same key, same geoparser
    home_province: str


def plan_parts(todo: list[Todo], part_bytes: int) -> list[Part]:
    """Consecutive files of about ``part_bytes`` each (a bigger file is a part of its own)."""
    parts: list[Part] = []
    files: list[tuple[str, str]] = []
    size = 0
    for t in todo:
        if files and size + t.size > part_bytes:
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


# ---------------------------------------------------------------- the gazetteer, once per worker


def write_snapshot(gaz: Gazetteer, url: str, home_province: str) -> Snapshot:
    """The tables the geoparser is built from, as Parquet on the shared path (~4 MB)."""
    digest = hashlib.sha256(home_province.encode())
    for name, frame in (("places", gaz.places), ("names", gaz.names)):
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        data = buf.getvalue()
        digest.update(data)
        write_bytes(join(url, f"{name}.parquet"), data)
    snap = Snapshot(url, digest.hexdigest()[:16], home_province)
    write_bytes(join(url, "snapshot.json"), json.dumps(snap._asdict(), ensure_ascii=False).encode())
    return snap


def read_snapshot(snap: Snapshot) -> Gazetteer:
    """The snapshot as a gazetteer for geoparsing (no county polygons: parsing never uses them)."""
    try:
        written = json.loads(read_bytes(join(snap.url, "snapshot.json")))
        places, names = (
            pd.read_parquet(io.BytesIO(read_bytes(join(snap.url, f"{n}.parquet"))))
            for n in ("places", "names")
        )
    except (OSError, ValueError) as e:
        raise EngineError(
            f"worker {_where()} cannot read the gazetteer snapshot at {snap.url} ({type(e).__name__}: {e}): "
            "the shared path (--shared, ATLAS_DASK_SHARED) must be one every worker can read"
        ) from None
    if written.get("key") != snap.key:
        raise EngineError(
            f"the gazetteer snapshot at {snap.url} is not this build's (another build wrote it?)"
        )
    counties = gpd.GeoDataFrame({"county_id": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    return Gazetteer(places, names, counties, {"snapshot": snap.key})


_lock = threading.Lock()
_geoparsers: dict[str, Geoparser] = {}  # one at a time: a worker serves one build's gazetteer


def worker_geoparser(snap: Snapshot) -> Geoparser:
    """This process's geoparser for the snapshot, loaded on first use (threads wait for it)."""
    with _lock:
        gp = _geoparsers.get(snap.key)
        if gp is None:
            _geoparsers.clear()
            gp = _geoparsers[snap.key] = geoparser(read_snapshot(snap), snap.home_province, cache=False)
        return gp


def forget_geoparser() -> None:
    """Free the worker's gazetteer once the build is over (a shared cluster keeps running)."""
    with _lock:
        _geoparsers.clear()


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
    rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
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
        got: dict[str, list] = {"articles": res.articles, "mentions": res.mentions, "metrics": res.metrics}
        for table in TABLES:
            rows[table].extend(got[table])
            seqs[table].extend(range(len(got[table])))
        documents.append((file, info.encoding, info.chars, info.articles, None))
        chars += info.chars
    tables = {}
    for table in TABLES:
        if rows[table]:
            buf = io.BytesIO()
            pq.write_table(rows_table(table, rows[table], seqs[table]), buf)
            tables[table] = part_url(shared, table, part.number)
            write_bytes(tables[table], buf.getvalue())
    return PartResult(
        part.number, tables, documents, chars, time.perf_counter() - t0, _where(), time.thread_time() - c0
    )
