"""Former names of places: the curated table (gazetteer/historical.csv) plus jionlp's change list.

A former name maps to the unit that succeeded it, with the last year it was current, so a text
can be read in its own time: 萧山市 (until 2001) → 萧山区, 襄樊市 (until 2010) → 襄阳市. The curated
table covers Zhejiang's county-level changes since 1980, township merges we could source and
other units the corpus met; jionlp's ``china_location_change.txt`` (a registry package's data,
read at build time) adds the changes it lists for every province since 2000.
"""

from __future__ import annotations

import pandas as pd

from geo.gazetteer import sources as src
from geo.gazetteer.curated import HistoricalName

_CHANGE_FILE = "china_location_change.txt"


def jionlp_changes(places: pd.DataFrame, version: str) -> tuple[list[HistoricalName], int]:
    """Renamed or re-levelled units from jionlp's change list, as former names of today's units.

    A line reads ``date, kind, old chain … => new chain`` (襄樊市 => 湖北省 襄阳市; 平泉县 => 平泉市).
    Only changed names are kept (樊城区 under 襄樊 → 樊城区 under 襄阳 adds nothing); a line whose
    new unit is not in the names source is counted and skipped.
    """
    by_chain: dict[tuple[str, ...], str] = {}
    admin = places[places["level"].isin(("province", "city", "county"))]
    for pid, lev, prov, city, name in zip(
        *(admin[c].tolist() for c in ("place_id", "level", "province", "city", "name"))
    ):
        if lev == "province":
            by_chain[(name,)] = pid
        elif lev == "city":
            by_chain[(prov, name)] = pid
        else:
            by_chain[(prov, city or "", name)] = pid
            by_chain.setdefault((prov, name), pid)  # municipalities' districts have no city
    out, skipped = [], 0
    seen: set[tuple[str, str]] = set()
    for line in src.read_jionlp_text(_CHANGE_FILE).splitlines():
        if "=>" not in line:
            continue
        left, right = line.split("=>", 1)
        lf, rf = left.strip().split("\t"), [x for x in right.strip().split("\t") if x]
        if len(lf) < 5:
            continue
        date, kind, old = lf[0], lf[1], lf[2::2]  # full names: province, city, county
        old_name = old[-1]
        pid = by_chain.get(tuple(rf)) or by_chain.get((rf[0], rf[-1]))
        if pid is None:
            skipped += 1
            continue
        if old_name == rf[-1] or (old_name, pid) in seen:
            continue
        seen.add((old_name, pid))
        year = int(date[:4]) if date[:4].isdigit() else None
        new = "".join(rf[1:]) or rf[0]
        out.append(
            HistoricalName(
                old_name,
                pid,
                f"{old_name} ({'/'.join(old[:-1])}) became {new} on {date} ({kind})",
                f"jionlp {version} {_CHANGE_FILE}",
                f"jionlp:{_CHANGE_FILE}",
                year,
            )
        )
    return out, skipped
