"""Unit tests of the app's pure logic (geo.appkit) on small frames that follow the data contracts."""

from __future__ import annotations

import html
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo import appkit

FILE_A = "002_x.txt"
FILE_B = "003_y.txt"
TEXT_A = (
    "其他新闻\n"
    "萧山:整合资源 推进产业社区治理新模式\n"
    "位于杭州市萧山区河上镇的企业负责人说。河上镇膜力产业社区<b>很好</b>。\n"
)
TEXT_B = "临安:青山湖科技城 打造新典范\n青山湖科技城今年一季度产值245.23亿元。临安区表示。\n"
TEXTS = {FILE_A: TEXT_A, FILE_B: TEXT_B}


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    return starts[nth], starts[nth] + len(needle)


def _mention(article_id, file, text, needle, nth, place_id, name, level, county_id, lon, lat):
    s, e = _span(text, needle, nth)
    return dict(
        article_id=article_id,
        file=file,
        start=s,
        end=e,
        text=text[s:e],
        place_id=place_id,
        name=name,
        level=level,
        province="浙江省",
        city="杭州市",
        county=("萧山区" if county_id == "330109" else "临安区"),
        township=None,
        code=None,
        lon=lon,
        lat=lat,
        precision="exact",
        confidence=0.9,
        in_org=False,
        historical=False,
        county_id=county_id,
        runner_up=None,
    )


@pytest.fixture()
def frames():
    a_start = TEXT_A.index("萧山:")
    articles = pd.DataFrame(
        [
            dict(article_id="a1", file=FILE_A, start=0, end=a_start, title="其他新闻"),
            dict(
                article_id="a2",
                file=FILE_A,
                start=a_start,
                end=len(TEXT_A),
                title="萧山:整合资源 推进产业社区治理新模式",
            ),
            dict(
                article_id="b1", file=FILE_B, start=0, end=len(TEXT_B), title="临安:青山湖科技城 打造新典范"
            ),
        ]
    )
    mentions = pd.DataFrame(
        [
            _mention("a2", FILE_A, TEXT_A, "萧山", 0, "330109", "萧山区", "county", "330109", 120.26, 30.18),
            _mention(
                "a2", FILE_A, TEXT_A, "萧山区", 0, "330109", "萧山区", "county", "330109", 120.26, 30.18
            ),
            _mention(
                "a2", FILE_A, TEXT_A, "河上镇", 0, "330109118", "河上镇", "township", "330109", 120.20, 29.99
            ),
            _mention(
                "a2", FILE_A, TEXT_A, "河上镇", 1, "330109118", "河上镇", "township", "330109", 120.20, 29.99
            ),
            _mention(
                "b1",
                FILE_B,
                TEXT_B,
                "青山湖科技城",
                0,
                "zone:qingshanhu",
                "青山湖科技城",
                "zone",
                "330112",
                119.80,
                30.25,
            ),
            _mention(
                "b1",
                FILE_B,
                TEXT_B,
                "青山湖科技城",
                1,
                "zone:qingshanhu",
                "青山湖科技城",
                "zone",
                "330112",
                119.80,
                30.25,
            ),
            _mention(
                "b1", FILE_B, TEXT_B, "临安区", 0, "330112", "临安区", "county", "330112", 119.72, 30.23
            ),
        ]
    )
    metrics = pd.DataFrame(
        [
            dict(
                article_id="b1",
                file=FILE_B,
                place_id="zone:qingshanhu",
                name="青山湖科技城",
                metric="industrial_output",
                label="规上工业总产值",
                value=245.23,
                unit="亿元",
                period="2024Q1",
                yoy_pct=2.9,
                is_target=False,
                qualifier=None,
                start=0,
                end=1,
                evidence="产值245.23亿元",
            ),
            dict(
                article_id="b1",
                file=FILE_B,
                place_id="zone:qingshanhu",
                name="青山湖科技城",
                metric="industrial_output",
                label="规上工业总产值",
                value=900.0,
                unit="亿元",
                period="2023",
                yoy_pct=None,
                is_target=False,
                qualifier=None,
                start=0,
                end=1,
                evidence="…",
            ),
            dict(
                article_id="a2",
                file=FILE_A,
                place_id="330109",
                name="萧山区",
                metric="gdp",
                label="地区生产总值",
                value=2000.0,
                unit="亿元",
                period="2023",
                yoy_pct=5.0,
                is_target=False,
                qualifier=None,
                start=0,
                end=1,
                evidence="…",
            ),
        ]
    )
    return mentions, metrics, articles


