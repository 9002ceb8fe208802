"""The candidate tables: what each surface string can mean, classified once per gazetteer.

Every name and alias of the gazetteer becomes one :class:`NameEntry` (its index is the matcher's
pattern id); each of its places one :class:`Candidate` carrying the facts resolution reads in its
hot loop (level prior, ancestors, county, province, home flag, historical year). Recognition and
resolution then do tuple reads, never per-mention lookups in the place tables.

Classification of a surface string:

- ``full``: an official name with its suffix (萧山区, 河上镇) or a curated zone/landmark name.
- ``short``: a county/city/province name without its suffix (萧山, 杭州) — needs evidence.
- ``wordlike``: a short form or a very short full name that is also an ordinary Chinese word
  (江山, 合作, 城区, 郊区 …, from jionlp's word dictionary) — needs *strong* evidence.
- ``historical``: a former name (江干区, 临安市) resolved to today's unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple, Protocol

import pandas as pd

from geo.gazetteer.names import GENERATED_FORMER, NEEDS_EVIDENCE
from geo.geoparse.anchors import zone_anchor
from geo.geoparse.index import PlaceIndex
from geo.geoparse.words import common_words, jieba_tags, longer_words

#: Names made only of generic place words (高新区, 新城, 城区) are words, not places, by default.
_GENERIC = re.compile(
    r"^(?:高新|开发|经济|技术|工业|产业|科技|新|老|城|郊|矿|市|中|东|西|南|北)+(?:区|园|城|园区)?$"
)
LEVEL_PRIOR = {
    "province": 0.5,
    "city": 0.45,
    "county": 0.4,
    "zone": 0.6,
    "landmark": 0.3,
    "township": 0.2,
    "village": 0.0,
    "country": 0.5,
    "foreign": 0.3,
}
ABROAD = frozenset(("country", "foreign"))
CONTEXT_LEVELS = frozenset(("city", "county", "township", "zone"))
UNIT_LEVELS = frozenset(("province", "city", "county"))
#: An alternative reading (创新余杭 → 余杭) is a name of at most this many characters.
ALT_MAX_LEN = 8


class Candidate(NamedTuple):
    """One place a surface string may mean, with what resolution reads about it."""

    pid: str
    kind: str  # full | short | historical | literary (八闽: a province's or city's literary name)
    level: str
    prior: float  # LEVEL_PRIOR of the level
    ancestors: tuple[str, ...]  # province … township ids
    context_ancestors: tuple[str, ...]  # those at city, county, township or zone level
    county: str | None  # county_id (None for places above county level)
    province: str | None  # province_id
    in_home: bool  # in the geoparser's home province
    until: int | None  # a historical name: the last year it was current


class NameEntry(NamedTuple):
    """What a surface string can mean, classified once at build time."""

    surface: str
    candidates: tuple[Candidate, ...]
    wordlike: bool  # an ordinary word too: needs strong evidence
    short: bool  # some candidate reads it as a short form
    single_full: bool  # one candidate, not a short form, not a word
    zone_anchor: bool  # may name the place a pattern zone lies in (德清 in 德清…小镇)
    full_townships: tuple[str, ...]  # candidates that are townships named in full here
    starts_word: bool  # a short form or word that begins a longer dictionary word (江山如画)
    confident: str | None  # the place it names without any disambiguation (article context)
    unit: bool  # some candidate is a province, city or county (lists: 合肥和深圳)
    shorter: int | None  # ends in 市 and the name without it is an entry too (绍兴市民 → 绍兴)
    alt: tuple[tuple[int, tuple[int, ...]], ...]  # (offset, lengths) where a longer name may start
    until: bool  # some candidate has a historical year
    fixed: bool  # resolved without evidence: one home-province place above village level, in full
    standalone: bool  # a city's short form read alone (扬州, 昆山): see standalone_short()
    gap_only: bool = False  # a generated former name (城厢镇): not in the automaton, read in gaps only


class EntryTable(Protocol):
    """Pattern id → entry: the list a build makes, or the cache's table that makes each entry on
    first use (:class:`geo.geoparse.cache.LazyEntries`)."""

    def __getitem__(self, i: int, /) -> NameEntry: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[NameEntry]: ...


def _kind(types: set[str]) -> str:
    if "full" in types or "alias" in types:
        return "full"
    if "literary" in types:
        return "literary"  # 八闽 → 福建省: read like a full name where it stands as a word
    return "historical" if "historical" in types else "short"


def _wordlike(surface: str, kinds: set[str], levels: set[str], words: frozenset[str]) -> bool:
    """A name that is also an ordinary word: in the word dictionary, made only of generic place
    words (高新区, 新城), or a very short official name (城区, 新村). A province's name is never a
    word (重庆, 青海 are in the dictionary, but only as the places)."""
    if _GENERIC.match(surface):
        return True
    if levels <= {"province", "country", "foreign"}:
        return False  # 日本, 南非 are in the dictionary too, but only as the countries
    if ("short" in kinds or len(surface) <= 2) and surface in words:
        return True
    return len(surface) <= 2 and bool(levels & {"county", "township", "village"}) and "short" not in kinds


_TOWNSHIP_SUFFIX = re.compile(r"(?:街道办事处|街道|镇|乡)$")


def township_short_forms(places: pd.DataFrame, province_id: str | None) -> list[tuple[str, str]]:
    """(short form, place_id) for the home province's townships: 航头镇 → 航头, 仁和街道 → 仁和.

    News drops the suffix after a county (建德航头, 余杭仁和); resolution accepts these only with
    such a parent in front, a body after (昌硕派出所) or the full name in the same article.
    """
    if not province_id:
        return []
    t = places[(places["level"] == "township") & (places["province_id"] == province_id)]
    out = []
    for name, pid in zip(t["name"], t["place_id"]):
        core = _TOWNSHIP_SUFFIX.sub("", name)
        if len(core) >= 2 and core != name:
            out.append((core, pid))
    return out


def _year(value) -> int | None:
    """A historical name's last year (萧山市: 2001) from whatever the column holds: a freshly built
    gazetteer's Int64 column gives numpy integers and pd.NA, one read back from its cache Python
    ints and None — the same geoparser either way."""
    try:
        return None if value is None or pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return None


def _grouped(
    places: pd.DataFrame, names: pd.DataFrame, home: str | None, level_of: dict
) -> tuple[dict, dict[tuple[str, str], int], dict[str, list[str]], set[tuple[str, str]]]:
    """surface → {place_id → name types}, the last year of each historical (surface, place), the
    generated former names kept out of the automaton (surface → place ids), and those added beside
    a name in use ((surface, place_id))."""
    grouped: dict[str, dict[str, set[str]]] = {}
    until: dict[tuple[str, str], int] = {}
    years = names["until"] if "until" in names else [None] * len(names)
    notes = names["note"] if "note" in names else [None] * len(names)
    generic = generic_aliases(places, names)
    former: dict[str, list[str]] = {}
    added: set[tuple[str, str]] = set()
    for name, pid, ntype, year, note in zip(
        names["name"], names["place_id"], names["name_type"], years, notes
    ):
        if not isinstance(name, str) or len(name) < 2 or pid not in level_of:
            continue
        if ntype == "alias" and (name, pid) in generic:
            continue
        if ntype == "historical" and isinstance(note, str) and note.startswith(GENERATED_FORMER):
            if name not in grouped:
                former.setdefault(name, []).append(pid)  # read only where no other name is
                continue
            if any(level_of[p] != "township" for p in grouped[name]):
                continue  # (a town's old name that a unit or zone has today: not read)
            added.add((name, pid))
        grouped.setdefault(name, {}).setdefault(pid, set()).add(ntype)
        if ntype == "historical" and (last := _year(year)) is not None:
            until[(name, pid)] = last
    for name, pid in township_short_forms(places, home):
        grouped.setdefault(name, {}).setdefault(pid, set()).add("short")
    return grouped, until, {n: ps for n, ps in former.items() if n not in grouped}, added


_AREA_LEVELS = ("zone", "landmark")


def generic_aliases(places: pd.DataFrame, names: pd.DataFrame) -> set[tuple[str, str]]:
    """Aliases of zones that are category words, not names: an alias that also ends another
    listed zone's full name. 基金小镇 (curated for 玉皇山南基金小镇) ends 南湖基金小镇 too, so a bare
    基金小镇 names no zone in particular; 梦想小镇 ends no other zone's name and stays."""
    zones = places[places["level"].isin(_AREA_LEVELS)]
    full = list(zip(zones["name"], zones["place_id"]))
    area = set(zones["place_id"])
    out = set()
    for name, pid, ntype in zip(names["name"], names["place_id"], names["name_type"]):
        if (
            ntype == "alias"
            and pid in area
            and isinstance(name, str)
            and any(z != pid and n != name and n.endswith(name) for n, z in full)
        ):
            out.add((name, pid))
    return out


