"""China's historical-cultural towns and villages (中国历史文化名镇 / 中国历史文化名村, published in
batches since 2003 by 住房和城乡建设部 and 国家文物局): gazetteer/heritage_towns.csv, each row with
the public page that lists it.

The lists name each place by the divisions of their year (江苏省吴江市同里镇, 重庆市合川县涞滩镇);
the build finds today's county (吴江区, 合川区: by name, former name or short form) and township
(大鹏镇 → 大鹏街道) and reports every row it cannot place rather than guess (a township merged or
renamed since: 张谷镇). What it adds:

- a listed town's short form (周庄 for 昆山's 周庄镇) as a ``short`` name, so that 周庄古镇 is read
  as the old town, a landmark in that township (the geoparser's 古镇 rule: 前童古镇), and 周庄
  alone only with evidence; the automaton otherwise holds township short forms of the home
  province only;
- a listed village as a village place where the gazetteer has none (villages outside the home
  province), at its township's point, named in full (西递村) and as ``X古村`` (西递古村, an alias:
  the village itself, as the frozen sets annotate 荻港古村); like every village it is read with its
  township or county in the text, never alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from geo.errors import CuratedRowError
from geo.gazetteer.curated import _rows
from geo.gazetteer.names import NAME_COLUMNS

HERITAGE_COLUMNS = ("name", "kind", "batch", "province", "city", "county", "township", "source", "note")
TOWN, VILLAGE = "名镇", "名村"
_TOWN_SUFFIX = re.compile(r"(?:街道办事处|街道|民族乡|镇|乡)$")
_COUNTY_SUFFIX = re.compile(r"(?:县|市|区)$")
#: A listed town's X古镇 is read as its old town unless more townships than this bear its core
#: (周庄: 6, the 昆山 one the 古镇; 沙溪: 13, 万安: 12, 新市: 16).
SHARED_CORE_MAX = 6


class HeritageRow(NamedTuple):
    """One listed town or village as the list names it."""

    name: str
    kind: str  # 名镇 | 名村
    batch: int | None  # 1-7; None where the source names no batch
    province: str
    city: str
    county: str
    township: str  # the village's township (名村); the town itself for a 名镇
    source: str
    ref: str  # gazetteer/heritage_towns.csv:LINE


class Placed(NamedTuple):
    """A listed row placed in today's divisions."""

    row: HeritageRow
    county_id: str | None  # None for a town found in a city without a county named
    township_id: str
    village_id: str | None  # a 名村's village place (existing or added)


def read_heritage(path: Path, display: str) -> list[HeritageRow]:
    """The rows of gazetteer/heritage_towns.csv: name, kind (名镇/名村), source and province
    present, a batch 1–7 or empty, a 名村 with its township, a 名镇 named 镇/乡."""
    out = []
    for line, row in _rows(path, HERITAGE_COLUMNS, display):
        for col in ("name", "kind", "province", "source"):
            if not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        kind, batch = row["kind"], row["batch"]
        if kind not in (TOWN, VILLAGE):
            raise CuratedRowError(display, line, f"kind {kind!r} is not 名镇 or 名村")
        if batch and not (batch.isdigit() and 1 <= int(batch) <= 7):
            raise CuratedRowError(display, line, f"batch {batch!r} is not 1-7")
        if kind == VILLAGE and not (row["township"] and row["county"]):
            raise CuratedRowError(display, line, "a 名村 needs its county and township")
        if kind == TOWN and not (row["county"] or row["city"]):
            raise CuratedRowError(display, line, "a 名镇 needs its county or city")
        township = row["township"] if kind == VILLAGE else row["name"]
        out.append(
            HeritageRow(
                row["name"],
                kind,
                int(batch) if batch else None,
                row["province"],
                row["city"],
                row["county"],
                township,
                row["source"],
                f"{display}:{line}",
            )
        )
    return out


def _core(name: str, suffix: re.Pattern) -> str:
    return suffix.sub("", name)


def _one(ids: set[str]) -> str | None:
    return next(iter(ids)) if len(ids) == 1 else None


