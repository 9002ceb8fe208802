"""The geoparser on the seeds and on hard synthetic texts: spans, places, evidence, bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.evaluate import evaluate
from geo.jsonl import write_extraction
from geo.pipeline import mentions_in_text

F000 = "000_42380dce9056bd41.txt"
F001 = "001_10c072417d4a56a1.txt"
F002 = "002_21899192cf01c07e.txt"
F004 = "004_1a3904fcbe53cc3f.txt"


@pytest.fixture(scope="module")
def mentions(seeds_extraction):
    return seeds_extraction.mentions


def _at(mentions, file, start):
    hit = mentions[(mentions["file"] == file) & (mentions["start"] == start)]
    assert len(hit) == 1, f"no single mention at {file}:{start}"
    return hit.iloc[0]


@pytest.mark.parametrize(
    "file,start,end,text,name,county,level",
    [
        (F002, 3011, 3014, "河上镇", "河上镇", "萧山区", "township"),
        (F002, 14, 18, "七星街道", "七星街道", "南湖区", "township"),
        (F002, 8, 13, "湘家荡区域", "湘家荡区域", "南湖区", "zone"),
        (F002, 5, 8, "南湖区", "南湖区", "南湖区", "county"),
        (F002, 2, 5, "嘉兴市", "嘉兴市", None, "city"),
        (F002, 1895, 1899, "东城街道", "东城街道", "黄岩区", "township"),
        (F002, 3978, 3981, "钦堂乡", "钦堂乡", "建德市", "township"),
        (F002, 4287, 4292, "钦堂\n\n乡", "钦堂乡", "建德市", "township"),  # broken by the page
        (F002, 3092, 3095, "萧山区", "萧山区", "萧山区", "county"),  # 萧山区委组织部
        (F002, 2899, 2901, "萧山", "萧山区", "萧山区", "county"),  # short form in a title
        (F000, 25, 31, "青山湖科技城", "青山湖科技城", "临安区", "zone"),
    ],
)
def test_seed_mentions_resolve_to_the_right_place(
    mentions, seed_texts, file, start, end, text, name, county, level
):
    m = _at(mentions, file, start)
    assert (m["end"], m["text"], m["name"], m["level"]) == (end, text, name, level)
    assert seed_texts[file][start:end] == text
    assert (None if pd.isna(m["county"]) else m["county"]) == county
    assert m["province"] == "浙江省"


def test_every_mention_text_is_the_file_slice(mentions, seed_texts):
    bad = [(r.file, r.start) for r in mentions.itertuples() if seed_texts[r.file][r.start : r.end] != r.text]
    assert not bad


def test_ambiguous_township_names_the_runner_up(mentions, gazetteer):
    m = _at(mentions, F002, 14)  # 七星街道: 南湖区 beats 新昌县
    runner = gazetteer.by_id.loc[m["runner_up"]]
    assert runner["name"] == "七星街道" and runner["county"] == "新昌县"


def test_ordinary_words_and_far_namesakes_are_not_places(mentions):
    names = set(mentions["name"])
    assert not names & {"合作市", "临江市", "白杨市", "新城区", "城区", "郊区", "德州市", "始建镇"}


def test_places_inside_organisation_names_are_marked(mentions):
    m = _at(mentions, F001, 436)  # 杭州谱育科技发展有限公司
    assert m["name"] == "杭州市" and bool(m["in_org"])
    plain = _at(mentions, F002, 3092)  # 萧山区委组织部 is a government body
    assert not bool(plain["in_org"])


def test_foreign_place_after_a_country_is_skipped(mentions, seed_texts):
    pos = seed_texts[F001].find("美国德州")
    got = mentions[(mentions["file"] == F001) & mentions["start"].between(pos, pos + 3)]
    # 美国 is the country; 德州 after it is Texas, not 山东's 德州市
    assert list(zip(got["text"], got["level"])) == [("美国", "country")]


def test_shared_suffix_list_gives_each_street(mentions, seed_texts):
    pos = seed_texts[F004].find("白杨、河庄、义蓬、新湾等街道")
    got = mentions[(mentions["file"] == F004) & mentions["start"].between(pos, pos + 12)]
    assert list(got["name"]) == ["白杨街道", "河庄街道", "义蓬街道", "新湾街道"]
    assert set(got["county"]) == {"钱塘区"}


def test_historical_name_resolves_to_today_and_says_so(mentions):
    m = _at(mentions, F004, 4846)  # 原江干区
    assert m["text"] == "江干区" and bool(m["historical"])
    assert m["province"] == "浙江省" and m["name"] != "江干区"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("江山如画，合作共赢，城区和新城的高新区都在发展。", []),
        ("宁波市江北区慈城镇今年加快建设。", ["宁波市", "江北区", "慈城镇"]),
        ("淳安石林和建德航头的出行更方便了。", ["淳安县", "石林镇", "建德市", "航头镇"]),
        ("他在美国德州工作，为绍兴市民服务。", ["美国", "绍兴市"]),  # 美国 the country, no 德州市
        ("浙江传媒学院和杭州市第二医院", ["浙江省", "杭州市"]),
    ],
)
def test_hard_sentences(gazetteer, settings, text, expected):
    got = mentions_in_text(text, gazetteer, settings)
    assert list(got["name"]) == expected


def test_org_flag_on_synthetic_text(gazetteer, settings):
    got = mentions_in_text("浙江传媒学院和杭州市第二医院，萧山区委组织部", gazetteer, settings)
    assert list(got["in_org"]) == [True, True, False]


@pytest.mark.slow  # an 11-million-character input
def test_bad_input_no_crash(gazetteer, settings):
    big = "杭州市萧山区临浦镇" + "这是一段没有地名的文字" * 1_000_000  # ~11 M chars on one line
    got = mentions_in_text(big, gazetteer, settings)
    assert list(got["name"]) == ["杭州市", "萧山区", "临浦镇"]
    assert mentions_in_text("没有地名，只有数字 123。", gazetteer, settings).empty
    html = '<div class="x"><script>alert(1)</script><p>嘉兴市南湖区七星街道</p></div>'
    got = mentions_in_text(html, gazetteer, settings)
    assert list(got["name"]) == ["嘉兴市", "南湖区", "七星街道"]
    assert got.iloc[2]["county"] == "南湖区"


def test_extract_writes_the_contract(seeds_extraction, tmp_path, seed_texts):
    files = write_extraction(seeds_extraction, tmp_path)
    rows = [json.loads(line) for line in files["mentions"].read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(seeds_extraction.mentions) > 1000
    need = {
        "article_id",
        "file",
        "start",
        "end",
        "text",
        "place_id",
        "name",
        "level",
        "province",
        "city",
        "county",
        "township",
        "code",
        "lon",
        "lat",
        "precision",
        "confidence",
        "in_org",
        "historical",
    }
    assert need <= set(rows[0])
    for r in rows:
        assert seed_texts[r["file"]][r["start"] : r["end"]] == r["text"]
        # a country or a place abroad has no point, so no precision either
        assert r["precision"] in ("exact", "township", "county") or (
            r["level"] in ("country", "foreign") and r["lon"] is None
        )
        assert 0 < r["confidence"] <= 1
    arts = [json.loads(line) for line in files["articles"].read_text(encoding="utf-8").splitlines()]
    assert {a["article_id"] for a in arts} >= {r["article_id"] for r in rows}


def test_dev_set_scores_meet_the_targets():
    s = evaluate()
    assert s.f1 >= 0.95, s
    assert s.accuracy >= 0.97, s
