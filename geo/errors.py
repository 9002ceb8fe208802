"""Domain errors: one place, so callers can catch what the pipeline means, not what it tripped on."""

from __future__ import annotations


class AtlasError(Exception):
    """Base of every error Corpus Atlas raises on purpose."""


class CorpusError(AtlasError):
    """A corpus path cannot be read at all (missing, not a file or folder)."""


class OutsideCorpusRootsError(CorpusError, PermissionError):
    """A corpus path resolves outside every folder the server allows (ATLAS_CORPUS_ROOTS)."""


class CorpusTooLargeError(CorpusError):
    """An upload or folder holds more files or bytes than the app reads at once."""


class DecodeError(CorpusError, ValueError):
    """A file's bytes are binary, undecodable, or decode only to nonsense; ``encoding`` is the
    decode that was tried and rejected (None: none succeeded)."""

    def __init__(self, message: str, encoding: str | None = None):
        self.encoding = encoding
        super().__init__(message)


class GazetteerError(AtlasError):
    """The gazetteer cannot be built or loaded (bad curated row, missing source package)."""


class CuratedRowError(GazetteerError):
    """A curated gazetteer row is malformed; names the file, line and problem."""

    def __init__(self, path: str, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}:{line}: {problem}")


class CacheCorruptError(AtlasError):
    """A cache file cannot be read (garbage, truncated, another schema): readers carry on without it."""


class GeocoderError(AtlasError):
    """An online geocoder failed (network, quota, malformed answer, refused key)."""


class ExportError(AtlasError):
    """An export was asked for in a form we cannot produce."""


class StoreError(AtlasError):
    """An atlas store cannot be opened, read or written (missing, corrupt, other schema, moved corpus)."""


class StoreBusyError(StoreError):
    """Another build is writing this store right now."""


class OutputError(AtlasError):
    """An output path cannot take the result (a file where a folder must be, a folder of other files)."""


class OutputBusyError(OutputError):
    """Another run holds the output folder's lock."""


class ExtractionError(AtlasError, ValueError):
    """An extraction folder is incomplete or does not match its manifest (changed, or half written)."""


class IndicatorError(AtlasError):
    """A row of the indicator catalogue (geo/metrics/indicators.csv) is malformed."""


class EngineError(AtlasError):
    """The extraction engine (a Dask cluster) cannot be used: unreachable, missing, or it failed."""


class EngineMissingError(EngineError, ImportError):
    """The engine's packages are not installed (names them and the extra to install)."""


class GoldSetError(AtlasError, ValueError):
    """A gold set file is not in the format the command reads (a passage set given as a dev set)."""
