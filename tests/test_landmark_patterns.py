"""Landmarks beyond the curated list (branch recall8): a place + a landmark suffix (漳州古城, 武夷山国家公园,
宜都天龙湾国家湿地公园), and hills, streams, lakes and reservoirs named in an article about one place
(大乘山, 张家垱水库). Each case is short text from a public page (its address in the docstring) or a
passage of frozen v6 (a development set since recall8 read its errors; its id in the docstring); each
assertion failed before its rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, level, city, county, precision) per mention."""
    return fields_of("text", "level", "city", "county", "precision")


def _landmarks(got: list[tuple]) -> list[str]:
    return [t for t, level, *_rest in got if level == "landmark"]


# ---- a place + a landmark suffix -----------------------------------------------------------------


def test_an_old_walled_town_is_a_landmark_named_after_its_city(spans):
    """丽江古城, 平遥古城 (https://www.yuheying02.cn/news/gu-cheng-mi-jing-jie-mi-lv-you-qu-de-gu-lao-mei-li.html)
    and 漳州古城 (v6 z22): one landmark, not the city and the district 古城区."""
    got = spans("丽江古城:位于云南省丽江市,始建于宋末元初。")
    assert got[0] == ("丽江古城", "landmark", "丽江市", None, None)
    assert _landmarks(spans("至今日,漳州古城仍较完整地保留着唐宋以来的自然风貌。")) == ["漳州古城"]


def test_the_district_and_the_kinds_of_place_stay_what_they_are(spans):
    """丽江古城区 is the district (a division, not the old town); 古城古镇古村 (v6 z22's headline) are
    three kinds of place, no landmark."""
    assert ("古城区", "county", "丽江市", "古城区", "county") in spans("丽江古城区人民政府发布通告。")
    assert _landmarks(spans("古城古镇古村 古韵古色古香")) == []


def test_an_old_town_after_its_county_is_two_mentions(spans):
    """建德|梅城古镇 (v6 z03): the county and the old town of 梅城镇, as 湖州|南浔古镇 with the curated one."""
    got = spans("走进建德梅城古镇,感受千年府城的韵味。")
    assert [(t, lv) for t, lv, *_r in got] == [("建德", "county"), ("梅城古镇", "landmark")]


def test_a_scenic_area_after_a_port_name_is_one_landmark(spans):
    """太湖溇港景区 (v6 z07): 太湖 + 溇港 (read as a 港 zone) + 景区 is one scenic area, not a zone."""
    got = spans("在吴兴区织里镇的太湖溇港景区,荷花开得正盛。")
    assert ("太湖溇港景区", "landmark") in [(t, lv) for t, lv, *_r in got]


def test_a_short_form_inside_a_parks_name_is_part_of_it(spans):
    """宜都天龙湾国家湿地公园 (v6 z28): 龙湾 (温州's 龙湾区) inside the descriptor is no place of 宜都."""
    got = spans("当考察团乘车来到宜都天龙湾国家湿地公园时,被浓郁的绿色震撼。")
    assert got == [("宜都天龙湾国家湿地公园", "landmark", "宜昌市", "宜都市", "county")]


def test_a_national_park_is_named_after_its_place(spans):
    """武夷山国家公园 (v6 z17), 神农架国家公园: one landmark each."""
    assert _landmarks(spans("基地位于武夷山国家公园外围最前沿。")) == ["武夷山国家公园"]
    assert _landmarks(spans("神农架国家公园位于湖北省西部。")) == ["神农架国家公园"]


# ---- natural features in an article about one place ----------------------------------------------


def test_streams_and_a_reservoir_in_an_article_about_one_district(spans):
    """https://siliu.net/p/w8emv6qoxr.html (奉化区): 横山水库, 秀尖山, 董李溪 are landmarks in 奉化区 at
    county precision; 母亲河 is no name."""
    got = spans(
        "横山水库,坝址位于宁波市奉化区尚田街道许家村。县溪是奉化的母亲河,源始于大公岙村,"
        "与宁海分界处的秀尖山,海拔945米。县溪一路婉转而来,汇聚董李溪、竹林溪等支流水系,汇入横山水库。"
    )
    features = [(t, county, prec) for t, lv, _c, county, prec in got if lv == "landmark"]
    assert features == [
        ("横山水库", "奉化区", "county"),
        ("秀尖山", "奉化区", "county"),
        ("董李溪", "奉化区", "county"),
        ("竹林溪", "奉化区", "county"),
        ("横山水库", "奉化区", "county"),
    ]


def test_a_lake_after_a_dash_in_an_article_about_one_district(spans):
    """http://dzwww.com/2020/sssm/yw/202008/t20200819_6439169.htm: 岩马湖 in 山亭区."""
    got = spans("山亭区冯卯镇李庄村地处鲁南山区,坐落在枣庄市最大水库、国家水利风景区——岩马湖右岸。")
    assert ("岩马湖", "landmark", "枣庄市", "山亭区", "county") in got


