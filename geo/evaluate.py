"""Evaluate the geoparser against hand-annotated gold sets: the seeds' dev set and the frozen set.

- ``tests/data/dev_mentions.jsonl``: three seeds, annotated while the rules were written (a
  regression check, ``python -m geo evaluate``).
- ``tests/data/frozen_eval.jsonl``: 31 passages of public news the rules were never tuned on
  (``python -m geo evaluate --frozen``); run it to report, never to choose a rule.
- ``tests/data/frozen_eval_v2.jsonl``: the second frozen set, 33 passages annotated after v1 had been
  looked at (``python -m geo evaluate --frozen-v2``); same format, same scorer, same rule.
- ``tests/data/frozen_eval_v3.jsonl``: the third frozen set, 31 passages annotated after v2 had been
  looked at (``python -m geo evaluate --frozen-v3``); same format, same scorer, same rule.
- ``tests/data/frozen_eval_v4.jsonl``: the fourth frozen set, 22 passages annotated before the
  ``recall-v4`` rules (``python -m geo evaluate --frozen-v4 --limit 0``: totals only); its
  development companion ``recall_dev3.jsonl`` (same format) may be read and tuned on.
- ``tests/data/frozen_eval_v5.jsonl``: the fifth frozen set, 26 passages annotated before the
  ``recall-v5`` rules (``python -m geo evaluate --frozen-v5 --limit 0``: totals and counts of misses
  by class only, never an error row).
- ``tests/data/frozen_eval_v6.jsonl``: the sixth frozen set, 30 passages annotated after v5 had judged
  the ``recall-v5`` rules (``python -m geo evaluate --frozen-v6 --limit 0``, as v5).

Recognition is scored on exact spans (file, start, end); resolution on the spans both sides
found: right when the canonical name and the containing county/province agree. The frozen
scorer adds two rules its conventions need (see ``frozen_eval.md``): a historical gold row
(萧山市) is right when the mention is flagged historical and resolves to the unit the gazetteer
gives as its successor; a zone or landmark whose official name differs from the one written
(盐城经开区 → 盐城经济技术开发区) is right when it is a zone/landmark in the gold county (or
province where the gold county is null). ``strict`` counts names only, as the dev scorer does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import GoldSetError
from geo.gazetteer import load_gazetteer
from geo.pipeline import extract_corpus, mentions_in_text
from geo.schema import LEVELS
from geo.settings import PROJECT_DIR, SEEDS_DIR, Settings, load_settings

DEV_SET = PROJECT_DIR / "tests" / "data" / "dev_mentions.jsonl"
FROZEN_SET = PROJECT_DIR / "tests" / "data" / "frozen_eval.jsonl"
FROZEN_SET_V2 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v2.jsonl"
FROZEN_SET_V3 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v3.jsonl"
FROZEN_SET_V4 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v4.jsonl"
FROZEN_SET_V5 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v5.jsonl"
FROZEN_SET_V6 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v6.jsonl"
FROZEN_SET_V7 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v7.jsonl"
FROZEN_SET_V8 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v8.jsonl"
FROZEN_SET_V9 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v9.jsonl"
FROZEN_SET_V10 = PROJECT_DIR / "tests" / "data" / "frozen_eval_v10.jsonl"
#: The later frozen sets by the version their ``--frozen-vN`` flag names (v1 is ``--frozen``).
FROZEN_SETS: dict[int, Path] = {
    2: FROZEN_SET_V2,
    3: FROZEN_SET_V3,
    4: FROZEN_SET_V4,
    5: FROZEN_SET_V5,
    6: FROZEN_SET_V6,
    7: FROZEN_SET_V7,
    8: FROZEN_SET_V8,
    9: FROZEN_SET_V9,
    10: FROZEN_SET_V10,
}
RECALL_DEV3 = PROJECT_DIR / "tests" / "data" / "recall_dev3.jsonl"
_AREA_LEVELS = ("zone", "landmark")


@dataclass
class Scores:
    tp: int
    fp: int
    fn: int
    resolved_right: int
    resolved_total: int
    strict_right: int = 0  # resolution with names compared exactly (the dev scorer's rule)
    by_level: dict = field(default_factory=dict)  # gold level -> [found, gold]: recall per level
    # gold flag (historical, in_org) -> [found, gold], and predicted level -> false positives: the
    # error classes a held-out set is reported by without printing a row of it (--limit 0)
    by_flag: dict = field(default_factory=dict)
    fp_by_level: dict = field(default_factory=dict)
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
    """Gold mentions keyed by seed file; a passage set (``kind``/``passage_id`` rows) is refused by name."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if any("file" not in r for r in rows):
        if any(r.get("kind") == "passage" for r in rows):
            raise GoldSetError(f"{path} is a passage set: score it with `evaluate --frozen --dev {path}`")
        raise GoldSetError(f"{path}: every row of a dev set needs a 'file' (a seed file name)")
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


