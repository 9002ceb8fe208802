"""jieba's segmentation from the cached automaton is jieba's own, word for word (issue 18)."""

from __future__ import annotations

import random

import pytest

from geo.geoparse import segmenter as sg
from geo.settings import SEEDS_DIR

#: Texts as recognition segments them (a few characters around a name), and the cases jieba's
#: cut treats apart: Latin letters and digits buffered (5G基站, G60科创走廊), punctuation, spaces.
CASES = [
    "在蒋巷稻田连片",
    "航拍石羊社区",
    "叫璜土村",
    "成立强村公司",
    "杭州市部分行政区划",
    "村民张泰山表示",
    "5G基站建成投用",
    "G60科创走廊",
    "2024年1-8月",
    "《杭州日报》报道，",
    "  萧山 区委",
    "ABC",
    "",
    "乡乡村村",
]


@pytest.fixture(scope="module")
def jieba_own():
    tok = sg.jieba_tokenizer()
    tok.initialize()
    return tok


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    path = tmp_path_factory.mktemp("words") / "jieba.bin"
    sg._write(path)
    return sg._load(path)


def _windows(n: int = 1000) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))[:20]]
    texts = [t for t in texts if t]
    rng = random.Random(18)
    out = []
    for _ in range(n):
        t = rng.choice(texts)
        a = rng.randrange(len(t))
        out.append(t[a : a + rng.randint(1, 16)])
    return out


def test_the_cached_segmenter_cuts_as_jieba_does(jieba_own, cached):
    for text in CASES + _windows():
        assert cached.lcut(text) == jieba_own.lcut(text, HMM=False), text


def test_an_unwritable_cache_falls_back_to_jieba_itself(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")  # (a file where the folder should be: nothing can be written below it)
    monkeypatch.setattr(sg, "cache_path", lambda: blocked / "words" / "jieba.bin")
    sg.word_segmenter.cache_clear()
    try:
        seg = sg.word_segmenter()
        assert isinstance(seg, sg._JiebaSegmenter)
        assert seg.lcut("在蒋巷稻田连片") == ["在", "蒋", "巷", "稻田", "连片"]
    finally:
        sg.word_segmenter.cache_clear()
