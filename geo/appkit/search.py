"""Place search by name, prefix and pinyin initials."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

# ---------------------------------------------------------------- search


@lru_cache(maxsize=200_000)  # a name's keys never change: a new filter state reuses them
def _pinyin_keys(name: str) -> tuple[str, str]:
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(name, errors="ignore")
    initials = "".join(s[0] for s in syllables if s)
    return "".join(syllables).lower(), initials.lower()


def search_index(places: pd.DataFrame) -> pd.DataFrame:
    """place_id, name, level + pinyin keys; build once per layer set (pinyin is the slow part)."""
    frame = places[["place_id", "name", "level"]].drop_duplicates("place_id").copy()
    keys = [_pinyin_keys(str(n)) for n in frame["name"]]
    frame["pinyin"] = [k[0] for k in keys]
    frame["initials"] = [k[1] for k in keys]
    return frame.reset_index(drop=True)


def search_places(query: str, index: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """Places whose Chinese name or pinyin matches the query, best first: exact name, name
    prefix, name substring; for Latin letters exact pinyin or initials, then pinyin prefix, then
    initials prefix ("hangzhou" → 杭州市, "xsq" → 萧山区). An initials *substring* is not a match:
    "zzz" must not find 景宁畲族自治县 (jnszzzx)."""
    q = "".join(query.split()).lower()
    if not q or index.empty:
        return index.iloc[0:0]
    names = index["name"].astype(str)
    rank = pd.Series(9, index=index.index)
    if any("\u4e00" <= ch <= "\u9fff" for ch in q):
        rank[names.str.contains(q, regex=False)] = 2
        rank[names.str.startswith(q)] = 1
        rank[names == q] = 0
    else:
        pinyin, initials = index["pinyin"].astype(str), index["initials"].astype(str)
        rank[initials.str.startswith(q) & (len(q) >= 2)] = 3
        rank[pinyin.str.startswith(q) & (len(q) >= 2)] = 2
        rank[(pinyin == q) | (initials == q)] = 1
    found = index.assign(_rank=rank, _level=index["level"].map(_LEVEL_ORDER).fillna(9))[rank < 9]
    found = found.sort_values(["_rank", "_level", "name"])
    return found.drop(columns=["_rank", "_level"]).head(limit).reset_index(drop=True)


#: Among equally good matches, larger units first (杭州市 before a 杭州路 zone).
_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "township": 3, "zone": 4, "landmark": 5, "village": 6}
