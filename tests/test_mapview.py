"""The map: offline (no URL outside the machine), escaped, styled so users can read precision."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import folium
import folium.plugins
import pytest

from geo import mapview
from geo.assets import AssetsError, assets_ready
from geo.layers import LATEST_PERIOD, county_layer, point_layer
from geo.settings import ASSETS_DIR, Settings

pytestmark = pytest.mark.skipif(not assets_ready(), reason="run `python -m geo assets` first")

XSS = "<script>alert('xss')</script>"
EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE
)


@pytest.fixture(scope="module")
def layers(gazetteer, atlas_synthetic):
    x = atlas_synthetic
    counties = county_layer(gazetteer, x.mentions, x.articles, x.metrics, home_province="浙江省")
    points = point_layer(gazetteer, x.mentions, x.metrics)
    points.loc[points["place_id"] == x.ids["heshang"], "name"] = XSS
    return counties, points


def _external_urls(page: str) -> list[str]:
    return [
        u
        for u in EXTERNAL.findall(page)
        if urlparse(u).scheme in ("http", "https", "")
        and urlparse(u).netloc
        and urlparse(u).hostname not in ("localhost", "127.0.0.1")
    ]


def test_standalone_html_references_no_external_url(layers):
    page = mapview.map_html(mapview.build_map(*layers, "mentions", Settings()))
    assert _external_urls(page) == []
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", page)  # everything inlined
    for cdn in ("cdn.jsdelivr", "cdnjs", "unpkg", "code.jquery.com", "bootstrapcdn", "d3js.org"):
        assert cdn not in page
    assert '"1.9.4"' in page  # Leaflet is inside
    assert "url(images/" not in page  # CSS images inlined
    assert len(page.encode()) < 1_500_000


def test_app_map_links_only_the_local_vendor_folder(layers):
    """What streamlit-folium loads: every default_js/default_css on the base map's tree."""
    m = mapview.base_map(Settings(), asset_base="/app/static/vendor")
    links = []
    for el in _walk(m):
        links += [u for _, u in getattr(el, "default_js", [])]
        links += [u for _, u in getattr(el, "default_css", [])]
    # the flat-markers switch (an inline data: script, no request) comes before Leaflet's file
    assert links[0] == mapview.base.FLAT_MARKERS_JS and links[1].endswith("/leaflet/leaflet.js")
    links = links[1:]
    assert links and all(u.startswith("/app/static/vendor/") for u in links)
    assert any(u.endswith("leaflet.markercluster.js") for u in links)  # plugins declared up front
    for u in links:
        assert (ASSETS_DIR / u.removeprefix("/app/static/vendor/")).is_file(), u
    # and nothing in the tree makes streamlit-folium fetch d3 from a CDN (branca colormaps)
    import branca.colormap

    group = mapview.county_group(layers[0])
    assert not any(isinstance(el, branca.colormap.ColorMap) for el in _walk(group))


def test_markers_are_placed_flat_in_the_standalone_map_too():
    """L_DISABLE_3D is set before Leaflet's code runs (Leaflet reads it once, when it loads), so
    thousands of names and cluster icons are not each a compositing layer of their own."""
    page = mapview.map_html(mapview.base_map(Settings()))
    flag, leaflet = page.find("window.L_DISABLE_3D=true;"), page.find("Leaflet 1.")
    assert 0 < flag < leaflet


def _walk(el):
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from _walk(child)


def test_an_unknown_plugin_is_refused_rather_than_loaded_from_a_cdn():
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(AssetsError, match="no local copy"):
        mapview.localize(m)


def test_names_are_escaped_in_tooltips_and_legends(layers):
    page = mapview.map_html(mapview.build_map(*layers, "mentions"))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "textContent" in page and "innerHTML = p[" not in page
    legend = mapview.legend_html("<b>GDP</b>", [(1, 2)], ["#fff"])
    assert "<b>GDP</b>" not in legend and "&lt;b&gt;GDP&lt;/b&gt;" in legend


