"""Which names may anchor a pattern zone (德清 in 德清地理信息小镇), decided once per name when the
candidate tables are built; shared by the tables (geo.geoparse.entries) and the zone finder."""

from __future__ import annotations

import re

#: Levels whose names can anchor a zone.
ANCHOR_LEVELS = frozenset(("province", "city", "county", "township", "zone", "landmark"))
_WORD_ANCHOR_LEVELS = frozenset(("province", "city", "county"))  # 江山经济开发区: a word, and a city
_GENERIC_ANCHOR = re.compile(r"^(?:高新|开发|经济|技术|工业|产业|科技|新|老|城|郊|矿)+(?:区|园|城|园区)?$")


def zone_anchor(surface: str, levels: set[str], wordlike: bool) -> bool:
    """Whether a name may anchor a zone, decided once per name: a place above village level, not a
    generic word (高新区), and if it is also a word, a county or larger (江山经济开发区; not 建设 in
    建设高容积率园区)."""
    if _GENERIC_ANCHOR.match(surface) or not levels & ANCHOR_LEVELS:
        return False
    return not wordlike or bool(levels & _WORD_ANCHOR_LEVELS)
