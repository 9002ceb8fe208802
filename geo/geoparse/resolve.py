"""Stage 3b: resolution — decide which matches are mentions and which place each one means.

Evidence, strongest first, all taken from the article itself:

1. an explicit parent right in front (黄岩区东城街道, 湘家荡区域(七星街道) → the zone's county);
2. a division suffix right after (萧山区委, 萧山:) — the name stands as a division;
3. the other places of the same article (a mention of the place itself, of an ancestor at city,
   county or township level, or of a descendant);
4. the same document's other articles;
5. the corpus's home province (Settings.home_province), then the level.

Acceptance rule (no exception lists): full official names are accepted; short forms
(萧山, 杭州) need *weak* evidence (home province or article context) unless they are a province
or city; names that are also ordinary words (江山, 合作, 城区) and names made only of generic
place words (高新区, 新城) need *strong* evidence (1–3 above); villages need their township or
county in the article; a name shared by several places none of which has any evidence is dropped.
Where candidates stay tied, the mention keeps a low confidence and names the runner-up.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from geo.geoparse.entries import Candidate
from geo.geoparse.index import PlaceIndex
from geo.geoparse.recognize import RawMatch
from geo.geoparse.words import word_bounds

#: What may stand between a parent and the name it contains (used with match(text, pos, endpos)).
_ADJACENT_GAP = re.compile(r"[\s(（]{0,2}$")
_new = tuple.__new__


def _in_list(m: RawMatch, text: str, base: int) -> bool:
    """An element of an enumeration: 北京、上海、广州、深圳."""
    before = text[m.start - base - 1 : m.start - base] if m.start > base else ""
    return before == "、" or text[m.end - base : m.end - base + 1] == "、"


_COORDINATOR = frozenset(("、", "和", "与", "及", "同", "跟", "，", ","))


def coordinated(matches: list[RawMatch], text: str, base: int) -> set[int]:
    """Positions of matches joined to a neighbouring unit name by 和/与/及/、 (合肥和深圳, 北京、天津):
    in such a list a bare city name means the city, not the word."""
    out: set[int] = set()
    for i in range(len(matches) - 1):
        a, b = matches[i], matches[i + 1]
        if b.start - a.end != 1 or text[a.end - base] not in _COORDINATOR:
            continue
        if a.entry.unit and b.entry.unit:
            out.update((a.start, b.start))
    return out


_YEAR = re.compile(r"(19[4-9][0-9]|20[0-4][0-9])\s*年")


@lru_cache(maxsize=8)
def text_year(text: str) -> int | None:
    """The first year an article writes (2015年…): the time the text is read in."""
    y = _YEAR.search(text)
    return int(y.group(1)) if y else None


def _era_bonus(until: int, text: str) -> float:
    """A former name read in its text's time: in a 2026 text 江北区 is rather 宁波's current district
    than 重庆's abolished one (gone in 2025); up to that year both readings stand on evidence."""
    year = text_year(text)
    if year is None:
        return 0.0
    return -2.0 if year > until else 0.0


def _nested(scored: list) -> bool:
    """The candidates are one place and units inside it (湘潭: 湘潭市 and its 湘潭县): the region is
    not in doubt, the larger unit is read (it scores first by level)."""
    top = scored[0][1].pid
    return all(top in t[1].ancestors for t in scored[1:])


def _district_named(c: Candidate, ctx: Context) -> bool:
    """The township's own county is named in full in this context (白杨 → 白杨街道 where the
    article names 钱塘区): the only evidence a township's short form gets without a parent."""
    county = c.county
    return county is not None and county != c.pid and ctx.places.get(county, 0) > 0


_OPEN_QUOTE = frozenset("“「《‘\"")
_CLOSE_QUOTE = frozenset("”」》’\"")
_STOP_RUN = re.compile(r"[^\s，。；：、,.;:!?！？“”\"（）()的和与及等是在为将]{0,10}")
#: A run ending in one of these names a facility or a group, not the township (石林水上运动中心).
_FACILITY_TAIL = re.compile(r"(?:中心|公园|码头|广场|基地|景区|馆|分会|社|队|群|号|园|苑|小区|初中)$")


