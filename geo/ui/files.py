"""The app server's files (no streamlit here; :mod:`geo.ui.data` caches around them): the map layers'
data published as static files, the few corpus texts being read, and uploads saved as a corpus
folder of their own.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections import OrderedDict
from pathlib import Path
from threading import Lock

import pandas as pd

from geo import mapview
from geo.settings import ASSETS_DIR, Settings
from geo.store.read import read_document

#: The map layers' data as static files of the app, named by their content (served by Streamlit
#: at /app/static/atlas-data/): the page fetches a layer once, and a rerun (a click) re-sends
#: its URL instead of megabytes the browser would parse and compare again.
DATA_DIR = ASSETS_DIR.parent / "atlas-data"
DATA_URL = mapview.APP_ASSET_BASE.rsplit("/", 1)[0] + "/atlas-data"
KEEP_FILES = 48


def publish(layer: mapview.LayerData) -> mapview.LayerData:
    """``layer`` with its data (and its parts) in static files (each written once, atomically); as
    it was when the app's folder is not writable (the data then travel in the page)."""
    try:
        urls = [_publish(text) for text in (layer.data, *layer.parts)]
    except OSError:
        return layer
    return dataclasses.replace(layer, url=urls[0], part_urls=tuple(urls[1:]))


def _publish(text: str) -> str:
    name = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24] + ".json"
    target = DATA_DIR / name
    if target.is_file():
        os.utime(target)  # in use: the pruning below keeps the recent ones
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{name}.{os.getpid()}.part")
        part.write_text(text, encoding="utf-8")
        os.replace(part, target)
        _prune(DATA_DIR, keep=KEEP_FILES)
    return f"{DATA_URL}/{name}"


def _prune(folder: Path, keep: int) -> None:
    files = sorted(folder.glob("*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


_TEXTS: OrderedDict[tuple[str, str], str] = OrderedDict()
_TEXTS_LOCK = Lock()
_MAX_TEXTS = 32


def read_texts(rows: pd.DataFrame, store_path: Path) -> dict[str, str]:
    """file → text of the documents in ``rows`` (file, path, sha256), read from their files now
    (checked against the build's sha256); the last few are kept, never the corpus."""
    out: dict[str, str] = {}
    for file, path, digest in rows.itertuples(index=False, name=None):
        key = (str(path), str(digest))
        with _TEXTS_LOCK:
            text = _TEXTS.get(key)
            if text is not None:
                _TEXTS.move_to_end(key)
        if text is None:
            text = read_document(Path(path), digest, file, store_path)
            with _TEXTS_LOCK:
                _TEXTS[key] = text
                while len(_TEXTS) > _MAX_TEXTS:
                    _TEXTS.popitem(last=False)
        out[file] = text
    return out


def save_uploads(files, settings: Settings) -> Path | None:
    """Uploaded .txt files into a folder of their own (named by their content) beside the stores; the
    folder then gets its own store like any other corpus folder."""
    if not files:
        return None
    h = hashlib.sha1()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.getvalue())
    folder = settings.stores_folder() / "uploads" / h.hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        (folder / Path(f.name).name).write_bytes(f.getvalue())
    return folder
