"""The two sourced name lists (issue 16): literary names of provinces and cities
(gazetteer/literary_names.csv: 八闽 → 福建省) and China's historical-cultural towns and villages
(gazetteer/heritage_towns.csv: 周庄古镇, 灵水古村).

The recognition cases quote public pages (the URL beside each); each failed before the lists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import CuratedRowError
from geo.gazetteer.heritage import place_rows, read_heritage
from geo.gazetteer.literary import read_literary
from geo.gazetteer.store import lookup

GAZ = Path(__file__).resolve().parent.parent / "gazetteer"


def _one(got, text):
    hit = got[got["text"] == text]
    assert len(hit) == 1, f"{text} not found once in {list(got['text'])}"
    return hit.iloc[0]


# ---- the loaders --------------------------------------------------------------------------------


def test_literary_list_rows_have_a_source_and_name_a_province_or_city(gazetteer):
    rows = read_literary(GAZ / "literary_names.csv", "literary_names.csv", gazetteer.places)
    assert len(rows) == 49
    levels = gazetteer.by_id.loc[[pid for _n, pid, _note in rows], "level"]
    assert set(levels) == {"province", "city"}
    assert all("http" in note for _n, _p, note in rows)


def test_a_literary_name_shared_with_another_place_is_read_with_evidence_only(gazetteer):
    # 榕城 is 福州's 别称 and 揭阳's 榕城区: both candidates, the build says so
    warn = " ".join(gazetteer.meta["warnings"])
    assert "榕城 (also 445202)" in warn and "滨城 (also 371602)" in warn
    t = lookup(gazetteer, "八闽", "浙江省")
    assert list(t.place_id) == ["35"] and "literary name (别称) of 福建省" in t.note.iloc[0]


def test_literary_list_refuses_a_county_or_one_character(tmp_path, gazetteer):
    bad = tmp_path / "l.csv"
    bad.write_text("name,place_id,kind,source,note\n穗,4401,别称,http://x,\n", encoding="utf-8")
    with pytest.raises(CuratedRowError, match="single character"):
        read_literary(bad, "l.csv", gazetteer.places)
    bad.write_text("name,place_id,kind,source,note\n萧然,330109,别称,http://x,\n", encoding="utf-8")
    with pytest.raises(CuratedRowError, match="not a province or city"):
        read_literary(bad, "l.csv", gazetteer.places)


def test_heritage_list_every_row_placed_or_reported(gazetteer):
    rows = read_heritage(GAZ / "heritage_towns.csv", "heritage_towns.csv")
    assert len(rows) == 63
    assert sum(r.kind == "名镇" for r in rows) == 35 and sum(r.kind == "名村" for r in rows) == 28
    placed, report = place_rows(rows, gazetteer.places, gazetteer.names)
    assert len(placed) + len(report) == len(rows)
    # 张谷镇 (岳阳县) and 武阳镇 (武义县) are no townships today: reported, not guessed
    assert [r.split(" ")[1] for r in report] == ["郭洞村:", "张谷英村:"]
    warn = " ".join(gazetteer.meta["warnings"])
    assert "heritage_towns.csv: 61 of 63 rows placed" in warn and "张谷英村" in warn
    by = {p.row.name: p for p in placed}
    # listed under the divisions of their year, placed in today's
    assert gazetteer.by_id.loc[by["同里镇"].township_id, "county"] == "吴江区"  # 吴江市 (2003)
    assert gazetteer.by_id.loc[by["涞滩镇"].township_id, "county"] == "合川区"  # 合川县
    assert gazetteer.by_id.loc[by["鹏城村"].township_id, "name"] == "大鹏街道"  # 大鹏镇


def test_a_listed_village_outside_the_home_province_is_a_place_at_its_townships_point(gazetteer):
    v = gazetteer.by_id.loc["village:" + lookup(gazetteer, "斋堂镇", "北京市").place_id.iloc[0] + ":灵水村"]
    t = gazetteer.by_id.loc[v["parent_id"]]
    assert (v["level"], v["county"], v["township"]) == ("village", "门头沟区", "斋堂镇")
    assert (v["lon"], v["lat"], v["precision"]) == (t["lon"], t["lat"], t["precision"])
    assert "heritage_towns.csv" in v["source"] and "http" in v["source"]


# ---- literary names in text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        # https://m.t259.net/guoxue/wenhua/2020/1018/118653.html
        ("比如福建省简称闽,也称八闽;广西简称桂,也称八桂。", "八闽", "福建省"),
        ("比如福建省简称闽,也称八闽;广西简称桂,也称八桂。", "八桂", "广西壮族自治区"),
        # http://jiangsulong.com/a/2022/0407/3666327_2.html
        ("故后世泛称陕西为“三秦” , 咸阳成了三秦的分界点", "三秦", "陕西省"),
        # https://xtie.cn/zatan/6264.html
        ("深圳还有一个别名,就是——鹏城。", "鹏城", "深圳市"),
        # https://m.efsc.cn/dongshi/rraha/p6pdoZ7O6D
        ("后听说信安境内有座三衢山,且风光绮丽,便欣然命信安为衢州,俗称三衢大地。", "三衢", "衢州市"),
        # https://3dmxku.com/daquan/zonghe/8099674.html
        ("泉城,是济南市的别称,位于山东省中西部", "泉城", "济南市"),
        # http://yiban584.com/cvsozb/2022-11-19/602.html
        ("乐山是国家历史文化名城,古称嘉州,历史上是古蜀国的重要发祥地", "嘉州", "乐山市"),
    ],
)
def test_literary_name_is_its_province_or_city(parse, text, name, place):
    hits = parse(text).query("text == @name")
    assert len(hits) >= 1 and set(hits["name"]) == {place}
    assert set(hits["level"]) <= {"province", "city"} and hits["county"].isna().all()  # never finer


@pytest.mark.parametrize(
    "text",
    [
        "青春城市的活力",  # 春城 (昆明) inside 青春|城市
        "新开的啤酒城人气旺",  # 酒城 (泸州) inside 啤酒城
        "船停在长江右岸",  # 江右 (江西) inside 长江|右岸
        "建设明星城市",  # 星城 (长沙) inside 明星|城市
        "巴蜀文化源远流长",  # 巴蜀 is 四川 and 重庆: not listed
        "江城武汉",  # 江城 names several cities (武汉, 吉林, 江城县): not listed, 武汉 read alone
        "甬台温高速",  # single characters are never read
        "泉城广场人头攒动",  # 泉城 begins a square's name
        "打造“齐鲁粮仓”品牌",  # a slogan in quotes
        "济南泉城路步行街",  # a street's name
        "常山三衢山景区",  # a mountain's
        "之江度假区的项目",  # a resort zone's (之江: the 钱塘江's reach in 西湖区)
    ],
)
def test_literary_names_do_not_fire_inside_other_words(parse, text):
    got = parse(text)
    literary = set(open(GAZ / "literary_names.csv", encoding="utf-8").read().split())
    assert not any(t in literary or t in ("巴蜀", "江城", "甬") for t in got["text"])


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        ("齐鲁银行发布年报", "齐鲁", "山东省"),
        ("据羊城晚报报道", "羊城", "广州市"),
        ("荆楚网消息", "荆楚", "湖北省"),
    ],
)
def test_literary_name_in_an_organisation_or_outlet_is_in_org(parse, text, name, place):
    m = _one(parse(text), name)
    assert (m["name"], bool(m["in_org"])) == (place, True)


def test_literary_name_of_a_home_city_still_needs_to_stand_as_a_word(parse):
    assert _one(parse("杭城市民出行"), "杭城")["name"] == "杭州市"
    assert list(parse("长春城区")["name"]) == ["长春市"]  # no 春城 inside 长春|城区


# ---- heritage towns and villages in text ----------------------------------------------------------


def test_listed_old_town_is_a_landmark_in_its_township(parse):
    # https://www.163.com/dy/article/DC1CT2JQ0524H7O5.html
    got = parse("锦溪古镇是一个拥有两千多年历史的江南水乡古镇,素有“中国民间博物馆之乡”的美誉")
    m = _one(got, "锦溪古镇")
    assert (m["level"], m["county"], m["township"], m["precision"]) == (
        "landmark",
        "昆山市",
        "锦溪镇",
        "township",
    )
    m = _one(parse("周庄古镇是世界文化遗产预选地、首批国家5A级旅游景区"), "周庄古镇")
    assert (m["county"], m["township"]) == ("昆山市", "周庄镇")


def test_listed_village_as_x_gucun_in_its_countys_context(parse):
    got = parse("北京门头沟区的灵水古村")
    m = _one(got, "灵水古村")
    assert (m["name"], m["level"], m["county"], m["township"]) == ("灵水村", "village", "门头沟区", "斋堂镇")


def test_listed_village_needs_its_context(parse):
    assert "灵水古村" not in set(parse("他们去了灵水古村")["text"])
