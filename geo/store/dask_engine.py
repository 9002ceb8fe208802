"""The Dask engine: a build's extraction on a Dask cluster. The only module that imports dask.

The client (``geo build --engine dask``) keeps what must be single: the file listing, the
content hashes, the lock and the store's working copy. The cluster gets file lists in parts of
a few MB (:mod:`geo.store.partitions`), the largest first; each worker loads the build's
geoparser once (the compact cache, shipped once on the shared path; a :class:`GeoparserPlugin`,
also run on workers that join later) and writes each part's rows as
Parquet to a path the client and workers share; the client loads those files into the copy as
batches of tasks finish (hidden behind the extraction), one transaction per 64 MB, and the build
renames the complete copy over the store as with the local engine. Each task also counts its
part's rows of the count tables; the client sums them once the tasks are done (a few seconds at
1 GB, where counting every mention after the tasks took 23 CPU-s).

Failures: a worker that dies loses its running task, which the scheduler gives to another
worker (up to ``distributed.scheduler.allowed-failures`` deaths per task); the retried task
rewrites the same Parquet files, and only the files named by finished tasks are loaded. A task
that raises stops the build with its message; an unreachable scheduler is reported after
``ATLAS_DASK_TIMEOUT`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.errors import AtlasError, EngineError, EngineMissingError

try:
    import dask
    from distributed import Client, LocalCluster, as_completed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as e:  # pragma: no cover - exercised by installs without the extra
    raise EngineMissingError(
        f"--engine dask needs the dask and distributed packages ({e}): pip install 'corpus-atlas[dask]'"
    ) from None

import duckdb
import fsspec

from geo.gazetteer import Gazetteer
from geo.schema import Skipped
from geo.settings import Settings
from geo.store import counts
from geo.store import partitions as pt
from geo.store.extract import BuildReport, Progress, Todo, Writer

#: How long a build waits for a first worker to join a scheduler that has none.
WORKER_WAIT_S = 60.0
#: A cluster started for the build runs on the build's own cores, beside the client's load: its
#: housekeeping is slowed down. Idle, a LocalCluster of 2 took 65 ms of CPU a second (client
#: process 33 — scheduler and nannies —, each worker 16), 11 with these: the event loops' health
#: tick (20 ms → 1 s), the memory monitors (0.1 → 1 s: the nannies still enforce the limit), the
#: system monitor behind the dashboard's plots (0.5 → 5 s), and the workers' statistical
#: profiler (100 stack samples a second; the dashboard still shows tasks and memory).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}
#: Corpus bytes loaded per transaction (200 MB in one fitted the build's 256 MB DuckDB cap).
COMMIT_BYTES = 64_000_000


class GeoparserPlugin(WorkerPlugin):
    """Loads the build's geoparser snapshot once per worker when it is registered, and on every
    worker that joins later; frees it when the build unregisters it. Pickled to the workers:
    it carries the snapshot's address, not the tables."""

    def __init__(self, snapshot: pt.Snapshot):
        self.snapshot = snapshot

    async def setup(self, worker: Any) -> None:
        # In a thread: the worker's event loop keeps answering the scheduler meanwhile.
        await asyncio.to_thread(pt.worker_geoparser, self.snapshot)

    def teardown(self, worker: Any) -> None:
        pt.forget_geoparser()


