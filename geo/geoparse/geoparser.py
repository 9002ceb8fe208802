"""Recognise and resolve the places of a document's articles: one :class:`Geoparser` per gazetteer.

The articles of a document are scanned first; the places each article names confidently form
its context, and the whole document's context breaks ties in every article (a 钱塘 in an article
about 杭州 is 钱塘区). Output: one list of :class:`~geo.schema.Mention` records per article, file
offsets, in text order — as columns (:class:`~geo.columns.MentionColumns`, what extraction hands on)
or as records (:func:`geoparse_articles`, for callers that want them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from geo.columns import ArticleMentions, MentionColumns
from geo.gazetteer import Gazetteer
from geo.geoparse.anchors import is_landmark
from geo.geoparse.bare_names import bare_names
from geo.geoparse.beside import streets_after_parent, towns_before_village
from geo.geoparse.book_tables import build_book, jionlp_villages
from geo.geoparse.communities import bare_communities
from geo.geoparse.context import Context, Resolved, confident_context
from geo.geoparse.countries import foreign_tables
from geo.geoparse.county_units import article_counties
from geo.geoparse.division_waters import waters_over_divisions
from geo.geoparse.entries import build_entries
from geo.geoparse.famous_sights import as_sights
from geo.geoparse.index import PlaceIndex, build_index
from geo.geoparse.natural import bare_landmarks
from geo.geoparse.recognize import Matcher, build_matcher
from geo.geoparse.resolve import resolve_matches
from geo.geoparse.short_lists import listed_short_names
from geo.geoparse.town_repeats import repeated_townships
from geo.geoparse.town_shorts import short_townships
from geo.geoparse.village_book import book_villages
from geo.geoparse.villages import is_village
from geo.geoparse.words import in_org_at, longer_words
from geo.geoparse.zone_former import former_disputed
from geo.geoparse.zone_prefix import with_prefixes
from geo.schema import Article, Mention


@dataclass
class Geoparser:
    """Everything recognition and resolution need, built once per gazetteer and home province."""

    matcher: Matcher
    index: PlaceIndex
    home_province: str | None  # the home province's place_id ("33" for 浙江省)
    #: place_id → its row of the mention columns (:data:`~geo.columns.PLACE_FIELDS` after the id),
    #: made once per process and shared by every document that names the place.
    place_rows: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)


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
    # 支塘镇蒋巷村: a pattern village; 龙虎山景区: a pattern landmark
    kind, own = "zone", r.zone
    if r.zone and is_village(r.zone):
        kind = "village"
        if r.zone.endswith("古村") and len(r.zone) > 3:
            own = r.zone[:-2] + "村"  # 钓源古村: the old village 钓源村, named as the village is
    elif r.zone and is_landmark(r.zone):
        kind = "landmark"
    cap = _ZONE_PRECISION.get(lev)
    if cap is None or former_disputed(m):
        # a city or province anchor; or a former district whose successor the name disputes
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
        f"{kind}~{r.place_id}~{own}",
        own or "",
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


def _mention(a: Article, r: Resolved, index: PlaceIndex) -> Mention:
    """A resolved name as its mention record."""
    m, pid = r.match, r.place_id
    own = (a.article_id, a.file, m.start, m.end, a.text[m.start - a.start : m.end - a.start], pid)
    tail = (r.confidence, m.in_org, r.historical, index.county_of.get(pid), r.runner_up)
    return tuple.__new__(Mention, own + index.row[pid] + tail)


def province_id(gaz: Gazetteer, name: str) -> str | None:
    """The place_id of a province by its full name (浙江省 → "33"); None if there is none."""
    return gaz.province_id(name)


def geoparse_articles(articles: list[Article], gp: Geoparser) -> list[list[Mention]]:
    """The mentions of each article of one document (file offsets), in text order, as records."""
    cols = geoparse_document(articles, gp)
    return [cols.records(cols.bounds[k], cols.bounds[k + 1]) for k in range(len(articles))]


def geoparse_document(articles: list[Article], gp: Geoparser) -> MentionColumns:
    """The mentions of one document's articles (file offsets), article by article in text order,
    as columns (:mod:`geo.columns`): no record per mention."""
    index = gp.index
    scan = gp.matcher.scan
    per_article = [scan(a.text, a.start) for a in articles]
    art_ctxs = [confident_context(matches, index) for matches in per_article]
    doc_ctx = Context()
    for c in art_ctxs:
        doc_ctx.merge(c)
    cols = MentionColumns()
    row, county_of = index.row, index.county_of
    place_no, places = cols.place_no, cols.places
    rows = gp.place_rows
    for a, matches, art_ctx in zip(articles, per_article, art_ctxs):
        resolved = resolve_matches(matches, a.text, a.start, index, doc_ctx, art_ctx)
        resolved = as_sights(resolved, matches, a.text, a.start, index)  # 登上黄山: the mountain
        resolved = with_prefixes(resolved, a.text, a.start)  # 连云港|东海高新区: one zone
        lo = len(cols.start)
        text, off = a.text, a.start
        if not resolved:
            pass
        elif (t := tuple(zip(*resolved)))[5].count(None) == len(resolved):  # the common case: no zone
            rm, pids, confs, runners, hists, _zones = t
            starts, ends, _e, orgs, *_rest = zip(*rm)
            for pid in dict.fromkeys(pids):  # the places new to the document, first seen first
                if pid not in place_no:
                    place_no[pid] = len(places)
                    p = rows.get(pid)
                    places.append(_place_row(pid, row, county_of, rows) if p is None else p)
            cols.start.extend(starts)
            cols.end.extend(ends)
            cols.text.extend([text[s - off : e - off] for s, e in zip(starts, ends)])
            cols.place.extend(map(place_no.__getitem__, pids))
            cols.confidence.extend(confs)
            cols.in_org.extend(orgs)
            cols.historical.extend(hists)
            cols.runner_up.extend(runners)
        else:
            for r in resolved:
                if r.zone is not None:
                    cols.append_record(zone_mention(a, r, index))
                else:
                    cols.append_record(_mention(a, r, index))
        cols.end_article(a.article_id, a.file)
        here = ArticleMentions(cols, range(lo, len(cols.start)))
        # 萧岗南社区 in an article about one county: a community there; 大乘山: a landmark there
        extra = bare_communities(a, here, index, gp.home_province) if "社区" in text else []
        extra += bare_landmarks(a, here, index, extra)
        if extra:  # (a feature over a customary name, 三衢|山, replaces it)
            ms = sorted([m for m in here if not _covered(m, extra)] + extra, key=lambda m: m.start)
            cols.truncate(lo)
            for m in ms:
                cols.append_record(m)
            cols.bounds[-1] = len(cols.start)
    cols = streets_after_parent(articles, cols, index)  # 白云区同德街: before the book reads its villages
    cols = _beyond_home(articles, cols, index, gp)
    cols = towns_before_village(articles, cols, index)  # 乌镇白马墩村: after the book's villages
    cols = _short_names(articles, cols, index)  # 桐庐 … 深澳、荻浦等村; 建德 … 梅城 … 梅城
    cols = bare_names(articles, _repeated_villages(articles, cols), gp.matcher)  # 岭口村 … 岭口
    return waters_over_divisions(articles, cols)  # 牡丹江流域: the river, not 牡丹江市


def _covered(m: Mention, extra: list[Mention]) -> bool:
    return any(x.start <= m.start and m.end <= x.end for x in extra)


#: Place rows kept per process at most (a bound on memory, not a cache size that matters:
#: a 1 GB corpus names some 100,000 places).
_MAX_PLACE_ROWS = 300_000


def _place_row(pid: str, row: dict, county_of: dict, rows: dict[str, tuple]) -> tuple:
    """The mention columns' row of a place (place_id, the index's row, county_id), kept in
    ``rows``: a document names ~800 places, most of them named by other documents too."""
    if len(rows) >= _MAX_PLACE_ROWS:
        rows.clear()
    p = rows[pid] = (pid, *row[pid], county_of.get(pid))
    return p


def _beyond_home(
    articles: list[Article], cols: MentionColumns, index: PlaceIndex, gp: Geoparser
) -> MentionColumns:
    """The book's villages (江阴 … 璜土村) and the township short forms (江宁|汤山) outside the home
    province: they run only on a document that can have them — a 村/社区 in its text with a book
    loaded, or a township outside the home province written in full — read the columns, and
    only the articles they add to are read as records again."""
    villages = bool(index.villages and index.villages[0]) and any(
        "村" in a.text or "社区" in a.text for a in articles
    )
    home = gp.home_province
    province_of = index.province_of
    # (a place row: place_id, name, level, …)
    towns = any(p[2] == "township" and province_of.get(p[0]) != home for p in cols.places)
    if not (villages or towns):
        return cols
    views = cols.per_article()
    out: list[Sequence[Mention]] = list(views)
    if villages:
        out = book_villages(articles, out, index.villages, index, gp.matcher)
    if towns:
        out = short_townships(articles, out, index, home)
    return cols.spliced({k: ms for k, (ms, v) in enumerate(zip(out, views)) if ms is not v})


def _short_names(articles: list[Article], cols: MentionColumns, index: PlaceIndex) -> MentionColumns:
    """Townships and villages by their short names where the article's county is the evidence:
    listed (深澳、荻浦、徐畈、环溪四个古村) or a township written so again and again (梅城 … 梅城)."""
    views = cols.per_article()
    units, near = zip(*map(article_counties, views)) if views else ((), ())
    if not any(near):
        return cols
    out: list[Sequence[Mention]] = list(views)
    out = listed_short_names(articles, out, index, list(near))
    out = repeated_townships(articles, out, index, list(units))
    changed = {k: ms for k, (ms, v) in enumerate(zip(out, views)) if ms is not v}
    return cols.spliced(changed) if changed else cols


def _repeated_villages(articles: list[Article], cols: MentionColumns) -> MentionColumns:
    """A village read by pattern once (扬中市油坊镇鸣凤村) is that village wherever the document
    writes its full name again without its township (鸣凤村位于油坊镇…): same place, same point."""
    villages = {
        k for k, p in enumerate(cols.places) if p[2] == "village" and p[0].startswith("village~")
    }  # (a place row: place_id, name, level, …)
    if not villages:
        return cols
    known: dict[str, Mention] = {}
    for i, k in enumerate(cols.place):
        if k in villages and (name := cols.places[k][1]) not in known:  # (a record for the first only)
            known[name] = cols.record(i)
    if not known:  # (rows no mention names: a pattern village the book read as its listed one)
        return cols
    names = re.compile("|".join(re.escape(n) for n in sorted(known, key=len, reverse=True)))
    changed: dict[int, Sequence[Mention]] = {}
    for k, (a, ms) in enumerate(zip(articles, cols.per_article())):
        taken = list(zip(ms.starts, ms.ends))
        extra = []
        for hit in names.finditer(a.text):
            start, end = a.start + hit.start(), a.start + hit.end()
            if any(s < end and start < e for s, e in taken):
                continue
            again = known[hit.group()]._replace(article_id=a.article_id, file=a.file, start=start, end=end)
            extra.append(again._replace(text=hit.group(), in_org=in_org_at(a.text, hit.end())))
        if extra:
            changed[k] = sorted(list(ms) + extra, key=lambda m: m.start)
    return cols.spliced(changed) if changed else cols
