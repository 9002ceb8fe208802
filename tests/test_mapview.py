"""The map: offline (no URL outside the machine), escaped, styled so users can read precision."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import folium
import folium.plugins
import pytest

from geo import mapview
from geo.assets import AssetsError, assets_ready
from geo.layers import county_layer, point_layer
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
    assert links and all(u.startswith("/app/static/vendor/") for u in links)
    assert any(u.endswith("leaflet.markercluster.js") for u in links)  # plugins declared up front
    for u in links:
        assert (ASSETS_DIR / u.removeprefix("/app/static/vendor/")).is_file(), u
    # and nothing in the tree makes streamlit-folium fetch d3 from a CDN (branca colormaps)
    import branca.colormap

    group = mapview.county_group(layers[0])
    assert not any(isinstance(el, branca.colormap.ColorMap) for el in _walk(group))


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
    legend = next(el for el in _walk(group) if el._name == "AtlasLegend")
    assert "地区生产总值（2024年）" in legend.html and "无数据" in legend.html


def test_fallback_points_look_different_from_exact_ones():
    exact = mapview.point_style("zone", "exact", 3)
    fallback = mapview.point_style("village", "county", 3)
    own_county = mapview.point_style("county", "county", 3)
    assert exact["fillOpacity"] > 0 and "dashArray" not in exact
    assert fallback["fillOpacity"] == 0 and fallback["dashArray"]
    assert "dashArray" not in own_county  # a county at its own point is not a fallback
    assert mapview.point_style("township", "exact", 30)["radius"] > exact["radius"]


def test_many_points_are_clustered(layers):
    _, points = layers
    assert not any(
        isinstance(el, folium.plugins.MarkerCluster)
        for el in _walk(mapview.point_group(points, cluster_threshold=100))
    )
    clustered = mapview.point_group(points, cluster_threshold=2, asset_base="/x")
    cluster = next(el for el in _walk(clustered) if isinstance(el, folium.plugins.MarkerCluster))
    assert all(u.startswith("/x/") for _, u in cluster.default_js + cluster.default_css)


def test_tiles_are_off_by_default_and_opt_in(layers):
    assert not any(isinstance(el, folium.TileLayer) for el in _walk(mapview.base_map(Settings())))
    tiled = mapview.base_map(
        Settings(tiles="https://tiles.example/{z}/{x}/{y}.png", tiles_attribution="© Example")
    )
    layer = next(el for el in _walk(tiled) if isinstance(el, folium.TileLayer))
    assert layer.options["attribution"] == "© Example"


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
def test_standalone_map_works_offline_in_chromium(tmp_path, layers, browser):
    counties, points = layers
    html_file = tmp_path / "map.html"
    html_file.write_text(mapview.map_html(mapview.build_map(counties, points)), encoding="utf-8")
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
        assert page.locator("path.leaflet-interactive").count() == len(counties) + len(points)
        assert page.locator(".atlas-legend").count() == 2
        # hover the XSS-named marker: its name shows as text, nothing runs
        xy = page.evaluate(
            """(name) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            let box = null;
            map.eachLayer(l => { if (l.feature && l.feature.properties.name === name && l._path)
                                     box = l._path.getBoundingClientRect(); });
            return [box.left + box.width / 2, box.top + box.height / 2];
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
