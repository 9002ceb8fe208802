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


class StoreError(AtlasError):
    """An atlas store cannot be opened, read or written (missing, corrupt, other schema, moved corpus)."""


class StoreBusyError(StoreError):
    """Another build is writing this store right now."""


class EngineError(AtlasError):
    """The extraction engine (a Dask cluster) cannot be used: unreachable, missing, or it failed."""


class EngineMissingError(EngineError, ImportError):
    """The engine's packages are not installed (names them and the extra to install)."""
