"""A filter state of the app and its SQL conditions (shared by the store's queries).

Filters mean what they mean in memory (:func:`geo.appkit.filter_frames`): ``levels`` restricts
mentions (None: every level), ``files`` restricts every table (empty: all), ``periods`` restricts
metrics (empty: all), ``dates`` restricts articles (and their mentions and metrics) by date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scope:
    """A filter state (hashable: the app caches per scope)."""

    levels: tuple[str, ...] | None = None
    files: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    dates: tuple[str, str] | None = None  # (first day, last day), ISO; None: any date
    undated: bool = True  # with a date range: keep articles whose date is unknown


#: An article's date as a day range: "2021" covers 2021-01-01..2021-12-31, "2021-04" the month.
_DATE_FROM = "CASE length(a.date) WHEN 4 THEN a.date || '-01-01' WHEN 7 THEN a.date || '-01' ELSE a.date END"
_DATE_TO = "CASE length(a.date) WHEN 4 THEN a.date || '-12-31' WHEN 7 THEN a.date || '-31' ELSE a.date END"


def date_where(scope: Scope, params: list[Any], alias: str) -> str:
    """``alias.article_id`` is an article whose date range meets the scope's (or is unknown)."""
    if scope.dates is None:
        return "TRUE"
    params.extend([scope.dates[1], scope.dates[0]])
    unknown = " OR a.date IS NULL" if scope.undated else ""
    return (
        f"{alias}.article_id IN (SELECT a.article_id FROM articles a "
        f"WHERE ({_DATE_FROM} <= ? AND {_DATE_TO} >= ?){unknown})"
    )


def in_list(column: str, values: tuple[str, ...] | None, params: list[Any]) -> str:
    if values is None:
        return "TRUE"
    if not values:
        return "FALSE"
    params.extend(values)
    return f"{column} IN ({', '.join('?' * len(values))})"


def mention_where(scope: Scope, params: list[Any], alias: str = "m") -> str:
    levels = in_list(f"{alias}.level", scope.levels, params)
    files = in_list(f"{alias}.file", scope.files, params) if scope.files else "TRUE"
    return f"{levels} AND {files} AND {date_where(scope, params, alias)}"
