"""What an article (or a document) is known to talk about, and what resolution decides per match.

:class:`Context` counts the places named confidently (a single full non-word candidate), their
provinces and their ancestors; :class:`Resolved` is one accepted match with its place.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from geo.geoparse.index import PlaceIndex
from geo.geoparse.matches import RawMatch


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

    def merge(self, other: Context) -> None:
        """Add another context's counts (an article's to its document's): the counts adding its
        places one by one would give, without looking up their provinces and ancestors again."""
        pairs: tuple[tuple[dict[Any, int], dict[Any, int]], ...] = (
            (self.places, other.places), (self.below, other.below), (self.provinces, other.provinces),
        )  # fmt: skip
        for mine, theirs in pairs:
            get = mine.get
            for k, n in theirs.items():
                mine[k] = get(k, 0) + n
        self.named_townships |= other.named_townships


def confident_context(matches: list[RawMatch], index: PlaceIndex) -> Context:
    """Context from matches that need no disambiguation: a single, full, non-word candidate
    (townships only in the home province, villages never: too many namesakes)."""
    ctx = Context()
    named = ctx.named_townships
    counts: dict[str, int] = {}  # place id → how many confident mentions
    get = counts.get
    for m in matches:
        e = m.entry
        if e.full_townships:
            named.update(e.full_townships)
        pid = e.confident
        if pid is None or m.in_org or m.after_foreign or (m.anchor is not None and m.start == m.anchor.end):
            continue  # (a zone or village after its division carries the division's entry: counted once)
        counts[pid] = get(pid, 0) + 1
    for pid, n in counts.items():  # each place once, with its count (same counts, same order)
        ctx.add(pid, index, n)
    return ctx
