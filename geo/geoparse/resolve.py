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
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from geo.geoparse.recognize import RawMatch

_ADJACENT_GAP = re.compile(r"^[\s(（]{0,2}$")
_LEVEL_PRIOR = {
    "province": 0.5,
    "city": 0.45,
    "county": 0.4,
    "zone": 0.6,
    "landmark": 0.3,
    "township": 0.2,
    "village": 0.0,
}
_CONTEXT_LEVELS = {"city", "county", "township", "zone"}


@dataclass(frozen=True)
class PlaceIndex:
    """Per-place facts resolution needs, as plain dicts for the hot loop."""

    level: dict
    ancestors: dict  # place_id -> tuple of ancestor ids (province … township)
    county_of: dict
    province_of: dict
    row: dict  # place_id -> output fields


def build_index(places: pd.DataFrame) -> PlaceIndex:
    level, ancestors, county_of, province_of, row = {}, {}, {}, {}, {}
    cols = [
        "place_id",
        "name",
        "level",
        "province",
        "city",
        "county",
        "township",
        "code",
        "lon",
        "lat",
        "precision",
        "province_id",
        "city_id",
        "county_id",
        "parent_id",
    ]
    for (
        pid,
        name,
        lev,
        prov,
        city,
        county,
        town,
        code,
        lon,
        lat,
        prec,
        prov_id,
        city_id,
        county_id,
        parent_id,
    ) in places[cols].itertuples(index=False, name=None):
        level[pid] = lev
        anc = tuple(
            dict.fromkeys(
                a for a in (prov_id, city_id, county_id, parent_id) if isinstance(a, str) and a and a != pid
            )
        )
        ancestors[pid] = anc
        county_of[pid] = county_id if isinstance(county_id, str) else None
        province_of[pid] = prov_id if isinstance(prov_id, str) else None
        row[pid] = (name, lev, _s(prov), _s(city), _s(county), _s(town), _s(code), _f(lon), _f(lat), _s(prec))
    return PlaceIndex(level, ancestors, county_of, province_of, row)


def _s(v):
    return v if isinstance(v, str) and v else None


def _f(v):
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else round(x, 6)


def _in_list(m: RawMatch, text: str, base: int) -> bool:
    """An element of an enumeration: 北京、上海、广州、深圳."""
    before = text[m.start - base - 1 : m.start - base] if m.start > base else ""
    return before == "、" or text[m.end - base : m.end - base + 1] == "、"


@dataclass(frozen=True)
class Resolved:
    match: RawMatch
    place_id: str
    confidence: float
    runner_up: str | None
    historical: bool
    zone: str | None = None  # a pattern zone's full name; place_id is then its anchor


class Context:
    """Places an article (or document) is known to talk about, from its confident mentions."""

    def __init__(self):
        self.places: Counter = Counter()  # mentioned places
        self.below: Counter = Counter()  # places with a mentioned descendant
        self.provinces: Counter = Counter()  # provinces of the mentioned places

    def add(self, pid: str, index: PlaceIndex, weight: int = 1):
        self.places[pid] += weight
        self.provinces[index.province_of.get(pid)] += weight
        for a in index.ancestors.get(pid, ()):
            self.below[a] += weight

    def support(self, pid: str, index: PlaceIndex, exclude_self: int = 0) -> float:
        """How much the context points at pid: itself, an ancestor below province, a descendant."""
        s = 0.0
        if self.places[pid] - exclude_self > 0:
            s += 2.0
        for a in index.ancestors.get(pid, ()):
            if self.places[a] and index.level.get(a) in _CONTEXT_LEVELS:
                s += 1.5
        if self.below[pid] - (exclude_self if pid in self.below else 0) > 0:
            s += 1.5
        return s


def confident_context(matches: list[RawMatch], index: PlaceIndex, home: str | None = None) -> Context:
    """Context from matches that need no disambiguation: a single, full, non-word candidate
    (townships only in the home province, villages never: too many namesakes)."""
    ctx = Context()
    for m in matches:
        e = m.entry
        if len(e.candidates) != 1 or e.kinds[0] == "short" or e.wordlike or m.in_org or m.after_foreign:
            continue
        pid = e.candidates[0]
        lev = index.level.get(pid)
        if lev == "village" or (lev == "township" and index.province_of.get(pid) != home):
            continue
        ctx.add(pid, index)
    return ctx


