"""Villages and communities of every province (jionlp's list), read only where the text gives
evidence: the full name with its suffix (村, 社区) AND its own township or county named — right
before it (点头镇大坪村) or elsewhere in the same article (江阴 … 璜土村, 越秀区北京路附近的盐运西社区).

The gazetteer lists the home province's villages only (``settings.home_province``); the others —
about 620,000 names, most of them namesakes (永丰村 is in hundreds of townships) — would triple the
false matches as automaton names. Here they are a compact book instead: per township one string
``|璜土村|…|`` (a substring test per township the article names), per county its townships, per
township full name its ids. Nothing is looked up unless the article names a township or county.

A village read so is the village (place_id ``village:<township id>:<name>``, as for the home
province), with its township's chain and point; its precision is never finer than ``township``
(the point is the township's). A name listed under several townships of the one county named is
a village of that county, at the county's point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.columns import fields_of
from geo.geoparse.added_mentions import coverage, place_mention, village_mention
from geo.geoparse.book_tables import VillageBook
from geo.geoparse.index import PlaceIndex
from geo.geoparse.recognize import Matcher
from geo.geoparse.villages import KIND_OF_VILLAGE, is_name, village_at
from geo.geoparse.words import in_org_at, word_bounds
from geo.schema import Article, Mention

#: 村 not starting a word (村民, 村级, 村干部, 村寨): the lookahead of the pattern villages.
_SUFFIX = re.compile("社区|村(?!庄|落|寨|镇|民|级|组|委|干部|两委|集体)")
#: Name lengths before the suffix: two to five characters (one only right after its township).
_LONGEST = 5
_HAN_RUN = re.compile("[\u4e00-\u9fff]+$")
_TOWN_SUFFIX = re.compile("(?:镇|乡|街道)$")
#: What may stand right before a home village's namesake read from the book (的狮峰村, 在东华村).
_BEFORE_VILLAGE = frozenset("的在和与及到于赴从至是")
_TOWN_END = re.compile("[镇乡道]")  # (a township's last character, right before a village: _read)
_EVIDENCE_LEVELS = frozenset(("township", "county"))
#: An article naming more counties than this gives no county evidence (a list of places).
_MAX_COUNTIES = 4


def _towns_with(book: VillageBook, full: str, towns) -> list[str]:
    needle = "|" + full + "|"
    by_town = book.by_town
    return [t for t in towns if needle in by_town.get(t, "")]


def book_villages(
    articles: list[Article], out: list[Sequence[Mention]], book: tuple, index: PlaceIndex, matcher: Matcher
) -> list[Sequence[Mention]]:
    """Each article's mentions with the book's villages: pattern villages (支塘镇蒋巷村, read at
    their township) become the listed village, and unread "X村/X社区" of a township or county the
    article names are added; a village read once is that village again where the document repeats
    its name (璜土村 … 璜土村). A name the gazetteer holds (a home-province village, a place) is
    left to the resolver unless its township stands right before it and is no home township.
    An article's mentions are replaced by a new list where they change (else left as given: a
    view of the columns is read column-wise, no record made)."""
    book = VillageBook(*book)
    if not book.by_town:
        return out
    known: dict[str, Mention] = {}
    for k, a in enumerate(articles):
        if "村" in a.text or "社区" in a.text:
            out[k] = _article(a, out[k], book, index, known, matcher)
    if known:
        for k, a in enumerate(articles):
            out[k] = _repeat(a, out[k], known)
    return out


def _article(
    a: Article, ms: Sequence[Mention], book: VillageBook, index: PlaceIndex, known: dict, matcher: Matcher
) -> Sequence[Mention]:
    towns: set[str] = set()  # (only those the book lists villages for: not the home province's)
    counties: set[str | None] = set()
    by_town, towns_of, county_of = book.by_town, book.towns_of, index.county_of
    patterns = False
    cities: list[int] = []  # (the mentions of cities the book lists villages for)
    counties_in = _counties_of_cities(book, index)
    for k, (lev, pid) in enumerate(zip(*fields_of(ms, "level", "place_id"))):
        if lev == "city":
            if pid in counties_in:
                cities.append(k)
        elif lev == "township":
            if pid in by_town:
                towns.add(pid)
                counties.add(county_of.get(pid))
        elif lev == "county":
            if pid in towns_of:
                counties.add(pid)
        elif lev == "village" and pid.startswith("village~"):
            patterns = True
            anchor = pid.split("~", 2)[1]
            if anchor in by_town:
                towns.add(anchor)
                counties.add(county_of.get(anchor))
            elif anchor in towns_of:
                counties.add(anchor)
    counties.discard(None)
    pool = _Pool(book, towns, counties)  # type: ignore[arg-type]  # (None discarded)
    out: Sequence[Mention] = ms
    if cities:
        out = _after_cities(a, out, cities, book, index, known)
    if patterns:  # pattern villages: the listed village at their anchor, if the book has it
        out = []
        for m in ms:
            if m.level == "village" and m.place_id.startswith("village~"):
                out.extend(_upgrade(a, m, book, index, known))
            else:
                out.append(m)
    cov = coverage(out, a)
    extra: list[Mention] = []
    text = a.text
    for hit in _SUFFIX.finditer(text):
        if cov[hit.start()] or cov[hit.end() - 1]:
            continue
        found = _read(text, hit.start(), hit.group(), book, pool, matcher)
        if found is None:
            continue
        s, pid, town_span = found
        end = hit.end()
        if any(cov[s:end]):
            continue
        full = text[s:end]
        m = village_mention(a, a.start + s, a.start + end, full, pid, index, 0.9)
        extra.append(m)
        cov[s:end] = b"\x01" * (end - s)
        known.setdefault(full, m)
        if town_span is not None and not any(cov[town_span[0] : town_span[1]]):
            tm = place_mention(a, a.start + town_span[0], a.start + town_span[1], pid.split(":")[1], index)
            extra.append(tm)
            cov[town_span[0] : town_span[1]] = b"\x01" * (town_span[1] - town_span[0])
    if extra:
        out = sorted([*out, *extra], key=lambda m: m.start)
    return out


def _counties_of_cities(book: VillageBook, index: PlaceIndex) -> dict[str, tuple[str, ...]]:
    """City id -> its counties that the book lists villages for (worked out once per book)."""
    key = id(book.towns_of)
    got = _COUNTIES_OF_CITIES.get(key)
    if got is None or got[0] is not book.towns_of:
        by_city: dict[str, list[str]] = {}
        for county in book.towns_of:
            for anc in index.ancestors.get(county, ()):
                if index.level.get(anc) == "city":
                    by_city.setdefault(anc, []).append(county)
        got = _COUNTIES_OF_CITIES[key] = (book.towns_of, {k: tuple(v) for k, v in by_city.items()})
    return got[1]


_COUNTIES_OF_CITIES: dict[int, tuple[dict, dict[str, tuple[str, ...]]]] = {}


def _after_cities(
    a: Article, ms: Sequence[Mention], cities: list[int], book: VillageBook, index: PlaceIndex, known: dict
) -> Sequence[Mention]:
    """A village written right after its city (眉山市天台村: no county, no township between), read
    where one township of the city's counties lists it; a name several list stays unread."""
    out: list[Mention] | None = None  # (a copy only where a village is added: else the view as given)
    for k in reversed(cities):
        m = ms[k]
        found = village_at(a.text, m.end - a.start)
        if found is None:
            continue
        end, full = found
        if k + 1 < len(ms) and ms[k + 1].start < a.start + end:
            continue  # a place read inside it (苏州市|常熟市): that is what follows the city
        towns = [t for c in _counties_of_cities(book, index)[m.place_id] for t in book.towns_of[c]]
        hit = _towns_with(book, full, towns)
        if len(hit) == 1:
            v = village_mention(a, m.end, a.start + end, full, _village_id(hit[0], full), index, 0.9)
            known.setdefault(full, v)
            out = list(ms) if out is None else out
            out.insert(k + 1, v)
    return ms if out is None else out