class DaskEngine:
    """Extraction on a Dask cluster: an existing scheduler, or a LocalCluster started here."""

    name = "dask"

    def __init__(
        self,
        client: Client,
        cluster: LocalCluster | None = None,
        shared: str | None = None,
        part_mb: float = 4.0,
    ):
        self.client = client
        self.cluster = cluster
        self.shared = shared
        self.part_bytes = int(part_mb * 1e6)
        self.stats: dict[str, Any] = {}  # per build: tasks, seconds on workers, peak worker memory …

    @classmethod
    def connect(
        cls,
        settings: Settings,
        scheduler: str | None = None,
        workers: int | None = None,
        shared: str | None = None,
    ) -> DaskEngine:
        """Reach ``scheduler`` (address or scheduler file; default ``ATLAS_DASK_SCHEDULER``) within
        ``ATLAS_DASK_TIMEOUT`` seconds, or start a LocalCluster of ``workers`` processes."""
        address = scheduler or settings.dask_scheduler
        shared = shared or settings.dask_shared
        timeout = settings.dask_timeout_s
        if not address:
            n = workers or (settings.workers if settings.workers > 1 else (os.cpu_count() or 1))
            with dask.config.set(LOCAL_CLUSTER_CONFIG):
                cluster = LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )  # fmt: skip
            return cls(Client(cluster, set_as_default=False), cluster, shared, settings.dask_part_mb)
        target = {"scheduler_file": address} if Path(address).is_file() else {"address": address}
        try:
            client = Client(**target, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise EngineError(
                f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({e}): start one with "
                f"`dask scheduler` and workers with `dask worker <address>`, or fix --scheduler / "
                "ATLAS_DASK_SCHEDULER (unset: a local cluster)"
            ) from None
        return cls(client, None, shared, settings.dask_part_mb)

    def describe(self) -> str:
        """One line for the CLI: scheduler, workers, dashboard (when the scheduler serves one)."""
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        threads = sum(w.get("nthreads", 0) for w in workers.values())
        kind = "local cluster" if self.cluster is not None else "scheduler"
        line = f"dask: {kind} {info.get('address')}, {len(workers)} workers ({threads} threads)"
        port = info.get("services", {}).get("dashboard")
        if port:
            line += f", dashboard {self.client.dashboard_link}"
        return line

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ one build
    def extract(
        self,
        con: duckdb.DuckDBPyConnection,
        todo: list[Todo],
        settings: Settings,
        gaz: Gazetteer | None,
        report: BuildReport,
        progress: Progress | None,
    ) -> bool:
        """Returns True: the count tables have the extracted files' contributions (summed from
        the parts' counts, :func:`geo.store.counts.add_parts`)."""
        build = uuid.uuid4().hex[:12]
        self.stats = {}
        if self.shared:
            shared = pt.join(self.shared, f"corpus-atlas-{build}")
        else:  # beside the store's working copy: removed with it after a crash (build.py)
            shared = str(report.store.with_name(f"{report.store.name}.building-{os.getpid()}.parts"))
        facts = {t.file: t for t in todo}
        doc_rows = [t.document_row(None, 0, 0, t.error) for t in todo if t.error]
        report.skipped.extend(Skipped(t.file, t.error) for t in todo if t.error)
        threads = sum(w.get("nthreads", 0) for w in self.client.scheduler_info().get("workers", {}).values())
        parts = pt.plan_parts([t for t in todo if not t.error], self.part_bytes, self.part_bytes * threads)
        plugin = f"corpus-atlas-geoparser-{build}"
        writer = Writer(con)
        count_parts: dict[str, list[str]] = {t: [] for t in counts.PART_TABLES}
        if not pt.is_local(shared):
            con.register_filesystem(fsspec.filesystem(shared.split("://", 1)[0]))
        # One transaction per COMMIT_BYTES of corpus, not one for the build: DuckDB keeps a
        # transaction's index entries in memory until it commits (a full load has none now: the
        # store's index is built after it), and under the build's memory cap the commit of a
        # 1 GB corpus (22.8 M mentions, then three indexes) failed with "Out of Memory"; a commit per
        # batch of parts instead made the load 2.4x slower (a checkpoint per commit). The store is
        # replaced only by the complete working copy, so a failed build still leaves the old store.
        pending = 0
        con.execute("BEGIN TRANSACTION")
        try:
            for batch in self._run(parts, shared, build, plugin, gaz, settings, len(todo), progress):
                self._load(writer, batch)
                for r in batch:
                    for table, files in count_parts.items():
                        if table in r.tables:
                            files.append(r.tables[table])
                pending += sum(parts[r.number].nbytes for r in batch)
                if pending >= COMMIT_BYTES:
                    con.execute("COMMIT")
                    con.execute("BEGIN TRANSACTION")
                    pending = 0
                for r in batch:
                    report.chars += r.chars
                    for file, encoding, chars, articles, skipped in r.documents:
                        doc_rows.append(facts[file].document_row(encoding, chars, articles, skipped))
                        if skipped:
                            report.skipped.append(Skipped(file, skipped))
                        else:
                            report.extracted += 1
            writer.documents(doc_rows)
            t0 = time.perf_counter()
            con.execute("RESET threads")  # the tasks are done: every core sums (1 GB: 8.8 → 5.2 s wall)
            counts.add_parts(con, count_parts)
            self.stats["counts_s"] = time.perf_counter() - t0
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                con.execute("ROLLBACK")
            raise
        finally:
            with contextlib.suppress(Exception):
                self.client.unregister_worker_plugin(plugin)
            with contextlib.suppress(Exception):
                pt.remove(shared)
        report.notes.append(self._summary())
        return True

    def _run(
        self,
        parts: list[pt.Part],
        shared: str,
        build: str,
        plugin: str,
        gaz: Gazetteer | None,
        settings: Settings,
        n_docs: int,
        progress: Progress | None,
    ) -> Iterator[list[pt.PartResult]]:
        """The parts' results in batches, as tasks finish (the client loads one batch while the
        workers extract the next, so on a real cluster the load hides behind the extraction)."""
        if not parts:
            return
        self._wait_for_workers()
        t0 = time.perf_counter()
        key, data = pt.snapshot_bytes(settings, gaz)  # the local engine's geoparser, as bytes
        snap = pt.write_snapshot(key, data, pt.join(shared, "geoparser"), settings.home_province)
        self.client.register_plugin(GeoparserPlugin(snap), name=plugin)  # loads on every worker now
        self.stats = {"tasks": len(parts), "gazetteer_s": time.perf_counter() - t0, "load_s": 0.0}
        # Largest first (no worker left alone with a big part at the end); the key's rank is the
        # order the scheduler runs them in.
        order = sorted(parts, key=lambda p: (-p.nbytes, p.number))
        keys = [f"corpus-atlas-part-{build}-{rank:06d}-{p.number}" for rank, p in enumerate(order)]
        futures = self.client.map(pt.run_part, order, shared=shared, snap=snap, key=keys, pure=False)
        total_mb = sum(p.nbytes for p in parts) / 1e6
        done, done_mb, docs, worker_s, worker_cpu_s = 0, 0.0, 0, 0.0, 0.0
        workers: set[str] = set()
        t1 = time.perf_counter()
        try:
            for batch in as_completed(futures, loop=self.client.loop).batches():
                results = [f.result() for f in batch]
                for f in batch:
                    f.release()
                yield results
                done += len(results)
                done_mb += sum(parts[r.number].nbytes for r in results) / 1e6
                docs += sum(len(r.documents) for r in results)
                worker_s += sum(r.seconds for r in results)
                worker_cpu_s += sum(r.cpu_seconds for r in results)
                workers.update(r.worker for r in results)
                if progress:
                    progress(docs, n_docs, f"{done}/{len(parts)} tasks, {done_mb:.1f}/{total_mb:.1f} MB")
        except BaseException as e:  # a task's error, or the build stopped (Ctrl-C, a failed load)
            with contextlib.suppress(Exception):
                self.client.cancel(futures)
            if isinstance(e, Exception) and not isinstance(e, AtlasError):
                raise EngineError(f"the build failed on the Dask cluster: {type(e).__name__}: {e}") from e
            raise
        self.stats.update(
            tasks_s=time.perf_counter() - t1,
            worker_s=worker_s,
            worker_cpu_s=worker_cpu_s,
            workers=len(workers),
            peak_worker_mb=self._peak_worker_mb(),
        )

    def _wait_for_workers(self) -> None:
        if self.client.scheduler_info().get("workers"):
            return
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except (TimeoutError, OSError):
            raise EngineError(
                f"the Dask scheduler has no workers (waited {WORKER_WAIT_S:g} s): start some with "
                "`dask worker <scheduler address>`"
            ) from None

    def _load(self, writer: Writer, batch: list[pt.PartResult]) -> None:
        """Insert finished parts into the copy (in the open transaction), then delete them."""
        t0 = time.perf_counter()
        for table in pt.TABLES:
            files = [r.tables[table] for r in batch if table in r.tables]
            try:
                writer.load_parquet(table, files)
            except duckdb.IOException as e:
                raise EngineError(
                    f"the build cannot read the Parquet parts the workers wrote ({str(e).splitlines()[0]}): "
                    "--shared (ATLAS_DASK_SHARED) must be one path that this machine and every worker share"
                ) from None
        for r in batch:  # the count parts stay until the build sums them
            for table in pt.TABLES:
                with contextlib.suppress(OSError, KeyError):
                    pt.remove(r.tables[table])
        self.stats["load_s"] += time.perf_counter() - t0

    def _peak_worker_mb(self) -> float | None:
        """The largest peak resident memory among the workers (Linux: ru_maxrss in KiB)."""
        with contextlib.suppress(Exception):
            peaks = self.client.run(_max_rss_mb)
            return max(peaks.values()) if peaks else None
        return None

    def _summary(self) -> str:
        s = self.stats
        if "tasks" not in s:
            return "dask: no readable file to extract"
        peak = f", peak worker memory {s['peak_worker_mb']:.0f} MB" if s.get("peak_worker_mb") else ""
        return (
            f"dask: {s['tasks']} tasks on {s.get('workers', 0)} workers in {s.get('tasks_s', 0):.1f} s "
            f"({s.get('worker_s', 0):.1f} s of work, {s.get('worker_cpu_s', 0):.1f} CPU-s); "
            f"geoparser shipped and loaded in {s['gazetteer_s']:.1f} s; "
            f"Parquet loaded in {s.get('load_s', 0):.1f} s, "
            f"count tables summed in {s.get('counts_s', 0):.1f} s{peak}"
        )


def _max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
