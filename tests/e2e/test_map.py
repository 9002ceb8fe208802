"""The map as a user tries it (issue 15), in real Chromium, offline, on the seeds: every place
can be clicked, a pile of places on one point spreads out, the selection is marked, names come
with zoom, legends fold, tooltips stay inside the map and go away after a click.

Screenshots land in test-artifacts/ (map-*.png): look at them after a change to the map.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import harness
import pytest

from geo.settings import SEEDS_DIR, load_settings

ARTIFACTS = harness.PROJECT_DIR / "test-artifacts"
IFRAME = "iframe[title='streamlit_folium.st_folium']"
FIRST_BUILD_MS = 300_000
FIRST_VIEW: list = []  # [[lat, lng], zoom] of the map as it opens

pytestmark = pytest.mark.browser

#: Bring a place's marker out the way a user would (zoom in on its cluster, or spread its pile:
#: markercluster's zoomToShowLayer) and return a pixel where a real click hits it.
_SHOW_PLACE = f"""async ([pid, start]) => {{
  const reg = window.atlasPoints, map = window.map, m = reg && reg.byId[pid];
  if (!m) return {{error: 'no marker for ' + pid}};
  const sleep = ms => new Promise(done => setTimeout(done, ms));
  // markercluster ignores moves while clusters or a spider animate: let them finish
  const settle = async () => {{
    for (let i = 0; i < 600 && !({harness.STILL})(); i++) await sleep(25);
    await new Promise(done => requestAnimationFrame(() => done()));
  }};
  await settle();
  if (start) {{ map.setView(start[0], start[1], {{animate: false}}); await settle(); }}
  const inView = () => map.hasLayer(m) && m._path && m._path.isConnected &&
                       map.getBounds().pad(-0.1).contains(m.getLatLng());
  for (let attempt = 0; attempt < 3 && !inView(); attempt++) {{  // like clicking a cluster again
    await Promise.race([new Promise(done => reg.group.zoomToShowLayer(m, done)), sleep(8000)]);
    await settle();
  }}
  if (!inView()) return {{error: 'not brought out at zoom ' + map.getZoom()}};
  let hit = clickablePoint(m);
  if (!hit) {{  // under a legend or a control: pan it to the middle, as a user would
    map.panTo(m.getLatLng(), {{animate: false}});
    await settle();
    hit = clickablePoint(m);
  }}
  return hit ? {{x: hit.x, y: hit.y, zoom: map.getZoom()}} : {{error: 'covered at zoom ' + map.getZoom()}};
}}"""


def _show_place(frame, place_id: str, start: list | None = None) -> dict:
    """``start``: [[lat, lng], zoom] to go back to before (None: from where the map is)."""
    return frame.evaluate(f"(() => {{ {harness._CLICKABLE}; return ({_SHOW_PLACE}); }})()", [place_id, start])


def _iframe_box(page) -> dict:
    return page.locator(IFRAME).bounding_box()


def _selected(page) -> str | None:
    return (parse_qs(urlparse(page.url).query).get("place") or [None])[0]


def _wait_selected(page, frame, place_id: str, name: str) -> None:
    """The panel shows the place, the URL names it and the map marks it."""
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=30000)
    frame.wait_for_function("(pid) => window.atlasSelected === pid", arg=place_id, timeout=30000)
    page.wait_for_function(
        "(pid) => new URLSearchParams(location.search).get('place') === pid", arg=place_id, timeout=30000
    )


def _ws_frames(page) -> list:
    """Messages the page sends to the app from now on (a rerun starts with one)."""
    sent: list = []
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.webSocketFrameSent", lambda e: sent.append(e))
    return sent


def _seeds_places() -> set[str]:
    """The point layer of the seeds store, as the app builds it (no filter)."""
    from geo.gazetteer import load_gazetteer
    from geo.layers import point_layer
    from geo.store import AtlasStore, default_store_path, query

    settings = load_settings()
    store = AtlasStore(default_store_path(SEEDS_DIR, settings))
    scope = query.Scope()
    points = point_layer(
        load_gazetteer(settings),
        None,
        query.scoped_metrics(store, scope),
        counts=query.place_counts(store, scope, "place_id"),
        first_mentions=lambda ids: query.first_mentions(store, ids),
    )
    return set(points["place_id"].astype(str))


@pytest.fixture(scope="module")
def atlas(browser, app_url):
    """The seeds map at the issue's size (1440×1000), shared by the tests below, in file order."""
    page, watch = harness.offline_page(browser, viewport={"width": 1440, "height": 1000})
    page.goto(app_url)
    frame = harness.wait_for_county_shapes(page, minimum=90, timeout_ms=FIRST_BUILD_MS)
    page.wait_for_load_state("networkidle")
    FIRST_VIEW[:] = frame.evaluate(
        "[[window.map.getCenter().lat, window.map.getCenter().lng], window.map.getZoom()]"
    )
    yield page, frame, watch
    page.context.close()


