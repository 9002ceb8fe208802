"""Stage 3b: resolution — decide which matches are mentions and which place each one means.

Evidence, strongest first, all taken from the article itself:

1. an explicit parent right in front (黄岩区东城街道, 湘家荡区域(七星街道) → the zone's county), and
   the other way round, a namesake settled by the unit right after it (白云区同德街道 → 广州's 白云区);
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

from collections.abc import Set as AbstractSet

from geo.geoparse.beside import street_after, street_table
from geo.geoparse.context import Context, Resolved, confident_context
from geo.geoparse.countries import stands_alone
from geo.geoparse.evidence import ADJACENT_GAP, resolve_one, resolve_single
from geo.geoparse.index import PlaceIndex
from geo.geoparse.recognize import RawMatch
from geo.geoparse.words import jieba_counts

_new = tuple.__new__
adjacent = ADJACENT_GAP.match


_COORDINATOR = frozenset(("、", "和", "与", "及", "同", "跟", "，", ","))


def coordinated(matches: list[RawMatch], text: str, base: int) -> set[int]:
    """Positions of matches joined to a neighbouring unit name by 和/与/及/、 (合肥和深圳, 北京、天津):
    in such a list a bare city name means the city, not the word."""
    out: set[int] = set()
    for a, b in zip(matches, matches[1:]):
        if b.start - a.end != 1 or text[a.end - base] not in _COORDINATOR:
            continue
        if _listable(a.entry) and _listable(b.entry):
            out.update((a.start, b.start))
    return out


def _listable(e) -> bool:
    """A unit or a landmark: an item of a list of places (乐安、龙虎山、三清山、婺源)."""
    return e.unit or (bool(e.candidates) and all(c.level == "landmark" for c in e.candidates))


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
    dropped: list[tuple[RawMatch, Resolved | None]] = []
    memo: dict = {}  # (names read again the same way in this article)
    for i, m in enumerate(matches):
        if m.start < taken_to:
            if m.alt is None or m.alt.start < taken_to:
                continue  # overlapped by an alternative reading already chosen
            m = m.alt  # 从江苏|丹阳市: 苏丹 overlaps the 江苏 just read, 丹阳市 inside it still stands
        if m.zone is not None and m.anchor is not None and m.start >= m.anchor.end:
            # 上虞区e游小镇: the zone lies in the division just read (dropped if that was not a place);
            # 街道A社区、B社区: B lies where A does (A's anchor is B's)
            if prev is not None and (prev.match.start == m.anchor.start or prev.match.anchor == m.anchor):
                rz = _new(Resolved, (m, prev.place_id, prev.confidence, None, False, m.zone))
                out.append(rz)
                prev, taken_to = rz, m.end
            continue
        e = m.entry
        if e.fixed and not m.after_foreign:  # resolve_one's first case, without the call: most names
            c = e.candidates[0]
            rf = _new(Resolved, (m, c.pid, 0.99, None, c.kind == "historical" and m.zone is None, m.zone))
            out.append(rf)
            prev, taken_to = rf, m.end
            continue
        cands = e.candidates
        if len(cands) == 1 and not m.after_foreign:  # resolve_one's one-candidate case, without the call
            parent_before = parent_county = None
            if prev is not None:
                pend = prev.match.end
                gap = m.start - pend
                if gap == 0 or (0 < gap <= 3 and adjacent(text, pend - base, m.start - base)):
                    parent_before = prev.place_id
                    parent_county = index.county_of.get(parent_before)
            r = resolve_single(
                m, cands[0], text, base, art_ctx, doc_ctx, parent_before, parent_county, m.start in listed
            )
        else:
            r = resolve_one(m, text, base, index, art_ctx, doc_ctx, prev, m.start in listed, memo)
        if m.alt is not None and (r is None or r.confidence < 0.7):
            ra = resolve_one(m.alt, text, base, index, art_ctx, doc_ctx, prev, False, memo)
            if ra is not None and (r is None or ra.confidence > r.confidence):
                r = ra
        if r is None:
            if len(e.candidates) > 1 and not e.short and not e.wordlike and m.zone is None:
                parent = parent_of_next(m, matches, i, text, base, index)
                if parent is None:
                    dropped.append((m, prev))
                    continue
                r = _new(Resolved, (m, parent, 0.9, None, False, None))
            else:
                if not m.in_org and _again_later(e):
                    dropped.append((m, prev))
                continue
        out.append(r)
        prev = r
        taken_to = r.match.end
    if dropped and out:
        return _namesakes_again(dropped, out, text, base, index, art_ctx, doc_ctx, listed)
    return out


#: Levels of a one-place name read again, when dropped, with the places the article was found to
#: name: a county's short form (修水 after 九江修水), a township outside the home province (陆浑镇 in an
#: article that names 嵩县), a home village whose county was read from its short form (淳安的下姜村).
_AGAIN_LEVELS = frozenset(("county", "township", "village"))


def _again_later(e) -> bool:
    """A name worth a second reading: one place, a county, township or village, no ordinary word (建设, 涉县
    need a parent in front), a township's name of three characters or more (朗镇 inside 南朗镇 is
    not one)."""
    if len(e.candidates) != 1 or e.wordlike:
        return False
    c = e.candidates[0]
    return (
        c.level in _AGAIN_LEVELS and c.kind != "historical" and (c.level != "township" or len(e.surface) > 2)
    )


def _beside_in_province(m: RawMatch, c, out: list[Resolved], index: PlaceIndex) -> bool:
    """A list item next to ``m`` (one separator between) was read as a place of ``c``'s province."""
    prov = index.row[c.pid][2]
    return any(
        (r.match.end == m.start - 1 or r.match.start == m.end + 1) and index.row[r.place_id][2] == prov
        for r in out
    )


