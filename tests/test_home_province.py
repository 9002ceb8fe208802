"""The home province is a setting, not a constant: a Jiangsu corpus with ATLAS_HOME_PROVINCE=江苏省.

Builds a second gazetteer (its own cache: the home province chooses the villages), so it is slow.
"""

from __future__ import annotations

import json
import re

import pytest

from geo.export import export_layers
from geo.gazetteer import load_gazetteer
from geo.layers import county_layer, layer_bounds
from geo.pipeline import extract_corpus
from geo.settings import load_settings

pytestmark = pytest.mark.slow

JIANGSU_TEXT = """南通通州：石港镇的新产业园开工

记者 王晓东

本报讯 4月16日，南通市通州区石港镇举行重点项目集中开工仪式。通州区今年一季度实现地区生产总值310亿元。
来自苏州市吴中区、无锡市梁溪区和南京市江宁区的企业代表参加了仪式。通州区石港镇党委书记表示，
将继续做好服务。
"""


@pytest.fixture(scope="module")
def jiangsu(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("jiangsu-corpus")
    (corpus / "nantong.txt").write_text(JIANGSU_TEXT, encoding="utf-8")
    env = {"ATLAS_HOME_PROVINCE": "江苏省", "ATLAS_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    settings = load_settings(env)
    gaz = load_gazetteer(settings)
    return settings, gaz, extract_corpus([corpus], settings, gazetteer=gaz)


def test_the_setting_is_read_from_the_environment(jiangsu):
    settings, _, _ = jiangsu
    assert settings.home_province == "江苏省"


def test_ambiguous_names_resolve_to_the_home_province(jiangsu):
    _, _, x = jiangsu
    tongzhou = x.mentions[x.mentions["text"] == "通州区"]
    # 通州区 is also Beijing's; in a Jiangsu corpus it is 南通市通州区
    assert len(tongzhou) >= 3 and set(tongzhou["city"]) == {"南通市"}


def test_villages_are_the_home_provinces(jiangsu):
    """The village source is read for the home province only; elsewhere the only villages are the
    listed 中国历史文化名村 (gazetteer/heritage_towns.csv), each with its row as source."""
    _, gaz, _ = jiangsu
    villages = gaz.places[gaz.places["level"] == "village"]
    listed = villages["source"].str.startswith("gazetteer/heritage_towns.csv")
    assert len(villages) > 10_000 and set(villages.loc[~listed, "province"]) == {"江苏省"}
    assert 0 < listed.sum() < 100 and villages.loc[listed, "province"].nunique() >= 5


def test_jiangsu_counties_are_drawn_and_coloured(jiangsu):
    settings, gaz, x = jiangsu
    counties = county_layer(gaz, x.mentions, x.articles, x.metrics, home_province=settings.home_province)
    assert set(counties["province"]) == {"江苏省"}  # every Jiangsu county, no Zhejiang one
    assert len(counties) >= 90
    coloured = set(counties.loc[counties["mentions"] > 0, "name"])
    assert {"通州区", "吴中区", "梁溪区", "江宁区"} <= coloured


def test_the_map_opens_on_the_home_province(jiangsu):
    settings, gaz, x = jiangsu
    (south, west), (north, east) = layer_bounds(county_layer(gaz, None, home_province=settings.home_province))
    assert 30.5 < south < 31.5 and 34.5 < north < 35.5 and 116 < west < 117.5 and 121.5 < east < 122.5
    page = export_layers(x, gaz, "both", "html", home_province=settings.home_province, settings=settings)
    fit = json.loads(re.findall(r"\.fitBounds\(\s*(\[\[[-0-9.,\s\[\]]*?\]\])", page.decode())[-1])
    assert fit[0][0] == pytest.approx(south, abs=0.01) and fit[1][1] == pytest.approx(east, abs=0.01)
