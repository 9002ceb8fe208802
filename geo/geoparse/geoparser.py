"""Recognise and resolve the places of a document's articles: one :class:`Geoparser` per gazetteer.

The articles of a document are scanned first; the places each article names confidently form
its context, and the whole document's context breaks ties in every article (a 钱塘 in an article
about 杭州 is 钱塘区). Output: one list of :class:`~geo.schema.Mention` records per article, file
offsets, in text order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.geoparse.communities import bare_communities
from geo.geoparse.context import Context, Resolved, confident_context
from geo.geoparse.countries import foreign_tables
from geo.geoparse.entries import build_entries
from geo.geoparse.index import PlaceIndex, build_index
from geo.geoparse.recognize import Matcher, build_matcher
from geo.geoparse.resolve import resolve_matches
from geo.geoparse.town_shorts import short_townships
from geo.geoparse.village_book import book_villages, build_book, jionlp_villages
from geo.geoparse.villages import is_village
from geo.geoparse.words import in_org_at, longer_words
from geo.schema import Article, Mention


@dataclass
class Geoparser:
    """Everything recognition and resolution need, built once per gazetteer and home province."""

    matcher: Matcher
    index: PlaceIndex
    home_province: str | None  # the home province's place_id ("33" for 浙江省)


_GEOPARSERS: dict[tuple[int, str], tuple[Gazetteer, Geoparser]] = {}


def geoparser(gaz: Gazetteer, home_province: str, cache: bool = True) -> Geoparser:
    """The matcher and index for a gazetteer, built once per (gazetteer, home province name);
    ``cache=False`` keeps no reference (a long-lived worker that replaces its gazetteer)."""
    key = (id(gaz), home_province)
    hit = _GEOPARSERS.get(key) if cache else None
    if hit is None or hit[0] is not gaz:
        gp = build_geoparser(gaz, home_province)
        if not cache:
            return gp
        hit = _GEOPARSERS[key] = (gaz, gp)
    return hit[1]


def build_geoparser(gaz: Gazetteer, home_province: str) -> Geoparser:
    """The candidate tables, the automaton and the place index of a gazetteer, with the countries
    and cities abroad (:mod:`geo.geoparse.countries`) beside China's places."""
    home = province_id(gaz, home_province)
    abroad, abroad_names, _stats = foreign_tables(frozenset(gaz.names["name"].dropna()))
    places = pd.concat([gaz.places, abroad], ignore_index=True)
    names = pd.concat([gaz.names, abroad_names], ignore_index=True)
    index = build_index(places)
    index = replace(index, villages=build_book(jionlp_villages(), gaz.places, home))
    entries = build_entries(places, names, index, home)
    return Geoparser(build_matcher(entries, longer_words()), index, home)


#: A pattern zone's precision from its anchor's level: never finer than what the anchor tells.
_ZONE_PRECISION = {"township": "township", "zone": "township", "landmark": "township", "county": "county"}
_PRECISION_RANK = {"exact": 0, "township": 1, "county": 2}


def zone_mention(a: Article, r: Resolved, index: PlaceIndex) -> Mention:
    """A pattern zone (德清地理信息小镇) as a zone mention at its anchor (德清县): the anchor's chain
    and point, precision no finer than the anchor's level allows; a pattern village (支塘镇蒋巷村)
    likewise, as a village mention at its township. A zone anchored at a city or
    province alone (合肥高新区) has no county and no point: we do not know where in the city it is."""
    m = r.match
    name, lev, prov, city, county, town, _code, lon, lat, prec = index.row[r.place_id]
    kind = "village" if r.zone and is_village(r.zone) else "zone"  # 支塘镇蒋巷村: a pattern village
    cap = _ZONE_PRECISION.get(lev)
    if cap is None:  # city or province anchor
        county = town = lon = lat = prec = None
        county_id = None
    else:
        if prec is not None and _PRECISION_RANK.get(prec, 2) < _PRECISION_RANK[cap]:
            prec = cap
        if lev == "township":
            town = name
        county_id = index.county_of.get(r.place_id)
    return Mention(
        a.article_id,
        a.file,
        m.start,
        m.end,
        a.text[m.start - a.start : m.end - a.start],
        f"{kind}~{r.place_id}~{r.zone}",
        r.zone or "",
        kind,
        prov,
        city,
        county,
        town,
        None,
        lon,
        lat,
        prec,
        r.confidence,
        m.in_org,
        False,
        county_id,
        None,
    )


def province_id(gaz: Gazetteer, name: str) -> str | None:
    """The place_id of a province by its full name (浙江省 → "33"); None if there is none."""
    return gaz.province_id(name)


def geoparse_articles(articles: list[Article], gp: Geoparser) -> list[list[Mention]]:
    """The mentions of each article of one document (file offsets), in text order."""
    index = gp.index
    scan = gp.matcher.scan
    per_article = [scan(a.text, a.start) for a in articles]
    art_ctxs = [confident_context(matches, index) for matches in per_article]
    doc_ctx = Context()
    for c in art_ctxs:
        for pid, n in c.places.items():
            doc_ctx.add(pid, index, n)
        doc_ctx.named_townships |= c.named_townships
    out: list[list[Mention]] = []
    row, county_of = index.row, index.county_of
    new = tuple.__new__
    for a, matches, art_ctx in zip(articles, per_article, art_ctxs):
        resolved = resolve_matches(matches, a.text, a.start, index, doc_ctx, art_ctx)
        mentions = []
        aid, file, text, off = a.article_id, a.file, a.text, a.start
        for r in resolved:
            if r.zone is not None:
                mentions.append(zone_mention(a, r, index))
                continue
            m = r.match
            pid = r.place_id
            mentions.append(
                new(
                    Mention,
                    (aid, file, m.start, m.end, text[m.start - off : m.end - off], pid, *row[pid])
                    + (r.confidence, m.in_org, r.historical, county_of.get(pid), r.runner_up),
                )
            )
        if "社区" in text:  # 萧岗南社区 in an article about one county: a community there
            extra = bare_communities(a, mentions, index, gp.home_province)
            if extra:
                mentions = sorted(mentions + extra, key=lambda m: m.start)
        out.append(mentions)
    out = book_villages(
        articles, out, index.villages, index, gp.matcher
    )  # 江阴 … 璜土村: listed villages beyond home
    return _repeated_villages(articles, short_townships(articles, out, index, gp.home_province))


def _repeated_villages(articles: list[Article], out: list[list[Mention]]) -> list[list[Mention]]:
    """A village read by pattern once (扬中市油坊镇鸣凤村) is that village wherever the document
    writes its full name again without its township (鸣凤村位于油坊镇…): same place, same point."""
    known: dict[str, Mention] = {}
    for ms in out:
        for m in ms:
            if m.level == "village" and m.place_id.startswith("village~"):
                known.setdefault(m.name, m)
    if not known:
        return out
    names = re.compile("|".join(re.escape(n) for n in sorted(known, key=len, reverse=True)))
    for a, ms in zip(articles, out):
        taken = [(m.start, m.end) for m in ms]
        extra = []
        for hit in names.finditer(a.text):
            start, end = a.start + hit.start(), a.start + hit.end()
            if any(s < end and start < e for s, e in taken):
                continue
            again = known[hit.group()]._replace(article_id=a.article_id, file=a.file, start=start, end=end)
            extra.append(again._replace(text=hit.group(), in_org=in_org_at(a.text, hit.end())))
        if extra:
            ms.extend(extra)
            ms.sort(key=lambda m: m.start)
    return out
