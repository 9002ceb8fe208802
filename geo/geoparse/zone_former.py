"""Zones named after a former district: 江干丁兰智慧小镇 (江干区 was abolished in 2021).

The zones kept their names when the districts went: the former district's short form written in
front is part of the zone's name, not a mention of its own. The zone lies in the district's
successor; where the name's own anchor says otherwise (钱塘 → 钱塘区, but 江干's successor is 上城区)
it is read no finer than the city.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.geoparse.matches import RawMatch


def former_county(p: RawMatch) -> bool:
    """A former county's or district's name only (江干: 江干区 until 2021), outside an organisation."""
    return not p.in_org and all(c.kind == "historical" and c.level == "county" for c in p.entry.candidates)


def named_after_former(text: str, base: int, p: RawMatch, z: RawMatch) -> RawMatch:
    """A zone named after a former district written in front of it (江干|丁兰智慧小镇:
    江干区 was abolished in 2021): one zone, the whole name. Where the zone's own anchor lies in the
    district's successor (丁兰街道, in 上城区) it stays the zone's place; where it does not (钱塘区),
    the zone is at the former district's successor read no finer than its city (see
    :func:`former_disputed`): which of the two the zone lies in, the name does not tell."""
    name = "".join(text[p.start - base : z.end - base].split())
    after = {c.pid for c in p.entry.candidates}
    if any(c.pid in after or not after.isdisjoint(c.ancestors) for c in z.entry.candidates):
        return z._replace(start=p.start, zone=name)
    return z._replace(start=p.start, entry=p.entry, zone=name)


def former_disputed(m: RawMatch) -> bool:
    """A zone read at a former district whose own anchor, later in its name, lies elsewhere
    (江干|钱塘…小镇: 江干 → 上城区, 钱塘 → 钱塘区): its place is the city, no finer."""
    a = m.anchor
    return (
        a is not None
        and a.start > m.start
        and a.entry is not m.entry
        and m.entry.candidates[0].kind == "historical"
    )


def town_of_former(m: RawMatch, nxt: RawMatch) -> bool:
    """江干|丁兰|智慧小镇: a township's short form (no anchor of its own) inside a zone's name after a
    former district that it lay in (丁兰街道, now in 上城区, 江干区's successor): part of the name."""
    if nxt.entry.zone_anchor or not former_county(m):
        return False
    after = {c.pid for c in m.entry.candidates}
    return all(c.level == "township" and not after.isdisjoint(c.ancestors) for c in nxt.entry.candidates)
