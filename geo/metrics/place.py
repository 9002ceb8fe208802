"""Which place a figure is about: the subject of its sentence, not simply the nearest name.

In order: a place the figure qualifies ("常住人口 66 万的钱塘新区"); the place heading the
clause before the indicator (skipping places that are locations or partners: "位于…", "与…",
"背靠西湖"); a word that points back to one ("全区", "该街道", "街道全年…"); the subject of an
earlier sentence of the same paragraph; the article's main place (the one its headline names).
In a sidebar or list the place named in the figure's own line comes before earlier sentences
(``8 家企业签约落户，62 家企业贡献突出 下沙街道经济指标再创新高`` → 下沙街道), and the place the
heading of its section names before the article's main place.
An organisation between the place and the indicator ("联德股份…研发投入") makes the figure the
company's, and it is left out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from geo.metrics import lexicon as lx
from geo.metrics.mentions import LocalMention, MentionView


@dataclass
class Subject:
    places: list[LocalMention] = field(default_factory=list)
    basis: str = ""
    company: bool = False


def _ends(m: LocalMention, *sufs: str) -> bool:
    return any((m.name or "").endswith(s) or m.text.endswith(s) for s in sufs)


#: What a back-pointing word can refer to, nearest such mention first (several tests = fallbacks).
_ANAPHOR_TARGETS = {
    "街道": [lambda m: _ends(m, "街道")],
    "镇": [lambda m: _ends(m, "镇")],
    "乡": [lambda m: _ends(m, "乡")],
    "县": [lambda m: m.level == "county" and _ends(m, "县")],
    "市": [lambda m: m.level == "city", lambda m: _ends(m, "市")],
    "市区": [lambda m: m.level == "city"],
    "区": [lambda m: m.level == "county" and _ends(m, "区"), lambda m: _ends(m, "区")],
    "新区": [lambda m: _ends(m, "新区"), lambda m: m.level == "county" and _ends(m, "区")],
    "开发区": [lambda m: _ends(m, "开发区")],
    "高新区": [lambda m: _ends(m, "高新区", "高新技术产业开发区")],
    "科技城": [lambda m: _ends(m, "科技城")],
    "园区": [lambda m: m.level == "zone"],
    "区域": [lambda m: m.level in ("zone", "township")],
    "片区": [lambda m: m.level in ("zone", "township")],
}
OWN_LINE = 80  # characters a line may have to be a list item or heading of its own
ANAPHOR_REACH = 300  # mentions an anaphor ("该街道") looks back over for what it points to
_ATTRIBUTIVE = re.compile(r"\s*(?:以上|左右)?\s*的\s*(?:原\s*)?")
_CLAUSE_PUNCT = re.compile(r"[，,；;：:]")
_BRACKET_BEFORE_RE = re.compile(r"[(（]\s*$")


class PlaceFinder:
    def __init__(
        self,
        text: str,
        mentions: MentionView,
        main_place: str | None,
        title_end: int,
        fallback: LocalMention | None = None,
    ):
        self.text = text
        self.plain = mentions.where(org=False)
        self.org = mentions.where(org=True)
        # mentions are sorted and do not overlap: starts and ends both ascend (bisect, not scans)
        self._starts = self.plain.starts
        self._ends = self.plain.ends
        self._org_starts = self.org.starts
        self._pids = self.plain.place_ids()
        self.main = self._main(main_place, title_end)
        #: The headline names the main place (strong); else it is only the most mentioned one.
        self.main_in_title = (
            self.main is not None and self.main.place_id in self._pids[: bisect_right(self._ends, title_end)]
        )
        self.fallback = fallback

    # -- building blocks --------------------------------------------------------------------
    def _chain_start(self, i: int) -> int:
        """Index of the first mention of the name chain ending at i (嘉兴市南湖区湘家荡区域(七星街道))."""
        s, e, t = self._starts, self._ends, self.text
        while i > 0 and e[i - 1] <= s[i] and lx.CHAIN_JOIN_RE.match(t[e[i - 1] : s[i]]):
            i -= 1
        return i

    def _chain_end(self, k: int, limit: float = float("inf")) -> int:
        """Index of the last mention of the name chain starting at k, ending by ``limit``."""
        s, e, t = self._starts, self._ends, self.text
        while k + 1 < len(s) and e[k + 1] <= limit and lx.CHAIN_JOIN_RE.match(t[e[k] : s[k + 1]]):
            k += 1
        return k

    def _head(self, a: int, b: int) -> LocalMention:
        """The chain's subject: its last name that is not a bracketed alias."""
        for i in range(b, a - 1, -1):
            at = self._starts[i]
            if not _BRACKET_BEFORE_RE.search(self.text, max(0, at - 3), at):
                return self.plain[i]
        return self.plain[a]

    def _subject_before(self, pos: int, floor: int) -> tuple[list[LocalMention], int] | None:
        """The last non-locative name chain (or list of chains "萧山区、余杭区") in [floor, pos)."""
        s, e, t = self._starts, self._ends, self.text
        k = bisect_right(e, pos) - 1
        i = k if k >= 0 and s[k] >= floor else None
        while i is not None:
            a = self._chain_start(i)
            chains = [(a, i)]
            while a > 0 and s[a - 1] >= floor and lx.LIST_JOIN_RE.match(t[e[a - 1] : s[a]]):
                j = self._chain_start(a - 1)
                chains.insert(0, (j, a - 1))
                a = j
            first, last_end = s[chains[0][0]], e[chains[-1][1]]
            if lx.REL_BEFORE_RE.search(t[max(0, first - 6) : first]) or lx.REL_AFTER_RE.match(
                t[last_end : last_end + 6]
            ):
                i = a - 1 if a - 1 >= 0 and s[a - 1] >= floor else None
                continue
            return [self._head(x, y) for x, y in chains], last_end
        return None

    def _first_subject(self, start: int, end: int) -> LocalMention | None:
        """The first non-locative name chain of a span: the subject an earlier sentence opens with."""
        s, e, t = self._starts, self._ends, self.text
        k: int | None = bisect_left(s, start)
        if k is not None and (k >= len(s) or e[k] > end):
            k = None
        while k is not None and k < len(s) and e[k] <= end:
            j = self._chain_end(k, end)
            if not (
                lx.REL_BEFORE_RE.search(t[max(0, s[k] - 6) : s[k]])
                or lx.REL_AFTER_RE.match(t[e[j] : e[j] + 6])
            ):
                return self._head(k, j)
            k = j + 1
        return None

    def _first_place(self, start: int, end: int) -> LocalMention | None:
        """The first name chain of a span, where it stands: in a list item or heading a place
        after 落户 or in brackets (``12 家企业签约落户萧山区``, ``（余杭区）``) is the item's place."""
        k = bisect_left(self._starts, start)
        if k >= len(self._starts) or self._ends[k] > end:
            return None
        return self._head(k, self._chain_end(k, end))

    def _anaphor(self, start: int, end: int) -> tuple[LocalMention, str] | None:
        hit = None
        for m in lx.ANAPHOR_RE.finditer(self.text, start, end):
            hit = m
        if hit is None:
            return None
        word = hit["suf"] or hit["bare"]
        last = bisect_right(self._ends, hit.start())
        for test in _ANAPHOR_TARGETS.get(word, []):
            for i in range(last - 1, max(0, last - ANAPHOR_REACH) - 1, -1):
                if test(self.plain[i]):
                    return self.plain[i], hit.group(0)
        return (self.main, hit.group(0)) if self.main else None

    def _main(self, main_place: str | None, title_end: int) -> LocalMention | None:
        if main_place is not None:
            if str(main_place) in self._pids:
                return self.plain[self._pids.index(str(main_place))]
            return LocalMention(-1, -1, str(main_place), None, None, False, "")
        if self._ends and self._ends[0] <= title_end:  # the first name of the headline
            return self._head(0, self._chain_end(0, title_end))
        if not self._pids:
            return None
        top = Counter(self._pids).most_common(1)[0][0]
        return self.plain[self._pids.index(top)]

    # -- the decision -----------------------------------------------------------------------
    def subject(
        self,
        label_start: int,
        value_start: int,
        value_end: int,
        sent_start: int,
        same_paragraph: list,
        earlier: list,
        counts_firms: bool = False,
        line: tuple[int, int] | None = None,
        heading: tuple[int, int] | None = None,
    ) -> Subject:
        """``same_paragraph``/``earlier``: preceding sentences (nearest first) of the paragraph /
        of the article; ``counts_firms``: the figure counts firms (企业 is its label, not a
        company as the subject); ``line``: the figure's own line, ``heading``: the heading of the
        section it is in (article offsets)."""
        t = self.text
        att = _ATTRIBUTIVE.match(t, value_end)
        if att:
            k = bisect_left(self._starts, att.end())
            if k < len(self._starts) and self._starts[k] == att.end():
                return Subject([self._head(k, self._chain_end(k))], "attributive")
        clause_start = sent_start
        for m in _CLAUSE_PUNCT.finditer(t, sent_start, label_start):
            clause_start = m.end()
        found = self._subject_before(label_start, sent_start)
        after = found[1] if found else sent_start
        region = max(after, clause_start)
        cue = lx.ORG_CUE_RE.search(t, after, label_start) or (
            None if counts_firms else lx.ORG_CUE_CLAUSE_RE.search(t, region, label_start)
        )
        j = bisect_left(self._org_starts, after)
        org = self.org[j] if j < len(self._org_starts) and self._org_starts[j] < label_start else None
        if cue:
            return Subject([], cue.group(0), company=True)
        if org:
            return Subject([], org.text, company=True)
        ana = self._anaphor(after, label_start)
        if ana:
            return Subject([ana[0]], f"anaphor {ana[1]}")
        if found:  # "萧山区与滨江区签约…": a list without 分别 is headed by its first place
            return Subject(found[0], "sentence subject")
        if line is not None and line[1] - line[0] <= OWN_LINE:  # a list item, a heading, a lead
            got = self._first_place(*line)
            if got:
                return Subject([got], "own line")
        for prev in same_paragraph:
            got = self._first_subject(prev.start, prev.end)
            if got:
                return Subject([got], "previous sentence")
        if heading is not None:  # the section or sidebar the figure is in names a place
            got = self._first_place(*heading)
            if got:
                return Subject([got], "section heading")
        if self.main and self.main_in_title:
            return Subject([self.main], "main place")
        for prev in earlier[:3]:
            got = self._first_subject(prev.start, prev.end)
            if got:
                return Subject([got], "previous sentence")
        if self.main:
            return Subject([self.main], "main place (most mentioned)")
        if self.fallback:
            return Subject([self.fallback], "document context")
        return Subject([], "")
