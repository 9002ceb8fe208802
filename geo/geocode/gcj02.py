"""GCJ-02 ("Mars coordinates") <-> WGS-84: 高德 answers in GCJ-02, a published, deterministic
obfuscation of WGS-84 (a shift of a few hundred metres inside China, none outside).
"""

from __future__ import annotations

import math

# GCJ-02 ("Mars coordinates") <-> WGS-84. AMap answers in GCJ-02, a published, deterministic
# obfuscation of WGS-84 (shift of a few hundred metres, zero outside China).
_KRASOVSKY_A = 6378245.0  # semi-major axis the shift is computed on (m)
_KRASOVSKY_E2 = 0.00669342162296594323  # its first eccentricity squared


def _outside_china(lon: float, lat: float) -> bool:
    """GCJ-02 leaves points outside this rough box untouched."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _wave(x: float, t: float, k1: float, k2: float) -> float:
    """Sine terms of the shift polynomials: a term in x for both axes, then terms in t (the
    axis' own variable: y for the northing, x for the easting) with amplitudes k1, k2."""
    pi = math.pi
    return (
        (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * math.sin(t * pi) + 40.0 * math.sin(t / 3.0 * pi)) * 2.0 / 3.0
        + (k1 * math.sin(t / 12.0 * pi) + k2 * math.sin(t / 30.0 * pi)) * 2.0 / 3.0
    )


def _shift_deg(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 offset (dlon, dlat) in degrees at a WGS-84 point."""
    x, y = lon - 105.0, lat - 35.0
    north = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * math.sqrt(abs(x))
        + _wave(x, y, 160.0, 320.0)
    )
    east = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + _wave(x, x, 150.0, 300.0)
    )
    phi = math.radians(lat)
    w = 1.0 - _KRASOVSKY_E2 * math.sin(phi) ** 2
    meridian_radius = _KRASOVSKY_A * (1.0 - _KRASOVSKY_E2) / (w * math.sqrt(w))
    parallel_radius = _KRASOVSKY_A / math.sqrt(w) * math.cos(phi)
    return math.degrees(east / parallel_radius), math.degrees(north / meridian_radius)


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (closed form)."""
    if _outside_china(lon, lat):
        return lon, lat
    dlon, dlat = _shift_deg(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float, tol_deg: float = 1e-10, max_iter: int = 30) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by fixed-point iteration (the shift is smooth; converges in a few steps)."""
    if _outside_china(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _ in range(max_iter):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        err_lon, err_lat = g_lon - lon, g_lat - lat
        w_lon, w_lat = w_lon - err_lon, w_lat - err_lat
        if abs(err_lon) < tol_deg and abs(err_lat) < tol_deg:
            break
    return w_lon, w_lat
