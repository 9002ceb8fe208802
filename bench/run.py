"""Every benchmark in one command; writes bench/REPORT.md with the machine's description.

    .venv/bin/python bench/run.py              # full run (~10-15 min on 2 busy cores)
    .venv/bin/python bench/run.py --quick      # smoke run (~2 min): small corpora, one app run
    .venv/bin/python bench/run.py --gb 1       # also the 1 GB corpus, if the 100 MB run says it
                                               # will take < --gb-limit-s (else the extrapolation)
    .venv/bin/python bench/run.py --profile 20 # also profile extract on 20 MB (results/profile.*)

Steps (each measurement in its own process; raw figures in bench/results/run.json):
extract throughput beside the bare Aho-Corasick scan and the peers (bench_extract.py), scaling
over corpus sizes at 1 and all workers, gazetteer cold build / warm load (bench_gazetteer.py),
layers + GeoJSON export on the largest corpus, the app in headless Chromium (bench_app.py: on the
seeds and on a synthetic corpus of 10,000 distinct places; skipped when Chromium is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import bench_extract as bx  # noqa: E402
import report  # noqa: E402


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in (
        "pyahocorasick",
        "pandas",
        "numpy",
        "pyarrow",
        "geopandas",
        "jionlp",
        "cpca",
        "streamlit",
        "playwright",
        "pyinstrument",
    ):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


def _chromium() -> str | None:
    exe = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
    if not (Path(exe).exists() or shutil.which(exe)):
        return None
    try:
        r = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        return r.stdout.strip() or exe
    except (OSError, subprocess.SubprocessError):
        return None


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return head + (" (uncommitted changes in the tree)" if dirty else "")
    except OSError:
        return "?"


def machine() -> dict:
    return {
        "description": bx.machine(),
        "loadavg_start": os.getloadavg(),
        "git": _git(),
        "versions": _versions(),
        "chromium": _chromium(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


# ------------------------------------------------------------------ steps
def run_extract(raw: dict, tmp: Path, args) -> None:
    main_dir = tmp / "main"
    size, files = bx.make_corpus(main_dir, args.mb)
    raw["main_corpus"] = {"mb": size / 1e6, "files": files}
    log(f"extract on {size / 1e6:.0f} MB (1 core)")
    raw["extract"] = bx.measure("extract", main_dir, 1, timeout=args.timeout)
    log("bare Aho-Corasick scan on the same corpus")
    raw["scan"] = bx.measure("scan", main_dir, 1, timeout=args.timeout)
    shutil.rmtree(main_dir, ignore_errors=True)
    peer_dir = tmp / "peer"
    bx.make_corpus(peer_dir, args.peer_kb / 1000)
    log(f"peers on a {args.peer_kb:g} KB sample: extract, JioNLP, cpca")
    raw["extract_sample"] = bx.measure("extract", peer_dir, 1, timeout=args.timeout)
    raw["jionlp"] = bx.measure("jionlp", peer_dir, 1, timeout=args.timeout)
    raw["cpca"] = bx.measure("cpca", peer_dir, 1, timeout=args.timeout)
    shutil.rmtree(peer_dir, ignore_errors=True)


def run_scaling(raw: dict, tmp: Path, args) -> None:
    raw["scaling"] = []
    sizes = [float(s) for s in args.sizes.split(",") if s]
    for i, mb in enumerate(sizes):
        d = tmp / f"scale{mb:g}"
        size, _ = bx.make_corpus(d, mb)
        for w in sorted({1, args.workers}):
            last = i == len(sizes) - 1 and w == args.workers
            log(f"scaling: {mb:g} MB on {w} worker(s){' + layers/export' if last else ''}")
            r = bx.measure("extract", d, w, layers=last, timeout=args.timeout)
            if r:
                raw["scaling"].append({"mb": size / 1e6, **r})
        shutil.rmtree(d, ignore_errors=True)
    if args.gb:
        run_gb(raw, tmp, args)


def run_gb(raw: dict, tmp: Path, args) -> None:
    est = report.gb_estimate(raw, args.gb, args.workers)
    raw["gb_estimate"] = est
    if est is None:
        log("no scaling figure to extrapolate from: 1 GB run skipped")
        return
    if est["seconds"] > args.gb_limit_s and not args.force_gb:
        log(
            f"{args.gb:g} GB would take ~{est['seconds'] / 60:.0f} min (> {args.gb_limit_s / 60:.0f}): skipped"
        )
        return
    d = tmp / "gb"
    log(f"building the {args.gb:g} GB corpus")
    size, _ = bx.make_corpus(d, args.gb * 1000)
    log(f"extract on {size / 1e9:.2f} GB, {args.workers} workers, + layers/export")
    r = bx.measure("extract", d, args.workers, layers=True, timeout=max(args.timeout, 3 * est["seconds"]))
    if r:
        raw["scaling"].append({"mb": size / 1e6, **r})
    shutil.rmtree(d, ignore_errors=True)


def run_gazetteer(raw: dict, args) -> None:
    log(f"gazetteer: cold build and warm load, best of {args.gaz_runs}")
    r = subprocess.run(
        [sys.executable, str(BENCH / "bench_gazetteer.py"), "--runs", str(args.gaz_runs)],
        capture_output=True,
        text=True,
        timeout=args.timeout,
    )
    out = {}
    for line in r.stdout.splitlines():  # "cold: best of 3: {json}"
        mode, _, rest = line.partition(": best of ")
        if rest:
            out[mode] = json.loads(rest.split(": ", 1)[1])
    raw["gazetteer"] = out or {"error": (r.stderr.strip().splitlines() or ["no output"])[-1]}


def synthetic_places_corpus(dest: Path, target: int = 10_000) -> int:
    """A corpus naming ``target`` distinct places: one article per Zhejiang township, each naming
    its villages with their full chain (杭州市萧山区河上镇东山村), so each resolves unambiguously.
    Townships are taken round-robin over the counties, so every county of the map has articles.
    Returns the number of distinct places written (checked by extraction in the app run)."""
    from geo.gazetteer.store import load_gazetteer

    p = load_gazetteer().places
    zj = p[p["province"] == "浙江省"]
    villages = zj[zj["level"] == "village"].sort_values("place_id")
    towns = {}
    for key, g in villages.groupby(["city", "county", "township"], sort=True):
        towns.setdefault(key[:2], []).append((key, list(g["name"])))
    rounds = [
        t
        for i in range(max(map(len, towns.values())))
        for ts in towns.values()
        if i < len(ts)
        for t in [ts[i]]
    ]
    dest.mkdir(parents=True, exist_ok=True)
    n, articles = 0, []
    for (city, county, town), names in rounds:
        if n >= target:
            break
        lines = [f"# {county}{town}村村行", "", f"本报讯 记者近日走访了{city}{county}{town}。"]
        lines += [f"{city}{county}{town}{v}的乡村振兴项目进展顺利。" for v in names]
        articles.append("\n".join(lines))
        n += 1 + len(names)
    for i in range(0, len(articles), 50):
        (dest / f"synthetic_{i // 50:03d}.md").write_text(
            "\n\n".join(articles[i : i + 50]) + "\n", encoding="utf-8"
        )
    return n


def run_app(raw: dict, tmp: Path, args) -> None:
    script = BENCH / "bench_app.py"
    if not script.exists():
        raw["app"] = {"skipped": "bench/bench_app.py not present"}
        return
    if not raw["machine"]["chromium"]:
        raw["app"] = {"skipped": "Chromium not found (/usr/bin/chromium or $ATLAS_CHROMIUM)"}
        return
    corpora = {"seeds": None}
    if not args.quick:
        syn = tmp / "places10k"
        corpora["10,000 places"] = syn
        raw["synthetic_places_written"] = synthetic_places_corpus(syn)
    raw["app"] = {}
    for label, corpus in corpora.items():
        log(f"app in headless Chromium on {label}")
        env = {**os.environ, **({"ATLAS_CORPUS": str(corpus)} if corpus else {})}
        try:
            r = subprocess.run(
                [sys.executable, str(script), "--runs", str(args.app_runs)],
                env=env,
                capture_output=True,
                text=True,
                timeout=args.timeout,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired:
            raw["app"][label] = {"error": f"timed out after {args.timeout:.0f} s"}
            continue
        res = RESULTS / "app.json"
        if r.returncode == 0 and res.exists():
            raw["app"][label] = json.loads(res.read_text(encoding="utf-8"))
            res.rename(RESULTS / f"app-{'seeds' if corpus is None else 'places10k'}.json")
        else:
            out = [ln.strip() for ln in (r.stderr.strip() or r.stdout.strip()).splitlines() if ln.strip()]
            errors = [ln for ln in out if "Error" in ln] or out[-1:]
            raw["app"][label] = {
                "error": errors[-1] if errors else f"exit {r.returncode}",
                **_navigation_only(env, args),
            }
    if corpora.get("10,000 places"):
        raw["synthetic_places_found"] = _distinct_places(corpora["10,000 places"])


NAVIGATION_ONLY = r"""
import json, statistics, sys
sys.path.insert(0, sys.argv[1])
import bench_app as ba
from playwright.sync_api import sync_playwright
with ba.harness.running_app() as url, sync_playwright() as p:
    browser = ba.harness.launch_chromium(p)
    navs = [ba.navigate(browser, url, timeout_ms=600_000 if i == 0 else 60_000) for i in range(int(sys.argv[2]) + 1)]
    print(json.dumps({"cold_first_shape_s": navs[0]["first_s"],
                      "warm_first_shape_s": statistics.median(n["first_s"] for n in navs[1:]),
                      "warm_all_90_shapes_s": statistics.median(n["all_s"] for n in navs[1:]),
                      "websocket_first_page_kb": navs[-1]["ws_bytes"] / 1024,
                      "layers_js_kb": navs[-1]["layers_js_chars"] / 1024}))
    browser.close()
