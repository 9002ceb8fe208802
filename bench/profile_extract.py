"""Where extract's time goes: one run under cProfile (time per pipeline stage, top functions)
and one under pyinstrument when installed (a call tree, bench/results/profile.txt).

    .venv/bin/python bench/profile_extract.py CORPUS_DIR [OUT_DIR]

Prints the stage table as JSON on its last line (bench/run.py --profile MB reads it).
The gazetteer load and the automaton build happen before profiling: they are not throughput.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (module file, function) → stage; cumulative time of each, measured where the pipeline calls it.
STAGES = [
    ("read + decode files", "geo/corpus/reader.py", "iter_documents", None),
    ("split into articles", "geo/corpus/reader.py", "split_articles", None),
    ("recognition (Aho-Corasick scan + per-match checks)", "geo/geoparse/recognize.py", "scan", None),
    ("resolution", "geo/geoparse/resolve.py", "resolve_matches", None),
    ("resolution: document context", "geo/geoparse/resolve.py", "confident_context", "parse_document"),
    ("metrics (figures, periods, places)", "geo/metrics/document.py", "document_metrics", None),
]


def _find(stats: dict, path: str, func: str):
    return [k for k in stats if k[0].endswith(path) and k[2] == func]


def stage_times(prof: cProfile.Profile) -> dict:
    st = pstats.Stats(prof)
    stats = st.stats  # type: ignore[attr-defined]
    total = sum(v[3] for k in _find(stats, "geo/pipeline.py", "extract_corpus") for v in [stats[k]])
    out = {}
    for label, path, func, caller in STAGES:
        t = 0.0
        for k in _find(stats, path, func):
            _cc, _nc, _tt, ct, callers = stats[k]
            if caller is None:
                t += ct
            else:
                t += sum(v[3] for ck, v in callers.items() if ck[2] == caller)
        out[label] = t
    out["collect results + final DataFrames (rest)"] = max(0.0, total - sum(out.values()))
    top = sorted(stats.items(), key=lambda kv: -kv[1][2])[:15]
    return {
        "total_s": total,
        "stages": out,
        "top_self": [(f"{Path(k[0]).name}:{k[1]}({k[2]})", v[2]) for k, v in top],
    }


def main() -> None:
    corpus = Path(sys.argv[1])
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    from geo.gazetteer.store import load_gazetteer
    from geo.geoparse import geoparser
    from geo.pipeline import extract_corpus
    from geo.settings import load_settings

    settings = load_settings().with_(workers=1)
    gaz = load_gazetteer(settings)
    geoparser(gaz, settings.home_province)
    t0 = time.perf_counter()
    x = extract_corpus([corpus], settings, gazetteer=gaz)
    plain_s = time.perf_counter() - t0
    chars = sum(d.chars for d in x.documents)
    del x
    prof = cProfile.Profile()
    prof.enable()
    extract_corpus([corpus], settings, gazetteer=gaz)
    prof.disable()
    result = {"chars": chars, "plain_s": plain_s, "chars_per_s": chars / plain_s, **stage_times(prof)}
    with open(out_dir / "profile-cprofile.txt", "w", encoding="utf-8") as f:
        pstats.Stats(prof, stream=f).sort_stats("cumulative").print_stats(60)
    try:
        from pyinstrument import Profiler
    except ImportError:
        result["pyinstrument"] = None
    else:
        p = Profiler(interval=0.002)
        p.start()
        extract_corpus([corpus], settings, gazetteer=gaz)
        p.stop()
        (out_dir / "profile.txt").write_text(
            p.output_text(unicode=True, color=False, show_all=False), encoding="utf-8"
        )
        result["pyinstrument"] = str(out_dir / "profile.txt")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
