"""Shared fixtures: the gazetteer and the seeds' extraction are built once per test session."""
from __future__ import annotations

import pytest

from geo.settings import SEEDS_DIR, load_settings


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def gazetteer(settings):
    from geo.gazetteer import load_gazetteer

    return load_gazetteer(settings)


@pytest.fixture(scope="session")
def seeds_extraction(settings, gazetteer):
    """extract_corpus over seeds/ — the default corpus every stage is tested on."""
    from geo.extract import extract_corpus

    return extract_corpus([SEEDS_DIR], settings, gazetteer=gazetteer)


@pytest.fixture(scope="session")
def seed_texts():
    """File name → exact text (newline='') of each seed."""
    return {p.name: p.open(encoding="utf-8", newline="").read() for p in sorted(SEEDS_DIR.glob("*.txt"))}
