"""The sidebar: which corpus, which filters (levels, documents, periods, dates), and the place
search. Every label is Chinese; corpus names reach Markdown only escaped (appkit.md_text)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import appkit
from geo.corpus import check_corpus_limits, resolve_corpus_path
from geo.store import query
from geo.ui import data
from geo.ui.files import save_uploads
from geo.ui.selection import select


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
    upload_dir = save_uploads(uploads, settings)
    return upload_dir if upload_dir is not None else folder


def sidebar_filters(ref) -> tuple[query.Scope, appkit.Measure]:
    st.sidebar.header("地图")
    opts = data.options(ref)
    measure = st.sidebar.selectbox("颜色表示", opts["measures"], format_func=lambda m: m.label)
    levels = opts["levels"]
    chosen_levels = st.sidebar.multiselect(
        "地点类型", levels, default=levels, format_func=lambda lv: appkit.LEVEL_LABELS.get(lv, lv)
    )
    titles = opts["titles"]
    chosen_files = st.sidebar.multiselect(
        "来源文档",
        file_options(titles),
        placeholder="全部文档",
        format_func=lambda f: f"{titles[f]}（{f}）" if titles.get(f) else f,
        key="files",
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


#: Documents the source filter offers at once. Every option travels with every page: 12,750
#: titles were a 1 MB message the browser decoded and rendered before the map's (1 GB corpus).
MAX_FILE_OPTIONS = 500


def file_options(titles: dict[str, str]) -> list[str]:
    """The documents the source filter offers: all of them in a small corpus; in a large one the
    first ones, or those whose title or file name holds the text typed above it (萧山 → every
    document with 萧山 in its title), the chosen ones always kept."""
    files = list(titles)
    if len(files) <= MAX_FILE_OPTIONS:
        return files
    needle = st.sidebar.text_input(
        "查找来源文档",
        placeholder=f"共 {len(files):,} 个文档：输入标题或文件名",
        key="files-needle",
    ).strip()
    found = [f for f in files if needle in f or needle in (titles.get(f) or "")] if needle else files
    chosen = [f for f in st.session_state.get("files", []) if f in titles]
    if len(found) > MAX_FILE_OPTIONS:
        st.sidebar.caption(f"列出 {MAX_FILE_OPTIONS} 个（共 {len(found):,} 个）：输入文字缩小范围。")
    return list(dict.fromkeys([*chosen, *found[:MAX_FILE_OPTIONS]]))


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
    typed = st.sidebar.text_input(
        "名称或拼音", placeholder="如 萧山 / xiaoshan / xsq", label_visibility="collapsed"
    )
    if not typed:
        return
    found = appkit.search_places(typed, index(), limit=8)
    if found.empty:
        st.sidebar.caption("没有找到匹配的地点。")
    for r in found.itertuples():
        label = f"{appkit.md_text(r.name)} · {appkit.LEVEL_LABELS.get(r.level, r.level)}"
        st.sidebar.button(
            label, key=f"search-{r.place_id}", on_click=select, args=(r.place_id, None, True), width="stretch"
        )
