"""Browser fixtures: one `streamlit run app.py` per session on a free local port; the shared
headless Chromium (``browser``) lives in tests/conftest.py (one Playwright session per process).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

ARTIFACTS = harness.PROJECT_DIR / "test-artifacts"


@pytest.fixture(scope="session")
def app_url():
    """The app on the seeds, their store built first (as scripts/app.sh does)."""
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "geo", "build", str(harness.PROJECT_DIR / "seeds"), "--quiet"], check=True
    )
    with harness.running_app() as url:
        yield url


@pytest.fixture()
def offline_page(browser):
    """A fresh page (1400×1000, zh-CN) whose requests to any non-local host are aborted."""
    page, watch = harness.offline_page(browser, viewport={"width": 1400, "height": 1000})
    yield page, watch
    page.context.close()
