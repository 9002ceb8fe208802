"""Damaged caches: a geocode cache of garbage, truncated or of another schema, and a gazetteer
cache whose meta.json is not an object, never stop extract, export or the app from loading."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from geo import cli
from geo.gazetteer import build as gb
from geo.gazetteer import store
from geo.gazetteer.geocoded import CACHE_FILE, GeocodeCache, apply_geocoded
from geo.geocode.providers import Candidate
from geo.jsonl import read_extraction


def _valid_cache(path: Path, places, n: int = 200) -> None:
    """A real cache with n accepted answers (enough rows to span several SQLite pages)."""
    with GeocodeCache(path) as c:
        for row in places.head(n).itertuples():
            c.put(
                provider="amap", query=f"{row.name}{row.Index}" * 4, place_id=row.place_id,
                county_id=row.county_id, status="ok",
                candidate=Candidate(row.lon, row.lat, row.lon, row.lat, "WGS-84", row.name),
            )  # fmt: skip


def _damage(kind: str, path: Path, places) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "garbage":
        path.write_bytes(b"this is not a database\n" * 100)
    elif kind == "truncated":
        _valid_cache(path, places)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif kind == "wrong schema":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE answers (provider TEXT, query TEXT, answer TEXT)")
            conn.execute("INSERT INTO answers VALUES ('amap', 'x', '{}')")
        conn.close()
    else:  # an SQLite file without our table
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE other (x)")
        conn.close()


KINDS = ["garbage", "truncated", "wrong schema", "no table"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_geocode_cache_is_a_warning_not_a_crash(kind, tmp_path, gazetteer, caplog):
    path = tmp_path / CACHE_FILE
    _damage(kind, path, gazetteer.places)
    before = path.read_bytes()
    with caplog.at_level(logging.WARNING):
        out = apply_geocoded(gazetteer.places, path, gazetteer.counties)
    assert out is gazetteer.places  # the offline points, unchanged
    assert "geocode cache" in caplog.text and "carrying on without geocoded points" in caplog.text
    assert path.read_bytes() == before  # read-only: the evidence is left as it was


@pytest.mark.parametrize("kind", ["garbage", "wrong schema"])
def test_extract_export_and_the_app_load_carry_on(kind, tmp_path, gazetteer, monkeypatch, caplog):
    data = tmp_path / "data"
    _damage(kind, data / CACHE_FILE, gazetteer.places)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("萧山区新闻\n\n萧山区河上镇今年新建道路3条。\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert cli.main(["extract", str(corpus), "--out", str(tmp_path / "out")]) == 0
        assert len(read_extraction(tmp_path / "out").mentions) > 0
        assert cli.main(["export", str(corpus), "--out", str(tmp_path / "m.geojson")]) == 0
        g = store.load_gazetteer(store.load_settings())  # what the app does first
    assert len(g.places) == len(gazetteer.places)
    assert "carrying on without geocoded points" in caplog.text


@pytest.mark.parametrize("kind", KINDS[:3])  # a database without our table just gains it
def test_geocode_moves_a_damaged_cache_aside_and_starts_anew(kind, tmp_path, gazetteer):
    path = tmp_path / CACHE_FILE
    _damage(kind, path, gazetteer.places)
    before = path.read_bytes()
    cache, note = GeocodeCache.open_or_reset(path)
    with cache:
        assert len(cache) == 0
    assert note and "moved it aside to" in note
    (aside,) = tmp_path.glob(f"{CACHE_FILE}.corrupt-*")
    assert aside.read_bytes() == before and str(aside) in note
    cache, note = GeocodeCache.open_or_reset(path)  # a healthy cache is left alone
    cache.close()
    assert note is None and len(list(tmp_path.glob("*.corrupt-*"))) == 1


@pytest.mark.parametrize("meta", ["[]", "null", '"fingerprint"', "42"])
def test_gazetteer_meta_that_is_not_an_object_means_rebuild(meta, tmp_path, settings, gazetteer, monkeypatch):
    s = settings.with_(cache_dir=tmp_path / "cache")
    shutil.copytree(gb.cache_path(settings), gb.cache_path(s))
    (gb.cache_path(s) / "meta.json").write_text(meta, encoding="utf-8")
    g = gazetteer  # the rebuild itself takes a while: hand it the tables it would derive
    monkeypatch.setattr(gb, "assemble", lambda _s: (g.places, g.names, g.counties, dict(g.meta)))
    loaded = store.load_gazetteer(s)
    assert len(loaded.places) == len(g.places)
    rebuilt = json.loads((gb.cache_path(s) / "meta.json").read_text(encoding="utf-8"))
    assert isinstance(rebuilt, dict) and rebuilt["fingerprint"] == gb.fingerprint(s)


@pytest.mark.slow
def test_a_gazetteer_built_in_the_process_is_the_one_later_processes_read(tmp_path, settings):
    """A new user's first run builds the gazetteer; every later run reads the cache it wrote. Both
    must hold the same frames, cell types included (an Int64 year where the cache gives an int
    made the first run read 萧山市 and 桥东区 without their years)."""
    s = settings.with_(cache_dir=tmp_path / "cache")
    built = store.load_gazetteer(s)
    read = store._read_cache(gb.cache_path(s), gb.fingerprint(s))
    assert read is not None
    for name in ("places", "names"):
        a, b = getattr(built, name), getattr(read, name)
        pd.testing.assert_frame_equal(a, b)
        assert all(a[c].map(type).equals(b[c].map(type)) for c in a.columns), name
