"""Scenic sights by the kind of scenery that ends their names (branch sights12): terraced fields
(X梯田), stone forests (X石林), old walled towns (X古城), scenic areas (X景区, X风景区, X旅游区)
and a hill written before its foot (X山麓, X山脚); read as natural.py reads hills and lakes, in
the one county the article's places lie in. Each case is short text from a public page (its
address in the docstring); each positive assertion failed before the rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, level, county, city, precision) per mention."""
    return fields_of("text", "level", "county", "city", "precision")


def _landmarks(got: list[tuple]) -> list[tuple]:
    return [(t, county, prec) for t, level, county, _city, prec in got if level == "landmark"]


def test_terraced_fields_of_a_county(spans):
    """http://www.ifuun.com/a201801209202349 (永嘉): 郑山梯田 and 茗岙梯田 are 永嘉县's terraces, at
    its point with county precision (the page's first and last sentences)."""
    got = spans("茗岙梯田位于浙南永嘉山区。由郑山梯田和茗岙梯田两部分组成,是中国摄影家协会梯田摄影创作基地。")
    found = _landmarks(got)
    assert ("郑山梯田", "永嘉县", "county") in found
    assert ("茗岙梯田", "永嘉县", "county") in found


def test_an_old_walled_town_before_its_county_and_township(spans):
    """https://3dmxku.com/daquan/zonghe/2308218.html: 闾井古城 in 岷县 (闾井镇哈古村): the county's
    point, no finer (the wall's own place is not known)."""
    got = spans("闾井古城位于岷县闾井镇哈古村。古城始筑于同治初年,即1863年前后的数年间。")
    assert ("闾井古城", "岷县", "county") in _landmarks(got)


def test_a_hill_before_its_foot(spans):
    """https://paodo.com/sanwen/duanpian/2020021919773.html (兰溪): 兰荫山 written before 山麓 (jieba's
    word runs on into it) is the hill, in 兰溪市."""
    got = spans(
        "兰江位于浙江省兰溪市境内。风流皇帝明正德皇帝更于正德十四年桂月十五御题“兰荫深处”四字在兰荫山麓,"
        "又平添了兰江水绕山山望水的妩媚和幽静。"
    )
    assert ("兰荫山", "兰溪市", "county") in _landmarks(got)


def test_a_sight_alone_gives_no_county(spans):
    """http://leniwan.com/shilin/267292085598552064 (路南石林): 长湖 and 月湖 are 石林's lakes, but
    月湖 is also the listed lake of 宁波's 海曙区; a sight's name alone is no evidence of the
    article's county, so 乃古石林 is not put in 海曙区."""
    got = spans("在昆明以东的石林,主要包括李子箐石林、乃古石林、大叠水瀑布、奇风洞、长湖、月湖等七个景区。")
    found = _landmarks(got)
    assert ("乃古石林", "海曙区", "county") not in found
    assert ("乃古石林", None, None) in found


SCENIC_FALSE_FRIENDS = (
    "全县各大景区、热门景区、周边景区、红色景区、山岳景区、主要景区、知名景区、收费景区、免费景区",
    "大型景区、新景区、千年古城、历史古城、明清古城、大片梯田、层层梯田、千亩梯田",
    "喀斯特石林、海上石林,还有火山石林和森林景区、湖泊景区、海岛景区、城市景区、高山梯田",
    "乡村旅游区、全域旅游区、海滨风景区、城郊风景区、城区古城、4A级景区、国家级景区、该景区",
)


@pytest.mark.parametrize("phrase", SCENIC_FALSE_FRIENDS)
def test_kinds_of_scenery_are_no_names(spans, phrase):
    """A kind of scenic area (热门景区, 千年古城, 层层梯田) in an article about one county is none."""
    got = spans("安吉县天荒坪镇," + phrase + "。")
    assert _landmarks(got) == []
