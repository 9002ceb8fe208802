"""A city's or county's short form that is also a word (海口: a boast; 文昌: a god) is read as the
place where a journey goes or starts (抵达海口, 从南昌出发). Each case is text from a public page
(its address in the docstring); each positive assertion failed before the cue and passes after."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spans(fields_of):
    return fields_of("text", "level", "name", "province")


def test_arriving_in_a_city_that_is_also_a_word(spans):
    """http://xmjeep.com/viewthread.php?page=1&tid=73032 (自驾 环岛海南): 到达海口."""
    got = spans("到达海口,阿东和小夏例行接风,入住海口紫荆花墅国际青旅,没想到海口竟有这么个好地方。")
    assert got[0] == ("海口", "city", "海口市", "海南省")


def test_arriving_in_a_city_after_a_long_wait(spans):
    """https://blog.sina.cn/dpool/blog/s/blog_4bb440080100k1fy.html: 终于抵达了南昌 (南昌 is the city
    and a county of the city: the city, on the journey's word alone)."""
    got = spans("2010年6月16日,中午11点30分,当我经过漫长的40小时的等待后,终于抵达了南昌,看到了城市。")
    assert [(t, level, name) for t, level, name, _p in got] == [("南昌", "city", "南昌市")]


@pytest.mark.parametrize(
    "text",
    [
        "他当年夸下海口,说三年内要把小厂做成行业龙头。",  # a boast
        "从海口这个角度看,问题并不大。",  # 从 without a journey's verb
    ],
)
def test_the_word_without_a_journey_is_no_place(spans, text):
    assert [t for t, *_ in spans(text)] == []


def test_people_from_a_city_and_a_visitor_from_it(spans):
    """Written for this test in the words of travel news (no page quoted): people named by their
    city (四位南昌游客, 海口市民) and a visitor from it (来自海口的) are the city's."""
    got = spans("国庆假期,四位南昌游客自驾前来。来自海口的老李说,海口市民也爱来这里。")
    assert [(t, name) for t, _l, name, _p in got] == [
        ("南昌", "南昌市"),
        ("海口", "海口市"),
        ("海口", "海口市"),
    ]
