"""Smoke tests of app.py with streamlit's AppTest (no browser): the page builds on the seeds,
selection by URL and by search works, an article opens with its mentions highlighted, a bad
corpus folder is reported, not crashed on."""

from __future__ import annotations

import os
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from geo.appkit import md_text
from geo.settings import PROJECT_DIR, SEEDS_DIR

XIAOSHAN_ARTICLE = "萧山:整合资源 推进产业社区治理新模式"
#: As the app writes it into Markdown-rendering widgets (headings, buttons): escaped.
XIAOSHAN_LABEL = md_text(XIAOSHAN_ARTICLE)
pytestmark = pytest.mark.slow


def _app(**query) -> AppTest:
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=300)
    at.query_params.update(query)
    return at.run()


def _texts(elements) -> list[str]:
    return [getattr(e, "value", None) or getattr(e, "body", None) or "" for e in elements]


@pytest.fixture(scope="module")
def home():
    return _app()


def test_page_builds_on_the_seeds(home):
    assert not home.exception, home.exception
    assert home.title[0].value == "Corpus Atlas · 语料地图"
    caption = home.caption[0].value
    assert "5 个文档" in caption and "篇文章" in caption
    measure = home.sidebar.selectbox[0]
    labels = [m.label for m in measure.options] if hasattr(measure.options[0], "label") else measure.options
    assert labels[:2] == ["提及次数", "文章数"]
    assert any("规上工业总产值" in str(lbl) for lbl in labels)  # metrics from the corpus
    levels = home.sidebar.multiselect[0]
    assert {"区县", "乡镇街道", "园区/功能区"} <= set(levels.options)
    assert any("点击地图" in t for t in _texts(home.info))


def test_place_from_url_lists_its_articles_and_opens_one():
    at = _app(place="330109")
    assert not at.exception, at.exception
    assert "萧山区" in _texts(at.subheader)
    buttons = [b for b in at.button if b.label == XIAOSHAN_LABEL]
    assert len(buttons) == 1
    buttons[0].click().run()
    assert not at.exception, at.exception
    assert XIAOSHAN_LABEL in _texts(at.subheader)
    page = "".join(h.proto.body for h in at.get("html"))
    assert 'data-place-id="330109101"' in page or "河上镇</mark>" in page
    assert "atlas-focus" in page and ">河上镇</mark>" in page
    assert "<a href" not in page  # places are selected with buttons: no link reloads the page
    assert at.query_params["place"] == "330109"  # shareable URL of the view
    assert at.query_params["article"] == buttons[0].key.removeprefix("open-")
    in_article = at.get("button_group")[0]
    heshang = next(v for v in in_article.options if "河上镇" in str(v))
    in_article.select(heshang).run()
    assert not at.exception, at.exception
    assert "河上镇" in _texts(at.subheader)  # the place panel switched, in the same session
    assert XIAOSHAN_LABEL in _texts(at.subheader)  # and the article stays open
    assert at.query_params["place"] == "330109101"


def test_search_by_pinyin_selects_the_place(home):
    home.sidebar.text_input[-1].set_value("xiaoshan").run()
    hits = [b for b in home.sidebar.button if b.label.startswith("萧山区")]
    assert hits, [b.label for b in home.sidebar.button]
    hits[0].click().run()
    assert not home.exception, home.exception
    assert "萧山区" in _texts(home.subheader)


@pytest.fixture
def typed_paths(tmp_path, monkeypatch):
    """A server that lets users type corpus folders inside tmp_path (off by default)."""
    monkeypatch.setenv("ATLAS_ALLOW_PATH_INPUT", "1")
    monkeypatch.setenv("ATLAS_CORPUS_ROOTS", f"{SEEDS_DIR}{os.pathsep}{tmp_path}")
    return tmp_path


def test_the_path_box_is_off_unless_the_server_allows_it():
    at = _app()
    assert not at.exception, at.exception
    assert len(at.sidebar.text_input) == 1  # only the place search: no folder box


def test_a_folder_outside_the_allowed_roots_is_refused(typed_paths, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "secret.md").write_text("密码：hunter2", encoding="utf-8")
    at = _app()
    at.sidebar.text_input[0].set_value(str(outside)).run()
    assert not at.exception, at.exception
    assert any("outside the corpus folders" in t for t in _texts(at.error))
    page = " ".join(_texts(at.caption) + _texts(at.markdown) + _texts(at.error))
    assert "hunter2" not in page and "secret.md" not in page


