"""The matcher, chosen by measurement: pyahocorasick (iter_long), ahocorasick-rs and daachorse,
leftmost-longest over every name of the gazetteer, on the same generated corpus.

    .venv/bin/python bench/bench_matchers.py CORPUS_DIR [--json OUT]

For each: build time, bare scan over every document (CPU seconds, M chars per CPU-second, best
of --runs), hits, and whether its spans are identical to daachorse's (the pipeline's matcher),
document by document and article by article (the texts the pipeline scans, lines joined as it
joins them). Differences are listed with their context.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _matchers(patterns: list[str]) -> dict:
    """name → (build seconds, scan function returning [(start, end, pattern id)])."""
    out: dict = {}
    import daachorse

    t = time.process_time()
    da = daachorse.CharwiseDoubleArrayAhoCorasick(patterns, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
    out["daachorse"] = (time.process_time() - t, da.find)
    try:
        import ahocorasick_rs
    except ImportError:
        pass
    else:
        t = time.process_time()
        rs = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)
        out["ahocorasick-rs"] = (
            time.process_time() - t,
            lambda text: [(s, e, i) for i, s, e in rs.find_matches_as_indexes(text)],
        )
    try:
        import ahocorasick
    except ImportError:
        pass
    else:
        t = time.process_time()
        py = ahocorasick.Automaton()
        for i, p in enumerate(patterns):
            py.add_word(p, i)
        py.make_automaton()
        lens = [len(p) for p in patterns]
        out["pyahocorasick"] = (
            time.process_time() - t,
            lambda text: [(e + 1 - lens[i], e + 1, i) for e, i in py.iter_long(text)],
        )
    return out


def _version(pkg: str) -> str | None:
    try:
        return version(pkg)
    except PackageNotFoundError:
        return None


def run(corpus: Path, runs: int = 3) -> dict:
    from geo.corpus import iter_documents, split_articles
    from geo.geoparse import load_geoparser
    from geo.geoparse.recognize import _LINE_JOINT, _join_lines
    from geo.settings import load_settings

    gp = load_geoparser(load_settings())
    patterns = [e.surface for e in gp.matcher.entries]
    docs = [d for d in iter_documents([corpus]) if hasattr(d, "text")]
    texts = [d.text for d in docs]
    pieces = []  # what the pipeline scans: each article, its lines joined where it joins them
    for d in docs:
        for a in split_articles(d):
            pieces.append(a.text)
            if _LINE_JOINT.search(a.text):
                pieces.append(_join_lines(a.text)[0])
    chars = sum(map(len, texts))
    result: dict = {"patterns": len(patterns), "chars": chars, "documents": len(texts), "matchers": {}}
    matchers = _matchers(patterns)
    ref = matchers["daachorse"][1]
    for name, (build_s, scan) in matchers.items():
        best, hits = float("inf"), 0
        for _ in range(runs):
            t = time.process_time()
            hits = sum(len(scan(x)) for x in texts)
            best = min(best, time.process_time() - t)
        diffs = []
        for x in texts + pieces:
            a, b = scan(x), ref(x)
            if a != b:
                only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
                diffs.append(
                    {
                        "missing": [x[max(0, s - 4) : e + 4] + f" ({x[s:e]})" for s, e, _ in only_b][:3],
                        "extra": [x[max(0, s - 4) : e + 4] + f" ({x[s:e]})" for s, e, _ in only_a][:3],
                    }
                )
        pkg = {"daachorse": "daachorse", "ahocorasick-rs": "ahocorasick-rs", "pyahocorasick": "pyahocorasick"}
        result["matchers"][name] = {
            "version": _version(pkg[name]),
            "build_cpu_s": build_s,
            "scan_cpu_s": best,
            "chars_per_cpu_s": chars / best if best else 0,
            "hits": hits,
            "texts_differing_from_daachorse": len(diffs),
            "texts_compared": len(texts) + len(pieces),
            "examples": diffs[:5],
        }
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    res = run(args.corpus, args.runs)
    text = json.dumps(res, ensure_ascii=False, indent=1)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
