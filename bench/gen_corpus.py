"""Generate a benchmark corpus that reads like regional news, at any size, reproducibly.

    .venv/bin/python bench/gen_corpus.py --out /tmp/bench-100m --size 100MB --seed 1

Shapes and sentence templates (gen_corpus_templates.txt) follow the seeds; places come from the
gazetteer. Every home-province township, village and zone appears once the corpus reaches ~20 MB;
other provinces take ~20 % of mentions. Same arguments and gazetteer give the same bytes (one
seeded RNG per file, so ``--workers`` changes nothing). Written to a temporary folder, then renamed.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_places import Places

TEMPLATES = Path(__file__).with_name("gen_corpus_templates.txt")
#: Which tagged sentence groups (i industry, r rural, g general) suit an article's focus place.
MIX = {"village": "gr", "community": "gr", "landmark": "gr", "zone": "gi", "county": "gi", "township": "gir"}
_SLOT = re.compile(r"\{(\w+)\}")
_CJK_NUM = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9])|(?<=[0-9])(?=[\u4e00-\u9fff])")


def read_templates(path: Path = TEMPLATES) -> dict:
    """Sections of the template file (``[name]``, then entries; ``#`` lines are comments)."""
    sec: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            cur = sec.setdefault(line[1:-1], [])
        elif line.strip() and not line.startswith("#"):
            cur.append(line)
    words = {k: " ".join(sec[k]).split() for k in ("phrases", "industries", "produce", "brands", "company")}
    return {
        **sec,
        **words,
        "english": "|".join(sec["english"]).split("|"),
        "surnames": "".join(sec["surnames"]),
        "given": "".join(sec["given"]),
        "heads": {h.split()[0]: tuple(h.split()[1:]) for h in sec["heads"]},
    }


class Writer:
    """Writes one file's articles; every random draw goes through this file's own RNG."""

    def __init__(self, pl: Places, rng: random.Random, queue: list[int], pools: dict, tpl: dict):
        self.pl, self.rng, self.rnd, self.queue, self.pools, self.t = pl, rng, rng.random, queue, pools, tpl
        self.used: set[int] = set()
        self.n_all, self.n_other, self.n_articles, self.last_phr = 0, 0, 0, ""
        o = pl.other
        self.other = [o["township"]] * 10 + [o["county"]] * 6 + [o["city"]] * 3 + [o["province"]]
        fns = {k[2:]: getattr(self, k) for k in dir(self) if k.startswith("s_")}
        fns.update({k: (lambda s=v, r=self.rnd: s[int(r() * len(s))]) for k, v in pools.items()})
        fns.update(
            Y=lambda: str(self.year),
            YP=lambda: str(self.year - 1),
            Y5=lambda: str(self.year + 5),
            IND=lambda: self.pick(tpl["industries"]),
            ENG=lambda: self.pick(tpl["english"]),
            AGR=lambda: self.pick(tpl["produce"]),
            LH=lambda: self.s_L(head=True),
            FC=lambda: self.s_C(1.0),
            PROV=lambda: self.say(pl.home),
            X=lambda: self.say(self.pick(self.pick(self.other))),
        )
        groups, leads = {g: [] for g in "irg"}, {g: [] for g in "irg"}
        for t in tpl["sentences"]:
            tag, t = t.split("|", 1)
            groups[tag].append(self._compile(t, fns))
            if t.startswith(("{F}", "{CO}", "{L}", "在{")):  # reads well after a dateline
                leads[tag].append(groups[tag][-1])
        self.body = {k: [c for g in v for c in groups[g]] for k, v in MIX.items()}
        self.leads = {k: [c for g in v for c in leads[g]] for k, v in MIX.items()}
        self.titles = [self._compile(t, fns) for t in tpl["titles"]]
        self.captions = [self._compile(t, fns) for t in tpl["captions"]]
        self.phr2 = self._compile("{PHR} {PHR}", fns)

    @staticmethod
    def _compile(template: str, fns: dict):
        p = _SLOT.split(template)  # literal, slot, literal, slot, ..., literal
        return p[0], [(fns[p[k]], p[k + 1]) for k in range(1, len(p), 2)]

    @staticmethod
    def fill(compiled) -> str:
        return compiled[0] + "".join([fn() + lit for fn, lit in compiled[1]])

    def pick(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def say(self, i: int, form: int = -1) -> str:
        """A written form of place i (random unless ``form``), counted as one mention."""
        self.used.add(i)
        self.n_all += 1
        self.n_other += 1 - self.pl.is_home[i]
        forms = self.pl.forms[i]
        return forms[form] if form >= 0 else forms[int(self.rnd() * len(forms))]

    # ---- slots: s_NAME fills {NAME}
    def s_F(self) -> str:
        if self.f_seen and self.rnd() < 0.75:
            self.n_all += 1
            return self.f_short
        self.f_seen = True
        return self.say(self.focus)

    def s_FH(self) -> str:
        return self.f_short + self.pick(self.t["heads"][self.pl.kind[self.focus]])

    def _local(self) -> int:
        if self.rnd() < 0.5 and self.sib:
            return self.pick(self.sib)
        return self.queue.pop() if self.queue else self.pick(self.pl.local)

    def s_L(self, head: bool = False) -> str:
        i = self._local()
        return self.say(i) + (self.pick(self.t["heads"][self.pl.kind[i]]) if head else "")

    def s_C(self, same: float = 0.7) -> str:
        c = self.pl.county_of[self.focus]
        return self.say(c if c >= 0 and self.rnd() < same else self.pick(self.pl.counties))

    def s_CITY(self) -> str:
        c = self.pl.city_of[self.focus]
        return self.say(c if c >= 0 and self.rnd() < 0.8 else self.pick(self.pl.cities))

    def s_CC(self) -> str:
        c, t = self.pl.county_of[self.focus], self.pl.city_of[self.focus]
        return self.say(t, 0) + self.say(c, 0) if c >= 0 and t >= 0 else self.s_CITY()

    def s_PHR(self) -> str:
        p = self.pick(self.t["phrases"])
        self.last_phr = p = p if p != self.last_phr else self.pick(self.t["phrases"])
        return p

    def s_N(self) -> str:
        g = self.t["given"]
        return self.pick(self.t["surnames"]) + self.pick(g) + (self.pick(g) if self.rnd() < 0.7 else "")

    def s_CO(self) -> str:
        r, pl, t = self.rnd(), self.pl, self.t
        lead = pl.forms[pl.home][2] if r < 0.3 else pl.short[self.pick(pl.cities)] if r < 0.5 else ""
        return lead + self.pick(t["brands"]) + self.pick(t["industries"])[:2] + self.pick(t["company"])

    def s_MD(self) -> str:
        return f"{1 + int(self.rnd() * 12)}月{1 + int(self.rnd() * 28)}日"

    def s_PER(self) -> str:
        r, m, y = self.rnd(), 2 + int(self.rnd() * 10), self.year
        if r < 0.3:
            return f"{y}年1-{m}月"
        if r < 0.45:
            return f"{y}年1月至{m}月"
        return self.pick(("今年一季度", "今年上半年", "今年前三季度", "去年全年", f"{y - 1}年", "今年以来"))

    # ---- article and file shapes
    def byline(self) -> str:
        n, r = self.s_N, self.rnd()
        if r < 0.25:
            return f"记者 {n()} 通讯员 {n()}"
        if r < 0.35:
            return f"本报记者 {n()} 通讯员 {n()} {n()}"
        names = [n() for _ in range(1 + int(self.rnd() * 3))]
        return " ".join(x[0] + " " + x[1] if len(x) == 2 and self.rnd() < 0.3 else x for x in names)

    def article(self, target: int, layout: str) -> str:
        """One article of about ``target`` characters about one focus place, in its page's layout."""
        pl, rnd = self.pl, self.rnd
        self.focus = (
            self.pick(pl.counties)
            if rnd() < 0.12
            else self.queue.pop()
            if self.queue
            else self.pick(pl.local)
        )
        kind = pl.kind[self.focus]
        self.f_seen, self.f_short = False, pl.short[self.focus]
        self.sib = pl.by_county.get(self.focus if kind == "county" else pl.county_of[self.focus], ())
        self.year = 2019 + int(rnd() * 7)
        self.n_articles += 1
        unit = layout == "news" and rnd() < 0.1  # "国网…供电公司:" above a slogan title, as in the seeds
        title = self.fill(self.phr2 if unit else self.pick(self.titles))
        parts = [f"国网{self.s_CC()}供电公司:", ""] if unit else []
        parts.append(("# " if layout == "md" else "") + title)
        if layout != "mag" or rnd() < 0.3:
            parts += ["", self.byline()]
        size, para, n_para, body = len(title), [], 0, []
        if kind in ("village", "community"):
            target = min(target, 3000)
        if rnd() < 0.6:
            lead = (f"本报讯（记者 {self.s_N()}）" if rnd() < 0.4 else "") + self.s_MD() + "，"
            para.append(lead + self.fill(self.pick(self.leads[kind])))
        while size < target:
            if not body:  # each template once before any repeats
                body = self.body[kind][:]
                self.rng.shuffle(body)
            s = self.fill(body.pop())
            para.append(s)
            size += len(s)
            if rnd() < 0.35 or size >= target:
                text = "".join(para)
                if rnd() < 0.05 and len(text) > 40:  # a photo breaks the paragraph, as on a page
                    k = 10 + int(rnd() * (len(text) - 20))
                    cap = self.fill(self.pick(self.captions))
                    text = f"{text[:k]}\n\n\n\n{cap}\n\n{self.s_N()} 摄\n\n{text[k:]}"
                parts += ["", text]
                para, n_para = [], n_para + 1
                if n_para % 5 == 0 and target - size > 600:
                    sub = self.fill(self.phr2)
                    parts += ["", "## " + sub if layout == "md" else sub]
        return self.magazine(parts) if layout == "mag" else "\n".join(parts)

    @staticmethod
    def magazine(parts: list[str]) -> str:
        """A magazine page extracted from PDF: 36-character lines, blank lines between, ``2020 年``."""
        out = []
        for p in parts:
            if p:
                p = _CJK_NUM.sub(" ", p)
                out += [p[k : k + 36] for k in range(0, len(p), 36)]
        return "\n\n".join(out)

    def document(self, n_bytes: int) -> bytes:
        """Articles in one layout (news page, markdown news page or magazine) up to ~n_bytes of UTF-8."""
        r, rnd = self.rnd(), self.rnd
        layout = "mag" if r < 0.1 else "md" if r < 0.4 else "news"
        chunks = [b"\n\n"]
        if layout == "mag":
            chunks.append(
                f"{1 + int(rnd() * 80):02d}\n\n{2019 + int(rnd() * 7)} \\{1 + int(rnd() * 12):02d} "
                f"NO.{1 + int(rnd() * 24)}\n\n".encode()
            )
        size = 0
        while size < n_bytes:
            room = max(300, (n_bytes - size) // 3)
            target = min(room, int(math.exp(5.7 + rnd() * 3.28)))  # 300..8000 chars, log-uniform
            b = (self.article(target, layout) + "\n\n\n").encode()
            chunks.append(b)
            size += len(b)
        return b"".join(chunks)


_CTX: dict = {}  # shared with forked workers


def _number_pools(rng: random.Random) -> dict:
    amt = [f"{rng.lognormvariate(2.5, 1.3):.2f}".rstrip("0").rstrip(".") or "0.5" for _ in range(4096)]
    return {
        "AMT": amt,
        "PCT": [f"{rng.uniform(0.3, 48):.1f}" for _ in range(1024)],
        "HI": [f"{rng.uniform(55, 99):.1f}" for _ in range(512)],
        "SM": [str(k) for k in range(2, 10)],
        "INT": [str(rng.randint(2, 98)) for _ in range(512)],
        "BIG": [str(int(rng.lognormvariate(6.5, 1.0)) + 100) for _ in range(2048)],
    }


def _write_file(job: tuple) -> tuple:
    """Write file i (size, coverage queue) into the temporary folder; return its counts."""
    (i, n_bytes, queue), c = job, _CTX
    w = Writer(c["places"], random.Random(f"{c['seed']}:{i}"), list(queue), c["pools"], c["tpl"])
    data = w.document(n_bytes)
    (c["tmp"] / f"{i:05d}_news.txt").write_bytes(data)
    return len(data), w.used, w.n_all, w.n_other, w.n_articles


def parse_size(s: str) -> int:
    """``10MB``, ``1GB``, ``500KB`` or bytes; decimal units (1 MB = 10^6 bytes), as in bench/."""
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMG]?)B?\s*", s.upper())
    if not m or float(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"size like 10MB or 1GB, not {s!r}")
    return int(float(m.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)])


