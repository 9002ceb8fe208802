"""A home-province village dropped for want of evidence is read again with every place the article
was found to name, short forms included (branch recall8): 淳安的下姜村 (v6 z03), 临安的昔口村
(https://hwyst.hangzhou.com.cn/z/11thddh/content/2011-12/01/content_4080167_0.htm). Both failed
before the rule (the county's short form was no evidence for the village) and pass after it."""

from __future__ import annotations


def _villages(gazetteer, settings, text: str) -> list[tuple]:
    from geo.pipeline import mentions_in_text

    got = mentions_in_text(text, gazetteer, settings)
    got = got[got["level"] == "village"]
    return list(zip(got["text"], got["county"]))


def test_a_village_after_its_countys_short_form(gazetteer, settings):
    """淳安 is read as 淳安县 from its short form; 下姜村 (one village of that name) lies in it."""
    assert _villages(gazetteer, settings, "淳安的下姜村,曾经流传一句歌谣。") == [("下姜村", "淳安县")]


def test_a_village_in_an_article_that_names_only_short_forms(gazetteer, settings):
    """昔口村 in 临安区, where the article writes 临安 only; its bare name before is read too."""
    got = _villages(gazetteer, settings, "昔口,在临安城关的西部。查玉英是临安的昔口村党委书记。")
    assert ("昔口村", "临安区") in got


def test_a_village_with_no_unit_of_it_in_the_article_stays_unread(gazetteer, settings):
    """下姜村 in an article about 临安 only: no evidence, no mention."""
    assert _villages(gazetteer, settings, "临安的下姜村,曾经流传一句歌谣。") == []
