"""Stage 1: read a corpus (files and folders) and split each document into articles.

Offsets everywhere in Corpus Atlas are Python str indices into the file's text decoded exactly
(no newline translation), so ``document.text[a.start:a.end]`` is the article.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Document:
    """One corpus file, decoded."""
    file: str            # path relative to the corpus root, POSIX separators
    path: Path           # absolute path on disk
    text: str            # decoded text, newlines untouched
    encoding: str        # "utf-8", "utf-8-sig", "gb18030" …


@dataclass(frozen=True)
class Article:
    """One article inside a document; offsets index into the document's text."""
    article_id: str      # stable: same input → same id
    file: str
    start: int
    end: int
    title: str
    byline: tuple[str, ...]
    body_start: int      # offset where the body (after title and byline) begins
    text: str            # == document.text[start:end]


@dataclass(frozen=True)
class SkippedFile:
    file: str
    reason: str


@dataclass
class Corpus:
    root: Path
    documents: list[Document] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
