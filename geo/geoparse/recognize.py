"""Stage 3a: recognition — find every gazetteer name in a text, with exact offsets.

One Aho-Corasick automaton holds every name and alias of the gazetteer; a scan yields the
leftmost-longest, non-overlapping matches, so nested names come out as separate mentions
(嘉兴市|南湖区|湘家荡区域) while a zone named after its county (永康经济开发区) stays one match.

Each surface string is classified once, when the matcher is built, so that the per-match work in
the hot loop is a dictionary lookup:

- ``full``: an official name with its suffix (萧山区, 河上镇) or a curated zone/landmark name.
- ``short``: a county/city/province name without its suffix (萧山, 杭州) — needs evidence.
- ``wordlike``: a short form or a very short full name that is also an ordinary Chinese word
  (江山, 合作, 城区, 郊区 …, from jionlp's word dictionary) — needs *strong* evidence.
- ``historical``: a former name (江干区, 临安市) resolved to today's unit.

Whether a match is accepted, and which place it means, is decided in :mod:`geo.geoparse.resolve`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace

import daachorse
import pandas as pd

from geo.geoparse.words import common_words, ends_with_foreign, in_org, longer_words
from geo.geoparse.zones import find_zones, zone_anchor

_ORG_LOOKAHEAD = 18
#: Right after a division name these make it a government body or an explicit division.
_ADMIN_AFTER = re.compile(
    r"(?:区委|县委|市委|省委|镇委|乡委|党工委|区政府|县政府|市政府|省政府|镇政府|乡政府|人民政府|人大|政协|"
    r"派出所|街道办|境内|全境|"
    r"经济开发区|开发区|高新区|新区|籍|[:：])"
)
_ADMIN_AFTER_LEN = 5
#: 绍兴市民 / 杭州市场: the 市 belongs to the next word.
_MARKET_CITIZEN = {"民", "场", "值"}
#: A line break (with blank lines) between two Chinese characters: a PDF-extraction artefact.
_LINE_JOINT = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]*(?:\r?\n[ \t\u3000]*)+(?=[\u4e00-\u9fff])")
#: Names made only of generic place words (高新区, 新城, 城区) are words, not places, by default.
_GENERIC = re.compile(
    r"^(?:高新|开发|经济|技术|工业|产业|科技|新|老|城|郊|矿|市|中|东|西|南|北)+(?:区|园|城|园区)?$"
)
#: Lists sharing one suffix: 白杨、河庄、义蓬、新湾等街道 / 下沙、白杨 2 个街道.
_SHARED_SUFFIX = re.compile(
    r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3}?)(?:等|\s*[0-9两三四五六七八九十]+\s*个)?(?:多个)?(?:行政)?(街道|镇|乡|村)"
)


@dataclass(frozen=True)
class NameEntry:
    """What a surface string can mean, classified once at build time."""

    surface: str
    candidates: tuple[str, ...]  # place_ids
    kinds: tuple[str, ...]  # per candidate: full | short | historical
    wordlike: bool  # an ordinary word too: needs strong evidence
    until: tuple[int | None, ...] = ()  # per candidate: last year a historical name was current
    zone_anchor: bool = False  # may name the place a pattern zone lies in (德清 in 德清…小镇)
    full_townships: tuple[str, ...] = ()  # candidates that are townships named in full here
    starts_word: bool = False  # a short form or word that begins a longer dictionary word (江山如画)


@dataclass(frozen=True)
class RawMatch:
    """A name found in the text; offsets are relative to the scanned string plus base."""

    start: int
    end: int
    entry: NameEntry
    in_org: bool
    admin_after: bool  # followed by 区委/人民政府/: … (a division in its own right)
    after_foreign: bool = False  # right after a foreign country's name (美国德州)
    word_continues: bool = False  # a longer ordinary word/idiom starts here (江山如画)
    alt: RawMatch | None = None  # an overlapping reading starting inside this one (创新余杭)
    anchor: RawMatch | None = None  # a pattern zone: the place name it is anchored at (德清)
    zone: str | None = None  # a pattern zone: its full name as written (德清地理信息小镇)


@dataclass
class Matcher:
    automaton: daachorse.CharwiseDoubleArrayAhoCorasick  # leftmost-longest, pattern id = entry index
    entries: list[NameEntry] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # surface -> entry index

    def scan(self, text: str, base: int = 0) -> list[RawMatch]:
        """Leftmost-longest matches of every gazetteer name in ``text``.

        Line breaks between two Chinese characters (PDF extraction: 钦堂\n\n乡) are skipped, so
        a name broken across lines is still found; its span then covers the break.
        """
        if _LINE_JOINT.search(text) is None:
            return self._scan(text, base)
        compact, where = _join_lines(text)
        out = []
        for m in self._scan(compact, 0):
            out.append(_remap(m, where, base))
        return out

    def _scan(self, text: str, base: int = 0) -> list[RawMatch]:
        out = []
        entries = self.entries
        for start, end, idx in self.automaton.find(text):
            e = entries[idx]
            if e.surface[-1] == "市" and text[end : end + 1] in _MARKET_CITIZEN:
                shorter = self.ids.get(e.surface[:-1])  # 绍兴市民 → 绍兴 + 市民
                if shorter is not None:
                    e, end = entries[shorter], end - 1
            m = self._match(text, start, end, e, base)
            if e.wordlike or "short" in e.kinds:
                alt = self._alternative(text, start, end, base)
                if alt is not None:
                    m = replace(m, alt=alt)
            out.append(m)
        if "、" in text:
            out = self._shared_suffix(text, base, out)
        return find_zones(text, base, out)

    def _match(self, text: str, start: int, end: int, e: NameEntry, base: int) -> RawMatch:
        tail = text[end : end + _ORG_LOOKAHEAD]
        head = text[max(0, start - 6) : start]
        foreign = ends_with_foreign(head)
        longer = longer_words()
        cont = e.starts_word and any(text[start : start + k] in longer for k in (3, 4) if k > end - start)
        return RawMatch(
            base + start,
            base + end,
            e,
            in_org(tail),
            _ADMIN_AFTER.match(tail[:_ADMIN_AFTER_LEN]) is not None,
            foreign,
            word_continues=cont,
        )

    def _alternative(self, text: str, start: int, end: int, base: int) -> RawMatch | None:
        """The longest name starting inside [start, end) and running past it, if any."""
        get = self.ids.get
        for s in range(start + 1, end):
            for e_ in range(min(len(text), s + 8), end, -1):
                idx = get(text[s:e_])
                if idx is not None:
                    return self._match(text, s, e_, self.entries[idx], base)
        return None

    def _shared_suffix(self, text: str, base: int, found: list[RawMatch]) -> list[RawMatch]:
        """Add the elements of 'A、B、C街道' lists as mentions of A街道, B街道 …"""
        extra = []
        for lm in _SHARED_SUFFIX.finditer(text):
            suffix = lm.group(2)
            pos = lm.start(1)
            for part in lm.group(1).split("、"):
                for k in (3, 2):  # the regex may have taken a char too many
                    name = part[-k:]
                    idx = self.ids.get(name + suffix) if len(name) == k else None
                    if idx is not None and not text.startswith(name + suffix, pos + len(part) - k):
                        s0 = pos + len(part) - k
                        extra.append(self._match(text, s0, s0 + k, self.entries[idx], base))
                        break
                pos += len(part) + 1
        if not extra:
            return found
        spans = [(m.start, m.end) for m in extra]
        kept = [m for m in found if not any(a < m.end and m.start < b for a, b in spans)]
        return sorted(kept + extra, key=lambda m: m.start)


class _Where:
    """Original index of each character of the joined text: ``where[i]``. Kept as the start of
    each joined piece and its shift (not one int per character: magazine text has many breaks)."""

    __slots__ = ("shifts", "starts")

    def __init__(self, starts: list[int], shifts: list[int]):
        self.starts, self.shifts = starts, shifts

    def __getitem__(self, i: int) -> int:
        return i + self.shifts[bisect_right(self.starts, i) - 1]


def _join_lines(text: str) -> tuple[str, _Where]:
    """Text without the line breaks between Chinese characters, and each char's original index."""
    parts, starts, shifts, pos, joined = [], [], [], 0, 0
    for jm in _LINE_JOINT.finditer(text):
        parts.append(text[pos : jm.start()])
        starts.append(joined)
        shifts.append(pos - joined)
        joined += jm.start() - pos
        pos = jm.end()
    parts.append(text[pos:])
    starts.append(joined)
    shifts.append(pos - joined)
    return "".join(parts), _Where(starts, shifts)


