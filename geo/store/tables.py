"""The store's tables: DDL derived from the data contract, so a column added to a record in
:mod:`geo.schema` is a column of its table.

Besides the contract's columns each table has ``seq`` (the row's position within its document),
so the store hands rows back in the order an in-memory extraction has them, whatever order the
builds inserted them in. ``documents`` holds one row per corpus file, read or skipped.
"""

from __future__ import annotations

import functools
import json
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

from geo.schema import ARTICLE_COLUMNS, Article, Mention, Metric
from geo.store import counts

#: Bumped whenever a table's columns change: an older or newer store is refused with the fix.
SCHEMA_VERSION = 3  # 2: articles.sections, date, date_source; metrics.unit_text; 3: count tables
#: Stores of these versions are brought up to date in place (tables added, nothing re-extracted).
UPGRADABLE_VERSIONS = ("2",)

_SQL_TYPES = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"}


def sql_type(annotation: str) -> str:
    """DuckDB type of a record field from its annotation ("str | None" → VARCHAR)."""
    base = annotation.replace(" | None", "").strip()
    if base.startswith("tuple[str"):
        return "VARCHAR[]"
    return _SQL_TYPES.get(base, "VARCHAR")  # anything richer is stored as JSON text


def _annotation(record: Any, field: str) -> str:
    """The field's annotation as text (records use postponed annotations: ForwardRef('str'))."""
    a = record.__annotations__[field]
    return str(getattr(a, "__forward_arg__", a))


def _is_json(annotation: str) -> bool:
    base = annotation.replace(" | None", "").strip()
    return base not in _SQL_TYPES and not base.startswith("tuple[str")


def _columns(record: Any, names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(n, sql_type(_annotation(record, n))) for n in names]


#: (table, [(column, type)]) for the contract tables, in the contract's column order.
CONTRACT_TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": _columns(Article, ARTICLE_COLUMNS),
    "mentions": _columns(Mention, Mention._fields),
    "metrics": _columns(Metric, Metric._fields),
}
JSON_COLUMNS: dict[str, list[str]] = {
    table: [c for c in names if _is_json(_annotation(rec, c))]
    for table, rec, names in (
        ("articles", Article, ARTICLE_COLUMNS),
        ("mentions", Mention, Mention._fields),
        ("metrics", Metric, Metric._fields),
    )
}

DOCUMENT_COLUMNS = [
    ("file", "VARCHAR PRIMARY KEY"),  # relative to the corpus root, as in every contract table
    ("path", "VARCHAR"),  # absolute path at build time
    ("sha256", "VARCHAR"),
    ("size", "BIGINT"),
    ("mtime_ns", "BIGINT"),
    ("encoding", "VARCHAR"),
    ("chars", "BIGINT"),
    ("articles", "BIGINT"),
    ("skipped_reason", "VARCHAR"),  # NULL when the file was read
    ("doc_order", "BIGINT"),  # position in the corpus walk (the order of an extraction)
]


def q(name: str) -> str:
    """A quoted identifier (``end`` is an SQL keyword)."""
    return '"' + name.replace('"', '""') + '"'


#: The store's secondary indexes: an article found by its id (the click → article text, the
#: article list), 1 ms instead of 5 on 200,000 articles, 0.2 CPU-s to build at 1 GB. They are
#: created after a first build's (or a re-resolution's) rows are loaded (:func:`create_indexes`),
#: not maintained row by row, and a build keeps them up to date after that.
INDEXES = {"articles_id": "CREATE INDEX articles_id ON articles (article_id)"}
#: Indexes of earlier stores that no query uses, dropped by the next build: ``mentions_place``
#: (no query filters on place_id alone: EXPLAIN ANALYZE of every app query shows no index scan
#: on it; building it at 1 GB failed, out of the build's 256 MB) and ``mentions_file`` (the
#: table's zone maps find a few files' rows as fast — the mentions are written in corpus order
#: — and it cost ~6 CPU-s to build at 1 GB, more row by row, held in memory).
DROPPED_INDEXES = ("mentions_place", "mentions_file")


def ddl() -> list[str]:
    """CREATE statements for an empty store (its indexes: :func:`create_indexes`, once loaded)."""
    out = ["CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)"]
    out.append("CREATE TABLE documents (" + ", ".join(f"{q(c)} {t}" for c, t in DOCUMENT_COLUMNS) + ")")
    for table, cols in CONTRACT_TABLES.items():
        body = ", ".join(f"{q(c)} {t}" for c, t in cols)
        out.append(f"CREATE TABLE {table} ({body}, seq BIGINT)")
    out.extend(counts.DDL)  # the mentions counted per place (geo.store.counts)
    return out


def drop_indexes(con: Any, every: bool) -> None:
    """Drop the indexes no query uses (:data:`DROPPED_INDEXES`), and with ``every`` the others
    too: a build that reloads every row recreates them afterwards (:func:`create_indexes`)."""
    for name in [*DROPPED_INDEXES, *(INDEXES if every else ())]:
        con.execute(f"DROP INDEX IF EXISTS {name}")


def create_indexes(con: Any) -> None:
    """The secondary indexes, built once over the loaded rows (those that exist are kept)."""
    for stmt in INDEXES.values():
        con.execute(stmt.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))


def rows_frame(table: str, rows: list[tuple], seqs: list[int]) -> pd.DataFrame:
    """A batch of record tuples as a frame with the table's columns (JSON for rich fields)."""
    cols = [c for c, _ in CONTRACT_TABLES[table]]
    frame = pd.DataFrame(rows, columns=cols)
    for c in JSON_COLUMNS[table]:
        frame[c] = [None if v is None else json.dumps(v, ensure_ascii=False) for v in frame[c]]
    frame["seq"] = seqs
    return frame


_ARROW_TYPES = {"VARCHAR": "string", "BIGINT": "int64", "DOUBLE": "float64", "BOOLEAN": "bool_"}


@functools.cache
def arrow_schema(table: str) -> pa.Schema:
    """The table's columns (and ``seq``) as an Arrow schema: every Parquet part a worker writes
    has these exact types, whatever its rows (an all-empty column would otherwise be typeless)."""
    import pyarrow as pa

    fields = []
    for c, t in [*CONTRACT_TABLES[table], ("seq", "BIGINT")]:
        kind = pa.list_(pa.string()) if t == "VARCHAR[]" else getattr(pa, _ARROW_TYPES[t])()
        fields.append(pa.field(c, kind))
    return pa.schema(fields)


def rows_table(table: str, rows: list[tuple], seqs: list[int]) -> pa.Table:
    """:func:`rows_frame` as Arrow with :func:`arrow_schema` (what the Dask engine's parts hold and
    what the local engine inserts), built column by column from the tuples, without a DataFrame
    between: the table ``pa.Table.from_pandas(rows_frame(…), schema=…)`` gives (None and NaN as
    null), in about half the time."""
    import pyarrow as pa

    schema = arrow_schema(table)
    names = [c for c, _ in CONTRACT_TABLES[table]]
    json_columns = set(JSON_COLUMNS[table])
    arrays = []
    for k, (name, field) in enumerate(zip(names, schema)):
        values = list(map(itemgetter(k), rows))
        if name in json_columns:
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        arrays.append(pa.array(values, type=field.type, from_pandas=True))
    arrays.append(pa.array(seqs, type=pa.int64()))
    return pa.Table.from_arrays(arrays, schema=schema)
