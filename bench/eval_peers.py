"""Our geoparser beside JioNLP and cpca on the hand-annotated dev set (tests/data/dev_mentions.jsonl).

The peers give no offsets, so all three are compared on what they can all express: the set of
distinct (province, city, county) units each article mentions, at province/city/county level.
Also counted: the far-away namesakes each tool reports (合作市, 临江市 …: any unit outside 浙江省
that no gold mention names).

    .venv/bin/python bench/eval_peers.py        (needs: pip install -r bench/requirements.txt)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.corpus.reader import iter_documents, split_articles  # noqa: E402
from geo.evaluate import load_dev_set  # noqa: E402
from geo.pipeline import extract_corpus  # noqa: E402
from geo.settings import SEEDS_DIR  # noqa: E402

LEVELS = ("province", "city", "county")


def _units(rows) -> set[tuple]:
    """Distinct (level, name) of province/city/county mentions, in_org excluded."""
    return {(r["level"], r["name"]) for r in rows if r["level"] in LEVELS and not r.get("in_org")}


def _score(pred: dict, gold: dict) -> tuple[float, float, float]:
    tp = sum(len(pred[k] & gold[k]) for k in gold)
    fp = sum(len(pred[k] - gold[k]) for k in gold)
    fn = sum(len(gold[k] - pred[k]) for k in gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    gold_rows = load_dev_set()
    files = sorted(set(gold_rows["file"]))
    docs = [d for d in iter_documents([SEEDS_DIR / f for f in files]) if hasattr(d, "text")]
    articles = [a for d in docs for a in split_articles(d)]
    by_art = {}
    for a in articles:
        inside = gold_rows[
            (gold_rows["file"] == a.file) & (gold_rows["start"] >= a.start) & (gold_rows["end"] <= a.end)
        ]
        by_art[a.article_id] = _units(inside.to_dict("records"))

    t0 = time.perf_counter()
    x = extract_corpus([SEEDS_DIR / f for f in files])
    ours_t = time.perf_counter() - t0
    ours = {k: _units(x.mentions[x.mentions["article_id"] == k].to_dict("records")) for k in by_art}

    results = [("Corpus Atlas", ours, ours_t)]
    try:
        import jionlp

        jio, t0 = {}, time.perf_counter()
        for a in articles:
            got = set()
            res = jionlp.recognize_location(a.text)
            for loc, _ in res.get("domestic") or []:
                for lev, key in (("province", "province"), ("city", "city"), ("county", "county")):
                    if loc.get(key):
                        got.add((lev, loc[key]))
            jio[a.article_id] = got
        results.append(("JioNLP recognize_location", jio, time.perf_counter() - t0))
    except ImportError:
        print("jionlp not installed", file=sys.stderr)
    try:
        import cpca

        cp, t0 = {}, time.perf_counter()
        for a in articles:
            lines = [ln for ln in a.text.splitlines() if ln.strip()]
            df = cpca.transform(lines) if lines else None
            got = set()
            if df is not None:
                for prov, city, county in zip(df["省"], df["市"], df["区"]):
                    for lev, v in (("province", prov), ("city", city), ("county", county)):
                        if isinstance(v, str) and v and v != "市辖区":
                            got.add((lev, v))
            cp[a.article_id] = got
        results.append(("cpca transform (per line)", cp, time.perf_counter() - t0))
    except ImportError:
        print("cpca not installed (pip install -r bench/requirements.txt)", file=sys.stderr)

    gold_names = {n for s in by_art.values() for _, n in s}
    print(
        f"Dev set: {len(files)} files, {len(articles)} articles, "
        f"{sum(len(s) for s in by_art.values())} (article, unit) pairs at province/city/county level in the gold\n"
    )
    print("| tool | precision | recall | F1 | seconds | namesakes outside 浙江 not in gold |")
    print("|---|---|---|---|---|---|")
    for name, pred, secs in results:
        p, r, f = _score(pred, by_art)
        far = Counter(n for s in pred.values() for _, n in s if n not in gold_names)
        top = ", ".join(f"{n}×{c}" for n, c in far.most_common(6))
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {secs:.2f} | {top} |")


if __name__ == "__main__":
    main()
