"""The pipeline: corpus → articles → mentions (recognised and resolved) → metrics, as DataFrames.

``extract_corpus`` streams documents one at a time, so memory grows with the results, not the
corpus; with ``Settings.workers > 1`` documents are spread over processes. ``write_extraction``
writes the JSON Lines contract (articles.jsonl, mentions.jsonl, metrics.jsonl, skipped.jsonl).
"""
from __future__ import annotations

import json
import logging
import math
import multiprocessing as mp
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from geo.corpus import Article, Document, SkippedFile, iter_documents, split_articles
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.mentions import MENTION_COLUMNS, Matcher, build_matcher
from geo.resolve import Context, PlaceIndex, build_index, confident_context, resolve_matches
from geo.settings import Settings, load_settings
from geo.metrics import METRIC_COLUMNS
from geo.tables import RowTable

log = logging.getLogger(__name__)
#: Mention columns whose values repeat (kept as shared strings for large corpora).
_REPEATED_MENTION_COLUMNS = {"article_id", "file", "text", "place_id", "name", "level", "province",
                             "city", "county", "township", "code", "precision", "county_id",
                             "runner_up"}
ARTICLE_COLUMNS = ["article_id", "file", "start", "end", "title", "byline"]
_LEVEL_RANK = {"zone": 0, "landmark": 1, "village": 2, "township": 3, "county": 4, "city": 5,
               "province": 6}


@dataclass
class Geoparser:
    """Everything recognition and resolution need, built once per gazetteer."""
    matcher: Matcher
    index: PlaceIndex
    home_province: str | None


_GEOPARSERS: dict[tuple[int, str], tuple[Gazetteer, Geoparser]] = {}


def geoparser(gaz: Gazetteer, settings: Settings) -> Geoparser:
    """The matcher and index for a gazetteer, built once per (gazetteer, home province)."""
    key = (id(gaz), settings.home_province)
    hit = _GEOPARSERS.get(key)
    if hit is None or hit[0] is not gaz:
        home = _province_id(gaz, settings.home_province)
        gp = Geoparser(build_matcher(gaz.places, gaz.names, home), build_index(gaz.places), home)
        hit = _GEOPARSERS[key] = (gaz, gp)
    return hit[1]


def _province_id(gaz: Gazetteer, name: str) -> str | None:
    p = gaz.places
    hit = p.loc[(p["level"] == "province") & (p["name"] == name), "place_id"]
    return str(hit.iloc[0]) if len(hit) else None


@dataclass
class DocumentResult:
    articles: list[tuple]
    mentions: list[tuple]
    metrics: list[dict]


def parse_document(doc: Document, gp: Geoparser, articles: list[Article] | None = None) -> DocumentResult:
    """Mentions (and metrics) of one document; offsets index the document's text."""
    articles = split_articles(doc) if articles is None else articles
    per_article = [gp.matcher.scan(a.text, a.start) for a in articles]
    art_ctxs = [confident_context(matches, gp.index, gp.home_province) for matches in per_article]
    doc_ctx = Context()
    for c in art_ctxs:
        for pid, n in c.places.items():
            doc_ctx.add(pid, gp.index, n)
    rows, bounds = [], []
    for a, matches, art_ctx in zip(articles, per_article, art_ctxs):
        resolved = resolve_matches(matches, a.text, a.start, gp.index, gp.home_province, doc_ctx,
                                   art_ctx)
        art_rows = []
        for r in resolved:
            name, lev, prov, city, county, town, code, lon, lat, prec = gp.index.row[r.place_id]
            m = r.match
            art_rows.append((a.article_id, a.file, m.start, m.end,
                             a.text[m.start - a.start:m.end - a.start], r.place_id, name,
                             lev, prov, city, county, town, code, lon, lat, prec, r.confidence,
                             m.in_org, r.historical, gp.index.county_of.get(r.place_id), r.runner_up))
        bounds.append((len(rows), len(rows) + len(art_rows)))
        rows.extend(art_rows)
    metric_rows = _document_metrics(doc, articles, rows, bounds, gp)
    return DocumentResult([_article_row(a) for a in articles], rows, metric_rows)


def _document_metrics(doc: Document, articles: list[Article], rows: list[tuple],
                      bounds: list[tuple[int, int]], gp: Geoparser) -> list[dict]:
    """Figures of every article, in order: a placeless sidebar inherits the previous article's
    main place. Mentions go to metrics as row tuples: building DataFrames per article cost more
    than finding the figures."""
    from geo.metrics import document_year

    year = document_year(doc.text)
    out: list[dict] = []
    context_place = None
    for a, (lo, hi) in zip(articles, bounds):
        art_rows = rows[lo:hi]
        main = _main_place_of_rows(a, art_rows)
        out.extend(_metrics_for(a, doc, art_rows, year, main, context_place))
        if main is not None:
            context_place = (main, gp.index.row[main][0])
    return out


def mentions_in_text(text: str, gaz: Gazetteer, settings: Settings | None = None,
                     file: str = "<text>") -> pd.DataFrame:
    """Mentions of one in-memory text (split into articles like a file would be)."""
    settings = settings or load_settings()
    doc = Document(file=file, path=Path(file), text=text, encoding="utf-8")
    res = parse_document(doc, geoparser(gaz, settings))
    return pd.DataFrame(res.mentions, columns=MENTION_COLUMNS)


