"""A document's mentions column by column: what the geoparser hands on, without a tuple per mention.

A 20 MB corpus names ~450,000 places. As :class:`~geo.schema.Mention` tuples each cost a tuple of
21 fields, then a pass per column to become a DataFrame or an Arrow table again. Here each field
is a list, and the fields that belong to the place rather than to the mention (name, level, the
admin chain, code, point, precision, county_id: :data:`PLACE_FIELDS`) are kept once per distinct
place (a document of the generated corpus names ~800 places ~1,800 times), each mention holding
its place's number. The store's Arrow tables and the extraction's categorical frame
(:mod:`geo.mention_table`) are built from these columns; a record only on request.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

from geo.schema import MENTION_COLUMNS, Mention

#: The Mention fields that are the place's, in this order in each ``places`` row.
PLACE_FIELDS: tuple[str, ...] = MENTION_COLUMNS[5:16] + ("county_id",)
_PLACE_AT = {f: k for k, f in enumerate(PLACE_FIELDS)}
#: The Mention fields that are the mention's own (besides article_id and file, kept per article).
OWN_FIELDS = ("start", "end", "text", "confidence", "in_org", "historical", "runner_up")
_new = tuple.__new__


class MentionColumns:
    """Mentions in text order as columns; articles in order, ``bounds[k]:bounds[k + 1]`` are
    article k's mentions; ``place[i]`` is mention i's row of ``places`` (:data:`PLACE_FIELDS`)."""

    __slots__ = ("_place_cols", "article_ids", "bounds", "confidence", "end", "files", "historical",
                 "in_org", "place", "place_no", "places", "runner_up", "start", "text")  # fmt: skip

    def __init__(self) -> None:
        self.article_ids: list[str] = []
        self.files: list[str] = []
        self.bounds: list[int] = [0]
        self.start: list[int] = []
        self.end: list[int] = []
        self.text: list[str] = []
        self.place: list[int] = []
        self.confidence: list[float] = []
        self.in_org: list[bool] = []
        self.historical: list[bool] = []
        self.runner_up: list[str | None] = []
        self.places: list[tuple] = []
        #: place_id → the number of a row with that id; a row whose id is already another row's
        #: is keyed by the whole row
        self.place_no: dict[Any, int] = {}
        self._place_cols: dict[str, list] = {}  # (place_column's)

    def __len__(self) -> int:
        return len(self.start)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MentionColumns):
            return NotImplemented
        same = (self.article_ids, self.files, self.bounds) == (other.article_ids, other.files, other.bounds)
        return same and self.records() == other.records()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        n = (len(self), len(self.article_ids), len(self.places))
        return "MentionColumns({} mentions, {} articles, {} places)".format(*n)

    # ------------------------------------------------------------ building

    def end_article(self, article_id: str, file: str) -> None:
        """The mentions appended since the last call are this article's."""
        self.article_ids.append(article_id)
        self.files.append(file)
        self.bounds.append(len(self.start))

    def place_of(self, row: tuple) -> int:
        """The number of a place given by its whole row (PLACE_FIELDS), added if new."""
        no = self.place_no
        k = no.get(row[0])
        if k is not None and self.places[k] == row:
            return k
        key = row if k is not None else row[0]
        k = no.get(key)
        if k is None:
            k = no[key] = len(self.places)
            self.places.append(row)
        return k

    def append_record(self, m: Mention) -> None:
        """One mention given as a record (the rare kinds: zones, communities, villages again)."""
        self.start.append(m.start)
        self.end.append(m.end)
        self.text.append(m.text)
        self.place.append(self.place_of(_place_row(m)))
        self.confidence.append(m.confidence)
        self.in_org.append(m.in_org)
        self.historical.append(m.historical)
        self.runner_up.append(m.runner_up)

    def append_records(self, ms: Iterable[Mention]) -> None:
        """Mentions given as records, in one pass per column: what :meth:`append_record` on each
        gives (a spliced article's ~100 mentions, most of them read from these columns)."""
        t = tuple(zip(*ms))
        if not t:
            return
        self.start.extend(t[2])
        self.end.extend(t[3])
        self.text.extend(t[4])
        no, ps, place_of = self.place_no, self.places, self.place_of  # place_of's common case inline
        self.place.extend([
            k if (k := no.get(r[0])) is not None and ((p := ps[k]) is r or p == r) else place_of(r)
            for r in zip(*t[5:16], t[19])
        ])  # fmt: skip
        self.confidence.extend(t[16])
        self.in_org.extend(t[17])
        self.historical.extend(t[18])
        self.runner_up.extend(t[20])

    def truncate(self, n: int) -> None:
        """Drop the mentions from ``n`` on (the article being built is rebuilt from records)."""
        for col in (self.start, self.end, self.text, self.place, self.confidence, self.in_org,
                    self.historical, self.runner_up):  # fmt: skip
            del col[n:]

    def extend(self, other: MentionColumns) -> None:
        """Append another document's (or batch's) mentions and articles."""
        base = len(self.start)
        self.article_ids.extend(other.article_ids)
        self.files.extend(other.files)
        self.bounds.extend(b + base for b in other.bounds[1:])
        self.start.extend(other.start)
        self.end.extend(other.end)
        self.text.extend(other.text)
        no, ps, place_of = self.place_no, self.places, self.place_of  # place_of's common case inline:
        remap = [
            k if (k := no.get(r[0])) is not None and ((p := ps[k]) is r or p == r) else place_of(r)
            for r in other.places
        ]  # (a row shared by documents of this process: the same tuple, no field compared)
        self.place.extend(map(remap.__getitem__, other.place))
        self.confidence.extend(other.confidence)
        self.in_org.extend(other.in_org)
        self.historical.extend(other.historical)
        self.runner_up.extend(other.runner_up)

    @classmethod
    def from_records(cls, per_article: Iterable[tuple[str, str, Iterable[Mention]]]) -> MentionColumns:
        """Columns from (article_id, file, records) per article."""
        cols = cls()
        for aid, file, ms in per_article:
            cols.append_records(ms)
            cols.end_article(aid, file)
        return cols

    def spliced(self, changed: dict[int, Sequence[Mention]]) -> MentionColumns:
        """These columns, article k's mentions replaced by the records ``changed[k]``, the others
        copied; the places kept (one no mention names any more is in no table built from them)."""
        cols = type(self)()
        cols.places, cols.place_no = list(self.places), dict(self.place_no)
        n, k = len(self.article_ids), 0  # (the articles between two changed ones: one run, copied)
        for c in sorted(c for c in changed if 0 <= c < n):
            self._copy_articles(cols, k, c)
            cols.append_records(changed[c])
            cols.end_article(self.article_ids[c], self.files[c])
            k = c + 1
        self._copy_articles(cols, k, n)
        return cols

    def _copy_articles(self, cols: MentionColumns, k: int, stop: int) -> None:
        """Append articles k:stop of these columns, as they are, to ``cols``."""
        b, shift = self.bounds, len(cols.start) - self.bounds[k]
        for f in (*OWN_FIELDS, "place", "article_ids", "files"):
            lo, hi = (k, stop) if f in ("article_ids", "files") else (b[k], b[stop])
            getattr(cols, f).extend(getattr(self, f)[lo:hi])
        cols.bounds.extend([x + shift for x in b[k + 1 : stop + 1]])

    # ------------------------------------------------------------ hand-off between processes

    def pack(self) -> tuple:
        """Plain lists and tuples (marshal writes them; the parent reads them back with unpack)."""
        return tuple(getattr(self, s) for s in _PACKED)

    @classmethod
    def unpack(cls, packed: Sequence[Any]) -> MentionColumns:
        cols = cls()
        for s, v in zip(_PACKED, packed):
            setattr(cols, s, v)
        no = cols.place_no
        for k, row in enumerate(cols.places):
            no.setdefault(row if row[0] in no else row[0], k)
        return cols

    # ------------------------------------------------------------ reading

    def article_of(self) -> np.ndarray:
        """Each mention's article number."""
        counts: np.ndarray = np.diff(np.asarray(self.bounds, dtype=np.int64))
        return np.repeat(np.arange(len(counts)), counts)

    def record(self, i: int) -> Mention:
        """Mention i as a :class:`Mention` record."""
        k = bisect_right(self.bounds, i) - 1
        p = self.places[self.place[i]]
        return _new(
            Mention,
            (self.article_ids[k], self.files[k], self.start[i], self.end[i], self.text[i], *p[:11],
             self.confidence[i], self.in_org[i], self.historical[i], p[11], self.runner_up[i]),
        )  # fmt: skip

    def records(self, lo: int = 0, hi: int | None = None) -> list[Mention]:
        """Mentions lo:hi as records (what :meth:`record` of each gives), an article's run at a time."""
        hi = len(self.start) if hi is None else hi
        out: list[Mention] = []
        if lo >= hi:
            return out
        b, k = self.bounds, bisect_right(self.bounds, lo) - 1
        while lo < hi:
            stop = min(hi, b[k + 1])  # (an empty article: stop == lo, nothing added)
            if stop > lo:
                out += self._article_records(k, lo, stop)
                lo = stop
            k += 1
        return out

    def _article_records(self, k: int, lo: int, hi: int) -> list[Mention]:
        """Mentions lo:hi, all of article k, as records."""
        aid, file, ps = self.article_ids[k], self.files[k], self.places
        return [
            _new(Mention, (aid, file, s, e, t, *p[:11], c, o, h, p[11], r))
            for s, e, t, p, c, o, h, r in zip(
                self.start[lo:hi], self.end[lo:hi], self.text[lo:hi], map(ps.__getitem__, self.place[lo:hi]),
                self.confidence[lo:hi], self.in_org[lo:hi], self.historical[lo:hi], self.runner_up[lo:hi],
            )
        ]  # fmt: skip

    def per_article(self) -> list[ArticleMentions]:
        """Each article's mentions as a view (records made only when one is read)."""
        b = self.bounds
        return [ArticleMentions(self, range(b[k], b[k + 1])) for k in range(len(self.article_ids))]

    def place_column(self, field: str) -> list:
        """``field`` of each distinct place (PLACE_FIELDS), in ``places`` order; kept (places are
        only ever appended to: the list is extended)."""
        got = self._place_cols.setdefault(field, [])
        if len(got) < len(self.places):
            k = _PLACE_AT[field]
            got.extend([p[k] for p in self.places[len(got) :]])
        return got

    # ------------------------------------------------------------ tables

    def arrow(self, schema: pa.Schema, seqs: Sequence[int]) -> pa.Table:
        """The mentions (and ``seqs``) as an Arrow table of ``schema`` (the store's mentions
        columns and seq): what ``pa.array(column, type, from_pandas=True)`` per column of the
        records gives, a place's fields taken from the per-place arrays."""
        import pyarrow as pa

        types = {f.name: f.type for f in schema}
        art = pa.array(self.article_of())
        place = pa.array(np.asarray(self.place, dtype=np.int64))
        arrays = {
            "article_id": pa.array(self.article_ids, type=types["article_id"]).take(art),
            "file": pa.array(self.files, type=types["file"]).take(art),
        }
        for f in OWN_FIELDS:
            arrays[f] = pa.array(getattr(self, f), type=types[f], from_pandas=True)
        for f in PLACE_FIELDS:
            arrays[f] = pa.array(self.place_column(f), type=types[f], from_pandas=True).take(place)
        arrays["seq"] = pa.array(seqs, type=types["seq"])
        return pa.Table.from_arrays([arrays[f.name] for f in schema], schema=schema)