"""


def _navigation_only(env: dict, args) -> dict:
    """When bench_app fails (e.g. at a click), still measure navigation → first shape with its
    own functions, so the first-paint target gets a figure."""
    log("  bench_app failed; measuring navigation only")
    try:
        r = subprocess.run(
            [sys.executable, "-c", NAVIGATION_ONLY, str(BENCH), str(args.app_runs)],
            env=env,
            capture_output=True,
            text=True,
            timeout=args.timeout,
            cwd=ROOT,
        )
        return {"navigation_only": True, **json.loads(r.stdout.strip().splitlines()[-1])}
    except (subprocess.SubprocessError, ValueError, IndexError):
        return {}


def _distinct_places(corpus: Path) -> int | None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]); from pathlib import Path;"
        "from geo.pipeline import extract_corpus; x = extract_corpus([Path(sys.argv[1])]);"
        "print(x.mentions['place_id'].nunique())"
    )
    r = subprocess.run([sys.executable, "-c", code, str(corpus), str(ROOT)], capture_output=True, text=True)
    try:
        return int(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def run_profile(raw: dict, tmp: Path, args) -> None:
    d = tmp / "profile"
    bx.make_corpus(d, args.profile)
    log(f"profiling extract on {args.profile:g} MB (cProfile stages, pyinstrument tree)")
    r = subprocess.run(
        [sys.executable, str(BENCH / "profile_extract.py"), str(d), str(RESULTS)],
        capture_output=True,
        text=True,
        timeout=args.timeout,
    )
    try:
        raw["profile"] = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raw["profile"] = {"error": (r.stderr.strip().splitlines() or ["no output"])[-1]}
    shutil.rmtree(d, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small corpora (5 MB, scaling 1,10 MB), one app run")
    ap.add_argument("--mb", type=float, help="main throughput corpus in MB (default 50; quick 5)")
    ap.add_argument("--sizes", help="scaling sizes in MB (default 1,10,100; quick 1,10)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--peer-kb", type=float, help="sample for the peers in KB (default 200; quick 50)")
    ap.add_argument("--gb", type=float, default=0, help="also run a corpus of this many GB (opt-in)")
    ap.add_argument(
        "--gb-limit-s",
        type=float,
        default=600,
        help="run the GB corpus only if the largest scaling run extrapolates below this",
    )
    ap.add_argument("--force-gb", action="store_true", help="run the GB corpus whatever the estimate")
    ap.add_argument("--profile", type=float, default=0, help="also profile extract on this many MB")
    ap.add_argument("--skip", default="", help="comma-separated steps to skip: extract,scaling,gazetteer,app")
    ap.add_argument("--timeout", type=float, default=1800, help="per measurement, seconds")
    ap.add_argument(
        "--merge",
        action="store_true",
        help="keep the figures of bench/results/run.json for the steps skipped now",
    )
    ap.add_argument("--out", type=Path, default=BENCH / "REPORT.md")
    args = ap.parse_args(argv)
    args.mb = args.mb or (5 if args.quick else 50)
    args.sizes = args.sizes or ("1,10" if args.quick else "1,10,100")
    args.peer_kb = args.peer_kb or (50 if args.quick else 200)
    args.gaz_runs = 1 if args.quick else 3
    args.app_runs = 2 if args.quick else 5
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    RESULTS.mkdir(parents=True, exist_ok=True)
    args_now = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    previous = RESULTS / "run.json"
    if args.merge and previous.exists():
        raw = json.loads(previous.read_text(encoding="utf-8"))
        raw.setdefault("reruns", []).append(
            {"date": time.strftime("%Y-%m-%d %H:%M"), "skip": sorted(skip), "loadavg_start": os.getloadavg()}
        )
    else:
        raw = {"machine": machine(), "args": args_now}
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    try:
        steps = [("extract", run_extract), ("scaling", run_scaling)]
        for name, step in steps:
            if name not in skip:
                step(raw, tmp, args)
        if "gazetteer" not in skip:
            run_gazetteer(raw, args)
        if args.profile:
            run_profile(raw, tmp, args)
        if "app" not in skip:
            run_app(raw, tmp, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if raw.get("reruns"):
            raw["reruns"][-1]["loadavg_end"] = os.getloadavg()
            raw["reruns"][-1]["wall_s"] = time.perf_counter() - t0
        else:
            raw["machine"]["loadavg_end"] = os.getloadavg()
            raw["wall_s"] = time.perf_counter() - t0
        (RESULTS / "run.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False), encoding="utf-8")
    text = report.render(raw)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.out} and {RESULTS / 'run.json'} in {raw['wall_s'] / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
