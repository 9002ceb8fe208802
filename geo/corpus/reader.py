"""Stage 1: read a corpus (files and folders) and split each document into articles.

Offsets everywhere in Corpus Atlas are Python str indices into the file's text decoded exactly
(no newline translation), so ``document.text[a.start:a.end]`` is the article.

Reading rules:
- Paths may be files or folders; folders are walked recursively in sorted order. ``*.txt``,
  ``*.md`` and ``*.markdown`` (any case) are read; every other file is reported in
  ``Corpus.skipped`` ("unsupported format .pdf"). Hidden files and folders (``.git``) are not
  visited. A path that does not exist raises ``CorpusError``; everything after that point is
  skip-and-report: one bad file never stops the rest.
- ``file`` names are POSIX paths relative to the corpus root: the folder given, or the file's
  parent; with several paths, the deepest folder containing all of them.
- Decoding is exact: a UTF-8 BOM is not part of the text (encoding ``utf-8-sig``), CRLF line
  ends are kept. UTF-8 is tried first, then GB18030 (which also covers GBK/GB2312), and UTF-16 with
  a BOM. NUL bytes, many control characters or bytes no encoding accepts mean "binary or
  undecodable" and the file is skipped with that reason. An empty file is a document with no
  articles.
- Article ids are the first 16 hex digits of SHA-1 over (file, start, title): the same input
  gives the same ids on every run and machine.

How documents are split into articles is documented in ``geo.corpus.news`` (markdown and plain
news pages) and ``geo.corpus.magazine`` (magazine text extracted from PDF).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.corpus.dates import DocumentDates, article_date
from geo.corpus.lines import squash
from geo.corpus.split import split_text
from geo.errors import CorpusError
from geo.schema import Article, Document, Section, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


@dataclass
class Corpus:
    root: Path
    documents: list[Document] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# ---------------------------------------------------------------- decoding

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding used) of a file's bytes; CorpusError when they are binary or undecodable."""
    if not data:
        return "", "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        raise CorpusError("binary file (contains NUL bytes)")
    else:
        candidates = ["utf-8", "gb18030"]
    first_error: UnicodeDecodeError | None = None
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            first_error = first_error or e
            continue
        controls = len(_CONTROL_RE.findall(text, 0, 1 << 20))
        if controls > max(8, min(len(text), 1 << 20) // 1000):
            raise CorpusError(f"binary file ({controls} control characters, decoded as {enc})")
        return text, enc
    where = f" (first bad byte at offset {first_error.start})" if first_error else ""
    raise CorpusError(f"cannot decode as {' or '.join(candidates)}{where}")


# ---------------------------------------------------------------- files


def corpus_root(paths: Iterable[Path]) -> Path:
    """The folder ``file`` names are relative to (see module docstring)."""
    roots = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise CorpusError(f"corpus path not found: {p}")
        if not (p.is_dir() or p.is_file()):
            raise CorpusError(f"corpus path is neither a file nor a folder: {p}")
        p = p.resolve()
        roots.append(p if p.is_dir() else p.parent)
    if not roots:
        raise CorpusError("no corpus paths given")
    return Path(os.path.commonpath(roots))


def corpus_files(path: Path) -> list[Path]:
    """The file itself, or every non-hidden file under the folder in path order."""
    if path.is_file():
        return [path]
    found: list[Path] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder) / name for name in files if not name.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(path).parts)


def load_document(path: Path, file: str) -> Document | Skipped:
    """Read and decode one file; a Skipped (naming the file and why) instead of raising."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return Skipped(
            file, f"unsupported format {suffix}" if suffix else "unsupported format (no extension)"
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        return Skipped(file, f"cannot read {file}: {e.strerror or e}")
    try:
        text, encoding = decode_bytes(data)
    except CorpusError as e:
        return Skipped(file, f"{file}: {e}")
    return Document(file, path, text, encoding)


def iter_documents(paths: Iterable[Path]) -> Iterator[Document | Skipped]:
    """Documents one at a time (only one file's text in memory), Skipped for files left out.

    Raises CorpusError (before yielding anything) if a given path does not exist.
    """
    paths = [Path(p) for p in paths]
    root = corpus_root(paths)
    seen: set[Path] = set()
    for p in paths:
        for f in corpus_files(p.resolve()):
            if f in seen:
                continue
            seen.add(f)
            yield load_document(f, f.relative_to(root).as_posix())


# ---------------------------------------------------------------- articles


def article_id(file: str, start: int, title: str) -> str:
    return hashlib.sha1(f"{file}\x00{start}\x00{title}".encode()).hexdigest()[:16]


def split_articles(doc: Document) -> list[Article]:
    """The document's articles in text order (rules in geo.corpus.news / geo.corpus.magazine),
    with their sections and dates (rules in geo.corpus.dates)."""
    text = doc.text
    dates = DocumentDates.of(doc.file, text)
    out = []
    for s in split_text(text):
        date, source = article_date(dates, text, s.start, s.end, s.body_start, s.title)
        out.append(
            Article(
                article_id(doc.file, s.start, s.title),
                doc.file,
                s.start,
                s.end,
                s.title,
                s.byline,
                s.body_start,
                text[s.start : s.end],
                tuple(Section(t, at) for t, at in s.sections),
                date,
                source,
            )
        )
    return out


def title_matches(article: Article) -> bool:
    """The article text begins with its title (whitespace ignored for multi-line titles)."""
    return article.text.startswith(article.title) or squash(
        article.text[: len(article.title) * 3 + 16]
    ).startswith(squash(article.title))


def title_in_text(article: Article) -> bool:
    """The title is printed in the article: at its start, or after a credit, lead or the text
    itself when the layout put it there (magazine text from PDF)."""
    return title_matches(article) or squash(article.title) in squash(article.text)


def read_corpus(paths: list[Path]) -> Corpus:
    """Read every document under ``paths`` and split it; bad files end up in ``skipped``."""
    paths = [Path(p) for p in paths]
    corpus = Corpus(root=corpus_root(paths))
    for item in iter_documents(paths):
        if isinstance(item, Skipped):
            corpus.skipped.append(item)
        else:
            corpus.documents.append(item)
            corpus.articles.extend(split_articles(item))
    return corpus