_PACKED = ("article_ids", "files", "bounds", *OWN_FIELDS, "place", "places")


def _place_row(m: Mention) -> tuple:
    return (*m[5:16], m.county_id)


class ArticleMentions(Sequence):
    """Some mentions of a :class:`MentionColumns` (an article's, in text order): the offsets and
    ``in_org`` as lists, a :class:`Mention` record only for the mention read."""

    __slots__ = ("cols", "idx")

    def __init__(self, cols: MentionColumns, idx: range | list[int]):
        self.cols = cols
        self.idx = idx

    def __len__(self) -> int:
        return len(self.idx)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return ArticleMentions(self.cols, self.idx[i])
        return self.cols.record(self.idx[i])

    def __iter__(self) -> Iterator[Mention]:
        idx = self.idx
        if isinstance(idx, range) and idx.step == 1:  # (all records made at once: quicker by half)
            return iter(self.cols.records(idx.start, idx.stop))
        record = self.cols.record
        return (record(j) for j in idx)

    def _col(self, col: list) -> list:
        idx = self.idx
        if isinstance(idx, range) and idx.step == 1:
            return col[idx.start : idx.stop]
        return [col[j] for j in idx]

    @property
    def starts(self) -> list[int]:
        return self._col(self.cols.start)

    @property
    def ends(self) -> list[int]:
        return self._col(self.cols.end)

    @property
    def in_org(self) -> list[bool]:
        return self._col(self.cols.in_org)

    def place_rows(self) -> list[tuple]:
        """Each mention's place row (PLACE_FIELDS)."""
        places = self.cols.places
        return [places[k] for k in self._col(self.cols.place)]

    def column(self, field: str) -> list:
        """``field`` (any Mention field but article_id and file) of each mention."""
        if field not in _PLACE_AT:
            return self._col(getattr(self.cols, field))
        return list(map(self.cols.place_column(field).__getitem__, self._col(self.cols.place)))

    def place_ids(self) -> list[str]:
        return self.column("place_id")

    def take(self, keep: list[int]) -> ArticleMentions:
        idx = self.idx
        return ArticleMentions(self.cols, [idx[i] for i in keep])


def fields_of(ms: Sequence[Mention], *fields: str) -> list[list]:
    """These fields of each mention: from the columns for a view (no record made)."""
    if isinstance(ms, ArticleMentions):
        return [ms.column(f) for f in fields]
    return [list(map(attrgetter(f), ms)) for f in fields]