def _alternatives(surfaces: list[str], needs: list[bool]) -> list[tuple]:
    """Per surface that needs one (words, short forms): the offsets inside it where a longer name
    may start and run past its end, each with those names' lengths, longest first."""
    lengths: dict[str, set[int]] = {}
    for s in surfaces:
        if len(s) <= ALT_MAX_LEN:
            for j in range(1, len(s)):
                lengths.setdefault(s[:j], set()).add(len(s))
    out: list[tuple] = []
    for s, need in zip(surfaces, needs):
        alt = []
        if need:
            for k in range(1, len(s)):
                ls = [n for n in lengths.get(s[k:], ()) if n > len(s) - k]
                if ls:
                    alt.append((k, tuple(sorted(ls, reverse=True))))
        out.append(tuple(alt))
    return out


def build_entries(
    places: pd.DataFrame, names: pd.DataFrame, index: PlaceIndex, home: str | None
) -> list[NameEntry]:
    """One entry per surface string (in the names table's order), candidates in first-seen order."""
    words = common_words()
    word_starts = {w[:k] for w in longer_words() for k in (2, 3) if k < len(w)}
    level_of = index.level
    grouped, until, former, added = _grouped(places, names, home, level_of)
    before = former_parents(names, index)
    notes = names["note"] if "note" in names else [None] * len(names)
    marked = {
        n
        for n, note in zip(names["name"], notes)
        if isinstance(note, str) and note.startswith(NEEDS_EVIDENCE)
    }
    tags = jieba_tags()
    surfaces = list(grouped)
    ids = {s: i for i, s in enumerate(surfaces)}
    pre: list[tuple] = []
    for surface, per_place in grouped.items():
        cands = tuple(per_place)
        kinds = tuple(_kind(per_place[c]) for c in cands)
        levels = {level_of[c] for c in cands}
        # (a literary name is in the word dictionary as the place itself: 羊城, 蓉城)
        wordlike = "literary" not in kinds and _wordlike(surface, set(kinds), levels, words)
        pre.append((surface, cands, kinds, levels, wordlike))
    # words, short forms and names abroad may hide a longer name starting inside (从江苏|丹阳市)
    alts = _alternatives(surfaces, [w or "short" in k or bool(lv & ABROAD) for _s, _c, k, lv, w in pre])
    entries = []
    for (surface, cands, kinds, levels, wordlike), alt in zip(pre, alts):
        short = "short" in kinds
        years = tuple(until.get((surface, c)) for c in cands)
        candidates = tuple(
            _candidate(c, k, y, index, home, (surface, c) in added, before)
            for c, k, y in zip(cands, kinds, years)
        )
        # a generated former name (城厢镇 of 萧山's 城厢街道) beside today's town does not make the
        # town's name ambiguous as context: it only competes in resolution
        real = [c for c in cands if (surface, c) not in added]
        single_full = len(real) == 1 and kinds[0] != "short" and not wordlike
        entries.append(
            NameEntry(
                surface,
                candidates,
                wordlike,
                short,
                single_full,
                zone_anchor(surface, levels, wordlike),
                tuple(c for c, k in zip(cands, kinds) if k == "full" and level_of[c] == "township")
                if not wordlike
                else (),
                (wordlike or short) and surface in word_starts,
                _confident(candidates[0], home) if single_full and kinds[0] != "literary" else None,
                bool(levels & UNIT_LEVELS),
                ids.get(surface[:-1]) if surface.endswith("市") else None,
                alt,
                any(y is not None for y in years),
                single_full
                and kinds[0] != "literary"  # (杭城, 甬城: read only where they stand as words)
                and candidates[0].in_home
                and candidates[0].level != "village",
                standalone_short(surface, candidates, wordlike, index, surface in marked, tags),
            )
        )
    for surface, pids in former.items():  # after the automaton's entries: ids stay pattern ids
        candidates = tuple(_candidate(c, "historical", None, index, home, True) for c in pids)
        flags = (False, False, len(candidates) == 1, False, (), False, None, False, None, ())
        entries.append(NameEntry(surface, candidates, *flags, False, False, False, True))
    return entries


