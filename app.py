"""Corpus Atlas in the browser: `streamlit run app.py` (README command 1: scripts/app.sh).

A thin view over the atlas store: data comes from geo.ui (SQL on the store, cached per filter
state), decisions from geo.appkit (tested), the map from geo.mapview, downloads from geo.export
(the CLI's bytes). The server never extracts: a folder without a store is built by a separate
``python -m geo build`` process while the page waits. Selection (place, article) lives
in session state and is mirrored in the URL (?place=…&article=…), which is also how a highlighted
mention in an article links back to its place on the map.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import appkit, mapview, ui
from geo.assets import assets_ready
from geo.corpus import TEXT_SUFFIXES, check_corpus_limits, resolve_corpus_path
from geo.errors import AtlasError
from geo.export import MIME_TYPES, export_filename
from geo.layers import period_label, precision_text
from geo.settings import load_settings
from geo.store import query

st.set_page_config(page_title="Corpus Atlas · 语料地图", page_icon="🗺️", layout="wide")

MAP_HEIGHT = 640
MAX_ARTICLES = 30  # a place's articles listed with snippets (most mentions first)
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


# ---------------------------------------------------------------- selection state


def select(place_id: str | None, article_id: str | None = None, center: bool = False) -> None:
    st.session_state.place = place_id
    st.session_state.article = article_id
    if center:
        st.session_state.center_on = place_id


def open_article(article_id: str | None) -> None:
    st.session_state.article = article_id


def init_state() -> None:
    """First run of a session: take the selection from the URL (links from mentions land here)."""
    if "place" not in st.session_state:
        st.session_state.place = st.query_params.get("place")
        st.session_state.article = st.query_params.get("article")
        st.session_state.center_on = st.session_state.place


def sync_url() -> None:
    want = {k: v for k in ("place", "article") if (v := st.session_state.get(k))}
    if dict(st.query_params) != want:
        st.query_params.from_dict(want)


# ---------------------------------------------------------------- sidebar


def sidebar_corpus(settings) -> Path:
    """The corpus folder: the configured one; another folder only where the server allows typed
    paths (ATLAS_ALLOW_PATH_INPUT) and only inside its allowed roots (ATLAS_CORPUS_ROOTS), symbolic
    links resolved first; or uploaded files, within the upload limits."""
    st.sidebar.header("语料")
    folder = Path(settings.corpus_dir)
    if settings.allow_path_input:
        typed = st.sidebar.text_input(
            "语料文件夹",
            value=str(settings.corpus_dir),
            help="包含 .txt / .md 文件的文件夹，须位于服务器允许的目录内（ATLAS_CORPUS_ROOTS）",
        )
        folder = resolve_corpus_path(typed, settings.allowed_corpus_roots())
    else:
        st.sidebar.caption(f"语料文件夹：{appkit.md_text(folder.name or folder)}")
    uploads = st.sidebar.file_uploader(
        "或上传 .txt / .md 文件", type=["txt", "md"], accept_multiple_files=True
    )
    if uploads:
        check_corpus_limits(len(uploads), sum(f.size for f in uploads), settings)
    upload_dir = ui.save_uploads(uploads, settings)
    return upload_dir if upload_dir is not None else folder


def sidebar_filters(ref) -> tuple[query.Scope, appkit.Measure]:
    st.sidebar.header("地图")
    opts = ui.options(ref)
    measure = st.sidebar.selectbox("颜色表示", opts["measures"], format_func=lambda m: m.label)
    levels = opts["levels"]
    chosen_levels = st.sidebar.multiselect(
        "地点类型", levels, default=levels, format_func=lambda lv: appkit.LEVEL_LABELS.get(lv, lv)
    )
    titles = opts["titles"]
    chosen_files = st.sidebar.multiselect(
        "来源文档",
        list(titles),
        placeholder="全部文档",
        format_func=lambda f: f"{titles[f]}（{f}）" if titles.get(f) else f,
    )
    chosen_periods = st.sidebar.multiselect("时期（指标）", opts["periods"], placeholder="全部时期")
    dates, undated = sidebar_dates(opts["dates"])
    scope = query.Scope(
        tuple(chosen_levels) if set(chosen_levels) != set(levels) else None,
        tuple(chosen_files),
        tuple(chosen_periods),
        dates,
        undated,
    )
    return scope, measure


def sidebar_dates(info: dict) -> tuple[tuple[str, str] | None, bool]:
    """A month range over the articles' dates (from datelines, page headers, the issue, the file
    name or the document); it drives the map, the table and every count."""
    months = appkit.month_range(info.get("first"), info.get("last"))
    if len(months) < 2:
        return None, True
    st.sidebar.header("时间")
    first, last = st.sidebar.select_slider("文章日期", options=months, value=(months[0], months[-1]))
    undated = st.sidebar.checkbox(
        f"包括日期不明的文章（{int(info.get('undated') or 0)} 篇）", value=True, key="undated"
    )
    if (first, last) == (months[0], months[-1]) and undated:
        return None, True
    return appkit.month_bounds(first, last), undated


def sidebar_search(index: Callable[[], pd.DataFrame]) -> None:
    """``index``: the search index, built on the first search (pinyin for every place)."""
    st.sidebar.header("搜索地点")
    query = st.sidebar.text_input(
        "名称或拼音", placeholder="如 萧山 / xiaoshan / xsq", label_visibility="collapsed"
    )
    if not query:
        return
    found = appkit.search_places(query, index(), limit=8)
    if found.empty:
        st.sidebar.caption("没有找到匹配的地点。")
    for r in found.itertuples():
        label = f"{appkit.md_text(r.name)} · {appkit.LEVEL_LABELS.get(r.level, r.level)}"
        st.sidebar.button(
            label, key=f"search-{r.place_id}", on_click=select, args=(r.place_id, None, True), width="stretch"
        )


# ---------------------------------------------------------------- map and downloads


def draw_map(ref, scope, counties, points, measure, settings) -> None:
    base = mapview.base_map(settings, bounds=ui.base_bounds(settings))
    gaz = ui.gazetteer(settings)
    # the layers' data are built once per filter state (compact: see geo.mapview.compact); a
    # rerun only wraps them, and streamlit-folium redraws nothing when they are unchanged.
    # Panes set what draws over what; borders and names are small, fixed and never take a click
    data = ui.map_data(ref, scope, measure.key, measure.label, settings)
    groups = [
        mapview.layer_group(data.counties),
        mapview.boundary_group(gaz, settings.home_province),
        mapview.label_group(gaz, settings.home_province, rows=data.labels),
    ]
    if data.points is not None:
        groups.append(mapview.layer_group(data.points))
    # the selection is marked in the browser from ?place=; this group only carries a city's outline
    place = st.session_state.get("place")
    groups.append(mapview.selection_group(place, counties, points, gaz, settings.home_province))
    center = zoom = None
    target = st.session_state.get("center_on")
    if target:
        county = counties[counties["place_id"] == str(target)]
        anchor = county.geometry.representative_point()
        places = ui.gazetteer(settings).places  # cities and provinces found by search
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


def downloads(ref, scope, settings) -> None:
    def data(layer: str, fmt: str):
        return lambda: ui.export_bytes(ref, scope, layer, fmt, settings)

    cols = st.columns(3)

    for col, (label, layer, fmt, tip) in zip(
        cols,
        (
            ("下载 GeoJSON", "both", "geojson", "地图上的区县与地点（按当前筛选），WGS-84"),
            ("下载指标 CSV", "metrics", "csv", "按当前筛选的经济指标，与命令行导出的文件相同"),
            ("下载提及 CSV", "mentions", "csv", "按当前筛选的地名提及，与命令行导出的文件相同"),
        ),
    ):
        col.download_button(
            label,
            data(layer, fmt),
            file_name=export_filename(layer, fmt),
            mime=MIME_TYPES[fmt],
            on_click="ignore",
            key=f"dl-{layer}-{fmt}",
            help=tip,
            width="stretch",
        )


# ---------------------------------------------------------------- side panel


def place_facts(row: dict, pid: str, counts: dict[str, int]) -> None:
    level = row.get("level") or ""
    kind = row.get("kind")
    precision = row.get("precision") or "county"
    lat, lon = row.get("lat"), row.get("lon")
    facts = [
        ("行政区划", " › ".join(appkit.admin_chain(row))),
        ("类型", appkit.LEVEL_LABELS.get(level, level) + (f"（{kind}）" if kind else "")),
        (
            "坐标",
            f"{lat:.5f}, {lon:.5f}（WGS-84 纬度, 经度）" if lat is not None and lon is not None else "无",
        ),
        ("位置精度", precision_text(level, precision) + f"（{precision}）"),
        ("坐标来源", row.get("source") or "未知"),
        ("代码", row.get("code") or pid),
        ("提及", _mention_count_text(level, counts)),
    ]
    body = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>" for k, v in facts)
    st.html(f'<table class="atlas-facts">{body}</table>')


def _mention_count_text(level: str, c: dict[str, int]) -> str:
    """The count the map shows for this place, saying what it covers: a county polygon counts
    the places inside it, a marker its own mentions (临安区: 76 含辖区内, 8 本身)."""
    own_text = f"本身 {c['own']} 次（{c['own_articles']} 篇文章）"
    if level != "county":
        return own_text
    return f"含辖区内地点 {c['total']} 次（{c['total_articles']} 篇文章）；{own_text}"


def place_timeline(ref, pid: str, scope) -> None:
    """Mentions per month of the place's articles (dated ones): when the corpus talks about it."""
    timeline = ui.place_timeline(ref, pid, scope, MAX_ARTICLES)
    if len(timeline) < 1:
        return
    st.markdown("**按月提及**（按文章日期；只有年份的文章计入该年）")
    st.bar_chart(timeline.set_index("month")["mentions"].rename("提及次数"), height=160)


