"""Township short forms read from the place written right beside them, after resolution.

- A 街道 written "X街" right after its own county or city: 白云区同德街 (同德街道), 广州龙洞街南社社区
  (龙洞街道 of 天河区, 广州市). News drops the 道; the unit in front says which 街道 it is. A street
  (同德街5号, 步行街, 老街) is no 街道: the name must be a 街道 of that very county or city, and a
  house number or a street word after it (号 路 巷 口 …) makes it a street.
- A township's short form right before one of its own villages: 乌镇白马墩村 (乌镇 of 乌镇镇, whose
  village 白马墩村 is). The village after it says which township it is, as a county in front does.
- The other villages of a list whose first item was read: 根子镇的到湾村、瓦屋村、南邦村 (到湾村
  listed under 根子镇, 瓦屋村 listed nowhere): items of one enumeration are villages of the same
  township, placed there as a pattern village is (precision no finer than the township).

Each adds mentions only where no mention is yet; nothing else changes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from geo.columns import ArticleMentions, MentionColumns
from geo.geoparse.added_mentions import place_mention, village_mention
from geo.geoparse.index import PlaceIndex
from geo.geoparse.villages import village_at
from geo.schema import Article, Mention

_TOWN_SUFFIX = re.compile("(?:街道|镇|乡)$")
#: After "X街" these make it a street or a street's part, not the 街道 (同德街5号, 龙洞街口).
_STREET_NEXT = re.compile(r"[0-9０-９一二三四五六七八九十百号路巷弄段口坊头边上市景区]")
_LONGEST = 6  # the longest "X街" looked for (a five-character 街道 name less 道)
_PARENT_LEVELS = frozenset(("county", "city"))
_CORES: dict[str, str] = {}  # township name -> its short form (乌镇镇 → 乌镇), worked out once

#: Per index (by the identity of its ``row`` dict): (parent id, "X街") -> 街道 id, None if the
#: parent has two such 街道. Built on first need: most documents have no "X街" after a county.
_STREETS: dict[int, tuple[dict, dict[tuple[str, str], str | None]]] = {}


def street_table(index: PlaceIndex) -> dict[tuple[str, str], str | None]:
    hit = _STREETS.get(id(index.row))
    if hit is not None and hit[0] is index.row:
        return hit[1]
    table: dict[tuple[str, str], str | None] = {}
    for pid, row in index.row.items():
        name = row[0]
        if row[1] != "township" or not name.endswith("街道") or len(name) < 4:
            continue
        short = name[:-1]  # 同德街道 → 同德街
        for parent in index.ancestors.get(pid, ())[1:]:  # the city and the county (not the province)
            key = (parent, short)
            table[key] = None if key in table and table[key] != pid else pid
    _STREETS.clear()
    _STREETS[id(index.row)] = (index.row, table)
    return table


def streets_after_parent(articles: list[Article], cols: MentionColumns, index: PlaceIndex) -> MentionColumns:
    """The columns with each "X街" written right after its own county or city added as that 街道."""
    if not any(_has_street(a.text) for a in articles):
        return cols
    return _splice(articles, cols, index, _PARENT_LEVELS, _after_parent, _has_street)


def towns_before_village(articles: list[Article], cols: MentionColumns, index: PlaceIndex) -> MentionColumns:
    """The columns with each township short form written right before one of its villages added,
    and the unread villages of a list one of whose villages was read."""
    return _splice(articles, cols, index, frozenset(("village",)), _beside_villages, None)


def _splice(articles, cols: MentionColumns, index: PlaceIndex, levels, rule, wanted) -> MentionColumns:
    """Run ``rule(article, mentions, indices of its mentions at these levels, index)`` on each
    article (that ``wanted`` accepts) with such mentions; the articles it adds to are spliced in.
    Only the rows of ``cols`` are read: most articles need no record."""
    places = cols.places  # (a place row: place_id, name, level, …)
    nos = {k for k, p in enumerate(places) if p[2] in levels}
    if not nos:
        return cols
    hits = [i for i, k in enumerate(cols.place) if k in nos]  # one pass over the document
    if not hits:
        return cols
    bounds = cols.bounds
    changed: dict[int, Sequence[Mention]] = {}
    h = 0
    while h < len(hits):
        k = bisect_right(bounds, hits[h]) - 1  # the article of this mention
        lo, hi = bounds[k], bounds[k + 1]
        j = bisect_left(hits, hi, h)
        at, h = hits[h:j], j  # this article's hits
        a = articles[k]
        if wanted is not None and not wanted(a.text):
            continue
        ms = ArticleMentions(cols, range(lo, hi))
        extra = rule(a, ms, at, index)
        if extra:
            changed[k] = sorted([*ms, *extra], key=lambda m: m.start)
    return cols.spliced(changed) if changed else cols


def street_after(text: str, e: int) -> str | None:
    """The "X街" written at ``e`` (同德街 in 白云区同德街在…), if it can be a 街道's short form."""
    stop = text.find("街", e, e + _LONGEST)
    if stop < 0 or text[stop + 1 : stop + 2] == "道" or _STREET_NEXT.match(text, stop + 1):
        return None
    return text[e : stop + 1]


