"""Shared fixtures: the gazetteer and the seeds' extraction are built once per test session."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from geo.settings import SEEDS_DIR, load_settings


@pytest.fixture(scope="session", autouse=True)
def stores_in_a_temporary_folder(tmp_path_factory):
    """The stores and uploads the app builds during tests go to a temporary folder, never into
    the user's cache (ATLAS_STORES_DIR; the built gazetteer is still shared)."""
    if "ATLAS_STORES_DIR" not in os.environ:
        os.environ["ATLAS_STORES_DIR"] = str(tmp_path_factory.mktemp("stores"))
    yield os.environ["ATLAS_STORES_DIR"]


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def gazetteer(settings):
    from geo.gazetteer.store import load_gazetteer

    return load_gazetteer(settings)


@pytest.fixture(scope="session")
def seeds_extraction(settings, gazetteer):
    """extract_corpus over seeds/ — the default corpus every stage is tested on."""
    from geo.pipeline import extract_corpus

    return extract_corpus([SEEDS_DIR], settings, gazetteer=gazetteer)


@pytest.fixture(scope="session")
def fields_of(parse):
    """Geoparse one text into tuples of the fields asked for, None for a missing value:
    ``fields_of("text", "level", "county")("萧山区…")`` → [("萧山区", "county", "萧山区"), …]."""

    def pick(*fields: str):
        def run(text: str) -> list[tuple]:
            got = parse(text)
            rows = got.astype(object).where(got.notna(), None)
            return [tuple(r[f] for f in fields) for r in rows.to_dict("records")]

        return run

    return pick


@pytest.fixture(scope="session")
def parse(gazetteer, settings):
    """Geoparse one text: its mentions as the pipeline's DataFrame (a test module may shadow it
    with its own shape of the result)."""
    from geo.pipeline import mentions_in_text

    def run(text: str):
        return mentions_in_text(text, gazetteer, settings)

    return run


@pytest.fixture(scope="session")
def mentions_by_text(gazetteer, settings):
    """Geoparse one text: its mentions by surface (白云区 → its record), {} when there are none."""
    from geo.pipeline import mentions_in_text

    def run(text: str) -> dict[str, dict]:
        got = mentions_in_text(text, gazetteer, settings)
        return {r["text"]: r for r in got.to_dict("records")} if not got.empty else {}

    return run


@pytest.fixture(scope="session")
def seed_texts():
    """File name → exact text (newline='') of each seed."""
    return {p.name: p.open(encoding="utf-8", newline="").read() for p in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def atlas_synthetic(gazetteer):
    """A tiny hand-made extraction over real gazetteer places (for the layer/export/map tests):
    mentions of 萧山区 and its 河上镇, 南湖区 + 湘家荡区域, 青山湖科技城 (临安区), 浦东新区 (outside
    Zhejiang), 杭州市 (city: on neither layer), one place the gazetteer lacks and one with no
    coordinate; two metrics reports for 萧山区 and a target that must not count as a value."""
    from types import SimpleNamespace

    import pandas as pd

    places = gazetteer.places.set_index("place_id", drop=False)

    def ids(name, level):
        hit = places[
            (places["name"] == name)
            & (places["level"] == level)
            & (places["province"].isin(["浙江省", "上海市"]))
        ]
        assert len(hit), f"{name} not in the gazetteer"
        return hit.index[0]

    def mention(article, pid, in_org=False, **over):
        r = places.loc[pid]
        row = dict(
            article_id=article,
            file=f"{article[:3]}.txt",
            start=0,
            end=len(r["name"]),
            text=r["name"],
            place_id=pid,
            name=r["name"],
            level=r["level"],
            province=r["province"],
            city=r["city"],
            county=r["county"],
            township=r["township"],
            code=r["code"],
            lon=r["lon"],
            lat=r["lat"],
            precision=r["precision"],
            confidence=0.9,
            in_org=in_org,
            historical=False,
            county_id=r["county_id"],
            runner_up=None,
        )
        row.update(over)
        return row

    xs, heshang, nanhu = ids("萧山区", "county"), ids("河上镇", "township"), ids("南湖区", "county")
    xjd, qsh = ids("湘家荡区域", "zone"), ids("青山湖科技城", "zone")
    pudong, hangzhou = ids("浦东新区", "county"), ids("杭州市", "city")
    rows = [
        mention("a01", xs),
        mention("a01", heshang),
        mention("a01", heshang),
        mention("a02", xs, in_org=True),
        mention("a02", heshang),
        mention("b01", nanhu),
        mention("b01", xjd),
        mention("b02", qsh),
        mention("b02", pudong),
        mention("b02", hangzhou),
        mention(
            "c01",
            xs,
            place_id="geocoder:abc",
            name="<img src=x onerror=alert(1)>",
            level="landmark",
            lon=120.27,
            lat=30.15,
            precision="exact",
        ),
        mention("c01", xs, place_id="geocoder:nowhere", name="无坐标", level="landmark", lon=None, lat=None),
    ]
    mentions = pd.DataFrame(rows)
    articles = pd.DataFrame(
        {
            "article_id": ["a01", "a02", "b01", "b02", "c01", "c02"],
            "file": ["a01.txt", "a02.txt", "b01.txt", "b02.txt", "c01.txt", "c02.txt"],
            "title": list("ABCDEF"),
        }
    )
    base = dict(
        article_id="a01",
        file="a01.txt",
        name="萧山区",
        metric="gdp",
        label="地区生产总值",
        unit="亿元",
        yoy_pct=5.0,
        qualifier=None,
        start=0,
        end=1,
        evidence="…",
    )
    metrics = pd.DataFrame(
        [
            dict(base, place_id=xs, value=2000.5, period="2023年", is_target=False),
            dict(base, place_id=xs, value=2150.0, period="2024年", is_target=False),
            dict(base, place_id=xs, value=3000.0, period="2027年", is_target=True),
            dict(base, place_id=heshang, name="河上镇", value=80.0, period="2024年", is_target=False),
        ]
    )
    return SimpleNamespace(
        mentions=mentions,
        articles=articles,
        metrics=metrics,
        ids=dict(xs=xs, heshang=heshang, nanhu=nanhu, xjd=xjd, qsh=qsh, pudong=pudong, hangzhou=hangzhou),
    )


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test (Playwright allows one sync session
    per process). Skipped only when Chromium is absent: scripts/setup.sh --browser installs it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent / "e2e"))
    import harness

    if not Path(harness.CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {harness.CHROMIUM}: run scripts/setup.sh --browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = harness.launch_chromium(p)
        yield b
        b.close()
