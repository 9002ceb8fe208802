"""The sourced landmark list (gazetteer/landmark_lists.csv, branch lists9): China's ranges, plateaus,
basins, plains, rivers, lakes, famous mountains and 5A scenic areas, each row with its public page.
The sentences are taken from those public pages (no gold set's passage): what a user sees is the
mention, its level and its province; and the guards: an outlet's name, a division of the same
name."""

from __future__ import annotations

import csv

import pytest

from geo.settings import PROJECT_DIR

LISTS = PROJECT_DIR / "gazetteer"


@pytest.fixture(scope="module")
def found(gazetteer, settings):
    """Geoparse one text: surface → (level, province, county, precision, in_org)."""
    from geo.pipeline import mentions_in_text

    def run(text: str) -> dict[str, tuple]:
        got = mentions_in_text(text, gazetteer, settings)
        rows = got.astype(object).where(got.notna(), None)
        return {
            r["text"]: (r["level"], r["province"], r["county"], r["precision"], bool(r["in_org"]))
            for r in rows.to_dict("records")
        }

    return run


def _rows(name: str) -> list[dict]:
    with open(LISTS / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_has_a_public_source_and_no_name_is_listed_twice():
    """Each row names the page it comes from; no name or alias is in two rows (or in landmarks.csv
    or zones.csv, which the build would refuse)."""
    rows = _rows("landmark_lists.csv")
    assert len(rows) >= 200
    assert all(r["source"].startswith("http") for r in rows)

    def names(rs: list[dict]) -> list[str]:
        return [n for r in rs for n in (r["name"], *(a for a in (r.get("aliases") or "").split("|") if a))]

    ours = names(rows)
    assert len(ours) == len(set(ours))
    assert not set(ours) & set(names([*_rows("landmarks.csv"), *_rows("zones.csv")]))


def test_a_range_across_provinces_is_a_landmark_in_no_province(found):
    """xky30.com: 大巴山-大别山线位于湖北省、河南省和安徽省交界处 — 大巴山 spans provinces."""
    got = found("大巴山-大别山线位于湖北省、河南省和安徽省交界处,是中国中部的一条重要山脉和河流分界线。")
    assert got["大巴山"] == ("landmark", None, None, None, False)


def test_plateaus_and_basins_are_landmarks(found):
    """wapiknow.baidu.com: 四川盆地 (四川 and 重庆: no province) and 柴达木盆地 (青海省境内)."""
    got = found("柴达木盆地:位于青藏高原北部,青海省境内。")
    assert got["柴达木盆地"] == ("landmark", "青海省", None, None, False)
    assert got["青藏高原"][:2] == ("landmark", None)
    got = found("4、四川盆地:位于四川省东部和重庆市的西部。")
    assert got["四川盆地"] == ("landmark", None, None, None, False)
    assert "四川" not in got  # the basin's name is not read as the province


def test_a_peak_in_one_county_is_at_that_county(found):
    """360doc.com (浙江最高的七座山): 黄茅尖位于丽水市龙泉市 — at 龙泉市's point, county precision."""
    got = found("第一名——黄茅尖(丽水) 黄茅尖位于丽水市龙泉市,海拔达1929米。")
    assert got["黄茅尖"] == ("landmark", "浙江省", "龙泉市", "county", False)


def test_a_river_source_mountain_in_a_sentence_about_the_river(found):
    """lwuxueyong.cn: 瓯江…发源于庆元、龙泉两县交界的百山祖 — 百山祖 (庆元县) is found."""
    got = found("瓯江是浙江省第二大江,发源于庆元、龙泉两县交界的百山祖锅帽尖。")
    assert got["百山祖"][:3] == ("landmark", "浙江省", "庆元县")
    assert got["瓯江"][0] == "landmark"


def test_a_5a_scenic_area_from_the_announcement(found):
    """The 2024 announcement (中新经纬): 广西壮族自治区柳州市程阳八寨景区 — one landmark in 广西."""
    got = found("15.广西壮族自治区柳州市程阳八寨景区")
    assert got["程阳八寨景区"][:2] == ("landmark", "广西壮族自治区")


def test_the_city_division_wins_over_the_mountain_of_its_name(found):
    """73bbs.com (首批5A): 安徽:黄山市黄山风景区 — 黄山市 is the city; 黄山风景区 the landmark."""
    got = found("安徽:黄山市黄山风景区、池州市九华山风景区。")
    assert got["黄山市"][0] == "city"
    assert got["黄山风景区"][:2] == ("landmark", "安徽省")


def test_a_district_named_like_a_lake_stays_the_district(found):
    """西湖区 is the district (the lake 西湖 lends it its name)."""
    got = found("浙江省杭州市西湖区西溪路")
    assert got["西湖区"][0] == "county"


def test_a_river_inside_an_outlet_or_company_name_is_flagged_in_org(found):
    """长江日报 and 长江证券 are an outlet and a company, not the river: in_org (as 羊城晚报)."""
    assert found("据长江日报报道")["长江"][4] is True
    assert found("长江证券发布研究报告")["长江"][4] is True
    assert found("长江流域降雨偏多")["长江"][4] is False


def test_a_division_named_like_a_listed_feature_keeps_its_name(gazetteer):
    """峨眉山 is 峨眉山市's short form and 黄山 黄山市's: the list adds no landmark of those names."""
    from geo.gazetteer import lookup

    for name in ("峨眉山", "黄山"):
        assert not any(str(pid).startswith("landmark:list:") for pid in lookup(gazetteer, name)["place_id"])


def test_no_listed_name_is_another_places_name(gazetteer):
    """Every name the sourced list gives is its landmark's alone: none is a division's name, short
    form or former name (沙家浜 is a town's short form: the row is 虞山尚湖旅游区)."""
    listed = {n for r in _rows("landmark_lists.csv") for n in (r["name"], *r["aliases"].split("|")) if n}
    names = gazetteer.names[gazetteer.names["name"].isin(listed)]
    ours = names[names["place_id"].str.startswith("landmark:list:")]
    shared = names[names["name"].isin(ours["name"]) & ~names["place_id"].isin(ours["place_id"])]
    assert shared["name"].tolist() == []
    assert len(set(ours["name"])) >= 250  # (黄山, 乌镇: names of divisions, not the landmarks')


def test_a_mountain_in_a_persons_name_is_no_place(found):
    """村民张泰山表示: 泰山 after a surname, a title before it or 表示 after it, is a person's name —
    neither the mountain nor 泰山区; 登泰山 is the mountain."""
    assert "泰山" not in found("村民张泰山表示,今年游客明显增多。")
    assert found("清晨登泰山看日出。")["泰山"][0] == "landmark"


def test_a_spring_before_a_brewery_is_inside_the_brands_name(found):
    """趵突泉啤酒 is a brewery's brand: 趵突泉 is flagged in_org, 趵突泉公园 stays the spring."""
    assert found("趵突泉啤酒销量增长")["趵突泉"][4] is True
