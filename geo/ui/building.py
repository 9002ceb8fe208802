"""A corpus folder's store for the page: opened when it is current, else built by a separate
``python -m geo build`` process (never a fork of this threaded server) while the page waits or
shows the older store. Split from :mod:`geo.ui.data`, which reads what this opens.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from threading import Lock

import streamlit as st

from geo.errors import StoreError
from geo.settings import Settings
from geo.store import AtlasStore, default_store_path, fingerprint
from geo.ui.data import StoreRef


@st.cache_resource
def _builds() -> tuple[dict[str, tuple[subprocess.Popen, Path]], Lock]:
    return {}, Lock()


def open_or_build(folder: Path, settings: Settings, status) -> StoreRef | None:
    """The store of ``folder``; None while its first build runs (``status`` shows the progress;
    the caller reruns the page). A store built before the gazetteer or the program changed is
    shown while a rebuild runs beside it (the store file is swapped when the rebuild is done).
    A failed build raises StoreError with the build's own message."""
    if not folder.exists():
        raise StoreError(f"找不到语料文件夹 {folder}")
    path = default_store_path(folder, settings)
    builds, lock = _builds()
    with lock:
        running = builds.get(str(path))
        if running is not None:
            proc, log = running
            if proc.poll() is None:
                if path.is_file():
                    status.info("地名库或程序已更新：正在后台重建语料库，完成后刷新页面即可看到新的结果。")
                    return _ref(path)
                status.info(f"正在构建语料库 {folder} …  {_last_line(log)}")
                return None
            del builds[str(path)]
            if proc.returncode != 0:
                raise StoreError(f"构建失败：{_last_line(log) or proc.returncode}")
        if path.is_file():
            try:
                meta = _meta(_ref(path))
            except StoreError:  # another schema version (an upgrade) or damage: build it anew
                builds[str(path)] = _start_build(folder, path)
                status.info("语料库来自另一版本的程序：正在重新构建…")
                return None
            if meta.get("fingerprint") != fingerprint(settings):
                builds[str(path)] = _start_build(folder, path)
                status.info("地名库或程序已更新：正在后台重建语料库，完成后刷新页面即可看到新的结果。")
            return _ref(path)
        builds[str(path)] = _start_build(folder, path)
        status.info(f"正在构建语料库 {folder} …")
        return None


@st.cache_data(max_entries=16, show_spinner=False)
def _meta(ref: StoreRef) -> dict[str, str]:
    """The store's meta table, read once per version of the file (not at every rerun)."""
    return AtlasStore(ref.path).meta


def _ref(path: Path) -> StoreRef:
    st_ = path.stat()
    return StoreRef(str(path), f"{st_.st_ino}:{st_.st_mtime_ns}:{st_.st_size}")


def _start_build(folder: Path, path: Path) -> tuple[subprocess.Popen, Path]:
    """``python -m geo build`` in its own process (never a fork of this threaded server)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    log = path.with_name(path.name + ".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "geo", "build", str(folder), "--store", str(path)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    return proc, log


def _last_line(log: Path) -> str:
    """The build's latest progress line (tqdm redraws with carriage returns)."""
    try:
        tail = log.read_bytes()[-600:].decode("utf-8", "replace")
    except OSError:
        return ""
    parts = [p.strip() for p in tail.replace("\r", "\n").split("\n") if p.strip()]
    return parts[-1] if parts else ""


def wait_and_rerun(seconds: float = 1.0) -> None:
    time.sleep(seconds)
    st.rerun()
