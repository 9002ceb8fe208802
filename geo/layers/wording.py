"""How the map and the exports word counts and periods, so every surface says the same thing."""

from __future__ import annotations

import math
import re

#: A county polygon counts the mentions of every place inside it; a point counts its own.
COUNTY_MENTIONS_LABEL = "提及（含辖区内地点）"
POINT_MENTIONS_LABEL = "提及（本身）"
COUNTY_ARTICLES_LABEL = "文章（含辖区内地点）"
POINT_ARTICLES_LABEL = "文章（本身）"
UNKNOWN_YEAR = "年份不明"

_QUARTERS = {"1": "一", "2": "二", "3": "三", "4": "四"}
_PERIOD_RE = re.compile(r"(?:(?P<year>\d{4})(?:-|$))?(?P<sub>.*)")


def _sub_text(sub: str) -> str | None:
    if not sub:
        return ""
    if m := re.fullmatch(r"Q([1-4])", sub):
        return f"{_QUARTERS[m[1]]}季度"
    if m := re.fullmatch(r"H([12])", sub):
        return "上半年" if m[1] == "1" else "下半年"
    if m := re.fullmatch(r"(\d{2})/(\d{2})", sub):
        return f"{int(m[1])}–{int(m[2])}月"
    if m := re.fullmatch(r"(\d{2})", sub):
        return f"{int(m[1])}月"
    return None


def period_label(period) -> str:
    """A stored period in words that always carry the year or say it is unknown:
    "2024-Q1" → "2024年一季度", "2022-01/08" → "2022年1–8月", "H1" → "上半年（年份不明）",
    no period → "年份不明"."""
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return UNKNOWN_YEAR
    text = str(period).strip()
    if not text or text.lower() in ("nan", "<na>", "none"):
        return UNKNOWN_YEAR
    if m := re.fullmatch(r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})", text):  # 2024-01..2024-08
        y1, m1, y2, m2 = m.groups()
        return f"{y1}年{int(m1)}–{int(m2)}月" if y1 == y2 else f"{y1}年{int(m1)}月–{y2}年{int(m2)}月"
    if m := re.fullmatch(r"(\d{4})\.\.(\d{4})", text):  # a target's horizon: 2021..2025
        return f"{m[1]}–{m[2]}年"
    if text.startswith("XXXX-"):  # the year neither the text nor the document gives
        text = text[5:]
    m = _PERIOD_RE.fullmatch(text)
    sub = _sub_text(m["sub"]) if m else None
    if m is None or sub is None:  # a form this module does not know: shown as stored
        return text if re.search(r"\d{4}", text) else f"{text}（{UNKNOWN_YEAR}）"
    if m["year"]:
        return f"{m['year']}年{sub}"
    return f"{sub}（{UNKNOWN_YEAR}）"
