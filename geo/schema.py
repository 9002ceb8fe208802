"""The data contract: the records every stage reads and writes, by name, in one place.

Data path: corpus files → :class:`Document` → :class:`Article` (title, byline, offsets, sections,
date) →
:class:`Mention` (a place named in the text, resolved: admin chain, level, code, coordinates,
precision) → :class:`Metric` (a figure about a place) → map layers and exports. Files that
cannot be read become :class:`Skipped` rows with a reason, never silent loss.

Offsets are Python ``str`` indices into the file decoded exactly (no newline translation):
``file_text[start:end] == text`` for every article and mention. The field order of each record is
the column order of its table and the key order of its JSON Lines file (``articles.jsonl``,
``mentions.jsonl``, ``metrics.jsonl``, ``skipped.jsonl``), so ``Record._fields`` is the only
column list. Records are NamedTuples: tuples for speed (millions per corpus), names for readers.

Example (a mention of 萧山 in "杭州萧山区河上镇…")::

    Mention(article_id="0f3a…", file="002.txt", start=2, end=5, text="萧山区", place_id="330109",
            name="萧山区", level="county", province="浙江省", city="杭州市", county="萧山区",
            township=None, code="330109", lon=120.26, lat=30.18, precision="exact",
            confidence=0.93, in_org=False, historical=False, county_id="330109", runner_up=None)

This module imports nothing from ``geo``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

#: Place levels, from the largest unit to the smallest point; then countries (中国, 南非) and places
#: abroad (纽约), which have no point and are never drawn.
LEVELS = ("province", "city", "county", "township", "village", "zone", "landmark", "country", "foreign")
#: How precise a coordinate is: its own point, its township's seat, or its county's point.
PRECISIONS = ("exact", "township", "county")


class Document(NamedTuple):
    """One corpus file, decoded."""

    file: str  # path relative to the corpus root, POSIX separators
    path: Path  # absolute path on disk
    text: str  # decoded text, newlines untouched
    encoding: str  # "utf-8", "utf-8-sig", "gb18030" …


class Section(NamedTuple):
    """A section heading inside an article (``历史钩沉 豁然打开的发展局面``) and where it starts."""

    title: str
    start: int  # file offset where the section's text starts (its heading, or the first
    # paragraph when the PDF printed the heading after it)


#: Where an article's ``date`` comes from, most specific first: a date line at its head or the
#: dated label over it (``◆ 4 月 16 日``), the page header above it (``2024年5月20日 星期一``), the
#: magazine's issue (``2021 \\04 NO.9``), the file name (``20240520_…txt``), the document's own
#: year evidence (``2023年底以来`` → 2024), or nothing.
DATE_SOURCES = ("dateline", "header", "issue", "file name", "document", "unknown")


class Article(NamedTuple):
    """One article inside a document; offsets index into the document's text.

    The ``articles.jsonl`` row is :data:`ARTICLE_COLUMNS` (``Article.row()``): article_id, file,
    start, end, title, byline, sections, date, date_source. ``body_start`` and ``text`` are what
    the stages read and are not written out; the three last fields have defaults so that a bare
    article (tests, one text) is built from the first eight.
    """

    article_id: str  # stable: same file, offset and title → same id
    file: str
    start: int
    end: int
    title: str  # "" for an untitled article
    byline: tuple[str, ...]  # ("汪燕鸣", "王佳萱")
    body_start: int  # offset where the body (after title and byline) begins
    text: str  # == document.text[start:end]
    sections: tuple[Section, ...] = ()  # headings inside the article, in text order
    date: str | None = None  # ISO, as precise as known: 2021-04-16 | 2021-04 | 2021
    date_source: str = "unknown"  # one of DATE_SOURCES

    def row(self) -> tuple:
        """The contract row: the fields of :data:`ARTICLE_COLUMNS`; byline a list, sections a
        list of {"title", "start"} objects."""
        return (
            self.article_id,
            self.file,
            self.start,
            self.end,
            self.title,
            list(self.byline),
            [{"title": s.title, "start": s.start} for s in self.sections],
            self.date,
            self.date_source,
        )


#: Columns of the articles table and keys of ``articles.jsonl``, in order.
ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id", "file", "start", "end", "title", "byline", "sections", "date", "date_source",
)  # fmt: skip


class Mention(NamedTuple):
    """A place named in an article, resolved to one gazetteer place."""

    article_id: str
    file: str
    start: int  # file offsets of the name as written
    end: int
    text: str  # the name as written: 萧山 (short form) or 萧山区
    place_id: str  # the gazetteer place (division code, or a curated id for zones)
    name: str  # canonical full name: 萧山区
    level: str  # one of LEVELS
    province: str | None  # the admin chain, full names; a unit's own name at its own level
    city: str | None
    county: str | None
    township: str | None
    code: str | None  # 民政部 division code where the place is a division
    lon: float | None  # WGS-84
    lat: float | None
    precision: str | None  # one of PRECISIONS
    confidence: float  # 0–1, how sure resolution is among same-named places
    in_org: bool  # inside an organisation's name (杭州市萧山区人民政府)
    historical: bool  # an old name (萧山市, 江干区) resolved to today's place
    county_id: str | None  # the county the place lies in (for the choropleth)
    runner_up: str | None  # the next-best place_id when the name was ambiguous


#: Columns of the mentions table and keys of ``mentions.jsonl``, in order.
MENTION_COLUMNS: tuple[str, ...] = Mention._fields


class Metric(NamedTuple):
    """One figure about one place (``start``/``end``: file offsets of the figure itself)."""

    article_id: str
    file: str
    place_id: str
    name: str | None
    metric: str  # indicator key, e.g. industrial_output
    label: str  # the indicator as written, e.g. 规上工业总产值
    value: float  # normalised: money in 亿元, people in 人, area in 平方公里, 人/平方公里, 家, 个, %
    unit: str  # the normalised unit (geo/metrics/indicators.csv)
    period: str | None  # 2024 | 2024-Q1 | 2024-H1 | 2021-04 | 2024-01..2024-08 | target 2021..2025;
    # XXXX for a year the text and the document do not give (XXXX-H1)
    yoy_pct: float | None
    is_target: bool
    qualifier: str | None  # over | nearly | about | range
    start: int
    end: int
    evidence: str  # the sentence, line breaks removed
    year_source: str | None
    year: int | None = None
    period_text: str | None = None
    value_text: str = ""  # == file text[start:end], the figure as written ("6000亩")
    unit_text: str = ""  # the unit as written, whitespace removed ("亩"; value and unit are normalised)
    place_basis: str = ""  # sentence subject | attributive | anaphor 街道 | previous sentence | main place


#: Columns of the metrics table and keys of ``metrics.jsonl``, in order.
METRIC_COLUMNS: tuple[str, ...] = Metric._fields


class Skipped(NamedTuple):
    """A corpus file (or folder) that was not read, and why (``skipped.jsonl``)."""

    file: str
    reason: str
    encoding: str | None = None  # the decode tried and rejected (binary, nonsense); None if none


SKIPPED_COLUMNS: tuple[str, ...] = Skipped._fields


class DocumentInfo(NamedTuple):
    """What extraction records about each document it read."""

    file: str
    encoding: str
    chars: int
    articles: int


#: Columns of the gazetteer's places table (one row per place).
PLACE_COLUMNS: tuple[str, ...] = (
    "place_id", "name", "level", "province", "city", "county", "township", "province_id",
    "city_id", "county_id", "parent_id", "code", "lon", "lat", "precision", "source", "kind",
    "note",
)  # fmt: skip


def empty_frame(record: type[Any]) -> pd.DataFrame:
    """An empty DataFrame with a record's columns (a table's shape when a corpus has no rows)."""
    return pd.DataFrame(columns=list(record._fields))
