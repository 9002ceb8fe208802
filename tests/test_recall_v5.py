"""Recall rules of branch recall-v5, each pinned by sentences written for these tests (no gold
set's passage): each assertion failed before its rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(gazetteer, settings):
    """Geoparse one text: (text, name, level, county) of each mention, in text order."""
    from geo.pipeline import mentions_in_text

    def run(text: str) -> list[tuple]:
        got = mentions_in_text(text, gazetteer, settings)
        return [] if got.empty else list(zip(got["text"], got["name"], got["level"], got["county"]))

    return run


# ---- a zone's name with the places written in front of it ------------------------------------------


def test_short_forms_in_front_of_a_zone_are_its_name(spans):
    """宿迁沭阳高新区 is one zone in 沭阳县, not the city 宿迁 beside a zone; the whole chain of
    short forms counts (山东济南章丘经济开发区)."""
    got = spans("近日,宿迁沭阳高新区举行重点项目集中签约仪式。")
    assert got == [("宿迁沭阳高新区", "宿迁沭阳高新区", "zone", "沭阳县")]
    got = spans("山东济南章丘经济开发区今年新落户企业12家。")
    assert got == [("山东济南章丘经济开发区", "山东济南章丘经济开发区", "zone", "章丘区")]


def test_divisions_written_in_full_stay_mentions_before_a_zone(spans):
    """绍兴市柯桥区蓝印时尚小镇: the text names the city and the district, then the zone in it."""
    got = spans("绍兴市柯桥区蓝印时尚小镇位于印染产业集聚区。")
    assert [(t, lev) for t, _n, lev, _c in got] == [
        ("绍兴市", "city"),
        ("柯桥区", "county"),
        ("蓝印时尚小镇", "zone"),
    ]


def test_free_trade_zone_official_name_is_one_zone(spans):
    """中国(广东)自由贸易试验区南沙片区: one zone at its area's district, not the country 中国 and
    the province 广东; without an area it is a zone of the province (no county claimed)."""
    got = spans("中国(广东)自由贸易试验区南沙片区挂牌以来,")
    assert got == [("中国(广东)自由贸易试验区南沙片区", "中国(广东)自由贸易试验区南沙片区", "zone", "南沙区")]
    got = spans("中国（四川）自由贸易试验区总体方案")
    assert [(t, lev) for t, _n, lev, _c in got] == [("中国（四川）自由贸易试验区", "zone")]
    assert got[0][3] is None


# ---- a list of villages, each after its township, is no list of townships ----------------------------


def test_village_before_a_listed_township_is_not_cut_into_a_township(spans):
    """屠甸镇红星村、漓渚镇棠棣村: 红星村 stays the village (its tail 星村 + the 镇 of the next item is
    not a list 'A、B镇' naming 星村镇, a town in 福建)."""
    got = spans("入选名单的有屠甸镇红星村、漓渚镇棠棣村。")
    assert ("红星村", "红星村", "village", "桐乡市") in got
    assert [t for t, *_ in got] == ["屠甸镇", "红星村", "漓渚镇", "棠棣村"]


# ---- villages listed with their number after their township -------------------------------------------


def test_counted_list_of_villages_after_its_township(spans):
    """唐庄镇的东庄、西庄、南关和北关4个行政村: four villages of 唐庄镇 (the number is the evidence)."""
    got = spans("同意将卫辉市唐庄镇的东庄、西庄、南关和北关4个行政村划归城郊乡管辖。")
    villages = [(t, n) for t, n, lev, _c in got if lev == "village"]
    assert villages == [("东庄", "东庄村"), ("西庄", "西庄村"), ("南关", "南关村"), ("北关", "北关村")]
    assert all(c == "卫辉市" for t, _n, _l, c in got if t in ("东庄", "北关"))


@pytest.mark.parametrize(
    "text",
    [
        "同意将卫辉市唐庄镇的东庄、西庄3个行政村划归城郊乡管辖。",  # two names, three villages: no list
        "他去过东庄、西庄2个村。",  # no township in front
    ],
)
def test_counted_list_needs_its_number_and_township(spans, text):
    assert [lev for _t, _n, lev, _c in spans(text) if lev == "village"] == []


# ---- counties of one character and 县 --------------------------------------------------------------


def test_one_character_county_written_as_a_word_is_read(spans):
    """来到涉县 / 走进沛县、萧县: counties, with no province or city in front."""
    assert spans("今天,采访组来到涉县。") == [("涉县", "涉县", "county", "涉县")]
    got = spans("调研组先后走进沛县、萧县两地。")
    assert [(t, c) for t, _n, _l, c in got] == [("沛县", "沛县"), ("萧县", "萧县")]


@pytest.mark.parametrize(
    "text", ["全国示范县名单公布", "担任县委书记", "坚持旅游兴县、工业强县", "建立省、市和县三级联动机制"]
)
def test_one_character_county_inside_a_word_is_not_read(spans, text):
    assert [lev for _t, _n, lev, _c in spans(text) if lev == "county"] == []


# ---- a place named in full once, then by its bare name ---------------------------------------------------


def test_bare_name_after_the_full_name_in_the_article(spans):
    """支塘镇蒋巷村 … 在蒋巷: the village again; 江北区慈城镇 … 在慈城: the town again."""
    got = spans("常熟市支塘镇蒋巷村是江南农村的样板。在蒋巷,稻田连片。")
    assert ("蒋巷", "蒋巷村", "village", "常熟市") in got
    got = spans("宁波市江北区慈城镇召开大会。在慈城,人们保护古县城。")
    assert ("慈城", "慈城镇", "township", "江北区") in got


@pytest.mark.parametrize(
    "text, bare",
    [
        ("桐乡市屠甸镇红星村的村民说,红星闪闪。", "红星"),  # a word before a village (jieba: nz)
        ("常熟市支塘镇蒋巷村是样板,蒋巷路两旁种满了树。", "蒋巷"),  # 蒋巷路: a road
    ],
)
def test_bare_name_guards(spans, text, bare):
    assert [t for t, *_ in spans(text) if t == bare] == []


# ---- zone names holding an ordinary word, 产业集聚区 ---------------------------------------------------


def test_zone_name_holding_a_word_that_is_a_county_elsewhere(spans):
    """郑州会展新城 (新城 is a county's short form and a word) and 许昌新兴产业集聚区 (新兴县 is in
    广东): zones of their city, which claims no county; 长葛产业集聚区 one of its county."""
    assert spans("加快推进郑州会展新城规划建设。") == [("郑州会展新城", "郑州会展新城", "zone", None)]
    got = spans("近年来,许昌新兴产业集聚区引进企业30家。")
    assert got == [("许昌新兴产业集聚区", "许昌新兴产业集聚区", "zone", None)]
    assert spans("长葛产业集聚区今年产值增长12%。") == [
        ("长葛产业集聚区", "长葛产业集聚区", "zone", "长葛市")
    ]
