"""Generate a benchmark corpus that reads like regional news, at any size, reproducibly.

    .venv/bin/python bench/gen_corpus.py --out /tmp/bench-100m --size 100MB --seed 1

Article shapes (headline, byline, dateline, paragraphs, sub-headings, photo captions, magazine
pages) and sentence templates follow the seeds; place names, numbers, dates and people are drawn
from the gazetteer and random tables. Every home-province township, village and zone is written at
least once as soon as the corpus is large enough (~12 MB); other provinces take ~20 % of mentions.
Same arguments and gazetteer give byte-identical output (each file has its own seeded RNG, so
``--workers`` does not change the output). Written to a temporary folder, then renamed.
"""
from __future__ import annotations

import argparse
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

TEMPLATES = Path(__file__).with_name("gen_corpus_templates.txt")
ENGLISH = ("AI", "5G", "GDP", "ESG", "PACK", "TOD", "IoT", "AIGC", "SaaS", "PreMed 5200", "MES", "ERP",
           "LNG", "R&D", "CBD", "OpenKS", "BIM", "EPC", "AI Agent", "Wi-Fi 7")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤")
GIVEN = ("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红建国文斌宇浩凯晨欣怡佳琪涵睿博轩雨婷雪梅"
         "海波鑫鹏飞志晓燕丹蕾倩言骏垚烁瑶彤嘉懿航晶舒悦萱鸣骁")
BRANDS = "华正 谱育 湖纳 清能 万托 衍视 敏华 博尔 镁伽 时空 天能 中宁 宏达 恒信 永盛 鼎力 瑞丰 新和 兴业 创源".split()
CO_KIND = ("科技有限公司", "股份有限公司", "集团有限公司", "有限公司", "技术有限公司", "科技股份有限公司")
HEADS = {"village": ("党支部书记", "村委会主任", "党总支书记", "村党委书记"), "community": ("党委书记", "居委会主任", "党总支书记"),
         "township": ("党委书记", "主要负责人", "党工委书记"), "zone": ("管委会主任", "管委会相关负责人", "党工委书记"),
         "county": ("主要负责人", "相关负责人"), "landmark": ("景区负责人",)}
_SLOT = re.compile(r"\{(\w+)\}")
_CJK_NUM = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9])|(?<=[0-9])(?=[\u4e00-\u9fff])")


def read_templates(path: Path = TEMPLATES) -> dict[str, list[str]]:
    """Sections of the template file: ``[name]`` then one entry a line; ``#`` lines are comments."""
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            sec = out.setdefault(line[1:-1], [])
        elif line.strip() and not line.startswith("#"):
            sec.append(line)
    out["phrases"] = " ".join(out["phrases"]).split()
    out["industries"] = " ".join(out["industries"]).split()
    return out


def _j(*parts) -> str:
    return "".join(p for p in parts if isinstance(p, str))


