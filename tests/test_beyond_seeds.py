"""The geoparser on text beyond the seeds (issue 16): zones no list has, old names, all of China,
organisation names read as words, township short forms in their district's context, city lists.

Each test is a sentence a user's corpus could hold, and asserts what the user would see in
``mentions.jsonl``: the span, the place, its level and county, the historical and in_org flags.
"""

from __future__ import annotations

import pytest

from geo.gazetteer.names import autonomous_forms
from geo.gazetteer.store import gazetteer_stats, lookup


def _by_text(got, text):
    hit = got[got["text"] == text]
    assert len(hit) == 1, f"{text} not found once in {list(got['text'])}"
    return hit.iloc[0]


# ---- gazetteer completeness: 渝北区 / 江北区 (重庆) ------------------------------------------------


def test_chongqing_districts_of_the_polygon_source_resolve(parse):
    m = _by_text(parse("重庆市渝北区人民路1号"), "渝北区")
    # abolished 2025-11 and merged into 两江新区 (500157): placed there and flagged as an old name
    assert (m["place_id"], m["county"], m["province"]) == ("500157", "两江新区", "重庆市")
    assert bool(m["historical"]) and m["lon"] is not None


def test_ningbo_jiangbei_stays_ningbo(parse):
    got = parse("2026年，宁波市江北区慈城镇")
    assert list(got["name"]) == ["宁波市", "江北区", "慈城镇"]
    assert not got["historical"].any()


def test_completeness_check_explains_every_polygon_code(gazetteer):
    c = gazetteer.meta["completeness"]
    assert c["polygon_codes_not_in_names_source"] >= 50
    assert c["unexplained"] == []
    t = lookup(gazetteer, "渝北区", "浙江省")
    assert "500112" in t.note.iloc[0] and t.place_id.iloc[0] == "500157"


# ---- autonomous counties: 景宁县 -------------------------------------------------------------------


def test_autonomous_county_with_its_plain_suffix(parse):
    got = parse("丽水市景宁县鹤溪街道")
    m = _by_text(got, "景宁县")  # the whole 景宁县, not 景宁 + a stray 县
    assert m["name"] == "景宁畲族自治县" and m["level"] == "county"
    assert list(got["name"]) == ["丽水市", "景宁畲族自治县", "鹤溪街道"]


@pytest.mark.parametrize(
    "name,plain",
    [
        ("景宁畲族自治县", "景宁县"),
        ("海西蒙古族藏族自治州", "海西州"),
        ("萧山区", None),
        ("鄂伦春自治旗", "鄂伦春旗"),
    ],
)
def test_plain_suffix_rule(name, plain):
    assert autonomous_forms(name) == plain


# ---- organisation names read as words: 部分行政区划 --------------------------------------------------


def test_part_of_a_word_is_not_a_bank_branch(parse):
    m = _by_text(parse("随着杭州市部分行政区划优化调整的公布，钱塘区成立"), "杭州市")
    assert not bool(m["in_org"])


@pytest.mark.parametrize(
    "text,place,in_org",
    [
        ("农商银行杭州分行今天开业", "杭州", True),
        ("杭州市第二中学的学生", "杭州市", True),
        ("杭州中学生运动会开幕", "杭州", False),
    ],
)
def test_org_suffix_must_end_a_word(parse, text, place, in_org):
    assert bool(_by_text(parse(text), place)["in_org"]) is in_org


# ---- township short forms in their own district's context: 白杨 in a 钱塘区 article ----------------


ARTICLE = (
    "钱塘区白杨街道今年新增企业120家。\n"
    "白杨坚定民生导向，创新社区治理，擦亮“品质白杨”城市名片。\n"
    "义蓬、河庄两地也在推进。"
)


def test_township_short_form_in_its_districts_article(parse):
    got = parse(ARTICLE)
    baiyang = got[got["text"] == "白杨"]
    assert len(baiyang) == 2
    assert set(baiyang["name"]) == {"白杨街道"} and set(baiyang["county"]) == {"钱塘区"}


def test_township_short_form_without_its_district_is_a_word(parse):
    got = parse("路边的白杨长得很高，前进的方向很明确。")
    assert got.empty


# ---- history: 萧山市, 余杭县, township merges, the text's year ---------------------------------------


@pytest.mark.parametrize(
    "text,old,today,county",
    [
        ("1995年的萧山市经济总量全省第一", "萧山市", "萧山区", "萧山区"),
        ("1993年，余杭县临平镇", "余杭县", "余杭区", "余杭区"),
        ("杭州江干区九堡镇的农民", "九堡镇", "九堡街道", "上城区"),
        ("原萧山市西兴镇划入滨江", "西兴镇", "西兴街道", "滨江区"),
    ],
)
def test_old_names_are_flagged_historical_with_their_successor(parse, text, old, today, county):
    m = _by_text(parse(text), old)
    assert bool(m["historical"]) and m["name"] == today and m["county"] == county


def test_jionlp_change_list_gives_old_names_of_all_china(gazetteer):
    t = lookup(gazetteer, "襄樊市", "浙江省")
    assert list(t.name) == ["襄阳市"] and t.name_type.iloc[0] == "historical"
    t = lookup(gazetteer, "平泉县", "浙江省")
    assert "平泉市" in set(t.name)


