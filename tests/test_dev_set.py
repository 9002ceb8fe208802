"""Integrity of the hand-annotated geoparser dev set (tests/data/dev_mentions.jsonl).

The dev set is what `python -m geo evaluate` scores the geoparser against, so a silent drift
(a seed re-saved with other line endings, a hand edit that shifts an offset, a place renamed in
one row only) would corrupt every figure we report. These tests pin the annotation itself; they
do not run the parser.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from geo.settings import PROJECT_DIR, SEEDS_DIR

DEV_SET = PROJECT_DIR / "tests" / "data" / "dev_mentions.jsonl"
LEVELS = {"province", "city", "county", "township", "village", "zone", "landmark", "country", "foreign"}
REQUIRED = {
    "file": str,
    "start": int,
    "end": int,
    "text": str,
    "name": str,
    "level": str,
    "province": (str, type(None)),
    "city": (str, type(None)),
    "county": (str, type(None)),
    "in_org": bool,
    "historical": bool,
}
#: Files annotated in full (every mention); see tests/data/dev_mentions.md.
ANNOTATED_FILES = {"002_21899192cf01c07e.txt", "000_42380dce9056bd41.txt", "003_c49358ad4db7109a.txt"}
#: Surface forms that neither contain nor are contained in the canonical name (aliases).
ALIASES = {("之江", "浙江省"), ("石林景区", "千岛湖石林")}


def _rows() -> list[dict]:
    lines = DEV_SET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


ROWS = _rows()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    # newline='' keeps the offsets in the file's own line endings, as the Mention contract requires.
    return {f: (SEEDS_DIR / f).open(encoding="utf-8", newline="").read() for f in {r["file"] for r in ROWS}}


def _id(r: dict) -> str:
    return f'{r["file"][:3]}:{r["start"]}:{r["text"]!r}'


def test_covers_the_annotated_files():
    assert {r["file"] for r in ROWS} == ANNOTATED_FILES
    per_file = defaultdict(int)
    for r in ROWS:
        per_file[r["file"]] += 1
    # Every file was annotated in full: each has far more than a handful of mentions.
    assert all(n >= 50 for n in per_file.values()), per_file


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_row_schema(row):
    for key, typ in REQUIRED.items():
        assert key in row, f"missing {key}"
        assert isinstance(row[key], typ), f"{key}={row[key]!r}"
    assert row["level"] in LEVELS
    assert 0 <= row["start"] < row["end"]
    assert row["name"].strip() == row["name"] and row["name"]


def test_offsets_match_text(texts):
    wrong = [
        (_id(r), texts[r["file"]][r["start"] : r["end"]])
        for r in ROWS
        if texts[r["file"]][r["start"] : r["end"]] != r["text"]
    ]
    assert not wrong


def test_text_is_a_form_of_the_name():
    # A mention's text is the full name, a short form of it (萧山 → 萧山区, 城西科创大走廊 →
    # 杭州城西科创大走廊) or the name plus a generic head (灵栖洞景区 → 灵栖洞); page breaks inside
    # a mention (湘\n\n城社区) are kept in the text.
    odd = []
    for r in ROWS:
        compact = "".join(r["text"].split()).replace("(", "（").replace(")", "）")
        if compact not in r["name"] and r["name"] not in compact and (compact, r["name"]) not in ALIASES:
            odd.append((_id(r), r["name"]))
    assert not odd


def test_no_duplicate_or_crossing_spans():
    by_file = defaultdict(list)
    for r in ROWS:
        by_file[r["file"]].append((r["start"], r["end"], r["text"]))
    for spans in by_file.values():
        spans.sort()
        assert len(spans) == len(set(s[:2] for s in spans)), "duplicate span"
        for (s1, e1, t1), (s2, e2, t2) in zip(spans, spans[1:]):
            # Adjacent (嘉兴市|南湖区) or properly nested spans are fine; crossing ones are not.
            assert s2 >= e1 or e2 <= e1, f"{t1}@{s1} crosses {t2}@{s2}"


def test_containing_units_follow_the_level():
    for r in ROWS:
        level, name = r["level"], r["name"]
        if level in ("country", "foreign"):
            assert r["province"] is r["city"] is r["county"] is None, _id(r)
            continue
        assert r["province"] == "浙江省", _id(r)  # the seeds are Zhejiang news
        if level == "province":
            assert r["province"] == name and r["city"] is None and r["county"] is None
        elif level == "city":
            assert r["city"] == name and r["county"] is None
        elif level == "county":
            assert r["county"] == name and r["city"]
        elif level in ("township", "village"):
            assert r["city"] and r["county"] and r["county"] != name, _id(r)
        if level == "village":
            assert r.get("township"), _id(r)


def test_one_place_one_description():
    # The same canonical name must always describe the same place (no row-level drift).
    seen: dict[str, tuple] = {}
    for r in ROWS:
        desc = (r["level"], r["province"], r["city"], r["county"], r.get("township"))
        assert seen.setdefault(r["name"], desc) == desc, (r["name"], desc, seen[r["name"]])


@pytest.mark.parametrize(
    "text,name,county",
    [
        ("河上镇", "河上镇", "萧山区"),
        ("七星街道", "七星街道", "南湖区"),
        ("东城街道", "东城街道", "黄岩区"),
        ("钦堂乡", "钦堂乡", "建德市"),
        ("湘家荡区域", "湘家荡区域", "南湖区"),
        ("萧山", "萧山区", "萧山区"),
    ],
)
def test_issue_cases_are_annotated(text, name, county):
    hits = [r for r in ROWS if r["text"] == text and r["name"] == name]
    assert hits and all(r["county"] == county for r in hits)


def test_ordinary_words_are_not_mentions(texts):
    # 合作, 临江 (临江书舍), 全省/全国 occur in the seeds but are not places.
    names = {r["name"] for r in ROWS}
    assert not names & {"合作市", "临江市"}
    covered = defaultdict(set)
    for r in ROWS:
        covered[r["file"]].update(range(r["start"], r["end"]))
    for f, t in texts.items():
        for word in ("合作", "临江", "全省", "全国"):
            i = t.find(word)
            while i >= 0:
                assert i not in covered[f], f"{word} in {f} at {i} annotated"
                i = t.find(word, i + 1)


def test_org_embedded_names_are_flagged():
    org = {(r["file"], r["start"]) for r in ROWS if r["in_org"]}
    plain = [r for r in ROWS if not r["in_org"]]
    # 嘉兴市第二医院, 浙江传媒学院, 之江实验室: in_org; 萧山区委组织部 (government body): plain.
    assert any(r["text"] == "嘉兴市" and (r["file"], r["start"]) in org for r in ROWS)
    zhijiang = [r for r in ROWS if r["text"] == "之江"]
    assert zhijiang and all(r["in_org"] for r in zhijiang)
    assert any(r["text"] == "萧山区" for r in plain)


def test_a_passage_set_given_as_dev_set_is_refused_by_name(tmp_path):
    """`evaluate --dev recall_dev3.jsonl` once ended in a pandas KeyError; now it names the fix."""
    import subprocess
    import sys

    from geo.errors import GoldSetError
    from geo.evaluate import load_dev_set

    passage_set = PROJECT_DIR / "tests" / "data" / "recall_dev3.jsonl"
    with pytest.raises(GoldSetError, match="--frozen --dev"):
        load_dev_set(passage_set)
    r = subprocess.run(
        [sys.executable, "-m", "geo", "evaluate", "--dev", str(passage_set)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2
    assert "passage set" in r.stderr and "Traceback" not in r.stderr
