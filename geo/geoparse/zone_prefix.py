"""A zone's name with the places written in front of it: one zone mention, not a place and a zone.

A zone's official or customary name carries its province, city or county in front, written as
short forms with nothing between them: 连云港东海高新区 (连云港 + 东海高新区), 浙江金东经济开发区,
苏州张家港高新区, 杭州玉皇山南基金小镇, 杭州湾上虞经开区. The short forms are part of the zone's
name — the reader does not take 连云港 as a second place mentioned beside the zone — so the
mention spans the whole name and stays at the zone's own anchor (东海县), the finest place written.
A division written in full stays a mention of its own (嘉兴市南湖区湘家荡区域, 河上镇膜力产业社区:
the text names the division, then the zone in it).

The free trade zones' official names put the province in brackets: 中国(湖南)自由贸易试验区,
中国（浙江）自由贸易试验区金义片区 — one zone mention, at the province (or at the area's city),
not the country 中国 and the province 湖南.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geo.geoparse.anchors import is_landmark
from geo.geoparse.words import in_org_at

if TYPE_CHECKING:
    from geo.geoparse.context import Resolved
    from geo.geoparse.entries import NameEntry
    from geo.geoparse.matches import RawMatch

#: Levels whose short forms are written in front of a zone's name (杭州湾 is a bay: 杭州湾上虞经开区).
_PREFIX_LEVELS = frozenset(("province", "city", "county", "landmark"))
_DIVISION_SUFFIX = re.compile(r"(?:省|市|区|县|旗|盟|州|镇|乡|街道|自治区)$")
#: 中国(湖南)自由贸易试验区 / 中国（浙江）自贸试验区金义片区: after the bracketed province.
_FTZ_TAIL = re.compile(r"[)）](自由贸易试验区|自贸试验区)")
_new = tuple.__new__


def is_zone(m: RawMatch) -> bool:
    """A pattern zone (德清地理信息小镇) or a curated one (玉皇山南基金小镇); not a pattern landmark,
    which is named by its own place: 建德|梅城古镇 is the county and the old town of 梅城镇, two
    mentions (as 湖州|南浔古镇 with the curated 南浔古镇)."""
    if m.zone is not None:
        return not is_landmark(m.zone)
    e = m.entry
    got = _ZONE_ENTRY.get(e.surface)  # (worked out once per entry: one per surface and matcher)
    if got is None or got[0] is not e:
        cands = e.candidates
        got = _ZONE_ENTRY[e.surface] = (e, bool(cands) and all(c.level == "zone" for c in cands))
    return got[1]


_ZONE_ENTRY: dict[str, tuple[NameEntry, bool]] = {}


def _prefix(p: RawMatch, at: int) -> bool:
    """``p`` ends at ``at`` and is a short form of a province, city, county or landmark (not a
    division written in full, not inside an organisation's name, not itself a zone)."""
    e = p.entry
    if p.end != at or p.in_org or p.zone is not None:
        return False
    if _DIVISION_SUFFIX.search(e.surface) is not None and not e.short:
        return False
    return any(c.level in _PREFIX_LEVELS for c in e.candidates) and not is_zone(p)


def with_prefixes(resolved: list[Resolved], text: str, base: int) -> list[Resolved]:
    """Resolved mentions with each zone widened over the short forms read right in front of it
    (连云港|东海高新区 → 连云港东海高新区, still at 东海县). After resolution, so that the prefixes
    were the zone's evidence first (南浔|善琏湖笔小镇: 南浔 is what places 善琏)."""
    if len(resolved) < 2:
        return resolved
    for r in resolved:  # (most articles name no zone at all: no set of ends made for them)
        if is_zone(r[0]):
            break
    else:
        return resolved
    ends = {r[0][1] for r in resolved}
    for r in resolved:  # (a loop, not any(…): ~100 names an article, most right after another)
        if r[0][0] in ends and is_zone(r[0]):
            break
    else:
        return resolved  # (the common case: no zone right after another name)
    out: list[Resolved] = []
    for r in resolved:
        m = r.match
        if not out or out[-1].match.end != m.start or not is_zone(m) or not _prefix(out[-1].match, m.start):
            out.append(_in_division(out[-1], r) if out and r.zone is not None else r)
            continue
        start = m.start
        while out and _prefix(out[-1].match, start):
            start = out.pop().match.start
        if r.zone is not None:  # a pattern zone: its name as written, from the first prefix
            zone = "".join(text[start - base : m.end - base].split())
            out.append(_new(type(r), (_new(type(m), (start, *m[1:9], zone)), *r[1:5], zone)))
        else:  # a curated zone keeps its entry and its official name
            out.append(_new(type(r), (_new(type(m), (start, *m[1:])), *r[1:])))
    return out


def _in_division(prev: Resolved, r: Resolved) -> Resolved:
    """A zone named after its city, right after a county or township of that city written in full:
    位于X旗|<its city>…产业园 is in X旗 (the text says so), not only in the city."""
    p = prev.match
    if p.end != r.match.start or p.entry.short or _DIVISION_SUFFIX.search(p.entry.surface) is None:
        return r
    if not any(c.pid == r.place_id and c.level in ("city", "province") for c in r.match.entry.candidates):
        return r
    if any(c.pid == prev.place_id and r.place_id in c.ancestors for c in p.entry.candidates):
        return r._replace(place_id=prev.place_id)
    return r


def free_trade_zones(text: str, base: int, matches: list[RawMatch]) -> list[RawMatch]:
    """中国(湖南)自由贸易试验区[长沙片区]: the country, bracket, province, bracket and suffix as one
    zone at the province; an area named right after (X片区) puts it at X."""
    out: list[RawMatch] = []
    i, n = 0, len(matches)
    while i < n:
        m = matches[i]
        z = _ftz_at(text, base, matches, i) if m.entry.surface == "中国" and i + 1 < n else None
        if z is None:
            out.append(m)
            i += 1
            continue
        out.append(z)
        while i < n and matches[i].start < z.end:
            i += 1
    return out


def _ftz_at(text: str, base: int, matches: list[RawMatch], i: int) -> RawMatch | None:
    china, prov = matches[i], matches[i + 1]
    if text[china.end - base : china.end - base + 1] not in "(（" or prov.start != china.end + 1:
        return None
    if not any(c.level == "province" for c in prov.entry.candidates):
        return None
    nxt = matches[i + 2] if i + 2 < len(matches) else None
    if nxt is not None and nxt.start == prov.end + 1 and nxt.zone is None and is_zone(nxt):
        # 中国（浙江）|自贸试验区杭州片区: a curated zone's name after the bracket; it keeps its entry
        if text[prov.end - base] not in ")）":
            return None
        return _new(type(nxt), (china.start, *nxt[1:]))
    t = _FTZ_TAIL.match(text, prov.end - base)
    if t is None:
        return None
    end, anchor = t.end(), prov
    if nxt is not None and nxt.start - base == end:
        area = nxt.anchor or nxt  # (合肥片区高新区 may have been read as a pattern zone at 合肥)
        if area.start == nxt.start and text.startswith("片区", area.end - base):
            end, anchor = area.end - base + 2, area  # …自由贸易试验区|长沙|片区: the area, in 长沙
    name = "".join(text[china.start - base : end].split())
    return _new(
        type(china),
        (
            china.start,
            base + end,
            anchor.entry,
            in_org_at(text, end),
            anchor is not prov,
            False,
            False,
            None,
            anchor,
            name,
        ),
    )
