"""Place search by name, prefix and pinyin initials."""

from __future__ import annotations

import pandas as pd

# ---------------------------------------------------------------- search


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
    """Places whose Chinese name or pinyin (full, or initials such as "xsq") matches the query:
    exact name first, then prefix matches, then substring matches."""
    q = "".join(query.split()).lower()
    if not q or index.empty:
        return index.iloc[0:0]
    names = index["name"].astype(str)
    if any("\u4e00" <= ch <= "\u9fff" for ch in q):
        rank = pd.Series(9, index=index.index)
        rank[names.str.contains(q, regex=False)] = 2
        rank[names.str.startswith(q)] = 1
        rank[names == q] = 0
    else:
        rank = pd.Series(9, index=index.index)
        for col in ("pinyin", "initials"):
            keys = index[col].astype(str)
            rank[keys.str.contains(q, regex=False) & (rank > 2)] = 2
            rank[keys.str.startswith(q) & (rank > 1)] = 1
            rank[(keys == q)] = 0
    found = index.assign(_rank=rank)[rank < 9]
    return found.sort_values(["_rank", "name"]).drop(columns="_rank").head(limit).reset_index(drop=True)
