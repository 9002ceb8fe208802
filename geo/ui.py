"""The app's data, built once and cached (imports streamlit; the logic lives in geo.appkit).

A corpus is identified by a fingerprint of its files (path, size, mtime), so editing a file or
pointing the app at another folder rebuilds, while reruns and other browser sessions reuse the
built extraction. The build shows a progress bar; layers and exports are cached per
(corpus, filters, measure) so clicks and filter changes do not recompute them.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

import pandas as pd
import streamlit as st

from geo import appkit
from geo.corpus.reader import TEXT_SUFFIXES, Document, corpus_files, iter_documents
from geo.export import export_layers
from geo.gazetteer import load_gazetteer
from geo.layers import county_layer, layer_bounds, point_layer, simplify_counties
from geo.pipeline import Extraction, extract_corpus
from geo.settings import Settings

_MAX_CORPORA = 4


@dataclass
class Built:
    """One corpus, extracted: the Extraction plus each document's text (for snippets)."""

    key: str
    extraction: Extraction
    texts: dict[str, str]


def _files(paths: tuple[str, ...]) -> list[Path]:
    """Every file the corpus reader would read (same walk, same hidden-file rule)."""
    return [f for p in paths for f in corpus_files(Path(p))]


def corpus_key(paths: tuple[str, ...]) -> str:
    """Fingerprint of every file under the paths: changes when any file does."""
    h = hashlib.sha1()
    for f in _files(paths):
        st_ = f.stat()
        h.update(f"{f.resolve()}\0{st_.st_size}\0{st_.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


@st.cache_resource(show_spinner=False)
def gazetteer(settings: Settings):
    return load_gazetteer(settings)


@st.cache_resource
def _store() -> tuple[OrderedDict, Lock]:
    return OrderedDict(), Lock()


def build(paths: tuple[str, ...], settings: Settings, status) -> Built:
    """The extraction of a corpus: from the cache, or built now with a progress bar drawn in
    ``status`` (an st.empty() the page always has, so the page layout — and with it the map
    component — stays the same between the first and later runs)."""
    key = corpus_key(paths)
    store, lock = _store()
    with lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
        status.info("正在加载地名库（首次使用需构建，约需一分钟）…")
        gaz = gazetteer(settings)
        total = max(1, sum(f.suffix.lower() in TEXT_SUFFIXES for f in _files(paths)))
        bar = status.progress(0.0, text=f"正在分析语料（共 {total} 个文件）…")

        def progress(done: int, file: str) -> None:
            bar.progress(min(done / total, 1.0), text=f"已分析 {done}/{total}：{file}")

        x = extract_corpus([Path(p) for p in paths], settings, progress=progress, gazetteer=gaz)
        texts = {d.file: d.text for d in iter_documents([Path(p) for p in paths]) if isinstance(d, Document)}
        status.empty()
        built = store[key] = Built(key, x, texts)
        while len(store) > _MAX_CORPORA:
            store.popitem(last=False)
        return built


def save_uploads(files, settings: Settings) -> Path | None:
    """Uploaded .txt files into a folder of their own (named by their content) in the cache."""
    if not files:
        return None
    h = hashlib.sha1()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.getvalue())
    folder = Path(settings.cache_dir) / "uploads" / h.hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        (folder / Path(f.name).name).write_bytes(f.getvalue())
    return folder


@st.cache_resource(max_entries=64)
def layers(key: str, filters: appkit.Filters, measure_key: str, _built: Built, settings: Settings):
    """(simplified county layer coloured for the measure, point layer, filtered subset)."""
    x = _built.extraction
    sub = appkit.subset(x.mentions, x.metrics, x.articles, filters)
    measure = next(
        (m for m in appkit.measure_options(sub.metrics) if m.key == measure_key),
        appkit.Measure(measure_key, measure_key),
    )
    gaz = gazetteer(settings)
    colour_metrics = appkit.metrics_for_measure(sub.metrics, measure)
    counties = county_layer(
        gaz, sub.mentions, sub.articles, colour_metrics, home_province=settings.home_province
    )
    points = point_layer(gaz, sub.mentions, sub.metrics)
    return simplify_counties(counties), points, sub


@st.cache_resource(max_entries=8)
def base_bounds(key: str, _built: Built, settings: Settings):
    """Map bounds: the home province (stable across filters, so the map never jumps; places
    elsewhere are a zoom-out away)."""
    return layer_bounds(county_layer(gazetteer(settings), None, home_province=settings.home_province))


@st.cache_resource(max_entries=8)
def search_index(key: str, filters: appkit.Filters, _counties, _points) -> pd.DataFrame:
    frames = [f[["place_id", "name", "level"]] for f in (_counties, _points) if len(f)]
    return appkit.search_index(pd.concat(frames, ignore_index=True))


@st.cache_data(max_entries=32, show_spinner=False)
def export_bytes(
    key: str, filters: appkit.Filters, layer: str, fmt: str, _built: Built, settings: Settings
) -> bytes:
    """The same bytes as ``python -m geo export`` for this corpus (and filters)."""
    x = _built.extraction
    sub = appkit.subset(x.mentions, x.metrics, x.articles, filters)
    return export_layers(
        sub, gazetteer(settings), layer, fmt, home_province=settings.home_province, settings=settings
    )


@st.cache_resource(max_entries=8)
def options(key: str, _built: Built) -> dict:
    """What the sidebar offers for a corpus: measures, levels, files, periods."""
    x = _built.extraction
    return {
        "measures": appkit.measure_options(x.metrics),
        "levels": appkit.levels_present(x.mentions),
        "files": sorted(x.articles["file"].astype(str).unique()),
        "periods": appkit.periods_present(x.metrics),
    }
