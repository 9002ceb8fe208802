"""Evaluate the geoparser against the hand-annotated dev set (tests/data/dev_mentions.jsonl).

Recognition is scored on exact spans (file, start, end); resolution on the spans both sides
found: right when the canonical name and the containing county/province agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.pipeline import extract_corpus
from geo.settings import PROJECT_DIR, SEEDS_DIR, Settings

DEV_SET = PROJECT_DIR / "tests" / "data" / "dev_mentions.jsonl"


@dataclass
class Scores:
    tp: int
    fp: int
    fn: int
    resolved_right: int
    resolved_total: int
    false_positives: list = field(default_factory=list)
    false_negatives: list = field(default_factory=list)
    wrong_place: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.resolved_right / self.resolved_total if self.resolved_total else 0.0


def load_dev_set(path: Path = DEV_SET) -> pd.DataFrame:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pd.DataFrame(rows)


def _text(v) -> str | None:
    return v if isinstance(v, str) and v else None


def _same_place(pred: dict, gold: dict) -> bool:
    """Same canonical name, and the same county/province wherever the gold row names one."""
    if pred["name"] != gold["name"]:
        return False
    for key in ("county", "province"):
        g = _text(gold.get(key))
        if g and g != _text(pred.get(key)):
            return False
    return True


def score(predicted: pd.DataFrame, gold: pd.DataFrame) -> Scores:
    """Compare predicted mentions with gold ones, restricted to the files the gold set covers."""
    files = set(gold["file"])
    pred = predicted[predicted["file"].isin(files)]
    p_by = {(r["file"], r["start"], r["end"]): r for r in pred.to_dict("records")}
    g_by = {(r["file"], r["start"], r["end"]): r for r in gold.to_dict("records")}
    both = p_by.keys() & g_by.keys()
    s = Scores(
        tp=len(both),
        fp=len(p_by.keys() - g_by.keys()),
        fn=len(g_by.keys() - p_by.keys()),
        resolved_right=0,
        resolved_total=len(both),
    )
    for k in sorted(both):
        if _same_place(p_by[k], g_by[k]):
            s.resolved_right += 1
        else:
            s.wrong_place.append(
                (k, g_by[k]["name"], g_by[k].get("county"), p_by[k]["name"], p_by[k].get("county"))
            )
    s.false_positives = sorted((k, p_by[k]["text"], p_by[k]["name"]) for k in p_by.keys() - g_by.keys())
    s.false_negatives = sorted((k, g_by[k]["text"], g_by[k]["name"]) for k in g_by.keys() - p_by.keys())
    return s


def evaluate(
    dev_path: Path = DEV_SET, corpus_dir: Path = SEEDS_DIR, settings: Settings | None = None
) -> Scores:
    gold = load_dev_set(dev_path)
    paths = [corpus_dir / f for f in sorted(set(gold["file"]))]
    x = extract_corpus(paths, settings)
    # extract_corpus names files relative to each path given; a single file keeps its basename.
    return score(x.mentions, gold)


def report(s: Scores, limit: int = 40) -> str:
    lines = [
        f"recognition: precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"(tp {s.tp}, fp {s.fp}, fn {s.fn})",
        f"resolution:  accuracy {s.accuracy:.3f}  ({s.resolved_right}/{s.resolved_total})",
    ]
    for title, items in (
        ("false positives", s.false_positives),
        ("missed", s.false_negatives),
        ("wrong place", s.wrong_place),
    ):
        if items:
            lines.append(f"-- {title} ({len(items)}):")
            lines.extend(f"   {it}" for it in items[:limit])
    return "\n".join(lines)
