"""The tables of bench/REPORT.md after the targets (bench/report.py renders the page)."""

from __future__ import annotations

import statistics


def status(ok: bool | None) -> str:
    if ok is None:
        return "not measured"
    return "met" if ok else "**missed**"


def _m(v: float) -> str:
    return f"{v / 1e6:.2f}"


def matcher_section(raw: dict) -> list[str]:
    mt = raw.get("matchers")
    if not mt:
        return ["Not measured."]
    if "error" in mt:
        return [f"Failed: {mt['error']}"]
    lines = [
        f"{mt['patterns']:,} names; bare scan of every document of the main corpus ({mt['chars']:,} characters), "
        "best of the runs; spans compared with daachorse's on every document and on every text the pipeline "
        "scans (each article, and its lines joined where recognition joins them).",
        "",
        "| matcher | version | build CPU s | scan CPU s | M chars per CPU-s | raw hits | texts whose spans differ |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in sorted(mt["matchers"].items(), key=lambda kv: kv[1]["scan_cpu_s"]):
        lines.append(
            f"| {name} | {r['version']} | {r['build_cpu_s']:.2f} | {r['scan_cpu_s']:.2f} | "
            f"{_m(r['chars_per_cpu_s'])} | {r['hits']:,} | {r['texts_differing_from_daachorse']} of "
            f"{r['texts_compared']:,} |"
        )
    for name, r in mt["matchers"].items():
        seen = []
        for ex in r.get("examples", []):
            if ex not in seen:  # an article and its joined lines often differ alike
                seen.append(ex)
                lines.append(f"\n- {name} vs daachorse: missing {ex['missing']}, extra {ex['extra']}")
    lines += [
        "",
        "daachorse (character-wise double array) is the pipeline's matcher: the fastest scan, the fastest "
        "build, and an automaton that serialises (the geoparser cache stores it). Where pyahocorasick's "
        "`iter_long` differs it drops a match after a longer candidate fails (a known defect of its "
        "leftmost-longest iterator); no mention in the outputs changed (seeds and the generated corpus "
        "byte-identical).",
    ]
    return lines


def compare_section(raw: dict) -> list[str]:
    cmp_ = raw.get("compare")
    if not cmp_:
        return []
    for r in cmp_["runs"]:  # older raw files labelled the runs by checkout path
        r["code"] = {"current": "new"}.get(r["code"], r["code"] if r["code"] in ("old", "new") else "old")
    lines = [
        f"## Before / after (baseline {cmp_['baseline']}, alternating runs, main corpus, 1 core)",
        "",
        "| run | code | wall s | CPU s | M chars per CPU-s | load (1 min) | peak MB (PSS) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in cmp_["runs"]:
        lines.append(
            f"| {r['run']} | {r['code']} | {r['seconds']:.1f} | {r['cpu_s']:.1f} | {_m(r['chars_per_cpu_s'])} | "
            f"{r['loadavg'][0]:.1f} | {r['peak_pss_mb']:.0f} |"
        )
    med = {
        c: statistics.median([r["chars_per_cpu_s"] for r in cmp_["runs"] if r["code"] == c] or [0])
        for c in ("old", "new")
    }
    if med["old"]:
        lines += ["", f"Median: old {_m(med['old'])}, new {_m(med['new'])} M chars per CPU-second: "
                  f"**{med['new'] / med['old']:.2f}×**."]  # fmt: skip
    st = cmp_.get("stages", {})
    old, new = st.get("old", {}), st.get("new", {})
    if "stages" in old and "stages" in new:
        lines += [
            "",
            "CPU seconds per stage (same corpus, best of 2 runs each; stage functions wrapped, no profiler):",
            "",
            "| stage | old s | new s | speed-up |",
            "|---|---|---|---|",
        ]
        keys = list(dict.fromkeys(list(new["stages"]) + list(old["stages"])))
        order = [
            "split into articles",
            "geoparse",
            "geoparse: recognition",
            "geoparse: article context",
            "geoparse: resolution",
            "geoparse: mention records",
            "metrics",
            "read, collect rows, result tables",
        ]
        for k in sorted(keys, key=lambda k: order.index(k) if k in order else 99):
            a, b = old["stages"].get(k, 0), new["stages"].get(k, 0)
            up = f"{a / b:.2f}×" if a and b else "—"
            lines.append(f"| {k} | {a:.2f} | {b:.2f} | {up} |")
        lines.append(
            f"| **total** | {old['total_cpu_s']:.2f} | {new['total_cpu_s']:.2f} | "
            f"{old['total_cpu_s'] / new['total_cpu_s']:.2f}× |"
        )
    return lines


def scaling_section(raw: dict) -> list[str]:
    rows = raw.get("scaling", [])
    if not rows:
        return ["Not measured."]
    lines = [
        "A store built from scratch by `python -m geo build CORPUS --store F --workers N` in a child process: "
        "reading, extraction in the workers, rows written to DuckDB by the parent. Peak memory over the "
        "whole process tree.",
        "",
        "| corpus | chars | workers | wall s | CPU s | cores got | M chars per CPU-s | peak MB (PSS) | "
        "peak MB (RSS summed) | PSS at ¼ · ½ · ¾ · end | store MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        size = f"{r['mb'] / 1000:.2f} GB" if r["mb"] >= 900 else f"{r['mb']:.0f} MB"
        ser = [p for _t, p in r.get("pss_series", [])]
        quarters = (
            " · ".join(str(ser[min(len(ser) - 1, len(ser) * k // 4)]) for k in (1, 2, 3, 4)) if ser else "—"
        )
        lines.append(
            f"| {size} | {r['chars']:,} | {r['workers']} | {r['seconds']:.1f} | {r['cpu_s']:.1f} | "
            f"{r['cpu_s'] / r['seconds']:.2f} | {_m(r['chars_per_cpu_s'])} | {r['peak_pss_mb']:.0f} | "
            f"{r['peak_rss_mb']:.0f} | {quarters} | {r.get('store_mb', 0):.0f} |"
        )
    return lines


def gazetteer_section(raw: dict) -> list[str]:
    g = raw.get("gazetteer")
    if not g:
        return ["Not measured."]
    lines = [
        "Each in a new process, best of the runs; seconds of the load alone (imports apart), memory the "
        "resident set the load added. *geoparser*: what an extracting process (a worker) loads before its "
        "first document — the compact cache now; the gazetteer plus the geoparser built from it before.",
        "",
        "| code | mode | import s | load s (wall) | load s (CPU) | + MB | resident MB | peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for code in ("old", "new"):
        for mode, label in (
            ("cold", "cold build (fresh cache)"),
            ("gazetteer", "gazetteer warm load"),
            ("geoparser", "geoparser warm start"),
        ):
            r = (g.get(code) or {}).get(mode)
            if r:
                lines.append(
                    f"| {code} | {label} | {r['import_s']:.2f} | {r['load_s']:.2f} | {r['load_cpu_s']:.2f} | "
                    f"{r['added_mb']} | {r['rss_mb']} | {r['peak_rss_mb']} |"
                )
    return lines


def profile_section(raw: dict) -> list[str]:
    p = raw.get("profile")
    if not p:
        return []
    if "error" in p:
        return ["## Where extract's time goes", "", f"Profile failed: {p['error']}"]
    total = p["total_cpu_s"]
    lines = [
        "## Where extract's time goes (1 core, main corpus)",
        "",
        f"{p['chars']:,} characters, {p['mentions']:,} mentions in {total:.2f} CPU-s "
        f"({_m(p['chars_per_cpu_s'])} M chars per CPU-s). CPU per stage (wrapped stage functions, no profiler):",
        "",
        "| stage | CPU s | share |",
        "|---|---|---|",
    ]
    for k, v in sorted(p["stages"].items(), key=lambda kv: -kv[1]):
        if k != "geoparse":
            lines.append(f"| {k} | {v:.2f} | {v / total:.0%} |")
    if "groups" in p:
        ct = p["cprofile_total_s"]
        lines += [
            "",
            f"Own time by package under cProfile ({ct:.1f} s, profiler overhead included):",
            "",
            "| code | s | share |",
            "|---|---|---|",
        ]
        for k, v in p["groups"].items():
            lines.append(f"| {k} | {v:.2f} | {v / ct:.0%} |")
        for key, label in (
            ("geo/geoparse/", "geoparse"),
            ("geo/metrics/", "metrics"),
            ("geo/corpus/", "corpus"),
        ):
            top = p.get("top_by_stage", {}).get(key)
            if top:
                lines.append(
                    f"\nTop {label} functions by own time: " + "; ".join(f"`{n}` {t:.2f} s" for n, t in top)
                )
        lines.append(
            "\nFull listings: bench/results/profile-cprofile.txt, call tree bench/results/profile.txt (pyinstrument)."
        )
    return lines