class Places:
    """Place tables drawn once from the gazetteer: written forms per place and the draw pools."""

    def __init__(self, settings=None):
        from geo.gazetteer import load_gazetteer
        from geo.settings import load_settings
        settings = settings or load_settings()
        gaz = load_gazetteer(settings)
        home = settings.home_province
        pl = gaz.places.sort_values("place_id", kind="stable")
        nm = gaz.names.sort_values(["place_id", "name"], kind="stable")
        short = dict(nm[nm.name_type == "short"].groupby("place_id")["name"].first())
        alias = dict(nm[nm.name_type == "alias"].groupby("place_id")["name"].first())
        # forms: written forms of a place (repeats weight the draw); short: its repeated form
        self.forms: list[tuple[str, ...]] = []
        self.short, self.kind, self.city_of, self.county_of = [], [], [], []
        self.local, self.counties, self.cities = [], [], []   # home-province draw pools
        idx: dict[str, int] = {}
        self.other: dict[str, list[int]] = {"province": [], "city": [], "county": [], "township": []}
        self.by_county: dict[int, list[int]] = {}
        rows = pl[["place_id", "name", "level", "province", "city", "county", "township",
                   "province_id", "city_id", "county_id"]].itertuples(index=False)
        for pid, n, lv, pv, ct, co, tw, pv_id, ct_id, co_id in rows:
            is_home = pv == home
            ps, cts, cos = short.get(pv_id, pv), short.get(ct_id, ct), short.get(co_id, co)
            kind = "community" if lv == "village" and n.endswith("社区") else lv
            if lv == "province":
                f = (n, n, short.get(pid, n))
            elif lv == "city":
                f = (n, n, short.get(pid, n)) if is_home else (_j(pv, n), n, n, short.get(pid, n))
            elif lv == "county":
                s = short.get(pid, n)
                f = (n, n, n, s, _j(ct, n), s) if is_home else (_j(pv, ct, n), _j(ct, n), n, n, s, _j(ps, n))
            elif lv == "township":
                f = ((_j(co, n), _j(co, n), n, n, n, _j(ct, co, n), _j(cos, n)) if is_home else
                     (_j(pv, ct, co, n), _j(ct, co, n), _j(co, n), _j(co, n), _j(ps, co, n)))
            elif lv == "village":
                f = (_j(co, tw, n), _j(co, tw, n), _j(tw, n), _j(tw, n), _j(tw, n), n, _j(ct, co, tw, n),
                     _j(cos, tw, n))
            else:
                f = (n, n, n, alias.get(pid, n), _j(cts, n))
            if lv in ("zone", "landmark") and not is_home:
                kind, lv = "township", "township"
            i = len(self.forms)
            idx[pid] = i
            self.forms.append(f)
            self.short.append(short.get(pid, n) if lv in ("county", "city") else n)
            self.kind.append(kind)
            self.city_of.append(idx.get(ct_id, -1) if isinstance(ct_id, str) else -1)
            self.county_of.append(idx.get(co_id, -1) if isinstance(co_id, str) else -1)
            if not is_home:
                self.other[lv].append(i)
            elif lv in ("township", "village", "zone", "landmark"):
                self.local.append(i)
                self.by_county.setdefault(self.county_of[i], []).append(i)
            elif lv == "county":
                self.counties.append(i)
            elif lv == "city":
                self.cities.append(i)
            elif lv == "province":
                self.home = i
        self.is_home = bytearray(len(self.forms))
        for i in self.local + self.counties + self.cities + [self.home]:
            self.is_home[i] = 1


