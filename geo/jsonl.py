"""Writing an extraction as the JSON Lines contract: articles, mentions, metrics, skipped.

One JSON object per line, UTF-8 with Chinese unescaped, keys in the record's field order
(:mod:`geo.schema`); NaN becomes null and numpy scalars plain numbers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from geo.schema import Skipped

#: The files of one extraction, in the order they are written.
JSONL_FILES = ("articles", "mentions", "metrics", "skipped")


def _jsonable(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def frame_to_jsonl(df: pd.DataFrame) -> str:
    """The rows of a table as JSON Lines (keys in column order)."""
    cols = list(df.columns)
    lines = [
        json.dumps({c: _jsonable(v) for c, v in zip(cols, row)}, ensure_ascii=False)
        for row in df.itertuples(index=False, name=None)
    ]
    return "".join(line + "\n" for line in lines)


def skipped_to_jsonl(skipped: list[Skipped]) -> str:
    return "".join(json.dumps(s._asdict(), ensure_ascii=False) + "\n" for s in skipped)


def write_extraction(x: Any, out_dir: Path | str) -> dict[str, Path]:
    """Write the JSON Lines contract of an :class:`~geo.pipeline.Extraction`; returns the files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, df in (("articles", x.articles), ("mentions", x.mentions), ("metrics", x.metrics)):
        p = out / f"{name}.jsonl"
        p.write_text(frame_to_jsonl(df), encoding="utf-8")
        files[name] = p
    p = out / "skipped.jsonl"
    p.write_text(skipped_to_jsonl(x.skipped), encoding="utf-8")
    files["skipped"] = p
    return files