def test_first_view_names_cities_and_folds_nothing(atlas):
    page, frame, watch = atlas
    harness.wait_still(frame)
    page.screenshot(path=str(ARTIFACTS / "map-seeds.png"))
    shown = frame.evaluate("""() => {
        const vis = cls => [...document.querySelectorAll('.atlas-label-' + cls)]
            .filter(el => getComputedStyle(el).display !== 'none').map(el => el.textContent);
        return {zoom: window.map.getZoom(), city: vis('city'), county: vis('county'),
                province: vis('province'), scale: !!document.querySelector('.leaflet-control-scale-line'),
                context: document.querySelectorAll('.leaflet-atlas-context-pane path').length,
                borders: document.querySelectorAll('.leaflet-atlas-boundaries-pane path').length,
                legend: document.querySelector('[data-legend=counties] details').open};
    }""")
    assert shown["zoom"] == 7, shown
    assert len(shown["city"]) == 11 and "杭州市" in shown["city"]  # city names from zoom 7
    assert shown["county"] == []  # county names only from zoom 9
    assert "江苏省" in shown["province"] and shown["context"] == 5 and shown["borders"] == 2
    assert shown["scale"] and shown["legend"]
    # names and cluster icons placed with left/top: a translate3d each made every paint of a large
    # store's map (3,700 icons) sort thousands of compositing layers
    placed = frame.evaluate("""() => [...document.querySelectorAll('.leaflet-marker-icon')]
        .map(el => el.style.transform).filter(t => t.includes('3d')).length""")
    assert placed == 0 and frame.evaluate("L.Browser.any3d") is False
    legend = frame.locator("[data-legend=counties] details").inner_text()
    assert "提及（含辖区内地点）" in legend
    assert watch.blocked == [] and watch.console_errors == []


def test_a_cluster_click_zooms_in_and_selects_nothing(atlas):
    page, frame, watch = atlas
    harness.wait_idle(page)
    harness.wait_still(frame)
    sent = _ws_frames(page)
    before = frame.evaluate("[window.map.getZoom(), window.__GLOBAL_DATA__.last_object_clicked_count]")
    pos = frame.evaluate("""() => { let best = null;
        window.atlasPoints.group._featureGroup.eachLayer(l => {
            if (l instanceof L.MarkerCluster && !window.atlasPoints.group.atlasIsPile(l) &&
                (!best || l.getChildCount() > best.getChildCount())) best = l; });
        const r = best._icon.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2, n: best.getChildCount()}; }""")
    box = _iframe_box(page)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    frame.wait_for_function("(z) => window.map.getZoom() > z", arg=before[0], timeout=10000)
    page.wait_for_timeout(1200)  # nothing sent: > streamlit-folium's 250 ms debounce
    after = frame.evaluate("[window.map.getZoom(), window.__GLOBAL_DATA__.last_object_clicked_count]")
    assert after[0] > before[0], "a click on a cluster zooms in"
    assert after[1] == before[1] and sent == [], "a click on a cluster reached the app"
    assert _selected(page) is None
    assert watch.blocked == [] and watch.console_errors == []


