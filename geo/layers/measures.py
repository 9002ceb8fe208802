"""What the map colours by (a count, or one metric in one period) and how precise a point is:
the classes of a choropleth and the words for a point drawn at a coarser unit's place.
"""

from __future__ import annotations

import numpy as np

#: The prefix of the flat metric columns of a layer ("metric_gdp", "metric_gdp_period").
METRIC_PREFIX = "metric_"


#: The period of a measure that shows each place's latest figure ("metric:gdp@latest").
LATEST_PERIOD = "latest"


def measure_column(measure: str) -> tuple[str, str | None]:
    """("mentions"|…|"metric:gdp@2023"|"metric_gdp") → (column, period or None)."""
    if measure.startswith("metric:"):
        key, _, period = measure[len("metric:") :].partition("@")
        return f"{METRIC_PREFIX}{key}", (None if period in ("", LATEST_PERIOD) else period)
    return measure, None


def measure_values(gdf, measure: str) -> np.ndarray:
    """The numbers the choropleth colours by (NaN = no data; wrong period counts as no data).
    "metric:x" takes each place's latest value; "metric:x@" only values without a period."""
    column, period = measure_column(measure)
    if period is None and measure.startswith("metric:") and measure.endswith("@"):
        period = ""
    if column not in gdf.columns:
        return np.full(len(gdf), np.nan)
    values = gdf[column].astype("float64").to_numpy(copy=True)
    if period is not None and f"{column}_period" in gdf.columns:
        values[(gdf[f"{column}_period"].astype("string").fillna("") != period).to_numpy()] = np.nan
    return values


def bin_edges(values, k: int = 6) -> list[float]:
    """Upper class edges over the values with data (counts: over values > 0): each distinct
    value its own class when there are few, else quantile classes."""
    v = np.asarray(values, dtype="float64")
    v = np.unique(v[~np.isnan(v)])
    if len(v) <= k:
        return [float(x) for x in v]
    edges = np.unique(np.quantile(v, np.linspace(0, 1, k + 1)[1:], method="higher"))
    return [float(x) for x in edges]


def classify(values, edges: list[float]) -> np.ndarray:
    """Class index per value (-1: no data)."""
    v = np.asarray(values, dtype="float64")
    idx = np.searchsorted(np.asarray(edges), v, side="left") if edges else np.zeros(len(v), int)
    return np.where(np.isnan(v), -1, np.minimum(idx, max(len(edges) - 1, 0)))


_RANK = {"exact": 0, "township": 1, "county": 2}
#: The precision a place of each level has when it sits on its own point.
_NATIVE = {"county": 2, "township": 1}


def fallback_precision(level: str, precision: str) -> bool:
    """True when a place is drawn at a coarser unit's point (a village at its county's centre)."""
    return _RANK.get(precision, 2) > _NATIVE.get(level, 0)


def precision_text(level: str, precision: str) -> str:
    if not fallback_precision(level, precision):
        return {"county": "区县代表点", "township": "乡镇代表点"}.get(level, "精确点位")
    return {"township": "近似：所在乡镇的位置", "county": "近似：所在区县的位置（不精确）"}.get(
        precision, f"近似（{precision}）"
    )
