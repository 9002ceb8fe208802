"""Former townships from gazetteer/historical.csv rows with a published source per row (撤乡并镇 /
撤乡设镇 announcements: 花垣县 2015, 松桃苗族自治县 2015, 嵊州市 2019): read as historical names of
today's township. The sentences are made up around the names; each test failed on 5db614b."""

from __future__ import annotations


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
