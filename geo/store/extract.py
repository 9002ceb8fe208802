"""Extracting a build's documents into the store's working copy, on an engine.

The build (:mod:`geo.store.build`) decides what to extract; an :class:`Engine` reads and parses
those files and writes their rows through a :class:`Writer` into the copy. The local engine runs
:func:`geo.pipeline.parse_documents` here (in-process or forked workers); the Dask engine
(:mod:`geo.store.dask_engine`, the only module that imports dask) runs the same per-document
function on a cluster and hands back Parquet files. Both insert rows built by
:func:`geo.store.tables.rows_table`, so the tables come out the same whichever engine ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

import duckdb
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

from geo.columns import MentionColumns
from geo.corpus import load_document
from geo.gazetteer import Gazetteer
from geo.geoparse import geoparser
from geo.pipeline import DocumentResult, parse_documents
from geo.schema import Document, Skipped
from geo.settings import Settings
from geo.store.tables import CONTRACT_TABLES, DOCUMENT_COLUMNS, arrow_schema, q, rows_table

#: Rows gathered before they are written (keeps memory flat whatever the corpus size).
BATCH_ROWS = 200_000

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
    """Batches the rows of extracted documents into the store's tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.rows: dict[str, list[tuple]] = {"articles": [], "metrics": []}
        self.mentions = MentionColumns()  # column by column, as the geoparser hands them on
        self.seqs: dict[str, list[int]] = {"articles": [], "mentions": [], "metrics": []}

    def add(self, res: DocumentResult) -> None:
        for table, rows in (("articles", res.articles), ("metrics", res.metrics)):
            self.rows[table].extend(rows)
            self.seqs[table].extend(range(len(rows)))
        self.mentions.extend(res.mentions)
        self.seqs["mentions"].extend(range(len(res.mentions)))
        if sum(len(r) for r in self.rows.values()) + len(self.mentions) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table in ("articles", "mentions", "metrics"):
            seqs = self.seqs[table]
            if seqs:
                part = (  # noqa: F841 (read by DuckDB)
                    mentions_table(self.mentions, seqs)
                    if table == "mentions"
                    else rows_table(table, self.rows[table], seqs)
                )
                self.con.execute(f"INSERT INTO {table} SELECT * FROM part")
            self.seqs[table] = []
        self.rows = {"articles": [], "metrics": []}
        self.mentions = MentionColumns()

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


def mentions_table(mentions: MentionColumns, seqs: list[int]) -> pa.Table:
    """The mentions as :func:`geo.store.tables.rows_table` makes them from records, built from
    the columns (a place's fields once per place)."""
    return mentions.arrow(arrow_schema("mentions"), seqs)


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
        for done, parsed in enumerate(parse_documents(documents(), source, settings.workers), 1):
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
