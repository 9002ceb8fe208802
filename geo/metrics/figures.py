"""Stage 4: the economic figures an article reports, tied to the place they describe.

"今年一季度，实现规上工业总产值245.23亿元，同比增长2.9%" becomes one row: place (the subject of
the sentence, else the article's main place), indicator, value in a normalised unit, period
(with the year resolved from the document's own date evidence), year-on-year change, whether it
is a target, and the evidence sentence with the figure's exact file offsets.

The indicators are a catalogue a user extends without code (:mod:`geo.metrics.catalogue`);
their patterns are compiled once in :mod:`geo.metrics.lexicon`, found in the text by
:mod:`geo.metrics.find`; periods live in :mod:`geo.metrics.periods`, choosing the place in
:mod:`geo.metrics.place`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

import pandas as pd

from geo.corpus import YearEvidence, document_year
from geo.metrics import lexicon as lx
from geo.metrics.find import attach_growth_and_shares, find_figures
from geo.metrics.mentions import LocalMention, plain_mentions
from geo.metrics.periods import target_span
from geo.metrics.place import OWN_LINE, PlaceFinder
from geo.metrics.sentences import (
    Sentence,
    article_year,
    earlier,
    evidence_of,
    period_of,
    previous_in_paragraph,
    split_sentences,
)
from geo.schema import METRIC_COLUMNS, Metric

#: Bases of a place named in the figure's sentence or the one before (geo.metrics.place).
_NAMED = ("attributive", "sentence subject", "anaphor", "previous sentence", "own line", "section heading")

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


def _line_of(text: str, a: int, b: int, most: int = OWN_LINE) -> tuple[int, int] | None:
    """The line (between line breaks) holding text[a:b] as article offsets, if it is at most
    ``most`` characters long (only a short line is an item of its own; looking no further keeps
    a text without line breaks linear)."""
    lo = max(0, a - most - 1)
    start = max(text.rfind("\n", lo, a), text.rfind("\r", lo, a)) + 1
    if start == 0 and lo > 0:
        return None
    hi = min(len(text), b + most + 1)
    ends = [e for e in (text.find("\n", b, hi), text.find("\r", b, hi)) if e >= 0]
    end = min(ends) if ends else (len(text) if hi == len(text) else -1)
    return (start, end) if end >= 0 and end - start <= most else None


def _heading_spans(article, text: str) -> tuple[tuple[int, int], ...]:
    """Article offsets of the section headings printed where their sections start (one line)."""
    out = []
    for sec in getattr(article, "sections", ()):
        at = sec.start - article.start
        if 0 <= at < len(text) and text.startswith(sec.title[:2], at):
            ends = [e for e in (text.find("\n", at), text.find("\r", at)) if e >= 0]
            out.append((at, min(ends) if ends else len(text)))
    return tuple(out)


def _heading_of(article, pos: int) -> tuple[int, int] | None:
    """The heading of the section holding article offset ``pos``, when it is printed there."""
    heading = None
    for s in getattr(article, "sections", ()):
        at = s.start - article.start
        if at > pos:
            break
        heading = s
    if heading is None:
        return None
    at = heading.start - article.start
    if not article.text.startswith(heading.title[:2], at):
        return None  # the heading was printed after the section's text: not here
    end = at + len(heading.title) * 2  # the heading's lines (joined titles are spaced)
    return at, min(end, pos)


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
    return figures_of(article, doc_text, mentions, lambda: doc_year, main_place, context_place)


def figures_of(
    article,
    doc_text: str,
    mentions,
    doc_year: Callable[[], YearEvidence | None],
    main_place: str | None = None,
    context_place: tuple[str, str | None] | None = None,
) -> tuple[list[Metric], list]:
    """:func:`explain_metrics` with the document's year evidence asked for (``doc_year()``) only
    when a figure needs its period: a quarter of the articles report no figure at all."""
    base = article.start
    text = doc_text[article.start : article.end]
    split: list[tuple[list[Sentence], list[int]]] = []  # the sentences, once a label needs them

    def sentences_of() -> tuple[list[Sentence], list[int]]:
        if not split:
            got = split_sentences(text, article.body_start - base, _heading_spans(article, text))
            split.append((got, [s.start for s in got]))
        return split[0]

    ms = plain_mentions(mentions, article)
    figures, skipped = find_figures(text, sentences_of, ms)
    if not figures:
        return [], skipped
    sentences, starts = sentences_of()
    years: list[YearEvidence | None] = []  # the article's year evidence, found when first needed

    def year_of() -> YearEvidence | None:
        if not years:
            ev = article_year(text, base, doc_year())
            date = getattr(article, "date", None)
            if ev is None and date:  # the year of the article's date (its dateline, header, file name)
                ev = YearEvidence(int(date[:4]), f"article date {date}", "article_date")
            years.append(ev)
        return years[0]

    fallback = (
        LocalMention(-1, -1, str(context_place[0]), context_place[1], None, False, "")
        if context_place
        else None
    )
    finder = PlaceFinder(text, ms, main_place, article.body_start - base, fallback)
    attach_growth_and_shares(text, figures, sentences, starts)
    out: list[Metric] = []
    seen: set[tuple] = set()
    for f in figures:
        si = bisect_right(starts, f.label_start) - 1
        sent = sentences[si]
        subject = finder.subject(
            f.label_start,
            f.value_start,
            f.value_end,
            sent.start,
            previous_in_paragraph(sentences, si),
            earlier(sentences, si),
            counts_firms=f.kind == "firms",
            line=_line_of(text, f.value_start, f.value_end),
            heading=_heading_of(article, f.value_start),
        )
        if subject.company:
            skipped.append((text[f.value_start : f.value_end], f"company: {subject.basis}"))
            continue
        if not subject.places:
            skipped.append((text[f.value_start : f.value_end], "no place"))
            continue
        if f.metric in lx.NAMED_PLACE and not subject.basis.startswith(_NAMED):
            skipped.append((text[f.value_start : f.value_end], f"place not named near it ({subject.basis})"))
            continue
        year_ev = year_of()
        period = period_of(text, f.label_start, sentences, si, year_ev)
        is_target = bool(period and period.is_target_year) or bool(
            lx.TARGET_RE.search(text, sent.start, f.value_start)
        )
        if is_target and period is not None:
            period = target_span(period, text, sent.start, f.value_start, year_ev.year if year_ev else None)
        evidence = evidence_of(text, sent)
        values = [(f.value, f.value_start, f.value_end, f.qualifier, f.unit_text)] + f.more
        places = subject.places
        if len(values) > 1 and len(places) == len(values):
            pairs = list(zip(places, values))
        else:
            pairs = [(places[0], values[0])]
        for place, (value, vs, ve, qual, unit_text) in pairs:
            key = (place.place_id, f.metric, value, period.period if period else None)
            if key in seen:  # a headline restating a figure of its text is one figure
                skipped.append((text[vs:ve], "restated"))
                continue
            seen.add(key)
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
                    unit_text=unit_text,
                    place_basis=subject.basis,
                )
            )
    return out, skipped
