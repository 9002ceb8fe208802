"""Corpus Atlas in the browser: `streamlit run app.py` (README command 1: scripts/app.sh).

A thin view over the atlas store: data comes from geo.ui.data (SQL on the store, cached per
filter state), decisions from geo.appkit (tested), the map from geo.mapview, downloads from
geo.export (the CLI's bytes); the sidebar, the side panel and the selection are geo.ui.sidebar,
geo.ui.panel and geo.ui.selection. The server never extracts: a folder without a store is built
by a separate ``python -m geo build`` process while the page waits. The selection (place,
article) lives in session state and is mirrored in the URL (?place=…&article=…), which is also
how a highlighted mention in an article links back to its place on the map.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit_folium import st_folium

from geo import appkit, mapview
from geo.assets import assets_ready
from geo.corpus import TEXT_SUFFIXES
from geo.errors import AtlasError
from geo.settings import load_settings
from geo.ui import building, data
from geo.ui.downloads import downloads
from geo.ui.panel import side_panel
from geo.ui.selection import init_state, select, sync_url
from geo.ui.sidebar import sidebar_corpus, sidebar_filters, sidebar_search

st.set_page_config(page_title="Corpus Atlas · 语料地图", page_icon="🗺️", layout="wide")

MAP_HEIGHT = 640
MAX_TABLE_ROWS = 1000  # places listed in the table (the filter box finds the others)
RETURNED = ["last_object_clicked", "last_active_drawing", "last_object_clicked_count"]
CSS = """<style>
.atlas-mention{background:#fff1a8;padding:0 1px;border-radius:2px}
.atlas-mention a{color:inherit;text-decoration:none}
.atlas-focus{background:#ffb347;font-weight:600}
.atlas-snippet{color:#444;font-size:.92em;line-height:1.6;margin:.1em 0 .6em}
.atlas-facts td{padding:1px 8px 1px 0;vertical-align:top}.atlas-facts td:first-child{color:#777;white-space:nowrap}
/* the upload widget in Chinese (Streamlit writes its own English) */
[data-testid="stFileUploaderDropzoneInstructions"] span {display:none}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {content:"拖放 .txt / .md 文件到此处";font-size:.9em}
[data-testid="stFileUploaderDropzone"] button, [data-testid="stFileUploaderDropzone"] button * {font-size:0 !important}
[data-testid="stMainBlockContainer"], .block-container {padding-top: 1.5rem}
[data-testid="stFileUploaderDropzone"] button::after {content:"选择文件";font-size:.875rem}
@media (max-width: 1000px) {  /* narrow windows: map above the panel, both full width */
  div[data-testid="stHorizontalBlock"]:has(iframe[title="streamlit_folium.st_folium"]) {flex-wrap: wrap}
  div[data-testid="stHorizontalBlock"]:has(iframe[title="streamlit_folium.st_folium"]) > div {
    min-width: 100% !important; flex: 1 1 100% !important}
}
</style>"""

# ---------------------------------------------------------------- map and downloads


def draw_map(ref, scope, counties, points, measure, settings) -> None:
    base = mapview.base_map(settings, bounds=data.base_bounds(settings))
    gaz = data.gazetteer(settings)
    # the layers' data are built once per filter state (compact: see geo.mapview.compact); a
    # rerun only wraps them, and streamlit-folium redraws nothing when they are unchanged.
    # Panes set what draws over what; borders and names are small, fixed and never take a click
    layer_data = data.map_data(ref, scope, measure.key, measure.label, settings)
    groups = [
        mapview.layer_group(layer_data.counties),
        mapview.boundary_group(gaz, settings.home_province),
        mapview.label_group(gaz, settings.home_province, rows=layer_data.labels),
    ]
    if layer_data.points is not None:
        groups.append(mapview.layer_group(layer_data.points))
    # the selection is marked in the browser from ?place=; this group only carries a city's outline
    place = st.session_state.get("place")
    groups.append(mapview.selection_group(place, counties, points, gaz, settings.home_province))
    center = zoom = None
    target = st.session_state.get("center_on")
    if target:
        county = counties[counties["place_id"] == str(target)]
        anchor = county.geometry.representative_point()
        places = data.gazetteer(settings).places  # cities and provinces found by search
        row = appkit.place_row(target, points, county.assign(lon=anchor.x, lat=anchor.y), places)
        if row and row.get("lat") is not None:
            zoom = {"province": 6, "city": 8}.get(str(row.get("level")), 10)  # a city shows whole
            center = (row["lat"], row["lon"])
    returned = st_folium(
        base,
        key="atlas_map",
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=RETURNED,
        center=center,
        zoom=zoom,
    )
    if take_click(returned, counties, points):
        st.rerun()  # a click the pre-panel check missed: show its panel now


def take_click(returned, counties, points) -> bool:
    """Select the clicked place, once per click (st_folium keeps returning the last one);
    True when the selection changed."""
    sig = appkit.click_signature(returned)
    if sig is None or sig == st.session_state.get("click_sig"):
        return False
    st.session_state.click_sig = sig
    pid = appkit.place_id_from_click(returned, points, counties)
    if pid and pid != st.session_state.get("place"):
        select(pid)
        return True
    return False


# ---------------------------------------------------------------- side panel


# ---------------------------------------------------------------- page


def main() -> None:
    settings = load_settings()
    init_state()
    st.html(CSS)
    st.title("Corpus Atlas · 语料地图")
    status = st.empty()
    try:
        folder = sidebar_corpus(settings)
        ref = building.open_or_build(folder, settings, status)
    except (AtlasError, OSError) as e:
        st.error(f"无法读取语料：{appkit.md_text(e)}")
        st.stop()
    if ref is None:  # a build is running in its own process: look again in a second
        building.wait_and_rerun()
        return
    data.prefetch(ref, settings)  # a cold server: DuckDB's and GEOS's share in threads beside it
    if not assets_ready():
        st.warning(
            "地图所需的 Leaflet 文件不在 static/vendor/ 中，地图无法显示：请先运行 "
            "`python -m geo assets`（scripts/app.sh 会自动完成）。"
        )
    scope, measure = sidebar_filters(ref)
    n = data.totals(ref, scope)
    st.caption(
        f"{n['documents']} 个文档 · {n['articles']} 篇文章 · {n['mentions']} 次地名提及 · "
        f"{n['metrics']} 条指标（按当前筛选） · 语料：{appkit.md_text(folder.name or folder)}"
    )
    skipped_files(data.options(ref)["skipped"], n["documents"])
    counties, points = data.layers(ref, scope, measure.key, settings)
    sidebar_search(lambda: data.search_index(ref, scope, counties, points, settings))
    atlas_view(ref, scope, measure, counties, points, settings)


def skipped_files(skipped: pd.DataFrame, documents: int) -> None:
    """Text files that could not be read, by name and reason; other files only counted (a folder
    must not become a listing of whatever else lies on the server)."""
    if not len(skipped):
        return
    is_text = skipped["file"].map(lambda f: Path(str(f)).suffix.lower() in TEXT_SUFFIXES)
    text, others = skipped[is_text], int((~is_text).sum())
    with st.expander(f"跳过了 {len(skipped)} 个文件", expanded=not documents):
        if len(text):
            st.dataframe(text.rename(columns={"file": "文件", "skipped_reason": "原因"}), hide_index=True)
        if others:
            st.caption(f"另有 {others} 个非文本文件（只读取 .txt / .md）未列出名称。")


@st.fragment
def atlas_view(ref, scope, measure, counties, points, settings) -> None:
    """Map and side panel: a click on the map or an article reruns only this part, not the
    sidebar (filters and search rerun the whole page)."""
    left, right = st.columns([3, 2], gap="medium")
    # The map's on_change has already put the click in session state: answer it first, so
    # the panel reaches the browser before the map's (unchanged, large) layers are re-sent.
    take_click(st.session_state.get("atlas_map"), counties, points)
    with right:
        side_panel(ref, scope, points, settings)
    with left:
        draw_map(ref, scope, counties, points, measure, settings)
        downloads(ref, scope, settings)
    places_view(ref, scope, measure, settings)
    sync_url()


def places_view(ref, scope, measure, settings) -> None:
    """The places on the map as a table, in sync with the map both ways: selecting a row selects
    the place (and centres the map on it); a place selected on the map is marked in the table.
    A large corpus lists its places with the most mentions (and the selected one) and finds the
    others with the filter box: a table of 66,000 rows would be sent to the browser at every click."""
    table = data.places_table(ref, scope, measure, settings)
    st.markdown(f"**地点一览（{len(table)}）** · 区县的计数含辖区内地点，其他地点为本身的提及")
    needle = st.text_input(
        "筛选表格", placeholder="输入地名筛选", label_visibility="collapsed", key="table-filter"
    )
    if needle:
        table = table[table["地点"].str.contains(needle.strip(), regex=False)]
    selected = st.session_state.get("place")
    shown = table.head(MAX_TABLE_ROWS)
    if len(table) > MAX_TABLE_ROWS:
        st.caption(f"列出提及最多的 {MAX_TABLE_ROWS} 个（共 {len(table)} 个）；输入地名筛选可找到其余地点。")
        if selected and not (shown["place_id"] == selected).any():
            shown = pd.concat([table[table["place_id"] == selected], shown])
    ids = [str(p) for p in shown["place_id"]]
    key = f"places-{needle}"  # one table per filter text; the selection is its state, not its key
    _mark_row(key, (needle, selected, tuple(ids)), [i for i, p in enumerate(ids) if p == selected][:1])
    event = st.dataframe(
        shown.drop(columns="place_id"),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown), 360),
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        pid = ids[rows[0]]
        if pid != selected:
            select(pid, center=True)
            try:
                st.rerun(scope="fragment")  # the table's own click: a fragment run
            except StreamlitAPIException:  # a whole-page run (a test's): the page again
                st.rerun()


def _mark_row(key: str, shown: tuple, rows: list[int]) -> None:
    """Select the selected place's row through the table's state when what the table shows
    changed (a map click, a search, a filter): the table keeps its key, so a click on one of its
    rows (its state already in the browser) does not send its rows again. Left alone otherwise,
    so the row a user just clicked is the one read."""
    if st.session_state.get("places-shown") == shown:
        return
    st.session_state["places-shown"] = shown
    state = st.session_state.get(key)
    if list(state["selection"]["rows"] if state is not None else []) != rows:  # a new table: none
        st.session_state[key] = {"selection": {"rows": rows, "columns": []}}


main()
