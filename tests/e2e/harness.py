"""Start the Streamlit app and an offline headless Chromium; shared by tests/e2e and bench/.

Every request to a host other than the app's is aborted and recorded, so a passing run proves the
page works with no internet.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(env: dict | None = None, timeout_s: float = 120.0):
    """``streamlit run app.py`` on a free local port; yields the base URL, stops it afterwards."""
    port = free_port()
    python = PROJECT_DIR / ".venv" / "bin" / "python"
    cmd = [
        str(python if python.exists() else sys.executable),
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    log = (
        open(PROJECT_DIR / "test-artifacts" / f"streamlit-{port}.log", "w")
        if (PROJECT_DIR / "test-artifacts").is_dir()
        else subprocess.DEVNULL
    )
    proc = subprocess.Popen(
        cmd, cwd=PROJECT_DIR, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not become healthy in time")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log is not subprocess.DEVNULL:
            log.close()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class PageWatch:
    """What a page did that a test cares about: console errors and blocked external requests."""

    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    cdp: object = None  # the CDP session throttling the page's CPU, if any


def offline_page(browser, **context_args):
    """A new page whose non-local requests are aborted; returns (page, watch). With
    ATLAS_TEST_CPU_THROTTLE=N (off by default) the page runs N times slower (Chromium's CPU
    throttling), to find tests that pass only on a fast machine."""
    context = browser.new_context(locale="zh-CN", accept_downloads=True, **context_args)
    watch = PageWatch()

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            m.type == "error" and watch.console_errors.append(f"{m.text} @ {m.location.get('url', '')}")
        ),
    )
    page.on("pageerror", lambda e: watch.console_errors.append(f"pageerror: {e}"))
    throttle = float(os.environ.get("ATLAS_TEST_CPU_THROTTLE") or 1)
    if throttle > 1:
        watch.cdp = context.new_cdp_session(page)  # kept: the rate holds while it is attached
        watch.cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return page, watch


# ---------------------------------------------------------------- the map inside the iframe

#: True when the places' clusters stand still. After a zoom Leaflet.markercluster moves its
#: clusters for ~300 ms (a queued timer: longer on a loaded machine) and a pile spreads or closes
#: in 200 ms; meanwhile icons sit where they came from (some invisible, yet hit by a click), a
#: pile ignores a click and a position read is stale.
STILL = """() => { const g = window.atlasPoints && window.atlasPoints.group;
  return !(g && (g._inZoomAnimation > 0 || g._queueTimeout)); }"""

#: A visible, clickable point of the feature named ``name`` (polygon or marker), after zooming
#: the map onto it the way a user would and letting the clusters settle (see STILL); page-
#: independent coordinates inside the iframe. A marker inside a cluster is brought out first
#: (markercluster's zoomToShowLayer: zoom in, or spread its pile).
_FIND_FEATURE = f"""async ([name, geom]) => {{
  const m = window.map; let target = null;
  const sleep = ms => new Promise(done => setTimeout(done, ms));
  const settle = async () => {{
    for (let i = 0; i < 600 && !({STILL})(); i++) await sleep(25);
    await new Promise(done => requestAnimationFrame(() => done()));
  }};
  if (geom === 'point' && window.atlasPoints) {{
    target = window.atlasPoints.group.getLayers().find(l => l.feature.properties.name === name) || null;
  }} else {{
    m.eachLayer(l => {{
      const f = l.feature;
      if (f && f.properties && f.properties.name === name && l._path &&
          (geom === 'point' ? f.geometry.type === 'Point' : /Polygon/.test(f.geometry.type))) target = l;
    }});
  }}
  if (!target) return null;
  await settle();
  if (geom === 'point') {{
    m.setView(target.getLatLng(), Math.max(m.getZoom(), 11), {{animate: false}});
    const g = window.atlasPoints && window.atlasPoints.group;
    // markercluster ignores moves while clusters or a spider animate: retry after them
    for (let attempt = 0; g && attempt < 4 && !(m.hasLayer(target) && target._path && target._path.isConnected); attempt++) {{
      await settle();
      await Promise.race([new Promise(done => g.zoomToShowLayer(target, done)), sleep(8000)]);
    }}
  }}
  else {{ m.fitBounds(target.getBounds(), {{animate: false}}); }}
  await settle();
  return clickablePoint(target);
}}"""

#: Where a real click hits ``layer`` (a path nothing else covers), in iframe coordinates, or null.
_CLICKABLE = """function clickablePoint(target) {
  const m = window.map, f_id = l => l.feature.properties.place_id;
  const r = m.getContainer().getBoundingClientRect();
  const isPoint = target.feature.geometry.type === 'Point';
  const b = isPoint ? null : target.getBounds();
  const n = 24;
  for (let i = 0; i <= n; i++) for (let j = 0; j <= n; j++) {
    let ll;
    if (isPoint) {
      const c = m.latLngToContainerPoint(target.getLatLng());
      const step = (target.options.radius || 10) / (n / 2);   // scan the whole circle
      const pt = L.point(c.x + (i - n / 2) * step, c.y + (j - n / 2) * step);
      ll = m.containerPointToLatLng(pt);
    } else {
      ll = L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * (i + 0.5) / (n + 1),
                    b.getWest() + (b.getEast() - b.getWest()) * (j + 0.5) / (n + 1));
    }
    const pt = m.latLngToContainerPoint(ll);
    const x = r.left + pt.x, y = r.top + pt.y;
    if (x < r.left + 2 || y < r.top + 2 || x > r.right - 2 || y > r.bottom - 2) continue;
    if (document.elementFromPoint(x, y) === target._path) return {x: x, y: y, place_id: f_id(target)};
  }
  return null;
}"""

_SHAPES = """() => {
  const out = {polygons: 0, home: 0, points: 0, visible_points: 0, paths: document.querySelectorAll(
      '.leaflet-pane path.leaflet-interactive').length};
  if (!window.map) return out;
  window.map.eachLayer(l => {
    const f = l.feature;
    if (!f || !l._path || !l._path.isConnected) return;
    if (/Polygon/.test(f.geometry.type)) {  // places only: not the borders or the selection outline
      if (!f.properties.place_id) return;
      out.polygons++; if (String(f.properties.place_id).startsWith('33')) out.home++;
    }
    else if (f.geometry.type === 'Point' && f.properties.place_id) {
      out.visible_points++;
      if (!l.__parent) out.points++;  // a marker outside any cluster group
    }
  });
  // every place of the cluster group, shown or inside a cluster
  if (window.atlasPoints && window.atlasPoints.group._map) out.points += window.atlasPoints.group.getLayers().length;
  return out;
}"""


def folium_frame(page, timeout_ms: float = 60000):
    """The Frame of the st_folium component iframe, once it exists and has loaded its page."""
    selector = "iframe[title='streamlit_folium.st_folium']"
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        handle = page.wait_for_selector(selector, state="attached", timeout=timeout_ms)
        frame = handle.content_frame() if handle else None
        if frame is not None and "streamlit_folium" in (frame.url or ""):
            return frame
        if time.monotonic() > deadline:
            raise AssertionError("the streamlit_folium iframe never loaded")
        page.wait_for_timeout(50)


def wait_for_county_shapes(page, minimum: int = 1, timeout_ms: float = 60000, loaded: bool = True):
    """Wait until the map has drawn at least ``minimum`` county polygons and (``loaded``) every
    layer the app publishes as a file has arrived (``window.atlasPending``: the places may come
    after the counties); returns the frame."""
    frame = folium_frame(page, timeout_ms)
    ready = "!(window.atlasPending > 0)" if loaded else "true"
    frame.wait_for_function(
        f"(() => {{ const s = ({_SHAPES})(); return s.polygons >= {minimum} && {ready}; }})",
        timeout=timeout_ms,
        polling=20,
    )
    return frame


def wait_for_layers(frame, timeout_ms: float = 60000) -> None:
    """Wait until every layer the app publishes as a file has arrived and is drawn (after the
    layers were swapped: a filter or a measure changed)."""
    frame.wait_for_function("() => !(window.atlasPending > 0)", timeout=timeout_ms, polling=20)


def map_shapes(frame) -> dict:
    """Counts of drawn features: polygons, home-province (33…) polygons, point places (shown or
    inside a cluster), visible point markers, interactive SVG paths."""
    return frame.evaluate(_SHAPES)


def click_feature(page, frame, name: str, geom: str = "polygon") -> str:
    """Zoom onto a feature and click a point of it that nothing else covers; its place_id."""
    # the whole map in the window: a click is sent where the window shows it (an article's button
    # clicked before may have scrolled the page, and a point above the window takes no click)
    page.locator("iframe[title='streamlit_folium.st_folium']").scroll_into_view_if_needed()
    page.mouse.move(1, 1)  # away from the map: no tooltip covering features
    # (void: returning the map would make Playwright serialize every layer, seconds per call)
    frame.evaluate("void window.map.eachLayer(l => l.closeTooltip && l.closeTooltip())")
    hit = frame.evaluate(f"(() => {{ {_CLICKABLE}; return ({_FIND_FEATURE}); }})()", [name, geom])
    assert hit, f"no visible {geom} named {name} on the map"
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    x, y, size = box["x"] + hit["x"], box["y"] + hit["y"], page.viewport_size
    assert 0 <= x < size["width"] and 0 <= y < size["height"], f"{name} lies outside the window at {x}, {y}"
    page.mouse.click(x, y)
    return hit["place_id"]


#: What the map page last recorded of a click (streamlit-folium's globals), for a lost click's report.
_CLICK_STATE = """(() => { const g = window.__GLOBAL_DATA__ || {}, d = g.last_active_drawing;
  return {last_object_clicked: g.last_object_clicked || null, count: g.last_object_clicked_count || null,
          drawing: d && d.properties ? d.properties.name : null}; })()"""


def select_on_map(page, frame, name: str, geom: str = "polygon", timeout_ms: float = 20000) -> str:
    """Click a feature and wait for its panel (the heading with its name); its place_id.

    A panel comes 0.1-0.4 s after a click here; one CI run saw none in 20 s, once in many runs,
    with nothing to show why. So a click that shows no panel is reported with what the map page
    recorded of it (a warning, a screenshot and ``test-artifacts/lost-click-NAME.json``) and
    clicked once more: a second lost click fails the test, as a user would see it fail."""
    import json
    import warnings

    heading = page.get_by_role("heading", name=name, exact=True)
    place_id = click_feature(page, frame, name, geom)
    try:
        heading.wait_for(timeout=timeout_ms)
        return place_id
    except Exception as lost:  # playwright's TimeoutError: report, then click once more
        artifacts = PROJECT_DIR / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        state = {"error": str(lost).splitlines()[0], "url": page.url, "map": frame.evaluate(_CLICK_STATE)}
        (artifacts / f"lost-click-{name}.json").write_text(json.dumps(state, ensure_ascii=False, indent=1))
        page.screenshot(path=str(artifacts / f"lost-click-{name}.png"))
        warnings.warn(
            f"a click on {name} showed no panel in {timeout_ms / 1000:.0f} s: {state}", stacklevel=2
        )
    place_id = click_feature(page, frame, name, geom)
    heading.wait_for(timeout=timeout_ms)
    return place_id


def wait_still(frame, timeout_ms: float = 30000) -> None:
    """Wait until the places' clusters stand still (:data:`STILL`): after a zoom or a pan, before
    reading where things are or clicking them."""
    frame.wait_for_function(STILL, timeout=timeout_ms, polling=20)
    frame.evaluate("new Promise(done => requestAnimationFrame(() => done()))")


def wait_idle(page, timeout_ms: float = 60000) -> None:
    """Wait until the app's script run has finished (buttons of the last run are current)."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached", timeout=timeout_ms
    )
