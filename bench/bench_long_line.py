"""A long line without breaks costs what the same text with breaks costs (issue 19).

    .venv/bin/python bench/bench_long_line.py --mb 5

The same text twice, each as one document through every stage (split, geoparse, metrics): in
paragraphs, and the same characters with every line break removed (one line). Prints seconds per
MB (CPU time) of each and their ratio; a quadratic step shows as a ratio that grows with the size (before
the fix: 200 KB as one line took 28 s/MB against 0.8 s/MB in paragraphs, and 5 MB did not
finish; after it, 5 MB: 0.8 s/MB as one line, 0.6 s/MB in paragraphs).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


PLACES = ("萧山区", "临安区", "余杭区", "建德市", "桐庐县", "淳安县", "富阳区", "滨江区")


def texts(megabytes: float) -> tuple[str, str]:
    """(text in paragraphs, the same text as one line) of about ``megabytes`` of UTF-8: each
    paragraph one figure without a period of its own ("萧山区实现规上工业总产值 …") and four
    sentences of the seeds without dates or numbers — so every figure looks back for a period,
    the worst case for the period look-back (the one that was quadratic)."""
    import random

    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    plain = [
        s + "。" for s in re.split(r"[。\n]", seeds) if len(s) > 15 and not re.search(r"\d|年|季度|月", s)
    ]
    rnd = random.Random(1)
    paras, size = [], 0
    while size < megabytes * 1e6:
        place, v, g = rnd.choice(PLACES), rnd.randint(100, 9000) / 10, rnd.randint(10, 300) / 10
        p = f"{place}实现规上工业总产值{v}亿元，同比增长{g}%。" + "".join(rnd.choice(plain) for _ in range(4))
        paras.append(p)
        size += len(p.encode("utf-8"))
    text = "\n\n".join(paras)
    return text, text.replace("\n", "")


def seconds(text: str, gp) -> float:
    from geo.pipeline import parse_document
    from geo.schema import Document

    doc = Document("bench.txt", Path("bench.txt"), text, "utf-8")
    t = time.process_time()  # CPU seconds: the same on a busy machine (one process, one thread)
    parse_document(doc, gp)
    return time.process_time() - t


def measure(megabytes: float) -> dict:
    from geo.gazetteer import load_gazetteer
    from geo.geoparse import geoparser
    from geo.settings import load_settings

    settings = load_settings()
    gp = geoparser(load_gazetteer(settings), settings.home_province)
    broken, line = texts(megabytes)
    mb = len(line.encode("utf-8")) / 1e6
    s_broken, s_line = seconds(broken, gp), seconds(line, gp)
    return {
        "mb": round(mb, 2),
        "s_per_mb_with_breaks": round(s_broken / mb, 2),
        "s_per_mb_one_line": round(s_line / mb, 2),
        "ratio": round(s_line / s_broken, 2),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=5.0, help="size of each text (default 5)")
    r = measure(ap.parse_args(argv).mb)
    print(
        f"{r['mb']} MB: {r['s_per_mb_with_breaks']} s/MB with line breaks, "
        f"{r['s_per_mb_one_line']} s/MB as one line (ratio {r['ratio']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
