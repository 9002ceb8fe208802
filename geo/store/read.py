"""Reading an atlas store: read-only, one connection per query at a time (DuckDB allows many
readers or one writer per file; a connection is not shared between threads), so the app can run
queries from several sessions while a build prepares the next version beside it.

The app never holds the corpus texts: an article's text is read from its file by offsets and
checked against the file's sha256 recorded at build time (a moved or edited corpus is reported,
with the fix, instead of showing the wrong text).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from geo.corpus import decode_bytes
from geo.errors import CorpusError, StoreError
from geo.pipeline import REPEATED_ARTICLE_COLUMNS, REPEATED_MENTION_COLUMNS, Extraction
from geo.schema import ARTICLE_COLUMNS, MENTION_COLUMNS, METRIC_COLUMNS, DocumentInfo, Skipped
from geo.store.tables import JSON_COLUMNS, SCHEMA_VERSION, q

#: Connections a kept-open store holds between queries (the app's sessions run in threads).
_MAX_IDLE = 4


def check_store(path: Path) -> dict[str, str]:
    """The store's meta table, or a StoreError that says what is wrong and how to fix it."""
    if not path.is_file():
        raise StoreError(f"no atlas store at {path}: build it with  python -m geo build PATH… --store {path}")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as e:
        raise StoreError(
            f"{path} is not a readable atlas store ({str(e).splitlines()[0]}): "
            f"rebuild it with  python -m geo build PATH… --store {path} --rebuild"
        ) from None
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error:
        raise StoreError(
            f"{path} is a DuckDB file but not an atlas store: choose another --store path"
        ) from None
    finally:
        con.close()
    version = meta.get("schema_version")
    if version != str(SCHEMA_VERSION):
        raise StoreError(
            f"{path} was built by another version of Corpus Atlas (store schema {version}, this version "
            f"reads {SCHEMA_VERSION}): rebuild it with  python -m geo build PATH… --store {path} --rebuild"
        )
    return meta


def _spill_dir() -> str:
    """Where a kept-open store's DuckDB spills a query larger than its memory limit (an
    in-memory database has no such folder by default: the query would fail)."""
    return str(Path(tempfile.gettempdir()) / f"atlas-duckdb-{os.getpid()}").replace("'", "''")


