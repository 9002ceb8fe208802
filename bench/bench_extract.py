"""Measurements of extraction, each in a fresh child process: throughput beside the floor (a bare
scan with the pipeline's own automaton) and the peers (JioNLP, cpca), and the store build.

    .venv/bin/python bench/bench_extract.py extract /tmp/bench-20m          # one measurement
    .venv/bin/python bench/bench_extract.py build /tmp/bench-100m --workers 2

Every corpus is generated (bench/gen_corpus.py: regional-news shapes, gazetteer places), never the
seeds copied. ``--code DIR`` runs the measurement on another checkout of the project (an older
commit, for before/after comparisons): the child imports ``geo`` from there.

Each child reports wall seconds and CPU seconds (its own and its reaped children's: on a shared
machine CPU time is the throughput per core, wall time what a user waits). Memory is the peak
over the child's process tree, sampled from /proc every 0.2 s: ``peak_pss_mb`` counts pages shared
by forked workers once (memory used), ``peak_rss_mb`` counts them per process. ``bench/run.py``
drives these functions and writes bench/REPORT.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"


def make_corpus(dest: Path, megabytes: float, seed: int = 1) -> dict:
    """A generated corpus of ``megabytes`` (decimal) in ``dest``; returns gen_corpus's summary."""
    out = subprocess.run(
        [sys.executable, str(BENCH / "gen_corpus.py"), "--out", str(dest)]
        + ["--size", f"{int(megabytes * 1e6)}B", "--seed", str(seed), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    """Samples the memory of this process and its descendants in a background thread; keeps the
    peaks and a coarse time series of the tree's PSS (to see whether memory grows with time)."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.rss = self.pss = 0.0
        self.series: list[tuple[float, float]] = []
        self._t0 = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        try:
            rss, pss = _tree_memory(os.getpid())
        except (OSError, ValueError):
            return
        self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
        t = time.perf_counter() - self._t0
        if not self.series or t - self.series[-1][0] >= 2.0:
            self.series.append((round(t, 1), round(pss)))

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


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and its reaped children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# ------------------------------------------------------------------ one measurement (child)
def _geoparser(settings):
    """The pipeline's geoparser, loaded before timing (a one-off cost, reported under Gazetteer);
    works on older checkouts too (they build it from the gazetteer)."""
    try:
        from geo.geoparse import load_geoparser
    except ImportError:
        from geo.gazetteer import load_gazetteer
        from geo.geoparse import geoparser

        gaz = load_gazetteer(settings)
        return geoparser(gaz, settings.home_province), {"gazetteer": gaz}
    return load_geoparser(settings), {}


def _texts(corpus: str) -> list[str]:
    from geo.corpus.reader import iter_documents

    return [d.text for d in iter_documents([Path(corpus)]) if hasattr(d, "text")]


def _warm_up(gp) -> None:
    """One small text through the pipeline (loads jieba and the word lists, as the peers' own
    dictionaries are loaded before they are timed)."""
    from geo.pipeline import parse_document
    from geo.schema import Document

    text = "杭州银行萧山支行在浙江省杭州市萧山区河上镇，2024年产值增长5%。"
    parse_document(Document("warm-up.txt", Path("warm-up.txt"), text, "utf-8"), gp)


def _child(mode: str, corpus: str, workers: int) -> dict:
    """Runs in a child: one measurement, returns figures as a dict (printed as JSON)."""
    from geo.settings import load_settings

    settings = load_settings().with_(workers=workers)
    extra: dict = {}
    out: dict = {"mode": mode, "workers": workers}
    if mode in ("extract", "scan"):
        t0 = time.perf_counter()
        gp, extra = _geoparser(settings)
        out["geoparser_load_s"] = time.perf_counter() - t0
    if mode == "extract":
        _warm_up(gp)
    texts = _texts(corpus) if mode in ("scan", "jionlp", "cpca") else []
    if mode in ("jionlp", "cpca"):
        texts = [line for t in texts for line in t.splitlines() if line.strip()]
    with PeakMemory() as mem:
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        if mode == "extract":
            from geo.pipeline import extract_corpus

            x = extract_corpus([Path(corpus)], settings, gazetteer=extra.get("gazetteer"))
            out.update(
                chars=sum(d.chars for d in x.documents),
                mentions=len(x.mentions),
                articles=len(x.articles),
                metrics=len(x.metrics),
                documents=len(x.documents),
            )
        elif mode == "scan":
            automaton, hits = gp.matcher.automaton, 0
            if hasattr(automaton, "find"):  # daachorse
                for t in texts:
                    hits += len(automaton.find(t))
            else:  # pyahocorasick (older checkouts)
                for t in texts:
                    for _ in automaton.iter_long(t):
                        hits += 1
            out.update(chars=sum(map(len, texts)), hits=hits, matcher=type(automaton).__module__)
        elif mode == "build":
            store = Path(tempfile.mkdtemp(prefix="atlas-bench-store-")) / "atlas.duckdb"
            cmd = [sys.executable, "-m", "geo", "build", corpus, "--store", str(store), "--quiet"]
            r = subprocess.run(cmd + ["--workers", str(workers)], capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(r.stderr.strip().splitlines()[-1:])
            out.update(summary=r.stdout.strip().splitlines()[-1], store_mb=store.stat().st_size / 1e6)
            out["chars"] = _store_chars(store)
            for f in store.parent.iterdir():
                f.unlink()
            store.parent.rmdir()
        elif mode == "jionlp":
            import jionlp

            jionlp.recognize_location("杭州市萧山区")  # loads its dictionaries, not timed
            t0, cpu0 = time.perf_counter(), cpu_seconds()
            for t in texts:
                jionlp.recognize_location(t)
            out["chars"] = sum(map(len, texts))
        elif mode == "cpca":
            _pkg_resources_shim()
            import cpca

            cpca.transform(["杭州市萧山区"])
            t0, cpu0 = time.perf_counter(), cpu_seconds()
            cpca.transform(texts)
            out["chars"] = sum(map(len, texts))
        else:
            raise SystemExit(f"unknown mode {mode}")
        dt, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.update(
        seconds=dt,
        cpu_s=cpu,
        chars_per_s=out["chars"] / dt if dt else 0,
        chars_per_cpu_s=out["chars"] / cpu if cpu else 0,
        peak_pss_mb=max(mem.pss, own_peak),
        peak_rss_mb=max(mem.rss, own_peak),
        pss_series=mem.series,
        loadavg=os.getloadavg(),
    )
    return out


def _pkg_resources_shim() -> None:
    """cpca 0.5.5 reads its table with ``pkg_resources.resource_stream``, which setuptools ≥ 81 no
    longer ships: give it the same bytes through importlib.resources (this process only)."""
    try:
        import pkg_resources  # noqa: F401
    except ImportError:
        import types
        from importlib.resources import files

        shim = types.ModuleType("pkg_resources")
        shim.resource_stream = lambda package, name: files(package).joinpath(name).open("rb")  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = shim


def _store_chars(store: Path) -> int:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        return int(con.execute("SELECT coalesce(sum(chars), 0) FROM documents").fetchone()[0])
    finally:
        con.close()


def measure(
    mode: str, corpus: Path, workers: int = 1, code: Path | None = None, timeout: float | None = None
) -> dict | None:
    """One measurement in a fresh child process (``code``: the checkout whose ``geo`` it runs);
    None (with the reason on stderr) if it failed."""
    code = (code or ROOT).resolve()
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(corpus), str(workers)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=code)
    except subprocess.TimeoutExpired:
        print(f"{mode} on {corpus.name}: timed out after {timeout:.0f} s", file=sys.stderr)
        return None
    if r.returncode != 0:
        print(f"{mode} failed: {r.stderr.strip().splitlines()[-3:]}", file=sys.stderr)
        return None
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res["code"] = "current" if code == ROOT else str(code)
    return res


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
        sys.path.insert(0, os.environ.get("PYTHONPATH") or str(ROOT))
        print(json.dumps(_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["extract", "scan", "build", "jionlp", "cpca"])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--code", type=Path, help="another checkout of the project to measure")
    args = ap.parse_args()
    print(json.dumps(measure(args.mode, args.corpus, args.workers, args.code), indent=1))


if __name__ == "__main__":
    main()
