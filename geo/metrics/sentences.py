"""Sentences, paragraphs and the period a figure is about (the years an article speaks of).

A figure's period is looked for in its own sentence first, then in the sentences before it in
the same paragraph (``2024年1-8月，全区实现…。其中规上工业增加值…`` → 2024-01..2024-08), at most
``LOOKBACK`` of them: a period stated further back is not what the figure means, and an unbounded
look-back makes a text without line breaks (one endless paragraph) quadratic.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from geo.corpus import YearEvidence, document_year
from geo.metrics.periods import Period, find_period, with_year

LOOKBACK = 6  # sentences of the paragraph a figure looks back over for its period and subject


class Sentence(NamedTuple):
    start: int
    end: int
    para_end: bool  # a paragraph ends after this sentence


# --- sentences ------------------------------------------------------------------------------
#: A sentence's end (group 1) and, when a line break or the text's end follows, the paragraph's.
_SENT_END = re.compile(r"([。！？!?]+[”’」』\"）)]*)([^\S\r\n]*(?:[\r\n]|$))?")
_HEADING = re.compile(r"(?<![^\r\n])[^\S\r\n]*#[^\r\n]*")
_LINE_BREAKS = re.compile(r"\s*[\r\n]\s*")
_new = tuple.__new__


def split_sentences(text: str, body_start: int = 0, headings: tuple = ()) -> list[Sentence]:
    """Sentences end at 。！？, around '#' heading lines, around the article's section headings
    (``headings``: (start, end) offsets) and where the body begins — not at line breaks, which in
    PDF-extracted text fall mid-sentence."""
    cuts = {0, len(text)}
    para = set()
    if 0 < body_start < len(text):
        cuts.add(body_start)
        para.add(body_start)
    for a, b in headings:
        cuts.update((a, b))
        para.update((a, b))
    for m in _SENT_END.finditer(text):
        cuts.add(m.end(1))
        if m.start(2) >= 0:
            para.add(m.end(1))
    if "#" in text:  # a heading line holds one
        for m in _HEADING.finditer(text):
            cuts.update((m.start(), m.end()))
            para.update((m.start(), m.end()))
    edges = sorted(cuts)
    n = len(text)
    return [_new(Sentence, (a, b, b in para or b == n)) for a, b in zip(edges, edges[1:]) if b > a]


def previous_in_paragraph(sentences: list[Sentence], si: int) -> list[Sentence]:
    """Earlier sentences of the same paragraph, nearest first, at most ``LOOKBACK``."""
    out: list[Sentence] = []
    j = si - 1
    while j >= 0 and not sentences[j].para_end and len(out) < LOOKBACK:
        out.append(sentences[j])
        j -= 1
    return out


def earlier(sentences: list[Sentence], si: int, n: int = 3) -> list[Sentence]:
    """The n sentences before sentence si, nearest first (any paragraph)."""
    return sentences[max(0, si - n) : si][::-1]


def evidence_of(text: str, sent: Sentence) -> str:
    return _LINE_BREAKS.sub("", text[sent.start : sent.end]).strip()


# --- years and periods ----------------------------------------------------------------------
def article_year(text: str, base: int, doc_year: YearEvidence | None) -> YearEvidence | None:
    """An issue date or dated heading of the document wins; else the article's own evidence."""
    if doc_year is not None and doc_year.kind in ("issue_date", "dated_heading"):
        return doc_year
    own = document_year(text)
    if own is not None and own.kind not in ("issue_date", "dated_heading"):
        assert own.start is not None and own.end is not None  # document_year always sets them
        return YearEvidence(own.year, own.source, own.kind, base + own.start, base + own.end)
    return doc_year


def period_of(text, upto, sentences, si, year_ev) -> Period | None:
    """The period in the sentence before the figure, else carried from the same paragraph."""
    p = find_period(text, upto, year_ev, sentences[si].start)
    if p is not None and not p.bare:
        return p
    for prev in previous_in_paragraph(sentences, si):
        q = find_period(text, prev.end, year_ev, prev.start)
        if q is None:
            continue
        if p is None:
            return q
        if q.year is not None and not q.bare:  # "2020 年，…。街道全年…" → 2020
            return with_year(p, q.year, q.year_source, q.text)
        break
    return p