def parent_of_next(
    m: RawMatch, matches: list[RawMatch], i: int, text: str, base: int, index: PlaceIndex
) -> str | None:
    """A namesake county or city named right before a unit only one of its readings contains:
    白云区同德街道 and 白云区同德街 (广州's 白云区 has a 同德街道, 贵阳's has none). The child is the
    evidence a parent in front is for a child; without it the namesake is dropped."""
    units = {c.pid for c in m.entry.candidates if c.level in ("city", "county") and c.kind == "full"}
    if len(units) < 2:
        return None
    hits: set[str] = set()
    nxt = next((n for n in matches[i + 1 :] if n.start >= m.end), None)
    if nxt is not None and nxt.start == m.end and nxt.zone is None:
        hits = {a for c in nxt.entry.candidates if c.kind == "full" for a in c.ancestors if a in units}
    if not hits:
        short = street_after(text, m.end - base)
        if short is not None:
            table = street_table(index)
            hits = {p for p in units if table.get((p, short))}
    return hits.pop() if len(hits) == 1 else None


def _namesakes_again(
    dropped: list[tuple[RawMatch, Resolved | None]],
    out: list[Resolved],
    text: str,
    base: int,
    index: PlaceIndex,
    art_ctx: Context,
    doc_ctx: Context | None,
    listed: AbstractSet[int],
) -> list[Resolved]:
    """Full names shared by far-away places (白云区: 广州 and 贵阳), dropped for want of evidence,
    read again with every place the article was found to name as evidence — also those read
    from short forms (广州 in 广州的白云区、南沙区): the namesake inside a place the article names.
    So are one-place counties, townships and villages (:func:`_again_later`): 九江修水 … 修水 (the
    county read once with its city), 闫庄镇 … 嵩县 (its county named later in the article), 淳安的下姜村
    (the village's county read from its short form)."""
    read = {r.place_id for r in out}
    n_read = len(out)  # (the places read before this pass: where each is first named, on first need)
    first: dict[str, int] | None = None
    ctx: Context | None = None
    added = False
    for m, prev in dropped:
        c = m.entry.candidates[0]
        again = None
        if len(m.entry.candidates) == 1 and c.pid not in read:
            if c.kind == "short":
                # a county's short form: where the article read the county itself (修水), or in a
                # list beside a place of its province (乐安、龙虎山、三清山、婺源、景德镇): weakly
                if not (m.start in listed and _beside_in_province(m, c, out, index)):
                    if first is None:  # place id → where the article first names it
                        first = {r.place_id: r.match.start for r in reversed(out[:n_read])}
                    if not _above_read(m, c, first, text, base):
                        continue
                again = _new(Resolved, (m, c.pid, 0.68, None, False, None))
            elif read.isdisjoint(c.context_ancestors):
                continue  # a township: only with a unit around it read since (no new evidence)
        if again is None:
            if ctx is None:  # (built once, only where a name is read again)
                ctx = _all_read(art_ctx, out, index)
            again = resolve_one(m, text, base, index, ctx, doc_ctx, prev)
        if again is not None and not any(o.match.start < m.end and m.start < o.match.end for o in out):
            out.append(again)
            added = True
    return sorted(out, key=lambda x: x.match.start) if added else out


#: jieba's count from which a county's short form is a common word first (中原 2825, 江北 1405).
_COMMON_WORD = 1000


def _above_read(m: RawMatch, c, first: dict[str, int], text: str, base: int) -> bool:
    """A county's short form (no word) whose city the article was found to name, also in short
    (怀化 … 溆浦, 汉中 … 汉台; 上海 … 崇明: a municipality is its counties' city), where the text
    writes it as a word of its own and jieba does not count it as a common word."""
    if c.level != "county" or m.in_org or m.word_continues:
        return False
    above = c.context_ancestors if len(c.ancestors) > 1 else (c.province,)  # (上海's: the province)
    if not any(first.get(a, m.start) < m.start for a in above):
        return False  # the city comes first (怀化 … 溆浦), not after (金山银山 … 上海)
    if jieba_counts().get(m.entry.surface, 0) >= _COMMON_WORD:
        return False  # 跃动中原 in a 郑州 article: the Central Plains, not 中原区
    return stands_alone(text, m.start - base, m.end - base, runs_on=False)


def _all_read(art_ctx: Context, out: list[Resolved], index: PlaceIndex) -> Context:
    """The article's context with every place read in it (also from short forms)."""
    ctx = Context()
    for pid, n in art_ctx.places.items():
        ctx.add(pid, index, n)
    ctx.named_townships = art_ctx.named_townships
    for r in out:
        if r.zone is None and r.place_id not in art_ctx.places:
            ctx.add(r.place_id, index)
    return ctx