def surface_index(entries: EntryTable) -> tuple[dict[str, int], dict[str, int], frozenset[str] | None]:
    """The matcher's look-ups derived from the entries: surface → pattern id, the generated former
    names' ids (城厢镇), and the first two characters of every name (None if a name has one
    character). Derived here, in a module the geoparser cache is keyed on, so the cache may store
    them (a warm load reads them instead of walking 77,000 entries)."""
    ids = {e.surface: i for i, e in enumerate(entries)}
    former = {e.surface: i for i, e in enumerate(entries) if e.gap_only}
    heads = frozenset(s[:2] for s in ids) if all(len(s) > 1 for s in ids) else None
    return ids, former, heads


def standalone_short(
    surface: str, cands: tuple[Candidate, ...], wordlike: bool, index: PlaceIndex, marked: bool, tags: dict
) -> bool:
    """A short form read without evidence in the text, like a full name: the short form of a city
    or county-level city (扬州 → 扬州市, 昆山 → 昆山市) outside the home province (there short forms
    are read anyway), naming one place only in all of China, derived by rule (not 呼市), not on
    the stop list (gazetteer/short_form_stoplist.csv: 沙河, 庐山), and not an ordinary word — unless
    jieba's dictionary reads it as a place (徐州 is an old word for one of the nine provinces in
    jionlp's dictionary, a place in jieba's). In the text it must still be a word of its own."""
    if len(cands) != 1 or marked:
        return False
    c = cands[0]
    if c.kind != "short" or c.in_home or c.level not in ("city", "county"):
        return False
    full = index.row[c.pid][0]
    if not full.startswith(surface) or (c.level == "county" and not full.endswith("市")):
        return False
    return not wordlike or tags.get(surface) == "ns"


