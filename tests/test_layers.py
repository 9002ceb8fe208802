"""Map layers: counts roll up the admin tree, metrics pick the latest value, geometry is sane."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from geo.layers import county_layer, latest_metrics, layer_bounds, point_layer, simplify_counties


@pytest.fixture(scope="module")
def counties(gazetteer, atlas_synthetic):
    x = atlas_synthetic
    return county_layer(gazetteer, x.mentions, x.articles, x.metrics, home_province="浙江省")


@pytest.fixture(scope="module")
def points(gazetteer, atlas_synthetic):
    x = atlas_synthetic
    return point_layer(gazetteer, x.mentions, x.metrics)


def _row(gdf, place_id):
    hit = gdf[gdf["place_id"] == place_id]
    assert len(hit) == 1, place_id
    return hit.iloc[0]


def test_county_layer_has_every_zhejiang_county_and_mentioned_others(counties, atlas_synthetic):
    zj = counties[counties["province"] == "浙江省"]
    assert len(zj) == 90
    assert set(counties["place_id"]) - set(zj["place_id"]) == {atlas_synthetic.ids["pudong"]}
    assert counties["place_id"].is_unique and counties["place_id"].is_monotonic_increasing
    assert counties.crs.to_epsg() == 4326
    assert (counties["level"] == "county").all()
    # counties nobody mentions are there with zeros, for a complete choropleth
    assert (zj["mentions"] == 0).sum() == 90 - 3  # 萧山区, 南湖区, 临安区


def test_mentions_roll_up_into_their_county(counties, atlas_synthetic):
    ids = atlas_synthetic.ids
    xs = _row(counties, ids["xs"])
    # 萧山区 ×2 (one inside an organisation's name) + 河上镇 ×3, over articles a01, a02; the
    # geocoded landmark in c01 has county_id 萧山区 too
    assert (xs["mentions"], xs["articles"], xs["in_org_mentions"]) == (7, 3, 1)
    nanhu = _row(counties, ids["nanhu"])
    assert (nanhu["mentions"], nanhu["articles"]) == (2, 1)  # 南湖区 + 湘家荡区域
    linan = _row(counties, "330112")
    assert (linan["mentions"], linan["articles"]) == (1, 1)  # 青山湖科技城
    # a city mention (杭州市) rolls into no county
    assert counties["mentions"].sum() == len(atlas_synthetic.mentions) - 1
    assert xs["article_share"] == pytest.approx(3 / 6, abs=1e-4)
    assert xs["chain"] == "浙江省 > 杭州市 > 萧山区"


def test_county_metric_is_latest_actual_value_not_target_nor_township(counties, atlas_synthetic):
    xs = _row(counties, atlas_synthetic.ids["xs"])
    assert xs["metric_gdp"] == 2150.0
    assert xs["metric_gdp_period"] == "2024年" and xs["metric_gdp_unit"] == "亿元"
    # 河上镇's own GDP does not become 萧山区's, nor anybody else's
    assert counties["metric_gdp"].notna().sum() == 1
    assert counties.attrs["metric_labels"] == {"gdp": "地区生产总值"}


def test_latest_metrics_orders_periods_by_their_numbers():
    m = pd.DataFrame(
        {
            "place_id": ["1", "1", "1"],
            "metric": ["gdp"] * 3,
            "value": [3.0, 1.0, 2.0],
            "period": ["2023年", "2024年1-6月", "2022年"],
            "unit": ["亿元"] * 3,
            "is_target": [False, False, False],
        }
    )
    wide = latest_metrics(m)
    assert wide.loc["1", "metric_gdp"] == 1.0 and wide.loc["1", "metric_gdp_period"] == "2024年1-6月"


def test_point_layer_has_places_below_county_and_mentioned_counties(points, atlas_synthetic):
    ids = atlas_synthetic.ids
    assert set(points["place_id"]) == {
        ids["xs"],
        ids["heshang"],
        ids["nanhu"],
        ids["xjd"],
        ids["qsh"],
        ids["pudong"],
        "geocoder:abc",
    }
    assert ids["hangzhou"] not in set(points["place_id"])
    assert points.attrs["skipped"] == ["geocoder:nowhere"]
    heshang = _row(points, ids["heshang"])
    assert (heshang["mentions"], heshang["articles"]) == (3, 2)
    assert heshang["chain"] == "浙江省 > 杭州市 > 萧山区 > 河上镇"
    assert heshang["metric_gdp"] == 80.0
    xs = _row(points, ids["xs"])
    assert (xs["mentions"], xs["in_org_mentions"]) == (2, 1)  # no roll-up on points
    geocoded = _row(points, "geocoder:abc")
    assert (geocoded["lon"], geocoded["lat"]) == (120.27, 30.15)
    assert "not in gazetteer" in geocoded["source"]
    for col in ("level", "precision", "source", "lon", "lat", "county_id"):
        assert points[col].notna().all(), col


def test_points_lie_inside_their_county(points, counties):
    poly = counties.set_index("place_id").geometry
    inside = [
        poly[r.county_id].buffer(0.01).contains(r.geometry)
        for r in points.itertuples()
        if r.county_id in poly.index
    ]
    assert len(inside) == len(points) and all(inside)


def test_no_mentions_gives_a_complete_empty_choropleth(gazetteer):
    c = county_layer(gazetteer, pd.DataFrame(), None, None, home_province="浙江省")
    p = point_layer(gazetteer, None, None)
    assert len(c) == 90 and c["mentions"].sum() == 0
    assert len(p) == 0 and p.crs.to_epsg() == 4326


def test_layer_bounds_are_south_west_north_east(counties):
    (s, w), (n, e) = layer_bounds(counties[counties["province"] == "浙江省"])
    assert 26.5 < s < 28 and 118 < w < 118.5 and 31 < n < 31.5 and 122.5 < e < 123.5


def _zhejiang(gazetteer):
    zj = gazetteer.counties[gazetteer.counties["province"] == "浙江省"].reset_index(drop=True)
    assert len(zj) == 90 and shapely.coverage_is_valid(zj.geometry.values)
    return zj


def test_coverage_simplification_keeps_neighbours_gap_and_overlap_free(gazetteer):
    zj = _zhejiang(gazetteer)
    simple = simplify_counties(zj, 0.01)
    before = shapely.get_num_coordinates(zj.geometry.values).sum()
    after = shapely.get_num_coordinates(simple.geometry.values).sum()
    assert after < 0.7 * before
    assert simple.geometry.is_valid.all()
    assert shapely.coverage_is_valid(simple.geometry.values, gap_width=0.0001)  # ~10 m slivers
    # neighbours still share their border: no overlap, and the union has no new holes
    pairs = zip(*zj.sindex.query(zj.geometry, predicate="touches"))
    for i, j in pairs:
        if i < j:
            a, b = simple.geometry.iloc[i], simple.geometry.iloc[j]
            assert a.intersection(b).area < 1e-9
    union_before = shapely.union_all(zj.geometry.values)
    union_after = shapely.union_all(simple.geometry.values)
    holes = lambda g: sum(len(p.interiors) for p in getattr(g, "geoms", [g]))
    assert holes(union_after) <= holes(union_before)
    assert union_after.area == pytest.approx(union_before.area, rel=0.02)


def test_per_polygon_simplification_would_break_the_coverage(gazetteer):
    """The reason simplify_counties exists: simplifying each county alone opens gaps/overlaps."""
    zj = _zhejiang(gazetteer)
    naive = shapely.simplify(zj.geometry.values, 0.01)
    assert not shapely.coverage_is_valid(naive, gap_width=0.0001)
    overlaps = [a.intersection(b).area > 1e-9 for a, b in zip(naive[:-1], naive[1:])]
    assert any(overlaps)


# ---------------------------------------------------------------- orientation and wording


def test_boundaries_dissolve_the_home_province(gazetteer, counties):
    from geo.layers import boundary_layers, simplify_counties

    b = boundary_layers(gazetteer, "浙江省")
    assert b is boundary_layers(gazetteer, "浙江省")  # dissolved once, then kept
    cities = b["city"]
    assert len(cities) == 11 and set(cities["kind"]) == {"city"}
    assert dict(zip(cities["name"], cities["place_id"]))["杭州市"] == "3301"
    province = b["province"].geometry.iloc[0]
    assert abs(shapely.area(cities.geometry.values).sum() - province.area) < 1e-6  # cities tile it
    assert set(b["context"]["name"]) == {"江苏省", "安徽省", "江西省", "福建省", "上海市"}
    lines = dict(zip(b["lines"]["kind"], b["lines"].geometry))
    # a city border lies on the county borders the choropleth draws (same simplified coverage)
    zj = simplify_counties(counties[counties["province"] == "浙江省"])
    county_edges = shapely.union_all([g.boundary for g in zj.geometry])
    assert lines["city"].length > 10 and lines["city"].difference(county_edges.buffer(1e-6)).length < 1e-3
    # the province line is the land border: the coast is not repeated
    assert lines["province"].length < province.boundary.length / 2
    assert boundary_layers(gazetteer, "不存在省")["city"].empty


def test_periods_always_carry_their_year_or_say_it_is_unknown():
    from geo.layers import period_label

    assert period_label("2024") == "2024年"
    assert period_label("2024-Q1") == "2024年一季度"
    assert period_label("2024-H1") == "2024年上半年"
    assert period_label("2022-01/08") == "2022年1–8月"
    assert period_label("2021-04") == "2021年4月"
    assert period_label("H1") == "上半年（年份不明）"
    assert period_label("01/09") == "1–9月（年份不明）"
    for missing in (None, float("nan"), "", pd.NA):
        assert period_label(missing) == "年份不明"


def test_a_measure_without_a_period_takes_only_values_without_one():
    from geo.layers import measure_values

    gdf = pd.DataFrame({"metric_area": [10.0, 20.0], "metric_area_period": [None, "2017"]})
    assert measure_values(gdf, "metric:area@").tolist()[0] == 10.0
    assert pd.isna(measure_values(gdf, "metric:area@")[1])
    assert measure_values(gdf, "metric:area").tolist() == [10.0, 20.0]  # latest of each place
    assert measure_values(gdf, "metric:area@2017").tolist()[1] == 20.0
