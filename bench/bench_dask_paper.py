"""The client's CPU by stage and the 100 GB / 16 workers estimate of the "Scale-out on Dask"
section, computed from bench/results/dask.json: the builds (bench_dask.py) and the client profiles
(bench/profile_dask_client.py, the "client" list), so the estimate follows the measured figures
instead of being written by hand."""

from __future__ import annotations

PAPER_GB, PAPER_WORKERS = 100, 16


def _current(r: dict) -> bool:
    return r.get("label", "") in ("", "after")


def _profile(raw: dict) -> dict | None:
    """The client profile the estimate uses: the current code's, largest corpus, 2 workers first."""
    rows = [c for c in raw.get("client", []) if _current(c) and c.get("task_cpu_s")]
    return max(rows, key=lambda c: (c["mb"], c["workers"] == 2, c["load_before"][0] < 1.5)) if rows else None


def on_paper_ratio(c: dict) -> float:
    """1 → 2 workers on an idle 2-core machine from a profile's CPU figures: one worker leaves the
    client a core of its own (its work during the tasks is hidden), two share both cores with it."""
    serial = c["before_tasks_cpu_s"] + c["serial_after_tasks_cpu_s"]
    return (serial + c["task_cpu_s"]) / (serial + (c["task_cpu_s"] + c["during_tasks_cpu_s"]) / 2)


def client_table(raw: dict) -> list[str]:
    rows = raw.get("client", [])
    if not rows:
        return []
    out = [
        "### The client's CPU by stage",
        "",
        "`bench/profile_dask_client.py CORPUS --workers N` (a first build on a LocalCluster in the "
        "profiling process; process CPU, which holds the scheduler and the nannies too). *Serial* is what "
        "more workers cannot shrink; *on paper* is 1 → 2 workers on an idle 2-core machine from these "
        "CPU figures: (serial + task CPU) / (serial + (task CPU + during) / 2).",
        "",
        "| corpus | code | workers | load avg | wall s | task CPU-s | before the tasks | during the tasks "
        "(Parquet load) | after the tasks, serial (count tables) | on paper 1 → 2 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in sorted(rows, key=lambda c: (c["mb"], c["label"] != "before", c["workers"])):
        counted = c.get("counts_summed_s")
        tables = (
            f"summed, {counted:.1f} s wall" if counted is not None else f"recount {c['recount_cpu_s']:.1f}"
        )
        out.append(
            f"| {c['corpus']} ({c['mb']:,.0f} MB) | {c['label'] or 'current'} | {c['workers']} | "
            f"{c['load_before'][0]:.1f} → {c['load_after'][0]:.1f} | {c['wall_s']:.1f} | {c['task_cpu_s']:.1f} | "
            f"{c['before_tasks_cpu_s']:.1f} | {c['during_tasks_cpu_s']:.1f} ({c['parquet_load_cpu_s']:.1f}) | "
            f"**{c['serial_after_tasks_cpu_s']:.1f}** ({tables}) | {on_paper_ratio(c):.2f}× |"
        )
    return [*out, ""]


def paper(raw: dict, noop_ms: float | None, idle_s: float | None) -> list[str]:
    """100 GB on 16 workers from the largest client profile (per-MB figures scaled linearly)."""
    c = _profile(raw)
    if c is None:
        return ["(no client profile measured yet: bench/profile_dask_client.py --results …)"]
    mb = PAPER_GB * 1000
    scale = mb / c["mb"]
    rate = c["mb"] / c["task_cpu_s"]  # MB per CPU second of one worker's tasks
    tasks = c["tasks"] * scale
    extraction = mb / (PAPER_WORKERS * rate)
    idle = (idle_s or 0) * tasks / PAPER_WORKERS
    sched = tasks * (noop_ms or 0) / 1000
    before, during = c["before_tasks_cpu_s"] * scale, c["parquet_load_cpu_s"] * scale
    rest = (c["during_tasks_cpu_s"] - c["parquet_load_cpu_s"]) * scale
    after = c["serial_after_tasks_cpu_s"] * scale
    gaz = c.get("gazetteer_s") or 1.0
    total = gaz + before + max(extraction + idle, during) + after
    bound = "(hidden)" if during <= extraction + idle else "(**the bound**)"
    return [
        f"From the client profile of {c['corpus']} ({c['mb']:,.0f} MB, {c['label'] or 'current'} code, "
        f"{c['workers']} workers, load {c['load_before'][0]:.1f}): one worker extracts **{rate:.2f} MB/s** "
        "(by the CPU time of its tasks: what a worker with its own core does); the build machine spends "
        f"{c['before_tasks_cpu_s'] / c['mb'] * 1000:.1f} ms of CPU per MB before the tasks (listing, hashing), "
        f"{c['parquet_load_cpu_s'] / c['mb'] * 1000:.0f} ms/MB while they run loading the parts (besides "
        f"{(c['during_tasks_cpu_s'] - c['parquet_load_cpu_s']) / c['mb'] * 1000:.0f} ms/MB for the LocalCluster's "
        "scheduler and nannies in the same process, which grows with the wall time, not the data, and runs "
        "elsewhere on a real cluster) and "
        f"{c['serial_after_tasks_cpu_s'] / c['mb'] * 1000:.0f} ms/MB after the last one (count tables summed "
        "from the parts, documents, commit, index, checkpoint); each scaled linearly (the sorts grow a little "
        "faster). CPU seconds of a loaded machine run high (cache contention): the figures are on the safe side.",
        "",
        "| term | 100 GB on 16 workers |",
        "|---|---|",
        f"| extraction: {mb:,.0f} MB / (16 × {rate:.2f} MB/s) | {extraction / 60:.0f} min |",
        f"| worker time between tasks: {idle_s or 0:.2f} s × {tasks:,.0f} tasks / 16 | {idle / 60:.1f} min |",
        f"| scheduler: {tasks:,.0f} tasks × {noop_ms or 0:.1f} ms = {sched / 60:.1f} min, spread over the "
        "extraction | hidden |",
        f"| the build machine while the tasks run (loading the parts; overlapped) | {during / 60:.0f} min {bound} |",
        f"| (the LocalCluster's scheduler and nannies, measured in the client: {rest / 60:.0f} min; on a real "
        "cluster on the scheduler's machine) | — |",
        f"| the build machine before the tasks (listing, sha256; serial) | {before / 60:.0f} min |",
        f"| the build machine after the tasks (count tables summed, commit, index; serial) | {after / 60:.0f} min |",
        f"| geoparser to the workers (once, in parallel) | {gaz / 60:.1f} min |",
        f"| **expected total** | **{total / 3600:.1f} h** |",
        "",
        "What does not shrink with more workers is the build machine's share: hashing, the DuckDB load and "
        f"the final sums are serial there. Past ~{PAPER_WORKERS * (extraction + idle) / max(during, 1):.0f} "
        "workers of this speed the load into one DuckDB file becomes the bound; beyond that, several stores "
        "(one per year or paper) built in parallel scale on.",
    ]
