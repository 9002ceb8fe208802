"""Townships listed by their short names in an article about their county (issue 16, class 2 and
4 of the eighth session): 船塘、漳溪、骆湖等20个乡镇 in 东源县; 泗礁、黄龙、枸杞、嵊山、花鸟等岛 in
嵊泗 — islands, each the seat of its township: on the map the township's point is what we can say
of them, at township precision, so the list is read as the townships (泗礁 is no township's name
and stays unread). geo/geoparse/short_lists.py.

Passages are from public pages (each test cites its source), none from a frozen set; each test
failed on main (96290f9) and passes after.
"""

from __future__ import annotations


def test_counted_list_of_townships_outside_the_home_province(parse):
    """东源县 … 集中分布在船塘、漳溪、骆湖等20个乡镇: 船塘镇 and 骆湖镇 of 东源县 (广东); 漳溪 is no
    township of the gazetteer's, and 灯塔 (灯塔镇) written once, in 灯塔盆地, is no list item.
    Source: http://m.93290.com.cn/zi/139581.html (板栗之乡)."""
    got = parse(
        "东源县地处灯塔盆地腹部,主要以山地和丘陵为主,是板栗的适生区,且当地农民种植板栗历史悠久。"
        "目前,全县板栗种植面积达到20万亩其中挂果面积15万亩,集中分布在船塘、漳溪、骆湖等20个乡镇,"
        "成为河源市乃至广东省最大的优质板栗种植生产基地。"
    )
    towns = got[got["level"] == "township"]
    assert set(zip(towns["text"], towns["name"], towns["county"])) == {
        ("船塘", "船塘镇", "东源县"),
        ("骆湖", "骆湖镇", "东源县"),
    }


def test_island_list_read_as_their_townships(parse):
    """嵊泗列岛 (a landmark of 嵊泗县) … 泗礁、黄龙、枸杞、嵊山、花鸟等岛: four of five are townships of
    嵊泗县 (嵊山镇, 黄龙乡, 枸杞乡, 花鸟乡), read as such, 嵊山 again in 嵊山、泗礁两岛.
    Source: http://scenic.fengjing.com/zhejiang/10065/branch_2215.shtml (嵊泗列岛简介)."""
    got = parse(
        "嵊泗列岛位于舟山群岛最北部,长江口与杭州湾的汇合处,由404个大小岛屿组成,因取嵊山、泗礁两岛首字而得名。"
        "嵊泗风光的特色在于“海瀚、礁美、滩佳、石奇、洞幽”,景观较集中的有泗礁、黄龙、枸杞、嵊山、花鸟等岛。"
    )
    towns = got[got["level"] == "township"]
    assert set(zip(towns["text"], towns["name"])) == {
        ("嵊山", "嵊山镇"),
        ("黄龙", "黄龙乡"),
        ("枸杞", "枸杞乡"),
        ("花鸟", "花鸟乡"),
    }
    assert set(towns["county"]) == {"嵊泗县"} and (towns["text"] == "嵊山").sum() == 2
    assert "泗礁" not in set(got["text"])
    assert not ({"海瀚", "礁美", "滩佳"} & set(got["text"]))  # a list of words
