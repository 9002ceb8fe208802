"""Stage 4: the economic figures an article reports, tied to the place they describe.

"今年一季度，实现规上工业总产值245.23亿元，同比增长2.9%" becomes one row: place (the subject of
the sentence, else the article's main place), indicator, value in a normalised unit, period
(with the year resolved from the document's own date evidence), year-on-year change, whether it
is a target, and the evidence sentence with the figure's exact file offsets.

Finding figures (regexes, compiled once) lives in :mod:`geo.metrics.lexicon`, periods and the
document year in :mod:`geo.metrics.periods`; choosing the place lives in :mod:`geo.metrics.place`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

import pandas as pd

from geo.corpus import YearEvidence, document_year
from geo.metrics import lexicon as lx
from geo.metrics.place import LocalMention, PlaceFinder, plain_mentions
from geo.metrics.sentences import (
    article_year,
    evidence_of,
    period_of,
    previous_in_paragraph,
    split_sentences,
)
from geo.schema import METRIC_COLUMNS, Metric

__all__ = [
    "METRIC_COLUMNS",
    "Metric",
    "YearEvidence",
    "document_year",
    "explain_metrics",
    "extract_metrics",
    "metrics_frame",
    "record_dict",
]


@dataclass
class _Figure:
    metric: str
    kind: str
    label: str
    label_start: int  # article-relative offsets
    value_start: int
    value_end: int
    value: float
    unit: str
    qualifier: str | None
    more: list = field(default_factory=list)  # (value, start, end, qualifier) after 分别
    yoy: float | None = None
    share_of: str | None = None  # metric this share belongs to


def record_dict(r: Metric) -> dict:
    return r._asdict()


def metrics_frame(records: list[Metric]) -> pd.DataFrame:
    """The tidy table the map layers join on place_id."""
    return pd.DataFrame(records, columns=list(METRIC_COLUMNS))


def extract_metrics(
    article,
    doc_text: str,
    mentions: pd.DataFrame | list[tuple] | None,
    doc_year: YearEvidence | None = None,
    main_place: str | None = None,
    context_place: tuple[str, str | None] | None = None,
) -> list[Metric]:
    """Figures of one article. ``mentions`` are its place mentions (file offsets, the mentions
    contract); ``main_place`` the place_id the headline names (derived from the title's mentions
    when None); ``context_place`` (place_id, name), e.g. the previous article's main place, is
    used only when the article names no place at all (magazine sidebars)."""
    return explain_metrics(article, doc_text, mentions, doc_year, main_place, context_place)[0]


def explain_metrics(article, doc_text, mentions, doc_year=None, main_place=None, context_place=None):
    """Like :func:`extract_metrics`, plus the figures left out and why: [(figure text, reason)]."""
    base = article.start
    text = doc_text[article.start : article.end]
    year_ev = article_year(text, base, doc_year)
    sentences = split_sentences(text, article.body_start - base)
    starts = [s.start for s in sentences]
    ms = plain_mentions(mentions, article)
    fallback = (
        LocalMention(-1, -1, str(context_place[0]), context_place[1], None, False, "")
        if context_place
        else None
    )
    finder = PlaceFinder(text, ms, main_place, article.body_start - base, fallback)
    figures, skipped = _find_figures(text, sentences, starts, ms)
    _attach_growth_and_shares(text, figures, sentences, starts)
    out: list[Metric] = []
    for f in figures:
        si = bisect_right(starts, f.label_start) - 1
        sent = sentences[si]
        subject = finder.subject(
            f.label_start,
            f.value_start,
            f.value_end,
            sent.start,
            previous_in_paragraph(sentences, si),
            sentences[si - 1 :: -1] if si else [],
        )
        if subject.company:
            skipped.append((text[f.value_start : f.value_end], f"company: {subject.basis}"))
            continue
        if not subject.places:
            skipped.append((text[f.value_start : f.value_end], "no place"))
            continue
        period = period_of(text, f.label_start, sentences, si, year_ev)
        is_target = bool(period and period.is_target_year) or bool(
            lx.TARGET_RE.search(text, sent.start, f.value_start)
        )
        evidence = evidence_of(text, sent)
        values = [(f.value, f.value_start, f.value_end, f.qualifier)] + f.more
        places = subject.places
        if len(values) > 1 and len(places) == len(values):
            pairs = list(zip(places, values))
        else:
            pairs = [(places[0], values[0])]
        for place, (value, vs, ve, qual) in pairs:
            out.append(
                Metric(
                    article_id=article.article_id,
                    file=article.file,
                    place_id=place.place_id,
                    name=place.name,
                    metric=f.metric,
                    label=f.label,
                    value=value,
                    unit=f.unit,
                    period=period.period if period else None,
                    yoy_pct=f.yoy,
                    is_target=is_target,
                    qualifier=qual,
                    start=base + vs,
                    end=base + ve,
                    evidence=evidence,
                    year_source=period.year_source if period else None,
                    year=period.year if period else None,
                    period_text=period.text if period else None,
                    value_text=text[vs:ve],
                    place_basis=subject.basis,
                )
            )
    return out, skipped


# --- figures --------------------------------------------------------------------------------
def _find_figures(text: str, sentences, starts, mentions) -> tuple[list[_Figure], list]:
    found: list[_Figure] = []
    skipped: list = []
    taken: list[tuple[int, int]] = []

    def add(f: _Figure) -> None:
        """Keep ``f`` unless its value overlaps one already found (earlier patterns win)."""
        if all(f.value_end <= x or f.value_start >= y for x, y in taken):
            found.append(f)
            taken.append((f.value_start, f.value_end))

    for kind, rx in lx.LABELLED_RE.items():
        for m in rx.finditer(text):
            f = _labelled(text, m, kind, sentences, starts)
            if isinstance(f, str):
                skipped.append((m.group("value"), f))
            elif f is not None:
                add(f)
    for metric, rx in lx.COUNT_RES:
        for m in rx.finditer(text):
            if lx.COUNT_MOD_REJECT.search(m.groupdict().get("mod") or ""):
                skipped.append((m.group("value"), "not an investment-project count"))
                continue
            vs, ve = m.span("value")
            label = re.sub(r"\s", "", text[m.start() : vs] + text[ve : m.end()]).replace("了", "")
            add(
                _Figure(
                    metric,
                    "count",
                    label,
                    m.start(),
                    vs,
                    ve,
                    _number(m["num"]),
                    "个",
                    lx.qualifier(m["qpost"]),
                )
            )
    for m in lx.RD_INTENSITY_RE.finditer(text):
        add(
            _Figure(
                "rd_intensity",
                "percent",
                re.sub(r"\s", "", m["label"]),
                m.start(),
                *m.span("value"),
                _number(m["num"]),
                "%",
                lx.qualifier(m["qpre"]),
            )
        )
    for pm in mentions:
        am = None if pm.in_org else lx.AREA_AFTER_PLACE_RE.match(text, pm.end)
        if am:
            add(
                _Figure(
                    "area",
                    "area",
                    "面积",
                    am.start(),
                    *am.span("value"),
                    _number(am["num"]),
                    "平方公里",
                    None,
                )
            )
    found.sort(key=lambda f: f.value_start)
    return found, skipped


def _number(s: str) -> float:
    value = lx.parse_number(s)
    assert value is not None  # s is a digit run (or Chinese magnitude) the pattern matched
    return round(value, 6)


def _labelled(text, m, kind, sentences, starts):
    """A "LABEL … VALUE UNIT" match → _Figure, a reason to skip (str), or None (not a figure)."""
    label_text = m.group("label")
    metric = lx.label_key(label_text)
    assert metric is not None  # LABELLED_RE's labels are exactly LABELLED's, loosely spaced
    ls = m.start()
    before = re.sub(r"\s", "", text[max(0, ls - 6) : ls])
    if lx.LABEL_PREFIX_REJECT.search(before):
        return None
    gap = m.group("gap") or ""
    if not re.search(r"由|从", gap) and lx.GAP_REJECT.search(gap):
        return None
    unit = m.group("unit")
    num_text = m.group("num")
    if kind == "population" and not unit and (num_text[0].isdigit() or num_text[-1] not in "万亿"):
        return None
    info = lx.unit_info(kind, unit)
    value = lx.parse_number(num_text)
    if info is None or value is None:
        return None
    if metric == "signed_investment":
        si = bisect_right(starts, ls) - 1
        clause = max([sentences[si].start] + [c.end() for c in re.finditer(r"[；;]", text[:ls])])
        if not re.search(r"签\s*约", text[clause:ls]):
            return "investment not tied to signed projects"
    factor, norm_unit = info
    qual = lx.qualifier(m.group("qpre"), m.group("qpost"), m.group("qafter"))
    if qual is None:
        tail = re.search(lx.QUAL_PRE + r"\s*了?\s*$", gap)
        qual = lx.qualifier(tail.group("qpre")) if tail else None
    if m.group("num2"):
        qual = "range"
    vs = m.start("value")
    ve = m.end("qafter") if m.group("qafter") else m.end("value")
    fig = _Figure(
        metric, kind, re.sub(r"\s", "", label_text), ls, vs, ve, round(value * factor, 6), norm_unit, qual
    )
    if re.search(r"分\s*别", text[ls:vs]):  # the gap lies inside text[ls:vs]
        fig.more = _more_values(text, ve, kind, factor)
    return fig


def _more_values(text, pos, kind, factor):
    out: list[tuple[float, int, int, str | None]] = []
    while True:
        m = lx.MORE_VALUES_RE.match(text, pos)
        if not m:
            return out
        info = lx.unit_info(kind, m["unit"]) if m["unit"] else (factor, None)
        if info is None:
            return out
        num = lx.parse_number(m["num"])
        assert num is not None  # MORE_VALUES_RE's num is a plain digit run
        out.append(
            (
                round(num * info[0], 6),
                m.start("num"),
                m.end(),
                lx.qualifier(m["qpre"], m["qpost"]),
            )
        )
        pos = m.end()


def _attach_growth_and_shares(text, figures, sentences, starts):
    """Year-on-year changes and "占全区…的x%" shares that follow a figure in its sentence."""
    shares = []
    for i, f in enumerate(figures):
        si = bisect_right(starts, f.value_start) - 1
        sent_end = sentences[si].end
        nxt = next((g.label_start for g in figures[i + 1 :] if g.label_start >= f.value_end), sent_end)
        stop = min(nxt, sent_end)
        sh = lx.SHARE_RE.match(text[f.value_end : stop])
        if sh and f.kind != "percent":
            vs, ve = f.value_end + sh.start("value"), f.value_end + sh.end("value")
            shares.append(
                _Figure(
                    f"{f.metric}_share",
                    "percent",
                    re.sub(r"\s", "", sh["label"]),
                    f.value_end + sh.start("label"),
                    vs,
                    ve,
                    _number(sh["num"]),
                    "%",
                    lx.qualifier(sh["qpre"]),
                    share_of=f.metric,
                )
            )
        y = lx.YOY_RE.search(text, f.value_end, stop)
        if y is None or y["avg"] or not (y["cmp"] or y["verb"] or y["noun"]):
            continue
        pcts = [float(re.sub(r"\s", "", y["pct"]))] + [
            float(re.sub(r"\s", "", p)) for p in lx.YOY_MORE_RE.findall(y["more"] or "")
        ]
        sign = -1.0 if lx.is_negative(y.group(0)) else 1.0
        if len(pcts) == 1:
            f.yoy = sign * pcts[0]
            continue
        # 分别同比增长 17.3% 和 11.3%: the figures of this sentence still without a change, in order.
        open_ = [g for g in figures[: i + 1] if g.yoy is None and g.value_start >= sentences[si].start]
        for g, p in zip(open_[-len(pcts) :], pcts):
            g.yoy = sign * p
    figures.extend(shares)
    figures.sort(key=lambda f: f.value_start)
