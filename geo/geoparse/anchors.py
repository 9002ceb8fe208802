"""Which names may anchor a pattern zone (德清 in 德清地理信息小镇), decided once per name when the
candidate tables are built; shared by the tables (geo.geoparse.entries) and the zone finder. And
which pattern names are landmarks, not zones (龙虎山景区), shared by the zone finder, the prefix
reader (geo.geoparse.zone_prefix) and the mention records."""

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


#: Suffixes of a scenic area, park or old town named after a place: a landmark, not a zone
#: (龙虎山景区, 闽江河口国家湿地公园, 前童古镇, 新化大紫鹊界景区), longest first.
LANDMARK_SUFFIXES = (
    "风景名胜区",
    "国家湿地公园",
    "国家森林公园",
    "国家地质公园",
    "国家公园",
    "湿地公园",
    "森林公园",
    "地质公园",
    "风景区",
    "旅游区",
    "古镇群",
    "大瀑布",
    "古城",
    "景区",
    "古镇",
    "瀑布",
    "花海",
    "公园",
)


def is_landmark(name: str) -> bool:
    """A pattern mention's name is a landmark's (龙虎山景区, 前童古镇), not a zone's."""
    return name.endswith(LANDMARK_SUFFIXES)
