"""Resolution of one match: each candidate place scored on the article's evidence, the best kept.

:func:`resolve_one` is the general case (several same-named places, scored and ranked);
:func:`resolve_single` the common one (one candidate: only whether it is accepted, and how
surely, matters — no score). Both read the per-candidate facts of :mod:`geo.geoparse.entries`
and ask :mod:`geo.geoparse.acceptance` whether a candidate is a reading at all.
"""

from __future__ import annotations

import math
import re

from geo.geoparse.acceptance import accepted, plain_answer
from geo.geoparse.context import Context, Resolved
from geo.geoparse.countries import LEVELS as ABROAD_LEVELS
from geo.geoparse.cues import era_bonus
from geo.geoparse.entries import Candidate, NameEntry
from geo.geoparse.index import PlaceIndex
from geo.geoparse.landmark_words import landmark_in_org, landmark_in_person
from geo.geoparse.literary import literary_in_org, literary_stands
from geo.geoparse.recognize import RawMatch

#: What may stand between a parent and the name after it (黄岩区 东城街道, 湘家荡区域(七星街道)): the
#: regex allows three characters at most (two, and $ before a final newline).
ADJACENT_GAP = re.compile(r"[\s(（]{0,2}$")
_new = tuple.__new__


def _nested(scored: list) -> bool:
    """The candidates are one place and units inside it (湘潭: 湘潭市 and its 湘潭县): the region is
    not in doubt, the larger unit is read (it scores first by level)."""
    top = scored[0][1].pid
    return all(top in t[1].ancestors for t in scored[1:])


def _first(t: tuple) -> float:
    return -t[0]


def resolve_one(
    m: RawMatch,
    text: str,
    base: int,
    index: PlaceIndex,
    art: Context,
    doc: Context | None,
    prev: Resolved | None,
    listed: bool = False,
    memo: dict | None = None,
) -> Resolved | None:
    """The place ``m`` means, or None. ``memo``: a dict kept over one article's matches (same
    contexts, same text), where a name read the same way again is not ranked again."""
    e = m.entry
    if m.after_foreign and e.candidates[0].level not in ABROAD_LEVELS:
        return None  # 美国德州: a foreign place, not ours (阿联酋迪拜: a city abroad, read as such)
    if e.fixed:  # one home-province place above village level, named in full: no evidence needed
        c = e.candidates[0]
        return _new(Resolved, (m, c.pid, 0.99, None, c.kind == "historical" and m.zone is None, m.zone))
    admin = m.admin_after
    parent_before = parent_county = None
    if prev is not None:
        pend = prev.match.end
        gap = m.start - pend  # (the regex allows three characters at most: two, and $ before a \n)
        if gap == 0 or (0 < gap <= 3 and ADJACENT_GAP.match(text, pend - base, m.start - base)):
            parent_before = prev.place_id
            parent_county = index.county_of.get(parent_before)
    if len(e.candidates) == 1:
        return resolve_single(m, e.candidates[0], text, base, art, doc, parent_before, parent_county, listed)
    if landmark_in_person(m, text, base) and any(c.level == "landmark" for c in e.candidates):
        return None  # 村民张泰山表示: neither the mountain nor 泰山区
    if memo is not None:  # (the parent in front is part of the key: 新联村 after each of its towns)
        key = (e.surface, admin, parent_before)
        got = memo.get(key, _MISSING)
        if got is _MISSING:
            got = memo[key] = _ranked(m, text, base, art, doc, listed, admin, parent_before, parent_county)
            if not _context_only(e):
                memo[key] = _UNSHARED
        elif got is _UNSHARED:
            got = _ranked(m, text, base, art, doc, listed, admin, parent_before, parent_county)
    else:
        got = _ranked(m, text, base, art, doc, listed, admin, parent_before, parent_county)
    if got is None:
        return None
    pid, conf, runner, historical = got
    return _new(Resolved, (m, pid, conf, runner, historical and m.zone is None, m.zone))


_MISSING = object()
#: A name whose reading depends on more than the contexts and a division suffix after it.
_UNSHARED = object()
_SHARED_LEVELS = frozenset(("village", "township"))


def _context_only(e: NameEntry) -> bool:
    """The reading of ``e`` depends only on the article's and the document's places, the text's
    year, the parent in front and a division suffix after it (not on the words around it): no
    word, no short form, villages and townships only (what accepted reads of them). Worked out
    once per entry (by its surface, checked to be this very entry: one per matcher)."""
    got = _CONTEXT_ONLY.get(e.surface)
    if got is None or got[0] is not e:
        ok = not e.wordlike and all(c.kind != "short" and c.level in _SHARED_LEVELS for c in e.candidates)
        got = _CONTEXT_ONLY[e.surface] = (e, ok)
    return got[1]


_CONTEXT_ONLY: dict[str, tuple[NameEntry, bool]] = {}