def _flag(v) -> bool:
    """A boolean field of a row (a missing one, NaN in a frame, is False)."""
    return bool(v) if isinstance(v, (bool, np.bool_)) else False


def _same_area(pred: dict, gold: dict) -> bool:
    """A zone/landmark in the gold one's county (or province): 苏州高新区 written, 苏州高新技术产业开发区
    annotated. The span is already scored by recognition; this checks where it is put."""
    if gold["level"] not in _AREA_LEVELS or pred["level"] not in _AREA_LEVELS:
        return False
    for key in ("county", "province"):
        g = _text(gold.get(key))
        if g and g != _text(pred.get(key)):
            return False
    return True


def score(
    predicted: pd.DataFrame, gold: pd.DataFrame, historical_of: set[tuple[str, str]] | None = None
) -> Scores:
    """Compare predicted mentions with gold ones, restricted to the files the gold set covers.

    ``historical_of`` ((old name, place_id) pairs from the gazetteer) switches on the frozen
    set's rules for historical rows and differently named zones (module docstring)."""
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
    for k, g in g_by.items():
        tally = s.by_level.setdefault(g["level"], [0, 0])
        tally[0] += k in both
        tally[1] += 1
        for flag in ("historical", "in_org"):
            if _flag(g.get(flag)):
                flagged = s.by_flag.setdefault(flag, [0, 0])
                flagged[0] += k in both
                flagged[1] += 1
    for k in p_by.keys() - g_by.keys():
        lv = p_by[k]["level"]
        s.fp_by_level[lv] = s.fp_by_level.get(lv, 0) + 1
    for k in sorted(both):
        pred, g = p_by[k], g_by[k]
        strict = _same_place(pred, g)
        right = strict
        if historical_of is not None and not strict:
            if _flag(g.get("historical")):
                right = _flag(pred.get("historical")) and (g["name"], pred["place_id"]) in historical_of
            else:
                right = _same_area(pred, g)
        s.strict_right += strict
        if right:
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


