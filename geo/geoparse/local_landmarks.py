"""The local landmarks an article about one place names by their own names, beyond hills and
lakes (:mod:`geo.geoparse.natural`): the small waters of the 江南 water towns (荻塘, 西山漾, 頔塘港,
沈荡, 蒲泾, 黄浦 …), hills (石马岗, 笔架尖), temples and old buildings (保国寺, 城隍庙 after its
town, 天一阁, 雷峰塔, 梳妆桥, 湖心亭, 天主教堂 after its village), parks and wetlands (西溪湿地,
竹海森林公园), old towns and streets (关山古镇, 塘栖老街).

What is read here is the *shape* of each kind: which words end such a name, how long its proper
part may be, which characters before the last word make it an ordinary word (海港, 池塘, 参观,
大桥, 宝塔: the word, not a name) and which stems name a kind, not one place (城隍庙 alone, 天主教堂,
国家湿地公园). The evidence (the article's places in one county, or a township or village written
right before: 横溪镇的金峨山, 海澄城隍庙) and the guards common to every kind (word boundaries read
with jieba, idioms, person names, division names) are natural.py's.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from geo.columns import ArticleMentions
from geo.geoparse.index import PlaceIndex
from geo.geoparse.words import ends_with_foreign, in_org_at

#: recall8's natural features: 大乘山, 松阴溪, 翠屏湖, 张家垱水库, 松古盆地.
_NATURAL = ("水库", "库区", "盆地", *"山峰岩岭峪溪河江湖岛")
#: Waters of the water towns (荻塘, 西山漾, 沈荡, 蒲泾, 顾浦, 月亮湾) and hills (石马岗, 笔架尖).
_WATER_HILLS = tuple("港塘荡漾泾浦湾岗尖")
#: Temples, shrines and old buildings (保国寺, 天一阁, 雷峰塔, 梳妆桥, 湖心亭, 圣心教堂).
BUILDINGS = ("教堂", "禅寺", *"寺庙庵观祠阁塔桥亭")
#: Parks, wetlands, old towns and villages, old streets (西溪湿地, 关山古镇, 塘栖老街).
_AREAS = ("湿地公园", "森林公园", "湿地", "古镇", "古村", "老街")
#: Protected areas, gorges, digs and piers (霸王岭国家森林公园, 石门山峡谷, 良渚遗址, 十六铺码头); a dig
#: named after its village is there (梁村|遗址: the village's, not a landmark in the county).
_SITES = ("国家森林公园", "国家湿地公园", "国家地质公园", "自然保护区", "风景名胜区", "遗址", "峡谷", "码头")
#: Scenic areas and sights named by a kind of scenery (莲泗荡|景区, 花岙|石林, 山背|梯田, 黔阳|古城).
_SCENIC = ("风景区", "旅游区", "景区", "石林", "梯田", "古城")
#: Regions named after a province or city written right before (山东|半岛, 成都|平原, 四川|盆地): the
#: region, in that province or city, with no point; read only so (胶东半岛 is left to the lists).
REGIONS = ("半岛", "平原", "盆地")
SUFFIXES = tuple(
    sorted(
        (*_NATURAL, *_WATER_HILLS, *BUILDINGS, *_AREAS, *_SITES, *_SCENIC, *REGIONS[:2]),
        key=len,
        reverse=True,
    )
)
NEW_SUFFIXES = frozenset((*_WATER_HILLS, *BUILDINGS, *_AREAS, *_SITES, *_SCENIC))
#: Sites named after the village or township written in full right before them: 梁村|遗址.
AT_TOWN = frozenset(("遗址",))
#: Suffixes whose proper part may be four characters long (圣弥额尔|教堂).
_LONG_STEMS = frozenset(("教堂",))
#: Suffixes named after the township or village written right before them: 汤浦|水库, 塘栖|老街,
#: 赵河|湿地公园, 海澄|城隍庙 — one landmark, in that township's county.
NAMED_AFTER_TOWN = frozenset(
    ("水库", "湿地公园", "森林公园", "湿地", "老街", "教堂", "城隍庙", "文庙", "孔庙")
)
#: Kinds of building every town has: named only after a town written right before them
#: (海澄|城隍庙), never alone (the 城隍庙 of the article's county is no name).
TOWN_KINDS = ("城隍庙", "文庙", "孔庙")


def stem_lengths(suffix: str) -> tuple[int, ...]:
    """Lengths of the proper part tried before ``suffix``, longest first: two before one
    character (大乘|山), two or three before a building's (保国|寺, 阿育王|寺) or a longer word
    (张家垱|水库), up to four before a church's (圣弥额尔|教堂)."""
    if len(suffix) == 1:
        return (3, 2) if suffix in BUILDINGS else (2,)
    return (4, 3, 2) if suffix in _LONG_STEMS else (3, 2)


