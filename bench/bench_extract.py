"""Extraction throughput and memory, side by side with the floor (a bare Aho-Corasick scan with
the same automaton) and the peers (JioNLP, cpca when installed), in one run.

    .venv/bin/python bench/bench_extract.py --mb 50 --sizes 1,10,100 [--gb 1] [--workers 2]

Each measurement runs in a fresh child process so that its memory is its own. Memory is the
peak over the child's whole process tree (the pool workers included), sampled from /proc every
0.2 s: ``peak_pss_mb`` counts pages shared by forked workers once (the honest "memory used"),
``peak_rss_mb`` counts them in every process (an upper bound). Both are at least the
parent's own peak RSS (getrusage), which catches spikes between samples.
Prints a markdown table and writes bench/results/extract.md and extract.json.
``bench/run.py`` drives the same functions and writes the full report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"


def seed_ratio() -> float:
    """Characters per UTF-8 byte of the seeds (to turn corpus megabytes into characters)."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    data = b"".join(p.read_bytes() for p in seeds)
    return len(data.decode("utf-8")) / len(data)


def make_corpus(dest: Path, megabytes: float) -> tuple[int, int]:
    """Copies of the seeds (one file per copy) until the corpus holds ``megabytes`` of UTF-8."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    blobs = [(p.name, p.read_bytes()) for p in seeds]
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    n = 0
    target = megabytes * 1e6
    while total < target:
        for name, data in blobs:
            sub = dest / f"copy{n // 500:04d}"
            sub.mkdir(exist_ok=True)
            (sub / f"{n:06d}_{name}").write_bytes(data)
            total += len(data)
            n += 1
            if total >= target:
                break
    return total, n


# ------------------------------------------------------------------ memory of a process tree
def _children_of() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree_memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB summed over ``pid`` and all its descendants."""
    kids = _children_of()
    todo, rss, pss = [pid], 0, 0
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, ()))
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


