"""Which title a run of text belongs to, by the words they share (magazine text from PDF).

A PDF's reading order often prints a brief's title *after* its text, or a lead above its title:
``据国家药品监督管理局官网 4 月 30 日消息，国产首\\n\\n例临时心脏起搏器获批上市，…\\n\\n国产首例临时
心脏起搏器获批上市``. Between two titles A and C the text is cut once: lines before the cut
belong to A, lines after it to C.

- The cut goes where the lines after it share the most words with C rather than A: Han character
  pairs weighted by how rare they are in the document (钱塘 in a 钱塘区 magazine counts little),
  words of both titles not counted, A's words not counted when A's own text is above its title
  (A's words under it then prove nothing).
  It needs at least ``SHARE`` of C's weight and, when A's text is under A's title, more of C's
  words than the text under C's title has (else C's text follows C: ``大数据`` all through the
  贵阳高新区 profile does not move its intro under ``利用大数据新优势``); without such evidence
  the text stays with A.
- The cut goes to a line the layout marks (right after A's title, a new text box, a label, the
  line after a credit or page furniture) scoring at least ``NEAR`` of the best, else to such a
  paragraph start, else to the best line; the best score wins, then the earliest line.
- A credit opening a text box (``杭州日报记者 / 赵芳洲`` above the text of ``市委市政府领导调研钱塘区``)
  starts C's text when the text under it shares any clear word with C; a text box of at most
  ``STANDFIRST`` lines right above C's title (and its credit) is C's standfirst (``市场上苹果概念股
  很多，…`` above ``文 / 汪株燚`` and ``iPhone 人脸识别器件杭州造``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import accumulate
from typing import NamedTuple

from geo.corpus.headings import han_pairs

MIN_GAIN = 8.0  # weighted shared words a cut needs (about two rare word pairs)
SHARE = 0.25  # … and at least this share of C's weight
A_LINE = 3.0  # weight of A's words a line needs to count for A (one stray 国际 does not)
NEAR = 0.75  # a cut the layout marks may keep a little less evidence than the best cut
STANDFIRST = 15  # lines a text box right above a title may have to be its standfirst
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]+|\d+[A-Za-z]+")  # OpenKS, IBM, 2nm, 6G


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"  # the range han_pairs takes pairs from


def _unit_pair_counts(text: str) -> Counter[int]:
    """How often each two adjacent UTF-16 code units occur in a text (overlapping), keyed by the
    two read as one 32-bit number (``_unit_pair``): two Han characters side by side are such a
    pair, and no other two characters are the same pair. Counted on the encoded text, without a
    str per pair: units 0-1, 2-3 … and then 1-2, 3-4 …"""
    b = text.encode("utf-16-le")
    counts = Counter(memoryview(b[: len(b) // 4 * 4]).cast("I"))
    odd = b[2:]
    counts.update(memoryview(odd[: len(odd) // 4 * 4]).cast("I"))
    return counts


def _unit_pair(w: str) -> int:
    return int(memoryview(w.encode("utf-16-le")).cast("I")[0])


class Marks(NamedTuple):
    """Line indices the layout marks, for choosing cuts (each list in ascending order)."""

    strong: list[int]  # a new text box, a label, after a credit or page furniture
    para: list[int]  # a paragraph's first line
    boxes: list[int]  # an indented line: a new text box
    credit_boxes: list[int]  # an indented credit line opening a text box


def _within(marked: list[int], a: int, b: int) -> list[int]:
    """The marked lines in [a, b) (``marked`` ascending)."""
    return marked[bisect_left(marked, a) : bisect_left(marked, b)]


class Affinity:
    """Title words and how strongly each line of a document shares them."""

    def __init__(self, lines: list[str]):
        # each line with the start of the next: PDF lines break inside words (智\n造新城)
        self.lines = [t + nxt[:2] for t, nxt in zip(lines, [*lines[1:], ""])]
        self._text = "\n".join(lines)
        self._idf: dict[str, float] = {}
        # the lines joined by a character no word holds, and where each begins (one past the end)
        self._joined = "\n".join(self.lines)
        self._off = [0, *accumulate(len(t) + 1 for t in self.lines)]
        self._pairs: Counter[int] | None = None

    def count(self, w: str) -> int:
        """``self._text.count(w)``. A pair of two different Han characters cannot overlap itself,
        so its count is how often it occurs: every pair of the text is counted in one pass."""
        if len(w) == 2 and w[0] != w[1] and _is_han(w[0]) and _is_han(w[1]):
            if self._pairs is None:
                self._pairs = _unit_pair_counts(self._text)
            return self._pairs[_unit_pair(w)]
        return self._text.count(w)

    def weights(self, title: str) -> dict[str, float]:
        """A title's words (Han pairs, Latin tokens) → weight: rare in the document weighs more."""
        out = {}
        for w in han_pairs(title) | set(_TOKEN_RE.findall(title)):
            if w not in self._idf:
                self._idf[w] = math.log((len(self.lines) + 1) / (self.count(w) + 1))
            out[w] = self._idf[w]
        return out

    def scores(self, above: dict[str, float], below: dict[str, float], g0: int, g1: int) -> list[float]:
        """score[k]: weight of C's words in lines [g0 + k, g1) minus A's words there (from lines
        with at least ``A_LINE`` of them).

        Read from the bottom line up: a word of C counts from the last line holding it, a line
        holding A's words counts for A with them. Where each word is comes from one search of the
        lines joined (``str.find``), not a test per word and line; the weights are added in the
        same order as a walk over the lines and the words would (the same sums)."""
        score = [0.0] * (g1 - g0)
        if g1 <= g0:
            return score
        joined, off = self._joined, self._off
        lo, hi = off[g0], off[g1] - 1  # the lines [g0, g1) in the joined text
        c_at: dict[int, list[float]] = {}  # line → C's words whose last line it is, in C's order
        for w, v in below.items():
            p = joined.rfind(w, lo, hi)
            if p >= 0:
                c_at.setdefault(bisect_right(off, p) - 1, []).append(v)
        a_at: dict[int, list[tuple[str, float]]] = {}  # line → A's words in it, in A's order
        for w, v in above.items():
            p = joined.find(w, lo, hi)
            while p >= 0:
                i = bisect_right(off, p) - 1
                a_at.setdefault(i, []).append((w, v))
                p = joined.find(w, off[i + 1], hi)
        found_a: set[str] = set()
        wa = wc = 0.0
        for i in range(g1 - 1, g0 - 1, -1):
            for v in c_at.get(i, ()):
                wc += v
            hits_a = a_at.get(i)
            if hits_a and sum(v for _, v in hits_a) >= A_LINE:  # A holds a line by more than a stray word
                for w, v in hits_a:
                    if w not in found_a:
                        found_a.add(w)
                        wa += v
            score[i - g0] = wc - wa
        return score

    def cut(
        self,
        above: dict[str, float],
        below: dict[str, float],
        g0: int,
        g1: int,
        marks: Marks,
        a_late: bool,
        c_text: range,
        floor: int,
    ) -> int:
        """The first line of [g0, g1) that belongs to title C (g1 when all of it stays with A).

        ``a_late``: A's own text is above A's title; ``c_text``: the lines under C's title;
        ``floor``: the earliest cut that leaves A enough text to stay a title.
        """
        if g1 <= g0 or not below:
            return g1
        shared = above.keys() & below.keys()
        above = {} if a_late else {w: v for w, v in above.items() if w not in shared}
        below = {w: v for w, v in below.items() if w not in shared}
        score = self.scores(above, below, g0, g1)
        top = max(score)
        cut = g1
        after = self.scores({}, below, c_text.start, c_text.stop)[0] if c_text else 0.0
        lo = max(g0, floor)
        if top >= max(MIN_GAIN, SHARE * sum(below.values())) and (a_late or top > after):
            near = NEAR * top
            for marked in ([g0, *_within(marks.strong, lo, g1)], _within(marks.para, lo, g1), range(g0, g1)):
                hits = [s for s in marked if lo <= s < g1 and score[s - g0] >= near]
                if hits:
                    cut = max(hits, key=lambda s: (score[s - g0], -s))
                    break
        else:
            credits = [x for x in _within(marks.credit_boxes, lo, g1) if score[x - g0] >= MIN_GAIN]
            cut = max(credits, default=g1)
        boxes = _within(marks.boxes, max(g0 + 1, floor), g1)
        if boxes:  # a standfirst: the last text box above C, short, sharing some of C's words
            x = max(boxes)
            if g1 - x <= STANDFIRST and score[x - g0] >= MIN_GAIN and x < cut:
                cut = x
        return cut
