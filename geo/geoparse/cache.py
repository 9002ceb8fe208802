"""The compact geoparser cache: candidate tables, place index and automaton in one file.

Building the geoparser from the gazetteer takes seconds (57,000 names classified, the automaton
built); a process that only extracts needs none of the gazetteer's tables. The build is written
once to ``<cache>/geoparser/<home province>.bin``: a header (the key it was built for) and a
``marshal`` body of plain tuples and dicts (strings shared, the automaton as daachorse's own
serialisation). Loading it is one read and one ``marshal.loads``: no pandas, no rebuild; the
77,000 name entries stay one marshal each, made on first use (:class:`LazyEntries`).

The key covers everything the tables derive from: the gazetteer (build fingerprint and geocoded
points), the home province, the source of the modules that build the tables, the Python version
(marshal's format) and daachorse's version. Any change means a rebuild, announced in the log.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import marshal
import os
import sys
import threading
from array import array
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import daachorse

from geo.gazetteer import gazetteer_key, load_gazetteer
from geo.geoparse.book_tables import VillageBook
from geo.geoparse.countries import source_versions
from geo.geoparse.entries import Candidate, NameEntry
from geo.geoparse.geoparser import Geoparser, build_geoparser
from geo.geoparse.index import PlaceIndex
from geo.geoparse.recognize import Matcher
from geo.settings import Settings

log = logging.getLogger(__name__)

MAGIC = b"ATLAS-GEOPARSER\n"
#: Modules whose code shapes the cached tables (their source is part of the key).
_TABLE_MODULES = (
    "entries.py",
    "index.py",
    "words.py",
    "zones.py",
    "countries.py",
    "geoparser.py",
    "cache.py",
    "book_tables.py",
)


_lock = threading.Lock()
_loaded: dict[Path, tuple[str, Geoparser]] = {}


def load_geoparser(settings: Settings) -> Geoparser:
    """The geoparser of these settings' gazetteer and home province: in-process copy, else the
    compact cache, else built from the gazetteer (and cached for the next process)."""
    path = cache_file(settings)
    key = cache_key(gazetteer_key(settings), settings.home_province)
    with _lock:
        hit = _loaded.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
        tables = load(path, key)
        if tables is not None:
            gp = Geoparser(*tables)
        else:
            gp = build_geoparser(load_gazetteer(settings), settings.home_province)
            try:
                dump(path, key, gp.matcher, gp.index, gp.home_province)
            except OSError as e:  # a read-only cache must not stop the pipeline
                log.warning("could not cache the geoparser in %s: %s", path, e)
        _loaded[path] = (key, gp)
        return gp


def ensure_geoparser_cache(settings: Settings) -> None:
    """Make sure the compact cache is current, without keeping the geoparser in this process
    (a parent whose workers load it): a stale cache is rebuilt in a short-lived child."""
    path = cache_file(settings)
    if read_key(path) == cache_key(gazetteer_key(settings), settings.home_province):
        return
    import multiprocessing as mp

    child = mp.get_context("fork").Process(target=load_geoparser, args=(settings,))
    child.start()
    child.join()
    if child.exitcode != 0:
        load_geoparser(settings)  # the child failed: build here, so the error (if any) surfaces


def cache_file(settings: Settings) -> Path:
    return Path(settings.cache_dir) / "geoparser" / f"{settings.home_province}.bin"


def cache_key(gazetteer_key: str, home_province: str) -> str:
    h = hashlib.sha256()
    parts = (gazetteer_key, home_province, sys.version.split()[0], version("daachorse"), source_versions())
    for part in parts:
        h.update(part.encode() + b"\0")
    here = Path(__file__).resolve().parent
    for name in _TABLE_MODULES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:20]


def read_key(path: Path) -> str | None:
    """The key a cache file was built for (its header only), None if there is no readable one."""
    try:
        with path.open("rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            return json.loads(f.readline()).get("key")
    except (OSError, ValueError):
        return None


def bytes_key(data: bytes) -> str | None:
    """The key in a cache file's header (:func:`dumps`), None if it has none."""
    end = data.find(b"\n", len(MAGIC))
    if not data.startswith(MAGIC) or end < 0:
        return None
    try:
        return json.loads(data[len(MAGIC) : end]).get("key")
    except ValueError:
        return None


def geoparser_bytes(settings: Settings) -> tuple[str, bytes]:
    """The compact cache of these settings as (key, bytes), built first if missing or stale: what a
    process elsewhere (a Dask worker) turns into the same geoparser with :func:`loads`, in a
    fraction of a second and without the gazetteer."""
    path = cache_file(settings)
    key = cache_key(gazetteer_key(settings), settings.home_province)
    gp = load_geoparser(settings) if read_key(path) != key else None  # builds and writes the cache
    try:
        data = path.read_bytes()
    except OSError:  # an unwritable cache folder: the geoparser built here, serialised
        data = b""
    if bytes_key(data) != key:
        gp = gp or load_geoparser(settings)
        data = dumps(key, gp.matcher, gp.index, gp.home_province)
    return key, data