def test_a_pile_lists_its_places_spreads_on_click_and_each_leg_is_a_place(atlas):
    page, frame, watch = atlas
    pile = frame.evaluate("""() => { const by = {};
        window.atlasPoints.group.getLayers().forEach(m => {
            const k = m.getLatLng().lat.toFixed(6) + ',' + m.getLatLng().lng.toFixed(6);
            (by[k] = by[k] || []).push(m.feature.properties.name); });
        return Object.values(by).sort((a, b) => b.length - a.length)[0]; }""")
    assert len(pile) >= 10  # 下沙街道's point holds a dozen places known only to that 街道
    center = frame.evaluate(
        """(name) => { const m = window.atlasPoints.group.getLayers().find(
            l => l.feature.properties.name === name); window.map.setView(m.getLatLng(), 11, {animate: false});
            return [m.getLatLng().lat, m.getLatLng().lng]; }""",
        pile[0],
    )
    harness.wait_still(frame)
    icon = frame.evaluate(
        """([lat, lng]) => { let hit = null; window.atlasPoints.group._featureGroup.eachLayer(l => {
            if (l instanceof L.MarkerCluster && l.getLatLng().distanceTo([lat, lng]) < 1) hit = l; });
            const r = hit._icon.getBoundingClientRect();
            return {x: r.left + r.width / 2, y: r.top + r.height / 2, n: hit.getChildCount()}; }""",
        center,
    )
    assert icon["n"] == len(pile)
    box = _iframe_box(page)
    page.mouse.move(box["x"] + icon["x"], box["y"] + icon["y"])
    tip = frame.locator(".leaflet-tooltip").filter(has_text="个地点")
    tip.wait_for(timeout=5000)
    text = tip.inner_text()
    assert f"{len(pile)} 个地点在同一位置" in text
    assert all(name in text for name in pile)  # hovering lists the whole pile
    harness.wait_idle(page)
    sent = _ws_frames(page)
    page.mouse.click(box["x"] + icon["x"], box["y"] + icon["y"])
    frame.wait_for_function("() => !!window.atlasPoints.group._spiderfied", timeout=10000)
    harness.wait_still(frame)  # the legs unfolded
    page.wait_for_timeout(1000)  # nothing sent: > streamlit-folium's 250 ms debounce
    legs = frame.evaluate("""() => { const sp = window.atlasPoints.group._spiderfied;
        return sp ? sp.getAllChildMarkers().map(m => [m.feature.properties.place_id,
                                                      m.feature.properties.name]) : []; }""")
    assert len(legs) == len(pile) and sent == []  # spread at once, nothing sent to the app
    assert frame.evaluate("window.map.getZoom()") == 11  # spread where the user is, no zoom
    page.mouse.move(1, 1)  # off the map: no tooltip in the picture
    page.screenshot(path=str(ARTIFACTS / "map-pile-open.png"))
    pid, name = legs[len(legs) // 2]
    hit = frame.evaluate(
        f"(() => {{ {harness._CLICKABLE}; return (pid) => clickablePoint(window.atlasPoints.byId[pid]); }})()",
        pid,
    )
    assert hit, f"{name} is covered in its spread pile"
    frame.evaluate("""() => { window.atlasPileClosed = 0;
        window.atlasPoints.group.on("unspiderfied", () => { window.atlasPileClosed += 1; }); }""")
    page.mouse.click(box["x"] + hit["x"], box["y"] + hit["y"])
    _wait_selected(page, frame, pid, name)
    harness.wait_idle(page)  # the click's run is over: nothing more comes to close the pile
    harness.wait_still(frame)
    ring = frame.evaluate(
        """(pid) => { const reg = window.atlasPoints, m = reg.byId[pid];
        const rings = []; window.map.eachLayer(l => { if (l.atlasPlaceId === pid) rings.push(l); });
        return {spread: !!reg.group._spiderfied, rings: rings.length,
                onMarker: rings.length > 0 && rings[0].getLatLng().distanceTo(m.getLatLng()) < 0.5,
                around: rings.length > 0 && rings[0].getRadius() > m.getRadius()}; }""",
        pid,
    )
    assert ring == {"spread": True, "rings": 1, "onMarker": True, "around": True}, ring
    assert frame.evaluate("window.atlasPileClosed") == 0  # the chosen place never fell back into the pile
    page.screenshot(path=str(ARTIFACTS / "map-pile-selected.png"))
    assert watch.blocked == [] and watch.console_errors == []


def test_a_pile_clicked_while_the_clusters_still_move_spreads(atlas):
    """markercluster ignores a click on a pile while its clusters move after a zoom (~300 ms, a
    timer: longer on a slow machine); the map spreads the pile once they stand still."""
    _page, frame, watch = atlas
    pile = frame.evaluate("""() => { const g = window.atlasPoints.group, by = {};
        g.getLayers().forEach(m => { const k = m.getLatLng().toString(); (by[k] = by[k] || []).push(m); });
        const big = Object.values(by).sort((a, b) => b.length - a.length)[0];
        window.map.setView(big[0].getLatLng(), 10, {animate: false});  // a spread pile closes
        return {n: big.length, at: [big[0].getLatLng().lat, big[0].getLatLng().lng]}; }""")
    harness.wait_still(frame)
    assert not frame.evaluate("!!window.atlasPoints.group._spiderfied")
    clicked = frame.evaluate(
        """(at) => { const g = window.atlasPoints.group, map = window.map;
        map.setView(at, 11, {animate: false});  // zoom in: the clusters start moving
        let c = null; g._featureGroup.eachLayer(l => {
            if (l instanceof L.MarkerCluster && l._icon && l._zoom === 11 && l.getLatLng().distanceTo(at) < 1) c = l; });
        const r = c._icon.getBoundingClientRect();
        c._icon.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true,
            clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));
        return {moving: g._inZoomAnimation > 0, n: c.getChildCount()}; }""",
        pile["at"],
    )
    assert clicked == {"moving": True, "n": pile["n"]}, clicked
    frame.wait_for_function(
        "(n) => { const sp = window.atlasPoints.group._spiderfied; return !!sp && sp.getChildCount() === n; }",
        arg=pile["n"],
        timeout=10000,
    )
    harness.wait_still(frame)
    assert frame.evaluate("window.map.getZoom()") == 11
    assert watch.blocked == [] and watch.console_errors == []


def test_a_clicked_county_is_outlined_without_a_focus_box_and_its_tooltip_goes(atlas):
    page, frame, watch = atlas
    place_id = harness.click_feature(page, frame, "萧山区", "polygon")
    _wait_selected(page, frame, place_id, "萧山区")
    harness.wait_still(frame)
    frame.wait_for_function(  # outline and ring drawn (the ring follows the clusters' moves)
        "() => document.querySelectorAll('.leaflet-atlas-selection-pane path').length >= 4", timeout=10000
    )
    check = frame.evaluate(
        """(pid) => {
        let county = null; window.map.eachLayer(l => {
            if (l.feature && l.feature.properties.place_id === pid && l._path &&
                /Polygon/.test(l.feature.geometry.type)) county = l; });
        const marks = [...document.querySelectorAll('.leaflet-atlas-selection-pane path')];
        const a = county._path.getBoundingClientRect();
        const same = el => { const b = el.getBoundingClientRect();
            return Math.abs(a.left - b.left) < 4 && Math.abs(a.width - b.width) < 8 && Math.abs(a.height - b.height) < 8; };
        const active = document.activeElement;
        county._path.setAttribute('tabindex', '0'); county._path.focus();
        const focused = getComputedStyle(county._path);
        let ring = null; window.map.eachLayer(l => { if (l.atlasPlaceId === pid) ring = l; });
        const m = window.atlasPoints.byId[pid];  // its own point: shown, or inside a cluster
        const own = m && (window.map.hasLayer(m) ? m : window.atlasPoints.group.getVisibleParent(m));
        return {outlines: marks.filter(same).length, rings: marks.length - marks.filter(same).length,
                ringOnPoint: !!(ring && own && ring.getLatLng().distanceTo(own.getLatLng()) < 1),
                pointer: getComputedStyle(document.querySelector('.leaflet-atlas-selection-pane')).pointerEvents,
                focusOutline: focused.outlineStyle, activeTag: active && active.tagName,
                tooltipHidden: getComputedStyle(document.querySelector('.leaflet-tooltip-pane')).visibility};
    }""",
        place_id,
    )
    assert check["outlines"] == 2, check  # a white halo and a blue line on the county's border
    assert check["rings"] == 2 and check["ringOnPoint"], check  # 萧山区 is also named: its point ringed
    assert check["pointer"] == "none"  # the outline never takes a click
    assert check["focusOutline"] == "none", check
    assert check["tooltipHidden"] == "hidden", "the tooltip stays up after a click"
    page.screenshot(path=str(ARTIFACTS / "map-county-selected.png"))
    box = _iframe_box(page)
    page.mouse.move(box["x"] + 40, box["y"] + 300)  # moving on brings tooltips back
    frame.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-tooltip-pane')).visibility === 'visible'",
        timeout=5000,
    )
    assert watch.blocked == [] and watch.console_errors == []


