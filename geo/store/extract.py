"""Extracting a build's documents into the store's working copy, on an engine.

The build (:mod:`geo.store.build`) decides what to extract; an :class:`Engine` reads and parses
those files and writes their rows through a :class:`Writer` into the copy. The local engine runs
:func:`geo.pipeline.parse_documents` here (in-process or forked workers); the Dask engine
(:mod:`geo.store.dask_engine`, the only module that imports dask) runs the same per-document
function on a cluster and hands back Parquet files. Both insert rows built by
:func:`geo.store.tables.rows_table`, so the tables come out the same whichever engine ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

import duckdb
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

from geo.columns import OWN_FIELDS, PLACE_FIELDS, MentionColumns
from geo.corpus import load_document
from geo.gazetteer import Gazetteer
from geo.geoparse import geoparser
from geo.pipeline import DocumentResult, encoded_documents
from geo.schema import Document, Skipped
from geo.settings import Settings
from geo.store.tables import CONTRACT_TABLES, DOCUMENT_COLUMNS, arrow_schema, q, rows_table

#: Rows gathered before they are written (keeps memory flat whatever the corpus size).
BATCH_ROWS = 200_000
#: The contract tables a document's rows go to, in the order they are written.
TABLES = ("articles", "mentions", "metrics")
#: A document's rows as the store's tables, each an Arrow IPC stream (None: no rows), in
#: :data:`TABLES` order: what :func:`encode_result` makes of a result on a worker.
Encoded = tuple[bytes | None, ...]

Progress = Callable[[int, int, str], None]  # (documents done, documents to extract, what)


@dataclass
class BuildReport:
    """What a build did, for the CLI's summary."""

    store: Path
    files: int = 0
    extracted: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # re-resolution, recovery …
    seconds: float = 0.0
    chars: int = 0
    engine: str = "local"


class Todo(NamedTuple):
    """A corpus file to (re-)extract."""

    order: int
    file: str
    path: Path
    size: int
    mtime_ns: int
    sha256: str | None
    error: str | None = None  # why it cannot be read (stat failed)

    def document_row(self, encoding: str | None, chars: int, articles: int, skipped: str | None) -> tuple:
        """Its row of the documents table (DOCUMENT_COLUMNS order)."""
        path = str(self.path)
        return (
            self.file,
            path,
            self.sha256,
            self.size,
            self.mtime_ns,
            encoding,
            chars,
            articles,
            skipped,
            self.order,
        )


class Writer:
    """Batches extracted documents' tables (:func:`encode_result`) into the store's tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.parts: dict[str, list[pa.Table]] = {t: [] for t in TABLES}
        self.rows = 0

    def add(self, encoded: Encoded) -> None:
        """One document's tables; written once :data:`BATCH_ROWS` rows are gathered."""
        import pyarrow as pa

        for table, stream in zip(TABLES, encoded):
            if stream is not None:
                part = pa.ipc.open_stream(stream).read_all()  # no copy: the table reads the bytes
                self.parts[table].append(part)
                self.rows += part.num_rows
        if self.rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        for table in TABLES:
            if self.parts[table]:
                part = pa.concat_tables(self.parts[table])  # noqa: F841 (read by DuckDB, chunk by chunk)
                self.con.execute(f"INSERT INTO {table} SELECT * FROM part")
            self.parts[table] = []
        self.rows = 0

    def load_parquet(self, table: str, sources: list[str]) -> None:
        """Insert Parquet files written by :func:`geo.store.tables.rows_table` (workers' parts)."""
        if sources:
            cols = ", ".join([q(c) for c, _ in CONTRACT_TABLES[table]] + ["seq"])
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet(?)", [sources])

    def documents(self, rows: list[tuple]) -> None:
        """The documents table's rows (:meth:`Todo.document_row`), read or skipped."""
        if rows:
            docs = pd.DataFrame(rows, columns=[c for c, _ in DOCUMENT_COLUMNS])  # noqa: F841
            names = ", ".join(q(c) for c, _ in DOCUMENT_COLUMNS)
            self.con.execute(f"INSERT INTO documents SELECT {names} FROM docs")


def mentions_table(mentions: MentionColumns, seqs: Sequence[int]) -> pa.Table:
    """The mentions as :func:`geo.store.tables.rows_table` makes them from records, built from
    the columns (a place's fields once per place)."""
    return mentions.arrow(arrow_schema("mentions"), seqs)


