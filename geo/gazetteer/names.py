"""The names table: every way the corpus may write a place, mapped to place ids.

name_type tells recognition how much to trust a hit: 'full' (canonical name), 'short' (rule-derived
short form of a province/city/county, e.g. 萧山 — ambiguous with ordinary words, use with care),
'alias' (curated), 'historical' (a former name, mapped to today's unit with a note).
"""

from __future__ import annotations

import pandas as pd

from geo.gazetteer.curated import short_form

NAME_COLUMNS = ["name", "place_id", "name_type", "note"]
SHORT_LEVELS = ("province", "city", "county")


def build_names(places: pd.DataFrame, aliases: list[tuple[str, str, str]], historical: list) -> pd.DataFrame:
    """Full names of all places, short forms of province/city/county, curated aliases, history."""
    rows: list[tuple[str, str, str, str | None]] = [
        (n, p, "full", None) for n, p in zip(places.name, places.place_id)
    ]
    admin = places[places.level.isin(SHORT_LEVELS)]
    for name, pid in zip(admin.name, admin.place_id):
        short = short_form(name)
        if short and short != name:
            rows.append((short, pid, "short", f"short form of {name}"))
    rows += [(a, pid, "alias", f"curated alias ({ref})") for a, pid, ref in aliases]
    rows += [(h.name, h.place_id, "historical", f"{h.note} [{h.source}; {h.source_ref}]") for h in historical]
    names = pd.DataFrame(rows, columns=NAME_COLUMNS)
    return names.drop_duplicates(["name", "place_id", "name_type"]).reset_index(drop=True)