class PeakMemory:
    """Samples the memory of this process and its descendants in a background thread."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.rss = self.pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        try:
            rss, pss = _tree_memory(os.getpid())
        except (OSError, ValueError):
            return
        self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()


# ------------------------------------------------------------------ one measurement (child)
def _layers_and_export(x, gaz, settings) -> dict:
    """Time the map layers and the GeoJSON export of an extraction (what the app/CLI do)."""
    from geo.export import to_geojson
    from geo.layers import county_layer, point_layer

    t0 = time.perf_counter()
    county = county_layer(gaz, x.mentions, x.articles, x.metrics, home_province=settings.home_province)
    t1 = time.perf_counter()
    points = point_layer(gaz, x.mentions, x.metrics)
    t2 = time.perf_counter()
    data = to_geojson({"county": county, "points": points})
    t3 = time.perf_counter()
    return {
        "county_layer_s": t1 - t0,
        "point_layer_s": t2 - t1,
        "geojson_s": t3 - t2,
        "geojson_mb": len(data) / 1e6,
        "county_features": len(county),
        "point_features": len(points),
    }


def _child(mode: str, corpus: str, workers: int, layers: bool = False) -> dict:
    """Runs in a child: one measurement, returns figures as a dict (printed as JSON)."""
    from geo.corpus.reader import iter_documents
    from geo.gazetteer.store import load_gazetteer
    from geo.settings import load_settings

    settings = load_settings().with_(workers=workers)
    t0 = time.perf_counter()
    gaz = load_gazetteer(settings)
    t_gaz = time.perf_counter() - t0
    chars = 0
    extra: dict = {}
    with PeakMemory() as mem:
        if mode == "extract":
            from geo.geoparse import geoparser
            from geo.pipeline import extract_corpus

            geoparser(gaz, settings.home_province)  # automaton build is not throughput
            t0, cpu0 = time.perf_counter(), os.times()
            x = extract_corpus([Path(corpus)], settings, gazetteer=gaz)
            dt, cpu1 = time.perf_counter() - t0, os.times()
            chars = sum(d.chars for d in x.documents)
            extra = {
                "mentions": len(x.mentions),
                "articles": len(x.articles),
                "metrics": len(x.metrics),
                "documents": len(x.documents),
            }
            if layers:
                extra.update(_layers_and_export(x, gaz, settings))
        elif mode == "scan":
            from geo.geoparse import geoparser

            gp = geoparser(gaz, settings.home_province)
            docs = list(iter_documents([Path(corpus)]))
            t0, cpu0 = time.perf_counter(), os.times()
            hits = 0
            for d in docs:
                if hasattr(d, "text"):
                    chars += len(d.text)
                    for _ in gp.matcher.automaton.iter_long(d.text):
                        hits += 1
            dt, cpu1 = time.perf_counter() - t0, os.times()
            extra = {"hits": hits}
        elif mode in ("jionlp", "cpca"):
            docs = [d for d in iter_documents([Path(corpus)]) if hasattr(d, "text")]
            texts = [line for d in docs for line in d.text.splitlines() if line.strip()]
            if mode == "jionlp":
                import jionlp

                jionlp.recognize_location("杭州市萧山区")  # loads its dictionaries, not timed
                t0, cpu0 = time.perf_counter(), os.times()
                for t in texts:
                    jionlp.recognize_location(t)
            else:
                import cpca

                cpca.transform(["杭州市萧山区"])
                t0, cpu0 = time.perf_counter(), os.times()
                cpca.transform(texts)
            dt, cpu1 = time.perf_counter() - t0, os.times()
            chars = sum(len(t) for t in texts)
        else:
            raise SystemExit(f"unknown mode {mode}")
    # CPU seconds of this process and its reaped children (the pool workers): on a shared
    # machine cpu_s / seconds says how many cores the run actually got.
    cpu = sum(b - a for a, b in zip(cpu0[:4], cpu1[:4]))
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "mode": mode,
        "seconds": dt,
        "chars": chars,
        "chars_per_s": chars / dt if dt else 0,
        "cpu_s": cpu,
        "peak_pss_mb": max(mem.pss, own_peak),
        "peak_rss_mb": max(mem.rss, own_peak),
        "parent_peak_rss_mb": own_peak,
        "gazetteer_load_s": t_gaz,
        "workers": workers,
        **extra,
    }


def measure(
    mode: str, corpus: Path, workers: int = 1, layers: bool = False, timeout: float | None = None
) -> dict | None:
    """One measurement in a fresh child process; None (with the reason on stderr) if it failed."""
    cmd = [sys.executable, __file__, "--child", mode, str(corpus), str(workers)] + (
        ["--layers"] if layers else []
    )
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{mode} on {corpus.name}: timed out after {timeout:.0f} s", file=sys.stderr)
        return None
    if r.returncode != 0:
        print(f"{mode} failed: {r.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3], int(sys.argv[4]), "--layers" in sys.argv[5:])))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50, help="size of the main throughput corpus")
    ap.add_argument("--sizes", default="1,10,100", help="scaling sizes in MB (comma-separated)")
    ap.add_argument("--gb", type=float, default=0, help="also run a corpus of this many GB on all cores")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--peer-kb", type=float, default=200, help="sample size for the peers (KB)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    raw: dict = {"machine": machine(), "scaling": []}
    try:
        main_dir = tmp / f"main{args.mb:g}"
        size, files = make_corpus(main_dir, args.mb)
        ex = raw["extract"] = measure("extract", main_dir)
        sc = raw["scan"] = measure("scan", main_dir)
        peer_dir = tmp / "peer"
        make_corpus(peer_dir, args.peer_kb / 1000)
        ex_small = raw["extract_sample"] = measure("extract", peer_dir)
        jio = raw["jionlp"] = measure("jionlp", peer_dir)
        cp = raw["cpca"] = measure("cpca", peer_dir)
        lines = [
            "# Extraction benchmark\n",
            f"Machine: {machine()}  ",
            f"Date: {time.strftime('%Y-%m-%d %H:%M')}\n",
            f"Main corpus: {size / 1e6:.1f} MB in {files} files (seeds replicated).\n",
            "| run | corpus | seconds | M chars/s | peak MB (PSS) | note |",
            "|---|---|---|---|---|---|",
        ]
        if ex:
            lines.append(
                f"| extract (1 core) | {args.mb:g} MB | {ex['seconds']:.1f} | {ex['chars_per_s'] / 1e6:.2f} | "
                f"{ex['peak_pss_mb']:.0f} | {ex['mentions']} mentions, {ex['metrics']} metrics |"
            )
        if sc:
            lines.append(
                f"| bare Aho-Corasick scan (floor) | {args.mb:g} MB | {sc['seconds']:.1f} | "
                f"{sc['chars_per_s'] / 1e6:.2f} | {sc['peak_pss_mb']:.0f} | {sc['hits']} raw hits |"
            )
        if ex_small:
            lines.append(
                f"| extract (1 core) | {args.peer_kb:g} KB sample | {ex_small['seconds']:.2f} | "
                f"{ex_small['chars_per_s'] / 1e6:.2f} | {ex_small['peak_pss_mb']:.0f} | |"
            )
        for name, r in (("JioNLP recognize_location", jio), ("cpca transform", cp)):
            if r:
                lines.append(
                    f"| {name} | {args.peer_kb:g} KB sample | {r['seconds']:.2f} | "
                    f"{r['chars_per_s'] / 1e6:.3f} | {r['peak_pss_mb']:.0f} | per line |"
                )
            else:
                lines.append(
                    f"| {name} | — | — | — | — | not installed (pip install -r bench/requirements.txt) |"
                )
        if ex and sc:
            lines.append(f"\nextract / bare scan = {ex['chars_per_s'] / sc['chars_per_s']:.1%}")
        if ex_small and jio:
            lines.append(f"extract / JioNLP = {ex_small['chars_per_s'] / jio['chars_per_s']:.0f}×")
        if ex_small and cp:
            lines.append(f"extract / cpca = {ex_small['chars_per_s'] / cp['chars_per_s']:.1f}×")
        lines += [
            "\n## Scaling\n",
            "| corpus | workers | seconds | M chars/s | peak MB (PSS) |",
            "|---|---|---|---|---|",
        ]
        for mb in [float(s) for s in args.sizes.split(",") if s]:
            d = tmp / f"scale{mb:g}"
            make_corpus(d, mb)
            for w in sorted({1, args.workers}):
                r = measure("extract", d, w)
                if r:
                    raw["scaling"].append({"mb": mb, **r})
                    lines.append(
                        f"| {mb:g} MB | {w} | {r['seconds']:.1f} | {r['chars_per_s'] / 1e6:.2f} | {r['peak_pss_mb']:.0f} |"
                    )
            shutil.rmtree(d, ignore_errors=True)
        if args.gb:
            d = tmp / "gb"
            make_corpus(d, args.gb * 1000)
            r = measure("extract", d, args.workers)
            if r:
                raw["scaling"].append({"mb": args.gb * 1000, **r})
                lines.append(
                    f"| {args.gb:g} GB | {args.workers} | {r['seconds']:.0f} | {r['chars_per_s'] / 1e6:.2f} | {r['peak_pss_mb']:.0f} |"
                )
        if ex:
            lines.append(f"\nGazetteer warm load in the child: {ex['gazetteer_load_s']:.2f} s")
        report = "\n".join(lines) + "\n"
        print(report)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "extract.md").write_text(report, encoding="utf-8")
        (RESULTS / "extract.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