class _Pool:
    """The villages of the townships an article names and of the townships of its counties (not
    when the article spans more than a few counties: a list of places, and too many namesakes), as
    one string to search (built on the first look-up: most articles never need it)."""

    __slots__ = ("blob", "book", "pool", "towns")

    def __init__(self, book: VillageBook, towns: set[str], counties: set[str]):
        self.book, self.towns = book, towns
        pool = dict.fromkeys(towns)
        if len(counties) <= _MAX_COUNTIES:
            for c in counties:
                pool.update(dict.fromkeys(book.towns_of.get(c, ())))
        self.pool = tuple(pool)
        self.blob: str | None = None

    def __bool__(self) -> bool:
        return bool(self.pool)

    def _blob(self) -> str:
        if self.blob is None:
            by_town = self.book.by_town
            self.blob = "".join([by_town.get(t, "") for t in self.pool])
        return self.blob

    def may_end(self, tail: str) -> bool:
        """Some name of the pool may end with ``tail`` (the character before the suffix and the
        suffix: 巷村 of 蒋巷村); where none does, no name ending there is the pool's."""
        return tail + "|" in self._blob()

    def get(self, full: str) -> list[str]:
        if "|" + full + "|" not in self._blob():
            return []
        hit = _towns_with(self.book, full, self.pool)
        return [t for t in hit if t in self.towns] or hit