def test_markdown_in_a_url_parameter_is_shown_as_text():
    at = _app(place="[点此](http://evil.example)")
    assert not at.exception, at.exception
    warning = _texts(at.warning)[0]
    assert "\\[点此\\]" in warning and "](http" not in warning  # escaped: no link


def test_missing_corpus_folder_is_an_error_not_a_crash(typed_paths):
    tmp_path = typed_paths
    at = _app()
    at.sidebar.text_input[0].set_value(str(tmp_path / "nope")).run()
    assert not at.exception, at.exception
    assert any("无法读取语料" in t for t in _texts(at.error))


def test_unreadable_files_are_reported_and_the_rest_is_mapped(typed_paths):
    tmp_path = typed_paths
    good = sorted(SEEDS_DIR.glob("002_*.txt"))[0]
    shutil.copy(good, tmp_path / good.name)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 \x00\x01\x02")
    (tmp_path / "broken.txt").write_bytes(bytes(range(256)) * 64)
    at = _app()
    at.sidebar.text_input[0].set_value(str(tmp_path)).run()
    assert not at.exception, at.exception
    assert "1 个文档" in at.caption[0].value
    assert any(e.label == "跳过了 2 个文件" for e in at.expander)
    skipped = at.dataframe[0].value
    assert set(skipped["文件"]) == {"broken.txt"}  # a text file that cannot be read: named
    assert any("1 个非文本文件" in t for t in _texts(at.caption))  # scan.pdf: counted, not named


def test_uploaded_txt_files_become_the_corpus():
    seed = sorted(SEEDS_DIR.glob("002_*.txt"))[0]
    at = _app(place="330109")
    at.sidebar.get("file_uploader")[0].upload("萧山新闻.txt", seed.read_bytes(), "text/plain").run()
    assert not at.exception, at.exception
    assert "1 个文档" in at.caption[0].value
    assert [b.label for b in at.button if b.label == XIAOSHAN_LABEL] == [XIAOSHAN_LABEL]
    files = at.sidebar.multiselect[1].options
    assert len(files) == 1 and files[0].endswith("（萧山新闻.txt）")  # listed by its first title
    assert files[0].startswith("嘉兴市南湖区湘家荡区域")


def test_empty_folder_shows_an_empty_map_not_a_crash(typed_paths):
    tmp_path = typed_paths
    at = _app()
    at.sidebar.text_input[0].set_value(str(tmp_path)).run()
    assert not at.exception, at.exception
    assert "0 个文档" in at.caption[0].value
    assert any("点击地图" in t for t in _texts(at.info))


def test_place_with_metrics_shows_table_and_chart():
    at = _app(place="zone:qing-shan-hu-ke-ji-cheng")
    assert not at.exception, at.exception
    assert "青山湖科技城" in _texts(at.subheader)
    table = at.dataframe[0].value
    assert {
        "指标": "规上工业总产值",
        "数值": "245.23",
        "时期": "2024年一季度",
        "同比": "+2.9%",
    }.items() <= table[table["数值"] == "245.23"].iloc[0].to_dict().items()
    assert len(at.get("vega_lite_chart")) == 2  # mentions per month, and values over periods
    assert at.selectbox(key="chart-zone:qing-shan-hu-ke-ji-cheng").value == "规上工业总产值"


def test_a_long_metric_table_lists_its_first_rows_then_all_on_request(monkeypatch):
    """A place with more figures than the panel sends at a click (a 1 GB county has ~3,000):
    the first rows, newest period first, the total said, and every row after one click."""
    from geo.ui import panel

    monkeypatch.setattr(panel, "MAX_METRIC_ROWS", 1)
    at = _app(place="zone:qing-shan-hu-ke-ji-cheng")
    assert not at.exception, at.exception
    first = at.dataframe[0].value
    assert len(first) == 1
    assert any("列出前 1 条" in t for t in _texts(at.caption))
    at.button(key="all-metrics-zone:qing-shan-hu-ke-ji-cheng").click().run()
    assert not at.exception, at.exception
    every = at.dataframe[0].value
    assert len(every) > 1 and every.iloc[0].to_dict() == first.iloc[0].to_dict()
    assert len(at.get("vega_lite_chart")) == 2  # the chart still reads every row


