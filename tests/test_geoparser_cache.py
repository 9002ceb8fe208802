"""The compact geoparser cache (issue 18): what a worker loads is the geoparser built from the
gazetteer, table for table, and a stale or damaged cache is rebuilt, never used."""

from __future__ import annotations

import pytest

from geo.geoparse import build_geoparser, load_geoparser
from geo.geoparse import cache as gc

TEXT = "浙江省杭州市萧山区河上镇东山村，绍兴市民在美国德州；杭州银行萧山支行、白杨、河庄等街道。"


@pytest.fixture(scope="module")
def built(gazetteer, settings):
    return build_geoparser(gazetteer, settings.home_province)


def test_dump_then_load_gives_the_same_tables(built, tmp_path):
    path = tmp_path / "gp.bin"
    gc.dump(path, "k1", built.matcher, built.index, built.home_province)
    matcher, index, home = gc.load(path, "k1")
    assert home == built.home_province
    assert matcher.entries[7] == built.matcher.entries[7]  # one read alone (made on first use)
    assert len(matcher.entries) == len(built.matcher.entries)
    assert list(matcher.entries) == built.matcher.entries
    assert type(matcher.entries[0]) is type(built.matcher.entries[0])
    assert type(matcher.entries[0].candidates[0]) is type(built.matcher.entries[0].candidates[0])
    with pytest.raises(IndexError):
        matcher.entries[len(built.matcher.entries)]
    assert matcher.longer == built.matcher.longer
    for field in ("ids", "former", "heads"):  # stored, not derived again at load
        assert getattr(matcher, field) == getattr(built.matcher, field), field
    assert matcher.former and matcher.heads
    for field in ("level", "ancestors", "county_of", "province_of", "row"):
        assert getattr(index, field) == getattr(built.index, field), field
    text = "嘉兴市南湖区湘家荡区域七星街道"
    assert matcher.automaton.find(text) == built.matcher.automaton.find(text)


def test_a_stale_or_damaged_cache_is_not_used(built, tmp_path):
    path = tmp_path / "gp.bin"
    gc.dump(path, "k1", built.matcher, built.index, built.home_province)
    assert gc.read_key(path) == "k1"
    assert gc.load(path, "another key") is None
    path.write_bytes(path.read_bytes()[:1000])  # truncated
    assert gc.load(path, "k1") is None
    assert gc.load(tmp_path / "missing.bin", "k1") is None


def test_extraction_with_the_cached_geoparser_is_identical(built, settings, tmp_path):
    from geo.pipeline import parse_document
    from geo.schema import Document

    cached = load_geoparser(settings)
    doc = Document("t.txt", tmp_path / "t.txt", TEXT, "utf-8")
    got, want = parse_document(doc, cached), parse_document(doc, built)
    assert got.mentions == want.mentions and len(got.mentions) > 5
    assert got.metrics == want.metrics


def test_a_fresh_gazetteer_and_its_cache_read_give_the_same_geoparser(gazetteer, settings, built):
    """The first run of a new user builds the gazetteer in-process (its `until` years an Int64
    column: numpy integers) and every later run reads it back (Python ints). Both must know that
    萧山市 was current until 2001, so one corpus gives one result on the first run and after."""
    from geo.gazetteer import Gazetteer

    names = gazetteer.names.assign(until=gazetteer.names["until"].astype("Int64"))
    fresh = build_geoparser(
        Gazetteer(gazetteer.places, names, gazetteer.counties, gazetteer.meta), settings.home_province
    )
    years = {(e.surface, c.until) for e in built.matcher.entries for c in e.candidates}
    assert ("萧山市", 2001) in years
    assert list(fresh.matcher.entries) == list(built.matcher.entries)
