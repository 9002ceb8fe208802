"""A place → its row, its articles with the mention highlighted (escaped HTML), its metrics."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

import pandas as pd

from geo.appkit.filters import LEVEL_LABELS, ArticleHit

# ---------------------------------------------------------------- place → details, articles


def _val(row: Mapping, key: str):
    v = row.get(key)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def place_row(place_id: str, *tables: pd.DataFrame | None) -> dict | None:
    """The first row describing ``place_id`` in the given tables (gazetteer places, layers …)."""
    for t in tables:
        if t is None or t.empty or "place_id" not in t:
            continue
        ids = t["place_id"]
        if not pd.api.types.is_string_dtype(ids):
            ids = ids.astype(str)
        hit = t[ids == str(place_id)]
        if len(hit):
            row = hit.iloc[0].to_dict()
            return {k: _val(row, k) for k in row if k != "geometry"}
    return None


def place_ids_under(place_id: str, mentions: pd.DataFrame) -> pd.Series:
    """Mask of mentions that belong to a place: the place itself, or (for a county) anything
    inside it — the same roll-up the county layer counts."""
    mask = mentions["place_id"].astype(str) == str(place_id)
    if "county_id" in mentions:
        mask |= mentions["county_id"].astype(str) == str(place_id)
    return mask


def _mark(
    text: str, place_id: str, cls: str = "atlas-mention", href: str | None = None, title: str | None = None
) -> str:
    inner = html.escape(text)
    if href:
        inner = f'<a href="{html.escape(href)}" target="_self">{inner}</a>'
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<mark class="{cls}" data-place-id="{html.escape(str(place_id))}"{tip}>{inner}</mark>'


def _article_bounds(articles: pd.DataFrame) -> dict[str, tuple[int, int]]:
    return {str(r.article_id): (int(r.start), int(r.end)) for r in articles.itertuples()}


def articles_for_place(
    place_id: str, mentions: pd.DataFrame, articles: pd.DataFrame, texts: Mapping[str, str], context: int = 40
) -> list[ArticleHit]:
    """Articles mentioning a place, most mentions first, each with a snippet around its first
    mention where every mention of the place in the window is highlighted."""
    mine = mentions[place_ids_under(place_id, mentions)].sort_values(["article_id", "start"])
    if mine.empty:
        return []
    info = articles.set_index(articles["article_id"].astype(str))
    bounds = _article_bounds(articles)
    hits: list[ArticleHit] = []
    for article_id, group in mine.groupby(mine["article_id"].astype(str), sort=False):
        if article_id not in info.index:
            continue
        a = info.loc[article_id]
        text = texts.get(str(a["file"]), "")
        a_start, a_end = bounds[article_id]
        first = group.iloc[0]
        lo = max(a_start, int(first["start"]) - context)
        hi = min(a_end, int(first["end"]) + context)
        spans = [
            (int(s), int(e), str(p))
            for s, e, p in zip(group["start"], group["end"], group["place_id"])
            if s >= lo and e <= hi
        ]
        snippet = _highlight(text, lo, hi, spans, lambda s, e, p, t=text: _mark(t[s:e], p))
        prefix = "…" if lo > a_start else ""
        suffix = "…" if hi < a_end else ""
        hits.append(
            ArticleHit(
                article_id,
                str(a["title"]),
                str(a["file"]),
                len(group),
                prefix + re.sub(r"\s+", " ", snippet) + suffix,
            )
        )
    hits.sort(key=lambda h: (-h.mentions, h.file, h.title))
    return hits


def _highlight(text: str, lo: int, hi: int, spans: Iterable[tuple[int, int, str]], render) -> str:
    """Escape text[lo:hi], wrapping each non-overlapping span with ``render(start, end, pid)``."""
    out, cursor = [], lo
    for s, e, pid in sorted(spans):
        if s < cursor or e > hi or text[s:e] == "":
            continue
        out.append(html.escape(text[cursor:s]))
        out.append(render(s, e, pid))
        cursor = e
    out.append(html.escape(text[cursor:hi]))
    return "".join(out)


def map_link(place_id: str, article_id: str | None = None) -> str:
    """Query string that reopens the app on a place (and article): the "back to the map" link."""
    params = {"place": place_id}
    if article_id:
        params["article"] = article_id
    return "?" + urlencode(params)


def article_html(
    article_id: str,
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    texts: Mapping[str, str],
    focus_place_id: str | None = None,
    links: bool = True,
) -> str:
    """Full text of one article, escaped, every place mention a <mark> (linking to its place on
    the map unless ``links`` is off: the app selects places with buttons, which do not reload the
    page); mentions of the focused place (or inside the focused county) get a second class."""
    row = articles[articles["article_id"].astype(str) == str(article_id)]
    if row.empty:
        raise KeyError(f"no article {article_id!r}")
    a = row.iloc[0]
    text = texts.get(str(a["file"]), "")
    start, end = int(a["start"]), int(a["end"])
    mine = mentions[mentions["article_id"].astype(str) == str(article_id)]
    focus = (
        set(mine.loc[place_ids_under(focus_place_id, mine), "start"].astype(int)) if focus_place_id else set()
    )
    names = dict(zip(mine["start"].astype(int), mine["name"].astype(str)))
    levels = dict(zip(mine["start"].astype(int), mine["level"].astype(str)))

    def render(s: int, e: int, pid: str) -> str:
        cls = "atlas-mention atlas-focus" if s in focus else "atlas-mention"
        tip = f"{names.get(s, '')} · {LEVEL_LABELS.get(levels.get(s, ''), levels.get(s, ''))}"
        href = map_link(pid, str(article_id)) if links else None
        return _mark(text[s:e], pid, cls, href=href, title=tip)

    spans = [
        (int(s), int(e), str(p))
        for s, e, p in zip(mine["start"], mine["end"], mine["place_id"])
        if p is not None
    ]
    body = _highlight(text, start, end, spans, render)
    return (
        f'<div class="atlas-article" data-article-id="{html.escape(str(article_id))}" '
        f'style="white-space: pre-wrap; line-height: 1.7">{body}</div>'
    )


def place_metrics(place_id: str, metrics: pd.DataFrame) -> pd.DataFrame:
    """Metric rows reported for a place, newest period first, with the columns a reader needs."""
    cols = [
        c
        for c in (
            "label",
            "value",
            "unit",
            "period",
            "yoy_pct",
            "is_target",
            "qualifier",
            "metric",
            "file",
            "evidence",
        )
        if c in metrics
    ]
    if metrics.empty:
        return pd.DataFrame(columns=cols)
    mine = metrics[metrics["place_id"].astype(str) == str(place_id)]
    return mine.sort_values(["metric", "period"], ascending=[True, False])[cols].reset_index(drop=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def md_text(text: object) -> str:
    """Text for a Streamlit widget that renders Markdown (headings, buttons, warnings): every
    Markdown character escaped, so a title or URL parameter like ``[点此](http://evil)`` shows as
    written and never becomes a link, an image or a heading."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
