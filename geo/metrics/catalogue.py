"""The indicator catalogue: which figures the metrics stage looks for, read from a CSV a user can
extend without code (``geo/metrics/indicators.csv``).

One row per indicator:

- ``key`` — the ``metric`` value in metrics.jsonl (``industrial_output``);
- ``kind`` — which units its values take: money (元 … 万亿元 → 亿元), population (人, 万人 → 人),
  area (平方米 … 平方公里, 公顷, 亩 → 平方公里), density (人/平方公里, 万人/平方公里), firms (家),
  count (个, 项, 宗), percent (%);
- ``unit`` — the normalised unit of that kind (亿元, 人, 平方公里, 人/平方公里, 家, 个, %);
- ``order`` — ``label value`` (``楼宇税收 5.36 亿元``), ``value label`` (``8 家企业签约落户``), or
  ``built in`` for the few indicators matched by patterns in :mod:`geo.metrics.lexicon` (project
  counts, R&D intensity), listed so that the catalogue names every key;
- ``place`` — ``any``, or ``named``: only figures whose place is named in their sentence or the
  one before count (a company's 营业收入 in an article about a place is not the place's);
- ``labels`` — the Chinese labels and synonyms, ``|``-separated; the longest label wins, so
  ``规上工业增加值`` is not ``工业增加值``. A label starting with ``*`` takes the name of a sector
  in front of it, kept in the figure's label: ``*服务业收入`` matches ``软件和信息技术服务业收入``;
- ``notes`` — what the figure means, free text.

Adding a row (say ``digital_economy_value_added,money,亿元,label value,数字经济核心产业增加值,``)
is all it takes for the next extraction to report that figure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from geo.errors import IndicatorError

CATALOGUE_CSV = Path(__file__).with_name("indicators.csv")
#: The normalised unit of each kind (the units a kind accepts are in geo.metrics.lexicon.UNITS).
KIND_UNITS = {
    "money": "亿元",
    "population": "人",
    "area": "平方公里",
    "density": "人/平方公里",
    "firms": "家",
    "count": "个",
    "percent": "%",
}
ORDERS = ("label value", "value label", "built in")
PLACES = ("any", "named")


@dataclass(frozen=True)
class Indicator:
    key: str
    kind: str  # one of KIND_UNITS
    unit: str  # the kind's normalised unit
    order: str  # one of ORDERS
    labels: tuple[str, ...]
    notes: str = ""
    place: str = "any"  # one of PLACES


def load_catalogue(path: Path | str | None = None) -> tuple[Indicator, ...]:
    """The indicators of a catalogue CSV (default: :data:`CATALOGUE_CSV`); IndicatorError names
    the line of a malformed row."""
    path = CATALOGUE_CSV if path is None else path
    out: list[Indicator] = []
    seen: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            key = (row.get("key") or "").strip()
            kind = (row.get("kind") or "").strip()
            unit = (row.get("unit") or "").strip()
            order = (row.get("order") or "").strip()
            place = (row.get("place") or "any").strip()
            labels = tuple(x.strip() for x in (row.get("labels") or "").split("|") if x.strip())
            where = f"{path}:{n}"
            if not key or not key.replace("_", "").isalnum() or not key.isascii():
                raise IndicatorError(f"{where}: key {key!r} must be ASCII letters, digits and _")
            if kind not in KIND_UNITS:
                raise IndicatorError(f"{where}: kind {kind!r} is not one of {', '.join(KIND_UNITS)}")
            if unit != KIND_UNITS[kind]:
                raise IndicatorError(f"{where}: unit of a {kind} figure is {KIND_UNITS[kind]}, not {unit!r}")
            if order not in ORDERS:
                raise IndicatorError(f"{where}: order {order!r} is not one of {', '.join(ORDERS)}")
            if place not in PLACES:
                raise IndicatorError(f"{where}: place {place!r} is not one of {', '.join(PLACES)}")
            if not labels:
                raise IndicatorError(f"{where}: no labels")
            for lab in labels:
                if lab in seen and seen[lab] != key:
                    raise IndicatorError(f"{where}: label {lab} is also {seen[lab]}'s")
                seen[lab] = key
            notes = (row.get("notes") or "").strip()
            out.append(Indicator(key, kind, unit, order, labels, notes, place))
    return tuple(out)