def _township_in_district(
    m: RawMatch, c: Candidate, text: str, base: int, art: Context, doc: Context | None
) -> bool:
    """A township's short form read in its own district's context: the article names the district
    in full, the document writes the township in full somewhere (白杨 in a 钱塘区 article that also
    says 白杨街道), and the short form does not start a brand in quotes (“七星服务”) or a facility's
    name (石林水上运动中心)."""
    if m.word_continues or doc is None or c.pid not in doc.named_townships:
        return False
    if not _district_named(c, art):
        return False
    s, e = m.start - base, m.end - base
    if s > 0 and text[s - 1] in _OPEN_QUOTE and text[e : e + 1] not in _CLOSE_QUOTE:
        return False
    if (e - s) not in word_bounds(text[s : s + 8]):
        return False  # 七星级: the short form is the start of a longer word
    run = _STOP_RUN.match(text, e)
    return run is None or not (run.group() and _FACILITY_TAIL.search(run.group()))


class Resolved(NamedTuple):
    match: RawMatch
    place_id: str
    confidence: float
    runner_up: str | None
    historical: bool
    zone: str | None = None  # a pattern zone's full name; place_id is then its anchor


class Context:
    """Places an article (or document) is known to talk about, from its confident mentions
    (plain dicts of counts: a missing place counts 0)."""

    __slots__ = ("below", "named_townships", "places", "provinces")

    def __init__(self):
        self.places: dict[str, int] = {}  # mentioned places
        self.below: dict[str, int] = {}  # places with a mentioned descendant
        self.provinces: dict[str | None, int] = {}  # provinces of the mentioned places
        self.named_townships: set[str] = set()  # townships written in full, even if ambiguous

    def add(self, pid: str, index: PlaceIndex, weight: int = 1):
        places, below, provinces = self.places, self.below, self.provinces
        places[pid] = places.get(pid, 0) + weight
        prov = index.province_of.get(pid)
        provinces[prov] = provinces.get(prov, 0) + weight
        for a in index.ancestors.get(pid, ()):
            below[a] = below.get(a, 0) + weight


def confident_context(matches: list[RawMatch], index: PlaceIndex) -> Context:
    """Context from matches that need no disambiguation: a single, full, non-word candidate
    (townships only in the home province, villages never: too many namesakes)."""
    ctx = Context()
    for m in matches:
        e = m.entry
        if e.full_townships:
            ctx.named_townships.update(e.full_townships)
        pid = e.confident
        if pid is None or m.in_org or m.after_foreign:
            continue
        ctx.add(pid, index)
    return ctx


def resolve_matches(
    matches: list[RawMatch],
    text: str,
    base: int,
    index: PlaceIndex,
    doc_ctx: Context | None = None,
    art_ctx: Context | None = None,
) -> list[Resolved]:
    """Accept or reject each match and choose its place, left to right, with article evidence.

    ``text`` is the string the match offsets index into after subtracting ``base``; ``art_ctx``
    is ``confident_context(matches, …)`` when the caller already has it.
    """
    if art_ctx is None:
        art_ctx = confident_context(matches, index)
    out: list[Resolved] = []
    prev: Resolved | None = None
    taken_to = -1
    listed = coordinated(matches, text, base)
    for m in matches:
        if m.start < taken_to:
            continue  # overlapped by an alternative reading already chosen
        if m.zone is not None and m.anchor is not None and m.start == m.anchor.end:
            # 上虞区e游小镇: the zone lies in the division just read (dropped if that was not a place)
            if prev is not None and prev.match.start == m.anchor.start:
                rz = _new(Resolved, (m, prev.place_id, prev.confidence, None, False, m.zone))
                out.append(rz)
                prev, taken_to = rz, m.end
            continue
        r = _resolve_one(m, text, base, index, art_ctx, doc_ctx, prev, m.start in listed)
        if m.alt is not None and (r is None or r.confidence < 0.7):
            ra = _resolve_one(m.alt, text, base, index, art_ctx, doc_ctx, prev)
            if ra is not None and (r is None or ra.confidence > r.confidence):
                r = ra
        if r is None:
            continue
        out.append(r)
        prev = r
        taken_to = r.match.end
    return out


def _first(t: tuple) -> float:
    return -t[0]