def _has_street(text: str) -> bool:
    at = text.find("街")
    while at >= 0:
        if text[at + 1 : at + 2] != "道":
            return True
        at = text.find("街", at + 1)
    return False


def _after_parent(a: Article, ms: ArticleMentions, at: list[int], index: PlaceIndex) -> list[Mention]:
    """ "X街" right after its county or city (白云区|同德街): the 街道 of that unit named so."""
    table = None
    text, base = a.text, a.start
    cols = ms.cols
    extra: list[Mention] = []
    for i in at:
        if cols.in_org[i]:
            continue
        e = cols.end[i] - base
        short = street_after(text, e)
        if short is None:
            continue
        table = street_table(index) if table is None else table
        town = table.get((cols.places[cols.place[i]][0], short))
        if town and not _covered(ms, extra, base + e, base + e + len(short)):
            extra.append(place_mention(a, base + e, base + e + len(short), town, index, 0.85))
    return extra


def _beside_villages(a: Article, ms: ArticleMentions, at: list[int], index: PlaceIndex) -> list[Mention]:
    """The township short form before a village, and the rest of a list a village heads."""
    extra = _before_village(a, ms, at, index)
    if "、" in a.text or "和" in a.text:
        extra += _list_villages(a, ms, at, index, extra)
    return extra


def _before_village(a: Article, ms: ArticleMentions, at: list[int], index: PlaceIndex) -> list[Mention]:
    """A township's short form right before one of its villages (乌镇|白马墩村)."""
    out: list[Mention] = []
    text, base = a.text, a.start
    cols = ms.cols
    for i in at:
        pid, _name, _lev, _p, _c, _county, town = cols.places[cols.place[i]][:7]
        if not town:
            continue
        start = cols.start[i]
        core = _CORES.get(town)
        if core is None:
            core = _CORES[town] = _TOWN_SUFFIX.sub("", town)
        s = start - base - len(core)
        if len(core) < 2 or core == town or s < 0 or text[s : start - base] != core:
            continue
        tid = _township_of(pid, index)
        if tid is None or index.row.get(tid, ("",))[0] != town:
            continue
        if not _covered(ms, out, base + s, start):
            out.append(place_mention(a, base + s, start, tid, index, 0.85))
    return out


_JOINERS = "、和与及"
#: A count before the suffix makes the item a phrase (萧东两村: two villages), not a name.
_COUNTED = re.compile("[两几多数各诸](?:村|社区)$")


def _list_villages(
    a: Article, ms: ArticleMentions, at: list[int], index: PlaceIndex, taken: list[Mention]
) -> list[Mention]:
    """The villages after a read village in one enumeration (到湾村、瓦屋村、南邦村): same township,
    same suffix, joined by 、 和 与 及, where no mention is yet."""
    text, base = a.text, a.start
    cols = ms.cols
    out: list[Mention] = []
    for i in at:
        pos = cols.end[i] - base
        if text[pos : pos + 1] not in _JOINERS or not pos < len(text):
            continue
        pid, name = cols.places[cols.place[i]][:2]
        if cols.text[i][-1] != name[-1]:
            continue  # (东庄、萧东两村: a short form heads no list of full names)
        anchor = None
        while text[pos : pos + 1] in _JOINERS and pos < len(text):
            hit = village_at(text, pos + 1)
            if hit is None or hit[1][-1] != name[-1] or _COUNTED.search(hit[1]):
                break
            e, full = hit
            if _covered(ms, [*taken, *out], base + pos + 1, base + e):
                break
            anchor = _township_of(pid, index) if anchor is None else anchor
            if anchor is None:
                break
            pid_v = f"village~{anchor}~{full}"  # a pattern village at its township
            out.append(village_mention(a, base + pos + 1, base + e, full, pid_v, index, 0.8, town=anchor))
            pos = e
    return out


def _township_of(pid: str, index: PlaceIndex) -> str | None:
    """A village's township id: its gazetteer parent, or the township of a book village
    (``village:<township id>:<name>``)."""
    if pid.startswith("village:"):
        return pid.split(":", 2)[1]
    if pid.startswith("village~"):  # a pattern village: its anchor, if a township
        anchor = pid.split("~", 2)[1]
        return anchor if index.level.get(anchor) == "township" else None
    for anc in reversed(index.ancestors.get(pid, ())):
        if index.level.get(anc) == "township":
            return anc
    return None


def _covered(ms: ArticleMentions, extra: list[Mention], s: int, e: int) -> bool:
    """A mention of the article (in text order, not overlapping) or one just added overlaps [s, e)."""
    cols, idx = ms.cols, ms.idx
    lo, hi = (idx.start, idx.stop) if isinstance(idx, range) else (idx[0], idx[-1] + 1) if idx else (0, 0)
    j = bisect_left(cols.start, e, lo, hi) - 1  # the last mention starting before e
    return (j >= lo and cols.end[j] > s) or any(m.start < e and s < m.end for m in extra)
