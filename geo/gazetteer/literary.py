"""Literary and customary names of provinces and cities (别称, 雅称, 古称) that news writes for the
unit itself: 八闽大地 is 福建省, 荆楚 湖北省, 鹏城 深圳市, 泉城 济南市 (gazetteer/literary_names.csv,
each row with the public page that gives the name).

A literary name stands for the whole unit, so it resolves to the province or city itself and is
never finer; its names-table row has ``name_type`` ``literary`` and a note ``literary name (别称)
of …`` (``python -m geo gazetteer lookup 荆楚`` shows it). A name that is also another place's
name (榕城 is 揭阳's 榕城区, 滨城 滨州's 滨城区) is kept as a short form instead: one candidate
among the others, read only with evidence in the article (福州 beside 榕城).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import CuratedRowError
from geo.gazetteer.curated import _rows
from geo.gazetteer.names import NAME_COLUMNS

LITERARY_COLUMNS = ("name", "place_id", "kind", "source", "note")
LITERARY_KINDS = frozenset(("别称", "雅称", "古称"))
LITERARY_LEVELS = frozenset(("province", "city"))
#: The names-table type of a literary name read on its own, like an alias.
LITERARY = "literary"
LITERARY_NOTE = "literary name ({}) of {} [{}; {}:{}]"


def read_literary(path: Path, display: str, places: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(name, place_id, note) rows of gazetteer/literary_names.csv: every value present, the kind
    one of 别称/雅称/古称, the place a province or city (a literary name never names a county or a
    town here), no name twice, at least two characters (穗, 甬 alone are in too many words)."""
    listed = list(_rows(path, LITERARY_COLUMNS, display))
    mine = places[places["place_id"].isin([row["place_id"] for _line, row in listed])]
    level = dict(zip(mine["place_id"], mine["level"]))
    full = dict(zip(mine["place_id"], mine["name"]))
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for line, row in listed:
        for col in ("name", "place_id", "kind", "source"):
            if not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        name, pid = row["name"], row["place_id"]
        if row["kind"] not in LITERARY_KINDS:
            raise CuratedRowError(display, line, f"kind {row['kind']!r} is not one of 别称/雅称/古称")
        if level.get(pid) not in LITERARY_LEVELS:
            raise CuratedRowError(display, line, f"place_id {pid!r} is not a province or city")
        if len(name) < 2 or name in seen:
            raise CuratedRowError(display, line, f"name {name!r} is a single character or listed twice")
        seen.add(name)
        out.append((name, pid, LITERARY_NOTE.format(row["kind"], full[pid], row["source"], display, line)))
    return out


def literary_rows(
    names: pd.DataFrame, literary: list[tuple[str, str, str]]
) -> tuple[pd.DataFrame, list[str]]:
    """Names-table rows for the literary names: ``literary`` where no other place has the name,
    ``short`` (read with evidence only) where one does, with the clash in the returned notes."""
    same = names[names["name"].isin([n for n, _p, _note in literary])]
    taken: dict[str, set[str]] = {}
    for n, p in zip(same["name"], same["place_id"]):
        taken.setdefault(n, set()).add(p)
    rows, clashes = [], []
    for name, pid, note in literary:
        others = taken.get(name, set()) - {pid}
        if others:
            clashes.append(f"{name} (also {', '.join(sorted(others))})")
            rows.append(
                (name, pid, "short", note + "; another place has this name: read with evidence", None)
            )
        else:
            rows.append((name, pid, LITERARY, note, None))
    new = pd.DataFrame(rows, columns=NAME_COLUMNS)
    out = pd.concat([names, new], ignore_index=True)
    out["until"] = out["until"].astype("Int64")
    return out, clashes
