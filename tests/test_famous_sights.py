"""A famous mountain, river or lake named like a division (黄山, 崂山, 鳌江, 西湖): the landmark where
the text speaks of the sight (a list of 名山, 爬/登, 脚下, 入海口, 杭州|西湖), the division elsewhere.
The passages are sentences of the public pages cited beside them (not of any gold set); each
sight case failed on main (96290f9): 黄山/崂山 were dropped or read as 黄山市, 鳌江 as 鳌江镇, and
杭州西湖 as one landmark."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text,name,landmark",
    [
        # https://juke.outofmemory.cn/read/638389.html
        ("我个人认为中国四大旅游名山是指黄山、庐山、泰山和峨眉山。", "黄山", "黄山风景区"),
        # https://www.meipian.cn/5dpsysrn
        ("5月29日,在家园前台的协调下与2位来自山东的妹妹一同包车到了黄山脚下。", "黄山", "黄山风景区"),
        # https://ruodiao.com/zatan/21746.html
        ("第一次爬崂山,路线会有点纠结,在崂山官网中,把景点分为三部分。", "崂山", "崂山风景名胜区"),
        # https://zhwiki.oracleblog.org/zh/%E9%B3%8C%E6%B1%9F%E9%95%87_(%E5%B9%B3%E9%98%B3%E5%8E%BF)
        ("鳌江镇是浙江省温州市平阳县下辖的一个镇,位于鳌江入海口北岸,是平阳县的经济中心。", "鳌江", "鳌江"),
    ],
)
def test_a_sight_named_like_a_division_is_the_landmark(fields_of, text, name, landmark):
    got = {t: (n, lev) for t, n, lev in fields_of("text", "name", "level")(text)}
    assert got[name] == (landmark, "landmark")


@pytest.mark.parametrize(
    "text",
    [
        # https://m.jqbk.net/t/孤山.html
        "断桥位于杭州西湖白堤的东端,一端连接北山路,另一端接通白堤。",
        # http://haohaolvyou.com/63284.html
        "虽说杭州西湖一年四季都不乏美景,但是杭州西湖的春秋季是其最美的时节。",
    ],
)
def test_hangzhou_west_lake_is_the_city_and_the_lake(fields_of, text):
    got = fields_of("text", "name", "level")(text)
    assert ("杭州", "杭州市", "city") in got and ("西湖", "西湖", "landmark") in got
    assert all(t != "杭州西湖" for t, _n, _l in got)


def test_the_division_stays_without_a_cue(fields_of):
    """No sight cue: 黄山市 and 崂山区 as written, 西湖区 in full (guards, made up; they passed on
    main too)."""
    got = fields_of("text", "level")("黄山市屯溪区和青岛市崂山区签订协议，杭州市西湖区也派员参加。")
    assert ("黄山市", "city") in got and ("崂山区", "county") in got and ("西湖区", "county") in got


def test_a_distance_to_the_name_is_no_sight(fields_of):
    """https://ascsdubai.com/shuiku/504449.html (千岛湖): 距黄山150公里 is a distance to the city, not
    a trip to the mountain, though the sentence names 名山; 距 starts no hill's name (距黄|山)."""
    text = "千岛湖距杭州150公里,距黄山150公里,是镶嵌在杭州――千岛湖――黄山名城、名水、名山这条黄金旅游线上的一颗灿烂的明珠。"
    got = fields_of("text", "start", "level")(text)
    at = text.index("距黄山")
    assert [(t, lev) for t, s, lev in got if at <= s <= at + 1] == []