def _ranked(
    m: RawMatch,
    text: str,
    base: int,
    art: Context,
    doc: Context | None,
    listed: bool,
    admin: bool,
    parent_before: str | None,
    parent_county: str | None,
) -> tuple[str, float, str | None, bool] | None:
    """The candidates of a name with several scored on the evidence, the best kept: (place id,
    confidence, runner-up, whether the name is a former one), or None."""
    e = m.entry
    ap, ab = art.places, art.below
    dp, db = (doc.places, doc.below) if doc is not None else ({}, {})
    scored = []
    plain = not e.wordlike
    apk = ap.keys()
    provs = art.provinces
    elsewhere = bool(provs) and not any(c.in_home and c.province in provs for c in e.candidates)
    # (counts in a context are never 0: membership is evidence; the sums of 2.0 and 1.5 are exact)
    for c in e.candidates:
        pid, kind, lev, prior, ancestors, context_ancestors, county, _prov, in_home, until = c
        inside = explicit = False  # inside: the parent in front is an ancestor (+10), else its county (+6)
        if parent_before is not None:
            inside = parent_before in ancestors
            explicit = inside or (
                kind != "short" and bool(parent_county) and parent_county == county and pid != parent_before
            )
        if (
            plain
            and lev == "village"
            and not explicit
            and (not ap or (pid not in ap and pid not in ab and apk.isdisjoint(context_ancestors)))
        ):
            continue  # (plain_answer's "no" for a village without support, before any sum)
        # Context.support of the article (a name read once is not its own evidence) and document
        support = doc_support = 0.0
        if ap:
            if pid in ap:  # several candidates: never a single full name
                support = 2.0
            for a in context_ancestors:
                if a in ap:
                    support += 1.5
            if pid in ab:
                support += 1.5
        if dp:
            if pid in dp:
                doc_support = 2.0
            for a in context_ancestors:
                if a in dp:
                    doc_support += 1.5
            if pid in db:
                doc_support += 1.5
        supported = support > 0
        strong = explicit or admin or supported
        # a home township among far-away namesakes, in an article whose places are all in another
        # province (太平乡 in an article about 太仓): the home province is no evidence there
        home = in_home and not (elsewhere and lev in _SHARED_LEVELS)
        weak = strong or home or doc_support > 0
        ok = plain_answer(c, e.wordlike, explicit, supported, weak)
        if ok is None:
            args = (explicit, admin, supported, strong, weak, False)
            ok = accepted(m, c, text, base, art, doc, listed, *args)
        if not ok:
            continue
        score = prior  # (added up in this order: the confidences are rounded from these floats)
        if until is not None:
            score += era_bonus(until, text)
        if explicit:
            score += 10 if inside else 6
        score += 2 * min(support, 4.0)
        score += 0.5 * min(doc_support, 4.0)
        if in_home:
            score += 1.5
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
        best_score = top[0]  # (the highest: every difference is ≤ 0)
        z = sum([math.exp(t[0] - best_score) for t in scored])
        conf = 1.0 / z
    best: Candidate = top[1]
    if best.kind == "short" and not top[2]:
        conf *= 0.85
    if not top[3]:
        conf *= 0.8
    runner = scored[1][1].pid if len(scored) > 1 else None
    return best.pid, round(min(conf, 0.99), 3), runner, best.kind == "historical"


def resolve_single(
    m: RawMatch,
    c: Candidate,
    text: str,
    base: int,
    art: Context,
    doc: Context | None,
    parent_before: str | None,
    parent_county: str | None,
    listed: bool,
) -> Resolved | None:
    """:func:`resolve_one` for a name with one candidate: the same acceptance rule and the same
    confidence (1, less for a short form or a name without evidence), without the score, which only
    ranks candidates; evidence is looked up only as far as the rule needs it."""
    e = m.entry
    pid, kind = c.pid, c.kind
    if kind == "literary" and m.zone is None:  # (嘉州|绿心公园: the park's name is the mention)
        if not literary_stands(m, text, base):
            return None
        m = literary_in_org(m, text, base)  # 羊城晚报, 荆楚网
    elif c.level == "landmark" and m.zone is None:
        if landmark_in_person(m, text, base):  # 村民张泰山表示
            return None
        m = landmark_in_org(m, text, base)  # 长江日报, 长江证券
    explicit = parent_before is not None and (
        parent_before in c.ancestors
        or (kind != "short" and bool(parent_county) and parent_county == c.county and pid != parent_before)
    )
    ap = art.places
    exclude = 1 if e.single_full else 0
    # Context.support(c) > 0: the place itself (a name read once is not its own evidence), an
    # ancestor below province, a descendant
    # (counts are never 0: an ancestor in the context is evidence)
    supported = bool(ap) and (
        ap.get(pid, 0) - exclude > 0
        or not ap.keys().isdisjoint(c.context_ancestors)
        or art.below.get(pid, 0) - exclude > 0
    )
    admin = m.admin_after
    strong = explicit or admin or supported
    in_home = c.in_home
    weak = strong or in_home
    if not weak and doc is not None and doc.places:
        dp = doc.places
        weak = pid in dp or not dp.keys().isdisjoint(c.context_ancestors) or pid in doc.below
    ok = plain_answer(c, e.wordlike, explicit, supported, weak)
    if ok is None:
        ok = accepted(m, c, text, base, art, doc, listed, explicit, admin, supported, strong, weak, True)
    if not ok:
        return None
    conf = _SINGLE_CONFIDENCE[kind == "short" and not strong, not weak]
    return _new(Resolved, (m, pid, conf, None, kind == "historical" and m.zone is None, m.zone))


def _single_confidence(short_unsupported: bool, no_evidence: bool) -> float:
    """The confidence of a name with one candidate: 1, less for a short form without strong
    evidence or a name without any (rounded as resolve_one rounds)."""
    conf = 1.0
    if short_unsupported:
        conf *= 0.85
    if no_evidence:
        conf *= 0.8
    return round(min(conf, 0.99), 3)


_SINGLE_CONFIDENCE = {(a, b): _single_confidence(a, b) for a in (False, True) for b in (False, True)}
