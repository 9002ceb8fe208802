"""Stage 3a: recognition — find every gazetteer name in a text, with exact offsets.

One Aho-Corasick automaton (daachorse's character-wise double array) holds every name and alias
of the gazetteer; a scan yields the leftmost-longest, non-overlapping matches, so nested names
come out as separate mentions (嘉兴市|南湖区|湘家荡区域) while a zone named after its county
(永康经济开发区) stays one match.

Each surface string is classified once, when the tables are built (:mod:`geo.geoparse.entries`),
so that the per-match work in the hot loop is a few tuple reads and two anchored regex matches.
Whether a match is accepted, and which place it means, is decided in :mod:`geo.geoparse.resolve`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from operator import itemgetter

import daachorse

from geo.geoparse.counted_villages import counted_villages
from geo.geoparse.entries import EntryTable, NameEntry, surface_index
from geo.geoparse.matches import RawMatch
from geo.geoparse.villages import find_villages
from geo.geoparse.words import ORG_REACH, ends_with_foreign, foreign_last_chars, in_org_at, org_suffix_starts
from geo.geoparse.zones import find_zones, landmark_parts

#: 桐乡市区 reads 桐乡 + 市区 (the city's urban area), but 青岛市区划, 龙港市区域, 杭州市区块链
#: keep the city: 区划, 区域, 区位, 区块, 区间 are words of their own.
_NOT_URBAN = frozenset("划域位块间")
#: Right after a division name these make it a government body or an explicit division.
_ADMIN_AFTER = re.compile(
    r"(?:区委|县委|市委|省委|镇委|乡委|党工委|区政府|县政府|市政府|省政府|镇政府|乡政府|人民政府|人大|政协|"
    r"派出所|街道办|境内|全境|市区(?![" + "".join(sorted(_NOT_URBAN)) + "])|"
    r"经济开发区|开发区|高新区|新区|籍|[:：])"
)
_ADMIN_AFTER_LEN = 5
#: The characters _ADMIN_AFTER can start with (a set lookup spares the regex for most names).
_ADMIN_FIRST = frozenset("区县市省镇乡党人政派街境全经开高新籍:：")
#: 绍兴市民 / 杭州市场: the 市 belongs to the next word.
_MARKET_CITIZEN = frozenset(("民", "场", "值"))
#: A line break (with blank lines) between two Chinese characters: a PDF-extraction artefact.
_LINE_JOINT = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]*(?:\r?\n[ \t\u3000]*)+(?=[\u4e00-\u9fff])")
#: Lists sharing one suffix: 白杨、河庄、义蓬、新湾等街道 / 下沙、白杨 2 个街道.
_SHARED_SUFFIX = re.compile(
    r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3}?)(?:等|\s*[0-9两三四五六七八九十]+\s*个)?(?:多个)?(?:行政)?(街道|镇|乡|村)"
)

_new = tuple.__new__
_start = itemgetter(0)  # (a RawMatch's start)


def _short_of(short: NameEntry, former: NameEntry) -> bool:
    """``short`` is a township's short form (义桥) and ``former`` a generated former name of that
    very township (义桥乡): read in full, the former name is the reading."""
    pids = {c.pid for c in former.candidates}
    return any(c.kind == "short" and c.level == "township" and c.pid in pids for c in short.candidates)


#: After 乡, these make a word (乡村, 乡镇, 乡下, 乡亲 …), not a township's name ending in 乡.
_XIANG_WORD = frozenset("村镇下亲土愁音里贤情风间野民绅邻俗味宴恋思梓关")


class Matcher:
    """The automaton, the entries (pattern id → :class:`NameEntry`) and surface → id."""

    def __init__(self, automaton: daachorse.CharwiseDoubleArrayAhoCorasick, entries: EntryTable,
                 longer: frozenset[str], lookup: tuple | None = None,
                 landmarks: frozenset[int] | None = None):  # fmt: skip
        """``lookup``: :func:`surface_index` of the entries, and ``landmarks``: :attr:`landmarks`,
        if already known (the cache, whose entries are made on first use)."""
        self.automaton = automaton
        self.entries = entries
        self.ids: dict[str, int]
        self.former: dict[str, int]  # generated former names (城厢镇)
        #: The first two characters of every name: where no name starts with the two characters
        #: at an offset, none of its lengths is looked up (None if a name has one character).
        self.heads: frozenset[str] | None
        self.ids, self.former, self.heads = lookup if lookup is not None else surface_index(entries)
        self.longer = longer  # 3–4 character words and idioms (江山如画)
        self.former_tails = frozenset(s[-2:] for s in self.former)  # 厢镇: where one may end
        self._landmarks = landmarks

    @property
    def landmarks(self) -> frozenset[int]:
        """The pattern ids of the names that are landmarks only (长江, 太湖): where a text names none,
        :func:`~geo.geoparse.zones.landmark_parts` has nothing to drop. Worked out on first use (a
        pass over the entries), not when the matcher is loaded."""
        if self._landmarks is None:
            self._landmarks = frozenset(
                i
                for i, e in enumerate(self.entries)
                if e.candidates and all(c.level == "landmark" for c in e.candidates)
            )
        return self._landmarks

    def scan(self, text: str, base: int = 0) -> list[RawMatch]:
        """Leftmost-longest matches of every gazetteer name in ``text``.

        Line breaks between two Chinese characters (PDF extraction: 钦堂\n\n乡) are skipped, so
        a name broken across lines is still found; its span then covers the break.
        """
        if "\n" not in text or _LINE_JOINT.search(text) is None:
            return self._scan(text, base)
        compact, where = _join_lines(text)
        return _remap_all(self._scan(compact, 0), where, base)

    def _scan(self, text: str, base: int = 0) -> list[RawMatch]:
        out = []
        entries, longer, admin_re = self.entries, self.longer, _ADMIN_AFTER.match
        near = _near_orgs(text)  # (a name with no suffix near after it is in no organisation)
        foreign, landmarks, landmark = foreign_last_chars(), self.landmarks, False
        for start, end, idx in self.automaton.find(text):
            e = entries[idx]
            nxt = text[end : end + 1]
            if e.shorter is not None and (
                nxt in _MARKET_CITIZEN or (nxt == "区" and text[end + 1 : end + 2] not in _NOT_URBAN)
            ):
                idx = e.shorter
                e, end = entries[idx], end - 1  # 绍兴市民 → 绍兴 + 市民, 桐乡市区 → 桐乡 + 市区
                nxt = text[end]
            if idx in landmarks:
                landmark = True
            # self._match, inlined: this runs for every name in the corpus
            m = _new(
                RawMatch,
                (
                    base + start,
                    base + end,
                    e,
                    near[end] == 1 and in_org_at(text, end),
                    nxt in _ADMIN_FIRST and admin_re(text, end, end + _ADMIN_AFTER_LEN) is not None,
                    start > 0 and text[start - 1] in foreign and ends_with_foreign(text, start),
                    e.starts_word
                    and (
                        (end - start < 3 and text[start : start + 3] in longer)
                        or (end - start < 4 and text[start : start + 4] in longer)
                    ),
                    None,
                    None,
                    None,
                ),
            )
            if e.alt:
                alt = self._alternative(text, start, e, base)
                if alt is not None:
                    m = _new(RawMatch, (*m[:7], alt, None, None))
            out.append(m)
        if "、" in text:
            listed = self._shared_suffix(text, base, out)
            landmark = landmark or listed is not out  # (names from a list: looked at as any other)
            out = listed
        if landmark:
            out = landmark_parts(text, base, out)
        out = find_villages(text, base, find_zones(text, base, out))
        if "个" in text and "村" in text:
            out = counted_villages(text, base, out)  # 牧野镇的前河头、后河头2个行政村
        return self._former_names(text, base, out) if self.former and ("镇" in text or "乡" in text) else out

    def _former_names(self, text: str, base: int, found: list[RawMatch]) -> list[RawMatch]:
        """Former towns (城厢镇, now 城厢街道; 义桥乡, now 义桥镇) where no other name covers the text:
        generated names, kept out of the automaton so that they never cut a current name short
        (和平桥镇紫霄村); a 乡 that starts a word (富春江乡村旅游) is no former township."""
        hits = []
        former, tails = self.former, self.former_tails
        for suffix in ("镇", "乡"):
            at = text.find(suffix)
            while at >= 0:
                if text[at - 1 : at + 1] not in tails or (
                    suffix == "乡" and text[at + 1 : at + 2] in _XIANG_WORD
                ):  # (no former name ends here: one look-up, not one per length)
                    at = text.find(suffix, at + 1)
                    continue
                for k in (3, 2):
                    idx = former.get(text[at - k : at + 1]) if at >= k else None
                    if idx is not None:
                        hits.append((at - k, at + 1, idx))
                        break
                at = text.find(suffix, at + 1)
        hits.sort()
        if not hits:
            return found
        extra = []
        for s0, end, idx in hits:  # (found is in text order: bisected by start, no list of spans)
            j = bisect_right(found, base + end - 1, key=_start)
            if j == 0 or found[j - 1].end - base <= s0:  # no match covers [s0, end)
                extra.append(self._match(text, s0, end, self.entries[idx], base))
            elif (
                found[j - 1].start - base == s0
                and found[j - 1].end - base == end - 1
                and _short_of(found[j - 1].entry, self.entries[idx])
            ):
                found = found[: j - 1] + found[j:]  # 义桥|乡: the town's short form, read in full as 义桥乡
                extra.append(self._match(text, s0, end, self.entries[idx], base))
        if not extra:
            return found
        return sorted(found + extra, key=lambda m: m.start)

    def _match(self, text: str, start: int, end: int, e: NameEntry, base: int) -> RawMatch:
        """The match of entry ``e`` at [start, end) with what the text around it says."""
        cont = e.starts_word and any(
            text[start : start + k] in self.longer for k in (3, 4) if k > end - start
        )
        return _new(
            RawMatch,
            (
                base + start,
                base + end,
                e,
                in_org_at(text, end),
                _ADMIN_AFTER.match(text, end, end + _ADMIN_AFTER_LEN) is not None,
                ends_with_foreign(text, start),
                cont,
                None,
                None,
                None,
            ),
        )

    def _alternative(self, text: str, start: int, e: NameEntry, base: int) -> RawMatch | None:
        """The longest name starting inside the match and running past its end, if any (the
        offsets and lengths where one may start are the entry's, from the build)."""
        get, n, heads = self.ids.get, len(text), self.heads
        for k, lengths in e.alt:
            s = start + k
            if heads is not None and text[s : s + 2] not in heads:
                continue
            for length in lengths:
                if s + length <= n:
                    idx = get(text[s : s + length])
                    if idx is not None and self.entries[idx].candidates[0].kind != "literary":
                        return self._match(
                            text, s, s + length, self.entries[idx], base
                        )  # (长春|城区: no 春城)
        return None

    def _shared_suffix(self, text: str, base: int, found: list[RawMatch]) -> list[RawMatch]:
        """Add the elements of 'A、B、C街道' lists as mentions of A街道, B街道 …"""
        extra = []
        for lm in _shared_suffix_lists(text):
            suffix = lm.group(2)
            pos = lm.start(1)
            if self._unit_at_end(lm.group(1).rsplit("、", 1)[-1], suffix):
                continue  # 乐安、龙虎山、三清山、婺源、景德镇: the last item is a city, no list of towns
            for part in lm.group(1).split("、"):
                for k in (3, 2):  # the regex may have taken a char too many
                    name = part[-k:]
                    idx = self.ids.get(name + suffix) if len(name) == k else None
                    if idx is not None and self.entries[idx].gap_only:
                        continue  # (火田镇、…镇: 田镇镇 is a generated former name, not a list element)
                    if idx is not None and not text.startswith(name + suffix, pos + len(part) - k):
                        s0 = pos + len(part) - k
                        if _runs_through(found, base + s0, base + s0 + k):
                            break  # 河东村、慈城镇: the village 河东村 is read, not 东村(镇)
                        extra.append(self._match(text, s0, s0 + k, self.entries[idx], base))
                        break
                pos += len(part) + 1
        if not extra:
            return found
        spans = [(m.start, m.end) for m in extra]
        kept = [m for m in found if not any(a < m.end and m.start < b for a, b in spans)]
        return sorted(kept + extra, key=lambda m: m.start)

    def _unit_at_end(self, last: str, suffix: str) -> bool:
        """The list's last item with the suffix is a city's or county's name (景德镇), no town's."""
        for k in (3, 2):
            idx = self.ids.get(last[-k:] + suffix) if len(last) >= k else None
            if idx is not None:
                return not any(c.level in ("township", "village") for c in self.entries[idx].candidates)
        return False


def _runs_through(found: list[RawMatch], start: int, end: int) -> bool:
    """A name found before ``start`` runs on to ``end`` at least (河东村 over 东村)."""
    return any(m.start < start and m.end >= end for m in found)


def _shared_suffix_lists(text: str) -> Iterator[re.Match]:
    """``_SHARED_SUFFIX.finditer(text)``, tried only where a list can begin: two or three
    characters before a 、 (the regex alone is tried at every character)."""
    match, last, tried = _SHARED_SUFFIX.match, 0, -1
    p = text.find("、")
    while p >= 0:
        for s in (p - 3, p - 2):
            if s >= last and s > tried:
                tried = s
                lm = match(text, s)
                if lm is not None:
                    yield lm
                    last = lm.end()
        p = text.find("、", p + 1)


_ONES = b"\x01" * (ORG_REACH + 1)


def _near_orgs(text: str) -> bytearray:
    """1 at each offset with an organisation suffix starting within ORG_REACH after it
    (:func:`~geo.geoparse.words.org_suffix_starts`), 0 elsewhere, up to ``len(text)`` included: one
    byte read per name instead of a bisection."""
    near = bytearray(len(text) + 1)
    for s in org_suffix_starts(text):
        lo = s - ORG_REACH if s > ORG_REACH else 0
        near[lo : s + 1] = _ONES[: s + 1 - lo]
    return near


class _Where:
    """Original index of each character of the joined text: ``where[i]``. Kept as the start of
    each joined piece and its shift (not one int per character: magazine text has many breaks)."""

    __slots__ = ("shifts", "starts")

    def __init__(self, starts: list[int], shifts: list[int]):
        self.starts, self.shifts = starts, shifts

    def __getitem__(self, i: int) -> int:
        return i + self.shifts[bisect_right(self.starts, i) - 1]


#: A line break with the blanks around it, from its first newline (a literal the regex engine
#: skips to; _LINE_JOINT, whose lookbehind comes first, is tried at every character).
_GAP = re.compile("\n[ \t\u3000\r\n]*")
_HEAD = frozenset(" \t\u3000\r")


def _join_lines(text: str) -> tuple[str, _Where]:
    """Text without the line breaks between Chinese characters, and each char's original index.

    The joints are _LINE_JOINT's matches, found from each line break: a gap of blanks and line
    breaks with a Chinese character on either side (a lone \r, rare, is checked by the regex)."""
    parts, starts, shifts, pos, joined = [], [], [], 0, 0
    n = len(text)
    for g in _GAP.finditer(text):
        q = g.end()
        if q >= n or not "\u4e00" <= text[q] <= "\u9fff":
            continue
        h = g.start()
        while h > 0 and text[h - 1] in _HEAD:
            h -= 1
        if h == 0 or not "\u4e00" <= text[h - 1] <= "\u9fff":
            continue
        if "\r" in text[h:q] and ((jm := _LINE_JOINT.match(text, h)) is None or jm.end() != q):
            continue
        parts.append(text[pos:h])
        starts.append(joined)
        shifts.append(pos - joined)
        joined += h - pos
        pos = q
    parts.append(text[pos:])
    starts.append(joined)
    shifts.append(pos - joined)
    return "".join(parts), _Where(starts, shifts)


def _remap_all(matches: list[RawMatch], where: _Where, base: int) -> list[RawMatch]:
    """Matches of the joined text with the offsets of the original text (plus base): the joined
    pieces walked along with the matches (both in text order), one shift per piece."""
    starts, shifts = where.starts, where.shifts
    out: list[RawMatch] = []
    append = out.append
    k, last, never = 0, len(starts) - 1, 1 << 62
    here, nxt = starts[0], starts[1] if last else never
    shift = shifts[0] + base
    for m in matches:
        s, e, entry, org, admin, foreign, word, alt, anchor, zone = m
        while s >= nxt:
            k += 1
            here, shift = nxt, shifts[k] + base
            nxt = starts[k + 1] if k < last else never
        if here <= s and e - 1 < nxt and alt is None and anchor is None:  # inside one piece
            append(_new(RawMatch, (s + shift, e + shift, entry, org, admin, foreign, word, None, None, zone)))
        else:
            append(_remap(m, where, base))
    return out


def _remap(m: RawMatch, where: _Where, base: int) -> RawMatch:
    alt = _remap(m.alt, where, base) if m.alt is not None else None
    anchor = _remap(m.anchor, where, base) if m.anchor is not None else None
    start, end = base + where[m.start], base + where[m.end - 1] + 1
    return _new(RawMatch, (start, end, *m[2:7], alt, anchor, m.zone))


def build_matcher(entries: list[NameEntry], longer: frozenset[str]) -> Matcher:
    """The automaton over the entries' surfaces (pattern id = entry index)."""
    automaton = daachorse.CharwiseDoubleArrayAhoCorasick(
        [e.surface for e in entries if not e.gap_only], match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST
    )  # (gap-only entries come last: pattern ids stay entry indices)
    return Matcher(automaton, entries, longer)
