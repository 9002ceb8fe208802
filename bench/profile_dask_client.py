"""Where the Dask build's client spends its CPU, by stage: a first build (`build_store` with
`--engine dask` on a LocalCluster of N worker processes, in this process as `geo build` runs it),
the stage functions wrapped with process-CPU and wall clocks, no profiler. The client process
holds the scheduler and the workers' nannies too (a LocalCluster), as `geo build --engine dask` does.

    .venv/bin/python bench/profile_dask_client.py CORPUS [--workers 2] [--src CHECKOUT] \
        [--results bench/results/dask.json --label after]

Stages: before the tasks (listing, hashing, geoparser shipped), while the tasks run (the Parquet
load of finished parts, the scheduler), after the last task inside the engine (documents, the
count tables summed from the parts, commit), then the build's own serial end (indexes, checkpoint,
the count tables recounted from every mention when the engine did not count them). The serial part
is what 1 → 2 workers cannot shrink: on paper, wall(N) ≈ (task CPU + client CPU during the tasks) / N
+ serial. Works on older checkouts (`--src`): the wrapped functions have kept their names. Prints
JSON on its last line; with ``--results`` also appends it to that file's "client" list, from which
``bench_dask.py --render`` computes the 100 GB estimate.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--src", help="build with this checkout's geo/ (a before/after comparison)")
    ap.add_argument("--results", type=Path, help="append the figures to this JSON's 'client' list")
    ap.add_argument("--label", default="", help="stored with the figures (e.g. before, after)")
    args = ap.parse_args()
    sys.path.insert(0, args.src or str(Path(__file__).resolve().parent.parent))
    from geo.settings import load_settings
    from geo.store import build as build_mod
    from geo.store import counts
    from geo.store import dask_engine as de

    marks: dict[str, tuple[float, float]] = {}

    def mark(name: str) -> None:
        marks[name] = (time.process_time(), time.perf_counter())

    real_extract, real_run, real_load = de.DaskEngine.extract, de.DaskEngine._run, de.DaskEngine._load
    real_recount, real_indexes = counts.recount, build_mod.create_indexes
    load_cpu = [0.0]

    def extract(self, *a, **k):  # type: ignore[no-untyped-def]
        mark("extract")
        out = real_extract(self, *a, **k)
        mark("extract done")
        return out

    def run(self, *a, **k):  # type: ignore[no-untyped-def]
        yield from real_run(self, *a, **k)
        mark("tasks done")

    def load(self, *a, **k):  # type: ignore[no-untyped-def]
        c0 = time.process_time()
        real_load(self, *a, **k)
        load_cpu[0] += time.process_time() - c0

    def recount(con):  # type: ignore[no-untyped-def]
        mark("recount")
        real_recount(con)
        mark("recount done")

    de.DaskEngine.extract, de.DaskEngine._run, de.DaskEngine._load = extract, run, load  # type: ignore[method-assign]
    counts.recount = recount
    build_mod.create_indexes = lambda con: (mark("indexes"), real_indexes(con))  # type: ignore[func-returns-value]

    settings = load_settings()
    la0 = os.getloadavg()
    with (
        de.DaskEngine.connect(settings, workers=args.workers) as engine,
        tempfile.TemporaryDirectory() as tmp,
    ):
        mark("start")
        report = build_mod.build_store([args.corpus], Path(tmp) / "s.duckdb", settings, engine=engine)
        mark("end")
        stats = dict(engine.stats)
    cpu = {k: v[0] for k, v in marks.items()}
    wall = {k: v[1] for k, v in marks.items()}
    serial_end = cpu["end"] - cpu["tasks done"]
    out = {
        "corpus": Path(args.corpus).name,
        "mb": sum(p.stat().st_size for p in Path(args.corpus).rglob("*") if p.is_file()) / 1e6,
        "label": args.label,
        "src": args.src or "this checkout",
        "workers": args.workers,
        "wall_s": wall["end"] - wall["start"],
        "client_cpu_s": cpu["end"] - cpu["start"],
        "before_tasks_cpu_s": cpu["extract"] - cpu["start"],
        "during_tasks_cpu_s": cpu["tasks done"] - cpu["extract"],
        "parquet_load_cpu_s": load_cpu[0],
        "after_tasks_in_engine_cpu_s": cpu["extract done"] - cpu["tasks done"],
        "indexes_to_end_cpu_s": cpu["end"] - cpu.get("indexes", cpu["extract done"]),
        "recount_cpu_s": (cpu["recount done"] - cpu["recount"]) if "recount" in cpu else 0.0,
        "serial_after_tasks_cpu_s": serial_end,
        "serial_after_tasks_wall_s": wall["end"] - wall["tasks done"],
        "task_cpu_s": stats.get("worker_cpu_s"),
        "counts_summed_s": stats.get("counts_s"),
        "gazetteer_s": stats.get("gazetteer_s"),
        "peak_worker_mb": stats.get("peak_worker_mb"),
        "tasks": stats.get("tasks"),
        "extracted": report.extracted,
        "load_before": la0,
        "load_after": os.getloadavg(),
    }
    for k, v in out.items():
        print(f"{k}: {v:.2f}" if isinstance(v, float) else f"{k}: {v}", file=sys.stderr)
    print(json.dumps(out))
    if args.results:
        raw = json.loads(args.results.read_text()) if args.results.exists() else {}
        raw.setdefault("client", []).append(out)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(raw, indent=1))


if __name__ == "__main__":
    main()