def _remap(m: RawMatch, where: _Where, base: int) -> RawMatch:
    alt = _remap(m.alt, where, base) if m.alt is not None else None
    anchor = _remap(m.anchor, where, base) if m.anchor is not None else None
    return replace(m, start=base + where[m.start], end=base + where[m.end - 1] + 1, alt=alt, anchor=anchor)


def _kind(types: set[str]) -> str:
    if "full" in types or "alias" in types:
        return "full"
    return "historical" if "historical" in types else "short"


def _wordlike(surface: str, kinds: set[str], levels: set[str], words: frozenset[str]) -> bool:
    """A name that is also an ordinary word: in the word dictionary, made only of generic place
    words (高新区, 新城), or a very short official name (城区, 新村). A province's name is never a
    word (重庆, 青海 are in the dictionary, but only as the places)."""
    if _GENERIC.match(surface):
        return True
    if levels == {"province"}:
        return False
    if ("short" in kinds or len(surface) <= 2) and surface in words:
        return True
    return len(surface) <= 2 and bool(levels & {"county", "township", "village"}) and "short" not in kinds


_TOWNSHIP_SUFFIX = re.compile(r"(?:街道办事处|街道|镇|乡)$")


def township_short_forms(places: pd.DataFrame, province_id: str | None) -> list[tuple[str, str]]:
    """(short form, place_id) for the home province's townships: 航头镇 → 航头, 仁和街道 → 仁和.

    News drops the suffix after a county (建德航头, 余杭仁和); resolution accepts these only with
    such a parent in front, a body after (昌硕派出所) or the full name in the same article.
    """
    if not province_id:
        return []
    t = places[(places["level"] == "township") & (places["province_id"] == province_id)]
    out = []
    for name, pid in zip(t["name"], t["place_id"]):
        core = _TOWNSHIP_SUFFIX.sub("", name)
        if len(core) >= 2 and core != name:
            out.append((core, pid))
    return out


