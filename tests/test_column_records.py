"""The mention columns' bulk paths (issue 18) give what their one-record-at-a-time originals gave:
records of a run of articles, records appended column by column, spliced articles, a view's
records, fields of records. Synthetic mentions: empty articles, a place_id two rows share (a
pattern village's row beside the gazetteer's), NaN coordinates, None fields."""

from __future__ import annotations

import math
import random

import pytest

from geo.columns import ArticleMentions, MentionColumns, fields_of
from geo.schema import Mention

_ROWS = [  # (place_id, name, level, province, city, county, township, code, lon, lat, precision, county_id)
    ("330109", "萧山区", "county", "浙江省", "杭州市", "萧山区", None, "330109", 120.26, 30.18, "county", "330109"),
    ("330109", "萧山区", "county", "浙江省", "杭州市", "萧山区", None, "330109", 120.3, 30.2, "county", "330109"),
    ("330109001", "城厢街道", "township", "浙江省", "杭州市", "萧山区", "城厢街道", None, math.nan, math.nan, None, "330109"),
    ("village~330109001~蒋巷村", "蒋巷村", "village", "浙江省", "杭州市", "萧山区", "城厢街道", None, 120.1, 30.1, "township", None),
    ("zone:xs-econ", "萧山经济技术开发区", "zone", "浙江省", "杭州市", "萧山区", None, None, 120.28, 30.21, "zone", "330109"),
]  # fmt: skip


def _mention(rng: random.Random, article: int, start: int) -> Mention:
    row = rng.choice(_ROWS)
    end = start + len(row[1])
    runner = rng.choice((None, "320583"))
    own = (f"a{article}", f"f{article // 3}.txt", start, end, row[1][:2] if rng.random() < 0.3 else row[1])
    return Mention(
        *own,
        *row[:11],
        rng.choice((0.99, 0.85, 1.0)),
        rng.random() < 0.2,
        rng.random() < 0.1,
        row[11],
        runner,
    )


def _articles(seed: int) -> list[list[Mention]]:
    rng = random.Random(seed)
    out = []
    for k in range(12):
        n = rng.choice((0, 0, 1, 3, 8))  # (empty articles: bounds repeated)
        out.append([_mention(rng, k, 100 * k + 5 * i) for i in range(n)])
    return out


def _one_by_one(per_article: list[list[Mention]]) -> MentionColumns:
    cols = MentionColumns()
    for k, ms in enumerate(per_article):
        for m in ms:
            cols.append_record(m)
        cols.end_article(f"a{k}", f"f{k // 3}.txt")
    return cols


def _same(a: list, b: list) -> bool:
    """Equal, NaN equal to NaN (a row's missing coordinates)."""
    return repr(a) == repr(b)


@pytest.mark.parametrize("seed", range(6))
def test_records_of_any_run_are_each_mentions_record(seed):
    cols = _one_by_one(_articles(seed))
    n = len(cols)
    for lo in range(0, n + 1):
        for hi in range(lo, n + 1):
            assert _same(cols.records(lo, hi), [cols.record(i) for i in range(lo, hi)])


@pytest.mark.parametrize("seed", range(6))
def test_records_appended_at_once_make_the_columns_one_at_a_time_make(seed):
    per_article = _articles(seed)
    old = _one_by_one(per_article)
    new = MentionColumns()
    for k, ms in enumerate(per_article):
        new.append_records(ms)
        new.end_article(f"a{k}", f"f{k // 3}.txt")
    for f in ("start", "end", "text", "place", "confidence", "in_org", "historical", "runner_up", "bounds"):
        assert getattr(new, f) == getattr(old, f), f
    assert _same(new.places, old.places) and new.place_no.keys() == old.place_no.keys()
    assert _same(new.records(), old.records())


@pytest.mark.parametrize("seed", range(6))
def test_a_spliced_article_is_the_records_given_for_it(seed):
    per_article = _articles(seed)
    cols = _one_by_one(per_article)
    rng = random.Random(seed)
    changed = {}
    for k in rng.sample(range(len(per_article)), 4):  # reordered, shortened, a record of another article
        ms = list(per_article[k])
        rng.shuffle(ms)
        changed[k] = ms[: rng.randint(0, len(ms))] + [_mention(rng, k, 99)]
    got = cols.spliced(changed)
    want = [changed.get(k, ms) for k, ms in enumerate(per_article)]
    assert got.bounds == _one_by_one(want).bounds
    for k, ms in enumerate(want):
        assert _same(got.records(got.bounds[k], got.bounds[k + 1]), ms)


def test_a_view_reads_the_records_it_did():
    cols = _one_by_one(_articles(1))
    for k in range(len(cols.article_ids)):
        view = ArticleMentions(cols, range(cols.bounds[k], cols.bounds[k + 1]))
        assert _same(list(view), [cols.record(i) for i in view.idx])
        picked = view.take(list(range(len(view)))[::2])  # (a list of positions: one at a time)
        assert _same(list(picked), [cols.record(i) for i in picked.idx])


def test_fields_of_records_are_their_attributes():
    ms = [m for a in _articles(2) for m in a]
    fields = ("start", "level", "place_id", "county_id", "lon")
    assert _same(fields_of(ms, *fields), [[getattr(m, f) for m in ms] for f in fields])
    assert fields_of([], "start", "end") == [[], []]