def _upgrade(a: Article, m: Mention, book: VillageBook, index: PlaceIndex, known: dict) -> list[Mention]:
    """A pattern village as the listed village at its anchor; a name that holds its township's
    short form in front (江宁|汤山阜庄社区: 汤山 of 汤山街道, 阜庄社区 listed there) is read as
    both. Unlisted, it stays the pattern village."""
    anchor = m.place_id.split("~", 2)[1]
    pool = (anchor,) if index.level.get(anchor) == "township" else book.towns_of.get(anchor, ())
    hit = _towns_with(book, m.name, pool)
    if len(hit) == 1:
        v = village_mention(a, m.start, m.end, m.name, _village_id(hit[0], m.name), index, m.confidence)
        known.setdefault(v.name, v)
        return [v]
    suffix = "社区" if m.name.endswith("社区") else "村"
    for k in range(2, len(m.name) - len(suffix) - 1):
        head, tail = m.name[:k], m.name[k:]
        listed = _towns_with(book, tail, pool) or _towns_with(
            book, _swap(tail), pool
        )  # 阜庄社区, listed 阜庄村
        hit = [t for t in listed if _TOWN_SUFFIX.sub("", index.row[t][0]) == head]
        if len(hit) == 1 and is_name(tail[: -len(suffix)], suffix):
            town = place_mention(a, m.start, m.start + k, hit[0], index)
            v = village_mention(a, m.start + k, m.end, tail, _village_id(hit[0], tail), index, m.confidence)
            known.setdefault(tail, v)
            return [town, v]
    return [m]


def _swap(full: str) -> str:
    """The name under the other suffix: a village turned community keeps its name (阜庄村 → 阜庄社区)."""
    return full[:-2] + "村" if full.endswith("社区") else full[:-1] + "社区"


