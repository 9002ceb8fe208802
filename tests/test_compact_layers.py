"""The app's compact map layers (geo.mapview.compact) rebuild exactly the features, styles and
tooltips that folium's layers (point_group, county_group: the standalone HTML export) carry.

The decoding below mirrors the JavaScript of ``CompactLayer``; the browser tests (tests/e2e)
check the drawn map itself."""

from __future__ import annotations

import json
import math

import folium
import pytest

from geo import mapview
from geo.layers import county_layer, point_layer
from geo.mapview.loader import CompactLayer

MEASURES = ("mentions", "articles", "metric:gdp@2024年", "metric:gdp")


@pytest.fixture(scope="module")
def layers(gazetteer, atlas_synthetic):
    x = atlas_synthetic
    counties = county_layer(gazetteer, x.mentions, x.articles, x.metrics, home_province="浙江省")
    points = point_layer(gazetteer, x.mentions, x.metrics)
    points.loc[points["place_id"] == x.ids["heshang"], "name"] = "</script><b>河上镇</b>"
    return counties, points


def _walk(el):
    yield el
    for child in el._children.values():
        yield from _walk(child)


def _folium_features(group) -> list[tuple[dict, dict]]:
    """(feature, style) of the group's folium GeoJson, in its order."""
    geojson = next(el for el in _walk(group) if isinstance(el, folium.GeoJson))
    return [(f, geojson.style_function(f)) for f in geojson.data["features"]]


def _coords(ring: list[int], scale: float) -> list[list[float]]:
    out, x, y = [], 0, 0
    for j in range(0, len(ring), 2):
        x += ring[j]
        y += ring[j + 1]
        out.append([x / scale, y / scale])
    return out


def _decode(layer: mapview.LayerData) -> list[tuple[dict, dict]]:
    """The features and styles the browser rebuilds from ``layer.data`` (as CompactLayer's JS)."""
    d = json.loads(layer.data)
    feats, x, y = [], 0, 0
    for i in range(d["n"]):
        props: dict = {}
        for col in d["cols"]:
            if "v" in col:
                v = col["v"][i]
            elif "tail" in col:
                k = col["i"][i]
                v = col["d"][k] + props[col["tail"]] if k >= 0 else col["d"][-k - 1]
            else:
                v = col["d"][col["i"][i]]
            if v is None and col["k"].startswith("metric_"):
                continue
            props[col["k"]] = v
        if "xy" in d:
            x += d["xy"][2 * i]
            y += d["xy"][2 * i + 1]
            geom = {"type": "Point", "coordinates": [x / d["scale"], y / d["scale"]]}
        else:
            kind, rings = d["geoms"][i]
            if kind == 0:
                geom = {"type": "Polygon", "coordinates": [_coords(r, d["scale"]) for r in rings]}
            else:
                geom = {
                    "type": "MultiPolygon",
                    "coordinates": [[_coords(r, d["scale"]) for r in p] for p in rings],
                }
        feature = {"type": "Feature", "geometry": geom, "properties": props}
        if props.get("place_id") is not None:
            feature["id"] = str(props["place_id"])
        feats.append((feature, d["styles"][d["style"][i]]))
    return feats


def _close(a, b) -> bool:
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return math.isclose(a, b, abs_tol=1e-9)


@pytest.mark.parametrize("measure", MEASURES)
def test_compact_points_are_the_folium_points(layers, measure):
    _, points = layers
    want = _folium_features(mapview.point_group(points, measure))
    layer = mapview.point_data(points, measure)
    got = _decode(layer)
    assert len(got) == len(want) == len(points)
    for (f, style), (g, gstyle) in zip(want, got):
        assert g["id"] == f["id"] and g["properties"] == f["properties"]
        assert _close(g["geometry"]["coordinates"], f["geometry"]["coordinates"])
        assert gstyle == style
    assert layer.place_ids == set(points["place_id"].astype(str))
    geojson = next(el for el in _walk(mapview.point_group(points, measure)) if isinstance(el, folium.GeoJson))
    base = json.loads(layer.data)["base"]
    assert base == geojson.marker.options  # the same circle as folium's layer
    assert base["bubblingMouseEvents"] is False  # a click on a place does not close its spread pile


@pytest.mark.parametrize("measure", MEASURES)
def test_compact_counties_are_the_folium_counties(layers, measure):
    counties, _ = layers
    want = _folium_features(mapview.county_group(counties, measure, label="x", decimals=4))
    got = _decode(mapview.county_data(counties, measure, label="x", decimals=4))
    assert len(got) == len(want) == len(counties)
    for (f, style), (g, gstyle) in zip(want, got):
        assert g["id"] == f["id"] and g["properties"] == f["properties"]
        assert g["geometry"]["type"] == f["geometry"]["type"]
        assert _close(g["geometry"]["coordinates"], json.loads(json.dumps(f["geometry"]["coordinates"])))
        assert gstyle == style


