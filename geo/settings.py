"""Typed settings in one place.

Every knob the library, CLI and app share lives here, read once from environment variables
(prefix ``ATLAS_``) so that nothing depends on the working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
#: Curated, reviewable gazetteer files (CSV/YAML) committed with the code.
CURATED_DIR = PROJECT_DIR / "gazetteer"
#: The default corpus: the five seed documents.
SEEDS_DIR = PROJECT_DIR / "seeds"
#: Leaflet and plugin assets installed by set-up from the npm registry (never a CDN at run time).
#: Lives in the top-level static/ folder that Streamlit serves at /app/static/.
ASSETS_DIR = PROJECT_DIR / "static" / "vendor"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corpus-atlas"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corpus-atlas"


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = SEEDS_DIR
    curated_dir: Path = CURATED_DIR
    #: Built gazetteer and other derived artefacts (outside git).
    cache_dir: Path = field(default_factory=_default_cache_dir)
    #: User data that must survive cache clean-ups (geocoder answers).
    data_dir: Path = field(default_factory=_default_data_dir)
    #: The region a corpus is assumed to be about; breaks ties between same-named places.
    home_province: str = "浙江省"
    #: Map tiles are off by default (offline); a tile URL template turns them on.
    tiles: str | None = None
    tiles_attribution: str | None = None
    #: Online geocoder: "tianditu", "amap", "nominatim" or None (offline).
    geocoder: str | None = None
    geocoder_base_url: str | None = None
    geocoder_timeout_s: float = 10.0
    #: Marker clustering kicks in above this many point features.
    cluster_threshold: int = 200
    #: Parallel worker processes for extraction (1 = in-process).
    workers: int = 1

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def load_settings() -> Settings:
    """Settings from the environment; unset variables keep their defaults."""
    s = Settings()
    changes: dict = {}
    for attr, var in (
        ("corpus_dir", "ATLAS_CORPUS"),
        ("curated_dir", "ATLAS_CURATED_DIR"),
        ("cache_dir", "ATLAS_CACHE_DIR"),
        ("data_dir", "ATLAS_DATA_DIR"),
    ):
        p = _env_path(var)
        if p:
            changes[attr] = p
    for attr, var in (
        ("home_province", "ATLAS_HOME_PROVINCE"),
        ("tiles", "ATLAS_TILES"),
        ("tiles_attribution", "ATLAS_TILES_ATTRIBUTION"),
        ("geocoder", "ATLAS_GEOCODER"),
        ("geocoder_base_url", "ATLAS_GEOCODER_URL"),
    ):
        if os.environ.get(var):
            changes[attr] = os.environ[var]
    if os.environ.get("ATLAS_WORKERS"):
        changes["workers"] = int(os.environ["ATLAS_WORKERS"])
    return s.with_(**changes) if changes else s
