"""Gazetteer build/load cost: cold build (fresh cache dir), warm load (new process), peak memory.

Each measurement runs in its own Python process so imports and peak RSS are counted honestly.
Usage: .venv/bin/python bench/bench_gazetteer.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from geo.settings import load_settings
from geo.gazetteer import store as gz
s = load_settings().with_(cache_dir=__import__("pathlib").Path(sys.argv[1]))
t1 = time.perf_counter()
g = gz.build_gazetteer(s, force=True) if sys.argv[2] == "cold" else gz.load_gazetteer(s)
t2 = time.perf_counter()
gz.load_gazetteer(s)
t3 = time.perf_counter()
print(json.dumps({"import_s": round(t1 - t0, 2), "load_s": round(t2 - t1, 2),
                  "total_s": round(t2 - t0, 2), "again_in_process_ms": round((t3 - t2) * 1000, 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "places": len(g.places)}))
"""


def run(cache: str, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, cache, mode], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        results = {"cold": [], "warm": []}
        for _ in range(args.runs):
            results["cold"].append(run(cache, "cold"))
            results["warm"].append(run(cache, "warm"))
    for mode, rows in results.items():
        best = min(rows, key=lambda r: r["total_s"])
        print(f"{mode}: best of {len(rows)}: {json.dumps(best)}")


if __name__ == "__main__":
    main()