def test_a_click_reaches_the_app_at_once_and_once(atlas):
    """streamlit-folium holds a click's value for 250 ms (a debounce meant for pans and zooms):
    the map sends it as soon as the click's handlers have run, and the debounce then sends
    nothing more (one rerun per click). Told by who sends, not by a time: the debounce sends
    through ``Streamlit.setComponentValue``, the map's own path posts the message itself, in a
    task queued before the debounce's timer; so the debounce finding the value already sent
    means it was sent first, however slow the machine."""
    page, frame, watch = atlas
    harness.wait_idle(page)
    page.evaluate("""() => { window.atlasSent = 0;
        window.addEventListener('message', e => {
            if (e.data && e.data.type === 'streamlit:setComponentValue') window.atlasSent += 1; }); }""")
    frame.evaluate("""() => { const lib = window.Streamlit, send = lib.setComponentValue;
        window.atlasDebounceSent = 0;
        lib.setComponentValue = function () { window.atlasDebounceSent += 1; return send.apply(this, arguments); }; }""")
    place_id = harness.click_feature(page, frame, "黄岩区", "polygon")
    _wait_selected(page, frame, place_id, "黄岩区")
    harness.wait_idle(page)
    page.wait_for_timeout(800)  # well past the debounce: a second value would have been sent
    sent, debounced = page.evaluate("window.atlasSent"), frame.evaluate("window.atlasDebounceSent")
    assert debounced == 0, "the click's value waited for streamlit-folium's debounce"
    assert sent == 1, f"{sent} values sent for one click"
    assert watch.blocked == [] and watch.console_errors == []