class Writer:
    """Writes one file's articles; every random draw goes through this file's own RNG."""

    def __init__(self, pl: Places, rng: random.Random, queue: list[int], pools: dict, tpl: dict):
        self.pl, self.rnd, self.queue, self.pools = pl, rng.random, queue, pools
        self.used: set[int] = set()
        self.n_home = self.n_other = 0
        self.last_phr = ""
        o = pl.other
        self.other = [o["township"]] * 10 + [o["county"]] * 6 + [o["city"]] * 3 + [o["province"]]
        fns = {k[2:]: getattr(self, k) for k in dir(self) if k.startswith("s_")}
        fns.update({k: (lambda seq=v: self.pick(seq)) for k, v in pools.items()})
        fns.update(Y=lambda: str(self.year), YP=lambda: str(self.year - 1), Y5=lambda: str(self.year + 5))
        groups: dict[str, list] = {"i": [], "r": [], "g": []}
        leads: dict[str, list] = {"i": [], "r": [], "g": []}
        for t in tpl["sentences"]:
            tag, t = t.split("|", 1)
            groups[tag].append(self._compile(t, fns))
            if t.startswith(("{F}", "{CO}", "{L}", "在{")):
                leads[tag].append(groups[tag][-1])
        mix = {"village": "gr", "community": "gr", "landmark": "gr", "zone": "gi", "county": "gi", "township": "gir"}
        self.body = {k: [c for g in v for c in groups[g]] for k, v in mix.items()}
        self.leads = {k: [c for g in v for c in leads[g]] for k, v in mix.items()}
        self.titles = [self._compile(t, fns) for t in tpl["titles"]]
        self.captions = [self._compile(t, fns) for t in tpl["captions"]]
        self.phr2 = self._compile("{PHR} {PHR}", fns)

    @staticmethod
    def _compile(template: str, fns: dict):
        parts = _SLOT.split(template)
        return parts[0], [(fns[parts[k]], parts[k + 1]) for k in range(1, len(parts), 2)]

    def fill(self, compiled) -> str:
        head, rest = compiled
        out = [head]
        for fn, lit in rest:
            out.append(fn())
            out.append(lit)
        return "".join(out)

    def pick(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def say(self, i: int, form: int = -1) -> str:
        """A written form of place i (random unless ``form``), counted as one mention."""
        self.used.add(i)
        if self.pl.is_home[i]:
            self.n_home += 1
        else:
            self.n_other += 1
        forms = self.pl.forms[i]
        return forms[form] if form >= 0 else forms[int(self.rnd() * len(forms))]

    # ---- slots (s_NAME fills {NAME})
    def s_F(self) -> str:
        if self.f_seen and self.rnd() < 0.75:
            self.n_home += 1
            return self.f_short
        self.f_seen = True
        return self.say(self.focus)

    def s_FH(self) -> str:
        return self.f_short + self.pick(HEADS[self.pl.kind[self.focus]])

    def _local(self) -> int:
        if self.rnd() < 0.5 and self.sib:
            return self.pick(self.sib)
        return self.queue.pop() if self.queue else self.pick(self.pl.local)

    def s_L(self) -> str:
        return self.say(self._local())

    def s_LH(self) -> str:
        i = self._local()
        return self.say(i) + self.pick(HEADS[self.pl.kind[i]])

    def s_C(self) -> str:
        c = self.pl.county_of[self.focus]
        return self.say(c if c >= 0 and self.rnd() < 0.5 else self.pick(self.pl.counties))

    def s_CITY(self) -> str:
        c = self.pl.city_of[self.focus]
        return self.say(c if c >= 0 and self.rnd() < 0.6 else self.pick(self.pl.cities))

    def s_CC(self) -> str:
        c, t = self.pl.county_of[self.focus], self.pl.city_of[self.focus]
        if c < 0 or t < 0:
            return self.s_CITY()
        return self.say(t, 0) + self.say(c, 0)

    def s_PROV(self) -> str:
        return self.say(self.pl.home)

    def s_X(self) -> str:
        return self.say(self.pick(self.pick(self.other)))

    def s_PHR(self) -> str:
        p = self.pick(self.pools["PHRASES"])
        if p == self.last_phr:
            p = self.pick(self.pools["PHRASES"])
        self.last_phr = p
        return p

    def s_N(self) -> str:
        g = self.pick(GIVEN) + (self.pick(GIVEN) if self.rnd() < 0.7 else "")
        return self.pick(SURNAMES) + g

    def s_CO(self) -> str:
        r = self.rnd()
        lead = (self.pl.forms[self.pl.home][2] if r < 0.3 else self.pl.short[self.pick(self.pl.cities)]
                if r < 0.5 else "")
        return lead + self.pick(BRANDS) + self.pick(self.pools["IND"])[:2] + self.pick(CO_KIND)

    def s_MD(self) -> str:
        return f"{1 + int(self.rnd() * 12)}月{1 + int(self.rnd() * 28)}日"

    def s_PER(self) -> str:
        r, m = self.rnd(), 2 + int(self.rnd() * 10)
        if r < 0.3:
            return f"{self.year}年1-{m}月"
        if r < 0.45:
            return f"{self.year}年1月至{m}月"
        return self.pick(("今年一季度", "今年上半年", "今年前三季度", "去年全年", f"{self.year - 1}年", "今年以来"))

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
        """One article of about ``target`` characters in the layout of its page."""
        pl, rnd, r = self.pl, self.rnd, self.rnd()
        self.focus = self.pick(pl.counties) if r < 0.12 else self.queue.pop() if self.queue else self.pick(pl.local)
        self.f_seen, self.f_short = False, pl.short[self.focus]
        c = pl.county_of[self.focus]
        self.sib = pl.by_county.get(self.focus if pl.kind[self.focus] == "county" else c, ())
        self.year = 2019 + int(rnd() * 7)
        title = self.fill(self.pick(self.titles))
        head = ("# " + title) if layout == "md" else title
        parts = [head, "", self.byline()] if layout != "mag" or rnd() < 0.3 else [head]
        if layout == "news" and rnd() < 0.15:
            parts.insert(0, "国网" + self.s_CC() + "供电公司:")
        size, para, n_para = len(title), [], 0
        body = self.body[pl.kind[self.focus]]
        if rnd() < 0.6:
            lead = (f"本报讯（记者 {self.s_N()}）" if rnd() < 0.4 else "") + self.s_MD() + "，"
            para.append(lead + self.fill(self.pick(self.leads[pl.kind[self.focus]])))
        while size < target:
            s = self.fill(self.pick(body))
            para.append(s)
            size += len(s)
            if rnd() < 0.35 or size >= target:
                text = "".join(para)
                if rnd() < 0.05 and len(text) > 40:
                    k = 10 + int(rnd() * (len(text) - 20))
                    cap = self.fill(self.pick(self.captions))
                    text = f"{text[:k]}\n\n\n\n{cap}\n\n{self.s_N()} 摄\n\n{text[k:]}"
                parts += ["", text]
                para, n_para = [], n_para + 1
                if n_para % 5 == 0 and target - size > 600:
                    sub = self.fill(self.phr2)
                    parts += ["", "## " + sub if layout == "md" else sub]
        if layout == "mag":
            return self.magazine(parts)
        return "\n".join(parts)

    def magazine(self, parts: list[str]) -> str:
        """PDF-extracted magazine page: short lines, blank lines between, spaced numbers."""
        out = []
        for p in parts:
            if p:
                p = _CJK_NUM.sub(" ", p)
                out += [p[k:k + 36] for k in range(0, len(p), 36)]
        return "\n\n".join(out)

    def document(self, n_bytes: int) -> bytes:
        """Articles of several layouts until about n_bytes of UTF-8."""
        r = self.rnd()
        layout = "mag" if r < 0.1 else "md" if r < 0.4 else "news"
        chunks = [b"\n\n"]
        if layout == "mag":
            chunks.append(f"{1 + int(self.rnd() * 80):02d}\n\n{2019 + int(self.rnd() * 7)} \\"
                          f"{1 + int(self.rnd() * 12):02d} NO.{1 + int(self.rnd() * 24)}\n\n".encode())
        size = 0
        while size < n_bytes:
            room = max(300, (n_bytes - size) // 3)
            target = min(room, int(math.exp(5.7 + self.rnd() * 3.28)))  # 300..8000 chars, log-uniform
            b = (self.article(target, layout) + "\n\n\n").encode()
            chunks.append(b)
            size += len(b)
        return b"".join(chunks)


_CTX: dict = {}


def _number_pools(rng: random.Random) -> dict:
    amt = [f"{rng.lognormvariate(2.5, 1.3):.2f}".rstrip("0").rstrip(".") or "0.5" for _ in range(4096)]
    return {"AMT": amt, "PCT": [f"{rng.uniform(0.3, 48):.1f}" for _ in range(1024)],
            "INT": [str(rng.randint(2, 98)) for _ in range(512)],
            "BIG": [str(int(rng.lognormvariate(6.5, 1.0)) + 100) for _ in range(2048)],
            "SM": [str(rng.randint(2, 9)) for _ in range(64)],
            "HI": [f"{rng.uniform(55, 99):.1f}" for _ in range(512)], "ENG": ENGLISH}


def _write_file(job: tuple) -> tuple:
    """Write file i (size, coverage queue) into the temporary folder; return its counts."""
    i, n_bytes, queue = job
    c = _CTX
    w = Writer(c["places"], random.Random(f"{c['seed']}:{i}"), list(queue), c["pools"], c["tpl"])
    data = w.document(n_bytes)
    (c["tmp"] / f"{i:05d}_news.txt").write_bytes(data)
    return len(data), w.used, w.n_home, w.n_other


def parse_size(s: str) -> int:
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMG]?)B?\s*", s.upper())
    if not m:
        raise argparse.ArgumentTypeError(f"size like 10MB or 1GB, not {s!r}")
    return int(float(m.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)])


