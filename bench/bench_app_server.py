"""The app's server work on a store, run by Streamlit's AppTest (app.py itself, no browser).

Each step is one script run, timed in wall and CPU seconds (the process's, DuckDB's threads
included), in a fresh process (cold caches) per ``--repeat``:
- first page: the whole script with empty caches (store counts, layers, map data, table);
- rerun: the same page again (what a click costs besides the click's own work);
- click: a place selected (as a map click does: its panel, its articles, the map re-sent) —
  several places, each a first click;
- filter change: the place types narrowed to townships (new counts, layers and map data);
- caption counts: ``query.totals`` alone.

Usage: .venv/bin/python bench/bench_app_server.py [--store FILE --corpus DIR] [--repeat 2]
[--out F]. Run it from another tree (``--tree``) to compare two versions on the same store.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CLICKS = ("330109", "330112", "330402", "331003")  # 萧山区 临安区 南湖区 黄岩区

RUN = r"""
import json, os, resource, sys, time
from streamlit.testing.v1 import AppTest

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

out = {}
def step(name, fn):
    t, c = time.perf_counter(), cpu()
    fn()
    out[name] = {"wall_s": time.perf_counter() - t, "cpu_s": cpu() - c}

t0 = time.perf_counter()
at = AppTest.from_file(os.path.join(os.getcwd(), "app.py"), default_timeout=1800)
step("first_page", at.run)
assert not at.exception, at.exception
step("rerun", at.run)
for pid in sys.argv[1].split(","):
    def click(pid=pid):
        at.session_state["place"] = pid
        at.run()
    step(f"click_{pid}", click)
    assert not at.exception, at.exception
levels = at.sidebar.multiselect[0]
step("filter_change", lambda: levels.set_value(["township"]).run())
assert not at.exception, at.exception
from geo.settings import load_settings
from geo.store import AtlasStore, default_store_path, query
settings = load_settings()
store = AtlasStore(default_store_path(settings.corpus_dir, settings))
step("caption_counts", lambda: query.totals(store, query.Scope()))
out["process_wall_s"] = time.perf_counter() - t0
print("RESULT " + json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="default: the seeds' store")
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--tree", type=Path, default=PROJECT, help="the project tree whose app.py runs")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(args.tree)}
    if args.store:
        env.update(
            ATLAS_STORE=str(args.store.resolve()), ATLAS_CORPUS=str((args.corpus or Path(".")).resolve())
        )
    runs = []
    for _ in range(args.repeat):
        load = float(Path("/proc/loadavg").read_text().split()[0])
        proc = subprocess.run(
            [sys.executable, "-c", RUN, ",".join(CLICKS)],
            cwd=args.tree, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
            return 1
        runs.append({**json.loads(line[len("RESULT ") :]), "load": load})
    summary: dict = {"tree": str(args.tree), "store": str(args.store or "seeds"), "runs": runs}
    for key in runs[0]:
        if isinstance(runs[0][key], dict):
            summary[key] = {m: statistics.median(r[key][m] for r in runs) for m in ("wall_s", "cpu_s")}
    clicks = [summary[k] for k in summary if k.startswith("click_")]
    summary["click_median"] = {m: statistics.median(c[m] for c in clicks) for m in ("wall_s", "cpu_s")}
    for key, v in summary.items():
        if isinstance(v, dict) and "wall_s" in v:
            print(f"{key:20} wall {v['wall_s']:7.2f} s   cpu {v['cpu_s']:7.2f} s")
    print("load", [r["load"] for r in runs])
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
