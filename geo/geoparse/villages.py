"""Villages and communities by pattern: a name + 村 or 社区 right after a township or county named
in full is one village mention, placed at that township (or county).

The gazetteer lists villages of the home province only (about 30,000 names per province: all of
China's would be millions, most of them namesakes). Elsewhere news writes them after their
township: 常熟市支塘镇蒋巷村, 扬中市油坊镇鸣凤村, 香洲区湾仔街道民兴社区. The township in front
says where the village is and no more: the mention keeps the village's name, takes the township's
chain and point, and its precision is ``township`` (``county`` after a county). It is read only if
the township itself was read as a place (resolution puts it on the place just read).

Guards: the name is two to four characters, not a phrase (镇下辖村, 镇各村) nor a kind of village
(镇新农村建设, 镇贫困村, 街道智慧社区: a common word with 村/社区, or a descriptor word); a name the
gazetteer knows at that spot wins (a home-province village), and a short place name inside the
village's name (马安 in 马安村) gives way to it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from geo.gazetteer.curated import ETHNIC_GROUPS
from geo.geoparse.words import common_words, in_org_at, longer_words, word_bounds

if TYPE_CHECKING:
    from geo.geoparse.entries import NameEntry
    from geo.geoparse.matches import RawMatch

VILLAGE_SUFFIXES = ("社区", "村")
_VILLAGE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(社区|村)(?!庄|落|寨|镇|民|级|组|干部|两委|集体)")
_SUFFIX = re.compile("社区|村")
#: A name holding one of these is a phrase or a kind of village, not a village's name (元 only
#: after another character: 万元, 多元村 are sums, 元坝村 is a name).
_NOT_NAME = re.compile(
    "[的和与及在将等把被对向从了是为个各这那其该也都并又还年月日号第亿万村镇乡街区县市省组]|(?<=.)元|"
    "所有|全部|下辖|所辖|辖区|部分|多个|其他|其余|周边|附近|贫困|示范|试点|重点|行政|自然|城中|城郊|"
    "空心|美丽|文明|先进|特色|薄弱|经济|农业|农村|乡村|新农|山区|边远|偏远|智慧|社区|全国|全省|全市|"
    "全县|全区|全镇|各类|相关|一批|首批|新型|传统|中心|开展|推进|建设|打造|发展|实施|成立|召开"
)
#: Names that are a kind of village as well (这个小山村, 美丽的小渔村; 苗族村, 畲族村: an ethnic
#: group's village): after a measure word or 的 the name is the kind (一个小山村), not the village.
KIND_OF_VILLAGE = re.compile("^小[山渔]村$|^(?:" + "|".join(ETHNIC_GROUPS) + ")族村$")
#: Words that start a clause after a place, not a village's name (镇|至|山贝村, 镇|航拍|…).
_LEAD_WORDS = frozenset(
    "至 到 往 经 由 自 从 向 在 于 以 为 及 和 与 同 跟 对 把 将 被 给 让 以来 航拍 回到 来到 前往 走进 "
    "走访 位于 途经 经过 直到 通往 连接 抵达 进入 深入 包括 如 像 有 是".split()
)
_ANCHOR_LEVELS = frozenset(("township", "county"))
_JOINERS = frozenset("、和与及")
#: How far after an anchor the suffix may be (a four-character name).
_REACH = 4


def _full_unit(e: NameEntry) -> bool:
    """A township or county written in full (仙居县, 油坊镇, 湾仔街道), not a short form or word:
    what a village's anchor is (outside an organisation's name, no zone)."""
    if e.wordlike or e.short:
        return False
    return any(c.level in _ANCHOR_LEVELS and c.kind == "full" for c in e.candidates)


def find_villages(text: str, base: int, matches: list[RawMatch]) -> list[RawMatch]:
    """``matches`` with pattern villages added after their anchor (常熟市支塘镇|蒋巷村); short
    names inside a village's name are dropped, a known name ending where the village ends wins.

    Looked for from each 村/社区 of the text back to a name ending two to four characters before
    it (far fewer than the names of a text; most texts gain nothing and are returned as they are)."""
    if not matches:
        return matches
    if "小山村" in text or "小渔村" in text or "族村" in text:
        matches = [m for m in matches if not _kind_of_village(text, base, m)]
    ends = [m.end - base for m in matches]
    found: dict[int, list[RawMatch]] = {}
    last = -1
    full: dict[int, bool] = {}  # _full_unit of each name looked at (by id: the text's names live)
    for hit in _SUFFIX.finditer(text):
        p = hit.start()
        j = bisect_right(ends, p - 2) - 1
        while j > last and ends[j] >= p - _REACH:
            m = matches[j]
            if not m.in_org and m.zone is None:
                e = m.entry
                is_anchor = full.get(id(e))
                if is_anchor is None:
                    is_anchor = full[id(e)] = _full_unit(e)
            else:
                is_anchor = False
            if is_anchor:
                v = _village_after(text, base, m, matches, j)
                if v is not None:
                    group = found[j] = [v]
                    while (v := _next_in_list(text, base, v, matches, j)) is not None:
                        group.append(v)
                    last = j
                break
            j -= 1
    if not found:
        return matches
    out: list[RawMatch] = []
    skip_to = -1
    for i, m in enumerate(matches):
        if m.start < skip_to:
            continue  # inside a village just read
        out.append(m)
        if i in found:
            out.extend(found[i])
            skip_to = found[i][-1].end
    return out


def _kind_of_village(text: str, base: int, m: RawMatch) -> bool:
    """这个|小山村, 美丽的|小渔村: a listed village's name read as the kind of village it also names."""
    s = m.start - base
    if s < 1 or text[s - 1] not in "的个座些种" or not KIND_OF_VILLAGE.match(m.entry.surface):
        return False
    return all(c.level == "village" for c in m.entry.candidates)