def test_a_large_corpus_offers_its_documents_through_a_search_box(monkeypatch):
    """More documents than the source filter offers at once (a 1 GB corpus has 12,750): the first
    ones are listed and the rest found by typing; a chosen document stays chosen and filters."""
    from geo.ui import sidebar

    monkeypatch.setattr(sidebar, "MAX_FILE_OPTIONS", 2)
    at = _app()
    files = at.sidebar.multiselect(key="files")
    assert len(files.options) == 2
    assert any("列出 2 个（共 5 个）" in t for t in _texts(at.sidebar.caption))
    last = sorted(SEEDS_DIR.glob("*.txt"))[-1].name  # not among the first two
    at.sidebar.text_input(key="files-needle").set_value(last).run()
    files = at.sidebar.multiselect(key="files")
    assert [o.endswith(f"（{last}）") or o == last for o in files.options] == [True]
    files.set_value([files.options[0]]).run()
    assert not at.exception, at.exception
    assert "1 个文档" in at.caption[0].value
    at.sidebar.text_input(key="files-needle").set_value("").run()
    files = at.sidebar.multiselect(key="files")
    assert len(files.value) == 1 and len(files.options) == 3  # the chosen one, then the first two
    assert "1 个文档" in at.caption[0].value


def test_the_date_range_changes_the_caption():
    at = _app()
    before = at.caption[0].value
    at.sidebar.select_slider[0].set_range("2021-04", "2021-04").run()
    at.sidebar.checkbox(key="undated").uncheck().run()
    assert not at.exception, at.exception
    after = at.caption[0].value
    assert after != before and "1 个文档" in after  # the April 2021 issue only


def _places_table(at):
    """The places table (the last dataframe on the page) and its selected row's place name."""
    table = at.dataframe[-1]
    rows = at.session_state["places-"]["selection"]["rows"] if "places-" in at.session_state else []
    return table.value, (table.value.iloc[rows[0]]["地点"] if rows else None)


def test_places_table_and_map_select_each_other():
    """A map click (the selection set in state, as the map's handler does) selects the place's row
    in the table; a row picked in the table selects its place (the side panel shows it); the
    table keeps its identity and the picked row stays selected."""
    at = _app()
    table, row = _places_table(at)
    assert row is None and "▶" not in table.columns
    at.session_state["place"] = "330109"  # 萧山区, clicked on the map
    at.run()
    assert not at.exception, at.exception
    table, row = _places_table(at)
    assert row == "萧山区"
    other = next(i for i, name in enumerate(table["地点"]) if name != "萧山区")
    at.session_state["places-"] = {"selection": {"rows": [other], "columns": []}}  # a row picked
    at.run()
    assert not at.exception, at.exception
    name = table.iloc[other]["地点"]
    assert name in _texts(at.subheader)  # the side panel shows the picked place
    assert _places_table(at)[1] == name


def test_a_mentions_csv_too_large_to_build_in_the_server_is_offered_as_a_command(monkeypatch):
    """The mentions CSV of a large store (a 1 GB corpus: ~23 M mentions) is not built in the
    server's memory at a click: the app says how many mentions there are and gives the command."""
    from geo.ui import downloads

    at = _app()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 3  # the seeds: every download offered

    monkeypatch.setattr(downloads, "MAX_DOWNLOAD_MENTIONS", 10)
    at = _app()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 2  # GeoJSON and metrics still downloadable
    assert any("超过网页下载上限 10" in t for t in _texts(at.caption))
    command = next(t.value for t in at.text if " -m geo export " in t.value)
    assert " -m geo export --store " in command and "--layer mentions --format csv" in command


def test_a_failed_prefetch_is_logged_and_the_page_computes_the_frames_itself(monkeypatch, caplog):
    """The first page of a store starts the DuckDB- and GEOS-heavy frames in threads; when one
    fails, the reason is logged and the page still gets the frames (and any error) from its own
    calls."""
    from geo.settings import load_settings
    from geo.store import default_store_path
    from geo.ui import building, data

    settings = load_settings()
    _app()  # the seeds' store exists and is current
    ref = building._ref(default_store_path(SEEDS_DIR, settings))

    def fails(*args, **kwargs):
        raise RuntimeError("no poles today")

    monkeypatch.setattr(data, "_PREFETCHED", set())
    monkeypatch.setattr(data, "label_points", fails)
    for future in data.prefetch(ref, settings):
        future.result()
    assert "prefetch of" in caplog.text and "no poles today" in caplog.text
    assert data.prefetch(ref, settings) == []  # once per store version
    assert "330109" in data._encoded(ref, settings)  # 萧山区's shape, computed when asked
    at = _app()
    assert not at.exception, at.exception
