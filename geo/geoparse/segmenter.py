"""jieba's dictionary segmentation (``lcut(text, HMM=False)``) without loading jieba's dictionary.

jieba keeps its dictionary as one dict of ~500,000 words and word prefixes; loading it (its own
marshal cache) took ~0.85 CPU-s in every process — each worker of a build, each ``geo`` command —
while the short texts recognition segments (叫|璜土村, 航拍|石羊社区: ~7 characters, a few thousand
per 20 MB) cost 0.03 s in all. Here the same keys are an Aho-Corasick automaton (daachorse, as the
place names are) with each key's count beside it, cached once in the cache folder and loaded in
~0.01 s: a text's keys are found in one overlapping scan, and jieba's own code segments the text
with a dict of those keys alone. A text's segmentation reads the counts of its own substrings only,
so the words are jieba's, and so are the ties.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from array import array
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import daachorse
import jieba

log = logging.getLogger(__name__)

#: Bump when what the cache file holds changes.
_FORMAT = "1"


class Segmenter:
    """``lcut(text)``: jieba's ``Tokenizer.lcut(text, HMM=False)`` with jieba's default dictionary."""

    def __init__(self, automaton: daachorse.CharwiseDoubleArrayAhoCorasick, counts: array, total: int):
        self._keys = automaton.find_overlapping  # (every dictionary key in the text, prefixes too)
        self._counts = counts
        self._total = total

    def lcut(self, text: str) -> list[str]:
        counts = self._counts
        tok = jieba.Tokenizer()  # (no dictionary loaded: a dict of this text's keys is its FREQ)
        tok.FREQ = {text[s:e]: counts[i] for s, e, i in self._keys(text)}
        tok.total, tok.initialized = self._total, True
        return tok.lcut(text, HMM=False)


class _JiebaSegmenter:
    """jieba's own tokenizer (its dictionary loaded): where no cache can be read or written."""

    def __init__(self) -> None:
        self._tok = jieba_tokenizer()
        self._tok.initialize()

    def lcut(self, text: str) -> list[str]:
        return self._tok.lcut(text, HMM=False)


def jieba_tokenizer() -> jieba.Tokenizer:
    """A tokenizer of jieba's default dictionary, not loaded yet (its dictionary file is opened
    with ``get_dict_file()`` without loading it)."""
    jieba.setLogLevel(logging.WARNING)  # its dictionary load logs at DEBUG on the root handler
    return jieba.Tokenizer()


@lru_cache(maxsize=1)
def word_segmenter() -> Segmenter | _JiebaSegmenter:
    """The segmenter of this process: from the cache file (built first if missing)."""
    path = cache_path()
    try:
        return _load(path)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    try:
        _write(path)
        return _load(path)
    except (OSError, ValueError, EOFError, TypeError) as e:  # a read-only cache must not stop the pipeline
        log.warning("jieba's segmenter not cached in %s (%s): its dictionary is loaded", path, e)
        return _JiebaSegmenter()


def ensure_segmenter_cache() -> None:
    """Build the cache file if missing (a parent whose worker processes will each load it)."""
    path = cache_path()
    if not path.is_file():
        try:
            _write(path)
        except OSError as e:
            log.warning("jieba's segmenter not cached in %s (%s)", path, e)


def cache_path() -> Path:
    from geo.settings import load_settings  # (the cache folder of ATLAS_CACHE_DIR)

    dict_file = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    st = dict_file.stat()
    h = hashlib.sha256()
    for part in (
        _FORMAT,
        jieba.__version__,
        version("daachorse"),
        str(st.st_size),
        str(st.st_mtime_ns),
    ):
        h.update(part.encode() + b"\0")
    return Path(load_settings().cache_dir) / "words" / f"jieba-{h.hexdigest()[:16]}.bin"


def _load(path: Path) -> Segmenter:
    fmt, total, automaton, counts = marshal.loads(path.read_bytes())
    if fmt != _FORMAT:
        raise ValueError(f"cache format {fmt!r}")
    got = array("q")
    got.frombytes(counts)
    return Segmenter(daachorse.CharwiseDoubleArrayAhoCorasick.deserialize(automaton), got, total)


def _write(path: Path) -> None:
    """jieba's dictionary (its words and prefixes, each with its count) as an automaton, written
    atomically (processes building it at once each write a whole file)."""
    tok = jieba_tokenizer()
    tok.initialize()
    keys = list(tok.FREQ)
    automaton = daachorse.CharwiseDoubleArrayAhoCorasick(keys, match_kind=daachorse.MATCH_KIND_STANDARD)
    counts = array("q", [tok.FREQ[k] for k in keys])
    data = marshal.dumps((_FORMAT, tok.total, automaton.serialize(), counts.tobytes()))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # (as any other cache file: mkstemp's is private)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