def test_hills_and_streams_of_a_village(spans):
    """v6 z14 and z29: 大乘山, 真武山, 东畈溪 (龙游县); 张家垱水库 (荆州区)."""
    got = spans("泽随村位于龙游县北面。北面有大乘山和真武山,两座山分别有一支水源流向泽随村,为东畈溪。")
    assert _landmarks(got) == ["大乘山", "真武山", "东畈溪"]
    got = spans("前往荆州区马山镇裁缝村,参观了张家垱水库。")
    assert ("张家垱水库", "landmark", "荆州市", "荆州区", "county") in got


def test_a_feature_in_an_article_about_one_city_has_no_county(spans):
    """v6 z26: 九龙峪 in an article about 潍坊: the city, no county, no precision (no point)."""
    got = spans("像屯西村以及九龙峪等,探索出了很好的经验,让更多的人了解潍坊。")
    assert ("九龙峪", "landmark", "潍坊市", None, None) in got


def test_no_feature_where_the_places_are_far_apart(spans):
    """Two cities' districts: where would 大乘山 be? Nowhere: no mention."""
    assert _landmarks(spans("杭州市西湖区和温州市龙湾区:北面有大乘山。")) == []


@pytest.mark.parametrize(
    "text",
    [
        "常山县牢固树立“绿水青山就是金山银山”理念。",  # idioms (v6 z13)
        "在海宁市斜桥镇祝场村,一条曾经的“黑臭河”经过整治后重现清澈。",  # a kind of river
        "海宁市斜桥镇要实现碳达峰。",  # 达峰 is a word
        "海宁市斜桥镇记者王海峰报道。",  # a person
        "大峧山村是岱山县高亭镇的一个海岛村。",  # the village (v6 z15), not a hill 大峧山
        "泽随村第一世祖从峡口后山迁居龙游县。",  # the hill behind 峡口 (v6 z14)
        "常山县三衢石林由三衢山组成,三衢山是衢州的母亲山。",  # 由|三衢山, not 由三衢山; 母亲山 (v6 z13)
    ],
)
def test_words_that_end_like_a_feature_are_not_one(spans, text):
    got = _landmarks(spans(text))
    assert got in ([], ["三衢山", "三衢山"])


# ---- literary names of cities (gazetteer/literary_names.csv; recall8 had them as customary names) ----


def test_a_citys_customary_name_is_the_city_with_evidence(spans):
    """三衢 is 衢州市's customary name (http://www.kanshici.com/lishi/diming/e4b889e8a1a2), 嘉州 乐山市's
    (https://www.leexue.com/miaozhi/658401049144462626.html); v6 z13 and z23: read as the city in an
    article that names the city's places."""
    got = spans("徜徉三衢大地,常山县最大的优势是生态优势。")
    assert ("三衢", "city", "衢州市", None, "county") in got
    got = spans("春到嘉州,乐山市的乡村振兴。")
    assert ("嘉州", "city", "乐山市", None, "county") in got


def test_a_park_or_hill_named_after_a_customary_name_is_the_landmark(spans):
    """嘉州绿心公园 (v6 z23): a park named after 嘉州, one landmark in 乐山市; 三衢山 (v6 z13): the hill,
    not the city and a stray 山; 杭州城市公园 is the city's parks (a category), no landmark."""
    got = spans("市民在嘉州绿心公园踏青,乐山市的春天来了。")
    assert ("嘉州绿心公园", "landmark", "乐山市", None, None) in got
    got = spans("景区位于常山县,由三衢山、小古山组成。")
    assert _landmarks(got) == ["三衢山", "小古山"]
    assert not any(t == "三衢" for t, *_r in got)
    assert _landmarks(spans("杭州城市公园和萧山口袋公园越来越多。")) == []


def test_an_old_village_is_named_as_the_village(gazetteer, settings):
    """吉安市吉州区钓源古村 (v6 z18): the village 钓源村 of 吉州区 (the gold sets' convention: X古村 is the
    village X村): its canonical name is 钓源村, as the village is called, not 钓源古村."""
    from geo.pipeline import mentions_in_text

    got = mentions_in_text("吉安市吉州区钓源古村,也曾面临传统村落共同的困境。", gazetteer, settings)
    assert got[got["text"] == "钓源古村"]["name"].tolist() == ["钓源村"]


def test_a_compass_part_of_a_listed_lake_is_a_landmark_of_its_own(spans):
    """南太湖 (v6 z07: 调研南太湖, 把南太湖建设好), 东洞庭湖 (a nature reserve's name): the part, not the
    lake; it lies where the lake does, no finer (洞庭湖's province; nothing from 太湖's one point).
    江南|太湖 is the lake after a region's name."""
    got = spans("时任省委书记在当地调研南太湖开发治理工作,要把南太湖建设好。")
    assert [(t, lv, county, prec) for t, lv, _c, county, prec in got if lv == "landmark"] == [
        ("南太湖", "landmark", None, None),
        ("南太湖", "landmark", None, None),
    ]
    assert _landmarks(spans("湖南岳阳的东洞庭湖国家级自然保护区,候鸟成群。")) == ["东洞庭湖"]
    assert _landmarks(spans("江南太湖之滨,风景秀丽。")) == ["太湖"]
