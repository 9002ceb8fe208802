"""The extraction's mentions table, gathered from documents' columns with corpus-wide numbering.

:class:`~geo.tables.RowTable` turns each batch of ~100,000 rows into a frame whose repeated
columns are categories, then joins the batches with ``union_categoricals``: every batch converts
its distinct values to categories again (14 columns), and the join recodes every batch. Here a
batch keeps only numbers into corpus-wide lists — each mention's article, text, runner-up and
place (the ten place fields are one number: :data:`~geo.columns.PLACE_FIELDS`) — and the
categories are made once, at the end, for every distinct value of the corpus. The frame is the
one the batched frames joined give: same values, dtypes and category order (each batch's sorted
categories, then a later batch's new ones after them, as ``union_categoricals`` orders them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from geo.columns import PLACE_FIELDS, MentionColumns
from geo.schema import MENTION_COLUMNS
from geo.tables import RowTable


class MentionTable(RowTable):
    """:class:`~geo.tables.RowTable` of the mentions table fed with documents' columns: the same
    final frame, the rows never made into tuples and the categories made once."""

    def __init__(self, repeated: set[str], batch_rows: int = 100_000):
        super().__init__(list(MENTION_COLUMNS), repeated, batch_rows)
        self._cols = MentionColumns()  # (its places and place_no are the corpus's: kept over batches)
        self._articles: dict[str, int] = {}  # article_id → number; with its file
        self._files: list[str] = []
        self._texts: dict[str, int] = {}
        self._runners: dict[str | None, int] = {}
        self._batches: list[dict[str, Any]] = []
        self._done = 0  # rows in the batches

    def __len__(self) -> int:
        return len(self._cols) + self._done

    def extend(self, rows: MentionColumns) -> None:  # type: ignore[override]
        self._cols.extend(rows)
        if len(self._cols) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        cols = self._cols
        n = len(cols)
        if not n:  # an empty batch: what RowTable makes of no rows (plain columns of no dtype)
            self._batches.append({"n": 0, "empty": pd.DataFrame([], columns=self.columns)})
            return
        counts: np.ndarray = np.diff(np.asarray(cols.bounds, dtype=np.int64))
        named = np.flatnonzero(counts)
        arts, files = self._articles, self._files
        numbers = []
        for k in named.tolist():
            aid = cols.article_ids[k]
            no = arts.get(aid)
            if no is None:
                no = arts[aid] = len(files)
                files.append(cols.files[k])
            numbers.append(no)
        art = np.asarray(numbers, dtype=np.int64)[np.repeat(np.arange(len(named)), counts[named])]
        place = np.asarray(cols.place, dtype=np.int64)
        batch: dict[str, Any] = {
            "n": n,
            "article": art,
            "text": _numbers(cols.text, self._texts),
            "runner_up": _numbers(cols.runner_up, self._runners),
            "place": place,
            "start": np.array(cols.start, dtype=np.int64),
            "end": np.array(cols.end, dtype=np.int64),
        }
        for c in ("confidence", "in_org", "historical"):  # inferred as from rows
            batch[c] = pd.Series(getattr(cols, c))
        self._batches.append(batch)
        self._done += n
        nxt = MentionColumns()
        nxt.places, nxt.place_no = cols.places, cols.place_no
        self._cols = nxt

    def frame(self) -> pd.DataFrame:
        self._flush()
        batches, self._batches, self._done = self._batches, [], 0
        if not any(b["n"] for b in batches):
            return RowTable(self.columns, set(self.repeated)).frame()  # (no mention at all)
        places = self._cols.places
        values: dict[str, tuple[list, str]] = {
            "article_id": (list(self._articles), "article"),
            "file": (self._files, "article"),
            "text": (list(self._texts), "text"),
            "runner_up": (list(self._runners), "runner_up"),
        }
        for k, f in enumerate(PLACE_FIELDS):
            values[f] = ([p[k] for p in places], "place")
        out: dict[str, Any] = {}
        for c in self.columns:
            if c in values and c in self.repeated:
                raw, key = values[c]
                out[c] = _union_categorical(raw, [b.get(key) for b in batches])
            elif c in values:  # (a column not kept as categories: its values, as rows have them)
                raw, key = values[c]
                parts = [_plain(raw, b[key], c) if b["n"] else b["empty"][c] for b in batches]
                out[c] = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
            else:
                parts = [pd.Series(b[c]) if b["n"] else b["empty"][c] for b in batches]
                out[c] = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        return pd.DataFrame(out, columns=self.columns)


def _plain(raw: list, codes: np.ndarray, column: str) -> pd.Series:
    """``raw[codes]`` as a frame built from rows holds it: lon and lat float64 with NaN for None
    (a batch of no point: object Nones), any other column's values inferred."""
    if column in ("lon", "lat"):
        none = np.array([v is None for v in raw])
        if none[_distinct(codes, len(raw))].all():
            return pd.Series(np.array([None] * len(codes), dtype=object))
        return pd.Series(np.array([np.nan if v is None else v for v in raw], dtype=np.float64)[codes])
    return pd.Series(np.asarray(raw + [None], dtype=object)[:-1][codes]).infer_objects()


def _numbers(values: list, seen: dict) -> np.ndarray:
    """Each value's corpus-wide number (new values numbered as first seen): the batch factorized
    in C, its distinct values (a few thousand of 100,000 names) looked up in ``seen``."""
    codes, distinct = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    setdefault = seen.setdefault
    own = np.asarray([setdefault(v, len(seen)) for v in distinct.tolist()], dtype=np.int64)
    return own[codes]


def _distinct(codes: np.ndarray, n: int) -> np.ndarray:
    """The distinct numbers among ``codes`` (all in 0..n-1), sorted: ``np.unique`` without a sort
    or a hash table."""
    seen = np.zeros(n, dtype=bool)
    seen[codes] = True
    return np.flatnonzero(seen)


def _union_categorical(raw: list, codes: list[np.ndarray | None]) -> pd.Categorical:
    """``raw[codes]`` of every batch joined, as each batch made ``astype("str").astype("category")``
    (sorted categories, None missing) and ``union_categoricals(…, ignore_order=True)`` joined them:
    the first batch's categories, then each later batch's new ones in their sorted order. (A batch
    of no rows, ``None``, adds none.)"""
    whole = pd.Series(raw, dtype=object).astype("str").astype("category")  # sorted, once
    at = whole.cat.codes.to_numpy().astype(np.int64)  # raw number → its sorted category (-1: None)
    union = np.full(len(whole.cat.categories), -1, dtype=np.int64)  # sorted category → union's
    order: list[int] = []
    for c in codes:
        if c is None or not len(c):
            continue
        used = at[_distinct(c, len(at))]
        used = _distinct(used[used >= 0], len(union))  # this batch's categories, sorted
        new = used[union[used] < 0]
        union[new] = np.arange(len(order), len(order) + len(new))
        order.extend(new.tolist())
    to_union = np.append(union, -1)  # (the -1 of a missing value stays -1)
    joined = np.concatenate([to_union[at[c]] for c in codes if c is not None and len(c)])
    dtype = pd.CategoricalDtype(whole.cat.categories.take(order), ordered=False)
    return pd.Categorical.from_codes(joined, dtype=dtype)