def load_frozen_set(path: Path = FROZEN_SET) -> tuple[dict[str, str], pd.DataFrame]:
    """The frozen set: passage id → text, and the gold mentions (``file`` = passage id)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {r["passage_id"]: r["text"] for r in rows if r["kind"] == "passage"}
    gold = pd.DataFrame([{**r, "file": r["passage_id"]} for r in rows if r["kind"] == "mention"])
    return texts, gold


def evaluate_frozen(path: Path = FROZEN_SET, settings: Settings | None = None) -> Scores:
    """Score the geoparser on the frozen set: each passage is read as one document."""
    settings = settings or load_settings()
    gaz = load_gazetteer(settings)
    texts, gold = load_frozen_set(path)
    frames = [mentions_in_text(t, gaz, settings, file=pid) for pid, t in texts.items()]
    predicted = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    n = gaz.names
    hist = n[n["name_type"] == "historical"]
    return score(predicted, gold, set(zip(hist["name"], hist["place_id"])))


def report(s: Scores, limit: int = 40) -> str:
    lines = [
        f"recognition: precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"(tp {s.tp}, fp {s.fp}, fn {s.fn})",
        f"resolution:  accuracy {s.accuracy:.3f}  ({s.resolved_right}/{s.resolved_total})"
        + (
            f"; names compared exactly {s.strict_right / s.resolved_total:.3f} ({s.strict_right})"
            if s.resolved_total and s.strict_right != s.resolved_right
            else ""
        ),
    ]
    if s.by_level:
        levels = [lv for lv in LEVELS if lv in s.by_level]
        lines.append(
            "recall by level: " + "  ".join(f"{lv} {s.by_level[lv][0]}/{s.by_level[lv][1]}" for lv in levels)
        )
    if s.by_flag:
        lines.append(
            "recall of flagged rows: "
            + "  ".join(f"{f} {s.by_flag[f][0]}/{s.by_flag[f][1]}" for f in sorted(s.by_flag))
        )
    if s.fp_by_level:
        levels = [lv for lv in LEVELS if lv in s.fp_by_level]
        lines.append("false positives by level: " + "  ".join(f"{lv} {s.fp_by_level[lv]}" for lv in levels))
    for title, items in (
        ("false positives", s.false_positives),
        ("missed", s.false_negatives),
        ("wrong place", s.wrong_place),
    ):
        if items:
            lines.append(f"-- {title} ({len(items)}):")
            lines.extend(f"   {it}" for it in items[:limit])
    return "\n".join(lines)


RECALL_DEV = PROJECT_DIR / "tests" / "data" / "recall_dev.jsonl"


@dataclass
class ClassScores:
    """Per error class of the recall work: expected mentions found / expected, and the spans that
    must stay free (发展中国家's 中国) that a mention covered."""

    found: dict = field(default_factory=dict)  # class -> [found, expected]
    missed: list = field(default_factory=list)  # (passage, text, name, class)
    rejects_hit: list = field(default_factory=list)  # (passage, span text, mention text)
    extra: list = field(default_factory=list)  # (passage, text, name, level): new-level mentions not expected


def evaluate_classes(path: Path = RECALL_DEV, settings: Settings | None = None) -> ClassScores:
    """Score the recall development set (``tests/data/recall_dev.jsonl``: passages of public news
    beyond the seeds and the frozen set, each with the class mentions it must give and the spans it
    must not): an expected mention counts when its span, name and level are found (a zone: its
    span and level)."""
    settings = settings or load_settings()
    gaz = load_gazetteer(settings)
    out = ClassScores()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        got = mentions_in_text(d["text"], gaz, settings, file=d["passage_id"])
        rows = got.to_dict("records") if not got.empty else []
        by_span = {(r["start"], r["end"]): r for r in rows}
        expected = set()
        for e in d["expect"]:
            expected.add((e["start"], e["end"]))
            tally = out.found.setdefault(e["cls"], [0, 0])
            tally[1] += 1
            r = by_span.get((e["start"], e["end"]))
            # a zone is written otherwise than its official name (合肥经开区): span and level suffice
            if (
                r is not None
                and r["level"] == e["level"]
                and (e["level"] == "zone" or r["name"] == e["name"])
            ):
                tally[0] += 1
            else:
                out.missed.append((d["passage_id"], e["text"], e["name"], e["cls"]))
        for j in d["reject"]:
            for r in rows:
                if r["start"] < j["end"] and j["start"] < r["end"]:
                    out.rejects_hit.append((d["passage_id"], j["text"], r["text"]))
        for r in rows:
            if (r["start"], r["end"]) not in expected and r["level"] in (
                "village",
                "country",
                "foreign",
                "zone",
            ):
                out.extra.append((d["passage_id"], r["text"], r["name"], r["level"]))
    return out


def report_classes(s: ClassScores) -> str:
    lines = [f"{cls}: {f}/{n} found" for cls, (f, n) in sorted(s.found.items())]
    lines.append(f"spans that must stay free, covered: {len(s.rejects_hit)}")
    for title, items in (
        ("missed", s.missed),
        ("covered", s.rejects_hit),
        ("other mentions (check)", s.extra),
    ):
        if items:
            lines.append(f"-- {title} ({len(items)}):")
            lines.extend(f"   {it}" for it in items)
    return "\n".join(lines)
