"""Domain errors: one place, so callers can catch what the pipeline means, not what it tripped on."""

from __future__ import annotations


class AtlasError(Exception):
    """Base of every error Corpus Atlas raises on purpose."""


class CorpusError(AtlasError):
    """A corpus path cannot be read at all (missing, not a file or folder)."""


class GazetteerError(AtlasError):
    """The gazetteer cannot be built or loaded (bad curated row, missing source package)."""


class CuratedRowError(GazetteerError):
    """A curated gazetteer row is malformed; names the file, line and problem."""

    def __init__(self, path: str, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}:{line}: {problem}")


class GeocoderError(AtlasError):
    """An online geocoder failed (network, quota, malformed answer, refused key)."""


class ExportError(AtlasError):
    """An export was asked for in a form we cannot produce."""


class IndicatorError(AtlasError):
    """A row of the indicator catalogue (geo/metrics/indicators.csv) is malformed."""
