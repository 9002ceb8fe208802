"""The JSON Lines contract of an extraction: write it completely or not at all, read it verified.

One JSON object per line, UTF-8 with Chinese unescaped, keys in the record's field order
(:mod:`geo.schema`); NaN becomes null and numpy scalars plain numbers.

An extraction folder holds ``articles.jsonl``, ``mentions.jsonl``, ``metrics.jsonl``,
``skipped.jsonl`` and, written last, ``manifest.json``: the run id, when it ran, the counts, each
file's rows, bytes and SHA-256, and each document read (file, encoding, characters, articles).
:func:`write_extraction` writes into a temporary folder beside the output and swaps it into
place under the folder's lock (:mod:`geo.outputs`), so the folder holds either the complete old
or the complete new result, even when the run is killed. :func:`read_extraction` checks the
manifest before trusting the files: a folder changed by hand or written by an older version is
an :class:`~geo.errors.ExtractionError`, not a silent mix.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import ExtractionError
from geo.outputs import check_output_folder, new_temp_folder, output_lock, replace_folder
from geo.schema import (
    ARTICLE_COLUMNS,
    MENTION_COLUMNS,
    METRIC_COLUMNS,
    DocumentInfo,
    Skipped,
)

#: The files of one extraction, in the order they are written.
JSONL_FILES = ("articles", "mentions", "metrics", "skipped")
#: Written last: what a complete result holds.
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "corpus-atlas extraction"
MANIFEST_VERSION = 1
#: Every name an extraction folder may hold (anything else: not ours to replace).
EXTRACTION_NAMES = frozenset({f"{n}.jsonl" for n in JSONL_FILES} | {MANIFEST})

_COLUMNS = {"articles": ARTICLE_COLUMNS, "mentions": MENTION_COLUMNS, "metrics": METRIC_COLUMNS}


def _jsonable(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


#: ``json.dumps(v, ensure_ascii=False)`` without building an encoder per call.
_dumps = json.JSONEncoder(ensure_ascii=False).encode
_encode_str = json.encoder.encode_basestring  # what that encoder writes a str with
#: Rows encoded at a time (a block of lines, so a large table is never held as strings).
_CHUNK_ROWS = 20_000


def iter_jsonl(df: pd.DataFrame) -> Iterator[str]:
    """The rows of a table as JSON lines (keys in column order), one at a time: each line what
    ``json.dumps({column: value}, ensure_ascii=False)`` writes for the values ``itertuples``
    gives (NaN as null, numpy scalars as numbers). Each column is encoded at once, ``"key": value``
    (a category's text once for all its rows), and a line joins its row's pieces."""
    cols = list(df.columns)
    if len(set(cols)) < len(cols) or not all(type(c) is str for c in cols):  # as dict keys: as ever
        for row in df.itertuples(index=False, name=None):
            yield json.dumps({c: _jsonable(v) for c, v in zip(cols, row)}, ensure_ascii=False) + "\n"
        return
    if not cols:
        yield from ("{}\n" for _ in range(len(df)))
        return
    pieces = [_column_encoder(_encode_str(c) + ": ", df.iloc[:, k]) for k, c in enumerate(cols)]
    join = ", ".join
    for a in range(0, len(df), _CHUNK_ROWS):
        for row in zip(*(piece(a, a + _CHUNK_ROWS) for piece in pieces)):
            yield "{" + join(row) + "}\n"


def _column_encoder(key: str, s: pd.Series) -> Callable[[int, int], list[str]]:
    """rows a:b of ``s`` as ``key`` + JSON text, as :func:`iter_jsonl` writes them."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype) and all(type(c) is str for c in dtype.categories.tolist()):
        texts = np.array(
            [key + _encode_str(c) for c in dtype.categories.tolist()] + [key + "null"], dtype=object
        )
        codes = s.cat.codes.to_numpy()
        return lambda a, b: texts[codes[a:b]].tolist()  # code -1 (missing): the last, null
    if not isinstance(dtype, np.dtype) or dtype not in (np.int64, np.bool_, np.float64):
        return lambda a, b: _texts(key, s.iloc[a:b].tolist())
    values = s.to_numpy()
    if dtype == np.int64:
        return lambda a, b: [key + str(v) for v in values[a:b].tolist()]
    if dtype == np.bool_:
        return lambda a, b: np.where(values[a:b], key + "true", key + "false").tolist()

    def floats(a: int, b: int) -> list[str]:
        # a value's text once per distinct bit pattern (a place's lon/lat repeat; -0.0 is not 0.0)
        distinct, at = np.unique(values[a:b].view(np.int64), return_inverse=True)
        texts = [key + _dumps(_jsonable(v)) for v in distinct.view(np.float64).tolist()]
        return np.array(texts, dtype=object)[at].tolist()

    return floats


def _texts(key: str, values: Iterable[Any]) -> list[str]:
    """``key`` + the JSON text of each value; a str's text once however often it repeats."""
    known: dict[str, str] = {}
    out = []
    for v in values:
        if type(v) is str:
            text = known.get(v)
            if text is None:
                text = known[v] = key + _encode_str(v)
            out.append(text)
        else:
            out.append(key + _dumps(_jsonable(v)))
    return out


def frame_to_jsonl(df: pd.DataFrame) -> str:
    """The rows of a table as JSON Lines (keys in column order)."""
    return "".join(iter_jsonl(df))


def skipped_to_jsonl(skipped: list[Skipped]) -> str:
    return "".join(json.dumps(s._asdict(), ensure_ascii=False) + "\n" for s in skipped)


def _write_lines(path: Path, lines: Iterable[str]) -> dict[str, Any]:
    """Write lines (in blocks, so a large table is never one string) and describe the file."""
    h, rows, size = hashlib.sha256(), 0, 0
    with open(path, "wb") as f:
        block: list[str] = []
        for line in lines:
            block.append(line)
            rows += 1
            if len(block) >= 10_000:
                size += _write_block(f, h, block)
        size += _write_block(f, h, block)
        f.flush()
        os.fsync(f.fileno())
    return {"rows": rows, "bytes": size, "sha256": h.hexdigest()}


def _write_block(f, h, block: list[str]) -> int:
    data = "".join(block).encode("utf-8")
    f.write(data)
    h.update(data)
    block.clear()
    return len(data)


def write_extraction(x: Any, out_dir: Path | str) -> dict[str, Path]:
    """Write the JSON Lines contract of an :class:`~geo.pipeline.Extraction` and its manifest,
    replacing ``out_dir`` as a whole; returns the files. OutputError (before writing anything)
    if ``out_dir`` is a file, holds other files, or another run is writing it."""
    out = check_output_folder(out_dir, EXTRACTION_NAMES)
    documents = list(getattr(x, "documents", []))
    with output_lock(out):
        check_output_folder(out, EXTRACTION_NAMES)  # again: it may have changed before the lock
        tmp = new_temp_folder(out)
        try:
            files = {
                f"{name}.jsonl": _write_lines(tmp / f"{name}.jsonl", iter_jsonl(getattr(x, name)))
                for name in ("articles", "mentions", "metrics")
            }
            files["skipped.jsonl"] = _write_lines(
                tmp / "skipped.jsonl", (json.dumps(s._asdict(), ensure_ascii=False) + "\n" for s in x.skipped)
            )
            manifest = {
                "format": MANIFEST_FORMAT,
                "version": MANIFEST_VERSION,
                "run_id": uuid.uuid4().hex,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": {"documents": len(documents)}
                | {name: files[f"{name}.jsonl"]["rows"] for name in JSONL_FILES},
                "files": files,
                "documents": [DocumentInfo(*d)._asdict() for d in documents],
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
            _write_lines(tmp / MANIFEST, [text])
            replace_folder(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return {name: out / f"{name}.jsonl" for name in JSONL_FILES}


# ---------------------------------------------------------------- reading, verified


@dataclass
class StoredExtraction:
    """An extraction read back from its folder (the same tables as the pipeline's Extraction)."""

    articles: pd.DataFrame
    mentions: pd.DataFrame
    metrics: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    documents: list[DocumentInfo] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return str(self.manifest.get("run_id", ""))


def verify_extraction(folder: Path | str) -> dict:
    """The folder's manifest, once every file matches it; ExtractionError naming what does not."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExtractionError(f"{folder} is not an extraction folder (no such folder)")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExtractionError(
            f"{folder} has no {MANIFEST}: not a complete extraction (a stopped run, or an older "
            "version wrote it); run extract again"
        ) from None
    except (OSError, ValueError) as e:
        raise ExtractionError(f"{folder / MANIFEST} is unreadable: {e}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ExtractionError(f"{folder / MANIFEST} is not a Corpus Atlas extraction manifest")
    if manifest.get("version") != MANIFEST_VERSION:
        raise ExtractionError(
            f"{folder / MANIFEST} has version {manifest.get('version')!r}; this version reads "
            f"{MANIFEST_VERSION}: run extract again"
        )
    files = manifest.get("files")
    files = files if isinstance(files, dict) else {}
    run = manifest.get("run_id")
    for name in (f"{n}.jsonl" for n in JSONL_FILES):
        want = files.get(name)
        if not isinstance(want, dict):
            raise ExtractionError(f"{folder / MANIFEST} does not list {name}")
        try:
            size, digest = _digest(folder / name)
        except OSError as e:
            raise ExtractionError(f"{folder / name} is missing or unreadable ({e.strerror})") from None
        if size != want.get("bytes") or digest != want.get("sha256"):
            raise ExtractionError(
                f"{folder / name} does not match the manifest of run {run} (changed or partly written "
                "after that run): run extract again"
            )
    return manifest


def _digest(path: Path) -> tuple[int, str]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def read_extraction(folder: Path | str) -> StoredExtraction:
    """The tables of an extraction folder, after :func:`verify_extraction`."""
    folder = Path(folder)
    manifest = verify_extraction(folder)

    def rows(name: str) -> list[dict]:
        with open(folder / f"{name}.jsonl", encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    tables = {
        name: pd.DataFrame.from_records(rows(name), columns=list(cols)) for name, cols in _COLUMNS.items()
    }
    return StoredExtraction(
        **tables,
        skipped=[Skipped(**d) for d in rows("skipped")],
        documents=[DocumentInfo(**d) for d in manifest.get("documents", [])],
        manifest=manifest,
    )
