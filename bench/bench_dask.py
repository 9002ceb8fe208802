"""The Dask engine beside the local one (issue 14): build time, scaling from 1 to 2 workers, peak
memory per worker, scheduler overhead per task, how the gazetteer reaches the workers, and county /
point counts on a large store (DuckDB SQL beside dask.dataframe). Raw figures go to
bench/results/dask.json (runs accumulate per corpus); ``--render`` writes the "Scale-out on Dask"
section of bench/REPORT.md from them.

    .venv/bin/python bench/bench_dask.py --corpus /tmp/bench-200m --repeat 3
    .venv/bin/python bench/bench_dask.py --corpus /tmp/bench-1g --runs local2,dask2 --repeat 1
    .venv/bin/python bench/bench_dask.py --overhead --gazetteer --layers /tmp/dbench/dask2.duckdb
    .venv/bin/python bench/bench_dask.py --render

Every build is `python -m geo build … --rebuild` in a fresh child process, timed from outside;
memory is sampled from /proc over the child's process tree every 0.5 s (peak PSS of the tree and
peak RSS of each process); CPU seconds come from the children's rusage, so "cores got" (CPU / wall)
shows how much of the shared machine a run had.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
RESULTS = BENCH / "results" / "dask.json"
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(BENCH.parent)}

from bench_dask_report import STORE_TABLES  # noqa: E402  (the tables a build writes, compared)

SUMMARY = re.compile(
    r"dask: (\d+) tasks on (\d+) workers in ([\d.]+) s \(([\d.]+) s of work(?:, ([\d.]+) CPU-s)?\); "
    r"(?:gazetteer|geoparser) shipped and loaded "
    r"in ([\d.]+) s; Parquet loaded in ([\d.]+) s(?:, count tables summed in [\d.]+ s)?"
    r"(?:, peak worker memory (\d+) MB)?"
)


# ------------------------------------------------------------------ memory of a process tree
class TreeSampler(threading.Thread):
    """Peak PSS of a process tree and peak RSS of each of its processes, from /proc."""

    def __init__(self, root: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_pss = 0.0
        self.rss: dict[int, tuple[float, str]] = {}  # pid → (peak MB, command line)
        self.stop = threading.Event()

    def _tree(self) -> list[int]:
        kids: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_bytes()
                except OSError:
                    continue
                kids.setdefault(int(stat[stat.rindex(b")") + 2 :].split()[1]), []).append(int(entry))
        out, todo = [], [self.root]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(kids.get(p, ()))
        return out

    def sample(self) -> None:
        pss = 0.0
        for pid in self._tree():
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
            except OSError:
                continue
            fields = {
                ln.split(":")[0]: int(ln.split()[1]) / 1024 for ln in text.splitlines()[1:] if ":" in ln
            }
            pss += fields.get("Pss", 0)
            rss = fields.get("Rss", 0)
            if rss > self.rss.get(pid, (0, ""))[0]:
                self.rss[pid] = (rss, cmd)
        self.peak_pss = max(self.peak_pss, pss)

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            self.sample()


def build_once(corpus: Path, engine: str, workers: int, tmp: Path, keep: Path | None = None) -> dict:
    store = tmp / f"{engine}{workers}.duckdb"
    cmd = [PY, "-m", "geo", "build", str(corpus), "--store", str(store), "--rebuild", "--quiet"]
    cmd += ["--workers", str(workers)] + (["--engine", "dask"] if engine == "dask" else [])
    la0, r0 = os.getloadavg(), resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=ENV, cwd=ENV["PYTHONPATH"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"{cmd} failed:\n{err[-2000:]}")
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    others = [mb for pid, (mb, _) in sampler.rss.items() if pid != proc.pid]
    row = {
        "engine": engine, "workers": workers, "wall_s": wall, "cpu_s": cpu, "cores_got": cpu / wall,
        "build_s": float(re.search(r"in ([\d.]+) s →", out).group(1)),
        "chars": int(float(re.search(r"\(([\d.]+) M chars\)", out).group(1)) * 1e6),
        "peak_tree_pss_mb": sampler.peak_pss, "peak_client_rss_mb": sampler.rss.get(proc.pid, (0,))[0],
        "peak_worker_rss_mb": max(others) if others else None,
        "load_before": la0, "load_after": os.getloadavg(), "store_mb": store.stat().st_size / 1e6,
    }  # fmt: skip
    m = SUMMARY.search(err)
    if m:
        keys = ("tasks", "n_workers", "tasks_s", "worker_s", "worker_cpu_s", "gazetteer_s", "load_s")
        keys += ("engine_peak_worker_mb",)
        row.update({k: float(v) for k, v in zip(keys, m.groups()) if v is not None})
    if keep:  # e.g. for --layers on a large store
        store.replace(keep / f"{corpus.name}-{engine}{workers}.duckdb")
    else:
        store.unlink()
    return row


# ------------------------------------------------------------------ child measurements
def child_overhead(n: int, workers: int) -> dict:
    """No-op tasks through the engine's own pattern (map, as_completed, result, release)."""
    from distributed import Client, LocalCluster, as_completed

    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster:
        client = Client(cluster, set_as_default=False)
        client.gather(client.map(int, range(50), pure=False))  # warm
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            futs = client.map(int, range(n), pure=False)
            for f in as_completed(futs, loop=client.loop):
                f.result()
                f.release()
            best = min(best, time.perf_counter() - t0)
        client.close()
    return {"tasks": n, "workers": workers, "wall_s": best, "ms_per_task": best / n * 1e3}