#: A generated former name (its prior below zero marks it) loses every tie with a name in use, and
#: is read only with strong evidence: an explicit parent or the article's own places (萧山区城厢镇).
GENERATED_PENALTY = 6.0


def former_parents(names: pd.DataFrame, index: PlaceIndex) -> dict[str, tuple[str, ...]]:
    """County → the counties of the same city its townships belonged to before a split, from the
    curated former names that are another county's name today: 余杭区 is a former name of 临平区
    (before 2021 余杭区 also covered it), so 塘栖镇 of 临平区 has 余杭区 as a parent in front
    (余杭塘栖). Only a candidate's own parents are widened, never an article's context."""
    row, level = index.row, index.level
    current: dict[tuple[str, str | None], str] = {}
    for pid, lev in level.items():
        if lev == "county":
            current.setdefault((row[pid][0], row[pid][3]), pid)
    out: dict[str, tuple[str, ...]] = {}
    hist = names[names["name_type"] == "historical"]
    for name, pid in zip(hist["name"], hist["place_id"]):
        if level.get(pid) != "county":
            continue
        old = current.get((name, row[pid][3]))  # (today's county of that name, in the same city)
        if old is not None and old != pid and old not in out.get(pid, ()):
            out[pid] = (*out.get(pid, ()), old)
    return out


_OWN_PARENT_LEVELS = frozenset(("township", "village"))


def _candidate(
    pid: str,
    kind: str,
    until: int | None,
    index: PlaceIndex,
    home: str | None,
    generated: bool = False,
    before: dict[str, tuple[str, ...]] | None = None,
) -> Candidate:
    lev = index.level[pid]
    prov = index.province_of.get(pid)
    own = anc = index.ancestors.get(pid, ())
    if before and lev in _OWN_PARENT_LEVELS and (old := before.get(index.county_of.get(pid) or "")):
        anc = (*own, *old)  # (塘栖镇: 余杭区 before 2021, as a parent in front only)
    return Candidate(
        pid,
        kind,
        lev,
        LEVEL_PRIOR.get(lev, 0.0) - (GENERATED_PENALTY if generated else 0.0),
        anc,
        tuple(a for a in own if index.level.get(a) in CONTEXT_LEVELS),
        index.county_of.get(pid),
        prov,
        home is not None and prov == home,
        until,
    )


def _confident(c: Candidate, home: str | None) -> str | None:
    """The place of a single full non-word name, as article context (townships only in the home
    province, villages never: too many namesakes)."""
    if c.level in ("village", "country", "foreign") or (c.level == "township" and c.province != home):
        return None
    return c.pid
