"""Corpus reader: files and folders, encodings, exact offsets, and the article split of the seeds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.corpus import squash
from geo.corpus.reader import (
    Document,
    Skipped,
    decode_bytes,
    iter_documents,
    read_corpus,
    split_articles,
    title_in_text,
    title_matches,
)
from geo.errors import CorpusError
from geo.schema import DATE_SOURCES
from geo.settings import PROJECT_DIR, SEEDS_DIR

EXPECTED = json.loads((Path(__file__).parent / "data" / "expected_articles.json").read_text(encoding="utf-8"))
NEWS = EXPECTED["news_pages"]
MAG = EXPECTED["magazine"]


@pytest.fixture(scope="module")
def seeds():
    return read_corpus([SEEDS_DIR])


def _doc(text: str, file: str = "t.txt") -> Document:
    return Document(file, Path(file), text, "utf-8")


# ---------------------------------------------------------------- the seeds


@pytest.mark.parametrize("file", sorted({e["file"] for e in NEWS}))
def test_news_seed_articles_match_expected_list(seeds, file):
    expected = [e for e in NEWS if e["file"] == file]
    got = [a for a in seeds.articles if a.file == file]
    assert [a.title for a in got] == [e["title"] for e in expected]
    doc = next(d for d in seeds.documents if d.file == file)
    for a, e in zip(got, expected):
        assert list(a.byline) == e["byline"], a.title
        assert doc.text[a.body_start :].startswith(e["body_starts"]), a.title
        if "ends_with" in e:
            assert a.text.endswith(e["ends_with"]), a.title
        assert [s.title for s in a.sections] == e["sections"], a.title
        assert (a.date, a.date_source) == (e["date"], e["date_source"]), a.title


def test_magazine_seed_articles_match_expected_list(seeds):
    """004 as read: features whole with their sections, each brief an article, titles printed
    after their text starting at the first paragraph (list in tests/data/expected_articles.json)."""
    got = [a for a in seeds.articles if a.file == MAG["file"]]
    expected = MAG["articles"]
    assert [a.title for a in got] == [e["title"] for e in expected]
    for a, e in zip(got, expected):
        assert squash(a.text).startswith(e["starts"]), a.title
        assert list(a.byline) == e.get("byline", []), a.title
        assert [s.title for s in a.sections] == e.get("sections", []), a.title
        assert a.date == e["date"], a.title
        assert len(squash(a.text)) >= 60  # no fragments: every article has real text


def test_magazine_features_are_whole_with_their_sections(seeds):
    got = {a.title: a for a in seeds.articles if a.file == MAG["file"]}
    titles = " ".join(got)
    for section in ("历史钩沉", "现实审视", "正式落地", "未来展望", "产业引领力显著增强", "16 家企业入列"):
        assert section not in titles  # a section heading never starts an article
    a = got["杭州区划调整落地 千年古都呈现新格局"]
    assert [s.title.split()[0] for s in a.sections] == ["历史钩沉", "现实审视", "正式落地", "未来展望"]
    assert all(a.start < s.start < a.end for s in a.sections)
    assert [s.start for s in a.sections] == sorted(s.start for s in a.sections)
    assert "积蓄已久的内在张力" in a.text and "呼之欲出的新型格局" in a.text
    science = got["一核引领、两区联动、全域覆盖 这座位于杭州东部的科学城值得期待"]
    assert len(science.sections) >= 10 and science.text.startswith("位于大创小镇")  # its standfirst


def test_magazine_late_titles_start_at_their_first_paragraph(seeds):
    doc = next(d for d in seeds.documents if d.file == MAG["file"])
    got = {a.title: a for a in seeds.articles if a.file == MAG["file"]}
    late = [e for e in MAG["articles"] if "late_title_first_paragraph" in e]
    assert len(late) >= 5
    for e in late:
        a = got[e["title"]]
        assert a.text.startswith(e["late_title_first_paragraph"]), a.title
        assert not title_matches(a) and title_in_text(a), a.title  # the title comes later
        assert a.body_start == a.start  # the body is what comes first
        before = doc.text[: a.start].rstrip()
        assert not before.endswith(e["late_title_first_paragraph"][:4])


def test_every_seed_article_has_a_date(seeds):
    for a in seeds.articles:
        assert a.date_source in DATE_SOURCES
        if a.date_source == "unknown":
            assert a.date is None and a.file.startswith(("001", "002"))
        else:
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", a.date), a
    mag = [a for a in seeds.articles if a.file == MAG["file"]]
    assert {a.date[:4] for a in mag} == {"2021"}  # the year, also for "4 月 16 日"


def test_every_seed_article_starts_with_its_title_and_covers_the_text(seeds):
    for doc in seeds.documents:
        arts = [a for a in seeds.articles if a.file == doc.file]
        assert arts, doc.file
        for a in arts:
            assert a.text == doc.text[a.start : a.end]
            assert title_in_text(a), (a.file, a.title)
            if doc.file != MAG["file"] and a.title and "\n" not in doc.text[a.start : a.start + len(a.title)]:
                assert a.text.startswith(a.title)
            assert a.start <= a.body_start <= a.end
            assert a.text == a.text.strip()
            assert all(a.start <= s.start < a.end for s in a.sections)
        # articles are in order, do not overlap, and lose no text (only blank lines between)
        assert all(x.end <= y.start for x, y in zip(arts, arts[1:]))
        assert squash("".join(a.text for a in arts)) == squash(re.sub(r"(?m)^#[ \t]+", "", doc.text))


def test_markdown_titles_start_at_the_title_text_not_the_hash(seeds):
    doc = next(d for d in seeds.documents if d.file.startswith("000_"))
    a = next(a for a in seeds.articles if a.file == doc.file)
    assert doc.text[a.start - 2 : a.start] == "# "


def test_article_ids_are_stable_unique_and_independent_of_where_the_corpus_lives(seeds, tmp_path):
    again = read_corpus([SEEDS_DIR])
    assert [a.article_id for a in again.articles] == [a.article_id for a in seeds.articles]
    ids = [a.article_id for a in seeds.articles]
    assert len(set(ids)) == len(ids)
    copy = tmp_path / "elsewhere"
    shutil.copytree(SEEDS_DIR, copy)
    moved = read_corpus([copy])
    assert [a.article_id for a in moved.articles] == ids


def test_cli_lists_articles_as_table_and_jsonl():
    run = [sys.executable, "-m", "geo", "articles", str(SEEDS_DIR)]
    table = subprocess.run(run, capture_output=True, text=True, cwd=PROJECT_DIR, check=True)
    assert "萧山:整合资源 推进产业社区治理新模式\t高亿庚 韩惠娜 范倩倩" in table.stdout
    assert "articles in 5 documents, 0 files skipped" in table.stderr
    jl = subprocess.run(
        run + ["--format", "jsonl"], capture_output=True, text=True, cwd=PROJECT_DIR, check=True
    )
    rows = [json.loads(line) for line in jl.stdout.splitlines()]
    assert {r["file"] for r in rows} == {p.name for p in SEEDS_DIR.glob("*.txt")}
    assert any(r["title"] == "" and r["byline"] == ["孙金良", "王凯"] for r in rows)


# ---------------------------------------------------------------- the three layouts, synthetic


def test_markdown_layout_h1_starts_articles_h2_does_not():
    text = (
        "# 第一篇 标题\n\n张三 李四\n\n正文第一段，讲临安。\n\n## 小标题\n\n正文第二段。\n\n"
        "# 第二篇标题\n\n王五\n\n另一篇的正文。\n"
    )
    arts = split_articles(_doc(text, "md.md"))
    assert [a.title for a in arts] == ["第一篇 标题", "第二篇标题"]
    assert [a.byline for a in arts] == [("张三", "李四"), ("王五",)]
    assert "## 小标题" in arts[0].text and arts[0].text.endswith("正文第二段。")
    assert text[arts[0].body_start :].startswith("正文第一段")
    assert arts[1].text.startswith("第二篇标题")


def test_plain_layout_unit_line_padded_names_captions_and_several_articles():
    text = (
        "湖州市某某局:\n\n春耕备耕忙 田间地头新景象\n\n叶 蕾 孙明\n\n"
        "近日，湖州市吴兴区的田间一派繁忙。\n\n插秧机在田里作业\n\n王佳萱 摄\n\n"
        "小标题 不是新文章\n\n更多正文，讲吴兴。\n\n"
        "安吉:竹林碳汇 助农增收\n\n陈晓\n\n安吉县的竹林面积很大。\n"
    )
    arts = split_articles(_doc(text))
    assert [a.title for a in arts] == ["湖州市某某局: 春耕备耕忙 田间地头新景象", "安吉:竹林碳汇 助农增收"]
    assert arts[0].byline == ("叶蕾", "孙明")
    assert arts[0].text.startswith("湖州市某某局:") and title_matches(arts[0])
    assert "王佳萱 摄" in arts[0].text and "小标题 不是新文章" in arts[0].text
    assert arts[1].byline == ("陈晓",)


def test_a_byline_after_body_text_starts_an_untitled_article():
    text = (
        "标题一\n\n赵一 钱二\n\n"
        + "第一篇的正文很长很长。" * 5
        + "\n\n孙金良 王凯\n\n第二篇没有标题的正文。\n"
    )
    arts = split_articles(_doc(text))
    assert [(a.title, a.byline) for a in arts] == [("标题一", ("赵一", "钱二")), ("", ("孙金良", "王凯"))]
    assert arts[1].text.startswith("孙金良 王凯")


def test_text_without_titles_or_bylines_is_one_article_titled_by_its_first_line():
    text = "\n钱塘江观潮\n\n今天去海宁看潮，人很多。\n\n潮水来得很快。\n"
    (a,) = split_articles(_doc(text))
    assert a.title == "钱塘江观潮" and a.text.endswith("潮水来得很快。") and a.byline == ()
    (b,) = split_articles(_doc("只有一句话，没有标题。"))
    assert b.title == "" and b.text == "只有一句话，没有标题。"


def test_magazine_layout_blocks_labels_and_credits():
    body = "".join(f"第{i}行正文内容，说的是钱塘区的产业发展情况\n\n" for i in range(30))
    text = (
        "杭州发布首批培育名单\n钱塘区企业上榜\n文 / 汪株燚 通讯员 / 李琳\n\n"
        + body
        + "[ 新闻链接 ]\n\n下沙街道：\n数字赋能高质量发展\n\n"
        + body
    )
    arts = split_articles(_doc(text, "mag.txt"))
    assert [a.title for a in arts] == [
        "杭州发布首批培育名单 钱塘区企业上榜",
        "[ 新闻链接 ] 下沙街道： 数字赋能高质量发展",
    ]
    assert arts[0].byline == ("汪株燚", "李琳")
    assert text[arts[0].body_start :].startswith("第0行正文")
    assert all(title_matches(a) for a in arts)


# ---------------------------------------------------------------- encodings and offsets

SAMPLE = "萧山:整合资源 推进产业社区治理新模式\n\n高亿庚 韩惠娜\n\n位于杭州市萧山区河上镇的企业。\n\n建德:乡村振兴\n\n朱飞\n\n建德市的乡村。\n"


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoding,reported",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
def test_encodings_are_detected_and_give_the_same_articles(tmp_path, encoding, reported):
    _write(tmp_path / "a.txt", SAMPLE.encode(encoding))
    c = read_corpus([tmp_path])
    (doc,) = c.documents
    assert doc.encoding == reported and doc.text == SAMPLE
    assert [a.title for a in c.articles] == ["萧山:整合资源 推进产业社区治理新模式", "建德:乡村振兴"]
    assert all(doc.text[a.start : a.end].startswith(a.title) for a in c.articles)


def test_crlf_is_kept_and_offsets_index_the_crlf_text(tmp_path):
    _write(tmp_path / "crlf.txt", SAMPLE.replace("\n", "\r\n").encode("utf-8"))
    c = read_corpus([tmp_path])
    (doc,) = c.documents
    assert "\r\n" in doc.text
    lf = split_articles(_doc(SAMPLE))
    for a, b in zip(c.articles, lf):
        assert doc.text[a.start : a.end].startswith(a.title)
        assert a.start == b.start + SAMPLE[: b.start].count("\n")  # one extra \r per line
        assert not a.text.endswith("\r")
        assert a.text.replace("\r\n", "\n") == b.text
    assert doc.text[c.articles[0].body_start :].startswith("位于杭州市萧山区")


def test_decode_bytes_rules():
    assert decode_bytes(b"") == ("", "utf-8")
    assert decode_bytes("中文".encode("utf-8-sig")) == ("中文", "utf-8-sig")
    assert decode_bytes("中文".encode("gb18030")) == ("中文", "gb18030")
    with pytest.raises(CorpusError, match="NUL"):
        decode_bytes(b"abc\x00def")
    with pytest.raises(CorpusError, match="cannot decode"):
        decode_bytes(b"\x80abc")
    with pytest.raises(CorpusError, match="control characters"):
        decode_bytes(bytes(range(1, 32)) * 20)


def test_empty_and_blank_files_are_documents_without_articles(tmp_path):
    _write(tmp_path / "empty.txt", b"")
    _write(tmp_path / "blank.md", b"\n \r\n\t\n")
    c = read_corpus([tmp_path])
    assert sorted(d.file for d in c.documents) == ["blank.md", "empty.txt"]
    assert c.articles == [] and c.skipped == []


def test_a_folder_with_bad_files_among_good_ones(tmp_path):
    _write(tmp_path / "good.txt", SAMPLE.encode("utf-8"))
    _write(tmp_path / "sub" / "deeper" / "notes.MD", "# 标题\n\n正文。\n".encode())
    _write(tmp_path / "sub" / "gbk.txt", SAMPLE.encode("gbk"))
    _write(tmp_path / "bad.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(tmp_path / "latin1.txt", "caf\xe9 \xa0\xff".encode("latin-1"))
    _write(tmp_path / "photo.png", b"\x89PNG")
    _write(tmp_path / "README", b"no extension")
    _write(tmp_path / ".git" / "x.txt", b"hidden, never read")
    c = read_corpus([tmp_path])
    assert [d.file for d in c.documents] == ["good.txt", "sub/deeper/notes.MD", "sub/gbk.txt"]
    reasons = {s.file: s.reason for s in c.skipped}
    assert set(reasons) == {"bad.txt", "latin1.txt", "photo.png", "README"}
    assert "bad.txt" in reasons["bad.txt"] and "binary" in reasons["bad.txt"]
    assert "latin1.txt" in reasons["latin1.txt"] and "cannot decode" in reasons["latin1.txt"]
    assert reasons["photo.png"] == "unsupported format .png"
    assert reasons["README"] == "unsupported format (no extension)"
    assert len(c.articles) == 2 + 1 + 2


def test_iter_documents_streams_documents_and_skips_in_order(tmp_path):
    _write(tmp_path / "a.txt", SAMPLE.encode("utf-8"))
    _write(tmp_path / "b.bin", b"\x00")
    items = iter_documents([tmp_path])
    first = next(items)
    assert isinstance(first, Document) and first.file == "a.txt"
    assert isinstance(next(items), Skipped)
    assert next(items, None) is None


def test_paths_roots_and_missing_paths(tmp_path):
    f = _write(tmp_path / "one" / "x.txt", SAMPLE.encode("utf-8"))
    _write(tmp_path / "two" / "y.txt", SAMPLE.encode("utf-8"))
    single = read_corpus([f])
    assert single.root == f.parent.resolve() and [d.file for d in single.documents] == ["x.txt"]
    both = read_corpus([tmp_path / "one", tmp_path / "two", f])  # f is read once
    assert both.root == tmp_path.resolve()
    assert [d.file for d in both.documents] == ["one/x.txt", "two/y.txt"]
    with pytest.raises(CorpusError, match="not found"):
        read_corpus([tmp_path / "nope"])
    with pytest.raises(CorpusError):
        list(iter_documents([tmp_path / "one", tmp_path / "missing.txt"]))
