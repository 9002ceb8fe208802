"""The layout dispatcher: one document text → article spans (news page, markdown or magazine).

``split_text`` scans the lines once and picks the layout: a PDF-extracted magazine (many short
lines, no markdown headings) goes to :mod:`geo.corpus.magazine`, everything else to
:mod:`geo.corpus.news`.
"""

from __future__ import annotations

from geo.corpus.lines import MD_H1, ArticleSpan, Line, scan_lines
from geo.corpus.magazine import split_magazine
from geo.corpus.news import split_news, whole_document


def looks_like_pdf(lines: list[Line]) -> bool:
    """Magazine text from PDF: many short lines (median ≤ 36 chars), no markdown headings."""
    if len(lines) < 40:
        return False
    lengths = sorted(len(ln.text) for ln in lines)
    if lengths[len(lengths) // 2] > 36:
        return False
    return not any(MD_H1.fullmatch(ln.text) for ln in lines)


def split_text(text: str) -> list[ArticleSpan]:
    """Article spans of one document text (any layout); [] for empty or blank text."""
    lines = scan_lines(text)
    if not lines:
        return []
    if looks_like_pdf(lines):
        return split_magazine(lines)
    return split_news(lines) or whole_document(lines)