def resolve_matches(
    matches: list[RawMatch],
    text: str,
    base: int,
    index: PlaceIndex,
    home_province: str | None,
    doc_ctx: Context | None = None,
    art_ctx: Context | None = None,
) -> list[Resolved]:
    """Accept or reject each match and choose its place, left to right, with article evidence.

    ``text`` is the string the match offsets index into after subtracting ``base``; ``art_ctx``
    is ``confident_context(matches, …)`` when the caller already has it.
    """
    if art_ctx is None:
        art_ctx = confident_context(matches, index, home_province)
    out: list[Resolved] = []
    prev: Resolved | None = None
    taken_to = -1
    for m in matches:
        if m.start < taken_to:
            continue  # overlapped by an alternative reading already chosen
        if m.zone is not None and m.anchor is not None and m.start == m.anchor.end:
            # 上虞区e游小镇: the zone lies in the division just read (dropped if that was not a place)
            if prev is not None and prev.match.start == m.anchor.start:
                rz = Resolved(m, prev.place_id, prev.confidence, None, False, m.zone)
                out.append(rz)
                prev, taken_to = rz, m.end
            continue
        r = _resolve_one(m, text, base, index, home_province, art_ctx, doc_ctx, prev)
        if m.alt is not None and (r is None or r.confidence < 0.7):
            ra = _resolve_one(m.alt, text, base, index, home_province, art_ctx, doc_ctx, prev)
            if ra is not None and (r is None or ra.confidence > r.confidence):
                r = ra
        if r is None:
            continue
        out.append(r)
        prev = r
        taken_to = r.match.end
    return out


def _resolve_one(
    m: RawMatch,
    text: str,
    base: int,
    index: PlaceIndex,
    home: str | None,
    art: Context,
    doc: Context | None,
    prev: Resolved | None,
) -> Resolved | None:
    e = m.entry
    if m.after_foreign:
        return None  # 美国德州: a foreign place, not ours
    generic = e.wordlike
    parent_before = None
    if (
        prev is not None
        and prev.match.end <= m.start
        and _ADJACENT_GAP.match(text[prev.match.end - base : m.start - base])
    ):
        parent_before = prev.place_id
    single_full = len(e.candidates) == 1 and e.kinds[0] != "short" and not e.wordlike
    scored = []
    for pid, kind in zip(e.candidates, e.kinds):
        lev = index.level.get(pid)
        anc = index.ancestors.get(pid, ())
        explicit = False
        score = _LEVEL_PRIOR.get(lev, 0.0) if lev is not None else 0.0
        if parent_before is not None:
            if parent_before in anc:
                explicit = True
                score += 10
            elif (
                kind != "short"
                and index.county_of.get(parent_before)
                and index.county_of.get(parent_before) == index.county_of.get(pid)
                and pid != parent_before
            ):
                explicit = True
                score += 6
        support = art.support(pid, index, exclude_self=1 if single_full else 0)
        score += 2 * min(support, 4.0)
        doc_support = doc.support(pid, index) if doc is not None else 0.0
        score += 0.5 * min(doc_support, 4.0)
        in_home = home is not None and index.province_of.get(pid) == home
        if in_home:
            score += 1.5
        strong = explicit or m.admin_after or support > 0
        weak = strong or in_home or doc_support > 0
        if generic and kind == "short" and in_home and lev in ("city", "county") and not m.word_continues:
            # 建德航头, 绍兴市民: a home county that is also a dictionary word, used as a name
            ok = True
        elif generic:
            # a word like 城区/高新区/新村 counts only with a parent in front, a division suffix
            # after, or the same place named in full elsewhere in the article
            ok = explicit or m.admin_after or art.places[pid] > 0
        elif lev == "village":
            ok = explicit or support > 0
        elif kind == "short" and lev == "township":
            ok = explicit or m.admin_after or art.places[pid] > 0
        elif kind == "short" and lev == "city" and not in_home:
            # 深圳、济南 / 东莞 beside 深圳市光明区: yes; 大同小异, 长治久效, 中山大学: no
            ok = not m.in_org and (
                m.admin_after
                or support > 0
                or _in_list(m, text, base)
                or art.provinces[index.province_of.get(pid)] > 0
            )
        elif kind == "short":
            ok = lev in ("province", "city") or weak
        elif lev == "township":
            ok = weak
        else:
            ok = True
        if ok:
            scored.append((score, pid, kind, strong, weak))
    if not scored:
        return None
    scored.sort(key=lambda t: -t[0])
    if len(scored) >= 2 and not any(t[4] for t in scored):
        return None  # several far-away namesakes and nothing in the text points at one
    top = scored[0]
    z = sum(math.exp(min(t[0] - top[0], 0)) for t in scored)
    conf = 1.0 / z
    if top[2] == "short" and not top[3]:
        conf *= 0.85
    if not top[4]:
        conf *= 0.8
    runner = scored[1][1] if len(scored) > 1 else None
    hist = top[2] == "historical" and m.zone is None
    return Resolved(m, top[1], round(min(conf, 0.99), 3), runner, hist, m.zone)
