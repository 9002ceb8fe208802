"""Outputs: an extraction folder holds one complete result (old or new) whatever happens to the run,
readers check its manifest, and bad output paths are one `error:` line before any work."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo import cli
from geo.errors import ExtractionError
from geo.jsonl import read_extraction
from geo.settings import PROJECT_DIR, SEEDS_DIR

PY = sys.executable


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(PROJECT_DIR))


def _extract(paths, out, **kw) -> subprocess.Popen:
    args = [PY, "-m", "geo", "extract", *map(str, paths), "--out", str(out)]
    return subprocess.Popen(args, cwd=PROJECT_DIR, env=_env(), **kw)


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if the extraction starts: output problems must be found before any work."""
    import geo.export
    import geo.pipeline

    def boom(*a, **kw):
        raise AssertionError("the corpus was extracted before the output was checked")

    monkeypatch.setattr(geo.pipeline, "extract_corpus", boom)
    monkeypatch.setattr(geo.export, "export_corpus", boom)


@pytest.fixture
def small_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("萧山区经济稳步增长\n\n萧山区河上镇今年新建道路3条。\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------- the manifest


def test_extract_writes_a_manifest_that_readers_check(tmp_path, small_corpus, capsys):
    out = tmp_path / "out"
    assert cli.main(["extract", str(small_corpus), "--out", str(out)]) == 0
    x = read_extraction(out)
    m = x.manifest
    assert sorted(os.listdir(out)) == [
        "articles.jsonl", "manifest.json", "mentions.jsonl", "metrics.jsonl", "skipped.jsonl",
    ]  # fmt: skip
    assert len(m["run_id"]) == 32 and m["counts"]["mentions"] == len(x.mentions) > 0
    assert m["counts"]["documents"] == 1 and x.documents[0].encoding == "utf-8"
    assert set(x.mentions["file"]) == {"a.txt"} and x.articles["byline"].iloc[0] == []

    # a file changed after the run: the reader refuses rather than mixing results
    with open(out / "mentions.jsonl", "a", encoding="utf-8") as f:
        f.write('{"article_id": "x"}\n')
    with pytest.raises(ExtractionError, match=r"mentions.jsonl does not match the manifest"):
        read_extraction(out)
    (out / "manifest.json").unlink()
    with pytest.raises(ExtractionError, match=r"no manifest\.json"):
        read_extraction(out)


def test_a_new_result_replaces_the_old_one_whole(tmp_path, small_corpus):
    out = tmp_path / "out"
    assert cli.main(["extract", str(SEEDS_DIR), "--out", str(out)]) == 0
    old = read_extraction(out)
    assert cli.main(["extract", str(small_corpus), "--out", str(out)]) == 0
    new = read_extraction(out)
    assert new.run_id != old.run_id and set(new.articles["file"]) == {"a.txt"}
    # nothing left beside it but the lock file
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "corpus", "out"]


# ---------------------------------------------------------------- bad --out, before any work


def test_extract_into_a_file_is_one_error_line_before_any_work(tmp_path, capsys, no_work):
    target = tmp_path / "result.jsonl"
    target.write_text("keep me", encoding="utf-8")
    assert cli.main(["extract", str(SEEDS_DIR), "--out", str(target)]) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert "result.jsonl is a file" in line
    assert target.read_text(encoding="utf-8") == "keep me"


def test_extract_refuses_a_folder_of_other_files(tmp_path, capsys, no_work):
    home = tmp_path / "Documents"
    home.mkdir()
    (home / "thesis.docx").write_bytes(b"precious")
    assert cli.main(["extract", str(SEEDS_DIR), "--out", str(home)]) == 1
    assert "thesis.docx" in _one_error_line(capsys.readouterr().err)
    assert (home / "thesis.docx").read_bytes() == b"precious"


def test_export_into_a_folder_is_one_error_line_before_any_work(tmp_path, capsys, no_work):
    assert cli.main(["export", str(SEEDS_DIR), "--format", "csv", "--out", str(tmp_path)]) == 1
    assert "is a folder" in _one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("command", ["extract", "export"])
