"""Former townships from gazetteer/historical.csv rows with a published source per row (撤乡并镇 /
撤乡设镇 announcements: 花垣县 2015, 松桃苗族自治县 2015, 嵊州市 2019; Zhejiang's 诸暨市 1992/2001/2019,
长兴县 2015, 南湖区 2015, 瓯海区 2011, 萧山区 2013): read as historical names of today's township.
The sentences are made up around the names; each test failed on 5db614b (the 诸暨/长兴/萧山 ones on
877ee39), except the namesake test, which holds before and after."""

from __future__ import annotations

import pytest


def test_a_merged_township_outside_the_home_province(mentions_by_text):
    """排碧乡 (花垣县) was merged into the new 双龙镇 in 2015: historical, today's 双龙镇."""
    got = mentions_by_text("2013年11月,采访团来到湖南省花垣县排碧乡十八洞村。")
    m = got["排碧乡"]
    assert (m["name"], m["level"], m["county"], m["historical"]) == ("双龙镇", "township", "花垣县", True)


def test_a_township_made_a_town(mentions_by_text):
    """松桃县正大乡 became 正大镇 (撤乡设镇)."""
    got = mentions_by_text("松桃县正大乡的村民在家门口就业。")
    assert (got["正大乡"]["name"], got["正大乡"]["historical"]) == ("正大镇", True)


def test_a_merged_township_of_the_home_province(mentions_by_text):
    """嵊州市雅璜乡 (merged into 石璜镇 in 2019)."""
    got = mentions_by_text("2010年,嵊州市雅璜乡的茶农开始种植白茶。")
    assert (got["雅璜乡"]["name"], got["雅璜乡"]["county"], got["雅璜乡"]["historical"]) == (
        "石璜镇",
        "嵊州市",
        True,
    )


@pytest.mark.parametrize(
    "text,old,today,county",
    [
        ("2015年，诸暨市王家井镇的袜业企业扩产。", "王家井镇", "暨南街道", "诸暨市"),  # 诸暨 2019
        ("早年间，诸暨湄池镇的码头非常热闹。", "湄池镇", "店口镇", "诸暨市"),  # 诸暨 2001
        ("2010年，长兴县白岘乡的竹农上山采笋。", "白岘乡", "煤山镇", "长兴县"),  # 长兴 2015
        ("2012年，萧山区坎山镇的一家纺织厂停产。", "坎山镇", "瓜沥镇", "萧山区"),  # 萧山 2013
        ("1990年，金华县灵岳乡的农民种植佛手。", "灵岳乡", "澧浦镇", "金东区"),  # 金华 1992
    ],
)
def test_zhejiang_township_mergers_since_1992(mentions_by_text, text, old, today, county):
    """Zhejiang's published township mergers (诸暨 1992/2001/2019, 长兴 2015, 萧山 2013, 金华 1992): the old
    name is read as a historical name of the township that holds its area today."""
    m = mentions_by_text(text)[old]
    assert (m["name"], m["county"], bool(m["historical"])) == (today, county, True)


def test_a_former_town_never_replaces_a_current_namesake(mentions_by_text):
    """仙岩镇 of 瓯海区 became 仙岩街道 in 2011; 嵊州市 has a 仙岩镇 today, and 深州市 (河北) a
    王家井镇: with their county in front, or alone, today's town is read, never the former one."""
    got = mentions_by_text("嵊州市仙岩镇今年新修了一条公路。")["仙岩镇"]
    assert (got["place_id"], bool(got["historical"])) == ("330683107", False)
    got = mentions_by_text("仙岩镇的茶叶很有名。")["仙岩镇"]
    assert (got["place_id"], bool(got["historical"])) == ("330683107", False)
    got = mentions_by_text("河北省深州市王家井镇的村民种植小麦。")["王家井镇"]
    assert (got["place_id"], bool(got["historical"])) == ("131182107", False)
    got = mentions_by_text("2006年，瓯海区仙岩镇引进了一家企业。")["仙岩镇"]
    assert (got["name"], bool(got["historical"])) == ("仙岩街道", True)


@pytest.mark.parametrize(
    "text,old,today,county",
    [
        ("1995年，萧山市义桥乡的农民开始养殖甲鱼。", "义桥乡", "义桥镇", "萧山区"),  # home: short form 义桥
        ("1998年，诸暨市枫桥乡的村民修建水库。", "枫桥乡", "枫桥镇", "诸暨市"),
        ("建德市大同乡的橘子熟了。", "大同乡", "大同镇", "建德市"),
        ("1990年，湖南省宁乡县道林乡的农民。", "道林乡", "道林镇", "宁乡市"),  # outside the home province
    ],
)
def test_the_former_xiang_of_a_town_is_read_after_its_county(mentions_by_text, text, old, today, county):
    """撤乡设镇 keeps the name: X乡 written with its county in front is today's X镇 (a generated
    former name, like the 镇 of a 街道); in the home province it is read in full, not as 义桥."""
    m = mentions_by_text(text)[old]
    assert (m["name"], m["county"], bool(m["historical"])) == (today, county, True)


def test_a_xiang_that_starts_a_word_is_no_former_township(mentions_by_text):
    """富春江乡村旅游 is 富春江 (镇) + 乡村, not a former 富春江乡; 城乡 and 家乡 stay words."""
    got = mentions_by_text("桐庐县富春江乡村旅游发展很快。")
    assert "富春江乡" not in got and got["富春江"]["name"] == "富春江镇"
    assert mentions_by_text("他回到家乡，在城乡之间奔波。") == {}


def test_a_town_named_in_full_is_no_former_name(mentions_by_text):
    m = mentions_by_text("萧山区义桥镇今年新建了一所学校。")["义桥镇"]
    assert (m["place_id"], bool(m["historical"])) == ("330109106", False)


def test_a_generated_former_xiang_never_replaces_a_current_namesake(mentions_by_text):
    """三墩乡 is a 乡 of 平江县 (湖南) today and the former 乡 of 西湖区's 三墩镇: each is read with
    its own county in front, and neither alone (the generated name needs its county)."""
    got = mentions_by_text("湖南省平江县三墩乡的村民。")["三墩乡"]
    assert (got["place_id"], bool(got["historical"])) == ("430626211", False)
    got = mentions_by_text("1995年，西湖区三墩乡的农民种菜。")["三墩乡"]
    assert (got["name"], bool(got["historical"])) == ("三墩镇", True)
    assert "三墩乡" not in mentions_by_text("三墩乡的农民种菜。")
