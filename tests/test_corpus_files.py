"""Corpus files a tester throws at the reader: odd names, pipes, locked folders, Big5, bad links.
Each is read or skipped with a reason; none crashes, hangs or silently vanishes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import cli
from geo.corpus.reader import article_id, decode_bytes, read_corpus
from geo.errors import DecodeError
from geo.jsonl import read_extraction
from geo.settings import PROJECT_DIR

SAMPLE = "萧山:整合资源 推进产业社区治理新模式\n\n高亿庚 韩惠娜\n\n位于杭州市萧山区河上镇的企业。\n"
TRADITIONAL = (
    "\n臺灣經濟穩步增長\n\n臺灣經濟發展迅速，去年國內生產總值增長百分之三。台北市政府宣佈新的交通計畫，"
    "將在明年完成捷運延伸工程。高雄港的貨櫃吞吐量創下歷史新高，顯示出口產業持續回溫。\n"
)


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _reasons(folder: Path) -> dict[str, str]:
    return {s.file: s.reason for s in read_corpus([folder]).skipped}


def test_a_file_name_that_is_not_utf8_is_read_and_every_output_encodes(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    raw = os.fsencode(corpus) + b"/" + "新闻.txt".encode("gbk")  # a name from a GBK system
    with open(raw, "wb") as f:
        f.write(SAMPLE.encode("utf-8"))
    out = tmp_path / "out"
    assert cli.main(["extract", str(corpus), "--out", str(out)]) == 0
    x = read_extraction(out)
    shown = "\\xd0\\xc2\\xce\\xc5.txt"  # 新闻 in GBK, byte by byte
    assert set(x.articles["file"]) == set(x.mentions["file"]) == {shown} and len(x.mentions) > 0
    assert x.documents[0].file == shown
    assert cli.main(["export", str(corpus), "--layer", "mentions", "--format", "csv",
                     "--out", str(tmp_path / "m.csv")]) == 0  # fmt: skip
    assert shown in (tmp_path / "m.csv").read_bytes().decode("utf-8-sig")
    assert article_id("caf\udce9.txt", 0, "t")  # any str hashes, even with lone surrogates


def test_a_named_pipe_is_skipped_not_waited_on(tmp_path):
    _write(tmp_path / "good.txt", SAMPLE.encode("utf-8"))
    os.mkfifo(tmp_path / "pipe.txt")  # nobody ever writes to it
    run = subprocess.run(
        [sys.executable, "-m", "geo", "articles", str(tmp_path)],
        cwd=PROJECT_DIR, env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "skipped pipe.txt: pipe.txt: not a regular file (a named pipe)" in run.stderr
    assert "1 articles in 1 documents, 1 files skipped" in run.stderr


def test_an_unreadable_sub_folder_is_reported(tmp_path, monkeypatch):
    _write(tmp_path / "a.txt", SAMPLE.encode("utf-8"))
    locked = tmp_path / "locked"
    _write(locked / "hidden-from-us.txt", SAMPLE.encode("utf-8"))
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the kernel's answer for others explicit
        real = os.scandir

        def scandir(path="."):
            if Path(path) == locked:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        c = read_corpus([tmp_path])
    finally:
        locked.chmod(0o755)
    assert [d.file for d in c.documents] == ["a.txt"]
    assert [(s.file, s.reason) for s in c.skipped] == [
        ("locked", "locked: cannot read folder: Permission denied")
    ]


def test_big5_is_read_as_big5_and_nonsense_is_skipped_with_its_encoding(tmp_path):
    corpus = tmp_path / "corpus"
    _write(corpus / "taiwan.txt", TRADITIONAL.encode("big5"))
    _write(corpus / "gbk-traditional.txt", TRADITIONAL.encode("gbk"))
    japanese = (
        "東京都の経済は回復しつつあり、観光客の数も増えている。大阪府でも新しい鉄道の建設が始まった。\n"
    )
    _write(corpus / "tokyo.txt", japanese.encode("shift_jis"))
    out = tmp_path / "out"
    assert cli.main(["extract", str(corpus), "--out", str(out)]) == 0
    x = read_extraction(out)
    encodings = {d.file: d.encoding for d in x.documents}
    assert encodings == {"gbk-traditional.txt": "gb18030", "taiwan.txt": "big5"}
    assert list(x.articles["title"]) == ["臺灣經濟穩步增長"] * 2  # the same text in both files
    skipped = [json.loads(line) for line in (out / "skipped.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(s["file"], s["encoding"]) for s in skipped] == [("tokyo.txt", "gb18030")]
    assert "nonsense as gb18030" in skipped[0]["reason"]


def test_decode_bytes_checks_legacy_decodes_are_chinese():
    assert decode_bytes(TRADITIONAL.encode("big5")) == (TRADITIONAL, "big5")
    assert decode_bytes(SAMPLE.encode("gb18030")) == (SAMPLE, "gb18030")
    with pytest.raises(DecodeError, match="nonsense") as e:
        decode_bytes(bytes(range(0x81, 0xFF)) * 4)
    assert e.value.encoding == "gb18030"


def test_links_that_dangle_or_loop_are_skipped_per_file(tmp_path):
    _write(tmp_path / "good.txt", SAMPLE.encode("utf-8"))
    (tmp_path / "alias.txt").symlink_to(tmp_path / "good.txt")  # a link to a file is read
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    _write(tmp_path / "elsewhere" / "x.txt", SAMPLE.encode("utf-8"))
    (tmp_path / "linked").symlink_to(tmp_path / "elsewhere")
    c = read_corpus([tmp_path])
    assert [d.file for d in c.documents] == ["alias.txt", "elsewhere/x.txt", "good.txt"]
    assert _reasons(tmp_path) == {
        "gone.txt": "gone.txt: broken symbolic link (its target does not exist)",
        "loop.txt": "loop.txt: symbolic link loop",
        "linked": "linked: symbolic link to a folder: not followed",
    }
