"""The pipeline: corpus → articles → mentions (recognised and resolved) → metrics, as DataFrames.

Each document goes through the stages in order (split → geoparse → metrics), as
:func:`parse_document`; ``extract_corpus`` streams documents one at a time, so memory grows with
the results, not the corpus; with ``Settings.workers > 1`` documents are spread over processes.
The tables' columns are the data contract's (:mod:`geo.schema`).
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing as mp
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from geo.columns import MentionColumns
from geo.corpus import iter_documents, split_articles
from geo.gazetteer import Gazetteer
from geo.geoparse import Geoparser, ensure_geoparser_cache, geoparser, load_geoparser
from geo.geoparse.geoparser import geoparse_document
from geo.geoparse.segmenter import ensure_segmenter_cache
from geo.mention_table import MentionTable
from geo.metrics import document_metrics
from geo.schema import (
    ARTICLE_COLUMNS,
    MENTION_COLUMNS,
    METRIC_COLUMNS,
    Article,
    Document,
    DocumentInfo,
    Metric,
    Skipped,
)
from geo.settings import Settings, load_settings
from geo.tables import RowTable

#: Mention columns whose values repeat (kept as categories: shared strings for large corpora).
REPEATED_ARTICLE_COLUMNS = {"file"}
REPEATED_MENTION_COLUMNS = {
    "article_id",
    "file",
    "text",
    "place_id",
    "name",
    "level",
    "province",
    "city",
    "county",
    "township",
    "code",
    "precision",
    "county_id",
    "runner_up",
}


@dataclass
class DocumentResult:
    """One document through every stage: article rows, mentions and metrics, in text order."""

    articles: list[tuple]
    mentions: MentionColumns  # column by column (geo.columns): no tuple per mention
    metrics: list[Metric]


def parse_document(doc: Document, gp: Geoparser, articles: list[Article] | None = None) -> DocumentResult:
    """Mentions (and metrics) of one document; offsets index the document's text."""
    articles = split_articles(doc) if articles is None else articles
    mentions = geoparse_document(articles, gp)
    metrics = document_metrics(doc, articles, mentions.per_article())
    return DocumentResult([a.row() for a in articles], mentions, metrics)


def mentions_in_text(
    text: str, gaz: Gazetteer, settings: Settings | None = None, file: str = "<text>"
) -> pd.DataFrame:
    """Mentions of one in-memory text (split into articles like a file would be)."""
    settings = settings or load_settings()
    doc = Document(file=file, path=Path(file), text=text, encoding="utf-8")
    res = parse_document(doc, geoparser(gaz, settings.home_province))
    return pd.DataFrame(res.mentions.records(), columns=list(MENTION_COLUMNS))


@dataclass
class Extraction:
    """A corpus extracted: the contract's tables, the files skipped and what was read."""

    articles: pd.DataFrame
    mentions: pd.DataFrame
    metrics: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    documents: list[DocumentInfo] = field(default_factory=list)


# Worker-process state for parallel extraction (set by _init_worker).
_WORKER: Geoparser | None = None
_ENCODE: Callable[[DocumentResult], Any] | None = None

#: One document through the pipeline: what was read and its rows, or why it was skipped.
Parsed = tuple[DocumentInfo, DocumentResult] | Skipped

#: What extraction needs to recognise and resolve: a geoparser built in this process, or the
#: settings whose compact cached geoparser each process loads itself (:func:`load_geoparser`).
GeoparserSource = Geoparser | Settings

#: Documents handed to each worker process ahead of the one being consumed.
_IN_FLIGHT_PER_WORKER = 4
#: Garbage-collector thresholds while extracting: millions of short-lived tuples, almost no cycles.
_GC_THRESHOLDS = (100_000, 20, 100)


T = TypeVar("T")


def _init_worker(source: GeoparserSource, encode: Callable[[DocumentResult], Any] | None = None) -> None:
    global _WORKER, _ENCODE
    _WORKER = source if isinstance(source, Geoparser) else load_geoparser(source)
    _ENCODE = encode
    tune_gc()


