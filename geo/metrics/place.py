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

import pandas as pd

from geo.metrics import lexicon as lx
from geo.schema import MENTION_COLUMNS, Article, Mention


@dataclass(frozen=True)
class LocalMention:
    """A mention as the metrics stage sees it: article-relative offsets, overlaps dropped."""

    start: int  # article-relative offsets
    end: int
    place_id: str
    name: str | None
    level: str | None
    in_org: bool
    text: str


@dataclass
class Subject:
    places: list[LocalMention] = field(default_factory=list)
    basis: str = ""
    company: bool = False


def plain_mentions(mentions: pd.DataFrame | list[Mention] | None, article: Article) -> list[LocalMention]:
    """The article's mentions (file offsets in, article offsets out), sorted, overlaps dropped.
    ``mentions`` is a DataFrame with the mention columns or a list of :class:`Mention` records
    (what the pipeline has at hand: no DataFrame per article); this runs once per article."""
    if mentions is None or len(mentions) == 0:
        return []
    if isinstance(mentions, pd.DataFrame):
        if "place_id" not in mentions.columns:
            return []
        mentions = _records(mentions, article)
    rows = sorted(
        (m.start, i)
        for i, m in enumerate(mentions)
        if m.start >= article.start
        and m.end <= article.end
        and m.file == article.file
        and m.place_id is not None
    )
    out: list[LocalMention] = []
    last_end = -1
    for start, i in rows:
        if start < last_end:
            continue
        m = mentions[i]
        org = m.in_org
        out.append(
            LocalMention(
                start - article.start,
                int(m.end) - article.start,
                str(m.place_id),
                m.name,
                m.level,
                bool(org) if org == org else False,
                str(m.text or ""),
            )
        )
        last_end = int(m.end)
    return out


_DEFAULTS = {"start": -1, "end": -1, "in_org": False, "text": ""}


def _records(frame: pd.DataFrame, article: Article) -> list[Mention]:
    """Mention records from a (possibly partial) mentions table; absent columns get defaults."""
    n = len(frame)
    cols = []
    for c in MENTION_COLUMNS:
        if c in frame.columns:
            cols.append(frame[c].tolist())
        else:
            default = article.file if c == "file" else _DEFAULTS.get(c)
            cols.append([default] * n)
    return [Mention(*row) for row in zip(*cols)]


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


class PlaceFinder:
    def __init__(
        self,
        text: str,
        mentions: list[LocalMention],
        main_place: str | None,
        title_end: int,
        fallback: LocalMention | None = None,
    ):
        self.text = text
        self.plain = [m for m in mentions if not m.in_org]
        self.org = [m for m in mentions if m.in_org]
        # mentions are sorted and do not overlap: starts and ends both ascend (bisect, not scans)
        self._starts = [m.start for m in self.plain]
        self._ends = [m.end for m in self.plain]
        self._org_starts = [m.start for m in self.org]
        self.main = self._main(main_place, title_end)
        #: The headline names the main place (strong); else it is only the most mentioned one.
        self.main_in_title = self.main is not None and any(
            m.place_id == self.main.place_id and m.end <= title_end for m in self.plain
        )
        self.fallback = fallback

    # -- building blocks --------------------------------------------------------------------
    def _chain_start(self, i: int) -> int:
        """Index of the first mention of the name chain ending at i (嘉兴市南湖区湘家荡区域(七星街道))."""
        p, t = self.plain, self.text
        while i > 0 and p[i - 1].end <= p[i].start and lx.CHAIN_JOIN_RE.match(t[p[i - 1].end : p[i].start]):
            i -= 1
        return i

    def _chain_end(self, k: int, limit: float = float("inf")) -> int:
        """Index of the last mention of the name chain starting at k, ending by ``limit``."""
        p, t = self.plain, self.text
        while (
            k + 1 < len(p) and p[k + 1].end <= limit and lx.CHAIN_JOIN_RE.match(t[p[k].end : p[k + 1].start])
        ):
            k += 1
        return k

    def _head(self, a: int, b: int) -> LocalMention:
        """The chain's subject: its last name that is not a bracketed alias."""
        for m in reversed(self.plain[a : b + 1]):
            if not re.search(r"[(（]\s*$", self.text[max(0, m.start - 3) : m.start]):
                return m
        return self.plain[a]

    def _subject_before(self, pos: int, floor: int) -> tuple[list[LocalMention], int] | None:
        """The last non-locative name chain (or list of chains "萧山区、余杭区") in [floor, pos)."""
        p, t = self.plain, self.text
        k = bisect_right(self._ends, pos) - 1
        i = k if k >= 0 and p[k].start >= floor else None
        while i is not None:
            a = self._chain_start(i)
            chains = [(a, i)]
            while a > 0 and p[a - 1].start >= floor and lx.LIST_JOIN_RE.match(t[p[a - 1].end : p[a].start]):
                j = self._chain_start(a - 1)
                chains.insert(0, (j, a - 1))
                a = j
            first, last = p[chains[0][0]], p[chains[-1][1]]
            if lx.REL_BEFORE_RE.search(t[max(0, first.start - 6) : first.start]) or lx.REL_AFTER_RE.match(
                t[last.end : last.end + 6]
            ):
                i = a - 1 if a - 1 >= 0 and p[a - 1].start >= floor else None
                continue
            return [self._head(x, y) for x, y in chains], last.end
        return None

    def _first_subject(self, start: int, end: int) -> LocalMention | None:
        """The first non-locative name chain of a span: the subject an earlier sentence opens with."""
        p, t = self.plain, self.text
        k: int | None = bisect_left(self._starts, start)
        if k is not None and (k >= len(p) or p[k].end > end):
            k = None
        while k is not None and k < len(p) and p[k].end <= end:
            j = self._chain_end(k, end)
            if not (
                lx.REL_BEFORE_RE.search(t[max(0, p[k].start - 6) : p[k].start])
                or lx.REL_AFTER_RE.match(t[p[j].end : p[j].end + 6])
            ):
                return self._head(k, j)
            k = j + 1
        return None

    def _first_place(self, start: int, end: int) -> LocalMention | None:
        """The first name chain of a span, where it stands: in a list item or heading a place
        after 落户 or in brackets (``12 家企业签约落户萧山区``, ``（余杭区）``) is the item's place."""
        k = bisect_left(self._starts, start)
        if k >= len(self.plain) or self.plain[k].end > end:
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
            for pm in reversed(self.plain[max(0, last - ANAPHOR_REACH) : last]):
                if test(pm):
                    return pm, hit.group(0)
        return (self.main, hit.group(0)) if self.main else None

    def _main(self, main_place: str | None, title_end: int) -> LocalMention | None:
        if main_place is not None:
            same = [m for m in self.plain if m.place_id == str(main_place)]
            if same:
                return same[0]
            return LocalMention(-1, -1, str(main_place), None, None, False, "")
        in_title = [k for k, m in enumerate(self.plain) if m.end <= title_end]
        if in_title:
            k = in_title[0]
            return self._head(k, self._chain_end(k, title_end))
        if not self.plain:
            return None
        top = Counter(m.place_id for m in self.plain).most_common(1)[0][0]
        return next(m for m in self.plain if m.place_id == top)

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
            if k < len(self.plain) and self.plain[k].start == att.end():
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
        org = self.org[j] if j < len(self.org) and self.org[j].start < label_start else None
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
