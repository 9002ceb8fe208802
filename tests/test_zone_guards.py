"""Phrases that only end like a zone, landmark or village (branch zones10): a grade of scenic area
after the province (浙江省|3A级景区村庄: the grade the villages were given) is no landmark; a kind of
village after a measure word (这个|小山村) is no village, though a village of the city bears the
name. Each case is short text from a public page (its address in the docstring); each assertion
failed before the guard and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, level) per mention."""
    return fields_of("text", "level")


def test_a_grade_of_scenic_village_is_no_landmark(spans):
    """http://www1.xuanchengshizx.com/gjyyf/7453.html (文成县): 被评为“浙江省3A级景区村庄”."""
    got = spans("至今为止,文成县共有17个村被评为“浙江省3A级景区村庄”。")
    assert got == [("文成县", "county"), ("浙江省", "province")]


def test_the_grade_given_twice_in_a_report_of_villages(spans):
    """http://www.tsxw66.com/system/2021/12/20/014276736.shtml (泰顺县): the villages reached the
    grade of 浙江省3A级景区村庄 and were given it; the villages and townships stay mentions."""
    got = spans(
        "近日,经综合验收评定,我县泗溪镇池源村、罗阳镇大溪源村、凤垟乡三门垟村达到浙江省3A级景区村庄服务质量"
        "等级标准要求,正式获评浙江省3A级景区村庄。"
    )
    assert not [t for t, lev in got if "3A" in t]
    assert [t for t, lev in got if lev == "village"] == ["池源村", "大溪源村", "三门垟村"]


def test_a_small_hill_village_is_the_kind_not_the_village_of_that_name(spans):
    """http://www.zzzcj.com/zx/2942.html (宁波's 20 cleanest villages; the list's lines joined with
    、 and 。): 这个小山村 is 南联村, described; 北仑区's 小山村 (新碶街道) is not named."""
    got = spans(
        "20强名单:海曙区龙观乡李岙村、江北区慈城镇南联村、北仑区春晓街道三山村、鄞州区姜山镇走马塘村。"
        "江北·南联:南联村四面青山环绕,南靠英雄水库,自然风光旖旎,环境清幽,村里的原住民保留着传统的生活方式,"
        "使这个小山村别具风情。北仑·三山:三山村田园风光旖旎,村庄玲珑整洁,溪流清澈见底。"
    )
    villages = [t for t, lev in got if lev == "village"]
    assert "小山村" not in villages
    assert villages.count("三山村") == 2
