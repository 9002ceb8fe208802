"""Landmarks (branch recall7): the curated list gazetteer/landmarks.csv (rivers, lakes, mountains,
5A scenic areas) and landmark names by pattern (龙虎山景区, 前童古镇). Sentences written for these
tests (no gold set's passage); each assertion failed before its rule and passes after it."""

from __future__ import annotations

import pytest

from geo.errors import CuratedRowError


@pytest.fixture(scope="module")
def spans(gazetteer, settings):
    """Geoparse one text: (text, name, level, province, county, precision, has a point) per mention."""
    from geo.pipeline import mentions_in_text

    def run(text: str) -> list[tuple]:
        got = mentions_in_text(text, gazetteer, settings)
        if got.empty:
            return []
        rows = got.astype(object).where(got.notna(), None)
        return [
            (
                r["text"],
                r["name"],
                r["level"],
                r["province"],
                r["county"],
                r["precision"],
                r["lon"] is not None,
            )
            for r in rows.to_dict("records")
        ]

    return run


# ---- the curated list ---------------------------------------------------------------------------


def test_a_river_across_provinces_is_a_landmark_with_no_point(spans):
    """浩荡黄河流过中原: 黄河 is the river, in no one province, county or point (never drawn)."""
    assert spans("浩荡黄河流过中原,孕育了一片黄土地。") == [
        ("黄河", "黄河", "landmark", None, None, None, False)
    ]


def test_a_lake_in_one_province_keeps_the_province_only(spans):
    """游览洞庭湖: the lake lies in 湖南省 (several cities): province, no county, no point."""
    assert spans("周末我们游览洞庭湖。") == [("洞庭湖", "洞庭湖", "landmark", "湖南省", None, None, False)]


def test_a_mountain_in_one_county_is_at_that_county_with_county_precision(spans):
    """登九华山: the mountain is in 青阳县; its point is the county's, and precision says so."""
    assert spans("他们去登九华山。") == [("九华山", "九华山", "landmark", "安徽省", "青阳县", "county", True)]


def test_a_range_written_with_its_suffix_is_the_range(spans):
    """太行山脉 (alias) is 太行山."""
    got = spans("沿着太行山脉一路向南。")
    assert [(t, n, lev) for t, n, lev, *_ in got] == [("太行山脉", "太行山", "landmark")]


def test_a_landmark_name_that_begins_a_street_or_division_is_not_the_landmark(spans):
    """长江路 is a street, 长江新城街道 a division: no mention of the river 长江 in either."""
    got = spans("他住在长江路,后来搬到长江新城街道。")
    assert "长江" not in [t for t, *_ in got]
    assert spans("长江沿岸风光好。")[0][:3] == ("长江", "长江", "landmark")


def test_a_landmark_across_provinces_does_not_anchor_a_zone(spans):
    """老长城工业产业园区 is a park (in 永康), not the Great Wall: no 长城 mention."""
    got = spans("永康经济开发区老长城工业产业园区开工。")
    assert "长城" not in [t for t, *_ in got]
    assert ("老长城工业产业园区", "zone") in [(t, lev) for t, _n, lev, *_ in got]


# ---- landmark names by pattern ------------------------------------------------------------------


def test_scenic_area_after_a_landmark_is_one_landmark(spans):
    """龙虎山景区 is one landmark mention (not the mountain and a common noun), in 江西省."""
    got = spans("游客参观了龙虎山景区等景点。")
    assert [(t, lev, p) for t, _n, lev, p, *_ in got] == [("龙虎山景区", "landmark", "江西省")]


def test_wetland_park_named_after_a_river_is_one_landmark(spans):
    """闽江河口国家湿地公园: river + descriptor + 国家湿地公园 is one landmark of 福建省."""
    got = spans("闽江河口国家湿地公园迎来候鸟。")
    assert [(t, lev, p) for t, _n, lev, p, *_ in got] == [("闽江河口国家湿地公园", "landmark", "福建省")]


def test_old_town_after_a_county_and_descriptor_is_a_landmark_of_the_county(spans):
    """新化大紫鹊界景区: 新化 + 大紫鹊界 + 景区 is a landmark in 新化县 (county precision), not 新化县."""
    got = spans("这里是新化大紫鹊界景区的重要组成部分。")
    assert got == [("新化大紫鹊界景区", "新化大紫鹊界景区", "landmark", "湖南省", "新化县", "county", True)]


def test_old_town_after_a_township_is_a_landmark(spans):
    """前童古镇: a township + 古镇 is the old-town landmark (placed at its township), not 前童镇."""
    got = spans("宁海县前童古镇游人如织。")
    assert ("前童古镇", "landmark", "宁海县") in [(t, lev, c) for t, _n, lev, _p, c, *_ in got]
    assert "前童" not in [t for t, *_ in got]


