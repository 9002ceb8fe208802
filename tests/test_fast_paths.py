"""The fast paths give what the plain ones they replace gave, on the seeds: the metrics stage's
narrowed regex scans, the JSON Lines writer, the store's Arrow batches, the geoparser's columns."""

from __future__ import annotations

import copy
import json
import marshal
import math
import random
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from geo.columns import MentionColumns
from geo.corpus import iter_documents, split_articles
from geo.geoparse import geoparse_articles, geoparser
from geo.jsonl import iter_jsonl
from geo.mention_table import MentionTable
from geo.metrics import lexicon as lx
from geo.metrics.find import _in_sentences_with, find_figures
from geo.metrics.mentions import EMPTY
from geo.metrics.periods import _PERIOD_AT, PERIOD_RE
from geo.metrics.sentences import split_sentences
from geo.pipeline import REPEATED_MENTION_COLUMNS, parse_document
from geo.schema import MENTION_COLUMNS, Document
from geo.settings import SEEDS_DIR
from geo.store.extract import mentions_table
from geo.store.tables import arrow_schema, rows_frame, rows_table
from geo.tables import RowTable


@pytest.fixture(scope="module")
def seed_docs() -> list[Document]:
    return [d for d in iter_documents([SEEDS_DIR]) if isinstance(d, Document)]


def _texts(docs: list[Document]) -> list[str]:
    """Every article's text, and a few made-up ones (PDF line breaks, no 。 at all)."""
    out = [a.text for d in docs for a in split_articles(d)]
    return out + [
        "签约项目\n 12 个，引 进项目 3 个",
        "新招引项目 8 个。重点项目 4 个。",
        "到 2025 年底",
        "签约企业 12 个。重大工程 5 个，引进 3 项。重点项\n目 6 个",  # key without 项目, 项目 split
    ]


def test_periods_are_tried_where_they_can_begin(seed_docs):
    for text in _texts(seed_docs):
        plain = [(m.span(), m.groupdict()) for m in PERIOD_RE.finditer(text) if m.end() > m.start()]
        fast = [(m.span(), m.groupdict()) for m in _PERIOD_AT.finditer(text) if m.end() > m.start()]
        assert fast == plain


def test_counts_are_matched_in_the_sentences_holding_their_key(seed_docs):
    for text in _texts(seed_docs):
        for _metric, key, rx in lx.COUNT_RES:
            plain = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in _in_sentences_with(rx, text, key)] == plain


def test_an_article_is_split_into_sentences_only_when_a_label_needs_it(seed_docs):
    """find_figures asks for the sentences only for a signed-investment or land figure; the figures
    are those found with the sentences split up front."""
    asked = []
    for text in _texts(seed_docs):
        split = split_sentences(text)
        both = (split, [s.start for s in split])
        lazy = find_figures(text, lambda both=both: asked.append(1) or both, EMPTY)
        assert lazy == find_figures(text, lambda both=both: both, EMPTY)
    assert 0 < len(asked) < len(_texts(seed_docs))  # some articles need their sentences, not all
    assert find_figures("全区常住人口稳定。", lambda: pytest.fail("split"), EMPTY)[0] == []


def test_sentences_end_where_they_did(seed_docs):
    end = r"[。！？!?]+[”’」』\"）)]*"
    for text in _texts(seed_docs):
        cuts, para = {0, len(text)}, set()
        for m in re.finditer(end, text):
            cuts.add(m.end())
            if re.match(r"[^\S\r\n]*(?:[\r\n]|$)", text[m.end() :]):
                para.add(m.end())
        if "#" not in text:
            edges = sorted(cuts)
            want = [(a, b, b in para or b == len(text)) for a, b in zip(edges, edges[1:])]
            assert [tuple(s) for s in split_sentences(text)] == want