#: Stems that name a kind of feature, not one (黑臭河, 母亲河, 人工湖; and for the new kinds 天主教堂,
#: 国家湿地公园, 江南古镇, 价值观).
KINDS = frozenset("黑臭 母亲 景观 人工 生态 美丽 幸福 示范 城市 乡村 家乡 污染".split())
NEW_KINDS = KINDS | frozenset(
    "天主 基督 城隍 关帝 土地 妈祖 财神 龙王 文昌 孔子 宗族 祖先 家族 "
    "国家 省级 市级 县级 郊野 湿地 森林 江南 水乡 千年 历史 传统 特色 文化 古老 "
    "鱼塘 池塘 水塘 荷塘 寺庙 古庙 佛教 道教 观音 岳王 文峰 魁星 奎星 藏经 清真 尼姑 石拱 风雨 "
    "金字 象牙 避风 独木 电视 信号 瞭望 报刊 跨海 钟鼓 立交 人行 沿江 沿河 沿湖 沿海 环湖 滨湖 滨海 "
    "世界 价值 人生 发展 政绩 宇宙 消费 审美 "
    # kinds of scenic area, stone forest, terrace and old town (山岳|景区, 喀斯特|石林, 千亩|梯田)
    "山岳 海滨 城郊 城区 全域 旅游 核心 精品 重点 热门 周边 知名 著名 主要 收费 免费 大型 红色 "
    "喀斯特 岩溶 丹霞 地质 海上 火山 高山 湖泊 海岛 层层 千亩 万亩 明清 老城 新城".split()
)
#: The character before the last word and the word make an ordinary word: no name ends there
#: (碳|达峰, 种|高山; 中国|香港 is read as a place, 参观, 大桥, 宝塔 and 上岗 are words).
TAIL_WORDS = frozenset(
    "达峰 高峰 洪峰 巅峰 登峰 顶峰 冰山 火山 江山 河山 靠山 后山 前山 深山 高山 大山 青山 上山 "
    "下山 进山 出山 爬山 登山 名山 荒山 矿山 运河 内河 外河 护河 治河 小河 大河 小溪 清溪 大湖 "
    "小湖 入江 沿江 跨江 "
    "香港 海港 军港 渔港 商港 河港 出港 进港 离港 入港 抵港 赴港 来港 在港 沪港 粤港 深港 陆港 "
    "空港 内港 外港 良港 母港 池塘 鱼塘 水塘 荷塘 海塘 泥塘 扫荡 动荡 放荡 游荡 晃荡 浩荡 闯荡 "
    "摇荡 飘荡 空荡 坦荡 震荡 回荡 激荡 荡漾 海湾 港湾 河湾 台湾 大湾 上岗 下岗 在岗 转岗 返岗 "
    "站岗 换岗 轮岗 定岗 山岗 顶尖 拔尖 笔尖 舌尖 指尖 刀尖 针尖 塔尖 冒尖 佛寺 古寺 寺庙 古庙 "
    "家庙 宗庙 尼庵 参观 景观 壮观 乐观 客观 主观 宏观 微观 外观 直观 围观 悲观 美观 奇观 道观 "
    "大观 改观 旁观 反观 纵观 综观 静观 可观 统观 宗祠 家祠 楼阁 内阁 宝塔 铁塔 灯塔 水塔 佛塔 "
    "古塔 白塔 石塔 高塔 金塔 大桥 过桥 天桥 石桥 木桥 廊桥 拱桥 浮桥 吊桥 古桥 小桥 断桥 "
    "凉亭 长亭 岗亭 古亭".split()
)
#: After the last word: a division's, a street's or a longer word's start (大峧山村, 新港镇, 海港路;
#: 山区 and 河道 are left to jieba), and for the new kinds a longer word's too (港口, 港澳, 寺院,
#: 庙会, 塔吊, 观点) and a community's (三岩寺|社区, 接官亭|居委会).
AFTER_NOT = frozenset("村镇乡县市区街路巷道埠口")
AFTER_NEW = AFTER_NOT | frozenset("院会吊台澳股币元点念社居")
#: After the last word, one character and a division's word: the feature's name is the start of a
#: village's (新二塘|庙村, 广济桥|西村).
DIVISION_NEXT = re.compile("[\u4e00-\u9fff][村镇乡]")
LONGER = re.compile("湿地|公园|景区|风景|国家|森林|旅游|度假|大桥|隧道|电站|水电|大坝")

#: Surnames common enough that 王志|亭, 张国|桥 are more likely a person than a pavilion or a bridge.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范石廖贾夏韦付方白邹孟熊秦邱尹薛闫段侯史陶黎贺顾毛郝龚邵万钱严覃戴莫孔汤"
)
#: Last words a given name may end with (志亭, 国桥, 立岗, 文阁, 海峰).
_GIVEN_LAST = frozenset("亭桥岗阁峰浦")


_BUILDING_CHARS = frozenset(b[-1] for b in BUILDINGS)