def plan(total: int, n_local: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """(index, bytes, number of coverage places) per file: 20-200 KB files, coverage spread by size."""
    sizes: list[int] = []
    total = max(total, 1)
    while sum(sizes) < total:
        sizes.append(int(math.exp(rng.uniform(math.log(20e3), math.log(200e3)))))
    sizes[-1] -= sum(sizes) - total
    if len(sizes) > 1 and sizes[-1] < 20e3:
        sizes[-2] += sizes.pop()
    return [(i, s, min(s // 400, math.ceil(n_local * s / total) + 1)) for i, s in enumerate(sizes)]


def generate(out: Path, total: int, seed: int, workers: int = 1, places: Places | None = None) -> dict:
    """Write the corpus to ``out`` (replaced atomically) and return its summary."""
    t0 = time.perf_counter()
    pl = places or Places()
    t_load = time.perf_counter() - t0
    rng = random.Random(seed)
    deck = pl.local[:]
    rng.shuffle(deck)
    tpl = read_templates()
    pools = _number_pools(rng)
    pools.update(IND=tpl["industries"], PHRASES=tpl["phrases"])
    jobs, k = [], 0
    for i, s, q in plan(total, len(deck), rng):
        jobs.append((i, s, deck[k:k + q]))
        k += q
    out = out.resolve()
    if out.exists() and any(not f.name.endswith("_news.txt") for f in out.iterdir()):
        raise SystemExit(f"{out} exists and is not a generated corpus: not replacing it")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    _CTX.update(places=pl, pools=pools, tpl=tpl, seed=seed, tmp=tmp)
    t1 = time.perf_counter()
    try:
        if workers > 1:
            with mp.get_context("fork").Pool(workers) as pool:
                results = list(pool.imap_unordered(_write_file, jobs, chunksize=4))
        else:
            results = [_write_file(j) for j in jobs]
        old = out.with_name(tmp.name + ".old")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    secs = time.perf_counter() - t1
    used: set[int] = set().union(*(r[1] for r in results))
    n_home, n_other = sum(r[2] for r in results), sum(r[3] for r in results)
    nbytes = sum(r[0] for r in results)
    return {"out": str(out), "files": len(results), "bytes": nbytes, "seconds": secs, "load_s": t_load,
            "mb_per_s": nbytes / 1e6 / secs, "distinct_places": len(used),
            "home_local_covered": len(used.intersection(pl.local)), "home_local_total": len(pl.local),
            "other_share": n_other / max(1, n_home + n_other)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="output folder (replaced if it exists)")
    ap.add_argument("--size", type=parse_size, default=parse_size("100MB"), help="e.g. 10MB, 1GB")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="processes (the output does not depend on it)")
    a = ap.parse_args(argv)
    s = generate(a.out, a.size, a.seed, a.workers)
    print(f"{s['out']}: {s['files']} files, {s['bytes'] / 1e6:.1f} MB in {s['seconds']:.1f} s "
          f"({s['mb_per_s']:.1f} MB/s; gazetteer load {s['load_s']:.1f} s)\n"
          f"distinct places used: {s['distinct_places']:,}; home townships/villages/zones covered: "
          f"{s['home_local_covered']:,}/{s['home_local_total']:,}; "
          f"other provinces' share of mentions: {s['other_share']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
