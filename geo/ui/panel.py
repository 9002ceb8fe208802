"""The side panel: the selected place (admin chain, precision, where its point comes from, its
mention counts and what they cover), its mentions per month, its figures, its articles, and the
open article with its place names highlighted. Corpus text reaches HTML only escaped
(appkit.article_html, html.escape)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from geo import appkit
from geo.errors import AtlasError
from geo.layers import period_label, precision_text
from geo.ui import data
from geo.ui.selection import open_article, select

MAX_ARTICLES = 30  # a place's articles listed with snippets (most mentions first)
#: A place's metric rows sent with its panel; the others on request. A county of the 1 GB corpus
#: has 3,000–4,200 (with their evidence texts: 0.65–0.9 MB over the websocket at every click,
#: which the browser parsed before it showed the article list below them).
MAX_METRIC_ROWS = 200


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
    timeline = data.place_timeline(ref, pid, scope, MAX_ARTICLES)
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

    rows = table
    if len(table) > MAX_METRIC_ROWS and st.session_state.get("all-metrics") != pid:
        rows = table.head(MAX_METRIC_ROWS)
        st.caption(f"共 {len(table):,} 条，列出前 {MAX_METRIC_ROWS} 条（按指标，最新时期在前）。")
        st.button(
            f"列出全部 {len(table):,} 条",
            key=f"all-metrics-{pid}",
            on_click=st.session_state.__setitem__,
            args=("all-metrics", pid),
        )
    shown = pd.DataFrame(
        {
            "指标": rows["label"].map(text),
            "数值": rows["value"].map(lambda v: text(v, "{:,.10g}")),
            "单位": rows["unit"].map(text),
            "时期": rows["period"].map(period_label),
            "同比": rows["yoy_pct"].map(lambda v: text(v, "{:+.1f}%")),
            "性质": rows["is_target"].map(lambda v: "目标" if v is True or v == 1 else "实际"),
            "原文": rows["evidence"].map(text),
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
    mine = data.top_mentions(ref, pid, scope, MAX_ARTICLES)
    top = sorted(set(mine["article_id"].astype(str)))
    arts = data.articles(ref, tuple(top))
    try:
        texts = data.texts(ref, sorted(set(arts["file"].astype(str))))
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
    row = data.articles(ref, (article_id,))
    if row.empty:
        st.warning("这篇文章不在当前语料中。")
        return
    a = row.iloc[0]
    mentions = data.article_mentions(ref, article_id)
    try:
        texts = data.texts(ref, [str(a["file"])])
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


def side_panel(ref, scope, points, settings) -> None:
    pid = st.session_state.get("place")
    gaz = data.gazetteer(settings)
    if st.session_state.get("article"):
        article_reader(st.session_state.article, pid, ref)
        st.divider()
    if not pid:
        st.info("点击地图上的区县或圆点，或在左侧搜索地点，查看它的信息与相关文章。")
        return
    # a place the gazetteer does not know (geocoded): its first mention has its coordinate
    row = appkit.place_row(pid, points, gaz.places) or appkit.place_row(pid, data.first_mention(ref, pid))
    if row is None:
        st.warning(f"未知地点 {appkit.md_text(pid)}")
        return
    st.subheader(appkit.md_text(row.get("name") or pid))
    counts = data.place_summary(ref, pid, scope, MAX_ARTICLES)
    place_facts(row, pid, counts)
    # the article list is what a click is for: it is sent first, the timeline and the figures
    # (their queries, charts and up to 200 rows) then fill their places above it
    timeline, figures = st.container(), st.container()
    place_articles(pid, ref, scope, counts["total_articles"])
    with timeline:
        place_timeline(ref, pid, scope)
    with figures:
        place_metrics(pid, data.place_metric_rows(ref, scope, pid))
