"""Serving the app to a team: Streamlit listens on this machine only, corpus folders come from an
allow-list, typed paths cannot escape it, and folder listings never show non-text file names."""

from __future__ import annotations

import subprocess
import sys

from geo.settings import PROJECT_DIR


def test_streamlit_listens_on_this_machine_only():
    """What `streamlit run app.py` (without scripts/app.sh) reads from .streamlit/config.toml."""
    code = (
        "import streamlit.config as c; c.get_config_options(force_reparse=True); "
        "print(c.get_option('server.address'), c.get_option('server.enableStaticServing'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert out.stdout.split() == ["127.0.0.1", "True"], out.stderr[-500:]