def test_an_os_error_is_one_error_line(command, tmp_path, capsys, small_corpus):
    out = tmp_path / ("x" * 300)  # longer than any file name may be
    assert cli.main([command, str(small_corpus), "--out", str(out)]) == 1
    assert "File name too long" in _one_error_line(capsys.readouterr().err)


# ---------------------------------------------------------------- one run at a time


def test_a_second_run_into_a_locked_folder_refuses_at_once(tmp_path, capsys, no_work):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [PY, "-c", "import sys, time; from geo.outputs import output_lock\n"
         f"with output_lock({str(out)!r}):\n    print('locked', flush=True); time.sleep(60)"],
        cwd=PROJECT_DIR, env=_env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        t0 = time.monotonic()
        assert cli.main(["extract", str(SEEDS_DIR), "--out", str(out)]) == 1
        line = _one_error_line(capsys.readouterr().err)
        assert f"another run (pid {holder.pid}) is writing" in line and time.monotonic() - t0 < 5
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_two_runs_started_together_never_mix(tmp_path, small_corpus):
    out = tmp_path / "out"
    for _ in range(3):
        runs = [
            _extract([corpus], out, stderr=subprocess.PIPE, text=True) for corpus in (SEEDS_DIR, small_corpus)
        ]
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in runs]
        assert sorted(rc for rc, _ in results) in ([0, 0], [0, 1]), results
        for rc, err in results:
            if rc:
                assert "is writing" in _one_error_line(err)
        x = read_extraction(out)
        assert len(x.mentions) and set(x.mentions["article_id"]) <= set(x.articles["article_id"])


# ---------------------------------------------------------------- fault injection


def _state(out: Path) -> dict:
    """What a reader gets: the verified files (raises if the folder is not one complete result)."""
    return read_extraction(out).manifest["files"]


def _listing(parent: Path) -> set:
    """Every entry under ``parent`` with its size and mtime (the lock file aside)."""
    return {
        (p.relative_to(parent).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in parent.rglob("*")
        if p.name != ".out.lock" and p.exists()
    }


def _wait_until_writing(run: subprocess.Popen, parent: Path, before: set) -> None:
    """Until the run starts writing its result (anything beside or in the folder changes)."""
    while run.poll() is None:
        try:
            if _listing(parent) != before:
                return
        except FileNotFoundError:  # an entry vanished while we looked: a change
            return
        time.sleep(0.002)


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_the_old_or_the_new_result(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run(
        [PY, "bench/gen_corpus.py", "--out", str(corpus), "--size", "2MB", "--seed", "1"],
        cwd=PROJECT_DIR, env=_env(), check=True, capture_output=True,
    )  # fmt: skip
    out, saved_old, ref = tmp_path / "out", tmp_path / "saved-old", tmp_path / "ref"
    assert _extract([SEEDS_DIR], out).wait() == 0
    old = _state(out)
    shutil.copytree(out, saved_old)
    t0 = time.monotonic()
    assert _extract([corpus], ref, stdout=subprocess.DEVNULL).wait() == 0
    full = time.monotonic() - t0
    new = _state(ref)
    assert new != old

    rng = random.Random(19)
    outcomes = []
    for i in range(20):
        if _state(out) != old:  # start every run over the earlier output
            shutil.rmtree(out)
            shutil.copytree(saved_old, out)
        before = _listing(tmp_path)
        run = _extract([corpus], out, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i % 2:  # anywhere in the run
            time.sleep(rng.uniform(0, full))
        else:  # while the result is being written and swapped in
            _wait_until_writing(run, tmp_path, before)
            time.sleep(rng.uniform(0, 1.0))
        run.send_signal(signal.SIGKILL)
        run.wait()
        state = _state(out)  # raises ExtractionError if the folder is incomplete or mixed
        assert state in (old, new), f"kill {i}: neither the old nor the new result"
        outcomes.append("new" if state == new else "old")
    assert "old" in outcomes, outcomes  # some kills landed before the new result was complete

    # the next run completes and removes what killed runs left beside the folder
    assert _extract([corpus], out, stdout=subprocess.DEVNULL).wait() == 0
    assert _state(out) == new
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == [".out.lock"]