def _next_in_list(text: str, base: int, v: RawMatch, matches: list[RawMatch], i: int) -> RawMatch | None:
    """The next village of a list after its anchor (湾仔街道民兴社区、十字门社区 / 蒋巷村和鸣凤村): same
    suffix, joined by 、 和 与 及, at the same anchor."""
    assert v.anchor is not None and v.zone is not None
    pos = v.end - base
    if text[pos : pos + 1] not in _JOINERS:
        return None
    nxt = _village_after(text, base, v.anchor, matches, i, pos + 1)
    if nxt is None or not nxt.zone or nxt.zone[-1] != v.zone[-1]:
        return None
    return nxt


def _village_after(
    text: str, base: int, m: RawMatch, matches: list[RawMatch], i: int, at: int | None = None
) -> RawMatch | None:
    pos = m.end - base if at is None else at
    t = _VILLAGE.match(text, pos)
    if t is None:
        return None
    name, suffix = t.group(1), t.group(2)
    end = base + t.end()
    k, n = i + 1, len(matches)  # (the matches after the anchor, not a copy of them)
    while k < n:
        later = matches[k]
        if later.start >= end:
            break
        if later.end > end or (later.end == end and _known_here(later, m)):
            return None  # a longer name runs on, or the gazetteer knows this village here
        k += 1
    if _NOT_NAME.search(name) or _is_word(name + suffix) or _leads_with_a_verb(text, pos, t.end()):
        return None
    full = name + suffix
    return tuple.__new__(
        type(m),
        (base + pos, end, m.entry, in_org_at(text, t.end()), True, m.after_foreign, False, None, m, full),
    )


def village_at(text: str, pos: int) -> tuple[int, str] | None:
    """A village's or community's name written at ``pos`` (its end and full name), by the pattern
    rule's guards: 瓦屋村 in 、瓦屋村、; not 的到湾村, 新农村, 开展村."""
    t = _VILLAGE.match(text, pos)
    if t is None:
        return None
    name, suffix = t.group(1), t.group(2)
    if _NOT_NAME.search(name) or _is_word(name + suffix) or _leads_with_a_verb(text, pos, t.end()):
        return None
    return t.end(), name + suffix


def _known_here(known: RawMatch, anchor: RawMatch) -> bool:
    """The gazetteer's name ending where the village ends means a place under this anchor, or a
    place that is not a village (a home-province village of another township, 光明社区, gives way)."""
    e = known.entry
    if e.short or e.wordlike:
        return False
    if known.start > anchor.end:
        return True  # 镇至|白沙村: the known village is the name, what comes before it is not
    anchors = [c.pid for c in anchor.entry.candidates]
    for c in e.candidates:
        if c.level != "village":
            return True
        for a in anchors:
            if a in c.ancestors:
                return True
    return False


def _leads_with_a_verb(text: str, start: int, end: int) -> bool:
    """The words after the anchor start with a verb or preposition, not a name (航拍|石羊社区,
    镇|至|山贝村, 回到|罗家村): jieba's first word of the span is one of _LEAD_WORDS."""
    bounds = word_bounds(text[start:end])
    first = min((b for b in bounds if b > 0), default=end - start)
    return text[start : start + first] in _LEAD_WORDS


def _is_word(s: str) -> bool:
    """An ordinary word (新农村, 城中村, 智慧社区), not a name."""
    return s in common_words() or s in longer_words()


def is_name(name: str, suffix: str) -> bool:
    """``name`` + ``suffix`` can be a village's or community's name: no phrase, no kind of village
    (新农村, 智慧社区), not an ordinary word with the suffix."""
    return not _NOT_NAME.search(name) and not _is_word(name + suffix) and name not in _LEAD_WORDS


def is_village(zone_name: str) -> bool:
    """A pattern mention's name is a village's (蒋巷村, 民兴社区), not a zone's."""
    return zone_name.endswith(VILLAGE_SUFFIXES)


#: 村 after a place's name that starts a word, not a village's suffix: 天台村民 (the county's
#: villagers), 萧山村社 (its villages and communities), 淳安村晚 (its village gala), 村村通, 村BA.
_NOT_VILLAGE_AFTER = re.compile(
    "村(?:庄|落|寨|镇|民|级|组|委|干部|两委|集体|社|村[通户都有]|晚|超|BA|播|务|规|貌|容)"
)


def village_name_follows(text: str, pos: int) -> bool:
    """``text[pos]`` makes the name before it a village's (眉山市天台村: 天台村 of 东坡区, not
    天台县 + 村): 村 or 社区 that is no word of its own (天台村民: the county's villagers)."""
    nxt = text[pos : pos + 2]
    if nxt == "社区":
        return True
    return nxt[:1] == "村" and _NOT_VILLAGE_AFTER.match(text, pos) is None
