"""bench/REPORT.md from the raw figures of bench/run.py (bench/results/run.json).

.venv/bin/python bench/report.py [bench/results/run.json]   # re-render without re-running
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TARGET_GB_S = 600
TARGET_GB_MB = 2000


def _seed_ratio() -> float:
    seeds = sorted((BENCH.parent / "seeds").glob("*.txt"))
    data = b"".join(p.read_bytes() for p in seeds)
    return len(data.decode("utf-8")) / len(data)


def gb_estimate(raw: dict, gb: float, workers: int) -> dict | None:
    """Time and memory of a ``gb`` GB corpus on ``workers``, extrapolated linearly from the two
    largest scaling runs with that many workers (time from the largest alone)."""
    rows = sorted(
        (r for r in raw.get("scaling", []) if r["workers"] == workers and r["mb"] < 900),
        key=lambda r: r["mb"],
    )
    if not rows:
        return None
    big = rows[-1]
    chars = gb * 1e9 * _seed_ratio()
    est = {"from_mb": big["mb"], "chars": chars, "seconds": big["seconds"] * chars / big["chars"]}
    if big.get("cpu_s"):  # the same work if the run had had all its cores (a shared machine)
        est["seconds_full_cores"] = big["cpu_s"] / workers * chars / big["chars"]
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        slope = (b["peak_pss_mb"] - a["peak_pss_mb"]) / (b["mb"] - a["mb"])
        est["peak_pss_mb"] = b["peak_pss_mb"] + slope * (gb * 1000 - b["mb"])
    return est


def _f(v, fmt="{:.2f}", none="—"):
    return none if v is None else fmt.format(v)


def _status(ok: bool | None, estimated: bool = False) -> str:
    if ok is None:
        return "not measured"
    word = "met" if ok else "**missed**"
    return f"{word} (extrapolated)" if estimated else word


def _targets(raw: dict) -> list[str]:
    ex, sc, sm, jio = (raw.get(k) for k in ("extract", "scan", "extract_sample", "jionlp"))
    lines = ["| target | measured | status |", "|---|---|---|"]
    if ex:
        v = ex["chars_per_s"] / 1e6
        lines.append(
            f"| extract ≥ 2 M chars/s per core | {v:.2f} M chars/s (1 core, "
            f"{raw['main_corpus']['mb']:.0f} MB; {_per_cpu(ex)} M per CPU-second) | {_status(v >= 2)} |"
        )
    if ex and sc:
        r = ex["chars_per_s"] / sc["chars_per_s"]
        lines.append(
            f"| extract ≥ 30 % of the bare scan | {r:.0%} (scan {sc['chars_per_s'] / 1e6:.2f} M chars/s) "
            f"| {_status(r >= 0.30)} |"
        )
    if sm and jio:
        r = sm["chars_per_s"] / jio["chars_per_s"]
        lines.append(f"| extract ≥ 50× JioNLP | {r:.0f}× | {_status(r >= 50)} |")
    gb = [r for r in raw.get("scaling", []) if r["mb"] >= 900]
    args = raw.get("args", {})
    est = gb_estimate(raw, args.get("gb") or 1, args.get("workers", 2))
    if gb:
        g = gb[-1]
        lines.append(
            f"| 1 GB on 2 cores < 10 min | {g['seconds'] / 60:.1f} min ({g['mb'] / 1000:.2f} GB, "
            f"{g['workers']} workers) | {_status(g['seconds'] < TARGET_GB_S)} |"
        )
        lines.append(
            f"| 1 GB peak memory < 2 GB | {g['peak_pss_mb']:.0f} MB PSS ({g['peak_rss_mb']:.0f} MB RSS summed) "
            f"| {_status(g['peak_pss_mb'] < TARGET_GB_MB)} |"
        )
    elif est:
        cpu = (
            f"; ~{est['seconds_full_cores'] / 60:.1f} min with the cores to itself"
            if "seconds_full_cores" in est
            else ""
        )
        lines.append(
            f"| 1 GB on 2 cores < 10 min | ~{est['seconds'] / 60:.1f} min, extrapolated from "
            f"{est['from_mb']:.0f} MB{cpu} | {_status(est['seconds'] < TARGET_GB_S, True)} |"
        )
        if "peak_pss_mb" in est:
            lines.append(
                f"| 1 GB peak memory < 2 GB | ~{est['peak_pss_mb']:.0f} MB PSS, extrapolated "
                f"| {_status(est['peak_pss_mb'] < TARGET_GB_MB, True)} |"
            )
    app = raw.get("app") or {}
    seeds, big = app.get("seeds") or {}, app.get("10,000 places") or {}
    if "warm_first_shape_s" in seeds:
        lines.append(
            f"| app first paint < 2 s (seeds) | {seeds['warm_first_shape_s']:.2f} s warm, "
            f"{seeds['cold_first_shape_s']:.1f} s cold | {_status(seeds['warm_first_shape_s'] < 2)} |"
        )
        lines.append(
            f"| click → articles < 300 ms (seeds) | {seeds['click_to_article_list_s'] * 1000:.0f} ms median, "
            f"{seeds['click_to_article_list_max_s'] * 1000:.0f} ms max | "
            f"{_status(seeds['click_to_article_list_s'] < 0.3)} |"
        )
        pay = seeds["websocket_first_page_kb"] / 1024
        lines.append(
            f"| map payload < 1.5 MB (seeds) | {pay:.2f} MB over the websocket (layers JS "
            f"{seeds['layers_js_kb'] / 1024:.2f} MB; + {seeds['static_assets_kb'] / 1024:.2f} MB static assets) "
            f"| {_status(pay < 1.5)} |"
        )
    if "warm_first_shape_s" in big:
        lines.append(
            f"| app first paint < 4 s (10,000 places) | {big['warm_first_shape_s']:.2f} s warm, "
            f"{big['cold_first_shape_s']:.1f} s cold | {_status(big['warm_first_shape_s'] < 4)} |"
        )
    if "click_to_article_list_s" in big:
        lines.append(
            f"| click → articles < 300 ms (10,000 places) | {big['click_to_article_list_s'] * 1000:.0f} ms "
            f"median | {_status(big['click_to_article_list_s'] < 0.3)} |"
        )
    elif "error" in big:
        lines.append(
            "| click → articles < 300 ms (10,000 places) | bench_app failed (see App) | not measured |"
        )
    return lines


def _throughput(raw: dict) -> list[str]:
    mc = raw.get("main_corpus", {})
    peer_kb = raw.get("args", {}).get("peer_kb", 200)
    lines = [
        "| run | corpus | chars | seconds | M chars/s | M chars per CPU-s | MB/s | peak MB (PSS) | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [
        ("extract (1 core)", "extract", f"{mc.get('mb', 0):.0f} MB, {mc.get('files', 0)} files"),
        ("bare Aho-Corasick scan (floor)", "scan", f"{mc.get('mb', 0):.0f} MB, same text, same automaton"),
        ("extract (1 core)", "extract_sample", f"{peer_kb:g} KB sample"),
        ("JioNLP recognize_location", "jionlp", f"{peer_kb:g} KB sample, per line"),
        ("cpca transform", "cpca", f"{peer_kb:g} KB sample, all lines"),
    ]
    ratio = _seed_ratio()
    for label, key, corpus in rows:
        r = raw.get(key)
        if not r:
            lines.append(f"| {label} | {corpus} | — | — | — | — | — | — | failed or not installed |")
            continue
        note = {
            "extract": f"{r.get('mentions', 0):,} mentions, {r.get('metrics', 0):,} metrics",
            "scan": f"{r.get('hits', 0):,} raw hits",
        }.get(key, "")
        if key == "extract_sample":
            note = f"{r.get('mentions', 0):,} mentions"
        lines.append(
            f"| {label} | {corpus} | {r['chars']:,} | {r['seconds']:.2f} | {r['chars_per_s'] / 1e6:.3f} | "
            f"{_per_cpu(r)} | "
            f"{r['chars_per_s'] / ratio / 1e6:.2f} | {r['peak_pss_mb']:.0f} | {note} |"
        )
    ex, sc, sm = raw.get("extract"), raw.get("scan"), raw.get("extract_sample")
    lines.append("")
    if ex and sc:
        lines.append(f"- extract / bare scan = **{ex['chars_per_s'] / sc['chars_per_s']:.1%}**")
    for name in ("jionlp", "cpca"):
        if sm and raw.get(name):
            lines.append(
                f"- extract / {'JioNLP' if name == 'jionlp' else 'cpca'} = "
                f"**{sm['chars_per_s'] / raw[name]['chars_per_s']:.2g}×** (same sample)"
            )
    return lines


def _scaling(raw: dict) -> list[str]:
    rows = raw.get("scaling", [])
    lines = [
        "| corpus | chars | workers | seconds | s per 10 MB | M chars/s | cores got | M chars per CPU-s | "
        "speed-up | peak MB (PSS) | peak MB (RSS summed) | mentions |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    one = {round(r["mb"]): r for r in rows if r["workers"] == 1}
    for r in rows:
        base = one.get(round(r["mb"]))
        up = f"{base['seconds'] / r['seconds']:.2f}×" if base and r["workers"] > 1 else "—"
        size = f"{r['mb'] / 1000:.2f} GB" if r["mb"] >= 900 else f"{r['mb']:.0f} MB"
        lines.append(
            f"| {size} | {r['chars']:,} | {r['workers']} | {r['seconds']:.1f} | "
            f"{r['seconds'] / r['mb'] * 10:.2f} | {r['chars_per_s'] / 1e6:.3f} | {_cores(r)} | "
            f"{_per_cpu(r)} | {up} | {r['peak_pss_mb']:.0f} | "
            f"{r['peak_rss_mb']:.0f} | {r.get('mentions', 0):,} |"
        )
    est = gb_estimate(raw, raw.get("args", {}).get("gb") or 1, raw.get("args", {}).get("workers", 2))
    if est and not any(r["mb"] >= 900 for r in rows):
        lines.append(
            f"\n1 GB corpus not run: extrapolated from {est['from_mb']:.0f} MB it takes "
            f"~{est['seconds'] / 60:.1f} min"
            + (
                f" (~{est['seconds_full_cores'] / 60:.1f} min had it had both cores to itself)"
                if "seconds_full_cores" in est
                else ""
            )
            + (f" and ~{est['peak_pss_mb']:.0f} MB" if "peak_pss_mb" in est else "")
            + f" (limit for running it: {raw['args'].get('gb_limit_s', 600) / 60:.0f} min)."
        )
    return lines


def _cores(r: dict) -> str:
    return f"{r['cpu_s'] / r['seconds']:.2f}" if r.get("cpu_s") else "—"


def _per_cpu(r: dict) -> str:
    return f"{r['chars'] / r['cpu_s'] / 1e6:.3f}" if r.get("cpu_s") else "—"


def _layers(raw: dict) -> list[str]:
    rows = [r for r in raw.get("scaling", []) if "county_layer_s" in r]
    if not rows:
        return ["Not measured."]
    lines = [
        "| corpus | mentions | county layer s | point layer s | GeoJSON s | GeoJSON MB | features (county / points) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['mb']:.0f} MB | {r['mentions']:,} | {r['county_layer_s']:.2f} | {r['point_layer_s']:.2f} | "
            f"{r['geojson_s']:.2f} | {r['geojson_mb']:.2f} | {r['county_features']} / {r['point_features']} |"
        )
    return lines


def _gazetteer(raw: dict) -> list[str]:
    g = raw.get("gazetteer")
    if not g:
        return ["Not measured."]
    if "error" in g:
        return [f"Failed: {g['error']}"]
    lines = [
        "| mode | import s | load/build s | total s | peak RSS MB | places |",
        "|---|---|---|---|---|---|",
    ]
    for mode, label in (("cold", "cold build (fresh cache)"), ("warm", "warm load (new process)")):
        r = g.get(mode)
        if r:
            lines.append(
                f"| {label} | {r['import_s']} | {r['load_s']} | {r['total_s']} | {r['peak_rss_mb']} | {r['places']:,} |"
            )
    return lines


def _app(raw: dict) -> list[str]:
    app = raw.get("app")
    if not app:
        return ["Not measured."]
    if "skipped" in app:
        return [f"Skipped: {app['skipped']}."]
    keys = sorted({k for v in app.values() if isinstance(v, dict) for k in v if k != "error"})
    labels = list(app)
    lines = ["| measure | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for k in keys:
        cells = []
        for lab in labels:
            v = app[lab].get(k) if isinstance(app[lab], dict) else None
            cells.append(_f(v, "{:.3f}") if isinstance(v, float) else ("—" if v is None else str(v)))
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    for lab in labels:
        if isinstance(app[lab], dict) and "error" in app[lab]:
            extra = (
                " Navigation alone was then measured with bench_app's own functions."
                if app[lab].get("navigation_only")
                else ""
            )
            lines.append(f"\n{lab}: bench_app.py failed — `{app[lab]['error']}`.{extra}")
    if "synthetic_places_written" in raw:
        lines.append(
            f"\nSynthetic corpus: {raw['synthetic_places_written']:,} distinct places written, "
            f"{_f(raw.get('synthetic_places_found'), '{:,}')} distinct places extracted."
        )
    return lines


def _profile(raw: dict) -> list[str]:
    p = raw.get("profile")
    if not p:
        return []
    if "error" in p:
        return ["## Where extract's time goes", "", f"Profile failed: {p['error']}"]
    lines = [
        "## Where extract's time goes (cProfile, 1 core)",
        "",
        f"{p['chars']:,} characters; {p['chars_per_s'] / 1e6:.3f} M chars/s unprofiled; "
        f"{p['total_s']:.1f} s under cProfile.",
        "",
        "| stage | seconds | share |",
        "|---|---|---|",
    ]
    for k, v in sorted(p["stages"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {k} | {v:.2f} | {v / p['total_s']:.0%} |")
    lines += [
        "",
        "Top functions by own time: " + "; ".join(f"`{n}` {t:.2f} s" for n, t in p["top_self"][:8]) + ".",
        "Call tree: bench/results/profile.txt (pyinstrument), bench/results/profile-cprofile.txt.",
    ]
    return lines


def render(raw: dict) -> str:
    m = raw["machine"]
    v = m.get("versions", {})
    la0, la1 = m.get("loadavg_start"), m.get("loadavg_end")
    args = raw.get("args", {})
    cmd = (
        "python bench/run.py"
        + (" --quick" if args.get("quick") else "")
        + (f" --gb {args['gb']:g}" if args.get("gb") else "")
        + (f" --profile {args['profile']:g}" if args.get("profile") else "")
    )
    out = [
        "# Corpus Atlas — benchmark report",
        "",
        f"Produced by `{cmd}` on {m['date']} in {raw.get('wall_s', 0) / 60:.1f} min, commit {m['git']}.",
        "",
        *[
            f"Re-run {r['date']} (load {_load(r.get('loadavg_start'))} → {_load(r.get('loadavg_end'))}) "
            f"of every step but {', '.join(r['skip'])} (those keep the figures of the first run)."
            for r in raw.get("reruns", [])
        ],
        "",
        "## Machine",
        "",
        f"- {m['description']}",
        f"- load average (1/5/15 min) at start {_load(la0)}, at end {_load(la1)} — a shared machine: "
        "absolute figures are noisy, the side-by-side ratios less so",
        "- " + ", ".join(f"{k} {val}" for k, val in v.items() if val),
        f"- Chromium: {m.get('chromium') or 'not found'}",
        "",
        "## Targets",
        "",
        *_targets(raw),
        "",
        "## Extraction throughput beside the floor and the peers",
        "",
        *_throughput(raw),
        "",
        "## Scaling (time and memory grow linearly; workers = processes)",
        "",
        *_scaling(raw),
        "",
        "## Layers and GeoJSON export on the largest corpus",
        "",
        *_layers(raw),
        "",
        "## Gazetteer",
        "",
        *_gazetteer(raw),
        "",
        "## App in headless Chromium (bench/bench_app.py)",
        "",
        *_app(raw),
        "",
    ]
    out += _profile(raw)
    dask_results = BENCH / "results" / "dask.json"
    if dask_results.exists():  # bench_dask.py's runs (issue 14)
        from bench_dask_report import render_section

        out += ["", render_section(json.loads(dask_results.read_text(encoding="utf-8")))]
    out += [
        "",
        "## How it is measured",
        "",
        "Each figure comes from a fresh child process. Throughput counts the characters of the documents "
        "read; extract includes reading, article splitting, recognition, resolution and metrics, not the "
        "gazetteer load or the automaton build (one-off costs, shown under Gazetteer). The bare scan is "
        "`automaton.iter_long` over the same text with the same automaton. The peers get the sample line by "
        "line (JioNLP one call per line, cpca one call for all lines). Memory is the peak over the child's "
        "process tree sampled from /proc every 0.2 s: PSS counts pages shared by forked workers once, RSS "
        "summed counts them per process. The corpora are the five seeds copied until the size is reached.",
        "",
    ]
    return "\n".join(out)


def _load(la) -> str:
    return "/".join(f"{x:.1f}" for x in la) if la else "?"


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else BENCH / "results" / "run.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    (BENCH / "REPORT.md").write_text(render(raw), encoding="utf-8")
    print(render(raw))