@pytest.fixture()
def counties():
    return gpd.GeoDataFrame(
        {"place_id": ["330109", "330112"], "name": ["萧山区", "临安区"]},
        geometry=[box(120.1, 29.9, 120.5, 30.4), box(119.0, 29.9, 120.0, 30.5)],
        crs="EPSG:4326",
    )


@pytest.fixture()
def points():
    return pd.DataFrame(
        {
            "place_id": ["330109118", "zone:qingshanhu"],
            "name": ["河上镇", "青山湖科技城"],
            "lon": [120.20, 119.80],
            "lat": [29.99, 30.25],
        }
    )


# ------------------------------------------------------------------ filters and measures


def test_level_filter_keeps_only_that_level(frames):
    mentions, metrics, articles = frames
    m, x, a = appkit.filter_frames(mentions, metrics, articles, appkit.Filters(levels=("township",)))
    assert set(m["name"]) == {"河上镇"}
    assert len(x) == len(metrics) and len(a) == len(articles)


def test_no_level_chosen_shows_no_mentions(frames):
    mentions, metrics, articles = frames
    m, _, _ = appkit.filter_frames(mentions, metrics, articles, appkit.Filters(levels=()))
    assert m.empty
    m, _, _ = appkit.filter_frames(mentions, metrics, articles, appkit.Filters())
    assert len(m) == len(mentions)


def test_file_filter_restricts_every_frame(frames):
    mentions, metrics, articles = frames
    m, x, a = appkit.filter_frames(mentions, metrics, articles, appkit.Filters(files=(FILE_B,)))
    assert set(m["file"]) == set(x["file"]) == set(a["file"]) == {FILE_B}


def test_period_filter_applies_to_metrics(frames):
    mentions, metrics, articles = frames
    m, x, _ = appkit.filter_frames(mentions, metrics, articles, appkit.Filters(periods=("2024Q1",)))
    assert list(x["value"]) == [245.23]
    assert len(m) == len(mentions)


def test_measure_options_list_counts_then_each_metric_period(frames):
    _, metrics, _ = frames
    options = appkit.measure_options(metrics)
    assert [o.key for o in options[:2]] == ["mentions", "articles"]
    keys = [o.key for o in options[2:]]
    latest = [k for k in keys if k.endswith("@latest")]
    assert latest == keys[: len(latest)]  # each metric at its latest period comes first
    assert set(latest) == {"metric:industrial_output@latest", "metric:gdp@latest"}
    assert set(keys) - set(latest) == {
        "metric:industrial_output@2024Q1", "metric:industrial_output@2023", "metric:gdp@2023"
    }  # fmt: skip
    newest = next(o for o in options if o.key == "metric:industrial_output@latest")
    assert "最新" in newest.label and len(appkit.metrics_for_measure(metrics, newest)) == 2
    q1 = next(o for o in options if o.key.endswith("@2024Q1"))
    assert "规上工业总产值" in q1.label and "2024Q1" in q1.label and q1.unit == "亿元"
    assert list(appkit.metrics_for_measure(metrics, q1)["value"]) == [245.23]


def test_measure_options_without_metrics():
    assert [o.key for o in appkit.measure_options(pd.DataFrame())] == ["mentions", "articles"]


# ------------------------------------------------------------------ click → place


def test_click_on_geojson_feature_uses_its_place_id(counties, points):
    returned = {
        "last_object_clicked": {"lat": 30.1, "lng": 120.3},
        "last_active_drawing": {
            "type": "Feature",
            "properties": {"place_id": "330109"},
            "geometry": box(120.1, 29.9, 120.5, 30.4).__geo_interface__,
        },
    }
    assert appkit.place_id_from_click(returned, points, counties) == "330109"


def test_click_on_marker_matches_its_exact_position(counties, points):
    returned = {
        "last_object_clicked": {"lat": 29.99, "lng": 120.20},
        "last_active_drawing": {
            "type": "Feature",
            "properties": {"place_id": "330109118"},
            "geometry": {"type": "Point", "coordinates": [120.20, 29.99]},
        },
    }
    assert appkit.place_id_from_click(returned, points, counties) == "330109118"


