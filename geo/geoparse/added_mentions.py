"""Mentions made by the rules that read places after resolution (a book village, a township
written right before its village, a township's short form), and the coverage of an article's
text by its mentions (where such a rule may still add one)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from geo.columns import fields_of
from geo.geoparse.index import PlaceIndex
from geo.geoparse.words import in_org_at
from geo.schema import Article, Mention

_PRECISION_RANK = {"exact": 0, "township": 1, "county": 2}


def coverage(ms: Sequence[Mention], a: Article) -> bytearray:
    """One byte per character of the article: 1 where a mention already is."""
    n, base = len(a.text) + 1, a.start
    starts, ends = fields_of(ms, "start", "end")
    if len(starts) < _FEW:
        cov = bytearray(n)
        for s, e in zip(starts, ends):
            cov[s - base : e - base] = b"\x01" * (e - s)
        return cov
    # +1 where a mention starts, -1 where one ends: covered where the running sum is above 0
    # (an article names ~100 places: one array pass instead of a slice each)
    edges = np.bincount(np.asarray(starts) - base, minlength=n) - np.bincount(
        np.asarray(ends) - base, minlength=n
    )
    return bytearray((np.cumsum(edges[:n]) > 0).view(np.uint8).tobytes())


_FEW = 24  # (mentions below which a slice each is quicker than the arrays)


def village_mention(
    a: Article,
    start: int,
    end: int,
    full: str,
    pid: str,
    index: PlaceIndex,
    conf: float,
    town: str | None = None,
) -> Mention:
    """A village known only by its township (a book village, or one read from a list: 到湾村、瓦屋村)
    as a mention: its township's chain, point and (at most) township precision."""
    if town is None:
        town = pid.split(":")[1] if pid.startswith("village:") else pid
    tname, _lev, prov, city, county, _t, _code, lon, lat, prec = index.row[town]
    if prec is None or _PRECISION_RANK.get(prec, 2) < 1:
        prec = "township"
    text = a.text[start - a.start : end - a.start]
    return Mention(
        a.article_id, a.file, start, end, text, pid, full, "village", prov, city, county, tname, None,
        lon, lat, prec, conf, in_org_at(a.text, end - a.start), False, index.county_of.get(town), None,
    )  # fmt: skip


def place_mention(
    a: Article, start: int, end: int, pid: str, index: PlaceIndex, confidence: float = 0.9
) -> Mention:
    """A gazetteer place read by a rule after resolution, as its mention: the township written
    right before its village (点头镇 in 点头镇大坪村), a township's short form (汤山 of 汤山街道)."""
    text = a.text[start - a.start : end - a.start]
    own = (a.article_id, a.file, start, end, text, pid)
    tail = (confidence, in_org_at(a.text, end - a.start), False, index.county_of.get(pid), None)
    return tuple.__new__(Mention, own + index.row[pid] + tail)