def place_rows(
    rows: list[HeritageRow], places: pd.DataFrame, names: pd.DataFrame
) -> tuple[list[Placed], list[str]]:
    """Each row placed in today's county and township, or reported (``ref name: why``)."""
    lv = places["level"]
    prov_id = dict(zip(places.loc[lv == "province", "name"], places.loc[lv == "province", "place_id"]))
    counties: dict[str, list[tuple[str, str]]] = {}  # province id → (county id, city)
    c = places[lv == "county"]
    for pid, prov, city in zip(c["place_id"], c["province_id"], c["city"]):
        counties.setdefault(prov, []).append((pid, city))
    towns: dict[str, dict[str, str]] = {}  # county id (or province id + city) → township id → name
    t = places[lv == "township"]
    for pid, name, county, prov, city in zip(
        t["place_id"], t["name"], t["county_id"], t["province_id"], t["city"]
    ):
        towns.setdefault(county, {})[pid] = name
        towns.setdefault(f"{prov}|{city}", {})[pid] = name
    wanted = {n for r in rows for n in (r.county, _core(r.county, _COUNTY_SUFFIX), r.township)}
    few = names[names["name"].isin(wanted)]  # (the names the rows need: not all 200,000)
    by_name: dict[str, list[tuple[str, str]]] = {}
    for n, p, k in zip(few["name"], few["place_id"], few["name_type"]):
        by_name.setdefault(n, []).append((p, k))
    placed, report = [], []
    for r in rows:
        prov = prov_id.get(r.province)
        if prov is None:
            report.append(f"{r.ref} {r.name}: province {r.province!r} unknown")
            continue
        county = None
        if r.county:
            in_prov = counties.get(prov, [])
            in_city = [pid for pid, city in in_prov if city == r.city] if r.city else []
            county, how = _county(r.county, set(in_city or [pid for pid, _c in in_prov]), by_name)
            if county is None:
                report.append(f"{r.ref} {r.name}: county {r.county!r} {how}")
                continue
            pool = towns.get(county, {})
        else:  # the city only (铜陵市大通镇)
            pool = towns.get(f"{prov}|{r.city}", {})
        town, how = _township(r.township, pool, by_name)
        if town is None:
            report.append(f"{r.ref} {r.name}: township {r.township!r} {how}")
            continue
        village = f"village:{town}:{r.name}" if r.kind == VILLAGE else None
        placed.append(Placed(r, county, town, village))
    return placed, report


def _county(name: str, ids: set[str], by_name: dict) -> tuple[str | None, str]:
    """Today's county of a listed county name: its name or plain-suffix alias (石柱县), a former
    name (吴江市 → 吴江区), or its short form (合川县 → 合川区: same core)."""
    rows = by_name.get(name, [])
    got = {p for p, t in rows if p in ids and t != "historical"}
    if not got:
        got = {p for p, t in rows if p in ids}
    if not got:
        core = _core(name, _COUNTY_SUFFIX)
        got = {p for p, t in by_name.get(core, []) if p in ids and t == "short"} if len(core) >= 2 else set()
    if len(got) > 1:
        return None, f"is several counties ({', '.join(sorted(got))})"
    return _one(got), "is no county of the province today"


def _township(name: str, ids: dict[str, str], by_name: dict) -> tuple[str | None, str]:
    """Today's township of a listed one among its county's (id → name): the same name, the name
    + 镇 (乌镇 → 乌镇镇), the same core under another suffix (大鹏镇 → 大鹏街道), or a former name."""
    got = {p for p, n in ids.items() if n in (name, name + "镇")}
    if not got:
        core = _core(name, _TOWN_SUFFIX)
        got = {p for p, n in ids.items() if _core(n, _TOWN_SUFFIX) == core}
    if not got:
        got = {p for p, t in by_name.get(name, []) if p in ids and t == "historical"}
    if len(got) > 1:
        return None, f"is several townships ({', '.join(sorted(got))})"
    return _one(got), "is no township of the county today (renamed or merged)"


