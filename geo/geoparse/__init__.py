"""Stage 2 — place mentions: recognise names in articles and resolve each to one gazetteer place.

Candidate tables (:mod:`geo.geoparse.entries`): every name classified once per gazetteer, cached
compactly with the automaton (:mod:`geo.geoparse.cache`, :func:`load_geoparser`).
Recognition (:mod:`geo.geoparse.recognize`): one leftmost-longest Aho-Corasick pass over every
name; short forms and ordinary words need evidence; places inside organisation names are
``in_org``. Resolution (:mod:`geo.geoparse.resolve`): among same-named places, the one the
article's own evidence supports (explicit parent, division suffix, the other places of the
article and document, the home province). :mod:`geo.geoparse.geoparser` runs both per document.
"""

from geo.geoparse.cache import ensure_geoparser_cache, load_geoparser
from geo.geoparse.entries import Candidate, NameEntry, build_entries
from geo.geoparse.geoparser import Geoparser, build_geoparser, geoparse_articles, geoparser, province_id
from geo.geoparse.index import PlaceIndex, build_index
from geo.geoparse.recognize import Matcher, RawMatch, build_matcher

__all__ = [
    "Candidate",
    "Geoparser",
    "Matcher",
    "NameEntry",
    "PlaceIndex",
    "RawMatch",
    "build_entries",
    "build_geoparser",
    "build_index",
    "build_matcher",
    "ensure_geoparser_cache",
    "geoparse_articles",
    "geoparser",
    "load_geoparser",
    "province_id",
]
