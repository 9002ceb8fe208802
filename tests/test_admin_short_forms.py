"""Administrative names written short, as news writes them: a city's urban area (瑞安市区 is 瑞安 +
市区), and the other short forms of counties and cities that the articles' own places vouch for.
Each positive assertion failed before its rule and passes after."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    return fields_of("text", "level", "name")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("从瑞安市区出发，车程约半小时。", ("瑞安", "county", "瑞安市")),
        ("这个村距义乌市区不到二十公里。", ("义乌", "county", "义乌市")),
        ("不少来自宁波市区的游客周末前来。", ("宁波", "city", "宁波市")),
    ],
)
def test_a_city_urban_area_is_the_city_written_short(spans, text, expected):
    """X市区 is X's urban area: the mention is X (the city), 市区 a word of its own."""
    assert expected in spans(text)


@pytest.mark.parametrize(
    "text,full", [("温州市区划调整获批。", "温州市"), ("湖州市区域协调发展。", "湖州市")]
)
def test_division_and_region_words_keep_the_city_whole(spans, text, full):
    """区划 and 区域 are words: 温州市|区划, not 温州|市区."""
    assert spans(text)[0][0] == full


@pytest.mark.parametrize(
    "text,expected",
    [
        ("中共中央、国务院决定设立河北雄安新区。", ("河北雄安新区", "zone", "河北雄安新区")),
        ("项目落户南京江北新区。", ("南京江北新区", "zone", "南京江北新区")),
        ("青岛西海岸新区的港口", ("青岛西海岸新区", "zone", "青岛西海岸新区")),
        ("到兰州新区务工。", ("兰州新区", "zone", "兰州新区")),
        ("湘江新区发布新政", ("湘江新区", "zone", "湖南湘江新区")),
    ],
)
def test_national_new_areas_are_zones(spans, text, expected):
    """The State Council's 国家级新区 (gazetteer/zone_lists.csv) are zones, written in full or short,
    not a province plus a county's short form inside (河北|雄安新区 holds no 安新县)."""
    assert spans(text) == [expected]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("湖南省的作家们本月在怀化召开年会。", ("怀化", "city", "怀化市")),
        ("错那县的边境村这些年变化很大，山南的牧民收入逐年提高。", ("山南", "city", "山南市")),
    ],
)
def test_a_city_short_form_that_is_a_word_vouched_by_its_province_or_county(spans, text, expected):
    """怀化 and 山南 are dictionary words too: their province (湖南省) or one of their counties
    (错那县) named in full makes them the city."""
    assert expected in spans(text)


def test_a_city_name_across_two_words_stays_words(spans):
    """怀化 across 心怀|化解 is no city, though the article names 湖南省 (jieba's words)."""
    got = spans("湖南省的干部心怀化解矛盾的诚意。")
    assert [t for t, _lev, _n in got] == ["湖南省"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("上海近日发布新一轮规划，崇明将建设世界级生态岛。", ("崇明", "county", "崇明区")),
        ("汉中今年新建了一批公园，汉台的市民出门就能散步。", ("汉台", "county", "汉台区")),
    ],
)
def test_a_county_short_form_after_its_city(spans, text, expected):
    """A county's short form (崇明, 汉台) read as the county where the article has named its city
    before (汉中; 上海: a municipality is its districts' city), also in short."""
    assert expected in spans(text)


@pytest.mark.parametrize(
    "text,word",
    [
        ("绿水青山就是金山银山，这句话在上海也家喻户晓。", "金山"),  # the city named only after it
        ("郑州是一座古城，跃动中原的脉搏在这里最清晰。", "中原"),  # a common word (the Central Plains)
    ],
)
def test_a_county_short_form_that_is_a_common_word_or_before_its_city_stays_a_word(spans, text, word):
    assert word not in [t for t, _lev, _n in spans(text)]