def heritage_overlay(
    placed: list[Placed], places: pd.DataFrame, names: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The village places the gazetteer lacks and the names rows of the placed rows (a town's
    short form; a village's full name and X古村), appended to ``places`` and ``names``."""
    tids = {p.township_id for p in placed}
    by_id = places[places["place_id"].isin(tids)].set_index("place_id")  # (the rows' townships only)
    v = places[places["parent_id"].isin(tids) & (places["level"] == "village")]
    existing = {(t, n): pid for t, n, pid in zip(v["parent_id"], v["name"], v["place_id"])}
    have = set(v["place_id"])
    cores = _shared_cores(places, {_core(n, _TOWN_SUFFIX) for n in by_id["name"]})
    taken = set(names.loc[names["name"].str.endswith("古镇"), "name"])
    new_places: list[dict] = []
    rows: list[tuple[str, str, str, str | None, None]] = []
    for p in placed:
        r = p.row
        what = f"中国历史文化{r.kind}" + (f" (第{r.batch}批)" if r.batch else "")
        note = f"{what} [{r.source}; {r.ref}]"
        if r.kind == TOWN:
            t = by_id.loc[p.township_id]
            core = _core(t["name"], _TOWN_SUFFIX)
            core = core[:-1] if core.endswith("新") and len(core) > 2 else core  # 川沙新镇: 川沙
            if len(core) < 2:
                continue
            rows.append((core, p.township_id, "short", f"short form of a {note}", None))
            old_town = core + "古镇"
            # not where many towns of China share the core (沙溪: 13, 太仓's and 剑川's among them; 沙溪古镇
            # is then left to the 古镇 rule after its county); a curated landmark's name wins (zones.csv)
            if cores.get(core, 0) <= SHARED_CORE_MAX and old_town not in taken:
                lid = f"landmark:heritage-{p.township_id}"
                new_places.append(_below(t, lid, old_town, "landmark", p.township_id, "古镇", what, r))
                rows.append((old_town, lid, "full", None, None))
                taken.add(old_town)
            continue
        vid = p.village_id
        assert vid is not None
        if (p.township_id, r.name) in existing:
            vid = existing[(p.township_id, r.name)]
        elif vid not in have:
            new_places.append(
                _below(by_id.loc[p.township_id], vid, r.name, "village", p.township_id, None, what, r)
            )
            have.add(vid)
            rows.append((r.name, vid, "full", None, None))
        core = r.name[:-1] if r.name.endswith("村") else r.name
        if len(core) >= 2:
            rows.append((core + "古村", vid, "alias", f"the village as X古村: {note}", None))
    if new_places:
        places = pd.concat([places, pd.DataFrame(new_places)[list(places.columns)]], ignore_index=True)
    if rows:
        new = pd.DataFrame(list(dict.fromkeys(rows)), columns=NAME_COLUMNS)
        names = pd.concat([names, new], ignore_index=True)
        names["until"] = names["until"].astype("Int64")
    return places, names


def _shared_cores(places: pd.DataFrame, wanted: set[str]) -> dict[str, int]:
    """How many townships of China bear each of ``wanted`` as their name's core (周庄: 6)."""
    t = places.loc[places["level"] == "township", "name"]
    t = t[t.str.startswith(tuple(wanted))] if wanted else t.iloc[:0]
    counts: dict[str, int] = {}
    for n in t:
        c = _core(n, _TOWN_SUFFIX)
        if c in wanted:
            counts[c] = counts.get(c, 0) + 1
    return counts


def _below(
    t: pd.Series, pid: str, name: str, level: str, parent: str, kind: str | None, what: str, r
) -> dict:
    """A place inside township ``t`` (its old town, a listed village), at the township's point
    and precision: the lists give no coordinates."""
    v = t.to_dict()
    v.update(
        place_id=pid,
        name=name,
        level=level,
        township=t["name"],
        parent_id=parent,
        code=None,
        kind=kind,
        source=f"{r.ref} ({what}, {r.source}); point of its township: {t['source']}",
        note=what,
    )
    return v