def test_choropleth_colours_follow_the_measure(layers, atlas_synthetic):
    counties, _ = layers
    group = mapview.county_group(counties, "mentions")
    geojson = next(el for el in _walk(group) if isinstance(el, folium.GeoJson))
    fill = {f["id"]: geojson.style_function(f)["fillColor"] for f in geojson.data["features"]}
    ids = atlas_synthetic.ids
    order = list(mapview.PALETTE)
    assert order.index(fill[ids["xs"]]) > order.index(fill[ids["nanhu"]]) > order.index(fill["330112"])
    assert fill["330110"] == mapview.NO_DATA  # 余杭区: not mentioned
    props = next(f["properties"] for f in geojson.data["features"] if f["id"] == ids["xs"])
    assert props["place_id"] == ids["xs"] and props["value"] == 7


def test_metric_measure_uses_its_period_and_unit(layers, atlas_synthetic):
    counties, _ = layers
    xs = atlas_synthetic.ids["xs"]
    now = mapview.measure_values(counties, "metric:gdp@2024年")
    old = mapview.measure_values(counties, "metric:gdp@2023年")
    i = list(counties["place_id"]).index(xs)
    assert now[i] == 2150.0 and old[i] != old[i]  # 2023 is not the latest
    group = mapview.county_group(counties, "metric:gdp@2024年")
    geojson = next(el for el in _walk(group) if isinstance(el, folium.GeoJson))
    props = next(f["properties"] for f in geojson.data["features"] if f["id"] == xs)
    assert props["value_text"] == "2,150 亿元"
    assert props["period_text"] == "2024年"
    legend = next(el for el in _walk(group) if el._name == "AtlasLegend")
    assert "<summary>地区生产总值</summary>" in legend.html and "无数据" in legend.html
    assert "时期：2024年" in legend.html
    drawn = len(counties)
    assert f"有数据：1 / {drawn} 个区县" in legend.html  # only 萧山区 reports a 2024 GDP


def test_fallback_points_look_different_from_exact_ones():
    exact = mapview.point_style("zone", "exact", 3)
    fallback = mapview.point_style("village", "county", 3)
    own_county = mapview.point_style("county", "county", 3)
    assert exact["fillOpacity"] > 0 and "dashArray" not in exact
    assert fallback["fillOpacity"] == 0 and fallback["dashArray"]
    assert "dashArray" not in own_county  # a county at its own point is not a fallback
    assert mapview.point_style("township", "exact", 30)["radius"] > exact["radius"]


def test_points_are_clustered_at_every_size(layers):
    """Even two places get a cluster group: piles of places on one point must spread on click."""
    _, points = layers
    for few in (points.head(2), points):
        group = mapview.point_group(few, asset_base="/x")
        cluster = next(el for el in _walk(group) if isinstance(el, folium.plugins.MarkerCluster))
        assert all(u.startswith("/x/") for _, u in cluster.default_js + cluster.default_css)
        assert cluster.options["spiderfyOnMaxZoom"] is True
        assert cluster.options["spiderLegPolylineOptions"]["interactive"] is False
        assert any(el._name == "ClusterBehaviour" for el in _walk(cluster))
    page = mapview.map_html(mapview.build_map(*layers), inline=False)
    assert "L.MarkerCluster.prototype.fire" in page  # cluster clicks never reach the app
    assert "window.atlasPoints" in page


def _point_styles(group) -> dict:
    geojson = next(el for el in _walk(group) if isinstance(el, folium.GeoJson))
    return {f["id"]: (geojson.style_function(f), f["properties"]) for f in geojson.data["features"]}


def test_metric_measure_draws_graduated_circles_for_points(layers, atlas_synthetic):
    _, points = layers
    ids = atlas_synthetic.ids
    group = mapview.point_group(points, "metric:gdp@2024年")
    styles = _point_styles(group)
    xs, heshang = styles[ids["xs"]], styles[ids["heshang"]]  # 2,150 and 80 (亿元, 2024年)
    assert xs[0]["radius"] == mapview.metric_radius(2150, 2150) == 22.0
    assert 5.0 < heshang[0]["radius"] < xs[0]["radius"]
    assert heshang[1]["metric_text"] == "80 亿元" and heshang[1]["period_text"] == "2024年"
    without = styles[ids["xjd"]]  # reports no GDP: small, grey, still there to click
    assert without[0]["radius"] < heshang[0]["radius"] and "metric_text" not in without[1]
    assert all(style["pane"] == "atlas-points" for style, _ in styles.values())
    legend = next(el for el in _walk(group) if el._name == "AtlasLegend")
    assert f"有数据：2 / {len(points)} 个地点" in legend.html and "时期：2024年" in legend.html
    assert legend.html.count("<b style=") == 2  # reference circles: the largest, the smallest
    # the data are drawn small over big, so no marker hides under a bigger one
    radii = [
        styles[f["id"]][0]["radius"]
        for f in next(el for el in _walk(group) if isinstance(el, folium.GeoJson)).data["features"]
    ]
    assert radii == sorted(radii, reverse=True)


