"""Township short forms read from the place right beside them (geo/geoparse/beside.py) and a
namesake county read from the unit right after it (geo/geoparse/resolve.py, parent_of_next).

Sentences are from the recall development sets (tests/data/recall_dev2.jsonl d04, d06;
tests/data/recall_dev3.jsonl x08; sources there), none from a frozen set. Each positive test failed
on 5db614b and passes after; the guards hold on both.
"""

from __future__ import annotations


def test_street_short_form_after_its_district_also_settles_the_namesake_district(mentions_by_text):
    """白云区同德街: only 广州's 白云区 has a 同德街道 (贵阳's has none) — the district, the 街道 and
    the community after it are all read; on 5db614b none of the three was."""
    got = mentions_by_text(
        "为了向社区居民宣传垃圾分类、为社区营造干净的环境,白云区同德街在汇德社区开展新时代文明实践活动。"
    )
    assert (got["白云区"]["city"], got["白云区"]["level"]) == ("广州市", "county")
    assert (got["同德街"]["name"], got["同德街"]["level"], got["同德街"]["county"]) == (
        "同德街道",
        "township",
        "白云区",
    )
    assert got["汇德社区"]["county"] == "白云区"


def test_full_township_after_a_namesake_district(mentions_by_text):
    """白云区同德街道: the 街道 written in full settles the namesake district in front of it too."""
    got = mentions_by_text("白云区同德街道在汇德社区开展活动。")
    assert got["白云区"]["city"] == "广州市" and got["同德街道"]["county"] == "白云区"


def test_street_short_form_after_its_city(mentions_by_text):
    """广州龙洞街南社社区: 龙洞街道 of 天河区, named after the city."""
    got = mentions_by_text(
        "广州站前街道流花社区、广州龙洞街南社社区和云浮翔顺筠州花园二区对此交上了自己的“答卷”。"
    )
    assert (got["龙洞街"]["name"], got["龙洞街"]["county"]) == ("龙洞街道", "天河区")


def test_streets_are_not_street_offices(mentions_by_text):
    """A house number after it makes 同德街 a street; 河坊街, 步行街 are no 街道 of 上城区."""
    got = mentions_by_text("广州市白云区同德街5号,杭州上城区河坊街和湖滨步行街游人如织。")
    assert not any(r["level"] == "township" for r in got.values())


def test_township_short_form_before_its_own_village(mentions_by_text):
    """乌镇白马墩村: 乌镇 is 乌镇镇 (桐乡市), the township of the village right after it — though
    乌镇 is also the full name of a town in 陕西 and nobody writes 乌镇镇."""
    got = mentions_by_text(
        "10月1日上午10时,位于乌镇白马墩村的华庄生态农业园迎来了一个特别检查小组——桐乡市委书记费建文"
    )
    assert (got["乌镇"]["name"], got["乌镇"]["level"], got["乌镇"]["county"]) == (
        "乌镇镇",
        "township",
        "桐乡市",
    )
    assert got["白马墩村"]["township"] == "乌镇镇"


def test_county_short_forms_in_a_list_closed_by_a_count_of_counties(mentions_by_text):
    """新河和巨鹿两县: 巨鹿 (巨鹿县) is read though the article names it nowhere else — the count says
    the list is of counties (x03)."""
    got = mentions_by_text(
        "虽是传统农业村,但这里也是寻寨镇政府驻地,且处在连接新河和巨鹿两县的交通要道上。新河县寻寨村"
    )
    assert (got["巨鹿"]["name"], got["巨鹿"]["level"]) == ("巨鹿县", "county")


def test_listed_village_whose_name_starts_with_yuan(mentions_by_text):
    """元坝村, listed under 根子镇 (高州市): 元 starts a name; after another character it is a sum
    (3000多元村集体经济 holds no village 多元村)."""
    got = mentions_by_text(
        "前往“中国荔枝第一镇”——广东省茂名市高州市根子镇,参观走访了根子镇的到湾村、瓦屋村、南邦村、元坝村。"
        "根子镇去年人均增收3000多元村集体经济壮大。"
    )
    assert (got["元坝村"]["level"], got["元坝村"]["township"]) == ("village", "根子镇")
    assert not any(
        r["level"] == "village" and "元" in r["text"] and r["text"] != "元坝村" for r in got.values()
    )


def test_the_other_villages_of_a_list_one_of_whose_villages_was_read(mentions_by_text):
    """根子镇的到湾村、瓦屋村、南邦村: 瓦屋村 is listed nowhere, but it is an item of the list whose
    到湾村 was read under 根子镇 — a village there, and again where the article repeats it (x04)."""
    got = mentions_by_text(
        "前往“中国荔枝第一镇”——广东省茂名市高州市根子镇,参观走访了根子镇的到湾村、瓦屋村、南邦村、元坝村,"
        "以及景点红荔阁。下乡途中,红蚂蚁小队在瓦屋村的花生田间采访了一位老奶奶。"
    )
    v = got["瓦屋村"]
    assert (v["level"], v["township"], v["county"], v["precision"]) == (
        "village",
        "根子镇",
        "高州市",
        "township",
    )


def test_a_count_or_a_short_form_heads_no_list_of_villages(mentions_by_text):
    """东庄、萧东两村 (seed 004): 两村 counts two villages; the list is read no further."""
    got = mentions_by_text("钱塘区临江街道临江佳苑老旧小区改造,东庄、萧东两村美丽乡村建设全面完成。")
    assert "萧东两村" not in got
