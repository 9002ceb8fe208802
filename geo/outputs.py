"""Output paths written so that a killed or concurrent run never leaves half a result.

Why: ``extract --out DIR`` once overwrote its files one after another, so a run killed between
them left new articles beside old mentions, and two runs into one folder mixed their files.

- :func:`check_output_folder` / :func:`check_output_file`: a clear :class:`OutputError` before
  any work (a file where a folder is needed, a folder where a file is, a folder of other files).
- :func:`output_lock`: an exclusive ``flock`` on a hidden ``.DIR.lock`` file beside the folder,
  held for the whole run. A second run **refuses at once** (:class:`OutputBusyError`, naming the
  holder's pid) rather than waiting: it would redo the whole extraction only to replace the first
  run's result. The kernel drops the lock when its holder dies, even by SIGKILL; the lock file
  itself stays (deleting it would race with the next run).
- :func:`new_temp_folder` + :func:`replace_folder`: the result is written into ``.DIR.tmp-…``
  beside the folder and swapped into place in one step (Linux ``renameat2(RENAME_EXCHANGE)``;
  elsewhere two renames, and the next run puts back a result left aside between them), so
  ``DIR`` always holds one complete result, the old one or the new one.
- :func:`write_file_atomic`: a single file written beside its target and renamed over it.

POSIX only (``fcntl``), like the rest of the tool's set-up.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.errors import OutputBusyError, OutputError

#: Folders this process holds locked (output_lock is re-entrant within one process).
_HELD: set[Path] = set()


def _sibling(folder: Path, tag: str) -> Path:
    return folder.parent / f".{folder.name}.{tag}"


def _siblings(folder: Path, tag: str) -> list[Path]:
    prefix = f".{folder.name}.{tag}-"
    try:
        return sorted(folder.parent / n for n in os.listdir(folder.parent) if n.startswith(prefix))
    except FileNotFoundError:
        return []


def check_output_folder(path: Path | str, allowed: Collection[str]) -> Path:
    """The absolute output folder (symlinks resolved), or OutputError if it cannot be one.

    An existing folder may hold only ``allowed`` names: the whole folder is replaced, so a folder
    of other files (``--out ~/Documents``) is refused rather than emptied."""
    folder = Path(path).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; the output must be a folder (it holds several files)")
    if folder.parent.exists() and not folder.parent.is_dir():
        raise OutputError(f"{folder.parent} is a file, not a folder")
    if folder.is_dir():
        foreign = sorted(n for n in os.listdir(folder) if n not in allowed)
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise OutputError(
                f"{folder} holds files that are not part of an extraction ({shown}); the output folder "
                "is replaced as a whole: choose a new or empty folder"
            )
    return folder


def check_output_file(path: Path | str) -> Path:
    """The output file, or OutputError if a folder is in the way or its folder cannot be written."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise OutputError(f"{p} is a folder; the output is one file: give its name (e.g. {p / 'atlas.csv'})")
    parent = p.parent if str(p.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"{parent} is a file, not a folder")
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {parent}: permission denied")
    return p


@contextmanager
def output_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock (creating its parent); OutputBusyError if another run holds it."""
    folder = Path(folder)
    if folder in _HELD:
        yield
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(_sibling(folder, "lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as e:  # the first write beside the folder: say where, not which lock file
        raise OutputError(f"cannot write in {folder.parent}: {e.strerror or e}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise OutputBusyError(
                f"another run (pid {holder}) is writing {folder}; wait for it to finish "
                "or choose another output folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD.add(folder)
        try:
            _recover(folder)
            yield
        finally:
            _HELD.discard(folder)
    finally:
        os.close(fd)  # releases the lock


def _recover(folder: Path) -> None:
    """Under the lock: put back a result that a killed two-rename swap left aside, then drop the
    temporaries of killed runs."""
    aside = _siblings(folder, "old")
    if aside and not os.path.lexists(folder):
        os.rename(aside.pop(), folder)
    for p in aside + _siblings(folder, "tmp"):
        shutil.rmtree(p, ignore_errors=True)


def new_temp_folder(folder: Path) -> Path:
    """An empty folder beside ``folder`` (same file system, so the final rename is atomic)."""
    tmp = _sibling(folder, f"tmp-{uuid.uuid4().hex[:12]}")
    os.mkdir(tmp, 0o777)  # the umask applies, as for a folder made by hand
    return tmp


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_folder(new: Path, folder: Path) -> None:
    """Put the complete folder ``new`` at ``folder`` in one step, then delete the old result."""
    fsync_path(new)
    if not os.path.lexists(folder):
        os.rename(new, folder)
        old = None
    elif _exchange(new, folder):
        old = new  # the old result now has the temporary name
    else:
        old = _sibling(folder, f"old-{uuid.uuid4().hex[:12]}")
        os.rename(folder, old)
        os.rename(new, folder)
    fsync_path(folder.parent)
    if old is not None:
        shutil.rmtree(old)


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it over ``path``: readers see old or new bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex[:12]}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
