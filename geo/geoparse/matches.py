"""A name found in the text, before resolution: the record the recognizer, the zone finder and
the resolver pass along (a tuple: millions per corpus)."""

from __future__ import annotations

from typing import NamedTuple

from geo.geoparse.entries import NameEntry


class RawMatch(NamedTuple):
    """A name found in the text; offsets are relative to the scanned string plus base.

    Built with ``tuple.__new__`` in the hot loop (a tuple, not an object per match)."""

    start: int
    end: int
    entry: NameEntry
    in_org: bool
    admin_after: bool  # followed by 区委/人民政府/: … (a division in its own right)
    after_foreign: bool = False  # right after a foreign country's name (美国德州)
    word_continues: bool = False  # a longer ordinary word/idiom starts here (江山如画)
    alt: RawMatch | None = None  # an overlapping reading starting inside this one (创新余杭)
    anchor: RawMatch | None = None  # a pattern zone: the place name it is anchored at (德清)
    zone: str | None = None  # a pattern zone: its full name as written (德清地理信息小镇)
