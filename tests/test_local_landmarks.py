"""Local landmarks by pattern (branch patterns9): the small waters of the water towns (X港, X塘, X荡,
X漾), temples and old buildings (X寺, X庙, X桥), named in an article whose places lie in one county
or right after their village, as landmarks there; and the phrases that only end like them. Each
case is short text from a public page (its address in the docstring); each positive assertion
failed before the rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, level, county, township, precision) per mention."""
    return fields_of("text", "level", "county", "township", "precision")


def _landmarks(got: list[tuple]) -> list[tuple]:
    return [(t, county, prec) for t, level, county, _town, prec in got if level == "landmark"]


def test_the_rivers_of_a_district_named_in_a_list(spans):
    """http://ask.fsou.com/html/text/lar/173599/17359964_4.html (嘉兴 南湖区): 九里港, 孔庙塘, 罗汉塘
    are the district's rivers, at its point with county precision."""
    got = spans(
        "“十二五”期间,规划对南湖区进行骨干河道整治,共治理骨干河道7条,分别为九里港、孔庙塘、罗汉塘、环桥港。"
    )
    assert _landmarks(got) == [
        ("九里港", "南湖区", "county"),
        ("孔庙塘", "南湖区", "county"),
        ("罗汉塘", "南湖区", "county"),
    ]


def test_a_lake_of_the_water_towns_before_its_district(spans):
    """https://www.meipian.cn/59x17l0p: 西太漾 (a 漾 is a lake of the 杭嘉湖 plain) in 临平区."""
    got = spans("西太漾位于临平东湖街道姚家埭村,它坐拥360亩纯天然湖漾。")
    assert _landmarks(got) == [("西太漾", "临平区", "county")]


def test_bridges_written_after_their_villages(spans):
    """https://freewechat.com/a/MzA3NTU1NTUxNQ==/2652714248/5 (淳安 屏门乡): 小陵村的“济生桥”, 金陵村的
    “金陵桥” … are the villages' bridges in 淳安县, at county precision as the villages themselves
    (no village's point is known: the bridge claims no more). 万安桥 is left (万 is a surname, and
    万安桥 may be a person); 石断桥 ends in the word 断桥."""
    got = spans(
        "我的家乡在浙西淳北的屏门乡,这里地处偏僻。这个只有15个行政村的乡,却有八座石拱桥。"
        "它们分别是齐坑村的“万安桥”,小陵村的“济生桥”,金陵村的“金陵桥”,大陵村的“永丰桥”,"
        "外坪村的“车龙桥”,胡坑村的“合和桥”,屏前村的“屏川桥”以及大陵村的“石断桥”。"
    )
    found = _landmarks(got)
    for bridge in ("济生桥", "金陵桥", "屏川桥"):
        assert (bridge, "淳安县", "county") in found
    assert ("金陵村", "village", "淳安县") in [(t, lv, c) for t, lv, c, *_r in got]


def test_a_temple_and_a_pagoda_on_a_hill_of_a_district(spans):
    """https://57yx.com/travel-61901: 南山寺 and 瑞峰塔 in an article about 奉化 (奉化市, now 奉化区)."""
    got = spans(
        "南山位于奉化市南面,植被良好,空气清新,森林覆盖率在90%以上、为针阔混交次生林。山上有南山寺和瑞峰塔。"
    )
    assert _landmarks(got) == [("南山寺", "奉化区", "county"), ("瑞峰塔", "奉化区", "county")]


def test_temples_of_a_village_and_a_nature_reserve(spans):
    """http://zjnews.zjol.com.cn/05zjnews/system/2006/11/28/008016514.shtml: 演教禅寺 of 荻港村 (南浔区);
    http://www.piaojia.cn/jingdian/article_353733.html: 古田庙 in 开化县."""
    got = spans(
        "浙江湖州市和孚镇荻港村,地处杭嘉湖平原,是一个具有千年历史的水乡古村落。"
        "从残照烟柳的演教禅寺到清朝嘉庆年间御赐“玉清赞化”金匾的道教胜地南苕胜境,"
        "无不隐然传续着荻港的古风遗韵。"
    )
    assert _landmarks(got) == [("演教禅寺", "南浔区", "county")]
    got = spans("古田山自然保护区位于开化县城西北30公里处的苏庄境内,林中有古田庙,故名古田山。")
    assert ("古田庙", "开化县", "county") in _landmarks(got)


