"""End to end in real Chromium, offline: the app as a user sees it on the seeds.

Every request to a non-local host is aborted (and recorded), so these tests prove the page,
the map and the downloads work with no internet.
"""

from __future__ import annotations

import json
import subprocess
import sys

import harness
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ARTIFACTS = harness.PROJECT_DIR / "test-artifacts"

pytestmark = pytest.mark.browser

XIAOSHAN_ARTICLE = "萧山:整合资源 推进产业社区治理新模式"
FIRST_BUILD_MS = 300_000  # a fresh cache builds the gazetteer and extracts the seeds first


@pytest.fixture(scope="module")
def loaded(browser, app_url):
    """One page with the map drawn, shared by the tests below (they run in file order)."""
    page, watch = harness.offline_page(browser, viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    frame = harness.wait_for_county_shapes(page, minimum=90, timeout_ms=FIRST_BUILD_MS)
    page.wait_for_load_state("networkidle")
    yield page, frame, watch
    page.context.close()


def test_map_shows_all_zhejiang_county_shapes_offline(loaded):
    page, frame, watch = loaded
    shapes = harness.map_shapes(frame)
    assert shapes["home"] == 90, shapes  # every county-level unit of Zhejiang
    assert shapes["points"] > 0  # towns, zones, parks as markers
    assert shapes["paths"] == shapes["polygons"] + shapes["visible_points"]  # others: in clusters
    assert page.get_by_text("Corpus Atlas · 语料地图").is_visible()
    assert watch.blocked == [], f"the page tried to reach the internet: {watch.blocked}"
    assert watch.console_errors == []


def test_click_county_lists_its_article_and_opens_highlighted_text(loaded):
    page, frame, watch = loaded
    place_id = harness.select_on_map(page, frame, "萧山区", "polygon")
    assert place_id == "330109"
    button = page.get_by_role("button", name=XIAOSHAN_ARTICLE)
    button.wait_for(timeout=20000)
    page.locator(".atlas-snippet mark").first.wait_for(timeout=20000)  # snippets highlight it

    button.click()
    reader = page.locator(".atlas-article")
    reader.locator("mark", has_text="河上镇").first.wait_for(timeout=20000)
    assert reader.inner_text().lstrip().startswith(XIAOSHAN_ARTICLE)
    heshang = reader.locator("mark.atlas-focus", has_text="河上镇")
    assert heshang.count() >= 2  # both mentions, as part of 萧山区
    assert heshang.first.get_attribute("data-place-id").startswith("330109")
    # the selection is in the URL (the run sets it last, after the panel)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('place') === '330109'", timeout=20000
    )
    page.set_viewport_size({"width": 1400, "height": 1700})  # the whole panel in the picture
    # the month chart of 萧山区's dated articles is drawn (a grey box until Vega renders it)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("svg, canvas").first.wait_for(timeout=20000)
    assert "2021-04" in chart.inner_text()  # the month of 002's article
    page.screenshot(path=str(ARTIFACTS / "app-xiaoshan.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert watch.blocked == [] and watch.console_errors == []


def test_a_place_in_the_article_is_selected_without_reloading_the_page(loaded):
    page, _frame, _watch = loaded
    page.evaluate("window.__atlas_same_page = true")
    pills = page.locator("[data-testid='stButtonGroup'] button")
    pills.filter(has_text="河上镇").first.click()
    page.get_by_role("heading", name="河上镇", exact=True).wait_for(timeout=30000)
    page.wait_for_url("**place=330109101*", timeout=20000)
    assert page.evaluate("window.__atlas_same_page === true")  # no reload: same document
    assert page.locator(".atlas-article").count() == 1  # the article stays open
    harness.wait_for_county_shapes(page, minimum=90)


def test_pan_and_zoom_do_not_rerun_and_a_click_keeps_the_view(loaded):
    """Only clicks reach Python (returned_objects); a rerun swaps layers, not the map."""
    page, _, watch = loaded
    frame = harness.wait_for_county_shapes(page, minimum=90)
    harness.wait_idle(page)  # the last test's run is over: what is sent from now on is ours
    sent: list[int] = []
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.webSocketFrameSent", lambda e: sent.append(1))
    frame.evaluate("void window.map.setView([30.0, 120.2], 9, {animate: false})")
    frame.evaluate("void window.map.panBy([120, 40], {animate: false})")
    page.wait_for_timeout(1200)  # nothing sent: > streamlit-folium's 250 ms debounce
    assert sent == [], "panning or zooming the map reran the app"
    view = frame.evaluate("[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    harness.select_on_map(page, frame, "南湖区", "polygon")
    assert sent, "a click did not reach the app"
    assert not frame.is_detached()  # same iframe: the map was not rebuilt
    after = frame.evaluate("[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    zoomed = frame.evaluate("""() => { let n = 0; window.map.eachLayer(l => {
        if (l.feature && /Polygon/.test(l.feature.geometry.type) && l._path) n++; }); return n; }""")
    assert zoomed >= 90
    assert after[0] >= view[0]  # click_feature zooms in, never resets the view
    assert watch.blocked == [] and watch.console_errors == []


def test_click_marker_selects_the_town(loaded):
    page, _, watch = loaded
    frame = harness.wait_for_county_shapes(page, minimum=90)
    if page.get_by_role("button", name="✕").count():
        page.get_by_role("button", name="✕").click()
    page.locator(".atlas-article").wait_for(state="detached", timeout=20000)
    place_id = harness.select_on_map(page, frame, "湘家荡区域", "point")
    assert place_id.startswith("zone:")
    page.locator(".atlas-snippet mark").first.wait_for(timeout=20000)
    assert watch.blocked == [] and watch.console_errors == []


def test_geojson_download_holds_the_features_on_the_map(loaded):
    page, _, watch = loaded
    frame = harness.wait_for_county_shapes(page, minimum=90)
    shapes = harness.map_shapes(frame)
    harness.wait_idle(page)
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name="下载 GeoJSON").click()
    download = info.value
    assert download.suggested_filename == "atlas-both.geojson"
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["type"] == "FeatureCollection"
    layers = [f["properties"]["layer"] for f in data["features"]]
    assert layers.count("county") == shapes["polygons"]
    assert layers.count("points") == shapes["points"]
    by_name = {(f["properties"]["layer"], f["properties"]["name"]): f for f in data["features"]}
    xiaoshan = by_name[("county", "萧山区")]
    assert xiaoshan["id"] == "330109" and xiaoshan["properties"]["mentions"] > 0
    lon, lat = by_name[("points", "河上镇")]["geometry"]["coordinates"]
    assert 119.9 < lon < 120.7 and 29.8 < lat < 30.4  # WGS-84 lon/lat order, in 萧山
    assert watch.blocked == [] and watch.console_errors == []


def _cli_export(layer: str, fmt: str) -> bytes:
    run = subprocess.run(
        [sys.executable, "-m", "geo", "export", "seeds", "--layer", layer, "--format", fmt, "--out", "-"],
        cwd=harness.PROJECT_DIR,
        capture_output=True,
        timeout=300,
        check=True,
    )
    return run.stdout


@pytest.mark.parametrize(
    "label,layer,fmt",
    [
        ("下载 GeoJSON", "both", "geojson"),
        ("下载指标 CSV", "metrics", "csv"),
        ("下载提及 CSV", "mentions", "csv"),
    ],
)
def test_downloads_are_the_cli_bytes(loaded, label, layer, fmt):
    """With no filter set, each download is byte for byte what `python -m geo export` writes."""
    page, _, watch = loaded
    harness.wait_idle(page)
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name=label).click()
    assert info.value.suggested_filename == f"atlas-{layer}.{fmt}"
    data = open(info.value.path(), "rb").read()
    assert len(data) > 1000
    assert data == _cli_export(layer, fmt)
    assert watch.blocked == [] and watch.console_errors == []


def test_filter_by_source_document_changes_the_map_and_the_download(loaded):
    page, _, watch = loaded
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="来源文档").locator("input").click()
    page.get_by_role("option", name="000_42380dce9056bd41.txt").click()
    page.keyboard.press("Escape")
    frame = harness.folium_frame(page)
    frame.wait_for_function(
        """() => { const g = window.atlasPoints && window.atlasPoints.group;
        const n = g && g._map ? g.getLayers().length : 0; return n > 0 && n < 40; }""",
        timeout=30000,
    )
    shapes = harness.map_shapes(frame)
    assert shapes["home"] == 90  # the choropleth stays complete
    harness.wait_idle(page)
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name="下载 GeoJSON").click()
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    points = [f for f in data["features"] if f["properties"]["layer"] == "points"]
    assert len(points) == shapes["points"]
    assert "青山湖科技城" in {f["properties"]["name"] for f in points}
    assert "河上镇" not in {f["properties"]["name"] for f in points}  # 河上镇 is only in 002
    assert watch.blocked == [] and watch.console_errors == []


def test_search_by_pinyin_selects_a_place(browser, app_url):
    page, watch = harness.offline_page(browser, viewport={"width": 1400, "height": 1000})
    try:
        page.goto(app_url)
        harness.wait_for_county_shapes(page, minimum=90, timeout_ms=FIRST_BUILD_MS)
        box = page.get_by_placeholder("如 萧山 / xiaoshan / xsq")
        box.fill("linan")
        box.press("Enter")
        page.get_by_role("button", name="临安区 · 区县").click()
        page.get_by_role("heading", name="临安区", exact=True).wait_for(timeout=20000)
        page.locator(".atlas-snippet mark").first.wait_for(timeout=20000)
        assert watch.blocked == [] and watch.console_errors == []
    finally:
        page.context.close()


def _selected_table_rows(page) -> list[str]:
    """The places table's selected rows as the grid tells assistive technology (its first cells)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stDataFrame"] [role="row"][aria-selected="true"]')]
        .map(r => (r.querySelector('[role="gridcell"]') || r).textContent.trim())""")


def _wait_selected_row(page, name: str) -> None:
    """Wait until the places table's selected row names ``name`` (the grid draws it a moment
    after the run); fails with the rows selected then."""
    try:
        page.wait_for_function(
            """(name) => [...document.querySelectorAll('[data-testid="stDataFrame"] [role="row"][aria-selected="true"]')]
                .some(r => (r.querySelector('[role="gridcell"]') || r).textContent.includes(name))""",
            arg=name,
            timeout=20000,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(f"{name} is not the selected row: {_selected_table_rows(page)}") from None


def test_places_table_and_map_select_each_other(browser, app_url):
    """A county clicked on the map is the selected row of the places table; a row clicked in the
    table selects its place (side panel, map), and stays the selected row."""
    page, watch = harness.offline_page(browser, viewport={"width": 1400, "height": 1400})
    try:
        page.goto(app_url)
        frame = harness.wait_for_county_shapes(page, minimum=90, timeout_ms=FIRST_BUILD_MS)
        harness.select_on_map(page, frame, "萧山区", "polygon")
        harness.wait_idle(page)
        table = page.locator('[data-testid="stDataFrame"]').last
        table.scroll_into_view_if_needed()
        _wait_selected_row(page, "萧山区")
        page.screenshot(path=str(ARTIFACTS / "app-table-map-click.png"))
        box = table.bounding_box()
        page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * 2 + 17)  # the third row's selector
        page.wait_for_function(
            """() => [...document.querySelectorAll('h3')].some(h => h.textContent.trim() && h.textContent.trim() !== '萧山区')
               && document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')""",
            timeout=30000,
        )
        harness.wait_idle(page)
        heading = page.locator("h3").first.inner_text().strip()
        assert heading != "萧山区"
        _wait_selected_row(page, heading)
        page.screenshot(path=str(ARTIFACTS / "app-table-row-click.png"))
        assert watch.blocked == [] and watch.console_errors == []
    finally:
        page.context.close()