def test_compact_groups_keep_the_legends_clusters_and_tooltips(layers):
    counties, points = layers
    for folium_group, compact in (
        (
            mapview.county_group(counties, "mentions", label="提及次数"),
            mapview.county_data(counties, "mentions", label="提及次数"),
        ),
        (mapview.point_group(points, "metric:gdp@2024年"), mapview.point_data(points, "metric:gdp@2024年")),
    ):
        group = mapview.layer_group(compact)
        legends = [el.html for el in _walk(group) if el._name == "AtlasLegend"]
        assert legends == [el.html for el in _walk(folium_group) if el._name == "AtlasLegend"]
        geojson = next(el for el in _walk(folium_group) if isinstance(el, folium.GeoJson))
        assert compact.on_each == str(geojson.on_each_feature)  # the same tooltip and click
        kinds = [type(el).__name__ for el in _walk(group)]
        assert kinds.count("CompactLayer") == 1
        if compact.kind == "points":
            cluster = next(el for el in _walk(group) if isinstance(el, folium.plugins.MarkerCluster))
            ref = next(el for el in _walk(folium_group) if isinstance(el, folium.plugins.MarkerCluster))
            assert cluster.options == ref.options and "ClusterBehaviour" in kinds


def test_compact_data_stays_data_in_the_page(layers):
    """A name that looks like markup cannot end the script it travels in."""
    _, points = layers
    layer = mapview.point_data(points)
    assert "</script>" not in layer.data and "<\\/script>" in layer.data
    m = mapview.base_map()
    m.add_child(CompactLayer(layer))
    page = m.get_root().render()
    assert "</script><b>" not in page


def test_the_app_payload_is_small_and_the_same_at_every_rerun(layers):
    """What streamlit-folium sends for the layers: compact, and identical from one rerun to the
    next (so the browser redraws nothing after a click)."""
    from streamlit_folium import _get_feature_group_string

    counties, points = layers

    def sent(layer):
        return _get_feature_group_string(mapview.layer_group(layer), mapview.base_map(), idx=0)

    for compact, group in (
        (mapview.point_data(points), mapview.point_group(points)),
        (mapview.county_data(counties, decimals=4), mapview.county_group(counties, decimals=4)),
    ):
        assert sent(compact) == sent(compact)
        geojson = next(el for el in _walk(group) if isinstance(el, folium.GeoJson))
        assert len(compact.data) < len(json.dumps(geojson.data))  # what grows with the places


def test_a_published_layer_is_fetched_not_inlined(layers):
    """With a URL (the app publishes each layer as a static file) the page carries the URL only."""
    import dataclasses

    _, points = layers
    layer = dataclasses.replace(mapview.point_data(points), url="/app/static/atlas-data/x.json")
    m = mapview.base_map()
    m.add_child(CompactLayer(layer))
    page = m.get_root().render()
    assert "\"/app/static/atlas-data/x.json\"" in page and "window.atlasPending" in page
    assert json.loads(layer.data)["cols"][1]["v"][0] not in page  # no place name inline


def test_the_home_counties_come_first_and_the_others_follow_unchanged(layers):
    """The county layer split for drawing (the home province first): the same features, styles
    and legend as one layer, the home province's in the first part, each county once."""
    import dataclasses

    counties, _ = layers
    home = set(counties.loc[counties["province"] == "浙江省", "place_id"].astype(str))
    whole = mapview.county_data(counties, "mentions", label="x")
    split = mapview.county_data(counties, "mentions", label="x", first=home)
    assert home and len(split.parts) == 1 and split.legend == whole.legend
    first = _decode(split)
    rest = _decode(dataclasses.replace(split, data=split.parts[0]))
    assert {f["id"] for f, _ in first} == home
    assert not home & {f["id"] for f, _ in rest}
    assert sorted(first + rest, key=lambda fs: fs[0]["id"]) == sorted(
        _decode(whole), key=lambda fs: fs[0]["id"]
    )
    published = dataclasses.replace(split, url="/a/1.json", part_urls=("/a/2.json",))
    m = mapview.base_map()
    m.add_child(CompactLayer(published))
    page = m.get_root().render()
    assert '["/a/1.json", "/a/2.json"]' in page and split.parts[0] not in page