def test_click_on_big_marker_reports_the_mouse_position(counties, points):
    """Leaflet gives the mouse position, not the centre, for markers wider than 10 px."""
    returned = {
        "last_object_clicked": {"lat": 30.02, "lng": 120.23},
        "last_active_drawing": {
            "type": "Feature",
            "properties": {"place_id": "330109118"},
            "geometry": {"type": "Point", "coordinates": [120.20, 29.99]},
        },
    }
    assert appkit.place_id_from_click(returned, points, counties) == "330109118"


def test_stale_drawing_is_ignored_when_click_is_elsewhere(counties, points):
    """st_folium keeps the previous feature when the new click has none: trust the position."""
    stale = {
        "type": "Feature",
        "properties": {"place_id": "330109"},
        "geometry": box(120.1, 29.9, 120.5, 30.4).__geo_interface__,
    }
    on_marker = {"last_object_clicked": {"lat": 30.25, "lng": 119.80}, "last_active_drawing": stale}
    assert appkit.place_id_from_click(on_marker, points, counties) == "zone:qingshanhu"
    in_linan = {"last_object_clicked": {"lat": 30.4, "lng": 119.5}, "last_active_drawing": stale}
    assert appkit.place_id_from_click(in_linan, points, counties) == "330112"


def test_click_outside_everything_or_nothing_clicked(counties, points):
    assert (
        appkit.place_id_from_click({"last_object_clicked": {"lat": 10.0, "lng": 10.0}}, points, counties)
        is None
    )
    assert appkit.place_id_from_click(None, points, counties) is None
    assert appkit.click_signature({"last_object_clicked": None}) is None


def test_click_signature_changes_with_each_click():
    one = {"last_object_clicked": {"lat": 30.1, "lng": 120.3}, "last_object_clicked_count": 1}
    two = {"last_object_clicked": {"lat": 30.1, "lng": 120.3}, "last_object_clicked_count": 2}
    assert appkit.click_signature(one) != appkit.click_signature(two)
    assert appkit.click_signature(one) == appkit.click_signature(dict(one))


# ------------------------------------------------------------------ place → details and articles


def test_county_lists_articles_rolled_up_from_its_towns(frames):
    mentions, _, articles = frames
    hits = appkit.articles_for_place("330109", mentions, articles, TEXTS)
    assert [h.title for h in hits] == ["萧山:整合资源 推进产业社区治理新模式"]
    assert hits[0].mentions == 4 and hits[0].file == FILE_A


def test_town_lists_its_article_with_highlighted_snippet(frames):
    mentions, _, articles = frames
    [hit] = appkit.articles_for_place("330109118", mentions, articles, TEXTS)
    assert hit.mentions == 2
    assert '<mark class="atlas-mention" data-place-id="330109118">河上镇</mark>' in hit.snippet_html
    assert "\n" not in hit.snippet_html
    assert "<b>" not in hit.snippet_html  # corpus markup is escaped, never rendered


def test_articles_sorted_by_mention_count(frames):
    mentions, _, articles = frames
    hits = appkit.articles_for_place("330112", mentions, articles, TEXTS)
    assert [h.article_id for h in hits] == ["b1"] and hits[0].mentions == 3


def test_place_without_mentions_has_no_articles(frames):
    mentions, _, articles = frames
    assert appkit.articles_for_place("330102", mentions, articles, TEXTS) == []


def test_article_html_highlights_every_mention_and_links_back(frames):
    mentions, _, articles = frames
    page = appkit.article_html("a2", mentions, articles, TEXTS, focus_place_id="330109118")
    marks = re.findall(r'<mark class="([^"]+)" data-place-id="([^"]+)"[^>]*><a href="([^"]+)"', page)
    assert len(marks) == 4
    focused = [pid for cls, pid, _ in marks if "atlas-focus" in cls]
    assert focused == ["330109118", "330109118"]
    assert html.unescape(marks[2][2]) == "?place=330109118&article=a2"
    assert "&lt;b&gt;很好&lt;/b&gt;" in page and "<b>" not in page
    plain = re.sub(r"<[^>]+>", "", page)
    assert html.unescape(plain) == TEXT_A[TEXT_A.index("萧山:") :]


def test_article_html_escapes_hostile_text():
    text = "<script>alert(1)</script>河上镇"
    articles = pd.DataFrame([dict(article_id="x", file="f", start=0, end=len(text), title="t")])
    mentions = pd.DataFrame(
        [
            dict(
                article_id="x",
                file="f",
                start=text.index("河"),
                end=len(text),
                text="河上镇",
                place_id='"><script>',
                name="河上镇",
                level="township",
                county_id=None,
            )
        ]
    )
    page = appkit.article_html("x", mentions, articles, {"f": text})
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_article_html_unknown_article(frames):
    mentions, _, articles = frames
    with pytest.raises(KeyError):
        appkit.article_html("nope", mentions, articles, TEXTS)


