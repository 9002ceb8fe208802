"""An article's place mentions as the metrics stage sees them: article offsets, sorted, overlaps
dropped, held as parallel lists.

An article of the generated corpus names ~100 places and reports a few figures: the figures need
every mention's offsets (to find a sentence's subject by bisection) but the whole mention (name,
level, written form) of only the few they are tied to. So the offsets are lists and a
:class:`LocalMention` is built only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import le
from typing import Any

import pandas as pd

from geo.columns import ArticleMentions
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


class MentionView:
    """Mentions sorted by start, none overlapping the one before: ``starts`` and ``ends`` (article
    offsets, both ascending) and ``in_org`` are lists; ``view[i]`` is mention i's LocalMention."""

    __slots__ = ("_made", "_rows", "base", "ends", "in_org", "starts")

    def __init__(
        self, rows: Sequence[Any], base: int, starts: list[int], ends: list[int], in_org: list[bool]
    ):
        self._rows = rows  # the records (Mention or any row with its fields), file offsets
        self.base = base
        self.starts = starts
        self.ends = ends
        self.in_org = in_org
        self._made: dict[int, LocalMention] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: int) -> LocalMention:
        got = self._made.get(i)
        if got is None:
            m = self._rows[i]
            got = LocalMention(
                self.starts[i],
                self.ends[i],
                str(m.place_id),
                m.name,
                m.level,
                self.in_org[i],
                str(m.text or ""),
            )
            self._made[i] = got
        return got

    def __iter__(self) -> Iterator[LocalMention]:
        return (self[i] for i in range(len(self._rows)))

    def place_ids(self) -> list[str]:
        if isinstance(self._rows, ArticleMentions):
            return self._rows.place_ids()
        return [str(m.place_id) for m in self._rows]

    def where(self, org: bool) -> MentionView:
        """The mentions inside organisation names (``org``) or outside them."""
        if not any(self.in_org):
            return self if not org else MentionView([], self.base, [], [], [])
        keep = [i for i, o in enumerate(self.in_org) if o == org]
        rows = self._rows
        return MentionView(
            rows.take(keep) if isinstance(rows, ArticleMentions) else [rows[i] for i in keep],
            self.base,
            [self.starts[i] for i in keep],
            [self.ends[i] for i in keep],
            [org] * len(keep),
        )


EMPTY = MentionView([], 0, [], [], [])


def plain_mentions(mentions: pd.DataFrame | Sequence[Mention] | None, article: Article) -> MentionView:
    """The article's mentions (file offsets in, article offsets out), sorted, overlaps dropped.
    ``mentions`` is a DataFrame with the mention columns, a list of :class:`Mention` records, or
    the article's :class:`~geo.columns.ArticleMentions` (what the pipeline has at hand: its
    columns, in text order; records are made only for the mentions the figures are tied to)."""
    if mentions is None or len(mentions) == 0:
        return MentionView([], article.start, [], [], [])
    if isinstance(mentions, ArticleMentions):
        starts, ends = mentions.starts, mentions.ends
        later = starts[1:]
        a0, a1 = article.start, article.end
        if all(map(le, starts, later)) and all(map(le, ends, later)) and starts[0] >= a0 and max(ends) <= a1:
            local = [s - a0 for s in starts], [e - a0 for e in ends]
            return MentionView(mentions, a0, *local, mentions.in_org)
        mentions = list(mentions)  # (not this article's alone, or not in text order: as records)
    if isinstance(mentions, pd.DataFrame):
        if "place_id" not in mentions.columns:
            return MentionView([], article.start, [], [], [])
        mentions = _records(mentions, article)
    a0, a1, file = article.start, article.end, article.file
    rows = [
        m for m in mentions if m.start >= a0 and m.end <= a1 and m.file == file and m.place_id is not None
    ]
    starts = [m.start for m in rows]
    ends = [int(m.end) for m in rows]
    later = starts[1:]
    if not (all(map(le, starts, later)) and all(map(le, ends, later))):  # not in text order: sort
        rows = _sorted_apart(rows)
        starts = [m.start for m in rows]
        ends = [int(m.end) for m in rows]
    in_org = [bool(o) if o == o else False for o in (m.in_org for m in rows)]  # NaN: not in one
    return MentionView(rows, a0, [s - a0 for s in starts], [e - a0 for e in ends], in_org)


def _sorted_apart(rows: list) -> list:
    """Rows sorted by start (ties in input order), each overlapping the last one kept dropped."""
    out = []
    last_end = -1
    for start, i in sorted((m.start, i) for i, m in enumerate(rows)):
        if start < last_end:
            continue
        out.append(rows[i])
        last_end = int(rows[i].end)
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
