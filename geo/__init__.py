"""Corpus Atlas: put the places of a corpus of Chinese regional news on a map.

The package reads as the pipeline, one subpackage per stage::

    corpus/     files → articles (title, byline, exact offsets)
    gazetteer/  every place of China, with coordinates, precision and source
    geoparse/   articles → place mentions, each resolved to one place
    metrics/    figures in the text → tied to places and periods
    layers      mentions + metrics → county choropleth and point layers
    mapview     layers → a Folium map (the only folium importer)
    export      layers → GeoJSON / CSV / GeoParquet / standalone HTML
    pipeline    the stages over a corpus; jsonl writes (atomically) and reads the contract
    cli, ui     thin shells (``python -m geo``, the Streamlit app's cache)

``geo.schema`` holds the records (the data contract); ``geo.settings`` the typed settings.
The top-level names below are imported lazily, so ``import geo.schema`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo._version import __version__

if TYPE_CHECKING:
    from geo.export import export_layers as export_layers
    from geo.gazetteer import load_gazetteer as load_gazetteer
    from geo.pipeline import extract_corpus as extract_corpus
    from geo.schema import Article as Article
    from geo.schema import Mention as Mention
    from geo.schema import Metric as Metric
    from geo.schema import Skipped as Skipped
    from geo.settings import Settings as Settings
    from geo.settings import load_settings as load_settings

_LAZY = {
    "extract_corpus": "geo.pipeline",
    "load_gazetteer": "geo.gazetteer",
    "export_layers": "geo.export",
    "Settings": "geo.settings",
    "load_settings": "geo.settings",
    "Article": "geo.schema",
    "Mention": "geo.schema",
    "Metric": "geo.schema",
    "Skipped": "geo.schema",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