def _read(
    text: str, at: int, suffix: str, book: VillageBook, pool: _Pool, matcher: Matcher
) -> tuple[int, str, tuple[int, int] | None] | None:
    """The village ending at this suffix: (its start, its place id, the span of its township
    written right before it or None); the longest listed name wins. Read on the article's
    townships and counties only where the name starts a word (成立|强村公司 holds no 立强村) and
    is no gazetteer name."""
    if not pool and not any(c in "镇乡道" for c in text[max(0, at - 6) : at - 1]):
        return None  # no township in front, no township or county in the article
    tail = text[at - 1 : at] + suffix
    if pool and not pool.may_end(tail) and _TOWN_END.search(text, max(1, at - _LONGEST - 1), at - 1) is None:
        return None  # no name of the pool ends here, no township right before: none below
    run = _HAN_RUN.search(text, max(0, at - _LONGEST), at)
    for k in range(len(run.group()) if run else 0, 0, -1):
        s = at - k
        name = text[s:at]
        full = name + suffix
        if s > 1 and text[s - 1] in "镇乡道":
            tspan, before = _town_before(text, s, book)
            town = text[tspan[0] : tspan[1]] if tspan else ""
            if before and not (_in_home(matcher, town) and _in_home(matcher, full)):
                hit = _towns_with(book, full, before)
                if len(hit) == 1 and is_name(name, suffix):
                    return s, _village_id(hit[0], full), tspan
        if k < 2 or not pool or (full in matcher.ids and not _only_villages(matcher, full, text, s)):
            continue
        hit = pool.get(full)
        kind = s > 0 and text[s - 1] in "的个座些种" and KIND_OF_VILLAGE.match(full)  # 这个|小山村
        if len(hit) == 1 and not kind and is_name(name, suffix) and _starts_word(text, s, at + len(suffix)):
            return s, _village_id(hit[0], full), None
    return None


def _only_villages(matcher: Matcher, surface: str, text: str, s: int) -> bool:
    """A gazetteer name that is only the home province's villages (狮峰村 of 江山): left unread by
    the resolver, it may still be a village of a county the article names elsewhere (潮安区,狮峰村),
    where nothing but a break or a function word is written before it (石大桥村 holds no 大桥村)."""
    i = matcher.ids.get(surface)
    if i is None or not all(c.level == "village" for c in matcher.entries[i].candidates):
        return False
    return s == 0 or not "\u4e00" <= text[s - 1] <= "\u9fff" or text[s - 1] in _BEFORE_VILLAGE


def _in_home(matcher: Matcher, surface: str) -> bool:
    """A gazetteer name with a home-province reading: 云龙镇云龙村 where both are the home
    province's is left to the resolver; 新桥街道新二社区 (新二社区 no home name) is not."""
    i = matcher.ids.get(surface)
    return i is not None and any(c.in_home for c in matcher.entries[i].candidates)


def _starts_word(text: str, s: int, end: int) -> bool:
    """jieba starts a word at ``s`` (叫|璜土村, not 成立|强村公司)."""
    lo = max(0, s - 4)
    return s == lo or (s - lo) in word_bounds(text[lo : end + 2])


def _town_before(text: str, s: int, book: VillageBook) -> tuple[tuple[int, int] | None, tuple[str, ...]]:
    """A township's full name ending right before ``s`` (点头镇|大坪村) and its ids."""
    for k in (6, 5, 4, 3, 2):
        if s >= k:
            t = text[s - k : s]
            if _TOWN_SUFFIX.search(t):
                ids = book.town_ids.get(t)
                if ids:
                    return (s - k, s), ids
    return None, ()


def _village_id(town: str, full: str) -> str:
    return f"village:{town}:{full}"


def _repeat(a: Article, ms: Sequence[Mention], known: dict[str, Mention]) -> Sequence[Mention]:
    """A village read in the document, again where its full name comes back (璜土村 … 璜土村)."""
    cov = None
    extra = []
    for name, m in known.items():
        at = a.text.find(name)
        while at >= 0:
            if cov is None:
                cov = coverage(ms, a)
            e = at + len(name)
            if not any(cov[at:e]):
                again = m._replace(article_id=a.article_id, file=a.file, start=a.start + at, end=a.start + e)
                extra.append(again._replace(text=name, in_org=in_org_at(a.text, e)))
                cov[at:e] = b"\x01" * len(name)
            at = a.text.find(name, at + 1)
    if extra:
        return sorted([*ms, *extra], key=lambda m: m.start)
    return ms