def dump(path: Path, key: str, matcher: Matcher, index: PlaceIndex, home: str | None) -> None:
    """Write the tables atomically (a half-written cache never looks valid)."""
    data = dumps(key, matcher, index, home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def dumps(key: str, matcher: Matcher, index: PlaceIndex, home: str | None) -> bytes:
    """The cache file's bytes: header, then the body. Equal strings, and equal tuples of strings
    (ancestors), become one object: marshal writes each once, and a load shares them again."""
    strings: dict[str, str] = {}
    tuples: dict[tuple, tuple] = {}
    one = strings.setdefault

    def s(x):
        return one(x, x) if type(x) is str else x

    def st(xs: tuple) -> tuple:
        t = tuple([one(x, x) if type(x) is str else x for x in xs])
        return tuples.setdefault(t, t) if all(type(x) is str for x in t) else t

    rows, ends = [], array("I")
    for e in matcher.entries:
        cands = tuple(tuple(c) for c in e.candidates)
        # NameEntry's fields in order, one marshal per entry (read by LazyEntries on first use)
        rows.append(marshal.dumps((e.surface, cands, *e[2:])))
        ends.append((ends[-1] if ends else 0) + len(rows[-1]))
    body = {
        "home": home,
        "entry_rows": b"".join(rows),
        "entry_ends": ends.tobytes(),
        "automaton": matcher.automaton.serialize(),
        "longer": tuple(sorted(matcher.longer)),
        "ids": {s(k): v for k, v in matcher.ids.items()},
        "former": {s(k): v for k, v in matcher.former.items()},
        "heads": None if matcher.heads is None else tuple(sorted(matcher.heads)),
        "landmarks": tuple(sorted(matcher.landmarks)),  # (worked out from every entry: not at a load)
        "level": {s(k): s(v) for k, v in index.level.items()},
        "ancestors": {s(k): st(v) for k, v in index.ancestors.items()},
        "county_of": {s(k): s(v) for k, v in index.county_of.items()},
        "province_of": {s(k): s(v) for k, v in index.province_of.items()},
        "row": {s(k): st(v) for k, v in index.row.items()},
        "villages": tuple(index.villages),
    }
    header = MAGIC + json.dumps({"key": key, "entries": len(ends)}).encode() + b"\n"
    return header + marshal.dumps(body)


class LazyEntries(dict):
    """The matcher's entries (pattern id → :class:`NameEntry`), each made from its cached row the
    first time it is read: a process reads the few thousand names its texts contain, not all
    77,000 (making them all took ~0.1 s of every warm load). A dict, so that a read of an entry
    already made is the dict's own lookup in C (the scan's hot loop reads one per match); iterated
    and sized as the list of all entries."""

    __slots__ = ("_ends", "_rows")

    def __init__(self, rows: bytes, ends: array) -> None:
        super().__init__()
        self._rows, self._ends = rows, ends

    def __missing__(self, i: int) -> NameEntry:
        if not 0 <= i < len(self._ends):
            raise IndexError(f"no entry {i}")
        e = marshal.loads(self._rows[self._ends[i - 1] if i else 0 : self._ends[i]])
        new = tuple.__new__
        entry = self[i] = new(NameEntry, (e[0], tuple([new(Candidate, c) for c in e[1]]), *e[2:]))
        return entry

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[NameEntry]:
        return (self[i] for i in range(len(self._ends)))

    def __reduce__(self):
        return LazyEntries, (self._rows, self._ends)


def load(path: Path, key: str) -> tuple[Matcher, PlaceIndex, str | None] | None:
    """The tables of a cache file built for ``key``; None if it is missing, stale or unreadable."""
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError as e:
        log.warning("geoparser cache %s unreadable (%s); rebuilding", path, e)
        return None
    return loads(data, key, str(path))


def loads(data: bytes, key: str, where: str = "bytes") -> tuple[Matcher, PlaceIndex, str | None] | None:
    """The tables of a cache file's bytes (:func:`dumps`) built for ``key``; None if stale or
    unreadable.

    The half a million objects loaded are moved to the collector's permanent generation
    (``gc.freeze``): they live as long as the process and hold no garbage, so no collection need
    walk them — neither the first one after the load (0.08–0.14 s) nor the full ones later in a
    worker's run — and a forked worker does not copy their pages by touching their headers."""
    gc_was_on = gc.isenabled()
    gc.disable()  # half a million tuples and strings, none of them garbage: no collections meanwhile
    try:
        end = data.find(b"\n", len(MAGIC))
        if end < 0 or bytes_key(data) != key:
            return None
        body = marshal.loads(memoryview(data)[end + 1 :])
        ends = array("I")
        ends.frombytes(body["entry_ends"])
        entries = LazyEntries(body["entry_rows"], ends)
        automaton = daachorse.CharwiseDoubleArrayAhoCorasick.deserialize(body["automaton"])
        index = PlaceIndex(
            body["level"],
            body["ancestors"],
            body["county_of"],
            body["province_of"],
            body["row"],
            VillageBook(*body["villages"]),
        )
        heads = None if body["heads"] is None else frozenset(body["heads"])
        lookup = (body["ids"], body["former"], heads)
        matcher = Matcher(automaton, entries, frozenset(body["longer"]), lookup, frozenset(body["landmarks"]))
        gc.freeze()  # (see the docstring)
        return matcher, index, body["home"]
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError) as e:
        log.warning("geoparser cache %s unreadable (%s); rebuilding", where, e)
        return None
    finally:
        if gc_was_on:
            gc.enable()
