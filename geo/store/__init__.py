"""The atlas store: a corpus extracted once into one DuckDB file, which the app and the exports
read in seconds (no server, no key). :func:`build_store` writes it incrementally and atomically;
:class:`AtlasStore` reads it.
"""

from geo.store.build import BuildReport, build_store, default_store_path, fingerprint
from geo.store.read import AtlasStore, check_store
from geo.store.tables import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "AtlasStore",
    "BuildReport",
    "build_store",
    "check_store",
    "default_store_path",
    "fingerprint",
]
