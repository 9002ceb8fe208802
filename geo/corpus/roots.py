"""Which folders a shared app may read a corpus from, and what it may show of them.

Why: an app that reads any typed path shows any text file on the server (a ``.md`` holding a
password), and a skipped-files table that names every file lists ``/etc/ssl`` for anyone who
types it. So the app resolves what a user types with :func:`resolve_corpus_path` (symlinks and
``..`` resolved *before* the check, so a link cannot lead out of the allowed folders), lists a
folder with :func:`list_corpus_folder` (non-text files are counted, never named), and checks
uploads and folders against the size limits with :func:`check_corpus_limits`. All are pure
library functions; ``Settings.allowed_corpus_roots()`` gives the roots.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geo.corpus.reader import TEXT_SUFFIXES, corpus_files
from geo.errors import CorpusError, CorpusTooLargeError, OutsideCorpusRootsError
from geo.settings import Settings


def resolve_corpus_path(typed: str, roots: Iterable[Path | str]) -> Path:
    """The real path of a typed file or folder, if it lies inside one of ``roots``.

    A relative path is taken inside the first root. OutsideCorpusRootsError when it resolves
    outside every root (checked before existence, so the answer never tells whether a path
    outside exists); CorpusError when it is empty, malformed or missing."""
    text = (typed or "").strip()
    if not text:
        raise CorpusError("no corpus folder given")
    if "\x00" in text:
        raise CorpusError("not a valid path (contains a NUL character)")
    allowed = [Path(r).expanduser().resolve() for r in roots]
    if not allowed:
        raise OutsideCorpusRootsError("this server allows no corpus folders (ATLAS_CORPUS_ROOTS)")
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = allowed[0] / path
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as e:  # a symbolic link loop
        raise CorpusError(f"{text}: cannot be resolved ({e})") from None
    if not any(real == root or real.is_relative_to(root) for root in allowed):
        raise OutsideCorpusRootsError(
            f"{text} is outside the corpus folders this server allows "
            f"({', '.join(map(str, allowed))}; set by ATLAS_CORPUS_ROOTS)"
        )
    if not real.exists():
        raise CorpusError(f"{text}: no such file or folder")
    return real


@dataclass(frozen=True)
class FolderListing:
    """What a folder holds for the reader: its text files, and only counts of everything else."""

    files: tuple[Path, ...]  # *.txt, *.md, *.markdown the reader would read, in path order
    text_bytes: int  # their total size (what the size limit counts)
    other_files: int  # files of any other kind: counted, never named
    problems: int  # sub-folders that cannot be listed, links to folders (the reader reports them)
    _stamps: tuple[tuple[bytes, int, int], ...] = field(default=(), repr=False)

    def fingerprint(self) -> str:
        """Changes when any text file is added, removed or edited (size or mtime); any file name
        and any broken link can be hashed."""
        h = hashlib.sha1()
        for name, size, mtime in self._stamps:
            h.update(name + b"\0" + f"{size}\0{mtime}\n".encode())
        return h.hexdigest()[:16]


def list_corpus_folder(path: Path) -> FolderListing:
    """The text files under ``path`` (same walk and rules as the reader) without ever raising for
    one bad entry: a dangling or looping link is listed with size 0, the reader skips it."""
    path = Path(path)
    problems: list[tuple[Path, str]] = []
    files, stamps, other, total = [], [], 0, 0
    for f in corpus_files(path, problems):
        if f.suffix.lower() not in TEXT_SUFFIXES:
            other += 1
            continue
        try:
            st = os.stat(f)
            size, mtime = (st.st_size, st.st_mtime_ns) if os.path.isfile(f) else (0, st.st_mtime_ns)
        except OSError:
            size, mtime = 0, 0
        files.append(f)
        stamps.append((os.fsencode(f), size, mtime))
        total += size
    return FolderListing(tuple(files), total, other, len(problems), tuple(stamps))


def check_corpus_limits(files: int, total_bytes: int, settings: Settings) -> None:
    """CorpusTooLargeError when an upload or folder is over the app's limits."""
    if files > settings.max_upload_files:
        raise CorpusTooLargeError(
            f"{files:,} text files is more than this app reads at once ({settings.max_upload_files:,}; "
            "ATLAS_MAX_UPLOAD_FILES)"
        )
    mb = total_bytes / 1e6
    if mb > settings.max_upload_mb:
        raise CorpusTooLargeError(
            f"{mb:,.1f} MB of text is more than this app reads at once ({settings.max_upload_mb:g} MB; "
            "ATLAS_MAX_UPLOAD_MB)"
        )