def place_metrics(pid: str, metrics: pd.DataFrame) -> None:
    table = appkit.place_metrics(pid, metrics)
    if table.empty:
        return
    st.markdown("**经济指标**")

    def text(v, fmt="{}"):
        return "" if v is None or (isinstance(v, float) and v != v) else fmt.format(v)

    shown = pd.DataFrame(
        {
            "指标": table["label"].map(text),
            "数值": table["value"].map(lambda v: text(v, "{:,.10g}")),
            "单位": table["unit"].map(text),
            "时期": table["period"].map(period_label),
            "同比": table["yoy_pct"].map(lambda v: text(v, "{:+.1f}%")),
            "性质": table["is_target"].map(lambda v: "目标" if v is True or v == 1 else "实际"),
            "原文": table["evidence"].map(text),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 260))
    values = table[~table["is_target"].fillna(False).astype(bool)]
    periods = values.groupby("label", sort=False)["period"].nunique()
    labels = list(periods[periods >= 2].index)  # a chart of one number says nothing
    if not labels:
        return
    label = st.selectbox("图表", labels, key=f"chart-{pid}") if len(labels) > 1 else labels[0]
    one = values[values["label"] == label]
    unit = one["unit"].dropna().iloc[0] if one["unit"].notna().any() else ""
    chart = one.groupby(one["period"].astype(str))["value"].first()
    st.bar_chart(chart.rename(f"{label}（{unit}）" if unit else label), height=180)