def test_counts_say_what_they_count(layers):
    counties, points = layers
    county = mapview.county_group(counties, "mentions", label="提及次数")
    legend = next(el for el in _walk(county) if el._name == "AtlasLegend")
    assert "<summary>提及（含辖区内地点）</summary>" in legend.html
    assert "提及（含辖区内地点）" in _tooltip_spec(county) and "提及（本身）" not in _tooltip_spec(county)
    marker = mapview.point_group(points)
    assert "提及（本身）" in _tooltip_spec(marker) and "含辖区内地点" not in _tooltip_spec(marker)


def _tooltip_spec(group) -> str:
    """The tooltip rows a group's features show (the JSON spec inside its onEachFeature)."""
    geojson = next(el for el in _walk(group) if isinstance(el, folium.GeoJson))
    spec = json.loads(re.search(r"var spec = (\{.*?\});", str(geojson.on_each_feature)).group(1))
    return " | ".join(label for _, label in spec["rows"])


def test_tiles_are_off_by_default_and_opt_in(layers):
    assert not any(isinstance(el, folium.TileLayer) for el in _walk(mapview.base_map(Settings())))
    tiled = mapview.base_map(
        Settings(tiles="https://tiles.example/{z}/{x}/{y}.png", tiles_attribution="© Example")
    )
    layer = next(el for el in _walk(tiled) if isinstance(el, folium.TileLayer))
    assert layer.options["attribution"] == "© Example"
    # with tiles the grey neighbouring provinces step aside (their borders and names stay)
    assert 'addClass(box, "atlas-tiled")' in tiled.get_root().render()
    assert 'addClass(box, "atlas-tiled")' not in mapview.base_map(Settings()).get_root().render()


def test_bins_and_legend_for_counts():
    edges = mapview.bin_edges([1, 2, 2, 3, float("nan")])
    assert edges == [1.0, 2.0, 3.0]
    assert list(mapview.classify([1, 2, 3, float("nan")], edges)) == [0, 1, 2, -1]
    many = mapview.bin_edges(range(1, 101))
    assert len(many) == len(mapview.PALETTE) and many[-1] == 100
    legend = mapview.legend_html("提及次数", mapview.legend_bins([2.0, 5.0]), ["#a", "#b"], counts=True)
    assert "2 – 5" not in legend and "3 – 5" in legend


# ---------------------------------------------------------------- the seeds, in Chromium


@pytest.mark.slow
def test_seeds_map_payload(seeds_extraction, gazetteer, settings):
    from geo.export import export_layers

    page = export_layers(seeds_extraction, gazetteer, "both", "html", settings=settings)
    print(f"\nseeds map HTML: {len(page):,} bytes")
    assert len(page) < 1_500_000
    assert _external_urls(page.decode()) == []


