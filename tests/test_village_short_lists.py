"""Villages listed by their short names in an article about their county (issue 16, class 1 of
the eighth session): the list and the county together are the evidence
(geo/geoparse/short_lists.py); a lone short name stays unread.

Passages are from public pages (each test cites its source), none from a frozen set; the list
tests failed on main (96290f9) and pass after.
"""

from __future__ import annotations


def test_counted_list_of_villages_in_the_home_province(mentions_by_text):
    """桐庐 … 深澳、荻浦、徐畈、环溪四个古村: the four villages of 江南镇 (桐庐县).
    Source: https://freewechat.com/a/MzA4NTQ2ODQyOQ==/2655179877/1 (私家地理, 2017-08-12)."""
    got = mentions_by_text(
        "从杭州往桐庐,过富阳后经江南镇。江南镇有一条应家溪,沿应家溪一溜排列着好几个古村。"
        "深澳、荻浦、徐畈、环溪四个古村,仍保持着明清以来的村落格局和风貌。"
    )
    for short in ("深澳", "荻浦", "徐畈", "环溪"):
        v = got[short]
        assert (v["name"], v["level"], v["county"]) == (short + "村", "village", "桐庐县"), short


def test_list_of_villages_outside_the_home_province(parse):
    """婺源县 … 晓起、江岭、汪口 … 庆源、汪槎: villages of 婺源 from the village book (江西); 江岭 is
    listed nowhere and stays unread; 晓起 is the village again where it comes back.
    Source: http://wuyuango.com/news/825.html (婺源游记)."""
    got = parse(
        "我从三清山出发,和别人拼了一辆车,只用了一个半小时便到了婺源县城。老北站去往各景点的车很多,"
        "全是小型客运车,20分钟一趟。我要去的晓起、江岭、汪口都在东线,没在通票之内的庆源、汪槎也在这条线上。"
        "坐上车不到1.5个小时就到了晓起。"
    )
    villages = got[got["level"] == "village"]
    assert set(zip(villages["text"], villages["name"])) == {
        ("晓起", "晓起村"),
        ("汪口", "汪口村"),
        ("庆源", "庆源村"),
        ("汪槎", "汪槎村"),
    }
    assert set(villages["county"]) == {"婺源县"}
    assert (villages["text"] == "晓起").sum() == 2
    assert "江岭" not in set(got["text"])


def test_list_closed_by_deng_with_an_item_read_before(parse):
    """婺源县 … 李坑村 … 李坑、汪口等通票景点: 汪口 is 汪口村 of 婺源县 beside 李坑 (李坑村, read from
    its full name). Source: https://ergou.cc/tour/766211.html (江西婺源 李坑村)."""
    got = parse(
        "江西的“江南水乡”中,颜值比较高的在上饶市婺源县,印象最深刻的是李坑村。"
        "李坑村是婺源通票里的其中一个景点,过往的旅游旺季游人如织,近年的油菜花盛放季虽然也不缺人流量,"
        "但自从婺源县多了一个篁岭景区之后,李坑、汪口等通票景点的必打卡指数在很多游客的心目中下降很多。"
    )
    short = got[got["text"] == "汪口"]
    assert set(zip(short["name"], short["level"], short["county"])) == {("汪口村", "village", "婺源县")}


def test_lists_of_no_villages_stay_unread(parse):
    """A list of the article's counties (桐庐、富阳两县区) holds no villages; a short form written
    once outside a list stays unread. Source: https://5dsz.xyz/read-htm-tid-2994550-fpage-996.html
    (现实版的富春山居图 …, 2018-02-03)."""
    got = parse(
        "富春江流经桐庐、富阳两县区,富春山居图中所画内容的百分之八十是桐庐境内富春江的景色,"
        "因此我早就知道桐庐的富春江美,却不知道藏在富春江畔的古村落可以美到如此脱俗。"
    )
    assert "village" not in set(got["level"])