_IN_ORG, _START, _LEVEL, _PLACE_ID = (MENTION_COLUMNS.index(c)
                                      for c in ("in_org", "start", "level", "place_id"))


def _main_place_of_rows(article: Article, art_rows: list[tuple]) -> str | None:
    """The place the headline names (the most specific one), else the most mentioned place (a
    tie goes to the first mentioned); over the article's mention tuples, once per article."""
    plain = [r for r in art_rows if not r[_IN_ORG]]
    if not plain:
        return None
    in_title = [r for r in plain if r[_START] < article.body_start]
    if in_title:
        return str(min(in_title, key=lambda r: (_LEVEL_RANK.get(r[_LEVEL], 9), r[_START]))[_PLACE_ID])
    return str(Counter(r[_PLACE_ID] for r in plain).most_common(1)[0][0])


def _metrics_for(article: Article, doc: Document, art_rows: list[tuple], year, main: str | None,
                 context_place: tuple[str, str] | None) -> list[dict]:
    """The article's figures (``art_rows``: its mention tuples)."""
    from geo import metrics as mt

    try:
        records = mt.extract_metrics(article, doc.text, art_rows, year, main,
                                     context_place=context_place)
        return [mt.record_dict(r) for r in records]
    except Exception as e:  # one article's odd figures must not lose the corpus: report, go on
        log.warning("metrics skipped for %s %r: %s: %s", article.file, article.title[:30],
                    type(e).__name__, e)
        return []


def _article_row(a: Article) -> tuple:
    return (a.article_id, a.file, a.start, a.end, a.title, list(a.byline))


@dataclass
class Extraction:
    articles: pd.DataFrame
    mentions: pd.DataFrame
    metrics: pd.DataFrame
    skipped: list[SkippedFile] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)   # file, encoding, chars, articles


# Worker-process state for parallel extraction (set by _init_worker, fork-shared gazetteer).
_WORKER: Geoparser | None = None


def _init_worker(gp: Geoparser):
    global _WORKER
    _WORKER = gp


def _work(doc: Document) -> tuple[dict, DocumentResult]:
    res = parse_document(doc, _WORKER)
    return _doc_info(doc, res), res


def _doc_info(doc: Document, res: DocumentResult) -> dict:
    return {"file": doc.file, "encoding": doc.encoding, "chars": len(doc.text),
            "articles": len(res.articles)}


def extract_corpus(paths: Iterable[Path | str], settings: Settings | None = None,
                   progress: Callable[[int, str], None] | None = None,
                   gazetteer: Gazetteer | None = None) -> Extraction:
    """Run the whole pipeline over files and folders; bad files are skipped and reported."""
    settings = settings or load_settings()
    gaz = gazetteer or load_gazetteer(settings)
    gp = geoparser(gaz, settings)
    articles = RowTable(ARTICLE_COLUMNS, {"file"})
    mentions = RowTable(MENTION_COLUMNS, _REPEATED_MENTION_COLUMNS)
    metrics = RowTable(METRIC_COLUMNS, set())          # few rows: plain columns
    docs, skipped = [], []

    def collect(info, res):
        docs.append(info)
        articles.extend(res.articles)
        mentions.extend(res.mentions)
        metrics.extend([tuple(d.get(c) for c in METRIC_COLUMNS) for d in res.metrics])
        if progress:
            progress(len(docs), info["file"])

    items = iter_documents([Path(p) for p in paths])
    if settings.workers > 1:
        ctx = mp.get_context("fork")
        with ctx.Pool(settings.workers, initializer=_init_worker, initargs=(gp,)) as pool:
            for info, res in pool.imap(_work, _documents_only(items, skipped), chunksize=4):
                collect(info, res)
    else:
        for doc in _documents_only(items, skipped):
            res = parse_document(doc, gp)
            collect(_doc_info(doc, res), res)
    return Extraction(
        articles=articles.frame(),
        mentions=mentions.frame(),
        metrics=metrics.frame(),
        skipped=skipped,
        documents=docs,
    )


def _documents_only(items, skipped: list) -> Iterable[Document]:
    for it in items:
        if isinstance(it, SkippedFile):
            skipped.append(it)
        else:
            yield it


def _jsonable(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):          # numpy scalars
        return v.item()
    return v


def frame_to_jsonl(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = [json.dumps({c: _jsonable(v) for c, v in zip(cols, row)}, ensure_ascii=False)
             for row in df.itertuples(index=False, name=None)]
    return "".join(line + "\n" for line in lines)


def write_extraction(x: Extraction, out_dir: Path | str) -> dict[str, Path]:
    """Write the JSON Lines contract; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, df in (("articles", x.articles), ("mentions", x.mentions), ("metrics", x.metrics)):
        p = out / f"{name}.jsonl"
        p.write_text(frame_to_jsonl(df), encoding="utf-8")
        files[name] = p
    p = out / "skipped.jsonl"
    p.write_text("".join(json.dumps({"file": s.file, "reason": s.reason}, ensure_ascii=False) + "\n"
                         for s in x.skipped), encoding="utf-8")
    files["skipped"] = p
    return files
