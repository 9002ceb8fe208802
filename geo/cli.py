"""``python -m geo``: a thin command line over the library, one sub-command per job."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.errors import AtlasError
from geo.schema import ARTICLE_COLUMNS
from geo.settings import Settings, describe_settings, load_settings


def _paths(values: list[str]) -> list[Path]:
    return [Path(v) for v in values]


def cmd_articles(args: argparse.Namespace) -> int:
    from geo.corpus.reader import read_corpus

    corpus = read_corpus(_paths(args.paths))
    for s in corpus.skipped:
        print(f"skipped {s.file}: {s.reason}", file=sys.stderr)
    if args.format == "jsonl":
        for a in corpus.articles:
            print(json.dumps(dict(zip(ARTICLE_COLUMNS, a.row())), ensure_ascii=False))
    else:
        for a in corpus.articles:
            byline = " ".join(a.byline)
            print(f"{a.file}\t{a.start}-{a.end}\t{a.title}\t{byline}")
        print(
            f"{len(corpus.articles)} articles in {len(corpus.documents)} documents, "
            f"{len(corpus.skipped)} files skipped",
            file=sys.stderr,
        )
    return 0


def cmd_gazetteer(args: argparse.Namespace) -> int:
    from geo.gazetteer import store as gz

    settings: Settings = args.settings
    if args.action == "build":
        g = gz.build_gazetteer(settings, force=True)
        print(json.dumps(gz.gazetteer_stats(g, settings.home_province), ensure_ascii=False, indent=2))
    elif args.action == "stats":
        g = gz.load_gazetteer(settings)
        print(json.dumps(gz.gazetteer_stats(g, settings.home_province), ensure_ascii=False, indent=2))
    else:
        if not args.name:
            print("lookup needs a NAME", file=sys.stderr)
            return 2
        g = gz.load_gazetteer(settings)
        table = gz.lookup(g, args.name, settings.home_province)
        if table.empty:
            print(f"no place named {args.name}")
            return 1
        print(table.to_string(index=False))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from geo.jsonl import EXTRACTION_NAMES, write_extraction
    from geo.outputs import check_output_folder, output_lock
    from geo.pipeline import extract_corpus

    settings: Settings = args.settings
    if args.workers:
        settings = settings.with_(workers=args.workers)
    out = check_output_folder(args.out, EXTRACTION_NAMES)  # before any work
    with output_lock(out):  # held from the first document to the last rename
        x = extract_corpus(
            _paths(args.paths),
            settings,
            progress=lambda n, f: print(f"[{n}] {f}", file=sys.stderr) if args.verbose else None,
        )
        files = write_extraction(x, out)
    for s in x.skipped:
        print(f"skipped {s.file}: {s.reason}", file=sys.stderr)
    print(
        f"{len(x.documents)} documents, {len(x.articles)} articles, {len(x.mentions)} mentions, "
        f"{len(x.metrics)} metrics, {len(x.skipped)} skipped → " + ", ".join(str(p) for p in files.values())
    )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from geo.evaluate import DEV_SET, FROZEN_SET, FROZEN_SETS, evaluate, evaluate_frozen, report

    if args.classes:
        from geo.evaluate import RECALL_DEV, evaluate_classes, report_classes

        print(
            report_classes(
                evaluate_classes(Path(args.dev) if args.dev else RECALL_DEV, settings=args.settings)
            )
        )
        return 0
    flagged = [v for v in sorted(FROZEN_SETS, reverse=True) if getattr(args, f"frozen_v{v}")]
    if flagged:
        s = evaluate_frozen(FROZEN_SETS[flagged[0]], settings=args.settings)
    elif args.frozen:
        s = evaluate_frozen(Path(args.dev) if args.dev else FROZEN_SET, settings=args.settings)
    else:
        s = evaluate(Path(args.dev) if args.dev else DEV_SET, settings=args.settings)
    print(report(s, limit=args.limit))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m geo", description="Corpus Atlas: map the places of a Chinese news corpus."
    )
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("articles", help="split a corpus into articles and list them")
    a.add_argument("paths", nargs="+", help="files or folders (*.txt, *.md, recursively)")
    a.add_argument("--format", choices=["table", "jsonl"], default="table")
    a.set_defaults(func=cmd_articles)

    g = sub.add_parser("gazetteer", help="build, summarise or query the gazetteer")
    g.add_argument("action", choices=["build", "stats", "lookup"])
    g.add_argument("name", nargs="?", help="place name for lookup")
    g.set_defaults(func=cmd_gazetteer)

    x = sub.add_parser("extract", help="articles, place mentions and metrics as JSON Lines")
    x.add_argument("paths", nargs="+", help="files or folders")
    x.add_argument(
        "--out",
        required=True,
        help="output folder, replaced as a whole when the run completes (a second run into the "
        "same folder while one is running is refused)",
    )
    x.add_argument("--workers", type=int, default=0, help="processes (default: ATLAS_WORKERS or 1)")
    x.add_argument("-v", "--verbose", action="store_true", help="print each document as it is done")
    x.set_defaults(func=cmd_extract)

    e = sub.add_parser("evaluate", help="precision/recall/F1 and resolution accuracy on the dev set")
    e.add_argument("--dev", help="gold set JSON Lines (default tests/data/dev_mentions.jsonl)")
    e.add_argument(
        "--frozen",
        action="store_true",
        help="score the frozen held-out set (tests/data/frozen_eval.jsonl, or --dev PATH in its format): "
        "report only, never tune on it",
    )
    from geo.evaluate import FROZEN_SETS

    for version, path in FROZEN_SETS.items():
        e.add_argument(
            f"--frozen-v{version}",
            action="store_true",
            help=f"score {path.name}: report only, never tune on it (from v4 on: with --limit 0, "
            "totals only, never read its errors)",
        )
    e.add_argument(
        "--classes",
        action="store_true",
        help="per error class on the recall development set (tests/data/recall_dev.jsonl)",
    )
    e.add_argument("--limit", type=int, default=40, help="errors to list per class")
    e.set_defaults(func=cmd_evaluate)

    c = sub.add_parser("geocode", help="fill county-precision places from an online geocoder")
    c.add_argument("--missing", action="store_true", help="places only at county precision")
    c.add_argument("--provider", choices=["tianditu", "amap", "nominatim"], help="default: ATLAS_GEOCODER")
    c.add_argument("--limit", type=int, help="ask for at most N places")
    c.set_defaults(func=cmd_geocode)

    b = sub.add_parser(
        "build",
        help="extract a corpus into an atlas store (DuckDB file) the app opens in seconds",
        description="Extract PATH… into --store FILE. Incremental: only new or changed files are "
        "extracted, removed ones dropped; a changed gazetteer re-resolves everything. The store is "
        "replaced atomically: a reader sees the old or the new one, never half.",
    )
    b.add_argument("paths", nargs="+", help="files or folders")
    b.add_argument(
        "--store", help="the store file, e.g. atlas.duckdb (default: the one the app opens for PATH)"
    )
    b.add_argument(
        "--workers", type=int, default=0,
        help="worker processes (default: ATLAS_WORKERS; with --engine dask and no scheduler: all cores)",
    )  # fmt: skip
    b.add_argument(
        "--engine",
        choices=["local", "dask"],
        help="extract here (local) or on a Dask cluster (default: ATLAS_ENGINE)",
    )
    b.add_argument(
        "--scheduler", help="Dask scheduler address or scheduler file (implies --engine dask; default "
        "ATLAS_DASK_SCHEDULER; none: a local Dask cluster of --workers processes)",
    )  # fmt: skip
    b.add_argument(
        "--shared", help="folder or fsspec URL that this machine and every Dask worker can read and write "
        "(default ATLAS_DASK_SHARED, else beside the store)",
    )  # fmt: skip
    b.add_argument("--rebuild", action="store_true", help="start from an empty store (e.g. after an upgrade)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_build)

    ex = sub.add_parser(
        "export",
        help="map layers and tables as GeoJSON, CSV, GeoParquet or a standalone map",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Extract a corpus and write one export (the same bytes as the app's downloads).",
        epilog="layers:\n"
        "  county    every county polygon of the home province (+ mentioned others) with\n"
        "            mention/article counts and latest metrics\n"
        "  points    mentioned places (county representative points, towns, villages, zones)\n"
        "  both      county + points; in CSV/Parquet a 'layer' column tells them apart\n"
        "  mentions  the mentions table (csv or parquet only)\n"
        "  metrics   the metrics table (csv or parquet only)\n"
        "formats:\n"
        "  geojson   RFC 7946, WGS-84 lon/lat, UTF-8\n"
        "  csv       UTF-8 with BOM (opens in Excel), CRLF; layers get lon/lat columns\n"
        "  parquet   GeoParquet for layers, plain Parquet for tables\n"
        "  html      standalone offline map (Leaflet inlined)",
    )
    ex.add_argument("paths", nargs="*", help="files or folders (or --store)")
    ex.add_argument("--store", help="export from a built atlas store instead of extracting PATH…")
    ex.add_argument("--layer", choices=["county", "points", "both", "mentions", "metrics"], default="both")
    ex.add_argument("--format", choices=["geojson", "csv", "parquet", "html"], default="geojson")
    ex.add_argument(
        "--measure", default="mentions", help="html only: mentions | articles | metric:<key>[@<period>]"
    )
    ex.add_argument("--out", required=True, help="output file ('-' for stdout)")
    ex.set_defaults(func=cmd_export)

    s = sub.add_parser("assets", help="install Leaflet and plugins from npm into static/vendor")
    s.add_argument("--force", action="store_true", help="reinstall even if up to date")
    s.set_defaults(func=cmd_assets)

    st = sub.add_parser("settings", help="every ATLAS_* setting: its value here and what it does")
    st.set_defaults(func=cmd_settings)

    return p


def cmd_export(args: argparse.Namespace) -> int:
    from geo.export import check_request, export_corpus, export_layers
    from geo.outputs import check_output_file, write_file_atomic

    if bool(args.paths) == bool(args.store):
        print("export needs either PATH… (extract now) or --store FILE (a built store)", file=sys.stderr)
        return 2
    check_request(args.layer, args.format)
    out = None if args.out == "-" else check_output_file(args.out)  # before any work
    if args.store:
        from geo.gazetteer import load_gazetteer
        from geo.store import AtlasStore

        settings = args.settings
        x = AtlasStore(args.store).extraction()
        data = export_layers(
            x, load_gazetteer(settings), args.layer, args.format, home_province=settings.home_province,
            settings=settings, measure=args.measure,
        )  # fmt: skip
    else:
        data, x = export_corpus(
            _paths(args.paths), args.layer, args.format, args.settings, measure=args.measure
        )
    for s in x.skipped:
        print(f"skipped {s.file}: {s.reason}", file=sys.stderr)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        write_file_atomic(out, data)
        print(f"{args.layer} as {args.format}: {len(data):,} bytes → {out}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    import contextlib

    from tqdm import tqdm

    from geo.store import build_store, default_store_path

    settings = args.settings.with_(workers=args.workers) if args.workers else args.settings
    store = args.store or default_store_path(args.paths[0], settings)
    engine_name = args.engine or ("dask" if args.scheduler else settings.engine)
    if engine_name not in ("local", "dask"):
        raise ValueError(f"ATLAS_ENGINE={engine_name!r}: choose local or dask")
    if engine_name == "local" and (args.scheduler or args.shared):
        print("--scheduler and --shared need --engine dask", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        engine = None
        if engine_name == "dask":
            from geo.store.dask_engine import DaskEngine  # only this engine imports dask

            engine = stack.enter_context(
                DaskEngine.connect(settings, args.scheduler, args.workers or None, args.shared)
            )
            print(engine.describe(), file=sys.stderr)
        bar = stack.enter_context(
            tqdm(total=0, unit="doc", desc="extracting", file=sys.stderr, disable=args.quiet)
        )

        def progress(done: int, total: int, what: str) -> None:
            bar.total = total
            bar.update(done - bar.n)
            bar.set_postfix_str(what[-40:], refresh=False)

        report = build_store(
            _paths(args.paths), store, settings, rebuild=args.rebuild, progress=progress, engine=engine
        )
    for note in report.notes:
        print(note, file=sys.stderr)
    for s in report.skipped:
        print(f"skipped {s.file}: {s.reason}", file=sys.stderr)
    mb = report.chars / 1e6
    print(
        f"{report.files} files: {report.extracted} extracted ({mb:.1f} M chars), "
        f"{report.unchanged} unchanged, {report.removed} removed, {len(report.skipped)} skipped "
        f"in {report.seconds:.1f} s → {report.store}"
    )
    return 0


def cmd_assets(args: argparse.Namespace) -> int:
    from geo.assets import ASSETS_DIR, install_assets

    versions = install_assets(force=args.force)
    print(", ".join(f"{k} {v['version']}" for k, v in versions.items()) + f" in {ASSETS_DIR}")
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    from geo.geocode import online as gc

    if not args.missing:
        print("geocode needs --missing (fill places that only have their county's point)", file=sys.stderr)
        return 2
    report = gc.geocode_missing(
        args.settings, provider=args.provider, limit=args.limit, progress=gc.TextProgress(sys.stderr)
    )
    print("\n".join(gc.format_report(report)))
    return 0 if report.ok else 1


def cmd_settings(args: argparse.Namespace) -> int:
    for env, value, help_text in describe_settings(args.settings):
        print(f"{env:26} {value or '-':40} {help_text}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.settings = load_settings()  # once, from the environment; every command uses this
        return args.func(args)
    except ValueError as e:  # a malformed ATLAS_* variable
        print(f"error: {e}", file=sys.stderr)
        return 2
    except AtlasError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as e:  # a disk, permission or path problem: one line, no traceback
        print(f"error: {describe_os_error(e)}", file=sys.stderr)
        return 1


def describe_os_error(e: OSError) -> str:
    """'Permission denied: /srv/out' — what failed and where, as one line."""
    what = e.strerror or str(e) or type(e).__name__
    where = [str(f) for f in (e.filename, e.filename2) if f is not None]
    return ": ".join([what, " → ".join(where)] if where else [what])
