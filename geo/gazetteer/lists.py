"""The two sourced name lists laid over the names table at build time: literary names of provinces
and cities (literary_names.csv: 八闽 → 福建省) and the historical-cultural towns and villages
(heritage_towns.csv: 周庄古镇, 西递古村). Kept out of build.py so that each list stays one file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.gazetteer.heritage import heritage_overlay, place_rows, read_heritage
from geo.gazetteer.literary import literary_rows, read_literary

LITERARY_FILE, HERITAGE_FILE = "literary_names.csv", "heritage_towns.csv"


def apply_name_lists(
    places: pd.DataFrame, names: pd.DataFrame, curated_dir: Path, warnings: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``places`` and ``names`` with both lists applied; what could not be placed goes to the
    build's warnings (meta.json), one line per list."""
    path = curated_dir / LITERARY_FILE
    if path.is_file():
        names, clashes = literary_rows(names, read_literary(path, f"gazetteer/{LITERARY_FILE}", places))
        if clashes:
            warnings.append(
                f"{LITERARY_FILE}: read with evidence only (another place's name): {'; '.join(clashes)}"
            )
    path = curated_dir / HERITAGE_FILE
    if path.is_file():
        rows = read_heritage(path, f"gazetteer/{HERITAGE_FILE}")
        placed, report = place_rows(rows, places, names)
        places, names = heritage_overlay(placed, places, names)
        warnings.append(
            f"{HERITAGE_FILE}: {len(placed)} of {len(rows)} rows placed"
            + (f"; not placed: {'; '.join(report)}" if report else "")
        )
    return places, names
