"""Where extract's time goes, on one core: CPU seconds per pipeline stage (measured by wrapping the
stage functions, no profiler), then one run under cProfile (own time per function, grouped by
package, top functions of each stage) and one under pyinstrument (a call tree).

    .venv/bin/python bench/profile_extract.py CORPUS_DIR [OUT_DIR] [--stages-only]

Works on older checkouts too (``PYTHONPATH=/old/checkout``): the stage functions have kept their
names (the geoparse stage is ``geoparse_document`` since the columnar hand-off,
``geoparse_articles`` before). Prints the figures as JSON on its last line (bench/run.py reads it). The geoparser load
happens before anything is measured: it is not throughput.
"""

from __future__ import annotations

import cProfile
import gc
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH") or str(Path(__file__).resolve().parent.parent))

STAGES = (
    ("split into articles", "geo.pipeline", "split_articles"),
    ("metrics", "geo.pipeline", "document_metrics"),
    ("geoparse", "geo.pipeline", "geoparse_articles"),  # (before the columnar hand-off)
    ("geoparse", "geo.pipeline", "geoparse_document"),
    ("geoparse: resolution", "geo.geoparse.geoparser", "resolve_matches"),
    ("geoparse: article context", "geo.geoparse.geoparser", "confident_context"),
    ("geoparse: beyond home (village book, township short forms)", "geo.geoparse.geoparser", "_beyond_home"),
    ("geoparse: short forms on county evidence (lists, repeats)", "geo.geoparse.geoparser", "_short_names"),
)
#: cProfile own time by file, grouped (the pipeline's stages and what they call).
GROUPS = (
    ("geo/geoparse/", "geoparse (recognition, resolution)"),
    ("geo/metrics/", "metrics"),
    ("geo/corpus/", "corpus (reading, splitting)"),
    ("geo/", "pipeline, tables"),
    ("jieba", "jieba (organisation names)"),
    ("pandas", "pandas (result tables)"),
    ("pyarrow", "pandas (result tables)"),
    ("numpy", "pandas (result tables)"),
)


def _wrap(times: dict, module: str, name: str, label: str) -> None:
    mod = sys.modules[module]
    f = getattr(mod, name, None)
    if f is None:  # a stage function this checkout does not have (or names otherwise)
        return

    def timed(*a, **k):
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            times[label] += time.process_time() - t

    setattr(mod, name, timed)


def _geoparser(settings):
    try:
        from geo.geoparse import load_geoparser
    except ImportError:  # older checkouts: built from the gazetteer
        from geo.gazetteer import load_gazetteer
        from geo.geoparse import geoparser

        gaz = load_gazetteer(settings)
        return geoparser(gaz, settings.home_province), gaz
    return load_geoparser(settings), None


def stage_times(corpus: Path, runs: int = 1) -> dict:
    """CPU seconds per stage (best total of ``runs``), the rest being reading, collecting the
    rows and building the result tables."""
    import geo.geoparse.geoparser  # noqa: F401  (the module, for the wrappers)
    from geo.geoparse.recognize import Matcher
    from geo.pipeline import extract_corpus
    from geo.settings import load_settings

    settings = load_settings().with_(workers=1)
    _gp, gaz = _geoparser(settings)
    times: dict[str, float] = defaultdict(float)
    for label, module, name in STAGES:
        _wrap(times, module, name, label)
    scan = Matcher.scan

    def timed_scan(self, *a):
        t = time.process_time()
        try:
            return scan(self, *a)
        finally:
            times["geoparse: recognition"] += time.process_time() - t

    Matcher.scan = timed_scan  # type: ignore[method-assign]
    extract_corpus([corpus], settings, gazetteer=gaz)  # warm-up: jieba, word lists, caches
    best: dict = {}
    for _ in range(runs):
        times.clear()
        t0 = time.process_time()
        x = extract_corpus([corpus], settings, gazetteer=gaz)
        total = time.process_time() - t0
        if not best or total < best["total_cpu_s"]:
            chars = sum(d.chars for d in x.documents)
            stages = dict(times)
            stages["geoparse: mention records"] = max(
                0.0,
                stages.get("geoparse", 0)
                - stages.get("geoparse: recognition", 0)
                - stages.get("geoparse: resolution", 0)
                - stages.get("geoparse: article context", 0),
            )
            top = ("split into articles", "metrics", "geoparse")
            stages["read, collect rows, result tables"] = max(0.0, total - sum(stages.get(k, 0) for k in top))
            best = {"chars": chars, "mentions": len(x.mentions), "total_cpu_s": total, "stages": stages}
        del x
        gc.collect()
    best["chars_per_cpu_s"] = best["chars"] / best["total_cpu_s"]
    return best


def profiles(corpus: Path, out_dir: Path) -> dict:
    from geo.pipeline import extract_corpus
    from geo.settings import load_settings

    settings = load_settings().with_(workers=1)
    _gp, gaz = _geoparser(settings)
    extract_corpus([corpus], settings, gazetteer=gaz)
    prof = cProfile.Profile()
    prof.enable()
    extract_corpus([corpus], settings, gazetteer=gaz)
    prof.disable()
    st = pstats.Stats(prof)
    stats = st.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in stats.values())
    groups: dict[str, float] = defaultdict(float)
    by_file: dict[str, list] = defaultdict(list)
    for (path, line, func), (_cc, _nc, tt, _ct, _callers) in stats.items():
        label = next((g for key, g in GROUPS if key in path), "Python and other libraries")
        groups[label] += tt
        for key in ("geo/geoparse/", "geo/metrics/", "geo/corpus/"):
            if key in path:
                by_file[key].append((f"{Path(path).name}:{line}({func})", tt))
    with open(out_dir / "profile-cprofile.txt", "w", encoding="utf-8") as f:
        pstats.Stats(prof, stream=f).sort_stats("tottime").print_stats(80)
    result = {
        "cprofile_total_s": total,
        "groups": dict(sorted(groups.items(), key=lambda kv: -kv[1])),
        "top_by_stage": {k: sorted(v, key=lambda t: -t[1])[:8] for k, v in by_file.items()},
        "top_self": [
            (f"{Path(k[0]).name}:{k[1]}({k[2]})", v[2])
            for k, v in sorted(stats.items(), key=lambda kv: -kv[1][2])
        ][:15],
    }
    try:
        from pyinstrument import Profiler
    except ImportError:
        result["pyinstrument"] = None
    else:
        p = Profiler(interval=0.002)
        p.start()
        extract_corpus([corpus], settings, gazetteer=gaz)
        p.stop()
        (out_dir / "profile.txt").write_text(p.output_text(unicode=True, color=False), encoding="utf-8")
        result["pyinstrument"] = str(out_dir / "profile.txt")
    return result


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="a folder of .txt/.md files (bench/gen_corpus.py makes one)")
    ap.add_argument("out_dir", type=Path, nargs="?", default=Path(__file__).resolve().parent / "results")
    ap.add_argument("--stages-only", action="store_true", help="CPU seconds per stage only, no profilers")
    a = ap.parse_args()
    if not a.corpus.is_dir():
        ap.error(f"{a.corpus} is not a folder")
    corpus, out_dir = a.corpus, a.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    result = stage_times(corpus, runs=2)
    if not a.stages_only:
        result.update(profiles(corpus, out_dir))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
