"""The atlas store on a generated corpus: build, incremental rebuild, and the app's queries.

Measures (issue 13's targets beside them in bench/REPORT.md):
- ``geo build`` from scratch: wall time, peak memory of the process tree (PSS), store size;
- a rebuild after one file changed (append a paragraph), and a no-op rebuild;
- the app's server-side work on the store, each in a fresh process (cold caches): opening the
  store, the map layers of the default filter state (SQL counts + layers), a filter change
  (one level), and click → article list (the place's mentions, its articles, their texts read and
  checked, the snippets), with the peak memory of that process (the app server's data).

Usage: .venv/bin/python bench/bench_store.py --corpus /tmp/bench-1g [--workers 2] [--out F]
(generate a corpus first: bench/gen_corpus.py --out /tmp/bench-1g --size 1GB --seed 1).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import PeakMemory

PROJECT = Path(__file__).resolve().parents[1]
CLICKS = ("330109", "330112", "330402", "331003")  # 萧山区 临安区 南湖区 黄岩区


def _run(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """(seconds, peak PSS MB of the tree, stdout) of a command."""
    t0 = time.perf_counter()
    with PeakMemory() as peak:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - t0, peak.pss, out


SERVER_WORK = r"""
import json, sys, time
t0 = time.perf_counter()
from geo.store import AtlasStore, query
from geo.gazetteer import load_gazetteer
from geo.layers import county_layer, point_layer
from geo.settings import load_settings
from geo.store.read import read_document
from geo import appkit
from pathlib import Path
out = {"import_s": time.perf_counter() - t0}
settings = load_settings()
t = time.perf_counter(); gaz = load_gazetteer(settings); out["gazetteer_s"] = time.perf_counter() - t
t = time.perf_counter(); s = AtlasStore(sys.argv[1]); out["open_s"] = time.perf_counter() - t

def layers(scope):
    m = query.scoped_metrics(s, scope)
    c = county_layer(gaz, None, None, m, home_province=settings.home_province,
                     counts=query.place_counts(s, scope, "county_id"), n_articles=query.article_count(s, scope))
    p = point_layer(gaz, None, m, counts=query.place_counts(s, scope, "place_id"),
                    first_mentions=lambda ids: query.first_mentions(s, ids))
    return c, p

t = time.perf_counter(); c, p = layers(query.Scope()); out["layers_s"] = time.perf_counter() - t
out["county_features"], out["point_features"] = len(c), len(p)
t = time.perf_counter(); layers(query.Scope(levels=("township",))); out["filter_change_s"] = time.perf_counter() - t
t = time.perf_counter(); query.totals(s, query.Scope()); out["caption_counts_s"] = time.perf_counter() - t
clicks = []
for pid in sys.argv[2].split(","):
    t = time.perf_counter()
    counts = query.place_summary(s, pid, query.Scope())
    mine = query.top_articles(s, pid, query.Scope(), 30)
    arts = query.articles_by_id(s, sorted(set(mine["article_id"].astype(str))))
    docs = query.document_files(s, sorted(set(arts["file"].astype(str))))
    texts = {f: read_document(Path(pa), d, f, s.path) for f, pa, d in docs.itertuples(index=False, name=None)}
    hits = appkit.articles_for_place(pid, mine, arts, texts)
    clicks.append({"place": pid, "seconds": time.perf_counter() - t, "mentions": counts["total"], "articles": len(hits)})
out["clicks"] = clicks
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--store", type=Path, help="default: a temporary file")
    ap.add_argument("--out", type=Path, default=PROJECT / "bench" / "results" / "store.json")
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    py = sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    store = args.store or tmp / "atlas.duckdb"
    store.unlink(missing_ok=True)
    size = sum(f.stat().st_size for f in args.corpus.rglob("*") if f.is_file())
    build = [py, "-m", "geo", "build", str(args.corpus), "--store", str(store), "--quiet", "--workers"]
    res: dict = {"corpus": str(args.corpus), "corpus_mb": size / 1e6, "workers": args.workers}
    secs, pss, out = _run([*build, str(args.workers)], env)
    res["build"] = {
        "seconds": secs,
        "peak_pss_mb": pss,
        "summary": out.strip(),
        "store_mb": store.stat().st_size / 1e6,
    }
    print("build", res["build"], flush=True)
    victim = sorted(f for f in args.corpus.rglob("*.txt"))[0]
    original = victim.read_bytes()
    try:
        victim.write_bytes(original + "\n\n本报讯 萧山区河上镇今年新增企业12家。\n".encode())
        secs, pss, out = _run([*build, "1"], env)
        res["rebuild_one_file"] = {"seconds": secs, "peak_pss_mb": pss, "summary": out.strip()}
    finally:
        victim.write_bytes(original)
    secs, pss, out = _run([*build, "1"], env)  # puts the file back (re-extracted once more)
    secs, pss, out = _run([*build, "1"], env)
    res["rebuild_nothing_changed"] = {"seconds": secs, "peak_pss_mb": pss, "summary": out.strip()}
    print(
        "rebuilds", res["rebuild_one_file"]["seconds"], res["rebuild_nothing_changed"]["seconds"], flush=True
    )
    secs, pss, out = _run([py, "-c", SERVER_WORK, str(store), ",".join(CLICKS)], env)
    res["server"] = {**json.loads(out), "wall_s": secs, "peak_pss_mb": pss}
    print("server", json.dumps(res["server"], ensure_ascii=False), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    if not args.store:
        store.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