def test_place_row_and_chain(frames):
    mentions, _, _ = frames
    row = appkit.place_row("330109118", None, mentions)
    assert row["name"] == "河上镇"
    assert appkit.admin_chain(row) == ["浙江省", "杭州市", "萧山区", "河上镇"]
    assert appkit.place_row("999", mentions) is None


def test_place_metrics_newest_period_first(frames):
    _, metrics, _ = frames
    table = appkit.place_metrics("zone:qingshanhu", metrics)
    assert list(table["period"]) == ["2024Q1", "2023"]
    assert "evidence" in table and "place_id" not in table


# ------------------------------------------------------------------ search


@pytest.fixture()
def index():
    places = pd.DataFrame(
        {
            "place_id": ["330109", "330112", "330109118", "330106", "zone:qingshanhu"],
            "name": ["萧山区", "临安区", "河上镇", "西湖区", "青山湖科技城"],
            "level": ["county", "county", "township", "county", "zone"],
        }
    )
    return appkit.search_index(places)


@pytest.mark.parametrize(
    "query,first",
    [
        ("萧山", "萧山区"),
        ("河上镇", "河上镇"),
        ("科技城", "青山湖科技城"),
        ("xiaoshan", "萧山区"),
        ("Xiao Shan", "萧山区"),
        ("xsq", "萧山区"),
        ("heshang", "河上镇"),
        ("linan", "临安区"),
        ("qsh", "青山湖科技城"),
    ],
)
def test_search_by_chinese_and_pinyin(index, query, first):
    found = appkit.search_places(query, index)
    assert found.iloc[0]["name"] == first


def test_search_ranks_exact_before_substring(index):
    found = appkit.search_places("湖", index)
    assert set(found["name"]) == {"西湖区", "青山湖科技城"}
    assert appkit.search_places("", index).empty
    assert appkit.search_places("不存在", index).empty


def test_search_finds_cities_by_pinyin_and_does_not_match_initial_substrings():
    places = pd.DataFrame(
        {
            "place_id": ["3301", "33", "331127", "zone:hz-road"],
            "name": ["杭州市", "浙江省", "景宁畲族自治县", "杭州路产业园"],
            "level": ["city", "province", "county", "zone"],
        }
    )
    index = appkit.search_index(places)
    assert appkit.search_places("Hangzhou", index).iloc[0]["name"] == "杭州市"  # the city before the zone
    assert appkit.search_places("zhejiang", index).iloc[0]["name"] == "浙江省"
    assert appkit.search_places("zzz", index).empty  # jnszzzx contains zzz: not a match
    assert appkit.search_places("jn", index).iloc[0]["name"] == "景宁畲族自治县"


def test_places_table_states_what_each_count_covers(atlas_synthetic, gazetteer):
    from geo.layers import county_layer, point_layer

    x = atlas_synthetic
    counties = county_layer(gazetteer, x.mentions, x.articles, x.metrics, home_province="浙江省")
    points = point_layer(gazetteer, x.mentions, x.metrics)
    table = appkit.places_table(counties, points)
    assert list(table.columns[:7]) == ["place_id", "地点", "类型", "所属区县", "提及", "文章", "计数范围"]
    county_rows = table[table["类型"] == "区县"]
    assert len(county_rows) and set(county_rows["计数范围"]) == {"含辖区内"}
    assert set(table.loc[table["类型"] != "区县", "计数范围"]) <= {"本身"}
    assert list(table["提及"]) == sorted(table["提及"], reverse=True)


def test_md_text_keeps_corpus_text_and_url_parameters_out_of_markdown():
    assert appkit.md_text("[点此](http://evil)") == r"\[点此\]\(http\:\/\/evil\)".replace(r"\/", "/")
    assert appkit.md_text("# 标题 *强调*") == r"\# 标题 \*强调\*"
    assert appkit.md_text("萧山区") == "萧山区"


def test_month_range_and_bounds():
    assert appkit.month_range("2021-11", "2022-02") == ["2021-11", "2021-12", "2022-01", "2022-02"]
    assert appkit.month_range(None, "2022-02") == [] and appkit.month_range("2023-01", "2022-01") == []
    assert appkit.month_bounds("2021-03", "2021-04") == ("2021-03-01", "2021-04-31")
