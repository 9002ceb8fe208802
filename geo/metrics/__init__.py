"""Stage 3 — figures tied to places: 规上工业增加值, 财政总收入, 面积 … with value, unit and period.

:mod:`geo.metrics.lexicon` names the indicators and units, :mod:`geo.metrics.periods` finds the
period a figure is about (2024-Q1, 2024-H1, 2022-01/08), :mod:`geo.metrics.place` the place it
belongs to (among the article's mentions, :mod:`geo.metrics.mentions`), :mod:`geo.metrics.figures`
finds the figures of one article and :mod:`geo.metrics.document` runs it over a document.
:mod:`geo.metrics.scoring` scores the output against the hand-annotated metrics dev set.
"""

from geo.corpus import YearEvidence, document_year
from geo.metrics.document import document_metrics, main_place
from geo.metrics.figures import explain_metrics, extract_metrics, metrics_frame, record_dict

__all__ = [
    "YearEvidence",
    "document_metrics",
    "document_year",
    "explain_metrics",
    "extract_metrics",
    "main_place",
    "metrics_frame",
    "record_dict",
]