def child_gazetteer(mode: str, arg: str) -> dict:
    """One way for a worker to get its geoparser, in a fresh process: build the gazetteer from the
    installed packages (into an empty cache) and the geoparser from it; read the gazetteer's places
    and names shipped as Parquet and build the geoparser (the engine's way until dask-speed); or
    load the compact geoparser cache shipped as bytes (the engine's way now)."""
    t0 = time.perf_counter()
    from geo.geoparse import geoparser
    from geo.settings import load_settings
    from geo.store import partitions as pt

    t_import = time.perf_counter() - t0
    t1 = time.perf_counter()
    if mode == "build":
        from geo.gazetteer.store import build_gazetteer

        settings = load_settings().with_(cache_dir=Path(arg))
        gaz = build_gazetteer(settings, force=True)
        t2 = time.perf_counter()
        geoparser(gaz, settings.home_province, cache=False)
    elif mode == "parquet":
        import geopandas as gpd
        import pandas as pd

        from geo.gazetteer import Gazetteer

        places, names = (pd.read_parquet(Path(arg, f"{n}.parquet")) for n in ("places", "names"))
        counties = gpd.GeoDataFrame({"county_id": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
        gaz = Gazetteer(places, names, counties, {})
        t2 = time.perf_counter()
        geoparser(gaz, load_settings().home_province, cache=False)
    else:
        snap = pt.Snapshot(**json.loads(Path(arg, "snapshot.json").read_text()))
        t2 = time.perf_counter()
        pt.read_snapshot(snap)
    t3 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "import_s": t_import, "tables_s": t2 - t1, "geoparser_s": t3 - t2,
            "total_s": t3 - t0, "peak_rss_mb": rss}  # fmt: skip


def child_layers(store: str, workers: int) -> dict:
    """County and point counts: the store's SQL (what the app runs) beside dask.dataframe over the
    same mentions as Parquet on a LocalCluster (what a dask-geopandas path would start from)."""
    import duckdb

    from geo.layers import POINT_LEVELS, ROLLUP_LEVELS
    from geo.store import AtlasStore, query

    s = AtlasStore(store)
    out: dict = {"mentions": int(s.query("SELECT count(*) AS n FROM mentions")["n"][0])}
    for key in ("county_id", "place_id"):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            query.place_counts(s, query.Scope(), key)
            best = min(best, time.perf_counter() - t0)
        out[f"duckdb_{key}_s"] = best
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(store, read_only=True)
        cols = "county_id, place_id, level, article_id, in_org"
        con.execute(f"COPY (SELECT {cols} FROM mentions) TO '{tmp}/m' (FORMAT parquet, PER_THREAD_OUTPUT)")
        con.close()
        import dask
        import dask.dataframe as dd
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster:
            client = Client(cluster)
            for key, levels in (("county_id", ROLLUP_LEVELS), ("place_id", POINT_LEVELS)):
                best = float("inf")
                for _ in range(3):
                    t0 = time.perf_counter()
                    m = dd.read_parquet(f"{tmp}/m")
                    g = m[m["level"].isin(list(levels)) & m[key].notnull()].groupby(key)
                    dask.compute(g.size(), g["article_id"].nunique(), g["in_org"].sum())
                    best = min(best, time.perf_counter() - t0)
                out[f"dask_{key}_s"] = best
            client.close()
    return out


def compare(a: str, b: str) -> dict:
    """Two stores row for row (EXCEPT ALL, every column but mtime_ns), the count tables too: the
    engines' outputs."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY); ATTACH '{b}' AS b (READ_ONLY)")
    out: dict = {"a": a, "b": b}
    for t in STORE_TABLES:
        cols = "* EXCLUDE (mtime_ns)" if t == "documents" else "*"
        only = [
            con.execute(
                f"SELECT count(*) FROM (SELECT {cols} FROM {x}.{t} EXCEPT ALL SELECT {cols} FROM {y}.{t})"
            ).fetchone()[0]
            for x, y in (("a", "b"), ("b", "a"))
        ]
        out[t] = {
            "rows": con.execute(f"SELECT count(*) FROM a.{t}").fetchone()[0],
            "only_a": only[0],
            "only_b": only[1],
        }
    return out


def _child(args: list[str]) -> dict:
    out = subprocess.run([PY, __file__, "--child", *args], env=ENV, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ report
def render(raw: dict) -> str:
    from bench_dask_report import render_section

    return render_section(raw)


def splice_report(section: str) -> None:
    report = BENCH / "REPORT.md"
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    head = "## Scale-out on Dask"
    if head in text:
        start = text.index(head)
        nxt = text.find("\n## ", start + len(head))
        text = text[:start] + section.rstrip() + "\n" + (text[nxt:] if nxt >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    report.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="corpus folder to build (e.g. /tmp/bench-200m)")
    ap.add_argument("--runs", default="local2,dask2,dask1", help="engine+workers, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the stores built, in this folder")
    ap.add_argument("--overhead", action="store_true", help="scheduler overhead per no-op task")
    ap.add_argument("--gazetteer", action="store_true", help="gazetteer on a worker: build vs snapshot")
    ap.add_argument("--layers", help="a built store: county/point counts in DuckDB vs dask.dataframe")
    ap.add_argument("--compare", nargs=2, metavar="STORE", help="two stores (local, dask) row for row")
    ap.add_argument("--render", action="store_true", help="write the REPORT.md section from dask.json")
    ap.add_argument("--results", type=Path, default=None, help="raw JSON (default results/dask.json)")
    ap.add_argument("--src", type=Path, help="build with this checkout's geo/ (a before/after comparison)")
    ap.add_argument(
        "--cache-dir", help="ATLAS_CACHE_DIR for the builds (one per checkout: the cache key differs)"
    )
    ap.add_argument("--label", default="", help="stored with each run (e.g. before, after)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    results = args.results or RESULTS
    if args.src:
        ENV["PYTHONPATH"] = str(args.src.resolve())
    if args.cache_dir:
        ENV["ATLAS_CACHE_DIR"] = args.cache_dir
    if args.child:
        kind, *rest = args.child
        fn = {"overhead": lambda: child_overhead(int(rest[0]), int(rest[1])),
              "gazetteer": lambda: child_gazetteer(rest[0], rest[1]),
              "layers": lambda: child_layers(rest[0], int(rest[1]))}[kind]  # fmt: skip
        print(json.dumps(fn()))
        return
    raw = json.loads(results.read_text()) if results.exists() else {}
    raw.setdefault("cpu_count", os.cpu_count())
    if args.corpus:
        size = sum(p.stat().st_size for p in args.corpus.rglob("*") if p.is_file())
        entry = raw.setdefault("builds", {}).setdefault(args.corpus.name, {"bytes": size, "runs": []})
        with tempfile.TemporaryDirectory(dir=args.corpus.parent) as tmp:
            for i in range(args.repeat):
                for run in args.runs.split(","):
                    engine, workers = run[:-1], int(run[-1])
                    row = build_once(args.corpus, engine, workers, Path(tmp), args.keep)
                    row["repeat"] = i
                    row["label"], row["src"] = args.label, ENV["PYTHONPATH"]
                    entry["runs"].append(row)
                    print(json.dumps(row), flush=True)
                    results.parent.mkdir(exist_ok=True)
                    results.write_text(json.dumps(raw, indent=1))

    def save() -> None:
        results.parent.mkdir(exist_ok=True)
        results.write_text(json.dumps(raw, indent=1))

    if args.overhead:
        raw["overhead"] = [_child(["overhead", str(n), "2"]) for n in (200, 1000)]
        print(raw["overhead"])
        save()
    if args.gazetteer:
        from geo.gazetteer import load_gazetteer
        from geo.settings import load_settings
        from geo.store import partitions as pt

        settings = load_settings()
        out: dict = {"runs": []}
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            gaz = load_gazetteer(settings)
            Path(tmp, "parquet").mkdir()
            for name, frame in (("places", gaz.places), ("names", gaz.names)):
                frame.to_parquet(Path(tmp, "parquet", f"{name}.parquet"), index=False)
            out["parquet_write_s"] = time.perf_counter() - t0
            out["parquet_mb"] = sum(p.stat().st_size for p in Path(tmp, "parquet").iterdir()) / 1e6
            t0 = time.perf_counter()
            snap = pt.write_snapshot(
                *pt.snapshot_bytes(settings, None), f"{tmp}/snap", settings.home_province
            )
            out["snapshot_write_s"] = time.perf_counter() - t0
            out["snapshot_mb"] = Path(tmp, "snap", "geoparser.bin").stat().st_size / 1e6
            Path(tmp, "snap", "snapshot.json").write_text(json.dumps(snap._asdict()))
            for _ in range(3):
                out["runs"].append(_child(["gazetteer", "snapshot", f"{tmp}/snap"]))
                out["runs"].append(_child(["gazetteer", "parquet", f"{tmp}/parquet"]))
            out["runs"] += [_child(["gazetteer", "build", f"{tmp}/cache{i}"]) for i in range(2)]
        out["load"] = os.getloadavg()
        raw["gazetteer"] = out
        print(raw["gazetteer"])
        save()
    if args.compare:
        raw["compare"] = compare(*args.compare)
        print(raw["compare"])
        save()
    if args.layers:
        raw["layers"] = _child(["layers", args.layers, "2"])
        print(raw["layers"])
    save()
    if args.render:
        section = render(raw)
        splice_report(section)
        print(section)


if __name__ == "__main__":
    main()
