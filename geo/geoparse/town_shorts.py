"""Township short forms outside the home province, on the home province's evidence rule — the
article names the district in full, the document writes the township in full, the short form
stands as a word — and, since these are not hand-checked names, one more: the short form follows
its district's name (江宁|汤山) or is followed by a word of place (淳化地区, 淳化集镇).

The automaton holds the home province's township short forms only (all of China's would add some
35,000 names, most of them words, to every scan); elsewhere the short forms of the townships a
document names in full are looked for after resolution — a handful per document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from geo.columns import ArticleMentions, MentionColumns, fields_of
from geo.geoparse.added_mentions import coverage, place_mention
from geo.geoparse.cues import short_form_stands
from geo.geoparse.index import PlaceIndex
from geo.geoparse.words import in_org_at, jieba_tags
from geo.schema import Article, Mention

_TOWN_SUFFIX = re.compile(r"(?:街道办事处|街道|镇|乡)$")
#: After the short form these make it another name: a unit (淳化镇, 淳化县) or an era year (淳化五年).
#: Words after a township's short form that make it the place (淳化地区, 淳化集镇); otherwise it
#: must follow its district's name (江宁|汤山). 种杨梅, 新建污水管网 are no townships.
_PLACE_WORD = re.compile("地区|集镇|一带|境内|辖区|片区|镇区|全境|周边|附近|[东西南北中]部")
_NOT_AFTER = re.compile(r"[镇乡街村县区市省旗州]|[元一二三四五六七八九十0-9]+年")


def short_townships(
    articles: list[Article], out: list[Sequence[Mention]], index: PlaceIndex, home: str | None
) -> list[Sequence[Mention]]:
    """Each article's mentions with the short forms of the document's townships outside the home
    province, where the article names the township's district in full (a new list where an
    article gains some; a view of the columns is read column-wise)."""
    towns: dict[str, str] = {}  # townships written in full, outside the home province
    named: list[set[str]] = []  # per article: counties written in full
    province_of = index.province_of
    units = _Units()
    for ms in out:
        counties = set()
        for lev, text, name, pid in units.of(ms):
            if lev == "county":
                if text == name:
                    counties.add(pid)
            elif lev == "township" and text == name and province_of.get(pid) != home:
                towns[pid] = name
        named.append(counties)
    shorts = []  # (township id, short form, county id): 汤山街道 → 汤山, worked out once
    for pid, name in towns.items():
        core = _TOWN_SUFFIX.sub("", name)
        if len(core) >= 2 and core != name:
            shorts.append((pid, core, index.county_of.get(pid)))
    if not shorts:
        return out
    by_county: dict[str, list[int]] = {}  # (an article reads its counties' shorts, in order)
    for k, (_pid, _core, county) in enumerate(shorts):
        if county is not None:
            by_county.setdefault(county, []).append(k)
    for i, (a, ms, counties) in enumerate(zip(articles, out, named)):
        if not counties:
            continue
        extra = []
        cov = None
        after = None  # county id -> where its mentions end (江宁|汤山): made on first need
        for k, county in sorted([(k, c) for c in counties for k in by_county.get(c, ())]):
            pid, core, _county = shorts[k]
            at = a.text.find(core)
            while at >= 0:
                e = at + len(core)
                if not _NOT_AFTER.match(a.text, e):
                    if cov is None:
                        cov = coverage(ms, a)
                    if not any(cov[at:e]):
                        after = _county_ends(ms) if after is None else after
                        if (
                            (a.start + at in after.get(county, ()) or _PLACE_WORD.match(a.text, e))
                            and short_form_stands(a.text, at, e)
                            and not in_org_at(a.text, e)
                            and _name_like(core)  # (last: the tag table loads on first use)
                        ):
                            extra.append(place_mention(a, a.start + at, a.start + e, pid, index, 0.85))
                            cov[at:e] = b"\x01" * (e - at)
                at = a.text.find(core, at + 1)
        if extra:
            out[i] = sorted([*ms, *extra], key=lambda m: m.start)
    return out


class _Units:
    """(level, text, name, place_id) of an article's county and township mentions, in text order.
    For a view of the columns the mentions of such places are found once per document (a few
    hundred of ~1,800), not read field by field per article."""

    def __init__(self) -> None:
        self.cols: MentionColumns | None = None
        self.hits: list[int] = []

    def of(self, ms: Sequence[Mention]) -> Iterable[tuple]:
        if not isinstance(ms, ArticleMentions) or not isinstance(ms.idx, range):
            return zip(*fields_of(ms, "level", "text", "name", "place_id"))
        cols = ms.cols
        if cols is not self.cols:
            ps = cols.places  # (a place row: place_id, name, level, …)
            nos = {k for k, p in enumerate(ps) if p[2] in _UNIT_LEVELS}
            self.cols, self.hits = cols, [i for i, k in enumerate(cols.place) if k in nos]
        hits, ps, place, text = self.hits, cols.places, cols.place, cols.text
        at = hits[bisect_left(hits, ms.idx.start) : bisect_left(hits, ms.idx.stop)]
        rows = [ps[place[i]] for i in at]
        return [(p[2], text[i], p[1], p[0]) for i, p in zip(at, rows)]


_UNIT_LEVELS = frozenset(("county", "township"))


def _county_ends(ms: Sequence[Mention]) -> dict[str, set[int]]:
    """Per county id, where the article's mentions of it end."""
    after: dict[str, set[int]] = {}
    for lev, pid, end in zip(*fields_of(ms, "level", "place_id", "end")):
        if lev == "county":
            after.setdefault(pid, set()).add(end)
    return after


def _name_like(core: str) -> bool:
    """Not an ordinary word: jieba does not know it, or tags it a place or a name (淳化 nz, 汤山);
    建设, 中心, 第二, 公园 (建设街道, 中心镇 …) are words first."""
    tag = jieba_tags().get(core)
    return tag is None or tag.startswith(("ns", "nz", "nr"))
