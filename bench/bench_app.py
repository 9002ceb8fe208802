"""How fast the app feels, in headless Chromium, offline, on the seeds or on a given store.

Measures
- navigation → first county shape drawn (cold: the first page after the server starts, caches
  empty; warm: later pages of new visitors, the browser's cache empty; returning: a visitor whose
  browser has the app's files cached from an earlier visit), and → all home-province shapes;
- click on a county → its article list shown (the side panel's heading is the clicked place and
  a snippet highlights it; timed once the map has settled after zooming onto the county, which is
  reported on its own as zoom_onto_county_settled_s), split into click → rerun request (streamlit-folium debounces map
  events by 250 ms before it tells Streamlit) and rerun request → list on screen (the server's
  work, the transfer and the drawing: an upper bound of the server time);
- the server's CPU seconds over the clicks (the Streamlit process, from /proc), per click, and its
  peak resident memory (VmHWM) after the pages and clicks;
- the map payload: the layers' JavaScript the component receives, bytes over the websocket for
  the first page, and the Leaflet assets served from /app/static.

Targets (issue 15; issue 13 for the 1 GB store): first county shape < 1.5 s on the seeds store and
< 3 s on the 1 GB store, click → article list < 600 ms in the browser and < 300 ms server time.
Usage: .venv/bin/python bench/bench_app.py [--runs 5] [--store FILE --corpus DIR] [--out F];
writes bench/results/app.json (or --out). With --store the app opens that store (ATLAS_STORE, its
corpus ATLAS_CORPUS); build it first: python -m geo build DIR --store FILE.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
import harness

CLICKS = (("萧山区", "330109"), ("临安区", "330112"), ("南湖区", "330402"), ("黄岩区", "331003"))
#: The map is still: markercluster has no zoom animation or queued work, two frames painted.
SETTLED = """async () => {
    const g = window.atlasPoints && window.atlasPoints.group, sleep = ms => new Promise(r => setTimeout(r, ms));
    for (let i = 0; i < 200 && g && (g._inZoomAnimation || (g._queue && g._queue.length)); i++) await sleep(25);
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    await sleep(50);
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""
LIST_SHOWN = """([name, pid]) => [...document.querySelectorAll('h3')].some(h => h.textContent.trim() === name)
    && document.querySelector('.atlas-snippet mark[data-place-id^="' + pid + '"]') !== null"""


def navigate(browser, url: str, timeout_ms: float) -> dict:
    page, watch = harness.offline_page(browser, viewport={"width": 1400, "height": 1000})
    ws_bytes = {"n": 0}
    static = {"n": 0}
    sent: list[float] = []

    def on_ws(ws):
        ws.on("framereceived", lambda payload: ws_bytes.__setitem__("n", ws_bytes["n"] + len(payload)))
        ws.on("framesent", lambda payload: sent.append(time.perf_counter()))

    page.on("websocket", on_ws)

    data = {"n": 0}

    def on_response(r):
        if "/app/static/" in r.url:
            try:
                (data if "/atlas-data/" in r.url else static)["n"] += len(r.body())
            except Exception:
                pass

    page.on("response", on_response)
    t0 = time.perf_counter()
    page.goto(url)
    frame = harness.wait_for_county_shapes(page, minimum=1, timeout_ms=timeout_ms, loaded=False)
    first = time.perf_counter() - t0
    harness.wait_for_county_shapes(page, minimum=90, timeout_ms=timeout_ms, loaded=False)
    full = time.perf_counter() - t0
    harness.wait_for_county_shapes(page, minimum=90, timeout_ms=timeout_ms)  # and the places
    loaded = time.perf_counter() - t0
    page.wait_for_load_state("networkidle")
    layers_js = frame.evaluate(
        "(window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.last_feature_group || '').length"
    )
    return {
        "page": page,
        "watch": watch,
        "frame": frame,
        "first_s": first,
        "all_s": full,
        "loaded_s": loaded,
        "sent": sent,
        "ws_bytes": ws_bytes["n"],
        "static_bytes": static["n"],
        "data_bytes": data["n"],
        "layers_js_chars": layers_js,
    }


#: How long a returning visitor has been away: the closed tab's teardown is over.
CLOSED_TAB_S = 3.0


def returning_visits(browser, url: str, runs: int, timeout_ms: float) -> list[float]:
    """First county shape for a returning visitor: one browser profile whose HTTP cache keeps
    Streamlit's bundle, the component's frame and Leaflet from the visit before (the pages above
    run in new contexts with request routing, which turns Chromium's cache off). No routing here:
    the page's requests are counted instead, and a request off this machine fails the bench.
    Each visit starts once the page before has finished its script run and has been closed for
    :data:`CLOSED_TAB_S`: a page opened while another session's run holds the server, or while
    the browser tears down the last one (1 GB: ~3,700 icons), waits for them (0.6-0.8 s on the
    seeds, 1.5 s at 1 GB), which is not this page's time."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    context.on(
        "request",
        lambda r: None if r.url.startswith(("data:", "blob:", "about:", url)) else outside.append(r.url),
    )
    page = context.new_page()
    page.goto(url)
    harness.wait_for_county_shapes(page, minimum=90, timeout_ms=timeout_ms)
    harness.wait_idle(page)
    page.close()
    time.sleep(CLOSED_TAB_S)
    times = []
    for _ in range(runs):
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        harness.wait_for_county_shapes(page, minimum=1, timeout_ms=timeout_ms, loaded=False)
        times.append(time.perf_counter() - t0)
        harness.wait_for_county_shapes(page, minimum=90, timeout_ms=timeout_ms)
        harness.wait_idle(page)  # the page's run is over before the next visit starts
        page.close()
        time.sleep(CLOSED_TAB_S)
    context.close()
    if outside:
        raise SystemExit(f"requests off this machine: {outside[:3]}")
    return times


def click_to_list(
    page, frame, name: str, pid: str, sent: list[float], timeout_ms: float = 30000
) -> tuple[float, float | None, float]:
    """Seconds from the click to the list on screen, from the click to the rerun request (the
    first websocket message the page sends after the click), and of the zoom onto the county
    before it (until the map is settled)."""
    page.mouse.move(1, 1)  # away from the map: no tooltip covering features
    hit = frame.evaluate(
        f"(() => {{ {harness._CLICKABLE}; return ({harness._FIND_FEATURE}); }})()", [name, "polygon"]
    )
    assert hit, f"{name} is not clickable on the map"
    # the finder zoomed onto the county (as a user would before clicking it): let the map finish
    # that zoom (re-clustering the places, painting) so the time below is the click's alone
    z0 = time.perf_counter()
    frame.evaluate(SETTLED)
    zoom_s = time.perf_counter() - z0
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    t0 = time.perf_counter()
    page.mouse.click(box["x"] + hit["x"], box["y"] + hit["y"])
    page.wait_for_function(LIST_SHOWN, arg=[name, pid], timeout=timeout_ms, polling="raf")
    total = time.perf_counter() - t0
    after = [t for t in sent if t > t0]
    return total, (after[0] - t0) if after else None, zoom_s


def _server_cpu(port: int) -> float:
    """CPU seconds (user + system) of the process listening on ``port`` (the Streamlit server)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"streamlit" in b" ".join(cmd) and str(port).encode() in cmd:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return float("nan")


def _server_peak_mb(port: int) -> float:
    """Peak resident memory (VmHWM, MB) of the Streamlit server listening on ``port``."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"streamlit" in b" ".join(cmd) and str(port).encode() in cmd:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return float("nan")


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--store", type=Path, help="an atlas store (default: the seeds' store)")
    ap.add_argument("--corpus", type=Path, help="the store's corpus folder (with --store)")
    ap.add_argument("--out", type=Path, default=harness.PROJECT_DIR / "bench" / "results" / "app.json")
    ap.add_argument("--timeout", type=float, default=60, help="seconds a warm page may take")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    (harness.PROJECT_DIR / "test-artifacts").mkdir(exist_ok=True)
    env = {}
    if args.store:
        env = {
            "ATLAS_STORE": str(args.store.resolve()),
            "ATLAS_CORPUS": str((args.corpus or Path(".")).resolve()),
        }
    rows: dict[str, object] = {"store": str(args.store or "seeds"), "load_before": _load()}
    with harness.running_app(env=env) as url, sync_playwright() as p:
        port = int(url.rsplit(":", 1)[1])
        browser = harness.launch_chromium(p)
        t0 = time.perf_counter()
        cpu0 = _server_cpu(port)
        cold = navigate(browser, url, timeout_ms=600_000)
        rows["cold_first_shape_s"] = cold["first_s"]
        rows["cold_all_90_shapes_s"] = cold["all_s"]
        rows["cold_places_loaded_s"] = cold["loaded_s"]
        rows["cold_server_cpu_s"] = _server_cpu(port) - cpu0
        harness.wait_idle(cold["page"])  # the next visitor comes to an idle server
        cold["page"].context.close()
        warm = []
        for i in range(args.runs):
            nav = navigate(browser, url, timeout_ms=args.timeout * 1000)
            warm.append(nav)
            if i < args.runs - 1:
                harness.wait_idle(nav["page"])
                nav["page"].context.close()
        last = warm[-1]
        page, frame, watch = last["page"], last["frame"], last["watch"]
        clicks, requests, rest, zooms = [], [], [], []
        page.wait_for_timeout(1500)  # the first page's run is over
        cpu_clicks = _server_cpu(port)
        for i in range(args.runs * 2 + 1):
            name, pid = CLICKS[i % len(CLICKS)]
            total, request, zoom = click_to_list(page, frame, name, pid, last["sent"], args.timeout * 1000)
            if i:  # the first click also warms the panel's code paths
                clicks.append(total)
                zooms.append(zoom)
                if request is not None:
                    requests.append(request)
                    rest.append(total - request)
        page.wait_for_timeout(1500)  # the last click's run is over
        rows["server_cpu_per_click_s"] = (_server_cpu(port) - cpu_clicks) / (args.runs * 2 + 1)
        rows["warm_first_shape_s"] = statistics.median(n["first_s"] for n in warm)
        rows["warm_all_90_shapes_s"] = statistics.median(n["all_s"] for n in warm)
        rows["warm_places_loaded_s"] = statistics.median(n["loaded_s"] for n in warm)
        rows["click_to_article_list_s"] = statistics.median(clicks)
        rows["click_to_article_list_max_s"] = max(clicks)
        rows["zoom_onto_county_settled_s"] = statistics.median(zooms)
        rows["click_to_rerun_request_s"] = statistics.median(requests) if requests else float("nan")
        rows["rerun_request_to_list_s"] = statistics.median(rest) if rest else float("nan")
        rows["layers_js_kb"] = last["layers_js_chars"] / 1024
        rows["websocket_first_page_kb"] = last["ws_bytes"] / 1024
        rows["static_assets_kb"] = warm[0]["static_bytes"] / 1024
        rows["map_data_files_kb"] = cold["data_bytes"] / 1024  # fetched once per filter state
        rows["blocked_requests"] = len(watch.blocked)
        rows["console_errors"] = len(watch.console_errors)
        page.screenshot(path=str(harness.PROJECT_DIR / "test-artifacts" / "bench-app.png"))
        rows["server_peak_rss_mb"] = _server_peak_mb(port)
        page.context.close()
        again = returning_visits(browser, url, args.runs, args.timeout * 1000)
        rows["returning_first_shape_s"] = statistics.median(again)
        rows["returning_first_shape_max_s"] = max(again)
        browser.close()
        rows["wall_s"] = time.perf_counter() - t0
    rows["load_after"] = _load()
    shape = "< 3 s (1 GB store)" if args.store else "< 1.5 s (seeds)"
    targets = {
        "cold_first_shape_s": shape,
        "warm_first_shape_s": shape,
        "returning_first_shape_s": shape,
        "click_to_article_list_s": "< 0.6 s (browser)",
        "rerun_request_to_list_s": "server < 0.3 s (this is server + transfer + drawing)",
        "server_cpu_per_click_s": "server < 0.3 s",
        "server_peak_rss_mb": "< 1024 MB (1 GB store)",
    }
    print(f"{'measure':32} {'value':>10}  target")
    for k, v in rows.items():
        text = f"{v:10.3f}" if isinstance(v, float) else f"{v:>10}"
        print(f"{k:32} {text}  {targets.get(k, '')}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
