"""Optional, online: geocode the places the offline gazetteer can only put at their county.

``python -m geo geocode --missing`` asks one provider (天地图, 高德 or Nominatim;
:mod:`geo.geocode.providers`, the only network code of the package) for each county-precision
place, keeps an answer only if it falls inside the place's county polygon, and caches every final
answer; the gazetteer applies cached answers offline (:mod:`geo.gazetteer.geocoded`).
"""

from geo.geocode.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from geo.geocode.online import (
    GeocodeReport,
    TextProgress,
    format_report,
    geocode_missing,
    geocode_places,
    missing_places,
    query_chain,
)
from geo.geocode.providers import Candidate, GeocodeQuery, Provider, ProviderFailure
from geo.geocode.services import AmapProvider, NominatimProvider, TiandituProvider, make_provider

__all__ = [
    "AmapProvider",
    "Candidate",
    "GeocodeQuery",
    "GeocodeReport",
    "NominatimProvider",
    "Provider",
    "ProviderFailure",
    "TextProgress",
    "TiandituProvider",
    "format_report",
    "gcj02_to_wgs84",
    "geocode_missing",
    "geocode_places",
    "make_provider",
    "missing_places",
    "query_chain",
    "wgs84_to_gcj02",
]
