"""The house: stages import only downwards, heavy UI libraries stay out of the pipeline, modules
stay small. (CI also runs ruff, mypy and lint-imports directly: scripts/test.sh.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geo.settings import PACKAGE_DIR, PROJECT_DIR

MAX_MODULE_LINES = 400


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--no-cache"], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def _loaded(modules: str, watch: tuple[str, ...]) -> list[str]:
    """Which of ``watch`` a fresh interpreter has loaded after importing ``modules``."""
    code = f"import sys, {modules}; print(sorted(m for m in {watch!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(out.stdout.strip())


def test_the_pipeline_loads_no_ui_map_or_engine_library():
    """Workers import the pipeline: it must not drag in streamlit, folium, dask or duckdb."""
    watch = ("streamlit", "folium", "branca", "requests", "dask", "distributed", "duckdb")
    assert _loaded("geo.pipeline, geo.jsonl", watch) == []


def test_only_the_dask_engine_loads_dask():
    """The store, its local builds, the work units the workers run and the CLI stay dask-free;
    importing the engine is what loads it."""
    watch = ("dask", "distributed")
    assert _loaded("geo.store, geo.store.partitions, geo.cli, geo.export", watch) == []
    assert _loaded("geo.store.dask_engine", watch) == ["dask", "distributed"]


def test_no_module_is_over_400_lines():
    sizes = {
        p.relative_to(PROJECT_DIR).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE_DIR.rglob("*.py")
    }
    assert {f: n for f, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_every_stage_is_a_package_with_a_public_api():
    for stage in ("corpus", "gazetteer", "geoparse", "metrics", "geocode"):
        init = PACKAGE_DIR / stage / "__init__.py"
        assert init.is_file() and "__all__" in init.read_text(encoding="utf-8"), stage
