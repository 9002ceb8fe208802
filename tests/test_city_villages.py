"""A village written right after its city, with no county or township between (苏州市蒋巷村), is
read from the village book where one township of the city lists it; a county's short form that
is the start of such a village's name (眉山市天台村) is no county. Sentences written for these
tests in the words of regional news (no page quoted)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    return fields_of("text", "level", "name", "county", "precision")


def test_a_village_right_after_its_city_is_read_at_its_township(spans):
    got = spans("记者日前来到江苏省苏州市蒋巷村,村里的稻田已经开镰。")
    assert ("蒋巷村", "village", "蒋巷村", "常熟市", "township") in got


def test_a_village_after_its_city_and_county_keeps_the_county(spans):
    got = spans("记者日前来到苏州市常熟市蒋巷村。")
    assert [t for t, *_ in got] == ["苏州市", "常熟市", "蒋巷村"]
    assert got[2][3] == "常熟市"


def test_a_county_short_form_starting_a_village_name_is_no_county(spans):
    """天台 is 天台县's short form (浙江); 天台村 in a 四川 city is a village, not the county."""
    got = spans("四川省眉山市天台村的茶园迎来采摘季。")
    assert all(name != "天台县" for _t, _l, name, *_ in got), got


@pytest.mark.parametrize(
    ("text", "county"),
    [
        ("天台村民在家门口就业,人均收入逐年增长。", "天台县"),  # the county's villagers
        ("萧山村社组织换届工作顺利完成。", "萧山区"),  # its villages and communities
        ("淳安村晚今年办到了千岛湖畔。", "淳安县"),  # its village gala
        ("临安村村通公交实现全覆盖。", "临安区"),
    ],
)
def test_a_county_before_a_village_word_is_still_the_county(spans, text, county):
    assert spans(text)[0][2] == county