def test_scenic_area_after_a_city_alone_is_a_category(spans):
    """杭州景区 are the city's scenic areas, not a place called so: 杭州 stays the city."""
    got = spans("国庆期间杭州景区游客多。")
    assert [(t, lev) for t, _n, lev, *_ in got] == [("杭州", "city")]


# ---- the list file --------------------------------------------------------------------------------


def test_a_listed_landmark_with_an_unknown_county_fails_the_build(gazetteer, tmp_path):
    """A row whose county is not a county of its city is an error to fix, never placed wrong."""
    from geo.gazetteer.landmarks import listed_landmarks

    path = tmp_path / "landmarks.csv"
    path.write_text(
        "name,aliases,kind,province,city,county,source,note\n九华山,,山,安徽省,池州市,萧山区,test,\n",
        encoding="utf-8",
    )
    with pytest.raises(CuratedRowError, match="萧山区"):
        listed_landmarks(gazetteer.places, gazetteer.counties, path, set())


def test_park_after_a_township_short_form_is_no_landmark(spans):
    """沿江湿地公园: 沿江 ("along the river") is no old town's name; only 古镇 follows a township's
    short form as a landmark's name (前童古镇)."""
    got = spans("钱塘区的沿江湿地公园对市民开放。")
    assert "landmark" not in [lev for _t, _n, lev, *_ in got]


# ---- one-place counties and townships read again with the article's places ------------------------


def test_county_short_form_repeated_after_it_was_read_with_its_city(spans):
    """九江修水 … 放眼修水 … 修水带来: the county read once after its city; its later bare short
    forms are the same county (they were dropped for want of evidence)."""
    got = spans("她便是九江修水。远离大城市的喧嚣,放眼修水,满是青山绿水。享受修水带来的宁静。")
    assert [(t, n) for t, n, *_ in got] == [
        ("九江", "九江市"),
        ("修水", "修水县"),
        ("修水", "修水县"),
        ("修水", "修水县"),
    ]


def test_township_outside_home_read_with_its_county_named_later(spans):
    """走进闫庄镇 … 嵩县 … 陆浑镇: towns of 河南's 嵩县, accepted because the article names 嵩县
    (after 闫庄镇, before 陆浑镇); without 嵩县 neither is read."""
    got = spans("采访团走进闫庄镇交易市场,嵩县就业培训基地,陆浑镇牛寨村等地。")
    assert [(t, c) for t, _n, lev, _p, c, *_ in got if lev == "township"] == [
        ("闫庄镇", "嵩县"),
        ("陆浑镇", "嵩县"),
    ]
    assert spans("采访团走进闫庄镇交易市场。") == []


def test_short_form_in_an_organisation_is_not_read_again(spans):
    """桐城委(桐城集团): 桐城 inside a company's name is not re-read as the county read before it."""
    got = spans("领导分赴桐城委(桐城集团)出席开工仪式。")
    assert ("桐城", "桐城市") not in [(t, n) for t, n, *_ in got[1:]]


# ---- lists of places ------------------------------------------------------------------------------


def test_list_ending_in_a_city_named_like_a_town_is_no_list_of_towns(spans):
    """乐安、龙虎山、三清山、婺源、景德镇: 景德镇 is a city, so the items are not 龙虎山镇, 三清山镇 …
    (the towns the shared suffix 镇 would make of them): 龙虎山 and 三清山 stay the mountains."""
    got = spans("记者前往乐安、龙虎山、三清山、婺源、景德镇五个采风地点。")
    assert [(t, lev) for t, _n, lev, *_ in got if lev == "landmark"] == [
        ("龙虎山", "landmark"),
        ("三清山", "landmark"),
    ]


def test_county_short_form_in_a_list_beside_a_place_of_its_province(spans):
    """三清山、婺源、景德镇: 婺源 between a mountain and a city of 江西 is 婺源县 (a weak reading);
    alone in a list of unknown places it is not read (after a journey's verb, 前往乐安, the first
    is the place: tests/test_travel_cues.py)."""
    got = spans("记者前往乐安、龙虎山、三清山、婺源、景德镇五个采风地点。")
    assert ("婺源", "婺源县", "county") in [(t, n, lev) for t, n, lev, *_ in got]
    assert spans("说起乐安、婺源。") == []


# ---- villages of other provinces that share a home village's name ---------------------------------


def test_village_of_a_named_county_sharing_a_home_villages_name(spans):
    """在潮州市潮安区,狮峰村村民说: 狮峰村 is also a village of 江山 (the home province), which the
    resolver leaves unread here; it is read from the book as 潮安区's village. 石大桥村 holds no
    大桥村 (a home village's name inside a longer name is not read, though 潮安区 has one)."""
    got = spans("在潮州市潮安区,狮峰村村民说。")
    assert ("狮峰村", "village", "潮安区") in [(t, lev, c) for t, _n, lev, _p, c, *_ in got]
    got = spans("潮州市潮安区,石大桥村的村民")
    assert "大桥村" not in [t for t, *_ in got]