def test_county_names_appear_from_zoom_9(atlas):
    _, frame, _ = atlas
    counts = frame.evaluate("""async () => {
        const vis = () => [...document.querySelectorAll('.atlas-label-county')]
            .filter(el => getComputedStyle(el).display !== 'none').length;
        window.map.setView([30.2, 120.2], 8, {animate: false}); const z8 = vis();
        window.map.setView([30.2, 120.2], 9, {animate: false}); const z9 = vis();
        return [z8, z9]; }""")
    assert counts[0] == 0 and counts[1] >= 90, counts


def test_tooltips_stay_inside_the_map(atlas):
    page, frame, _ = atlas
    frame.evaluate("void window.map.setView([29.9, 120.6], 9, {animate: false})")
    harness.wait_still(frame)
    box = _iframe_box(page)
    spots = frame.evaluate("""() => { const r = window.map.getContainer().getBoundingClientRect(), out = [];
        const isPlace = el => el && el.classList && el.classList.contains('leaflet-interactive');
        for (let y = r.top + 12; y < r.bottom - 200 && out.length < 3; y += 37)
            if (isPlace(document.elementFromPoint(r.right - 8, y))) out.push([r.right - 8, y]);
        for (let x = r.left + 150; x < r.right - 250 && out.length < 6; x += 41)
            if (isPlace(document.elementFromPoint(x, r.bottom - 8))) out.push([x, r.bottom - 8]);
        return out; }""")
    assert len(spots) >= 4, spots
    for x, y in spots:
        page.mouse.move(box["x"] + x - 3, box["y"] + y - 3)
        page.mouse.move(box["x"] + x, box["y"] + y)
        frame.locator(".leaflet-tooltip").first.wait_for(timeout=5000)
        inside = frame.evaluate("""() => { const m = window.map.getContainer().getBoundingClientRect();
            return [...document.querySelectorAll('.leaflet-tooltip')].every(t => {
                const r = t.getBoundingClientRect();
                return r.left >= m.left && r.top >= m.top && r.right <= m.right && r.bottom <= m.bottom; }); }""")
        assert inside, f"a tooltip at {x},{y} leaves the map"


