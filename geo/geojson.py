"""GeoJSON features from layers: plain JSON values, rounded coordinates, one id per place.

Shared by the exports (``--format geojson``) and the map (its GeoJSON layers), so a feature on the
map and in a downloaded file carry the same properties.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.layers import METRIC_PREFIX, WGS84

COORD_DECIMALS = 6


def plain_value(value):
    """A JSON-native value: numpy scalars unwrapped, NaN/NA/None → None, dates → ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    return value if isinstance(value, (str, int)) else str(value)


def round_geometry(geom, decimals: int):
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def feature_collection(
    layers: gpd.GeoDataFrame | dict[str, gpd.GeoDataFrame],
    decimals: int = COORD_DECIMALS,
    properties: list[str] | None = None,
) -> dict:
    """A GeoJSON FeatureCollection dict from one layer, or from {layer name: layer}.

    ``properties`` keeps only those columns (the map uses it to keep its payload small).
    """
    named = layers if isinstance(layers, dict) else {None: layers}
    features = []
    for name, gdf in named.items():
        if gdf is None or len(gdf) == 0:
            continue
        if gdf.crs is not None and gdf.crs.to_epsg() not in (4326, 4490):
            gdf = gdf.to_crs(WGS84)
        cols = [c for c in (properties or gdf.columns) if c in gdf.columns and c != gdf.geometry.name]
        geoms = round_geometry(gdf.geometry.values, decimals)
        records = gdf[cols].to_dict("records")
        for geom, rec in zip(geoms, records):
            props = {k: plain_value(v) for k, v in rec.items()}
            # metric columns are wide and mostly empty: a feature carries only its own metrics
            props = {k: v for k, v in props.items() if v is not None or not k.startswith(METRIC_PREFIX)}
            if name is not None:
                props["layer"] = name
            feature: dict[str, Any] = {"type": "Feature"}
            if "place_id" in props and props["place_id"] is not None:
                feature["id"] = str(props["place_id"])
            feature["geometry"] = None if geom is None else shapely.geometry.mapping(geom)
            feature["properties"] = props
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}
