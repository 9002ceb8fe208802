"""Exports: valid RFC 7946 GeoJSON, Excel-ready CSV, GeoParquet; CLI bytes == library bytes."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import shape

from geo.errors import ExportError
from geo.export import export_layers, to_csv, to_geojson, to_geoparquet
from geo.layers import county_layer, point_layer


def _strict_json(data: bytes) -> dict:
    def no_constants(name):
        raise AssertionError(f"non-JSON number {name} in GeoJSON")

    return json.loads(data.decode("utf-8"), parse_constant=no_constants)


@pytest.fixture(scope="module")
def layers(gazetteer, atlas_synthetic):
    x = atlas_synthetic
    return {
        "county": county_layer(gazetteer, x.mentions, x.articles, x.metrics, home_province="浙江省"),
        "points": point_layer(gazetteer, x.mentions, x.metrics),
    }


def test_geojson_is_rfc7946(layers, atlas_synthetic):
    data = to_geojson(layers)
    fc = _strict_json(data)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == len(layers["county"]) + len(layers["points"])
    assert "萧山区".encode() in data and b"\\u" not in data  # Chinese left unescaped
    for f in fc["features"]:
        geom = shape(f["geometry"])
        assert geom.is_valid, f["id"]
        assert f["id"] == f["properties"]["place_id"]
        assert f["properties"]["layer"] in ("county", "points")
        for v in f["properties"].values():
            assert v is None or isinstance(v, (str, int, float, bool)), (f["id"], v)
    # lon/lat order: Hangzhou's 上城区 and every Zhejiang feature sit at lon≈118–123, lat≈27–31.5
    shangcheng = next(f for f in fc["features"] if f["id"] == "330102")
    c = shape(shangcheng["geometry"]).centroid
    assert 120.0 < c.x < 120.5 and 30.0 < c.y < 30.5
    for f in fc["features"]:
        if f["properties"].get("province") == "浙江省":
            x0, y0, x1, y1 = shape(f["geometry"]).bounds
            assert x0 >= 118 and x1 <= 123.5 and y0 >= 27 and y1 <= 31.5, f["id"]


def test_geojson_properties_hold_the_counts(layers):
    fc = _strict_json(to_geojson(layers))
    by_key = {(f["properties"]["layer"], f["id"]): f["properties"] for f in fc["features"]}
    for name, gdf in layers.items():
        for r in gdf.itertuples():
            props = by_key[(name, r.place_id)]
            assert (props["mentions"], props["articles"], props["in_org_mentions"]) == (
                r.mentions,
                r.articles,
                r.in_org_mentions,
            )
    xs = by_key[("county", "330109")]
    assert xs["metric_gdp"] == 2150.0 and xs["metric_gdp_period"] == "2024年"
    assert "metric_gdp" not in by_key[("county", "330110")]  # metrics only where reported
    assert by_key[("points", "330109")]["township"] is None  # NaN/None → null


def test_csv_opens_in_excel_and_round_trips(layers, atlas_synthetic):
    data = to_csv(layers["county"])
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"place_id": str})
    assert "geometry" not in back and {"lon", "lat"} <= set(back.columns)
    assert (
        back.set_index("place_id")["mentions"].to_dict()
        == layers["county"].set_index("place_id")["mentions"].to_dict()
    )
    mentions = pd.read_csv(io.BytesIO(to_csv(atlas_synthetic.mentions)), encoding="utf-8-sig")
    assert list(mentions["name"])[:2] == ["萧山区", "河上镇"]


def test_geoparquet_round_trips_and_is_deterministic(layers):
    data = to_geoparquet(layers["points"])
    assert data == to_geoparquet(layers["points"])
    back = gpd.read_parquet(io.BytesIO(data))
    assert back.crs.to_epsg() == 4326
    assert back.geometry.geom_equals(layers["points"].geometry).all()
    assert list(back["place_id"]) == list(layers["points"]["place_id"])


def test_export_layers_formats_and_errors(gazetteer, atlas_synthetic):
    both_csv = pd.read_csv(
        io.BytesIO(export_layers(atlas_synthetic, gazetteer, "both", "csv")),
        encoding="utf-8-sig",
        dtype={"place_id": str},
    )
    assert set(both_csv["layer"]) == {"county", "points"}
    metrics = pd.read_parquet(io.BytesIO(export_layers(atlas_synthetic, gazetteer, "metrics", "parquet")))
    assert len(metrics) == len(atlas_synthetic.metrics)
    with pytest.raises(ExportError, match="csv or parquet"):
        export_layers(atlas_synthetic, gazetteer, "mentions", "geojson")
    with pytest.raises(ExportError, match="unknown layer"):
        export_layers(atlas_synthetic, gazetteer, "towns", "csv")
    with pytest.raises(ExportError, match="unknown format"):
        export_layers(atlas_synthetic, gazetteer, "county", "shp")


# ---------------------------------------------------------------- the seeds, end to end


@pytest.mark.slow
def test_cli_export_of_the_seeds(tmp_path, seeds_extraction, gazetteer, settings):
    """The issue's "done when": the county and point features a reader of the seeds expects."""
    from geo.cli import main
    from geo.settings import SEEDS_DIR

    out = tmp_path / "atlas.geojson"
    assert main(["export", str(SEEDS_DIR), "--layer", "both", "--format", "geojson", "--out", str(out)]) == 0
    data = out.read_bytes()
    # the download buttons call the same function: byte-identical
    assert data == export_layers(
        seeds_extraction, gazetteer, "both", "geojson", home_province=settings.home_province
    )
    fc = _strict_json(data)
    county = {f["properties"]["name"]: f for f in fc["features"] if f["properties"]["layer"] == "county"}
    for name in ("萧山区", "临安区", "南湖区", "黄岩区"):
        assert county[name]["properties"]["mentions"] > 0, name
        assert county[name]["properties"]["articles"] > 0, name
    points = {f["properties"]["name"]: f for f in fc["features"] if f["properties"]["layer"] == "points"}
    polygons = {f["id"]: shape(f["geometry"]) for f in county.values()}
    for name, county_name in (("河上镇", "萧山区"), ("湘家荡区域", "南湖区"), ("青山湖科技城", "临安区")):
        p = points[name]
        assert p["properties"]["county_id"] == county[county_name]["id"]
        assert polygons[county[county_name]["id"]].contains(shape(p["geometry"])), name


