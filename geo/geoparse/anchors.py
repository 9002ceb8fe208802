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


#: A zone's descriptor holding one of these is part of a sentence, not of a name (萧山加快推进|产业园区,
#: 小镇位于印染|产业集聚区).
SENTENCE_WORDS = re.compile(
    "[的和与及在将等把被对向从了是为个各这那其该也都并又还年月日号第亿万元]|"
    "加快|推进|推动|建设|打造|发展|建成|落户|入驻|引进|签约|开工|规划|形成|成为|围绕|依托|聚焦|全力|"
    "积极|重点|着力|实施|开展|完成|启动|新建|扩建|提升|培育|做强|拓展|布局|谋划|共建|联合|携手|服务|"
    "支持|带动|申报|创建|争创|获批|认定|命名|入选|列入|进入|成功|正式|首批|一批|多个|全市|全区|全省|"
    "全县|各类|相关|重大|以上|以下|周边|附近|境内|辖区|城区|市区|中心|地区|一流|高水平|高质量|"
    "坐拥|拥有|位于|地处|作为|坐落|成立|设立|获评|评为|授予|"
    "记者|媒体|游客|走访|采访|参观|考察|调研|来到|走进|前往|探访|游览|打卡|举办|举行|召开|探寻|"
    "流过|流经|流淌|流入|汇入|穿过|穿越|经过|绕过|"  # 龙江|溪水流过|古镇: water passing the town
    "[0-9A-ZＡ-Ｚ]+级"  # 3A级景区村庄: a grade, not a name (湘家荡省级旅游度假区 is one)
)
