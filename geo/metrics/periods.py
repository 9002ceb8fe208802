"""When a figure applies: reporting periods ("今年一季度", "2022年1月至8月", "去年…全年") and the
year a document was written, which turns 今年/去年/上半年 into calendar years.

The document year itself (:func:`document_year`, :class:`YearEvidence`) is found by the corpus
stage (:mod:`geo.corpus.dates`), which also dates each article.

Periods are written one way: ``2024`` (year), ``2024-Q1``, ``2024-H1``, ``2021-04`` (month),
``2022-01..2022-08`` (months), and for targets the plan's span ``2021..2025`` (到 2025 年 in a 2021
text, 五年累计, “十四五”). A period whose year neither the text nor the document gives keeps its
part of the year with ``XXXX`` for the year (``XXXX-H1``, ISO 8601-2 style) and ``year`` None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.corpus import YearEvidence

S = r"\s*"
_WS = re.compile(r"\s")


@dataclass(frozen=True)
class Period:
    period: str | None
    year: int | None
    year_source: str | None
    text: str  # the words as written ("今年一季度")
    is_target_year: bool  # "到2030年"
    bare: bool = False  # "全年"/"一季度" with no year of its own in the span
    sub: str | None = None  # the part of the year: Q1, H1, 04, 01/08 (months), None = the whole year


# --- periods -------------------------------------------------------------------------------
_YEAR = rf"(?P<year>(?:19|20)\d{{2}}){S}年(?!{S}代)(?:{S}度)?"
_REL = r"(?P<rel>今\s*年|本\s*年|去\s*年|上\s*年(?!\s*同)|前\s*年|明\s*年|年\s*内)"
_SUB = (
    rf"(?:(?P<q>[一二三四1-4]){S}季{S}度|(?P<q3>前{S}三{S}季{S}度)|(?P<h>[上下]){S}半{S}年|"
    rf"(?P<m1>1[0-2]|0?[1-9]){S}月?{S}(?:—|–|-|~|～|至|到){S}(?P<m2>1[0-2]|0?[1-9]){S}月(?:{S}份)?|"
    rf"(?P<m>1[0-2]|0?[1-9]){S}月(?:{S}份)?(?!{S}\d{{1,2}}{S}[日号])(?!{S}(?:—|–|-|~|～|至|到))|"
    rf"(?P<full>全{S}年)|(?P<end>[底末]))"
)
PERIOD_RE = re.compile(rf"(?P<to>到{S})?(?:(?:{_YEAR}|{_REL}){S})?(?:{_SUB})?")
#: PERIOD_RE matches the empty string everywhere: a period begins with one of these characters
#: (到, a digit, 今本去上前明年, 一二三四, 下, 全, 底末), so it is tried only there (same matches
#: that are not empty, without an empty match object at every other character).
_PERIOD_AT = re.compile(r"(?=[到0-9今本去上前明年一二三四下全底末])" + PERIOD_RE.pattern)
#: A year here is an event date or a starting point, not a reporting period.
_YEAR_NOT_PERIOD_BEFORE = re.compile(r"(?:成立于|始建于|诞生于|创建于|建于|始于|自|从|于|截至目前)\s*$")
_YEAR_NOT_PERIOD_AFTER = re.compile(
    rf"{S}(?:[^\d，。；,;]{{0,4}}?以{S}来|起|开{S}始|成{S}立|设{S}立|至{S}今|前|后)"
)
_SUB_GROUPS = ("q", "q3", "h", "m1", "m", "full", "end")
_REL_OFFSET = {"今年": 0, "本年": 0, "年内": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def with_year(p: Period, year: int | None, source: str | None, words: str) -> Period:
    """A bare sub-period ("全年") given the year an earlier sentence named."""
    return Period(_join(year, p.sub), year, source, f"{words}…{p.text}", p.is_target_year, False, p.sub)


def _sub_code(m: re.Match) -> str | None:
    if m["q"]:
        return f"Q{_Q[m['q']]}"
    if m["q3"]:
        return "01/09"
    if m["h"]:
        return "H1" if m["h"] == "上" else "H2"
    if m["m1"]:
        return f"{int(m['m1']):02d}/{int(m['m2']):02d}"
    if m["m"]:
        return f"{int(m['m']):02d}"
    return None  # 全年 / 底 / 末: the whole year


def _join(year: int | None, sub: str | None) -> str | None:
    """The period string: 2024, 2024-Q1, 2024-04, 2024-01..2024-08; XXXX when the year is unknown."""
    if sub is None:
        return None if year is None else str(year)
    y = "XXXX" if year is None else str(year)
    if "/" in sub:
        a, b = sub.split("/")
        return f"{y}-{a}..{y}-{b}"
    return f"{y}-{sub}"


#: A plan's span: "2021—2025 年", "“十四五”期间", "五年累计" (counted back from the horizon).
_SPAN_RE = re.compile(
    rf"(?P<a>(?:19|20)\d{{2}}){S}年?{S}(?:—|–|-|~|～|至|到){S}(?P<b>(?:19|20)\d{{2}}){S}年"
    rf"|(?P<fyp>十{S}[一二三四五六七八九]{S}五)"
    rf"|(?P<n>[两二三四五六七八九十]|\d{{1,2}}){S}年(?:{S}内|{S}累{S}计|{S}来|{S}间)"
)
_FYP_START = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
_CN_N = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def target_span(p: Period, text: str, start: int, end: int, since: int | None) -> Period:
    """A target's period as its plan's span, 2021..2025: the span the sentence names
    (``2021—2025 年``, ``“十四五”``, ``五年累计`` up to the horizon), else from the year the text
    speaks from (``since``) to the horizon. The horizon stays the ``year``."""
    horizon = p.year
    if horizon is None:
        return p
    first: int | None = None
    for m in _SPAN_RE.finditer(text, start, end):
        if m["a"]:
            first, horizon = int(m["a"]), int(m["b"])
        elif m["fyp"]:
            fyp = _WS.sub("", m["fyp"])
            first, horizon = _FYP_START[fyp], _FYP_START[fyp] + 4
        else:
            n = m["n"]
            years = int(n) if n.isdigit() else _CN_N[n]
            first = horizon - years + 1
    if first is None and since is not None and since < horizon:
        first = since
    if first is None or first >= horizon:
        return Period(str(horizon), horizon, p.year_source, p.text, p.is_target_year, p.bare, None)
    return Period(f"{first}..{horizon}", horizon, p.year_source, p.text, p.is_target_year, p.bare, None)


def find_period(text: str, upto: int, doc_year: YearEvidence | None, start: int = 0) -> Period | None:
    """The reporting period in force at ``upto`` within ``text[start:upto]``: the last period
    expression before it; a bare "全年"/"一季度" takes the year named earlier in the same span,
    else the document's year."""
    last: Period | None = None
    ctx_year: tuple[int | None, str | None, str] | None = None  # (year, source, words) named earlier
    for m in _PERIOD_AT.finditer(text, start, upto):
        if not (m["year"] or m["rel"] or (m.lastindex and any(m[g] for g in _SUB_GROUPS))):
            continue
        words = _WS.sub("", m.group(0))
        if m["year"]:
            if _YEAR_NOT_PERIOD_BEFORE.search(text, max(0, m.start() - 6), m.start()) and not m["to"]:
                continue
            if _YEAR_NOT_PERIOD_AFTER.match(text, m.end()) and not (m["to"] or m["full"] or m["end"]):
                continue
            year, src = int(m["year"]), "stated"
        elif m["rel"]:
            rel = _WS.sub("", m["rel"])
            if doc_year is None:
                year, src = None, None
            else:
                year, src = doc_year.year + _REL_OFFSET[rel], f"{rel}: {doc_year.source}"
        else:
            if m["end"]:
                continue  # a lone 底/末 is not a period
            if ctx_year is not None:
                year, src, before = ctx_year
                words = f"{before}…{words}"
            elif doc_year is not None:
                year, src = doc_year.year, f"{words} (this year): {doc_year.source}"
            else:
                year, src = None, None
        if m["year"] or m["rel"]:
            ctx_year = (year, src, words)
        sub = _sub_code(m)
        if year is None and sub is None and not m["full"]:
            last = Period(None, None, None, words, False)
            continue
        bare = not (m["year"] or m["rel"]) and ctx_year is None
        last = Period(_join(year, sub), year, src, words, bool(m["to"]), bare, sub)
    return last