@pytest.mark.browser
def test_standalone_map_works_offline_in_chromium(tmp_path, layers, browser, gazetteer):
    counties, points = layers
    html_file = tmp_path / "map.html"
    html_file.write_text(
        mapview.map_html(mapview.build_map(counties, points, gaz=gazetteer)), encoding="utf-8"
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        errors, remote, dialogs = [], [], []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def offline(route):
            if route.request.url.startswith(("file:", "data:")):
                return route.continue_()
            remote.append(route.request.url)
            return route.abort()

        page.route("**/*", offline)
        page.goto(html_file.as_uri())
        page.wait_for_selector("path.leaflet-interactive")
        drawn = page.evaluate("""() => { const map = Object.values(window).find(v => v instanceof L.Map);
            let polygons = 0; map.eachLayer(l => { if (l.feature && l._path && l.feature.properties.place_id &&
                /Polygon/.test(l.feature.geometry.type)) polygons++; });
            return [polygons, window.atlasPoints.group.getLayers().length]; }""")
        assert drawn == [len(counties), len(points)]  # every place, shown or in a cluster
        assert page.locator(".atlas-legend").count() == 2
        # hover the XSS-named marker (brought out of its cluster): its name shows as text, nothing runs
        xy = page.evaluate(
            """async (name) => {
            const map = Object.values(window).find(v => v instanceof L.Map), g = window.atlasPoints.group;
            const m = g.getLayers().find(l => l.feature.properties.name === name);
            // the map's opening fitBounds may still be animating and fold the marker back into
            // its cluster: bring it out again until it stands still, on top, in the DOM. Each wait
            // is bounded: zoomToShowLayer never calls back when there is nothing to move.
            const sleep = ms => new Promise(done => setTimeout(done, ms));
            for (let attempt = 0; attempt < 5; attempt++) {
                if (!(map.hasLayer(m) && m._path && m._path.isConnected)) {
                    await Promise.race([new Promise(done => g.zoomToShowLayer(m, done)), sleep(3000)]);
                } else if (attempt > 0) {  // shown but covered (a legend, a neighbour): centre it
                    map.setView(m.getLatLng(), map.getZoom(), {animate: false});
                }
                let last = null;
                for (let i = 0; i < 20; i++) {
                    await sleep(100);
                    if (!m._path || !m._path.isConnected) break;
                    const box = m._path.getBoundingClientRect();
                    const xy = [box.left + box.width / 2, box.top + box.height / 2];
                    const still = last && last[0] === xy[0] && last[1] === xy[1];
                    if (still && document.elementFromPoint(xy[0], xy[1]) === m._path) return xy;
                    last = xy;
                }
            }
            throw new Error("the marker never stood still on top at zoom " + map.getZoom());
        }""",
            XSS,
        )
        page.mouse.move(*xy)
        page.wait_for_selector(".leaflet-tooltip")
        assert XSS in page.locator(".leaflet-tooltip").inner_text()
    finally:
        context.close()
    assert errors == [] and remote == [] and dialogs == []


def test_legend_first_class_starts_at_the_smallest_value(layers):
    counties, _ = layers
    many = counties.assign(mentions=range(len(counties)))  # 0 … 90: quantile classes
    group = mapview.county_group(many, "mentions")
    legend = next(el for el in _walk(group) if el._name == "AtlasLegend")
    assert "<div><i style=\"background:#ffffb2\"></i>1 – " in legend.html


def test_assets_install_is_idempotent_and_records_versions(monkeypatch):
    from geo import assets

    def no_network(*a, **k):
        raise AssertionError("npm must not run when the assets are installed")

    monkeypatch.setattr(assets, "_npm_pack", no_network)
    versions = assets.install_assets()
    assert {p.name: p.version for p in assets.PACKAGES} == {k: v["version"] for k, v in versions.items()}
    assert all(v["integrity"].startswith("sha512-") for v in versions.values())


def test_map_html_refuses_to_inline_a_foreign_link():
    from branca.element import JavascriptLink

    m = mapview.base_map(Settings())
    m.get_root().header.add_child(JavascriptLink("https://cdn.example.com/x.js"), name="x")
    with pytest.raises(AssetsError, match="not a local asset"):
        mapview.map_html(m)


# ---------------------------------------------------------------- overlays: selection, borders, names


def test_selection_outlines_a_county_and_rings_its_point(layers, atlas_synthetic):
    counties, points = layers
    ids = atlas_synthetic.ids
    both = mapview.selection_spec(ids["xs"], counties, points)  # 萧山区: polygon and own point
    assert both["outline"]["type"] in ("Polygon", "MultiPolygon") and both["point"]
    town = mapview.selection_spec(ids["heshang"], counties, points)
    assert town["outline"] is None
    lat, lon = points.loc[points["place_id"] == ids["heshang"], ["lat", "lon"]].iloc[0]
    assert town["point"] == [round(lat, 6), round(lon, 6)]
    assert mapview.selection_spec(None, counties, points) == {
        "place_id": None,
        "outline": None,
        "point": None,
    }
    assert mapview.selection_spec("no-such-place", counties, points)["point"] is None


def test_a_click_changes_no_group_the_map_is_sent(layers, atlas_synthetic, gazetteer):
    """The selection is marked in the browser (from ?place= and clicks): the group the app sends
    is the same for every place the map draws, so streamlit-folium re-sends no layers."""
    counties, points = layers
    ids = atlas_synthetic.ids

    from streamlit_folium import _get_feature_group_string  # what st_folium sends

    def js(pid):
        group = mapview.selection_group(pid, counties, points, gazetteer, "浙江省")
        return _get_feature_group_string(group, mapview.base_map(Settings()), idx=4)

    assert js(ids["xs"]) == js(ids["heshang"]) == js(ids["xjd"]) == js(None)
    city = js("3301")  # 杭州市: not drawn as a place, so its outline comes along
    assert city != js(None) and '"3301": {"outline": {"type"' in city
    base = mapview.base_map(Settings()).get_root().render()
    assert (
        "window.atlasSelect = function" in base and "URLSearchParams(window.parent.location.search)" in base
    )
    assert 'pane: "atlas-selection", interactive: false' in base


def test_selection_shapes_stay_data():
    from geo.mapview.selection import _Shapes

    hostile = "</script><script>alert(1)</script>"
    m = mapview.base_map(Settings())
    m.add_child(_Shapes({hostile: {"outline": None, "point": [30.0, 120.0]}}))
    page = m.get_root().render()
    assert "</script><script>alert(1)" not in page and "<\\/script>" in page


def test_base_map_has_panes_a_metric_scale_and_no_focus_box():
    page = mapview.base_map(Settings()).get_root().render()
    for pane, z in mapview.PANES.items():
        assert f'"{pane}": {z}' in page
    assert "L.control.scale({imperial: false" in page and '"maxZoom": 18' in page
    assert ".leaflet-interactive:focus" in page and "outline:none" in page
    assert "atlas-quiet" in page  # tooltips hidden after a click until the mouse moves on
    assert "_setPosition" in page  # tooltips kept inside the map


def test_borders_and_names_come_from_the_gazetteer(gazetteer, layers):
    counties, _ = layers
    rows = mapview.label_rows(gazetteer, "浙江省", counties)
    kinds = {}
    for name, kind, lat, lon in rows:
        kinds.setdefault(kind, set()).add(name)
        assert 20 < lat < 40 and 110 < lon < 125
    assert {"杭州市", "丽水市", "衢州市"} <= kinds["city"] and len(kinds["city"]) == 11
    assert {"萧山区", "南湖区", "浦东新区"} <= kinds["county"]  # every county drawn gets its name
    assert {"江苏省", "安徽省", "江西省", "福建省", "上海市"} == kinds["province"]
    assert kinds["home"] == {"浙江省"}
    group = mapview.boundary_group(gazetteer, "浙江省")
    kinds_drawn = [
        f["properties"]["kind"]
        for el in _walk(group)
        if isinstance(el, folium.GeoJson)
        for f in el.data["features"]
    ]
    assert sorted(set(kinds_drawn)) == ["city", "province"]
    geojsons = [el for el in _walk(group) if isinstance(el, folium.GeoJson)]
    assert {g.options["pane"] for g in geojsons} == {"atlas-context", "atlas-boundaries"}
    assert all(g.options["interactive"] is False for g in geojsons)


def test_standalone_map_with_borders_stays_small(layers, gazetteer):
    page = mapview.map_html(mapview.build_map(*layers, gaz=gazetteer))
    assert _external_urls(page) == []
    assert "atlas-label-city" in page and "atlas-context" in page
    assert len(page.encode()) < 1_500_000


def test_the_legend_says_which_period_a_metric_shows():
    assert mapview.period_note("metric:gdp@2024-Q1") == "时期：2024年一季度"
    assert mapview.period_note("metric:fiscal_revenue@H1") == "时期：上半年（年份不明）"
    assert mapview.period_note("metric:area@") == "时期：年份不明"
    assert mapview.period_note("metric:gdp") == "时期：各地最新值（见提示）"  # each place its latest
    # the app's measure for "each place's latest" says so, never the raw token (it read "latest（年份不明）")
    assert mapview.period_note(f"metric:gdp@{LATEST_PERIOD}") == "时期：各地最新值（见提示）"