def tune_gc() -> tuple[int, int, int]:
    """A worker process that has loaded its geoparser: its tables live as long as the worker, so
    they are frozen out of the collections (never traversed), and collections are rarer (millions
    of short-lived tuples, almost no cycles). Returns the thresholds it replaced."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)
    return old


def _work(doc: Document) -> Skipped | tuple[DocumentInfo, Any]:
    assert _WORKER is not None, "worker not initialised"
    parsed = extract_document(doc, _WORKER)
    if isinstance(parsed, Skipped):
        return parsed
    return parsed[0], _pack(parsed[1]) if _ENCODE is None else _ENCODE(parsed[1])


def extract_document(doc: Document, gp: Geoparser) -> Parsed:
    """:func:`parse_document` for one corpus file; a failure skips the file with its reason
    instead of stopping the corpus (every engine calls this, so they skip the same files)."""
    try:
        res = parse_document(doc, gp)
    except Exception as e:
        return Skipped(doc.file, f"extraction failed: {type(e).__name__}: {e}")
    return _doc_info(doc, res), res


def _pack(res: DocumentResult) -> bytes | DocumentResult:
    """A result as one marshal blob of plain lists and tuples (the mentions' columns): the parent
    reads it several times faster than a pickle of records (which calls each record class per
    row). Anything marshal cannot write (a numpy scalar) sends the result as it is."""
    try:
        return marshal.dumps((res.articles, res.mentions.pack(), [tuple(m) for m in res.metrics]))
    except ValueError:
        return res


def _unpack(packed: bytes | DocumentResult) -> DocumentResult:
    if not isinstance(packed, bytes):
        return packed
    articles, mentions, metrics = marshal.loads(packed)
    new = tuple.__new__
    return DocumentResult(articles, MentionColumns.unpack(mentions), [new(Metric, m) for m in metrics])


@contextlib.contextmanager
def _gc_tuned() -> Iterator[None]:
    """Fewer garbage collections while this process extracts; the long-lived objects so far (the
    geoparser) frozen out of them. Everything is restored afterwards."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _doc_info(doc: Document, res: DocumentResult) -> DocumentInfo:
    return DocumentInfo(doc.file, doc.encoding, len(doc.text), len(res.articles))


def extract_corpus(
    paths: Iterable[Path | str],
    settings: Settings | None = None,
    progress: Callable[[int, str], None] | None = None,
    gazetteer: Gazetteer | None = None,
) -> Extraction:
    """Run the whole pipeline over files and folders; bad files are skipped and reported."""
    settings = settings or load_settings()
    source = geoparser(gazetteer, settings.home_province) if gazetteer is not None else settings
    articles = RowTable(list(ARTICLE_COLUMNS), REPEATED_ARTICLE_COLUMNS)
    mentions = MentionTable(REPEATED_MENTION_COLUMNS)
    metrics = RowTable(list(METRIC_COLUMNS), set())  # few rows: plain columns
    docs: list[DocumentInfo] = []
    skipped: list[Skipped] = []

    def collect(info: DocumentInfo, res: DocumentResult) -> None:
        docs.append(info)
        articles.extend(res.articles)
        mentions.extend(res.mentions)
        metrics.extend(res.metrics)
        if progress:
            progress(len(docs), info.file)

    items = iter_documents([Path(p) for p in paths])
    for parsed in parse_documents(_documents_only(items, skipped), source, settings.workers):
        if isinstance(parsed, Skipped):
            skipped.append(parsed)
        else:
            collect(*parsed)
    return Extraction(
        articles=articles.frame(),
        mentions=mentions.frame(),
        metrics=metrics.frame(),
        skipped=skipped,
        documents=docs,
    )


def parse_documents(docs: Iterable[Document], source: GeoparserSource, workers: int = 1) -> Iterator[Parsed]:
    """Every document through every stage, in order.

    ``source`` is a :class:`Geoparser` or the :class:`Settings` to load the compact cached one
    with (:func:`load_geoparser`). With ``workers > 1`` documents go to forked worker processes
    (call this from a plain process, never from a threaded server): given settings, each worker
    loads the geoparser itself and this process never holds it (its memory stays that of the
    results); given a geoparser, the workers share this process's copy.
    """
    return _parsed(docs, source, workers, None)


def encoded_documents(
    docs: Iterable[Document], source: GeoparserSource, workers: int, encode: Callable[[DocumentResult], T]
) -> Iterator[tuple[DocumentInfo, T] | Skipped]:
    """:func:`parse_documents` with each result passed through ``encode`` where it was parsed (in
    the worker process): a consumer that turns results into something else (the store's Arrow
    tables) does it on the workers, and this process receives that instead of the result's
    columns, which it would read back into Python objects (UTF-8 decoded, then encoded again)."""
    return _parsed(docs, source, workers, encode)


def _parsed(
    docs: Iterable[Document],
    source: GeoparserSource,
    workers: int,
    encode: Callable[[DocumentResult], Any] | None,
) -> Iterator[Any]:
    if workers > 1:
        if isinstance(source, Settings):
            ensure_geoparser_cache(source)  # built once here, not by every worker at once
        ensure_segmenter_cache()  # (jieba's words: the same)
        # At most a few documents per worker in flight: the pool reads ahead and queues results
        # without limit, so a consumer slower than the workers (a database write) would otherwise
        # hold ever more documents and results in memory.
        in_flight = threading.BoundedSemaphore(_IN_FLIGHT_PER_WORKER * workers)

        def feed() -> Iterator[Document]:
            for doc in docs:
                in_flight.acquire()
                yield doc

        ctx = mp.get_context("fork")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(source, encode)) as pool, _gc_tuned():
            for item in pool.imap(_work, feed()):
                in_flight.release()
                if isinstance(item, Skipped) or encode is not None:
                    yield item
                else:
                    yield item[0], _unpack(item[1])
        return
    gp = source if isinstance(source, Geoparser) else load_geoparser(source)
    with _gc_tuned():
        for doc in docs:
            parsed = extract_document(doc, gp)
            yield parsed if isinstance(parsed, Skipped) or encode is None else (parsed[0], encode(parsed[1]))


def _documents_only(items: Iterable[Document | Skipped], skipped: list[Skipped]) -> Iterator[Document]:
    for it in items:
        if isinstance(it, Skipped):
            skipped.append(it)
        else:
            yield it