def plan(total: int, n_local: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """(index, bytes, coverage places) per file: 20-200 KB files, coverage spread by size."""
    sizes: list[int] = []
    while sum(sizes) < total:
        sizes.append(int(math.exp(rng.uniform(math.log(20e3), math.log(200e3)))))
    sizes[-1] -= sum(sizes) - total
    if len(sizes) > 1 and sizes[-1] < 20e3:
        sizes[-2] += sizes.pop()
    # at most one forced place per 400 bytes, so small corpora stay readable
    return [(i, s, min(s // 400, math.ceil(n_local * s / total) + 1)) for i, s in enumerate(sizes)]


def generate(out: Path, total: int, seed: int = 1, workers: int = 1, places: Places | None = None) -> dict:
    """Write the corpus to ``out`` (replaced atomically) and return its summary."""
    out = out.resolve()
    if out.exists() and any(not f.name.endswith("_news.txt") for f in out.iterdir()):
        raise SystemExit(f"{out} exists and is not a generated corpus: not replacing it")
    t0 = time.perf_counter()
    pl = places or Places()
    t_load = time.perf_counter() - t0
    rng = random.Random(seed)
    deck = pl.local[:]
    rng.shuffle(deck)  # every township, village and zone once, in a seeded order
    jobs, k = [], 0
    for i, s, q in plan(total, len(deck), rng):
        jobs.append((i, s, deck[k : k + q]))
        k += q
    _CTX.update(places=pl, pools=_number_pools(rng), tpl=read_templates(), seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _CTX["tmp"] = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    t1 = time.perf_counter()
    old = out.with_name(tmp.name + ".old")
    try:
        if workers > 1:
            with mp.get_context("fork").Pool(workers) as pool:
                results = list(pool.imap_unordered(_write_file, jobs, chunksize=4))
        else:
            results = [_write_file(j) for j in jobs]
        secs = time.perf_counter() - t1
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        if old.exists() and not out.exists():
            old.rename(out)  # put the previous corpus back
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    used: set[int] = set().union(*(r[1] for r in results))
    n_all, n_other, nbytes, n_art = (sum(r[k] for r in results) for k in (2, 3, 0, 4))
    return {
        "out": str(out),
        "files": len(results),
        "articles": n_art,
        "bytes": nbytes,
        "seconds": secs,
        "load_s": t_load,
        "mb_per_s": nbytes / 1e6 / secs,
        "distinct_places": len(used),
        "home_local_covered": len(used.intersection(pl.local)),
        "home_local_total": len(pl.local),
        "other_share": n_other / max(1, n_all),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder (a previous corpus there is replaced)")
    ap.add_argument("--size", type=parse_size, default=parse_size("100MB"), help="10MB, 1GB (default 100MB)")
    ap.add_argument("--seed", type=int, default=1, help="same seed and size, same bytes (default 1)")
    ap.add_argument("--workers", type=int, default=1, help="processes; the output does not depend on it")
    ap.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    a = ap.parse_args(argv)
    s = generate(a.out, a.size, a.seed, a.workers)
    if a.json:
        print(json.dumps(s))
        return 0
    print(
        f"{s['out']}: {s['files']} files, {s['articles']:,} articles, {s['bytes'] / 1e6:.1f} MB in "
        f"{s['seconds']:.1f} s ({s['mb_per_s']:.1f} MB/s; gazetteer load {s['load_s']:.1f} s)\n"
        f"distinct places used: {s['distinct_places']:,}; home townships/villages/zones covered: "
        f"{s['home_local_covered']:,}/{s['home_local_total']:,}; "
        f"other provinces' share of mentions: {s['other_share']:.1%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
