"""Browser fixtures: one `streamlit run app.py` and one offline headless Chromium per session.

Skipped (not failed) only when Chromium itself is absent; scripts/setup.sh --browser installs it.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

ARTIFACTS = harness.PROJECT_DIR / "test-artifacts"


@pytest.fixture(scope="session")
def app_url():
    ARTIFACTS.mkdir(exist_ok=True)
    with harness.running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(harness.CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {harness.CHROMIUM}: run scripts/setup.sh --browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = harness.launch_chromium(p)
        yield b
        b.close()


@pytest.fixture()
def offline_page(browser):
    """A fresh page (1400×1000, zh-CN) whose requests to any non-local host are aborted."""
    page, watch = harness.offline_page(browser, viewport={"width": 1400, "height": 1000})
    yield page, watch
    page.context.close()
