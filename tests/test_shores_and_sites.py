"""Waters named by their shore (X河畔, X溪畔), streams of three characters in a list, digs, gorges,
piers and protected areas (X遗址, X峡谷, X码头, X国家森林公园) and regions named after a province
or city (山东半岛, 成都平原). Each case is short text from a public page (its address in the
docstring); each positive assertion failed before the rule and passes after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    """Geoparse one text: (text, level, province, county, precision) per mention."""
    return fields_of("text", "level", "province", "county", "precision")


def _landmarks(got: list[tuple]) -> list[tuple]:
    return [(t, county, prec) for t, level, _prov, county, prec in got if level == "landmark"]


def test_a_stream_by_its_shore_in_a_township_report(spans):
    """https://scholarmate.com/S/VSrYWU (寿宁县斜滩镇): 龙江溪, named after 是 and then by its
    shore (the second sentence is this test's, in the page's words)."""
    got = spans("已经可以看到寿宁县斜滩镇了。桥下,就是龙江溪,水波细碎晃动。龙江溪畔的古镇人来人往。")
    assert ("龙江溪", "寿宁县", "county") in _landmarks(got)
    assert [t for t, *_ in got].count("龙江溪") == 2


def test_streams_of_three_characters_in_a_list(spans):
    """http://hunan.sina.com.cn/travel/destination/2012-06-08/10312153_4.html (仙居 皤滩): 朱姆溪,
    万竹溪, 黄榆坑溪 flow into 永安溪; a stream's name of three characters is read in a list."""
    got = spans("浙江仙居。朱姆溪、万竹溪、九都坑溪、黄榆坑溪,汇入永安溪。五溪交汇之处,便是皤滩。")
    found = _landmarks(got)
    assert ("朱姆溪", "仙居县", "county") in found
    assert ("黄榆坑溪", "仙居县", "county") in found


def test_digs_of_a_county_and_after_their_township(spans):
    """https://www.bkwk.cn/article/fkxzqxfxjmzpsmtddgmyml.html (封开县): 垌中岩遗址, 簕竹口遗址 are
    digs in 封开县 (the page's list, one line each)."""
    got = spans(
        "垌中岩遗址:位于封开县河儿口镇,是一处距今约14万年的古人类活动遗址。"
        "簕竹口遗址:位于封开县南丰镇,是一处新石器时代中期的遗址。"
    )
    assert _landmarks(got) == [("垌中岩遗址", "封开县", "county"), ("簕竹口遗址", "封开县", "county")]


def test_a_dig_named_after_its_village_replaces_the_village(spans):
    """https://www.163.com/dy/article/IVLBT7FU0514BUAD.html and the Wikipedia page 下汤遗址
    (仙居县横溪镇下汤村): the dig is named by its county's article (下汤遗址) and, written right after
    its village (下汤村|遗址, the second sentence is this test's, in the page's words), is the dig at
    the village, one mention, not the village and a word after it."""
    got = spans("下汤遗址是中国浙江省仙居县的一处新石器时代遗址,位于横溪镇下汤村,发现于1983年。")
    assert ("下汤遗址", "仙居县", "county") in _landmarks(got)
    got = spans(
        "二十世纪七八十年代,浙江省仙居县横溪镇下汤村的村民,在村东北的“汤墩”上取土发现了大量古老的陶片和石器。"
        "下汤村遗址后来被确认为新石器时代遗址。"
    )
    assert ("下汤村遗址", "仙居县", "township") in _landmarks(got)
    assert [t for t, *_ in got].count("下汤村") == 1


@pytest.mark.parametrize(
    "text",
    [
        "近年来,考古遗址公园建设加快,集装箱码头吞吐量增长,大峡谷景区游客增多,文化遗址得到保护。",
        "遗址内发现了世界最早的水稻田遗址和祭坛。",
    ],
)
def test_kinds_of_site_are_no_names(spans, text):
    """考古遗址, 集装箱码头, 大峡谷, 文化遗址, 水稻田遗址: kinds of site, not one."""
    assert _landmarks(spans(text)) == []


def test_a_peninsula_named_after_its_province(spans):
    """http://dzrb.dzng.com/articleContent/2131_792435.html is about 山东; 山东半岛 and 成都平原 as
    regional papers write them: the region, in its province, with no point — not the province."""
    got = spans("青岛、烟台、威海位于山东半岛东部,成都平原经济区加快发展。")
    regions = [(t, level, prov, prec) for t, level, prov, _c, prec in got if t in ("山东半岛", "成都平原")]
    assert regions == [("山东半岛", "landmark", "山东省", None), ("成都平原", "landmark", "四川省", None)]
    assert "山东" not in [t for t, *_ in got]


def test_a_river_named_by_its_shore_and_the_function_word_before_a_list(spans):
    """http://ecxiaoshu.com/2024/1013/487686.html (旬阳市双河镇): 潘家河, 西岔河 meet at the town;
    the reporter walks by 潘家河 (the second sentence is this test's, in the page's words). 因 is no
    part of a name: 因潘家河 is not read."""
    got = spans(
        "双河镇位于旬阳市东部,因潘家河、西岔河在集镇交汇而得名。当走到柳树成荫的潘家河畔,有一座白色的景观桥。"
    )
    found = _landmarks(got)
    assert ("西岔河", "旬阳市", "county") in found
    assert ("潘家河", "旬阳市", "county") in found
    assert "因潘家河" not in [t for t, *_ in got]


def test_water_passing_a_town_is_no_zone(spans, fields_of):
    """https://scholarmate.com/S/VSrYWU (寿宁县斜滩镇): 龙江溪水流过古镇 is the stream passing the old
    town, not an old town named 龙江|溪水流过|古镇 in 黑龙江's 龙江县; 东江纵队 (an army's unit, written
    for this test) names the unit, the river only inside its name."""
    got = spans(
        "已经可以看到寿宁县斜滩镇了。桥下,就是龙江溪,水波细碎晃动,金光粼粼。"
        "龙江溪水流过古镇的经年岁月,在日月更替中,默默诉说着这里的故事。"
    )
    assert all(prov != "黑龙江省" for _t, _l, prov, _c, _p in got)
    assert [t for t, *_ in got].count("龙江溪") == 1
    assert fields_of("text", "in_org")("东江纵队在这里战斗过。") in ([], [("东江", True)])
