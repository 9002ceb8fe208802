"""Stage 1 — corpus files to articles.

Reads files and folders (UTF-8, BOM, GB18030, Big5, UTF-16; bad files skipped with a reason) and splits
each document into articles with exact offsets: ``document.text[a.start:a.end] == a.text``.
Layouts: news pages and markdown (:mod:`geo.corpus.news`), magazines extracted from PDF
(:mod:`geo.corpus.magazine`, with :mod:`geo.corpus.headings` and :mod:`geo.corpus.affinity`),
chosen per document by :mod:`geo.corpus.split`. Each article gets its sections and a date
(:mod:`geo.corpus.dates`). For a shared app, :mod:`geo.corpus.roots` keeps corpus paths inside
the allowed folders and never names non-text files.
"""

from geo.corpus.dates import DocumentDates, YearEvidence, article_date, document_year
from geo.corpus.decoding import decode_bytes
from geo.corpus.lines import ArticleSpan, Line, scan_lines, squash
from geo.corpus.reader import (
    TEXT_SUFFIXES,
    Article,
    Corpus,
    Document,
    Skipped,
    article_id,
    corpus_files,
    corpus_listing,
    corpus_root,
    display_name,
    iter_documents,
    load_document,
    read_corpus,
    split_articles,
    title_in_text,
    title_matches,
)
from geo.corpus.roots import FolderListing, check_corpus_limits, list_corpus_folder, resolve_corpus_path
from geo.corpus.split import split_text

__all__ = [
    "TEXT_SUFFIXES",
    "Article",
    "ArticleSpan",
    "Corpus",
    "Document",
    "DocumentDates",
    "FolderListing",
    "Line",
    "Skipped",
    "YearEvidence",
    "article_date",
    "article_id",
    "check_corpus_limits",
    "corpus_files",
    "corpus_listing",
    "corpus_root",
    "decode_bytes",
    "display_name",
    "document_year",
    "iter_documents",
    "list_corpus_folder",
    "load_document",
    "read_corpus",
    "resolve_corpus_path",
    "scan_lines",
    "split_articles",
    "split_text",
    "squash",
    "title_in_text",
    "title_matches",
]
