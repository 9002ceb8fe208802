"""Large-corpus accumulation gives the same table as the plain path, only smaller."""

from __future__ import annotations

import pandas as pd

from geo import pipeline as extract
from geo.tables import RowTable


def _plain(df: pd.DataFrame) -> list[tuple]:
    df = df.astype(object)
    return [tuple(None if pd.isna(v) else v for v in row) for row in df.itertuples(index=False)]


def test_batches_join_into_the_same_table():
    rows = [
        ("a", 1, None, 0.5),
        ("b", 2, "x", None),
        ("a", 3, "y", 1.5),
        ("c", 4, None, 2.0),
        ("b", 5, "x", 2.5),
    ]
    small = RowTable(["k", "n", "s", "f"], {"k", "s"}, batch_rows=2)
    whole = RowTable(["k", "n", "s", "f"], {"k", "s"}, batch_rows=10**9)
    for r in rows:
        small.extend([r])
        whole.extend([r])
    assert len(small) == 5
    got = small.frame()
    assert _plain(got) == _plain(whole.frame()) == [tuple(r) for r in rows]
    assert got["n"].tolist() == [1, 2, 3, 4, 5]


def test_seed_extraction_is_identical_in_small_batches(monkeypatch, seeds_extraction, settings, gazetteer):
    from geo.settings import SEEDS_DIR

    real = RowTable.__init__

    def tiny(self, columns, repeated, batch_rows=0):
        real(self, columns, repeated, batch_rows=97)

    monkeypatch.setattr(RowTable, "__init__", tiny)
    x = extract.extract_corpus([SEEDS_DIR], settings, gazetteer=gazetteer)
    assert _plain(x.mentions) == _plain(seeds_extraction.mentions)
    lists = ["byline", "sections"]  # list cells: compared below
    assert _plain(x.articles.drop(columns=lists)) == _plain(seeds_extraction.articles.drop(columns=lists))
    assert x.articles[lists].values.tolist() == seeds_extraction.articles[lists].values.tolist()