@pytest.mark.slow
@pytest.mark.parametrize(
    "layer,fmt", [("county", "csv"), ("mentions", "csv"), ("metrics", "csv"), ("points", "parquet")]
)
def test_cli_bytes_equal_library_bytes(tmp_path, seeds_extraction, gazetteer, settings, layer, fmt):
    from geo.cli import main
    from geo.settings import SEEDS_DIR

    out = tmp_path / f"x.{fmt}"
    assert main(["export", str(SEEDS_DIR), "--layer", layer, "--format", fmt, "--out", str(out)]) == 0
    assert out.read_bytes() == export_layers(
        seeds_extraction, gazetteer, layer, fmt, home_province=settings.home_province
    )


# ---------------------------------------------------------------- CSV injection (OWASP)


def _csv_rows(data: bytes) -> list[dict]:
    import csv

    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_text_cells_that_a_spreadsheet_would_run_are_neutralised():
    frame = pd.DataFrame(
        {
            "title": ["=1+1", "+86 571", "-下降", "@SUM(A1)", "\tTAB", "\rCR", "普通标题", None],
            "file": pd.Categorical(["=cmd|' /C calc'!A0"] * 4 + ["a.txt"] * 4),
            "yoy_pct": [-3.5, 2.0, -0.25, None, 1.0, -7.0, 0.0, 5.0],
            "start": [-1, 0, 1, 2, 3, 4, 5, 6],
        }
    )
    rows = _csv_rows(to_csv(frame))
    assert [r["title"] for r in rows] == [
        "'=1+1", "'+86 571", "'-下降", "'@SUM(A1)", "'\tTAB", "'\rCR", "普通标题", "",
    ]  # fmt: skip
    assert {r["file"] for r in rows} == {"'=cmd|' /C calc'!A0", "a.txt"}
    # numbers stay numbers: a spreadsheet must still be able to sum them
    assert [r["yoy_pct"] for r in rows][:3] == ["-3.5", "2.0", "-0.25"] and rows[0]["start"] == "-1"
    assert frame.loc[0, "title"] == "=1+1"  # the caller's table is untouched


def test_cli_csv_of_a_file_named_like_a_formula(tmp_path):
    from geo.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "=1+1.txt").write_text(
        '萧山区经济稳步增长\n\n=HYPERLINK("http://evil.example/x","萧山区")'
        "萧山区2024年实现地区生产总值2150亿元，同比下降3.5%。\n",
        encoding="utf-8",
    )
    for layer in ("mentions", "metrics"):
        out = tmp_path / f"{layer}.csv"
        assert main(["export", str(corpus), "--layer", layer, "--format", "csv", "--out", str(out)]) == 0
        rows = _csv_rows(out.read_bytes())
        assert rows and {r["file"] for r in rows} == {"'=1+1.txt"}, layer
    metric = rows[0]
    assert metric["evidence"].startswith("'=HYPERLINK(")
    assert metric["yoy_pct"] == "-3.5" and metric["value"] == "2150.0"
