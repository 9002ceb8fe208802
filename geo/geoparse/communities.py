"""Communities named without their street: a name + 社区 in an article about one county.

News lists a street's communities after the first sentence names the street or the district
(…街道辖内的萧岗南社区、明珠社区…); each is a place, but no township stands right in front of it
(:mod:`geo.geoparse.villages` needs one). 社区 is a strong suffix — almost every "X社区" is a
community's name — so where the article's places (outside the home province, whose communities
the gazetteer lists) lie in one county, an unknown "X社区" is read as a community there: at the
article's one township if it names one, else at the county, with that precision.

The name is read back from 社区 over the words jieba finds (a name unknown to the dictionary
comes out in single characters): 下辖|萧岗南|社区 → 萧岗南社区; it stops at an ordinary word of the
sentence (下辖, 推进), and a kind of community is no name (智慧社区, 和谐社区, 该社区).
"""

from __future__ import annotations

import re

from geo.columns import ArticleMentions
from geo.geoparse.index import PlaceIndex
from geo.geoparse.villages import is_name
from geo.geoparse.words import jieba_tags, word_bounds
from geo.schema import Article, Mention

_SUFFIX = "社区"
_SUFFIX_RE = re.compile(_SUFFIX)
_MAX_NAME = 5
_PLACE_LEVELS = frozenset(("county", "township"))
#: jieba tags of the words of a sentence, not of a name: verbs, prepositions, conjunctions,
#: particles, adverbs, pronouns, numerals, measure words (新增, 下辖, 所有).
_SENTENCE_TAGS = frozenset("vpcudrmq")


def bare_communities(
    a: Article, mentions: ArticleMentions, index: PlaceIndex, home: str | None
) -> list[Mention]:
    """Communities written without their street in an article whose places lie in one county
    outside the home province (none when the county is in doubt)."""
    if _SUFFIX not in a.text:
        return []
    county = None
    rows = mentions.place_rows()  # (place_id, name, level, …, county_id): geo.columns.PLACE_FIELDS
    for p in rows:
        if p[11] and p[2] in _PLACE_LEVELS:
            if county is None:
                county = p[11]
            elif p[11] != county:
                return []  # two counties: where would the community be?
    if county is None:
        return []
    if index.province_of.get(county) == home:
        return []
    towns = {p[0] for p in rows if p[2] == "township" and p[11] == county}
    anchor = next(iter(towns)) if len(towns) == 1 else county
    taken = list(zip(mentions.starts, mentions.ends))
    out = []
    for hit in _SUFFIX_RE.finditer(a.text):
        end = hit.end()
        start = _name_start(a.text, hit.start())
        if start is None:
            continue
        s, e = a.start + start, a.start + end
        if any(x < e and s < y for x, y in taken):
            continue
        out.append(_mention(a, s, e, anchor, index))
        taken.append((s, e))
    return out


def _name_start(text: str, suffix_at: int) -> int | None:
    """Where the community's name before 社区 starts: the run of jieba words before it, up to a
    word of the sentence (jieba tags it a verb, preposition …: 新增|民兴, 下辖|萧岗南, 与|十字门),
    two to five characters; None when no name is there."""
    lo = max(0, suffix_at - 8)
    bounds = sorted(b for b in word_bounds(text[lo:suffix_at]) if b < suffix_at - lo)
    start = suffix_at
    tags = jieba_tags()
    for b in reversed(bounds):
        piece = text[lo + b : start]
        if not all("\u4e00" <= ch <= "\u9fff" for ch in piece) or suffix_at - (lo + b) > _MAX_NAME:
            break
        if not is_name(piece, "") or (len(piece) >= 2 and tags.get(piece, "x")[0] in _SENTENCE_TAGS):
            break  # (a single character is part of the name: jieba cuts unknown names into them)
        start = lo + b
    name = text[start:suffix_at]
    if len(name) < 2 or not is_name(name, _SUFFIX):
        return None
    return start


def _mention(a: Article, start: int, end: int, anchor: str, index: PlaceIndex) -> Mention:
    """The community as a village mention at its anchor (precision no finer than the anchor's)."""
    name, lev, prov, city, county, town, _code, lon, lat, prec = index.row[anchor]
    text = a.text[start - a.start : end - a.start]
    if lev == "township":
        town, prec = name, "township" if prec == "exact" else prec
    else:
        prec = "county"
    county_id = index.county_of.get(anchor)
    place = (f"village~{anchor}~{text}", text, "village", prov, city, county, town, None, lon, lat, prec)
    return Mention(a.article_id, a.file, start, end, text, *place, 0.6, False, False, county_id, None)
