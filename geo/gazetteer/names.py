"""The names table: every way the corpus may write a place, mapped to place ids.

name_type tells recognition how much to trust a hit: 'full' (canonical name), 'short' (rule-derived
short form of a province/city/county, e.g. 萧山 — ambiguous with ordinary words, use with care),
'alias' (curated, or an autonomous unit's name with its plain suffix: 景宁县 for 景宁畲族自治县),
'historical' (a former name, mapped to today's unit with a note and the last year it was current).
"""

from __future__ import annotations

import pandas as pd

from geo.gazetteer.curated import short_form, strip_ethnic

NAME_COLUMNS = ["name", "place_id", "name_type", "note", "until"]
SHORT_LEVELS = ("province", "city", "county")
#: Autonomous suffixes and the plain suffix news writes in their place (景宁畲族自治县 → 景宁县).
_AUTONOMOUS = (("自治县", "县"), ("自治旗", "旗"), ("自治州", "州"))


def autonomous_forms(name: str) -> str | None:
    """The plain-suffix form of an autonomous unit: 景宁畲族自治县 → 景宁县, 海西蒙古族藏族自治州
    → 海西州, 鄂伦春自治旗 → 鄂伦春旗; None for other names or when the core is one character."""
    for suffix, plain in _AUTONOMOUS:
        if name.endswith(suffix):
            core = strip_ethnic(name[: -len(suffix)], 2, bare=True)
            return core + plain if len(core) >= 2 else None
    return None


#: Starts the note of a former township name generated from today's (城厢镇 for 城厢街道): the
#: geoparser reads such a name only where the text has no other name (never in its automaton).
GENERATED_FORMER = "generated former name: "
#: Marks a short form in the names table that is never read without evidence in the text (沙河).
NEEDS_EVIDENCE = "needs evidence: "


def mark_needs_evidence(names: pd.DataFrame, stoplist: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The short forms of ``stoplist`` ((name, place_id, reason) rows) noted NEEDS_EVIDENCE: the
    geoparser reads a city's short form alone (扬州) only when it is not marked so."""
    if not stoplist:
        return names
    why = {(n, p): r for n, p, r in stoplist}
    keys = list(zip(names["name"], names["place_id"]))
    hit = [(k in why) and t == "short" for k, t in zip(keys, names["name_type"])]
    names = names.copy()
    names.loc[hit, "note"] = [NEEDS_EVIDENCE + why[k] for k, h in zip(keys, hit) if h]
    return names


def converted_townships(places: pd.DataFrame, taken: set) -> list[tuple[str, str, str]]:
    """(former name, place_id, note) for streets converted from towns in place (撤镇设街道) and towns
    from 乡 (撤乡设镇), which news still writes by the old name: 城厢街道 was 城厢镇, 义桥镇 义桥乡. Not
    generated where the core ends in 村 (X村镇) or 城 (X城乡: 城乡), nor where the county has the
    old name today too. A former name another place bears today
    (城厢镇 is a town elsewhere) becomes one more candidate of that name; a new one is read only
    where the text has no other name (never from the automaton: see geo.geoparse.recognize)."""
    t = places[places["level"] == "township"]
    current = set(zip(t["county_id"], t["name"]))
    out = []
    for name, pid, county in zip(t["name"], t["place_id"], t["county_id"]):
        if name.endswith("街道"):
            core, old, how = name[:-2], name[:-2] + "镇", "镇 of {} (撤镇设街道, year unknown)"
        elif name.endswith("镇"):
            core, old, how = name[:-1], name[:-1] + "乡", "乡 of {} (撤乡设镇, year unknown)"
        else:
            continue
        if len(core) < 2 or core.endswith("村") or (old.endswith("乡") and core.endswith("城")):
            continue  # (X村镇; X城乡 is 城乡, town and country)
        if (county, old) in current:
            continue  # X镇 beside X街道 (X乡 beside X镇) in one county: both are today's
        if (old, pid) not in taken:
            out.append((old, pid, GENERATED_FORMER + how.format(name)))
    return out


def build_names(
    places: pd.DataFrame,
    aliases: list[tuple[str, str, str]],
    historical: list,
    customary: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> pd.DataFrame:
    """Full names of all places, short forms of province/city/county (derived, and customary ones
    with a source: 呼市), curated aliases, history."""
    rows: list[tuple[str, str, str, str | None, int | None]] = [
        (n, p, "full", None, None) for n, p in zip(places.name.tolist(), places.place_id.tolist())
    ]
    admin = places[places.level.isin(SHORT_LEVELS)]
    full_admin = set(admin.name)
    for name, pid in zip(admin.name.tolist(), admin.place_id.tolist()):
        short = short_form(name)
        if short and short != name:
            rows.append((short, pid, "short", f"short form of {name}", None))
        plain = autonomous_forms(name)
        if plain and plain not in full_admin:  # never shadow another unit's own full name
            rows.append((plain, pid, "alias", f"{name} with its plain suffix (generated)", None))
    rows += [(n, pid, "short", note, None) for n, pid, note in customary]
    rows += [(a, pid, "alias", f"curated alias ({ref})", None) for a, pid, ref in aliases]
    rows += [
        (h.name, h.place_id, "historical", f"{h.note} [{h.source}; {h.source_ref}]", h.until)
        for h in historical
    ]
    taken = {r[0] for r in rows} | {(r[0], r[1]) for r in rows}
    rows += [(n, pid, "historical", note, None) for n, pid, note in converted_townships(places, taken)]
    names = pd.DataFrame(rows, columns=NAME_COLUMNS)
    names["until"] = names["until"].astype("Int64")
    return names.drop_duplicates(["name", "place_id", "name_type"]).reset_index(drop=True)