def place_articles(pid: str, ref, scope, total: int) -> None:
    mine = ui.top_mentions(ref, pid, scope, MAX_ARTICLES)
    top = sorted(set(mine["article_id"].astype(str)))
    arts = ui.articles(ref, tuple(top))
    try:
        texts = ui.texts(ref, sorted(set(arts["file"].astype(str))))
    except AtlasError as e:
        st.error(appkit.md_text(e))
        return
    hits = appkit.articles_for_place(pid, mine, arts, texts)
    shown = f"，下列提及最多的 {len(hits)} 篇" if total > len(hits) else ""
    st.markdown(f"**相关文章（{total}{shown}）**")
    if not hits:
        st.caption("当前筛选条件下没有文章提到这个地点。")
    for h in hits:
        st.button(
            appkit.md_text(h.title) or "（无标题）",
            key=f"open-{h.article_id}",
            on_click=open_article,
            args=(h.article_id,),
            width="stretch",
            type="primary" if h.article_id == st.session_state.get("article") else "secondary",
        )
        st.html(
            f'<div class="atlas-snippet">{html.escape(h.file)} · 提及 {h.mentions} 次<br>'
            f"{h.snippet_html}</div>"
        )


def article_reader(article_id: str, pid: str | None, ref) -> None:
    row = ui.articles(ref, (article_id,))
    if row.empty:
        st.warning("这篇文章不在当前语料中。")
        return
    a = row.iloc[0]
    mentions = ui.article_mentions(ref, article_id)
    try:
        texts = ui.texts(ref, [str(a["file"])])
    except AtlasError as e:
        st.error(appkit.md_text(e))
        return
    head, close = st.columns([6, 1], vertical_alignment="center")
    head.subheader(appkit.md_text(a["title"]) or "（无标题）")
    close.button("✕", help="关闭文章", key="close-article", on_click=open_article, args=(None,))
    st.caption(f"{appkit.md_text(a['file'])} · {len(mentions)} 处地名（下方按钮可在地图上查看）")
    with st.container(height=480):
        st.html(appkit.article_html(article_id, mentions, row, texts, focus_place_id=pid, links=False))
    places = mentions.drop_duplicates("place_id")
    names = dict(zip(places["place_id"].astype(str), places["name"].astype(str)))
    st.pills(
        "文中地点（点击在地图上查看，不重新加载页面）",
        list(names),
        format_func=lambda p: names.get(p, p),
        selection_mode="single",
        key=f"in-article-{article_id}",
        on_change=_pick_from_article,
        args=(f"in-article-{article_id}", article_id),
    )


