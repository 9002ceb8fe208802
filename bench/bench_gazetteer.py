"""Gazetteer and geoparser start-up: cold build (fresh cache), warm load of the gazetteer, and the
warm start of an extracting process (what a worker needs: the geoparser), each in a new process.

    .venv/bin/python bench/bench_gazetteer.py [--runs N] [--code DIR]

- ``cold``: gazetteer built from the packages and curated files, then the geoparser (candidate
  tables, automaton) built and cached, in an empty cache folder;
- ``gazetteer``: ``load_gazetteer`` from a warm cache (places, names, county shapes);
- ``geoparser``: what an extracting process loads before its first document: the compact cached
  geoparser (``load_geoparser``); on an older checkout (``--code``), the gazetteer and the
  geoparser built from it, which is what it did.

Seconds are wall and CPU of the load alone (imports reported apart); memory is the process's
resident set after the load minus before it (what the load added), and its peak.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
t0, c0 = time.perf_counter(), time.process_time()
from pathlib import Path
from geo.settings import load_settings
from geo.gazetteer import store as gz
try:
    from geo.geoparse import load_geoparser
except ImportError:
    load_geoparser = None
from geo.geoparse import geoparser
s = load_settings().with_(cache_dir=Path(sys.argv[1]))
mode = sys.argv[2]
t1, c1, r1 = time.perf_counter(), time.process_time(), rss()
if mode == "cold":
    g = gz.build_gazetteer(s, force=True)
    gp = load_geoparser(s) if load_geoparser else geoparser(gz.load_gazetteer(s), s.home_province)
elif mode == "gazetteer":
    g = gz.load_gazetteer(s)
elif load_geoparser is not None:
    gp = load_geoparser(s)
else:
    gp = geoparser(gz.load_gazetteer(s), s.home_province)
t2, c2, r2 = time.perf_counter(), time.process_time(), rss()
print(json.dumps({"import_s": round(t1 - t0, 3), "load_s": round(t2 - t1, 3), "load_cpu_s": round(c2 - c1, 3),
                  "added_mb": round(r2 - r1), "rss_mb": round(r2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def run(cache: str, mode: str, code: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, cache, mode],
        cwd=code,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(runs: int = 3, code: Path | None = None) -> dict:
    """Best of ``runs`` (by load CPU seconds) for each mode, cold builds in a fresh cache folder."""
    code = (code or PROJECT).resolve()
    results: dict[str, list] = {"cold": [], "gazetteer": [], "geoparser": []}
    with tempfile.TemporaryDirectory() as cache:
        for _ in range(runs):
            results["cold"].append(run(cache, "cold", code))
            results["gazetteer"].append(run(cache, "gazetteer", code))
            results["geoparser"].append(run(cache, "geoparser", code))
    return {mode: min(rows, key=lambda r: r["load_cpu_s"]) for mode, rows in results.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--code", type=Path, help="another checkout of the project to measure")
    args = ap.parse_args()
    print(json.dumps(measure(args.runs, args.code), indent=1))


if __name__ == "__main__":
    main()
