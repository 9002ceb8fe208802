"""Zones named after a former district (branch zones10): 江干区 was abolished in 2021, but the zones
of its time keep its name (江干丁兰智慧小镇). The old district's short form is part of the zone's name,
not a word left out; the zone lies in the district's successor where the rest of its name agrees
(丁兰街道 is in 上城区, 江干区's successor). Each case is short text from a public page (its address
in the docstring); each assertion failed before the rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, name, level, city, county, historical) per mention."""
    return fields_of("text", "name", "level", "city", "county", "historical")


def test_a_town_named_after_a_former_district_and_its_street(spans):
    """http://town.zjol.com.cn/system/2015/12/21/020960762.shtml: the plan of 江干丁兰智慧小镇 (江干区's
    丁兰街道, now in 上城区): one zone, the whole name, in 上城区."""
    got = spans(
        "编制《智慧小镇顶层规划》、《智慧小镇整体规划纲要》、《江干丁兰智慧小镇三年创建计划》,规划100万平方米产业空间。"
    )
    zones = [(t, n, city, county) for t, n, lev, city, county, _h in got if lev == "zone"]
    assert zones == [("江干丁兰智慧小镇", "江干丁兰智慧小镇", "杭州市", "上城区")]