def _pick_from_article(key: str, article_id: str) -> None:
    chosen = st.session_state.get(key)
    if chosen:
        select(chosen, article_id, center=True)


def side_panel(ref, scope, metrics, points, settings) -> None:
    pid = st.session_state.get("place")
    gaz = ui.gazetteer(settings)
    if st.session_state.get("article"):
        article_reader(st.session_state.article, pid, ref)
        st.divider()
    if not pid:
        st.info("点击地图上的区县或圆点，或在左侧搜索地点，查看它的信息与相关文章。")
        return
    # a place the gazetteer does not know (geocoded): its first mention has its coordinate
    row = appkit.place_row(pid, points, gaz.places) or appkit.place_row(pid, ui.first_mention(ref, pid))
    if row is None:
        st.warning(f"未知地点 {appkit.md_text(pid)}")
        return
    st.subheader(appkit.md_text(row.get("name") or pid))
    counts = ui.place_summary(ref, pid, scope, MAX_ARTICLES)
    place_facts(row, pid, counts)
    place_timeline(ref, pid, scope)
    place_metrics(pid, ui.place_metric_rows(ref, scope, pid))
    place_articles(pid, ref, scope, counts["total_articles"])


# ---------------------------------------------------------------- page


def main() -> None:
    settings = load_settings()
    init_state()
    st.html(CSS)
    st.title("Corpus Atlas · 语料地图")
    status = st.empty()
    try:
        folder = sidebar_corpus(settings)
        ref = ui.open_or_build(folder, settings, status)
    except (AtlasError, OSError) as e:
        st.error(f"无法读取语料：{appkit.md_text(e)}")
        st.stop()
    if ref is None:  # a build is running in its own process: look again in a second
        ui.wait_and_rerun()
        return
    if not assets_ready():
        st.warning(
            "地图所需的 Leaflet 文件不在 static/vendor/ 中，地图无法显示：请先运行 "
            "`python -m geo assets`（scripts/app.sh 会自动完成）。"
        )
    scope, measure = sidebar_filters(ref)
    n = ui.totals(ref, scope)
    st.caption(
        f"{n['documents']} 个文档 · {n['articles']} 篇文章 · {n['mentions']} 次地名提及 · "
        f"{n['metrics']} 条指标（按当前筛选） · 语料：{appkit.md_text(folder.name or folder)}"
    )
    skipped_files(ui.options(ref)["skipped"], n["documents"])
    counties, points, metrics = ui.layers(ref, scope, measure.key, settings)
    sidebar_search(lambda: ui.search_index(ref, scope, counties, points, settings))
    atlas_view(ref, scope, measure, counties, points, metrics, settings)


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
def atlas_view(ref, scope, measure, counties, points, metrics, settings) -> None:
    """Map and side panel: a click on the map or an article reruns only this part, not the
    sidebar (filters and search rerun the whole page)."""
    left, right = st.columns([3, 2], gap="medium")
    # The map's on_change has already put the click in session state: answer it first, so
    # the panel reaches the browser before the map's (unchanged, large) layers are re-sent.
    take_click(st.session_state.get("atlas_map"), counties, points)
    with right:
        side_panel(ref, scope, metrics, points, settings)
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
    table = ui.places_table(ref, scope, measure, settings)
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
    view = shown.assign(**{"": ["▶" if p == selected else "" for p in shown["place_id"]]})
    view = view[["", *[c for c in shown.columns if c != "place_id"]]]
    event = st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(view), 360),
        on_select="rerun",
        selection_mode="single-row",
        key=f"places-{selected}-{needle}",  # a new table when the selection comes from the map
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        pid = str(shown.iloc[rows[0]]["place_id"])
        if pid != selected:
            select(pid, center=True)
            st.rerun(scope="fragment")


main()