class AtlasStore:
    """A built corpus, read from its DuckDB file.

    ``keep_open`` (the app): connections are kept for the next query instead of closed — one
    per thread at a time, a few at most — so a click does not open the file and warm DuckDB's
    cache anew for each of its queries (~20 ms CPU each), and the cache stays within
    ``memory_limit``. The file is only ever replaced by a rename (the build writes a copy), so
    an open connection keeps reading the version it opened; the app opens a new store for the
    new version. The kept connections are cursors of one in-memory DuckDB with the file attached,
    so its cache of the file's blocks is held once: ``memory_limit`` bounds the store, not each
    session's thread (each connection its own database cached ~220 MB of a 1 GB store)."""

    def __init__(self, path: Path | str, keep_open: bool = False, memory_limit: str = "256MB"):
        self.path = Path(path).expanduser().resolve()
        self.meta = check_store(self.path)
        self.keep_open = keep_open
        self.memory_limit = memory_limit
        self._idle: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self._db: duckdb.DuckDBPyConnection | None = None

    def _open(self) -> duckdb.DuckDBPyConnection:
        try:
            if not self.keep_open:
                return duckdb.connect(str(self.path), read_only=True)
            # a private in-memory DuckDB with the file attached: duckdb.connect(path) would hand
            # back a database another connection of this process still holds on the replaced file
            with self._lock:
                if self._db is None:
                    db = duckdb.connect()
                    db.execute(f"SET memory_limit = '{self.memory_limit}'")
                    # a query larger than the limit spills to disk instead of failing
                    db.execute(f"SET temp_directory = '{_spill_dir()}'")
                    db.execute("ATTACH ? AS atlas (READ_ONLY)", [str(self.path)])
                    self._db = db
                con = self._db.cursor()  # a connection of its own on the same database
            con.execute("USE atlas")
            return con
        except duckdb.Error as e:
            raise StoreError(f"cannot read {self.path}: {str(e).splitlines()[0]}") from None

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection for one query (or a few), closed afterwards (or, with
        ``keep_open``, kept for the next one)."""
        con = None
        if self.keep_open:
            with self._lock:
                con = self._idle.pop() if self._idle else None
        if con is None:
            con = self._open()
        try:
            yield con
        except BaseException:
            con.close()  # an interrupted query: never hand its connection on
            raise
        if self.keep_open:
            with self._lock:
                if len(self._idle) < _MAX_IDLE:
                    self._idle.append(con)
                    return
        con.close()

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, params or []).df()

    def query_arrow(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """:meth:`query` through Arrow: text columns arrive as Arrow strings instead of one Python
        object per value (500,000 metric rows: 0.75 s instead of 2 s). Integer columns with
        NULLs arrive as float64 and booleans with NULLs as objects, as :func:`like_extraction`
        makes them."""
        with self.connect() as con:
            table = con.sql(sql, params=params or []).to_arrow_table()
        frame = table.to_pandas()
        for name, column in zip(table.column_names, table.columns):
            if column.null_count == len(column) and str(column.type) in ("string", "large_string"):
                frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        return frame  # a text column without a value: objects, as DataFrame() makes it

    def version(self) -> str:
        """Changes whenever a build replaces the file (the app's caches key on it)."""
        st = self.path.stat()
        return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"

    # ------------------------------------------------------------------ whole tables
    def _table(self, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
        cols = ", ".join(f"t.{q(c)}" for c in columns)
        return self.query(
            f"SELECT {cols} FROM {table} t JOIN documents d ON d.file = t.file ORDER BY d.doc_order, t.seq"
        )

    def extraction(self) -> Extraction:
        """The whole store as an in-memory extraction (what ``geo extract`` returns), rows in
        corpus order: exports from it are byte-identical to exports of the folder."""
        articles = self._table("articles", ARTICLE_COLUMNS)
        articles = like_extraction(decode_articles(articles), REPEATED_ARTICLE_COLUMNS)
        mentions = like_extraction(self._table("mentions", MENTION_COLUMNS), REPEATED_MENTION_COLUMNS)
        metrics = like_extraction(self._table("metrics", METRIC_COLUMNS), set())
        docs = self.query("SELECT * FROM documents ORDER BY doc_order")
        read = docs[docs["skipped_reason"].isna()]
        skipped = docs[docs["skipped_reason"].notna()]
        return Extraction(
            articles=articles,
            mentions=mentions,
            metrics=metrics,
            skipped=[Skipped(f, r) for f, r in zip(skipped["file"], skipped["skipped_reason"])],
            documents=[
                DocumentInfo(f, e, int(c), int(a))
                for f, e, c, a in zip(read["file"], read["encoding"], read["chars"], read["articles"])
            ],
        )

    # ------------------------------------------------------------------ texts
    def article_text(self, article_id: str) -> tuple[str, int, int, str]:
        """(document text, start, end, file) of an article, read from its corpus file now."""
        with self.connect() as con:
            row = con.execute(
                "SELECT a.file, a.start, a.\"end\", d.path, d.sha256 FROM articles a "
                "JOIN documents d ON d.file = a.file WHERE a.article_id = ? LIMIT 1",
                [article_id],
            ).fetchone()
        if row is None:
            raise StoreError(f"no article {article_id} in {self.path}")
        file, start, end, path, digest = row
        return read_document(Path(path), digest, file, self.path), int(start), int(end), file


def read_document(path: Path, digest: str, file: str, store: Path) -> str:
    """A corpus file's text, if it is still the file the store was built from."""
    fix = f"rebuild the store:  python -m geo build <corpus> --store {store}"
    try:
        data = path.read_bytes()
    except OSError as e:
        raise StoreError(f"{file} is no longer at {path} ({e.strerror}): the corpus moved; {fix}") from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise StoreError(f"{file} changed since the store was built (its text no longer matches); {fix}")
    try:
        return decode_bytes(data)[0]
    except CorpusError as e:
        raise StoreError(f"{file}: {e}") from None


def decode_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Article columns as the in-memory extraction has them: byline a list, the JSON columns
    (sections: [{"title", "start"}]) decoded."""
    articles["byline"] = [list(b) if b is not None else [] for b in articles["byline"]]
    for c in JSON_COLUMNS["articles"]:
        articles[c] = [None if v is None else json.loads(v) for v in articles[c]]
    return articles


def like_extraction(frame: pd.DataFrame, repeated: set[str]) -> pd.DataFrame:
    """Columns with the dtypes an in-memory extraction has: DuckDB returns an integer column with
    NULLs as nullable Int64, pandas builds the same rows as float64 with NaN (year: 2024.0)."""
    for c in frame.columns:
        dtype = str(frame[c].dtype)
        if dtype in ("Int64", "Int32") and frame[c].isna().any():
            frame[c] = frame[c].astype("float64")
        elif dtype == "boolean":
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
        if c in repeated:  # as geo.tables.RowTable keeps them
            frame[c] = frame[c].astype("str").astype("category")
    return frame