# ---- zones by pattern -------------------------------------------------------------------------------


def test_pattern_zone_is_one_zone_mention_at_its_county(parse):
    got = parse("湖州德清通航智造小镇今年签约项目12个")
    m = _by_text(got, "湖州德清通航智造小镇")  # the city's short form in front is part of the name
    assert (m["level"], m["county"], m["city"]) == ("zone", "德清县", "湖州市")
    assert m["name"] == "湖州德清通航智造小镇" and m["precision"] == "county"  # no finer than its anchor
    assert {"德清", "湖州"}.isdisjoint(got["text"])  # not also a county or city mention


def test_pattern_zone_at_a_township_has_township_precision_at_most(parse):
    m = _by_text(parse("萧山区瓜沥七彩未来小镇开园"), "瓜沥七彩未来小镇")
    assert (m["level"], m["county"], m["township"]) == ("zone", "萧山区", "瓜沥镇")
    assert m["precision"] in ("township", "county")


def test_curated_zone_wins_over_the_pattern(parse):
    m = _by_text(parse("德清地理信息小镇"), "德清地理信息小镇")
    assert m["place_id"].startswith("zone:") and m["precision"] == "township"


def test_zone_known_only_to_its_city_claims_no_county(parse):
    m = _by_text(parse("合肥高新区和盐城经开区签约"), "合肥高新区")
    assert (m["level"], m["city"], m["county"]) == ("zone", "合肥市", None)
    assert m["lon"] is None and m["precision"] is None


@pytest.mark.parametrize(
    "text",
    [
        "萧山加快推进产业园区建设",
        "杭州新城区的居民",
        "杭州小镇生活",
        "我们走进湖州南浔荻港村,看到了桑基鱼塘。",
        "这是一座典型的江南水乡古镇。",
        "江南古镇游人如织。",
        "兰溪媒体记者走访古镇。",  # (who went there, not a 古镇 named 兰溪媒体记者走访)
        "宁波游客打卡景区。",
    ],
)
def test_phrases_that_end_like_a_zone_are_not_zones(parse, text):
    assert not parse(text)["level"].isin(("zone", "landmark")).any()


# ---- cities by short name in lists ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,names",
    [
        ("合肥和深圳的企业来杭考察", ["合肥市", "深圳市"]),
        ("支持创建北京、天津两地", ["北京市", "天津市"]),
        ("大同小异，长治久安", []),
    ],
)
def test_cities_in_lists(parse, text, names):
    got = parse(text)
    assert [n for n in got["name"] if n != "杭州市"] == names


# ---- on seed 004 (杭州's 2021 district reform): what the issue saw there ---------------------------

F004 = "004_1a3904fcbe53cc3f.txt"


def test_seed_004_reform_title_is_not_inside_an_organisation(seeds_extraction, seed_texts):
    m = seeds_extraction.mentions
    m = m[m["file"] == F004]
    text = seed_texts[F004]
    reform = m[[text[e : e + 6].startswith("部分行政区划") for e in m["end"]]]
    assert len(reform) >= 3 and not reform["in_org"].any()


def test_seed_004_merged_townships_are_found_as_historical(seeds_extraction, seed_texts):
    m = seeds_extraction.mentions
    m = m[(m["file"] == F004) & m["historical"].astype(bool)]
    pos = seed_texts[F004].find("九堡、下沙")
    got = m[m["start"].between(pos, pos + 5)]
    assert list(got["name"]) == ["九堡街道", "下沙街道"]
    assert list(got["county"]) == ["上城区", "钱塘区"]


def test_zone_from_an_official_list_has_its_county_and_source(parse, gazetteer):
    m = _by_text(parse("浙江文成经济开发区今年引进项目"), "浙江文成经济开发区")
    assert (m["level"], m["county"], m["precision"]) == ("zone", "文成县", "county")
    row = gazetteer.by_id.loc[m["place_id"]]
    assert "zone_lists.csv" in row["source"] and "http" in row["source"]


# ---- customary short names, with evidence; 内蒙古 is not Mongolia ------------------------------------


def test_customary_short_name_with_its_province_in_front(parse):
    got = parse("内蒙古呼市新城区")
    assert list(got["name"]) == ["内蒙古自治区", "呼和浩特市", "新城区"]
    assert set(got["province"]) == {"内蒙古自治区"}


def test_customary_short_name_alone_needs_evidence(parse):
    assert parse("他上周去了呼市").empty


def test_autonomous_region_short_form_without_zu(parse):
    got = parse("新疆巴音郭楞")
    assert list(got["name"])[:1] == ["新疆维吾尔自治区"]


@pytest.mark.parametrize(
    "text,county,province",
    [
        ("上海市浦东新区张江镇", "浦东新区", "上海市"),
        ("天津市河北区", "河北区", "天津市"),
        ("重庆市渝中区", "渝中区", "重庆市"),
    ],
)
def test_municipal_districts_hang_under_their_municipality(parse, text, county, province):
    m = _by_text(parse(text), county)
    assert (m["level"], m["province"], m["city"]) == ("county", province, None)


def test_build_reports_completeness_in_stats(gazetteer):
    assert gazetteer_stats(gazetteer, "浙江省")["completeness"]["unexplained"] == []
