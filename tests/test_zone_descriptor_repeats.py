"""A city + descriptor + 经济开发区 is one zone (branch zones10): 临沂|临港|经济开发区 was read as the zone
临沂临港 (临 + 港, a port's suffix) with the rest of the name left over. A zone's suffix right after a
zone's suffix belongs to the name (临港经济开发区, 临港新区); and the zone's descriptor alone, later in
its article (临港), is the zone again where it is a word of its own and no name. Each case is
short text from a public page (its address in the docstring); each assertion failed before the
rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, name, level, city, county) per mention."""
    return fields_of("text", "name", "level", "city", "county")


def _zones(got: list[tuple]) -> list[tuple]:
    return [(t, n, city, county) for t, n, lev, city, county in got if lev == "zone"]


def test_a_port_side_development_zone_is_one_zone_at_its_city(spans):
    """http://diqu73554.cn.zhsho.com/introduce: 威海临港经济技术开发区, at 威海市 (no county: the name
    says the city only)."""
    got = spans("威海临港经济技术开发区是经济技术开发区,位于威海市区中部,总面积297平方千米。")
    assert _zones(got) == [("威海临港经济技术开发区", "威海临港经济技术开发区", "威海市", None)]


def test_a_provincial_development_zone_named_after_a_bay(spans):
    """http://m.xunjk.com/wap/chuangye/gd/2022/1012/272752.html: 浙江乐清湾临港经济开发区 in a list of
    the province's new zones."""
    got = spans(
        "近日,省政府办公厅复函,同意整合设立浙江鹿城经济开发区、浙江乐清湾临港经济开发区、浙江磐安经济开发区。"
    )
    assert [t for t, *_ in _zones(got)] == [
        "浙江鹿城经济开发区",
        "浙江乐清湾临港经济开发区",
        "浙江磐安经济开发区",
    ]


def test_the_zone_its_other_name_and_its_descriptor_again(spans):
    """http://tcmap.com.cn/shandong/linyi_lingangjingjikaifaqu_info.html: 临沂临港经济开发区, 即临沂临港新区
    (two names of one zone), and 将临港确定为… later: the zone by its descriptor alone."""
    got = spans(
        "临沂临港经济开发区,即临沂临港新区,行政辖区总面积为365平方公里,地处山东省东南部,位于莒南县东部。"
        "临沂市十四次党代会将临港确定为“以产出支撑全市进位”的强劲增长极。"
    )
    assert _zones(got) == [
        ("临沂临港经济开发区", "临沂临港经济开发区", "临沂市", None),
        ("临沂临港新区", "临沂临港新区", "临沂市", None),
        ("临港", "临沂临港经济开发区", "临沂市", None),
    ]