def famous(whole: str, tag: str) -> bool:
    """A building's name of three characters that the dictionaries hold as a word and jieba as a
    proper name (灵隐寺, 雷峰塔, 天一阁): a famous one, not a word; no idiom (聚沙成塔) and no other
    kind (高精尖 is jieba's nr too, 世界观 its nz)."""
    return len(whole) == 3 and whole[-1] in _BUILDING_CHARS and tag in ("ns", "nr")


_COUNTED = re.compile("[一二三四五六七八九十百]里")


def counted(stem: str) -> bool:
    """A distance as a water's or a bridge's name (九里|港, 七里|塘, 十里|亭): a numeral, not a
    word of a sentence, though jieba tags it as one."""
    return _COUNTED.fullmatch(stem) is not None


def given_name(whole: str, tag: str) -> bool:
    """A surname + one character + 亭/桥/岗/阁 that jieba does not know as a place: a person's
    name (王志亭, 张国桥) more likely than a landmark's; 王家桥, 李村桥 are places."""
    return (
        len(whole) == 3
        and tag != "ns"
        and whole[-1] in _GIVEN_LAST
        and whole[0] in _SURNAMES
        and whole[1] not in "家村庄湾塘桥港"
    )


def foreign_name(text: str, whole: str) -> bool:
    """The name follows another country's somewhere in the text (法国|穆松桥, a French company):
    not a bridge of the article's county, there or anywhere else in it."""
    at = text.find(whole)
    while at >= 0:
        if ends_with_foreign(text, at):
            return True
        at = text.find(whole, at + 1)
    return False


_DIVISIONS: dict[int, frozenset[str]] = {}  # (the county and city names of an index, built once)


def division_name(whole: str, index: PlaceIndex) -> bool:
    """The name and 区, 县 or 市 make a county's or city's name (清江浦|区 in 淮安): the division
    written short, not a river of the article's county."""
    names = _DIVISIONS.get(id(index.row))
    if names is None:
        names = frozenset(r[0] for r in index.row.values() if r[1] in ("county", "city"))
        _DIVISIONS.clear()
        _DIVISIONS[id(index.row)] = names
    return whole + "区" in names or whole + "县" in names or whole + "市" in names


_TOWNS = frozenset(("township", "village"))


def _ending(mentions: ArticleMentions, at: int, levels: frozenset[str] = _TOWNS) -> int | None:
    """The mention of one of ``levels`` (a township or village) that ends at file offset ``at``, if
    any (its index)."""
    ends = mentions.ends
    k = bisect_left(ends, at)
    if k == len(ends) or ends[k] != at:
        return None
    rows = mentions.cols.places
    return k if rows[mentions.cols.place[mentions.idx[k]]][2] in levels else None


def place_ending(mentions: ArticleMentions, at: int, levels: frozenset[str] = _TOWNS) -> str | None:
    """The place of ``levels`` whose mention ends at file offset ``at`` (梁村|遗址, 山东|半岛): its id."""
    k = _ending(mentions, at, levels)
    return None if k is None else mentions.cols.places[mentions.cols.place[mentions.idx[k]]][0]


def town_before(text: str, off: int, s: int, mentions: ArticleMentions) -> str | None:
    """The township or village written right before a feature's name that starts at ``s``
    (横溪镇|金峨山, 横溪镇的|金峨山, 齐坑村的“|万安桥”): its place id, where the feature is placed; None
    if none."""
    at = s - 1 if s > 0 and text[s - 1] == "“" else s  # (齐坑村的“万安桥”)
    at = at - 1 if at > 0 and text[at - 1] == "的" else at
    return place_ending(mentions, off + at)


def named_after_town(
    text: str, off: int, i: int, j: int, mentions: ArticleMentions, index: PlaceIndex
) -> tuple[int, int, str | None] | None:
    """A feature named after the township or village written short right before its last word
    (汤浦|水库, 塘栖|老街, 海澄|城隍庙): (start, end, the town's county) — in the county, no finer (the
    feature is named after the town, not known to be at its seat) — or None. A town written in full
    stays a mention of its own (汤浦镇水库)."""
    at = i - 2 if text[i - 2 : j] in TOWN_KINDS else i
    if j < len(text) and (text[j] in AFTER_NEW or LONGER.match(text, j) is not None):
        return None
    k = _ending(mentions, off + at)
    if k is None or _FULL_TOWN.search(text, 0, at) is not None:
        return None  # (汤浦镇|水库: the township stays, written in full; the reservoir is left)
    pid = mentions.cols.places[mentions.cols.place[mentions.idx[k]]][0]
    county = index.county_of.get(pid)
    if county is None or in_org_at(text, j):
        return None
    return mentions.starts[k], off + j, county


#: A town written in full ends so: a feature after it is not named after it alone.
_FULL_TOWN = re.compile("(?:镇|乡|村|街道|社区)$")
