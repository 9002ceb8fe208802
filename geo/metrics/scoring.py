"""Scoring the metrics stage against a hand-annotated set (tests/data/metrics_dev.jsonl).

A predicted row *finds* a gold figure when it is in the same file, its span overlaps the gold
span and the indicator is the same; it is *right* when the place (gold lists acceptable names)
and the normalised value also agree. Period, growth, target flag and qualifier are scored on the
found figures only, so that one wrong period does not hide as a missed figure. ``by_metric``
gives precision (right / predicted) and recall (right / gold) per indicator.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def load_gold(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and a != a):
        return (a is None or a != a) and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    return a == b


def score_metrics(pred: pd.DataFrame, gold: list[dict], files: set[str] | None = None) -> dict:
    """Precision/recall of ``pred`` (a metrics frame) against ``gold`` rows, per file and overall."""
    files = files or {g["file"] for g in gold}
    pred = pred[pred["file"].isin(files)]
    rows = list(pred.itertuples(index=False))
    used: set[int] = set()
    found = right = 0
    per: dict[str, dict[str, int]] = {}
    attr = {"period": 0, "yoy_pct": 0, "is_target": 0, "qualifier": 0}
    misses, wrong = [], []
    for g in gold:
        if g["file"] not in files:
            continue
        hit = next(
            (
                k
                for k, r in enumerate(rows)
                if k not in used
                and r.file == g["file"]
                and r.start < g["end"]
                and g["start"] < r.end
                and r.metric == g["metric"]
            ),
            None,
        )
        tally = per.setdefault(g["metric"], {"gold": 0, "predicted": 0, "right": 0})
        tally["gold"] += 1
        if hit is None:
            misses.append(g)
            continue
        used.add(hit)
        r = rows[hit]
        found += 1
        ok = r.name in g["places"] and _same(r.value, g["value"])
        right += ok
        tally["right"] += ok
        if not ok:
            wrong.append((g, r.name, r.value))
        for a in attr:
            attr[a] += _same(getattr(r, a), g[a])
    n_gold = sum(1 for g in gold if g["file"] in files)
    extra = [r for k, r in enumerate(rows) if k not in used]
    p = lambda x, n: round(x / n, 3) if n else None
    for r in rows:
        per.setdefault(r.metric, {"gold": 0, "predicted": 0, "right": 0})["predicted"] += 1
    by_metric = {
        k: {**v, "precision": p(v["right"], v["predicted"]), "recall": p(v["right"], v["gold"])}
        for k, v in sorted(per.items())
    }
    return {
        "gold": n_gold,
        "predicted": len(rows),
        "found": found,
        "right": right,
        "precision_found": p(found, len(rows)),
        "recall_found": p(found, n_gold),
        "precision": p(right, len(rows)),
        "recall": p(right, n_gold),
        "attribute_accuracy": {a: p(v, found) for a, v in attr.items()},
        "by_metric": by_metric,
        "missed": misses,
        "wrong": wrong,
        "extra": extra,
    }
