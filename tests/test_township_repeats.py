"""A township written by its short form again and again in an article about its county (issue 16,
class 3 of the eighth session): 到了建德,当然会去梅城。梅城是梅花城的简称 … → 梅城镇 of 建德市
(geo/geoparse/town_repeats.py). The rules before it needed 梅城镇 written in full or 梅城 right
after 建德; a lone short form stays unread.

Passages are from public pages (each test cites its source), none from a frozen set; the repeat
test failed on main (96290f9) and passes after.
"""

from __future__ import annotations

XCAR = "https://www.xcar.com.cn/bbs/viewthread.php?showthread=2536745&tid=22213108"


def test_township_short_form_repeated_in_its_countys_article(parse):
    """建德 … 梅城 (four times): 梅城镇 each time. Source: XCAR (千年古镇——建德梅城, 2015-07-13)."""
    got = parse(
        "到了建德,当然会去梅城。\n梅城是梅花城的简称,过去是严州府的所在地。\n"
        "梅花城的来历有多种说法,我在梅城听到最多的是“天下梅花两朵半”的说法。\n"
        "不管如何,梅城的历史相当悠久,已有1700多年。"
    )
    short = got[got["text"] == "梅城"]
    assert len(short) == 4
    assert set(zip(short["name"], short["level"], short["county"])) == {("梅城镇", "township", "建德市")}


def test_county_named_through_a_sibling_township(parse):
    """No 建德 in the text, but 乾潭镇 (建德市) written in full: 梅城 twice is 梅城镇 of 建德市 too.
    Source: http://wap.tcmap.com.cn/zhejiangsheng/jiande_qiantanzhen.html (乾潭镇) and XCAR for
    the 梅城 sentences."""
    got = parse(
        "乾潭镇位于浙江省西部山区,杭州---富春江---新安江---千岛湖黄金旅游线中段,杭千高速公路、320国道穿境而过。"
        "梅城是梅花城的简称,过去是严州府的所在地。不管如何,梅城的历史相当悠久,已有1700多年。"
    )
    short = got[got["text"] == "梅城"]
    assert len(short) == 2 and set(short["name"]) == {"梅城镇"}


def test_lone_township_short_form_stays_unread(parse):
    """梅城 once in an article about 建德 is no evidence. Source: XCAR."""
    got = parse("到了建德,当然会去梅城。")
    assert "梅城" not in set(got["text"])
