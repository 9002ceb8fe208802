"""Places named again in the same article by a shorter name: a zone or landmark found by pattern
then written without its place (成都交子公园 … 交子公园), a township read right after its county then
written alone (建德梅城 … 梅城). Text from public pages (addresses in the docstrings), not from a gold
set; each assertion failed before its rule."""

from __future__ import annotations


def _rows(parse, text: str) -> list[tuple]:
    got = parse(text)
    return [(r.text, r.name, r.level, r.city) for r in got.itertuples()]


def test_a_park_named_again_without_its_city_is_the_same_park(parse):
    """https://m.yybnet.net/chengdu/news/202009/10818217.html: the article names 成都交子公园 once with
    its city, then twice as 交子公园; a reader of the map sees three mentions of one place, not one."""
    text = (
        "其中,澳门国际银行成都分行、言几又全国总部等9个项目签约入驻成都交子公园金融商务区,"
        "项目总投资逾17亿元。交子公园金融商务区位于成都中心城区南部,是以构建现代金融产业生态圈"
        "为主要目标的产业功能区。根据规划,交子公园金融商务区将对标世界级商圈。"
    )
    parks = [r for r in _rows(parse, text) if r[2] != "city" and r[0].endswith("交子公园")]
    assert [r[0] for r in parks] == ["成都交子公园", "交子公园", "交子公园"]
    assert {r[1:] for r in parks} == {("成都交子公园", "landmark", "成都市")}


def test_a_bare_zone_suffix_is_not_taken_for_the_zone_named_before(parse):
    """http://news.cntv.cn/20120529/103939.shtml: 苏州高新区, then 高新区 alone and 狮山商务商贸核心区: a
    bare suffix (no name of its own) is never made a mention by repetition."""
    text = (
        "5月下旬,苏州高新区中心的一家生产型工厂基本完成拆迁。据悉,苏州市区西面的高新区,"
        "将总部经济发展与狮山商务商贸核心区建设结合起来。"
    )
    got = _rows(parse, text)
    assert [r[0] for r in got if r[2] == "zone"] == ["苏州高新区"]


def test_a_township_read_after_its_county_is_that_township_wherever_the_article_names_it(parse):
    """https://siliu.net/p/odkrlog6xe.html: the heading reads 建德梅城 (the county, then its town 梅城镇
    by its bare name), the text then says 梅城 alone three times: the same town each time."""
    text = (
        "(1136)【江南的古城老镇】1787岁的建德梅城 要说建德,就要说到三国了。说到建德,就要说到梅城。"
        "梅城是梅花城的简称,原是睦州、严州府城的雅称。我们在梅城寻寻觅觅,寻找着想象中的古城。"
    )
    towns = [r for r in _rows(parse, text) if r[0] == "梅城"]
    assert len(towns) == 4
    assert {r[1:] for r in towns} == {("梅城镇", "township", "杭州市")}