def build_matcher(places: pd.DataFrame, names: pd.DataFrame, home_province_id: str | None = None) -> Matcher:
    """One automaton over every name and alias, each mapped to its candidate place ids."""
    words = common_words()
    word_starts = {w[:k] for w in longer_words() for k in (2, 3) if k < len(w)}
    level_of = dict(zip(places["place_id"], places["level"]))
    grouped: dict[str, dict[str, set[str]]] = {}
    until: dict[tuple[str, str], int] = {}
    years = names["until"] if "until" in names else [None] * len(names)
    for name, pid, ntype, year in zip(names["name"], names["place_id"], names["name_type"], years):
        if not isinstance(name, str) or len(name) < 2 or pid not in level_of:
            continue
        grouped.setdefault(name, {}).setdefault(pid, set()).add(ntype)
        if ntype == "historical" and isinstance(year, (int, float)) and year == year:
            until[(name, pid)] = int(year)
    for name, pid in township_short_forms(places, home_province_id):
        grouped.setdefault(name, {}).setdefault(pid, set()).add("short")
    entries: list[NameEntry] = []
    for surface, per_place in grouped.items():
        cands = tuple(per_place)
        kinds = tuple(_kind(per_place[c]) for c in cands)
        levels = {level_of[c] for c in cands}
        years = tuple(until.get((surface, c)) for c in cands)
        wordlike = _wordlike(surface, set(kinds), levels, words)
        starts_word = (wordlike or "short" in kinds) and surface in word_starts
        entries.append(
            NameEntry(
                surface,
                cands,
                kinds,
                wordlike,
                years if any(y is not None for y in years) else (),
                zone_anchor(surface, levels, wordlike),
                tuple(c for c, k in zip(cands, kinds) if k == "full" and level_of[c] == "township")
                if not wordlike
                else (),
                starts_word,
            )
        )
    surfaces = [e.surface for e in entries]
    automaton = daachorse.CharwiseDoubleArrayAhoCorasick(
        surfaces, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST
    )
    return Matcher(automaton, entries, {s: i for i, s in enumerate(surfaces)})
