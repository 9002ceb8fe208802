"""Typed settings in one place, loaded once from the environment (prefix ``ATLAS_``).

Every knob the library, CLI and app share is a field of the frozen :class:`Settings`, with its
environment variable and help text beside it (``python -m geo settings`` prints them). The
entry points (CLI, app, workers) call :func:`load_settings` once and pass the object down;
nothing below them reads ``os.environ``. Settings pickle, so they travel to worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
#: Curated, reviewable gazetteer files (CSV) committed with the code.
CURATED_DIR = PROJECT_DIR / "gazetteer"
#: The default corpus: the five seed documents.
SEEDS_DIR = PROJECT_DIR / "seeds"
#: Leaflet and plugin assets installed by set-up from the npm registry (never a CDN at run time).
#: Lives in the top-level static/ folder that Streamlit serves at /app/static/.
ASSETS_DIR = PROJECT_DIR / "static" / "vendor"
#: The home province when none is configured (a data default: ATLAS_HOME_PROVINCE overrides it).
DEFAULT_HOME_PROVINCE = "浙江省"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corpus-atlas"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corpus-atlas"


def _setting(env: str, help: str, default: Any = None, secret: bool = False, **kw: Any) -> Any:
    """A dataclass field that knows its environment variable and its help text."""
    meta = {"env": env, "help": help}
    if "default_factory" in kw:
        return field(metadata=meta, repr=not secret, **kw)
    return field(default=default, metadata=meta, repr=not secret)


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = _setting("ATLAS_CORPUS", "the corpus the app opens first", SEEDS_DIR)
    curated_dir: Path = _setting("ATLAS_CURATED_DIR", "curated gazetteer CSVs (zones, towns, history)",
                                 CURATED_DIR)  # fmt: skip
    cache_dir: Path = _setting("ATLAS_CACHE_DIR", "built gazetteer and other derived files (outside git)",
                               default_factory=_default_cache_dir)  # fmt: skip
    data_dir: Path = _setting("ATLAS_DATA_DIR", "user data that survives cache clean-ups (geocoder answers)",
                              default_factory=_default_data_dir)  # fmt: skip
    stores_dir: Path | None = _setting(
        "ATLAS_STORES_DIR",
        "where the app keeps the stores it builds on demand for typed folders and uploads (and the "
        "uploads); default: <ATLAS_CACHE_DIR>/stores",
    )
    store_path: Path | None = _setting(
        "ATLAS_STORE",
        "the atlas store the app opens (built by python -m geo build); default: one per corpus folder "
        "under the cache folder",
    )
    home_province: str = _setting(
        "ATLAS_HOME_PROVINCE",
        "the province a corpus is about: breaks ties between same-named places, chooses the villages "
        "in the gazetteer, the counties drawn and the map's first view",
        DEFAULT_HOME_PROVINCE,
    )
    tiles: str | None = _setting("ATLAS_TILES", "a tile URL template for a base map (off: offline)")
    tiles_attribution: str | None = _setting("ATLAS_TILES_ATTRIBUTION", "attribution of those tiles")
    geocoder: str | None = _setting("ATLAS_GEOCODER", "online geocoder: tianditu, amap or nominatim")
    geocoder_base_url: str | None = _setting("ATLAS_GEOCODER_URL", "the geocoder's address (a mirror)")
    geocoder_timeout_s: float = _setting("ATLAS_GEOCODER_TIMEOUT", "seconds per geocoder request", 10.0)
    geocoder_contact: str | None = _setting(
        "ATLAS_GEOCODER_CONTACT", "an e-mail or URL sent in the User-Agent (Nominatim asks for one)"
    )
    tianditu_key: str | None = _setting("ATLAS_TIANDITU_KEY", "天地图 API key", secret=True)
    amap_key: str | None = _setting("ATLAS_AMAP_KEY", "高德 web-service key", secret=True)
    cluster_radius: int = _setting(
        "ATLAS_CLUSTER_RADIUS", "map markers closer than this many pixels share a cluster (always on)", 28
    )
    workers: int = _setting("ATLAS_WORKERS", "worker processes for extraction (1 = in-process)", 1)
    corpus_roots: tuple[Path, ...] = _setting(
        "ATLAS_CORPUS_ROOTS",
        f"folders the app may read corpora from, separated by '{os.pathsep}' (default: ATLAS_CORPUS "
        "only); paths outside them are refused",
        (),
    )
    allow_path_input: bool = _setting(
        "ATLAS_ALLOW_PATH_INPUT", "let app users type a folder path (still inside the corpus roots)", False
    )
    max_upload_files: int = _setting(
        "ATLAS_MAX_UPLOAD_FILES", "most text files the app reads from one upload or folder", 1000
    )
    max_upload_mb: float = _setting(
        "ATLAS_MAX_UPLOAD_MB", "most megabytes of text the app reads from one upload or folder", 200.0
    )
    engine: str = _setting(
        "ATLAS_ENGINE", "what geo build extracts on: local (processes here) or dask (a Dask cluster)", "local"
    )
    dask_scheduler: str | None = _setting(
        "ATLAS_DASK_SCHEDULER",
        "Dask scheduler address (tcp://host:8786) or scheduler file; unset: a LocalCluster here",
    )
    dask_shared: str | None = _setting(
        "ATLAS_DASK_SHARED",
        "folder or fsspec URL (s3://…) the build and every Dask worker can read and write (Parquet "
        "results, geoparser snapshot); default: a folder beside the store",
    )
    dask_timeout_s: float = _setting("ATLAS_DASK_TIMEOUT", "seconds to reach the Dask scheduler", 5.0)
    dask_part_mb: float = _setting("ATLAS_DASK_PART_MB", "corpus megabytes per Dask task", 4.0)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def stores_folder(self) -> Path:
        """Where on-demand stores (one per corpus folder) and uploaded corpora are kept: a store
        can be larger than its corpus, so users may put it on a larger disk."""
        return Path(self.stores_dir) if self.stores_dir else Path(self.cache_dir) / "stores"

    def allowed_corpus_roots(self) -> tuple[Path, ...]:
        """The folders a corpus may come from: ATLAS_CORPUS_ROOTS, else the configured corpus."""
        return self.corpus_roots or (Path(self.corpus_dir),)

    def geocoder_key(self, provider: str) -> str | None:
        """The key configured for an online provider (None where it needs none or has none)."""
        return {"tianditu": self.tianditu_key, "amap": self.amap_key}.get(provider)


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _convert(kind: Any, value: str) -> Any:
    kind = str(kind)
    if kind.startswith("tuple[Path"):  # a list of folders, like PATH
        return tuple(Path(v).expanduser() for v in value.split(os.pathsep) if v)
    if kind == "bool":
        if value.strip().lower() not in _TRUE | _FALSE:
            raise ValueError(value)
        return value.strip().lower() in _TRUE
    if "Path" in kind:
        return Path(value).expanduser()
    if kind.startswith("int"):
        return int(value)
    if kind.startswith("float"):
        return float(value)
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (or ``environ``); unset or empty variables keep defaults.

    A malformed number raises ValueError naming the variable."""
    env = os.environ if environ is None else environ
    changes: dict[str, Any] = {}
    for f in fields(Settings):
        value = env.get(f.metadata["env"])
        if not value:
            continue
        try:
            changes[f.name] = _convert(f.type, value)
        except ValueError:
            raise ValueError(f"{f.metadata['env']}={value!r} is not a valid {f.type}") from None
    return Settings(**changes)


def describe_settings(settings: Settings) -> list[tuple[str, str, str]]:
    """(environment variable, current value, help) for every setting; secrets masked."""
    rows = []
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if isinstance(value, tuple):
            value = os.pathsep.join(map(str, value))
        shown = ("***" if value else "") if not f.repr else ("" if value is None else str(value))
        rows.append((f.metadata["env"], shown, f.metadata["help"]))
    return rows
