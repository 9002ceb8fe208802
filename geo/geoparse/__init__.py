"""Stage 2 — place mentions: recognise names in articles and resolve each to one gazetteer place.

Recognition (:mod:`geo.geoparse.recognize`): one leftmost-longest Aho-Corasick pass over every
name; short forms and ordinary words need evidence; places inside organisation names are
``in_org``. Resolution (:mod:`geo.geoparse.resolve`): among same-named places, the one the
article's own evidence supports (explicit parent, division suffix, the other places of the
article and document, the home province). :mod:`geo.geoparse.geoparser` runs both per document.
"""

from geo.geoparse.geoparser import Geoparser, geoparse_articles, geoparser, province_id
from geo.geoparse.index import PlaceIndex, build_index
from geo.geoparse.recognize import Matcher, RawMatch, build_matcher

__all__ = [
    "Geoparser",
    "Matcher",
    "PlaceIndex",
    "RawMatch",
    "build_index",
    "build_matcher",
    "geoparse_articles",
    "geoparser",
    "province_id",
]