def _resolve_one(
    m: RawMatch,
    text: str,
    base: int,
    index: PlaceIndex,
    art: Context,
    doc: Context | None,
    prev: Resolved | None,
    listed: bool = False,
) -> Resolved | None:
    if m.after_foreign:
        return None  # 美国德州: a foreign place, not ours
    e = m.entry
    if e.fixed:  # one home-province place above village level, named in full: no evidence needed
        c = e.candidates[0]
        return _new(Resolved, (m, c.pid, 0.99, None, c.kind == "historical" and m.zone is None, m.zone))
    generic = e.wordlike
    admin = m.admin_after
    parent_before = parent_county = None
    if prev is not None:
        pend = prev.match.end
        if pend == m.start or (pend < m.start and _ADJACENT_GAP.match(text, pend - base, m.start - base)):
            parent_before = prev.place_id
            parent_county = index.county_of.get(parent_before)
    exclude = 1 if e.single_full else 0
    multi = len(e.candidates) > 1
    ap, ab = art.places, art.below
    dp, db = (doc.places, doc.below) if doc is not None else ({}, {})
    scored = []
    for c in e.candidates:
        pid, kind, lev = c.pid, c.kind, c.level
        explicit = False
        score = c.prior
        if c.until is not None and multi:
            score += _era_bonus(c.until, text)
        if parent_before is not None:
            if parent_before in c.ancestors:
                explicit = True
                score += 10
            elif kind != "short" and parent_county and parent_county == c.county and pid != parent_before:
                explicit = True
                score += 6
        # Context.support of the article (a name read once is not its own evidence) and document
        support = doc_support = 0.0
        if ap:
            if ap.get(pid, 0) - exclude > 0:
                support += 2.0
            for a in c.context_ancestors:
                if ap.get(a):
                    support += 1.5
            b = ab.get(pid, 0)
            if b and b - exclude > 0:
                support += 1.5
        if dp:
            if dp.get(pid, 0) > 0:
                doc_support += 2.0
            for a in c.context_ancestors:
                if dp.get(a):
                    doc_support += 1.5
            if db.get(pid, 0) > 0:
                doc_support += 1.5
        score += 2 * min(support, 4.0)
        score += 0.5 * min(doc_support, 4.0)
        in_home = c.in_home
        if in_home:
            score += 1.5
        strong = explicit or admin or support > 0
        weak = strong or in_home or doc_support > 0
        if generic and kind == "short" and in_home and lev in ("city", "county") and not m.word_continues:
            # 建德航头, 绍兴市民: a home county that is also a dictionary word, used as a name
            ok = True
        elif generic:
            # a word like 城区/高新区/新村 counts only with a parent in front, a division suffix
            # after, or the same place named in full elsewhere in the article; a city in a list of
            # cities (北京、天津) is a name too, and so is a township of the district the article
            # names when the document writes the township in full (白杨 in a 钱塘区 article, 白杨街道)
            ok = (
                explicit
                or admin
                or ap.get(pid, 0) > 0
                or (listed and kind == "short" and lev in ("province", "city") and not m.word_continues)
                or (
                    kind == "short"
                    and lev == "township"
                    and _township_in_district(m, c, text, base, art, doc)
                )
            )
        elif lev == "village":
            ok = explicit or support > 0
        elif kind == "short" and lev == "township":
            ok = explicit or admin or ap.get(pid, 0) > 0 or _township_in_district(m, c, text, base, art, doc)
        elif kind == "short" and lev == "city" and not in_home:
            # 深圳、济南 / 东莞 beside 深圳市光明区: yes; 大同小异, 长治久效, 中山大学: no
            ok = not m.in_org and (
                explicit
                or admin
                or support > 0
                or listed
                or _in_list(m, text, base)
                or art.provinces.get(c.province, 0) > 0
            )
        elif kind == "short":
            ok = lev in ("province", "city") or weak
        elif lev == "township":
            ok = weak
        else:
            ok = True
        if ok:
            scored.append((score, c, strong, weak))
    if not scored:
        return None
    if len(scored) == 1:
        top, conf = scored[0], 1.0
    else:
        scored.sort(key=_first)
        if not any(t[3] for t in scored) and not _nested(scored):
            return None  # several far-away namesakes and nothing in the text points at one
        top = scored[0]
        z = sum(math.exp(min(t[0] - top[0], 0)) for t in scored)
        conf = 1.0 / z
    best: Candidate = top[1]
    if best.kind == "short" and not top[2]:
        conf *= 0.85
    if not top[3]:
        conf *= 0.8
    runner = scored[1][1].pid if len(scored) > 1 else None
    hist = best.kind == "historical" and m.zone is None
    return _new(Resolved, (m, best.pid, round(min(conf, 0.99), 3), runner, hist, m.zone))
