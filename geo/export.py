"""Exports as bytes: GeoJSON (RFC 7946), CSV (Excel-ready) and GeoParquet.

Every function returns bytes and is deterministic, so the CLI (``python -m geo export``) and the
app's download buttons, which both call :func:`export_layers`, hand out identical files.

Formats:
- GeoJSON: one FeatureCollection, WGS-84 lon/lat, no ``crs`` member (RFC 7946 §4), coordinates
  rounded to 6 decimals (~0.1 m), UTF-8 with Chinese left unescaped, properties as plain JSON
  (NaN/NA → null, numpy numbers → numbers). Each feature's ``id`` is its place_id; with
  ``--layer both`` a ``layer`` property says "county" or "points". The ``metric_*`` properties
  (one triple per metric the corpus reports, mostly empty) appear only on features that have
  that metric; every other column is on every feature.
- CSV: UTF-8 *with* a byte-order mark and CRLF line ends, because Excel (the tool most readers
  of a Chinese news corpus open CSV in) otherwise shows the Chinese as mojibake; every other
  CSV reader skips the BOM. Layers are written without geometry, with lon/lat columns
  (a county's representative point). Text cells that a spreadsheet would run as a formula
  (starting with ``=``, ``+``, ``-``, ``@``, tab or CR: a file named ``=1+1.txt``, a sentence
  ``=HYPERLINK(…``) get a leading ``'`` (OWASP CSV injection); number columns stay numbers.
- Parquet: layers as GeoParquet (geometry as WKB with the "geo" metadata); mentions and metrics
  as plain Parquet tables.
- HTML: the standalone map (:func:`geo.mapview.build_map`) with Leaflet inlined, offline.
"""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd

from geo.errors import ExportError
from geo.gazetteer import load_gazetteer
from geo.geojson import COORD_DECIMALS, feature_collection, plain_value
from geo.layers import WGS84, county_layer, point_layer
from geo.mapview import build_map, map_html
from geo.pipeline import Extraction, extract_corpus
from geo.settings import Settings, load_settings

LAYERS = ("county", "points", "both", "mentions", "metrics")
FORMATS = ("geojson", "csv", "parquet", "html")


def to_geojson(
    layers: gpd.GeoDataFrame | dict[str, gpd.GeoDataFrame], decimals: int = COORD_DECIMALS
) -> bytes:
    """RFC 7946 GeoJSON bytes (see the module docstring for the conventions)."""
    fc = feature_collection(layers, decimals)
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=plain_value)
    return text.encode("utf-8")


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """A layer as a plain table: geometry replaced by lon/lat (representative point)."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame:
        pts = frame.geometry.representative_point()
        out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        if "lon" not in out:
            out["lon"] = pts.x.round(COORD_DECIMALS).values
            out["lat"] = pts.y.round(COORD_DECIMALS).values
        return out
    return pd.DataFrame(frame)


#: First characters that make Excel/LibreOffice treat a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """A text cell a spreadsheet would evaluate, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """Corpus text (file names, titles, sentences) must never run as a formula in Excel; only
    text cells change, so a negative number in a number column stays a number."""
    out = table.rename(columns=lambda c: neutralise_formula(c))
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if isinstance(col.dtype, pd.CategoricalDtype):  # shared strings (file, name …)
            values = pd.Series(col.cat.categories)
        elif col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            values = col
        else:  # numbers, booleans, dates: never text
            continue
        if values.map(_is_formula).any():
            out.isetitem(i, col.astype(object).map(neutralise_formula))
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes: UTF-8 with BOM, CRLF, header row; a GeoDataFrame loses geometry for lon/lat;
    formula-like text cells neutralised (see the module docstring)."""
    buf = io.StringIO()
    _neutralised(_table(frame)).to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def to_geoparquet(frame: pd.DataFrame) -> bytes:
    """GeoParquet bytes for a GeoDataFrame, plain Parquet for a table."""
    buf = io.BytesIO()
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_parquet(buf, index=False)
    else:
        pd.DataFrame(frame).to_parquet(buf, index=False)
    return buf.getvalue()


def _combined(county: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    parts = [g.assign(layer=name) for name, g in (("county", county), ("points", points)) if len(g)]
    if not parts:
        return gpd.GeoDataFrame({"layer": []}, geometry=[], crs=WGS84)
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry=out.geometry.name, crs=WGS84)


def check_request(layer: str, fmt: str) -> None:
    """ExportError unless ``layer`` can be exported as ``fmt`` (checked before any work)."""
    if layer not in LAYERS:
        raise ExportError(f"unknown layer {layer!r}; choose one of {', '.join(LAYERS)}")
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if layer in ("mentions", "metrics") and fmt in ("geojson", "html"):
        raise ExportError(
            f"{layer} is a table: export it as csv or parquet, or use "
            "--layer points for a map of the mentioned places"
        )


def export_layers(
    extraction,
    gaz,
    layer: str = "both",
    fmt: str = "geojson",
    home_province: str | None = None,
    settings: Settings | None = None,
    measure: str = "mentions",
) -> bytes:
    """The bytes of one export of an extraction (anything with .mentions/.articles/.metrics,
    already filtered by the caller if it wants a subset).

    layer: county | points | both (map layers, any format) or mentions | metrics (tables:
    csv or parquet only — they have no geometry of their own). fmt "html" is the standalone
    map of the chosen layers, coloured by ``measure``.
    """
    check_request(layer, fmt)
    mentions = getattr(extraction, "mentions", None)
    metrics = getattr(extraction, "metrics", None)
    if layer in ("mentions", "metrics"):
        table = mentions if layer == "mentions" else metrics
        table = pd.DataFrame() if table is None else table
        return to_csv(table) if fmt == "csv" else to_geoparquet(table)
    layers: dict[str, gpd.GeoDataFrame] = {}
    if layer in ("county", "both"):
        layers["county"] = county_layer(
            gaz, mentions, getattr(extraction, "articles", None), metrics, home_province=home_province
        )
    if layer in ("points", "both"):
        layers["points"] = point_layer(gaz, mentions, metrics)
    if fmt == "geojson":
        return to_geojson(layers if layer == "both" else layers[layer])
    if fmt == "html":
        empty = gpd.GeoDataFrame({"place_id": []}, geometry=[], crs=WGS84)
        m = build_map(layers.get("county", empty), layers.get("points", empty), measure, settings, gaz=gaz)
        return map_html(m).encode("utf-8")
    frame = _combined(layers["county"], layers["points"]) if layer == "both" else layers[layer]
    return to_csv(frame) if fmt == "csv" else to_geoparquet(frame)


def export_filename(layer: str, fmt: str, stem: str = "atlas") -> str:
    """A default file name for a download (atlas-county.geojson, atlas-mentions.csv …)."""
    return f"{stem}-{layer}.{fmt}"


MIME_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "html": "text/html; charset=utf-8",
}


def export_corpus(
    paths, layer: str, fmt: str, settings: Settings | None = None, measure: str = "mentions", progress=None
) -> tuple[bytes, Extraction]:
    """What ``python -m geo export PATH…`` does: extract the corpus, export it. Returns (bytes,
    extraction) so the caller can report skipped files. The request is checked before any work."""
    check_request(layer, fmt)
    settings = settings or load_settings()
    gaz = load_gazetteer(settings)
    x = extract_corpus(list(paths), settings, progress=progress, gazetteer=gaz)
    data = export_layers(
        x, gaz, layer, fmt, home_province=settings.home_province, settings=settings, measure=measure
    )
    return data, x
