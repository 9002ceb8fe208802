"""Large-corpus accumulation gives the same table as the plain path, only smaller."""

from __future__ import annotations

import numpy as np
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


def _made_up_mentions(k: int, rng) -> list:
    """Mentions of one made-up document: names, places (some without a point, one id with two
    rows), runner-ups and Nones drawn so that later documents bring values that sort first."""
    from geo.schema import Mention

    out = []
    for i in range(rng.randint(0, 9)):
        p = rng.randint(0, 6 + k)  # (later documents reach places, and names, earlier ones never did)
        point = (None, None) if p % 3 == 0 else (120.0 + p / 7, 30.0 - p / 11)
        county = None if p % 4 == 0 else f"县{p % 5}"
        name = f"{99 - p}村"  # (a later document's new names sort before the earlier ones)
        pid = f"v{p}" if p != 5 else "v5"  # v5's row differs by document (two rows, one id)
        out.append(
            Mention(
                f"{k}#a{i % 3}",
                f"f{k}.txt",
                10 * i,
                10 * i + 2,
                name,
                pid,
                name,
                "village",
                "浙江省",
                f"市{p % 2}",
                county,
                None if p % 2 else "镇",
                None if p % 5 else f"{p:06d}",
                *point,
                "township" if point[0] is not None else None,
                rng.choice((0.5, 0.99, 1.0)),
                rng.random() < 0.2,
                rng.random() < 0.1,
                None if p == 5 else county,
                rng.choice((None, None, f"v{p + 1}")),
            )
        )
    return out


def _both_tables(docs: list, batch: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions frame of MentionTable fed documents' columns, and of RowTable fed their rows."""
    from geo.columns import MentionColumns
    from geo.mention_table import MentionTable
    from geo.pipeline import REPEATED_MENTION_COLUMNS
    from geo.schema import MENTION_COLUMNS

    cols_table = MentionTable(REPEATED_MENTION_COLUMNS, batch)
    rows_table = RowTable(list(MENTION_COLUMNS), REPEATED_MENTION_COLUMNS, batch)
    for ms in docs:
        arts = sorted({m.article_id for m in ms})
        per_article = [(a, ms[0].file, [m for m in ms if m.article_id == a]) for a in arts]
        cols_table.extend(MentionColumns.from_records(per_article))
        rows_table.extend([m for _a, _f, got in per_article for m in got])
    return cols_table.frame(), rows_table.frame()


def test_mention_table_from_columns_is_the_batched_frame_of_its_rows():
    """The mentions table numbered corpus-wide, its categories made once at the end, is the
    RowTable frame of the same rows batch by batch (values, dtypes, category order: a later
    batch's new categories after the earlier ones, a batch of points none, an empty last batch)."""
    import random

    from geo.pipeline import REPEATED_MENTION_COLUMNS

    rng = random.Random(7)
    docs = [_made_up_mentions(k, rng) for k in range(40)]
    docs[3] = [m._replace(lon=None, lat=None, file="f3.txt", article_id="3#a0") for m in max(docs, key=len)]
    short = min((d for d in docs if any(m.lon is not None for m in d)), key=len)
    orders = {}
    for batch, some in ((1, docs), (4, docs), (25, docs), (10**9, docs), (len(docs[3]), [docs[3], short])):
        got, want = _both_tables(some, batch)
        pd.testing.assert_frame_equal(got, want)
        assert [str(t) for t in got.dtypes] == [str(t) for t in want.dtypes]
        for c in REPEATED_MENTION_COLUMNS:
            assert got[c].cat.categories.tolist() == want[c].cat.categories.tolist(), (batch, c)
        orders[batch] = want["name"].cat.categories.tolist(), got["lon"].dtype
    assert orders[len(docs[3])][1] is np.dtype(object)  # (a batch of no point: object Nones, as rows make it)
    assert orders[4][0] != orders[10**9][0] == sorted(orders[4][0])  # (the union's order: not sorted)
