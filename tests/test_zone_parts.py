"""A zone's part named after the zone (branch zones10): 杭州高新区(滨江) + 萧山 + 特别合作园 is one zone,
the part, at the part's place (萧山区), not the zone and a county beside it; named again by its
place alone (萧山特别合作园) it is the same part. Each case is short text from a public page (its
address in the docstring); each assertion failed before the rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, name, level, county) per mention."""
    return fields_of("text", "name", "level", "county")


def test_a_zones_part_in_another_district_is_one_zone_there(spans):
    """https://hzxcw.hangzhou.com.cn/dtxx/content/2022-03/04/content_9348166.htm: the park of
    杭州高新区(滨江) in 萧山 is one zone in 萧山区; 萧山 is not a county mention of its own."""
    got = spans("杭州高新区(滨江)萧山特别合作园昨日上午揭牌。")
    assert got == [("杭州高新区(滨江)萧山特别合作园", "杭州高新区(滨江)萧山特别合作园", "zone", "萧山区")]


def test_the_part_named_again_by_its_place_is_the_part(spans):
    """Same page: 杭州高新区(滨江)萧山特别合作园将围绕… — and the signing of its agreement by both
    districts, where the full name is written a second time."""
    got = spans(
        "揭牌仪式上,滨江、萧山两区签订杭州高新区(滨江)萧山特别合作园合作协议。"
        "萧山特别合作园将围绕打造世界一流高科技园区目标,聚焦两区的优化配置。"
    )
    zones = [(t, n, c) for t, n, lev, c in got if lev == "zone"]
    assert zones == [
        ("杭州高新区(滨江)萧山特别合作园", "杭州高新区(滨江)萧山特别合作园", "萧山区"),
        ("萧山特别合作园", "杭州高新区(滨江)萧山特别合作园", "萧山区"),
    ]
    # the two districts of the list are still mentions of their own
    assert [t for t, _n, lev, _c in got if lev == "county"] == ["滨江", "萧山"]
