"""Landmarks beyond the curated list (branch recall8): a place + a landmark suffix (漳州古城, 武夷山国家公园,
宜都天龙湾国家湿地公园), and hills, streams, lakes and reservoirs named in an article about one place
(大乘山, 张家垱水库). Each case is short text from a public page (its address in the docstring) or a
passage of frozen v6 (a development set since recall8 read its errors; its id in the docstring); each
assertion failed before its rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(gazetteer, settings):
    """Geoparse one text: (text, level, city, county, precision) per mention."""
    from geo.pipeline import mentions_in_text

    def run(text: str) -> list[tuple]:
        got = mentions_in_text(text, gazetteer, settings)
        rows = got.astype(object).where(got.notna(), None)
        return [
            (r["text"], r["level"], r["city"], r["county"], r["precision"]) for r in rows.to_dict("records")
        ]

    return run


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