@pytest.mark.slow
def test_every_point_feature_is_reachable_by_clicking(atlas):
    """Each place drawn as a point: brought out as a user would (zoom in, spread its pile), then
    a real mouse click on it; the panel must show that place, the URL name it, the map ring it."""
    page, frame, watch = atlas
    places = frame.evaluate("""() => window.atlasPoints.group.getLayers().map(
        m => [m.feature.properties.place_id, m.feature.properties.name])""")
    assert {pid for pid, _ in places} == _seeds_places()  # the map draws every place of the store
    missed, showing, answering = [], 0.0, 0.0
    for i, (pid, name) in enumerate(places):
        page.mouse.move(1, 1)
        t0 = time.monotonic()
        # every 4th place from the map's first view (the deepest way in), the others from where
        # the last click left the map (the way a user goes on)
        where = _show_place(frame, pid, FIRST_VIEW if i % 4 == 0 else None)
        t1 = time.monotonic()
        showing += t1 - t0
        if "error" in where:
            missed.append((pid, name, where["error"]))
            continue
        box = _iframe_box(page)
        page.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
        try:
            _wait_selected(page, frame, pid, name)
        except Exception as e:  # collect every miss, report them together
            missed.append((pid, name, f"clicked at zoom {where['zoom']}: {type(e).__name__}"))
        answering += time.monotonic() - t1
    n = len(places)
    print(f"\n{n} places: bringing out {showing / n:.2f} s, click to panel + URL {answering / n:.2f} s each")
    assert missed == [], f"{len(missed)} of {len(places)} places not reachable: {missed[:10]}"
    assert watch.blocked == [] and watch.console_errors == []


def test_a_metric_shows_graduated_circles_and_how_many_counties_have_data(atlas):
    page, frame, watch = atlas
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option").filter(has_text="规上工业总产值").first.click()
    frame.wait_for_function(
        "() => [...document.querySelectorAll('details.atlas-legend')].some(d => /个区县有数据|个区县/.test(d.textContent))",
        timeout=30000,
    )
    harness.wait_for_layers(frame)  # the new layers' data follow their legends
    county = frame.locator("[data-legend=counties] details").text_content()
    points = frame.locator("[data-legend=points] details").text_content()
    have = re.search(r"有数据：(\d+) / (\d+) 个区县", county)
    assert have and int(have[2]) == harness.map_shapes(frame)["polygons"] >= 90  # of the counties drawn
    coloured = frame.evaluate("""() => { let n = 0; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.place_id && /Polygon/.test(l.feature.geometry.type) &&
            l.options.fillColor !== '#e8e8e8') n++; }); return n; }""")
    assert int(have[1]) == coloured  # "N / M": N is what the map colours
    # the default is each place's latest value, stated as such (it read "latest（年份不明）")
    assert "时期：各地最新值" in county and "latest" not in county
    assert "圆圈面积：" in points and re.search(r"有数据：\d+ / \d+ 个地点", points)
    styles = frame.evaluate("""() => window.atlasPoints.group.getLayers().map(m => [
        m.options.fillColor, m.getRadius(), m.feature.properties.metric_text || null])""")
    graduated = [s for s in styles if s[2]]
    assert graduated and all(color == "#bd0026" for color, _, _ in graduated)
    assert len({r for _, r, _ in graduated}) >= min(2, len(graduated))
    # at the first view every figure shows: its own circle, or a red disc of the cluster holding it
    frame.evaluate("(v) => void window.map.setView(v[0], v[1], {animate: false})", FIRST_VIEW)
    harness.wait_still(frame)
    hidden = frame.evaluate("""() => { const g = window.atlasPoints.group, out = [];
        g.getLayers().filter(m => m.feature.properties.metric_value != null).forEach(m => {
            if (window.map.hasLayer(m)) return;
            const c = g.getVisibleParent(m);
            if (!c || !c._icon || !c._icon.classList.contains('atlas-cluster-metric')) out.push(m.feature.properties.name);
        }); return out; }""")
    assert hidden == [], f"figures hidden in plain clusters: {hidden}"
    page.screenshot(path=str(ARTIFACTS / "map-metric.png"))
    assert watch.blocked == [] and watch.console_errors == []


