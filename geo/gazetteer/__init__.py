"""Stage 0 — the gazetteer: every place the geoparser can name, with its coordinates and provenance.

Built from registry packages (:mod:`geo.gazetteer.sources`) plus the curated CSVs in
``gazetteer/`` (:mod:`geo.gazetteer.curated`), assembled by :mod:`geo.gazetteer.build` into a
cache, loaded by :func:`load_gazetteer` (:mod:`geo.gazetteer.store`), with cached geocoder answers
applied offline at load time (:mod:`geo.gazetteer.geocoded`). Every place carries ``source`` and
``precision`` (exact, township, county).
"""

from geo.gazetteer.geocoded import GeocodeCache, apply_geocoded, cache_file
from geo.gazetteer.store import (
    LEVEL_ORDER,
    LOOKUP_COLUMNS,
    Gazetteer,
    build_gazetteer,
    chain_of,
    gazetteer_key,
    gazetteer_stats,
    load_gazetteer,
    lookup,
)

__all__ = [
    "LEVEL_ORDER",
    "LOOKUP_COLUMNS",
    "Gazetteer",
    "GeocodeCache",
    "apply_geocoded",
    "build_gazetteer",
    "cache_file",
    "chain_of",
    "gazetteer_key",
    "gazetteer_stats",
    "load_gazetteer",
    "lookup",
]
