"""Stage 1: read a corpus (files and folders) and split each document into articles.

Offsets everywhere in Corpus Atlas are Python str indices into the file's text decoded exactly
(no newline translation), so ``document.text[a.start:a.end]`` is the article.

Reading rules:
- Paths may be files or folders; folders are walked recursively in sorted order. ``*.txt``,
  ``*.md`` and ``*.markdown`` (any case) are read; every other file is reported in
  ``Corpus.skipped`` ("unsupported format .pdf"). Hidden files and folders (``.git``) are not
  visited. A path that does not exist raises ``CorpusError``; everything after that point is
  skip-and-report: one bad file never stops the rest.
- Only regular files are read (a named pipe would block the reader forever); a symbolic link
  that dangles or loops, a link to a folder (not followed: it could leave the corpus or loop) and
  a sub-folder that cannot be listed are skipped with their reason, like an unreadable file.
- ``file`` names are POSIX paths relative to the corpus root: the folder given, or the file's
  parent; with several paths, the deepest folder containing all of them. A name that is not
  valid UTF-8 is read all the same; in ``file`` (and so in ids and every output) each such byte
  is written ``\\xNN``, so names always encode.
- Decoding is exact: a UTF-8 BOM is not part of the text (encoding ``utf-8-sig``), CRLF line
  ends are kept. UTF-8 is tried first, then GB18030 (which also covers GBK/GB2312) and Big5, and
  UTF-16 with a BOM; a GB18030 or Big5 decode must look like Chinese (``geo.corpus.decoding``).
  NUL bytes, many control characters, bytes no encoding accepts or nonsense in every encoding
  mean "binary or undecodable" and the file is skipped with that reason. The encoding used is
  recorded per document (``Document.encoding``; for a skipped file, the one rejected). An empty
  file is a document with no articles.
- Article ids are the first 16 hex digits of SHA-1 over (file, start, title): the same input
  gives the same ids on every run and machine.

How documents are split into articles is documented in ``geo.corpus.news`` (markdown and plain
news pages) and ``geo.corpus.magazine`` (magazine text extracted from PDF).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.corpus.dates import DocumentDates, article_date
from geo.corpus.decoding import decode_bytes
from geo.corpus.lines import squash
from geo.corpus.split import split_text
from geo.errors import CorpusError, DecodeError
from geo.schema import Article, Document, Section, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


@dataclass
class Corpus:
    root: Path
    documents: list[Document] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


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


def corpus_files(path: Path, problems: list[tuple[Path, str]] | None = None) -> list[Path]:
    """The file itself, or every non-hidden file under the folder in path order.

    Sub-folders that cannot be listed and links to folders are appended to ``problems`` as
    (path, reason) when it is given; they are never silently missing."""
    if path.is_file():
        return [path]
    found: list[Path] = []

    def unreadable(e: OSError) -> None:
        if problems is not None and e.filename is not None:
            problems.append((Path(e.filename), f"cannot read folder: {e.strerror or e}"))

    for folder, dirs, files in os.walk(path, onerror=unreadable):
        for d in [d for d in dirs if not d.startswith(".")]:
            if os.path.islink(os.path.join(folder, d)) and problems is not None:
                problems.append((Path(folder) / d, "symbolic link to a folder: not followed"))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder) / name for name in files if not name.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(path).parts)


def display_name(relative: Path) -> str:
    """A relative path as a ``file`` name: POSIX separators, bytes that are not UTF-8 as \\xNN
    (a name from disk may hold any bytes; outputs must encode)."""
    return os.fsencode(relative.as_posix()).decode("utf-8", "backslashreplace")


def _not_regular(mode: int) -> str:
    for test, what in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return f"not a regular file ({what})"
    return "not a regular file"


def _stat_problem(path: Path, e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return "symbolic link loop"
    if e.errno in (errno.ENOENT, errno.ENOTDIR) and path.is_symlink():
        return "broken symbolic link (its target does not exist)"
    return f"cannot read: {e.strerror or e}"


def load_document(path: Path, file: str) -> Document | Skipped:
    """Read and decode one file; a Skipped (naming the file and why) instead of raising.

    Only regular files are opened (a FIFO would block forever), and without blocking, in case
    the file was swapped for one between the check and the open."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return Skipped(
            file, f"unsupported format {suffix}" if suffix else "unsupported format (no extension)"
        )
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        return Skipped(file, f"{file}: {_stat_problem(path, e)}")
    if not stat.S_ISREG(mode):
        return Skipped(file, f"{file}: {_not_regular(mode)}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            mode = os.fstat(f.fileno()).st_mode
            if not stat.S_ISREG(mode):
                return Skipped(file, f"{file}: {_not_regular(mode)}")
            data = f.read()
    except OSError as e:
        return Skipped(file, f"cannot read {file}: {e.strerror or e}")
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        return Skipped(file, f"{file}: {e}", e.encoding)
    return Document(file, path, text, encoding)


def corpus_listing(paths: Iterable[Path]) -> Iterator[tuple[str, Path, str | None]]:
    """(file, path, why it is left out or None) for every corpus entry, in path order: the one
    walk that extraction and the store build share (names shown as text, duplicates dropped).

    Raises CorpusError (before yielding anything) if a given path does not exist.
    """
    paths = [Path(p) for p in paths]
    root = corpus_root(paths)
    seen: set[Path] = set()
    names: set[str] = set()
    for p in paths:
        base = p.resolve()
        problems: list[tuple[Path, str]] = []
        files = corpus_files(base, problems)
        reasons = dict(problems)
        for f in sorted([*files, *reasons], key=lambda q: q.relative_to(base).parts):
            if f in seen:
                continue
            seen.add(f)
            file = display_name(f.relative_to(root))
            if f in reasons:
                yield file, f, f"{file}: {reasons[f]}"
            elif file in names:  # two names that differ only in bytes shown as \xNN
                yield file, f, f"{file}: another file has the same name once shown as text"
            else:
                names.add(file)
                yield file, f, None


def iter_documents(paths: Iterable[Path]) -> Iterator[Document | Skipped]:
    """Documents one at a time (only one file's text in memory), Skipped for files (and
    folders) left out, in path order.

    Raises CorpusError (before yielding anything) if a given path does not exist.
    """
    listing = corpus_listing(paths)
    for file, path, problem in listing:
        yield Skipped(file, problem) if problem else load_document(path, file)


# ---------------------------------------------------------------- articles


def article_id(file: str, start: int, title: str) -> str:
    text = f"{file}\x00{start}\x00{title}"
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]  # any str hashes


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
