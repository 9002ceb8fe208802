"""Row tuples gathered into compact DataFrames, so a large corpus's results fit in memory.

A 1 GB corpus yields millions of mentions. Kept as Python tuples until the end they cost about
1.3 KB each (8 GB at 1 GB of text); here every few hundred thousand rows become a frame whose
repeated strings (names, ids, levels) are pandas categories — a small integer per cell — and the
frames are joined once at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals


class RowTable:
    """Append row tuples; ``frame()`` returns one DataFrame with ``columns``, where the columns
    named in ``repeated`` are categorical (compare and filter them like strings)."""

    def __init__(self, columns: list[str], repeated: set[str], batch_rows: int = 100_000):
        self.columns = list(columns)
        self.repeated = [c for c in self.columns if c in repeated]
        self.batch_rows = batch_rows
        self._rows: list[tuple] = []
        self._frames: list[pd.DataFrame] = []

    def __len__(self) -> int:
        return len(self._rows) + sum(len(f) for f in self._frames)

    def extend(self, rows: Sequence[tuple]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        f = pd.DataFrame(self._rows, columns=self.columns)
        for c in self.repeated:
            f[c] = f[c].astype("str").astype("category")  # same category dtype in every batch
        self._frames.append(f)
        self._rows = []

    def frame(self) -> pd.DataFrame:
        self._flush()
        frames, self._frames = self._frames, []
        if len(frames) == 1:
            return frames[0]
        out = {}
        for c in self.columns:
            parts = [f[c] for f in frames]
            out[c] = (
                union_categoricals(parts, ignore_order=True)
                if c in self.repeated
                else pd.concat(parts, ignore_index=True)
            )
            for f in frames:  # free each column once it is joined
                del f[c]
        return pd.DataFrame(out, columns=self.columns)


def shared_strings(frame: pd.DataFrame, columns: Sequence[str], missing: object = None) -> pd.DataFrame:
    """``frame`` with ``columns`` as object columns in which equal strings are one Python object
    and missing cells are ``missing``: a column of 67,000 places' provinces holds 34 strings, not
    67,000 copies of "浙江省" (~60 bytes each), and no per-cell string is ever made (the column
    is factorized as it was read). Unlike categories, ``fillna("")`` and new values still work."""
    out = frame.copy(deep=False)
    for c in columns:
        codes, uniques = pd.factorize(frame[c], use_na_sentinel=True)
        table = np.empty(len(uniques) + 1, dtype=object)
        table[:-1] = np.asarray(uniques, dtype=object)
        table[-1] = missing
        out[c] = pd.Series(table[codes], index=frame.index, name=c, dtype=object)  # -1: missing
    return out