def encode_result(res: DocumentResult) -> Encoded:
    """A document's rows as the store's tables (``seq``: a row's position in the document), as
    Arrow IPC streams: run on the worker that parsed it (:func:`geo.pipeline.encoded_documents`),
    so the build's process reads the tables as they are instead of building them from the
    columns' Python lists (200 MB: 24.6–28.4 → 19.4–19.8 CPU-s in that process)."""
    import pyarrow as pa

    tables = {
        "articles": rows_table("articles", res.articles, list(range(len(res.articles)))),
        "mentions": document_mentions(res.mentions),
        "metrics": rows_table("metrics", list(res.metrics), list(range(len(res.metrics)))),
    }
    out: list[bytes | None] = []
    for table in TABLES:
        arrow = tables[table]
        if not arrow.num_rows:
            out.append(None)
            continue
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, arrow.schema) as stream:
            stream.write_table(arrow)
        out.append(sink.getvalue().to_pybytes())
    return tuple(out)


def document_mentions(cols: MentionColumns) -> pa.Table:
    """One document's mentions as :func:`mentions_table` gives them, but the article's and the
    place's text fields as dictionary arrays over the per-article and per-place values (a
    document names ~800 places ~1,800 times): nothing is copied per mention, and DuckDB reads
    them into the same VARCHAR values."""
    import numpy as np
    import pyarrow as pa

    schema = arrow_schema("mentions")
    types = {f.name: f.type for f in schema}
    by_article = pa.array(cols.article_of().astype(np.int32))
    by_place = pa.array(np.asarray(cols.place, dtype=np.int32))
    arrays = {"seq": pa.array(range(len(cols)), type=pa.int64())}
    for f, values in (("article_id", cols.article_ids), ("file", cols.files)):
        arrays[f] = pa.DictionaryArray.from_arrays(by_article, pa.array(values, type=types[f]))
    for f in OWN_FIELDS:
        arrays[f] = pa.array(getattr(cols, f), type=types[f], from_pandas=True)
    per_place = list(zip(*cols.places)) or [()] * len(PLACE_FIELDS)  # a field's values: one pass
    for f, column in zip(PLACE_FIELDS, per_place):
        values = pa.array(column, type=types[f], from_pandas=True)
        text = pa.types.is_string(values.type)
        arrays[f] = pa.DictionaryArray.from_arrays(by_place, values) if text else values.take(by_place)
    return pa.Table.from_arrays([arrays[f.name] for f in schema], names=schema.names)


class Engine(Protocol):
    """Extracts ``todo`` into the copy ``con``: rows, documents, and the report's counts; returns
    whether it also added their contributions to the count tables (else the build counts them)."""

    name: str

    def extract(
        self,
        con: duckdb.DuckDBPyConnection,
        todo: list[Todo],
        settings: Settings,
        gaz: Gazetteer | None,
        report: BuildReport,
        progress: Progress | None,
    ) -> bool: ...


class LocalEngine:
    """This machine: in-process, or ``settings.workers`` forked processes sharing the gazetteer."""

    name = "local"

    def extract(
        self,
        con: duckdb.DuckDBPyConnection,
        todo: list[Todo],
        settings: Settings,
        gaz: Gazetteer | None,
        report: BuildReport,
        progress: Progress | None,
    ) -> bool:
        """Without an explicit gazetteer the workers (or this process, with one worker) load the
        compact cached geoparser; this process then never holds the gazetteer. The count tables
        are left to the build (counted from the mentions: the same CPU here, and one pass)."""
        facts = {t.file: t for t in todo}
        doc_rows: list[tuple] = []

        def documents() -> Iterator[Document]:
            for t in todo:
                item = Skipped(t.file, t.error) if t.error else load_document(t.path, t.file)
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    doc_rows.append(t.document_row(None, 0, 0, item.reason))
                    continue
                yield item

        writer = Writer(con)
        source = geoparser(gaz, settings.home_province) if gaz is not None else settings
        parsed_docs = encoded_documents(documents(), source, settings.workers, encode_result)
        for done, parsed in enumerate(parsed_docs, 1):
            if isinstance(parsed, Skipped):
                file = parsed.file
                report.skipped.append(parsed)
                doc_rows.append(facts[file].document_row(None, 0, 0, parsed.reason))
            else:
                info, res = parsed
                file = info.file
                doc_rows.append(facts[file].document_row(info.encoding, info.chars, info.articles, None))
                writer.add(res)
                report.extracted += 1
                report.chars += info.chars
            if progress:
                progress(done, len(todo), file)
        writer.flush()
        writer.documents(doc_rows)
        return False