def test_at_800_px_the_legends_fold_and_leave_the_map_free(browser, app_url):
    page, watch = harness.offline_page(browser, viewport={"width": 800, "height": 1000})
    try:
        page.goto(app_url)
        frame = harness.wait_for_county_shapes(page, minimum=90, timeout_ms=FIRST_BUILD_MS)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(800)
        cover = frame.evaluate("""() => { const m = window.map.getContainer().getBoundingClientRect();
            const area = r => Math.max(0, r.width) * Math.max(0, r.height);
            const boxes = [...document.querySelectorAll('.atlas-legend-box')].map(el => el.getBoundingClientRect());
            return {map: [m.width, m.height], share: boxes.reduce((s, r) => s + area(r), 0) / area(m),
                    open: [...document.querySelectorAll('details.atlas-legend')].map(d => d.open)}; }""")
        page.screenshot(path=str(ARTIFACTS / "map-800.png"), full_page=True)
        assert cover["share"] < 0.12, cover  # the legends leave the map free
        summary = frame.locator("details.atlas-legend summary").first
        was = cover["open"][0]
        summary.click()
        assert frame.evaluate("document.querySelector('details.atlas-legend').open") != was  # a toggle
        assert watch.blocked == [] and watch.console_errors == []
    finally:
        page.context.close()


def test_a_link_marks_its_place_a_city_outlined_a_clustered_place_its_cluster_ringed(browser, app_url):
    """?place= (a shared link, a search, a mention): the map marks the place the panel shows."""
    page, watch = harness.offline_page(browser, viewport={"width": 1440, "height": 1000})
    try:
        page.goto(app_url + "/?place=3301")  # 杭州市: a city, not drawn as a place
        frame = harness.wait_for_county_shapes(page, minimum=90, timeout_ms=FIRST_BUILD_MS)
        page.get_by_role("heading", name="杭州市", exact=True).wait_for(timeout=30000)
        frame.wait_for_function("() => window.atlasSelected === '3301'", timeout=30000)
        # the city's outline arrives with the map's groups: wait for it on a loaded machine
        frame.wait_for_function(
            "() => document.querySelectorAll('.leaflet-atlas-selection-pane path').length >= 2", timeout=30000
        )
        outline = frame.evaluate("""() => {
            const marks = [...document.querySelectorAll('.leaflet-atlas-selection-pane path')];
            const widest = Math.max(...marks.map(p => p.getBoundingClientRect().width));
            let county = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties.place_id === '330109' && l._path)
                county = l._path.getBoundingClientRect().width; });
            return {marks: marks.length, widest: widest, xiaoshan: county}; }""")
        assert outline["marks"] == 2 and outline["widest"] > 2 * outline["xiaoshan"], (
            outline
        )  # the city, not a county
        page.goto(app_url + "/?place=zone%3Axia-sha-pian-qu")  # 下沙片区: in a pile, in a cluster at zoom 10
        frame = harness.wait_for_county_shapes(page, minimum=90)
        page.get_by_role("heading", name="下沙片区", exact=True).wait_for(timeout=30000)
        frame.wait_for_function("() => window.atlasSelected === 'zone:xia-sha-pian-qu'", timeout=30000)
        harness.wait_idle(page)  # the link's run is over: the map centred on the place
        harness.wait_still(frame)
        ring = frame.evaluate("""() => { const g = window.atlasPoints.group, m = window.atlasPoints.byId['zone:xia-sha-pian-qu'];
            let ring = null; window.map.eachLayer(l => { if (l.atlasPlaceId === 'zone:xia-sha-pian-qu') ring = l; });
            const shown = window.map.hasLayer(m), holder = shown ? m : g.getVisibleParent(m);
            return {shown: shown, on: ring.getLatLng().distanceTo(holder.getLatLng()) < 1,
                    around: ring.getRadius() > (shown ? m.getRadius() : holder._icon.offsetWidth / 2)}; }""")
        assert ring["on"] and ring["around"], ring  # on the place, or around the cluster holding it
        page.screenshot(path=str(ARTIFACTS / "map-link-clustered.png"))
        assert watch.blocked == [] and watch.console_errors == []
    finally:
        page.context.close()