def _old_lines(df: pd.DataFrame) -> list[str]:
    def plain(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        return v.item() if hasattr(v, "item") else v

    cols = list(df.columns)
    return [
        json.dumps({c: plain(v) for c, v in zip(cols, row)}, ensure_ascii=False) + "\n"
        for row in df.itertuples(index=False, name=None)
    ]


def test_jsonl_lines_are_json_dumps_of_each_row(seeds_extraction):
    for name in ("articles", "mentions", "metrics"):
        df = getattr(seeds_extraction, name)
        assert list(iter_jsonl(df)) == _old_lines(df), name
    odd = pd.DataFrame(
        {
            "n": pd.array([1, 2, 3], dtype="Int64"),
            "f": [1.5, float("nan"), float("inf")],
            "z": [-0.0, 0.0, -float("inf")],
            "s": ['引号"\n\x01é', None, "中"],
            "c": pd.Categorical(["a", None, "a"]),
            "o": [np.int64(3), np.float64("nan"), [1, {"k": "v"}]],
            "b": [True, False, True],
            "per%cent": [1, 2, 3],
        }
    )
    assert list(iter_jsonl(odd)) == _old_lines(odd)
    assert list(iter_jsonl(pd.DataFrame([[1, 2]], columns=["a", "a"]))) == ['{"a": 2}\n']


def test_store_batches_are_the_arrow_of_the_plain_frame(seed_docs, gazetteer, settings):
    gp = geoparser(gazetteer, settings.home_province)
    results = [parse_document(d, gp) for d in seed_docs]
    rng = random.Random(1)
    for table in ("articles", "mentions", "metrics"):
        got = (res.mentions.records() if table == "mentions" else getattr(res, table) for res in results)
        rows = [tuple(r) for recs in got for r in recs]
        for a, b in ((0, len(rows)), (0, 0), (3, 4), (0, rng.randint(1, len(rows)))):
            seqs = list(range(b - a))
            plain = pa.Table.from_pandas(
                rows_frame(table, rows[a:b], seqs), schema=arrow_schema(table), preserve_index=False
            )
            fast = rows_table(table, rows[a:b], seqs)
            assert fast.equals(plain) and fast.to_pylist() == plain.to_pylist(), (table, a, b)


def test_the_geoparser_columns_make_the_tables_its_records_make(seed_docs, gazetteer, settings):
    """The mentions handed on as columns (a place's fields once per place) give the store's Arrow
    batch and the extraction's categorical frame that the same mentions as records give, in one
    batch or many, and come through a worker's marshal hand-off unchanged."""
    gp = geoparser(gazetteer, settings.home_province)
    results = [parse_document(d, gp) for d in seed_docs]
    assert sum(len(r.mentions) for r in results) > 1000
    for docs in (results, results[:1], results[2:4], []):
        cols, seqs = MentionColumns(), []
        for r in docs:
            cols.extend(r.mentions)
            seqs.extend(range(len(r.mentions)))
        records = [tuple(m) for r in docs for m in r.mentions.records()]
        assert [tuple(m) for m in cols.records()] == records
        fast, plain = mentions_table(cols, seqs), rows_table("mentions", records, seqs)
        assert fast.equals(plain) and fast.to_pylist() == plain.to_pylist()
        for batch in (5, 97, 10**9):
            from_cols = MentionTable(REPEATED_MENTION_COLUMNS, batch)
            from_rows = RowTable(list(MENTION_COLUMNS), REPEATED_MENTION_COLUMNS, batch)
            for r in docs:
                from_cols.extend(r.mentions)
                from_rows.extend(r.mentions.records())
            a, b = from_cols.frame(), from_rows.frame()
            pd.testing.assert_frame_equal(a, b)
            assert [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes]
            for c in REPEATED_MENTION_COLUMNS:
                assert a[c].cat.categories.tolist() == b[c].cat.categories.tolist(), c
    for r in results:
        back = MentionColumns.unpack(marshal.loads(marshal.dumps(r.mentions.pack())))
        assert back == r.mentions and back.records() == r.mentions.records()


def test_mentions_in_any_order_give_the_same_view(seed_docs, gazetteer, settings):
    """The metrics stage's mentions sorted, overlaps dropped: from text order or shuffled."""
    from geo.metrics.mentions import plain_mentions

    gp = geoparser(gazetteer, settings.home_province)
    doc = seed_docs[0]
    articles = split_articles(doc)
    rng = random.Random(2)
    for a, ms in zip(articles, geoparse_articles(articles, gp)):
        shuffled = rng.sample(ms, len(ms))
        overlapping = ms + [m._replace(start=m.start + 1) for m in ms[::3] if m.end - m.start > 1]
        for other in (shuffled, overlapping):
            got, want = plain_mentions(other, a), plain_mentions(ms, a)
            assert (got.starts, got.ends, got.in_org) == (want.starts, want.ends, want.in_org)
            assert list(got) == list(want)


def test_an_article_spliced_in_gives_the_tables_of_all_records_rebuilt(seed_docs, gazetteer, settings):
    """The village book and township short forms replace only the articles they add to
    (MentionColumns.spliced): the tables are those of every article rebuilt from records, also
    where a place is no longer named (a pattern village read as the listed one) or is new; the
    rules' column reads (fields_of) are the records' fields."""
    from geo.columns import fields_of

    gp = geoparser(gazetteer, settings.home_province)
    cols = max((parse_document(d, gp).mentions for d in seed_docs), key=lambda c: len(c.article_ids))
    views = cols.per_article()
    k = next(k for k, v in enumerate(views) if k and len(v) >= 2)  # (and article 0 emptied)
    fields = ("start", "end", "text", "level", "name", "place_id", "county_id", "confidence")
    for v in views:
        assert fields_of(v, *fields) == fields_of(list(v), *fields)
    old = list(views[k])
    new = old[0]._replace(place_id="village:x:新村", name="新村", level="village", lon=None)
    changed = {k: [new, *old[1:]], 0: []}
    want = MentionColumns.from_records(
        (aid, f, changed.get(i, v)) for i, (aid, f, v) in enumerate(zip(cols.article_ids, cols.files, views))
    )
    got = cols.spliced(changed)
    assert got == want and got.records()[got.bounds[k]] == new and len(got) == len(cols) - len(views[0])
    seqs = list(range(len(want)))
    assert mentions_table(got, seqs).equals(mentions_table(want, seqs))
    for batch in (7, 10**9):
        tables = [MentionTable(REPEATED_MENTION_COLUMNS, batch) for _ in (got, want)]
        for t, c in zip(tables, (got, want)):
            t.extend(c)
        pd.testing.assert_frame_equal(tables[0].frame(), tables[1].frame())


def test_line_joints_are_the_regex_matches(seed_docs):
    """The joints recognition removes (a name broken across lines, 钦堂\\n\\n乡), found from each
    line break, are _LINE_JOINT's matches: blanks, \\r\\n, a lone \\r, text edges, no Chinese on
    one side; the matches of the joined text get back the original offsets."""
    from geo.geoparse.recognize import _LINE_JOINT, _join_lines

    made_up = [
        "钦堂\n\n乡", "钦堂 \u3000\r\n \r\n\t乡", "钦堂\r\r\n乡", "钦堂\r乡", "\n乡\n", "钦堂\n", "a\n乡",
        "钦堂\nb", "乡 \n", "\n\n", "", "钦堂  乡", "建德\n钦堂\n\n乡\r\n人民政府\n \n。\n桥",
    ]  # fmt: skip
    for text in _texts(seed_docs) + made_up:
        joined, where = _join_lines(text)
        assert joined == _LINE_JOINT.sub("", text), repr(text)
        kept = [
            i
            for i in range(len(text))
            if not any(j.start() <= i < j.end() for j in _LINE_JOINT.finditer(text))
        ]
        assert [where[i] for i in range(len(joined))] == kept, repr(text)


def test_shared_suffix_lists_are_the_regex_matches(seed_docs):
    """The lists sharing one suffix (白杨、河庄、义蓬、新湾等街道), tried only before a 、, are the
    regex's matches over the whole text."""
    from geo.geoparse.recognize import _SHARED_SUFFIX, _shared_suffix_lists

    made_up = [
        "白杨、河庄、义蓬、新湾等街道",
        "、下沙、白杨2个街道",
        "在下沙、白杨 2 个街道和临平、乔司镇",
        "甲、乙镇",
    ]
    for text in _texts(seed_docs) + made_up:
        want = [(m.span(), m.groups()) for m in _SHARED_SUFFIX.finditer(text)]
        assert [(m.span(), m.groups()) for m in _shared_suffix_lists(text)] == want, repr(text)


def test_no_organisation_suffix_near_means_no_organisation(seed_docs):
    """Recognition asks :func:`in_org_at` only where an organisation suffix may start within reach
    (org_suffix_starts, marked offset by offset by _near_orgs): at every other offset of every
    text it would have said no (杭州大学院, overlapping suffixes, a suffix at the text's start or
    end, included), and the marks are exactly the offsets with a suffix start within reach."""
    from geo.geoparse.recognize import _near_orgs
    from geo.geoparse.words import ORG_REACH, in_org_at, org_suffix_starts

    made_up = ["杭州大学院", "余杭中心医院分院", "萧山有限责任公司", "临平中学校", "建德小学院区股份公司"]
    made_up.append("公司")  # (a suffix alone: marks from offset 0 to its start)
    for text in _texts(seed_docs) + made_up:
        starts = org_suffix_starts(text)
        near = _near_orgs(text)
        assert len(near) == len(text) + 1
        for end in range(len(text) + 1):
            reach = any(end <= s <= end + ORG_REACH for s in starts)
            assert near[end] == reach, (text, end)
            if not reach:
                assert not in_org_at(text, end), (text, end)


def test_a_name_read_again_in_an_article_is_read_as_alone(seed_docs, gazetteer, settings):
    """Resolution keeps, over one article, the reading of a name whose reading depends only on the
    article's and document's places (memo): every match of every seed article, also the
    alternative readings and with several candidates, reads as it does without it."""
    from geo.geoparse.context import Context, confident_context
    from geo.geoparse.evidence import resolve_one

    gp = geoparser(gazetteer, settings.home_province)
    several = 0
    for doc in seed_docs:
        articles = split_articles(doc)
        found = [gp.matcher.scan(a.text, a.start) for a in articles]
        doc_ctx = Context()
        for ms in found:
            doc_ctx.merge(confident_context(ms, gp.index))
        for a, ms in zip(articles, found):
            art_ctx, memo = confident_context(ms, gp.index), {}
            for m in ms + [m.alt for m in ms if m.alt is not None]:
                several += len(m.entry.candidates) > 1
                shared = resolve_one(m, a.text, a.start, gp.index, art_ctx, doc_ctx, None, False, memo)
                assert shared == resolve_one(m, a.text, a.start, gp.index, art_ctx, doc_ctx, None), m
    assert several > 100


def test_a_place_id_with_another_row_stays_apart_when_documents_join(seed_docs, gazetteer, settings):
    """Joining a document's columns remaps its places by place_id, the whole row checked: the same
    id with another row (a name written otherwise) keeps its own row."""
    first = parse_document(seed_docs[0], geoparser(gazetteer, settings.home_province)).mentions
    records = first.records()
    aid = records[0].article_id
    other = [m._replace(name=f"{m.name}（旧）", article_id=aid) for m in records]
    joined = MentionColumns()
    joined.extend(first)
    joined.extend(MentionColumns.from_records([(aid, records[0].file, other)]))
    assert joined.records() == records + other


def test_a_village_name_after_two_of_its_towns_is_two_villages(gazetteer, settings):
    """The memo of readings keys on the parent in front: 山脚村 written after one of its towns and
    again after another town of a 山脚村 in one article is read as two villages, each its town's
    (checked on the first 20 such names of the gazetteer)."""
    from geo.geoparse.evidence import _context_only
    from geo.geoparse.resolve import resolve_matches

    gp = geoparser(gazetteer, settings.home_province)
    index, checked = gp.index, 0
    for e in gp.matcher.entries:
        if len(e.candidates) < 2 or not _context_only(e) or e.candidates[0].level != "village":
            continue
        towns = [
            next((a for a in reversed(c.ancestors) if index.level.get(a) == "township"), None)
            for c in e.candidates
        ]
        if None in towns[:2] or towns[0] == towns[1]:
            continue
        text = f"{index.row[towns[0]][0]}{e.surface}和{index.row[towns[1]][0]}{e.surface}"
        read = [
            r.place_id
            for r in resolve_matches(gp.matcher.scan(text, 0), text, 0, index)
            if r.match.entry is e
        ]
        assert read == [e.candidates[0].pid, e.candidates[1].pid], text
        checked += 1
        if checked == 20:
            break
    assert checked == 20


def test_alternative_readings_are_found_where_a_name_can_start(seed_docs, gazetteer, settings):
    """Alternative readings (创新余杭 → 余杭) are looked up only where two characters heading a
    name stand: every seed article scans to the same matches as with every offset looked up."""
    gp = geoparser(gazetteer, settings.home_province)
    matcher = copy.copy(gp.matcher)
    matcher.heads = None
    alts = 0
    for doc in seed_docs:
        for a in split_articles(doc):
            fast = gp.matcher.scan(a.text, a.start)
            assert fast == matcher.scan(a.text, a.start), a.text[:40]
            alts += sum(m.alt is not None for m in fast)
    assert alts > 5


def test_landmark_parts_are_dropped_where_a_landmark_is_named(seed_docs, gazetteer, settings):
    """A scan drops the landmark names that begin a longer name (长江|路) only in texts naming a
    landmark (Matcher.landmarks): every seed article, and texts with a landmark inside a street's
    or division's name, scan to the same matches as when every text is looked at."""
    gp = geoparser(gazetteer, settings.home_province)
    everything = copy.copy(gp.matcher)
    everything._landmarks = frozenset(range(len(everything.entries)))  # every name: always looked at
    ids = gp.matcher.ids
    rivers = [s for s in ("长江", "黄河", "太湖") if ids.get(s) in gp.matcher.landmarks]
    assert rivers
    made_up = [f"他家住在{r}路，走到{r}新城街道，看{r}。" for r in rivers]
    for doc in seed_docs:
        for text in [a.text for a in split_articles(doc)] + made_up:
            assert gp.matcher.scan(text) == everything.scan(text), text[:40]
    for r, text in zip(rivers, made_up):  # 长江路 and 长江新城街道 are no river; 看长江 is
        assert [m.start for m in gp.matcher.scan(text) if m.entry.surface == r] == [text.rindex(r)]


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


def test_former_townships_are_looked_up_where_one_can_end(seed_docs, gazetteer, settings):
    """Former townships (城厢镇, 义桥乡) are looked up only at a 镇/乡 whose character before ends
    some former name (Matcher.former_tails): every seed article, and texts with former names,
    scan to the same matches as with every 镇/乡 looked at."""
    gp = geoparser(gazetteer, settings.home_province)
    everywhere = copy.copy(gp.matcher)
    everywhere.former_tails = _Everything()  # type: ignore[assignment]
    formers = sorted(gp.matcher.former)[:3]
    assert formers
    made_up = [f"从{f}出发，经过{f[:-1]}乡村，到了镇上。" for f in formers]
    found = 0
    for doc in seed_docs:
        for text in [a.text for a in split_articles(doc)] + made_up:
            fast = gp.matcher.scan(text)
            assert fast == everywhere.scan(text), text[:40]
            found += sum(m.entry.surface in gp.matcher.former for m in fast)
    assert found