def test_the_sights_of_an_old_town_lie_in_its_district(spans):
    """http://wap.bizasean1.com/wl/2915.html: 塘栖古镇 (the old town of 塘栖镇) places its list of
    sights in 临平区: 广济桥 (a bridge jieba knows by name) and 青莲禅寺; 八字桥古街 and 水南庙 are
    left (a street's name; 水南 is a word of place)."""
    got = spans(
        "塘栖古镇内的主要景观有:乾隆御碑、广济桥、水北明清街、运河古道、八字桥古街、青莲禅寺、超山、"
        "枇杷特色园、郭璞古井、市南街廊檐、美人靠、丁山湖、水南庙、太师第弄。"
    )
    found = _landmarks(got)
    assert ("广济桥", "临平区", "county") in found
    assert ("青莲禅寺", "临平区", "county") in found


def test_no_landmark_where_the_places_lie_in_two_provinces(spans):
    """https://www.cei.cn/defaultsite/s/article/2024/04/16/4b4ff606-8d62dd94-018e-eae9d01c-696e_2024.html:
    小天圩河 lies between 秀洲区 and 吴江区: no one county to place it in, no landmark."""
    got = spans("漫步于浙江嘉兴秀洲区王江泾镇西雁村和江苏省吴江区盛泽镇兴桥村交界的小天圩河边的绿道上。")
    assert _landmarks(got) == []


def test_villages_named_after_a_temple_or_a_bridge_stay_villages(spans):
    """http://www.6152173.com/jcdt/201901/t20190104_2975495.shtml (银水庙村) and
    http://slj.jiaxing.gov.cn/art/2024/3/20/art_1511044_58906043.html (博儒桥村, 油车桥村, 横港村,
    大齐塘村): the village, never a temple, bridge, river or pond."""
    got = spans("作为姚庄镇银水庙村村民,郁惠英和所有村民一样,对水患之苦记忆犹新。")
    assert ("银水庙村", "village") in [(t, lv) for t, lv, *_r in got] and _landmarks(got) == []
    got = spans(
        "我市上榜的有嘉善县东云村、洪溪村、横港村,平湖市大齐塘村、钟埭村,海宁市博儒桥村、长啸村,"
        "桐乡市油车桥村。"
    )
    assert _landmarks(got) == []


#: Words and phrases that end like a landmark: a feature's word (港口, 河道, 山区), a kind of
#: building every place has (城隍庙, 天主教堂), an ordinary word (参观, 价值观, 避风港, 宝塔, 上岗),
#: an idiom (聚沙成塔, 亭台楼阁), a person (王志亭说), a division or community (象山县, 新港镇,
#: 北仑港区, 淮安's 清江浦, 三岩寺社区), a foreign company (法国穆松桥), a programme (古镇保护,
#: 水库除险加固).
FALSE_FRIENDS = (
    "河道整治|港口建设|山区群众|寺院管理|加强古镇保护|水库除险加固|参观学习|美丽港湾|池塘里的鱼|大桥通车|"
    "一座宝塔|景观提升|树立正确的价值观|世界观|高精尖人才|聚沙成塔|温暖的避风港|立交桥下|报刊亭旁|"
    "村口的凉亭|持证上岗|顶尖人才|局势动荡|碧波荡漾|中国香港|法国穆松桥|王志亭说|张国桥表示|象山县|"
    "北仑港区|新港镇|城隍庙|天主教堂|国家湿地公园|江南古镇|千年古镇|老街坊|寺庙|道观|宗祠|灯塔|"
    "石拱桥|风雨桥|观音庙|土地庙|关帝庙|荷塘月色|鱼塘养殖|闯荡江湖|台湾同胞|粤港澳大湾区|驶入港口|"
    "金字塔|象牙塔|独木桥|下岗职工|舌尖上的美食|塔吊|庙会|湿地保护|森林公园建设|老街改造|水库移民|"
    "过桥米线|断桥残雪|长亭外|亭台楼阁|空中楼阁|内阁|冰山一角|沿江湿地公园|从清江浦回到家乡|三岩寺社区"
).split("|")


@pytest.mark.parametrize("phrase", FALSE_FRIENDS)
def test_phrases_that_end_like_a_landmark_are_none(spans, phrase):
    """In an article about one township of one district (宁波 鄞州区 横溪镇), none of these is a
    landmark."""
    assert _landmarks(spans(f"鄞州区横溪镇:{phrase}。")) == []
