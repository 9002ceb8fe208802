"""Metrics: the figures each article reports, tied to the place they describe.

Two layers: unit tests on real seed sentences with small hand-built mention tables (no
gazetteer needed), and end-to-end tests on the seeds through ``extract_corpus``, scored against
the hand-annotated tests/data/metrics_dev.jsonl.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from geo.corpus import YearEvidence
from geo.metrics import figures as mt
from geo.metrics.lexicon import parse_number
from geo.metrics.periods import find_period
from geo.metrics.scoring import load_gold, score_metrics
from geo.schema import METRIC_COLUMNS, Article
from geo.settings import SEEDS_DIR

DEV = Path(__file__).parent / "data" / "metrics_dev.jsonl"
SEED = {p.name[:3]: p for p in SEEDS_DIR.glob("*.txt")}


def seed_text(prefix: str) -> str:
    return SEED[prefix].open(encoding="utf-8", newline="").read()


def article_between(
    prefix: str, title: str, end_marker: str | None = None, byline: str | None = None
) -> tuple[Article, str]:
    """An Article spanning from ``title`` to ``end_marker`` (or the end of the file); the body
    starts after the title line (and the byline, if given)."""
    text = seed_text(prefix)
    start = text.index(title)
    end = text.index(end_marker, start) if end_marker else len(text)
    title_end = text.index("\n", start)
    body_start = text.index(byline, title_end) + len(byline) if byline else title_end
    return Article(
        f"{prefix}-test",
        SEED[prefix].name,
        start,
        end,
        text[start:title_end].strip(" #"),
        (byline,) if byline else (),
        body_start,
        text[start:end],
    ), text


def mentions_for(
    article: Article, text: str, places: dict[str, tuple[str, str, str]], orgs: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Hand-built mentions: every occurrence of each surface inside the article (file offsets)."""
    rows = []
    pattern = re.compile("|".join(sorted(map(re.escape, places), key=len, reverse=True)))
    for m in pattern.finditer(text, article.start, article.end):
        pid, name, level = places[m.group(0)]
        in_org = any(text.startswith(o, m.start()) for o in orgs)
        rows.append(
            dict(
                article_id=article.article_id,
                file=article.file,
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                place_id=pid,
                name=name,
                level=level,
                in_org=in_org,
            )
        )
    return pd.DataFrame(rows)


QSH = {
    "青山湖科技城": ("zone:qsh", "青山湖科技城", "zone"),
    "杭州": ("3301", "杭州市", "city"),
    "临安": ("330112", "临安区", "county"),
    "浙江省": ("33", "浙江省", "province"),
    "青山湖": ("landmark:qsh", "青山湖", "landmark"),
}


def one(records, **want):
    hits = [r for r in records if all(getattr(r, k) == v for k, v in want.items())]
    assert len(hits) == 1, (want, [(r.name, r.metric, r.value, r.period) for r in records])
    return hits[0]


# --- document year and periods ---------------------------------------------------------------
@pytest.mark.parametrize(
    "prefix, year, kind",
    [
        ("000", 2024, "since_year_end"),  # "2023年底以来"
        ("003", 2024, "outlook"),  # "展望2024年"
        ("004", 2021, "issue_date"),  # "2021 \04 NO.9"
        ("002", None, None),  # only past years mentioned: not evidence
    ],
)
def test_document_year_from_the_documents_own_evidence(prefix, year, kind):
    ev = mt.document_year(seed_text(prefix))
    assert (ev.year if ev else None) == year
    assert (ev.kind if ev else None) == kind
    if ev:
        assert str(ev.year - (1 if kind == "since_year_end" else 0)) in seed_text(prefix)[ev.start : ev.end]


Y2024 = YearEvidence(2024, "test", "outlook")


@pytest.mark.parametrize(
    "text, period, year_source",
    [
        ("今年一季度，实现", "2024-Q1", "今年: test"),
        ("去年，路桥经济开发区全年完成", "2023", "去年: test"),
        ("2022年1月至8月，青山湖科技城累计完成", "2022-01..2022-08", "stated"),
        ("2022年1—8月", "2022-01..2022-08", "stated"),
        ("今年上半年,湘家荡区域", "2024-H1", "今年: test"),
        ("2021 年一季度，生命健康产业", "2021-Q1", "stated"),
        ("2020\n\n年钱塘区实现", "2020", "stated"),
        ("截至 2020 年底，街属企业", "2020", "stated"),
        ("2001 年 3 月，萧山、余杭撤市设区", "2001-03", "stated"),
        ("前三季度", "2024-01..2024-09", "前三季度 (this year): test"),
    ],
)
def test_periods(text, period, year_source):
    p = find_period(text, len(text), Y2024)
    assert (p.period, p.year_source) == (period, year_source)


@pytest.mark.parametrize("text", ["诞生于2016年的科技", "自2023年开始施行", "2021年签约以来"])
def test_event_dates_are_not_periods(text):
    assert find_period(text, len(text), Y2024) is None


def test_unknown_year_keeps_the_sub_period_and_says_nothing_about_the_year():
    p = find_period("今年上半年,湘家荡区域", 10, None)
    assert (p.period, p.year, p.year_source) == ("XXXX-H1", None, None)


def test_target_year():
    p = find_period("到2030年，力争", 8, Y2024)
    assert p.period == "2030" and p.is_target_year


@pytest.mark.parametrize(
    "text, value", [("245.23", 245.23), ("1,095.7", 1095.7), ("千万", 1e7), ("两万", 2e4), ("一百二十", 120)]
)
def test_numbers(text, value):
    assert parse_number(text) == value


# --- extraction with hand-built mentions ---------------------------------------------------
@pytest.fixture(scope="module")
def qsh_2024():
    a, text = article_between("000", "# 做强“千亿大平台”", "# 余杭仁和", byline="刘倩言 叶 蕾")
    recs = mt.extract_metrics(a, text, mentions_for(a, text, QSH), mt.document_year(text), None)
    return recs, text


@pytest.mark.parametrize(
    "metric, value, yoy",
    [
        ("industrial_output", 245.23, 2.9),
        ("industrial_value_added", 44.1, 2.3),
        ("manufacturing_investment", 20.06, 23.7),
    ],
)
def test_qingshanhu_first_quarter_2024(qsh_2024, metric, value, yoy):
    recs, text = qsh_2024
    r = one(recs, metric=metric, value=value)
    assert (r.name, r.unit, r.period, r.yoy_pct, r.is_target) == (
        "青山湖科技城",
        "亿元",
        "2024-Q1",
        yoy,
        False,
    )
    assert r.year == 2024 and "2023年底以来" in r.year_source
    assert text[r.start : r.end] == r.value_text == f"{value:g}亿元"
    assert r.evidence.startswith("5月下旬") and f"{value:g}亿元" in r.evidence


def test_targets_are_kept_and_marked(qsh_2024):
    r = one(qsh_2024[0], metric="industrial_output", value=1800.0)
    assert (r.is_target, r.period, r.qualifier, r.name) == (True, "2024..2030", "over", "青山湖科技城")
    assert r.year == 2030  # the horizon


def test_project_counts_and_previous_sentence_subject(qsh_2024):
    recs, _ = qsh_2024
    assert one(recs, metric="projects_introduced", value=46.0).period == "2023"
    r = one(recs, metric="projects_introduced", value=20.0)  # "今年一季度更是引进了亿元以上项目20个"
    assert (r.period, r.name) == ("2024-Q1", "青山湖科技城")
    # "包括7个10亿元以上项目": thresholds and sub-counts are not figures
    assert not [r for r in recs if r.value in (7.0, 10.0, 2.0, 50.0)]


def test_company_revenue_is_not_a_place_metric():
    a, text = article_between("001", "# 争当杭州城西科创大走廊")
    recs = mt.extract_metrics(a, text, mentions_for(a, text, QSH), None, None)
    assert not [r for r in recs if r.value == 12.21 or "营收" in r.label]
    r = one(recs, metric="industrial_output")
    assert (r.value, r.period, r.yoy_pct, r.name) == (454.4, "2022-01..2022-08", 8.5, "青山湖科技城")
    assert one(recs, metric="industrial_value_added").yoy_pct == 35.3


def test_company_rd_spending_is_left_out_with_a_reason():
    a, text = article_between("004", "除了对重点优势业务持续加码外", "“技术研发是公司的立足之本")
    recs, skipped = mt.explain_metrics(
        a,
        text,
        mentions_for(a, text, {"钱塘区": ("330114", "钱塘区", "county")}),
        mt.document_year(text),
        "330114",
    )
    assert not recs
    assert any(fig.startswith("4071") and why.startswith("company") for fig, why in skipped)


def test_shares_and_subject_heading_the_sentence():
    a, text = article_between("003", "路桥经济开发区:坚持项目为王", "秉持着")
    ms = mentions_for(a, text, {"路桥经济开发区": ("zone:lq", "路桥经济开发区", "zone")})
    recs = mt.extract_metrics(a, text, ms, mt.document_year(text), None)
    assert [(r.metric, r.value, r.unit, r.period) for r in recs] == [
        ("fixed_asset_investment", 36.46, "亿元", "2023"),
        ("industrial_output", 606.77, "亿元", "2023"),
        ("industrial_output_share", 64.48, "%", "2023"),
    ]
    assert {r.name for r in recs} == {"路桥经济开发区"}
    assert recs[0].year_source.startswith("去年") and "展望2024年" in recs[0].year_source


def test_respectively_and_anaphor_street():
    a, text = article_between("004", "下沙街道：\n数字赋能高质量发展", "把 10% 留用地")
    ms = mentions_for(a, text, {"下沙街道": ("330114001", "下沙街道", "township")})
    recs = mt.extract_metrics(a, text, ms, mt.document_year(text), None)
    got = {(r.metric, r.value, r.yoy_pct, r.period) for r in recs}
    assert got == {
        ("fiscal_revenue", 10.09, 17.3, "2020"),
        ("local_fiscal_revenue", 5.38, 11.3, "2020"),
        ("industrial_output_all", 58.8, None, "2020"),
        ("industrial_value_added", 14.4, 3.1, "2020"),
        ("fixed_asset_investment", 36.6, None, "2020"),
    }
    assert {r.name for r in recs} == {"下沙街道"}
    fai = one(recs, metric="fixed_asset_investment")
    assert text[fai.start : fai.end] == "36.6\n\n亿元"  # a PDF line break inside the figure


def test_declines_are_negative_and_money_is_normalised():
    text = "\n湖州市2023年实现一般公共预算收入8500万元，同比下降3.5%。"
    a = Article("t", "t.txt", 0, len(text), "", (), 0, text)
    ms = pd.DataFrame(
        [dict(start=1, end=4, text="湖州市", place_id="3305", name="湖州市", level="city", in_org=False)]
    )
    r = one(mt.extract_metrics(a, text, ms, None, None), metric="general_budget_revenue")
    assert (r.value, r.unit, r.yoy_pct, r.period) == (0.85, "亿元", -3.5, "2023")


def test_articles_without_places_or_mentions_do_not_fail():
    a, text = article_between("004", "具体来说", "技术供给力显著增强")
    for ms in (None, pd.DataFrame(), pd.DataFrame(columns=["start", "end", "place_id"])):
        assert mt.extract_metrics(a, text, ms, None, None) == []
    recs = mt.extract_metrics(
        a, text, None, mt.document_year(text), None, context_place=("zone:kxc", "杭州钱塘科学城")
    )
    assert {(r.value, r.is_target, r.period, r.place_basis) for r in recs} >= {
        (2100.0, True, "2021..2025", "document context")
    }


def test_metrics_frame_has_the_contract_columns(qsh_2024):
    df = mt.metrics_frame(qsh_2024[0])
    contract = [
        "article_id",
        "file",
        "place_id",
        "name",
        "metric",
        "label",
        "value",
        "unit",
        "period",
        "yoy_pct",
        "is_target",
        "qualifier",
        "start",
        "end",
        "evidence",
        "year_source",
    ]
    assert list(df.columns[: len(contract)]) == contract
    assert tuple(mt.metrics_frame([]).columns) == METRIC_COLUMNS


# --- the annotated set -----------------------------------------------------------------------
def test_dev_set_offsets_are_exact():
    gold = load_gold(DEV)
    assert len(gold) >= 60 and len({g["file"] for g in gold}) == 5
    for g in gold:
        text = (SEEDS_DIR / g["file"]).open(encoding="utf-8", newline="").read()
        assert text[g["start"] : g["end"]] == g["value_text"]


# --- end to end on the seeds -----------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_metrics(seeds_extraction):
    return seeds_extraction.metrics


@pytest.mark.parametrize(
    "file, name, metric, value, period, yoy",
    [
        ("000", "青山湖科技城", "industrial_output", 245.23, "2024-Q1", 2.9),
        ("000", "青山湖科技城", "industrial_value_added", 44.1, "2024-Q1", 2.3),
        ("000", "青山湖科技城", "manufacturing_investment", 20.06, "2024-Q1", 23.7),
        ("003", "路桥经济开发区", "fixed_asset_investment", 36.46, "2023", None),
        ("003", "路桥经济开发区", "industrial_output", 606.77, "2023", None),
        ("003", "路桥经济开发区", "industrial_output_share", 64.48, "2023", None),
        ("002", "湘家荡区域", "industrial_output", 38.09, "XXXX-H1", 7.1),
        ("002", "湘家荡区域", "fiscal_revenue", 3.35, "XXXX-H1", 19.3),
        ("004", "钱塘区", "industrial_value_added", 166.6, "2021-Q1", 36.9),
        ("003", "江山经济开发区", "industrial_output", 253.63, "2023", 2.08),
        ("001", "青山湖科技城", "industrial_output", 454.4, "2022-01..2022-08", 8.5),
    ],
)
def test_seed_figures_from_the_issue(seed_metrics, file, name, metric, value, period, yoy):
    df = seed_metrics
    hit = df[df["file"].str.startswith(file) & (df["metric"] == metric) & (df["value"] == value)]
    assert len(hit) == 1, hit
    r = hit.iloc[0]
    assert (r["name"], r["period"]) == (name, period)
    assert (None if pd.isna(r["yoy_pct"]) else r["yoy_pct"]) == yoy


@pytest.mark.parametrize(
    "file, name, metric, value, unit, unit_text, period, target",
    [
        ("002", "湘家荡工业园区", "land_area", 4.0, "平方公里", "亩", None, False),  # 规划用地6000亩
        ("001", "青山湖科技城新智造产业园", "land_area", 1.2, "平方公里", "亩", None, False),
        ("004", "上城区", "population_density", 20000.0, "人/平方公里", "万人/平方公里", None, False),
        ("004", "余杭区", "population_density", 1500.0, "人/平方公里", "万人/平方公里", None, False),
        ("004", "钱塘区", "high_tech_value_added", 476.5, "亿元", "亿元", "2020", False),
        ("004", "贵阳国家高新技术产业开发区", "sector_revenue", 74.0, "亿元", "亿元", "2020", False),
        ("004", "下沙街道", "building_tax", 5.36, "亿元", "亿元", "2020", False),
        ("004", "下沙街道", "companies_signed", 8.0, "家", "家", None, False),  # 8 家企业签约落户
        ("004", "河庄街道", "above_scale_industrial_firms", 47.0, "家", "家", None, False),
        ("004", "钱塘区", "high_tech_enterprises", 618.0, "家", "家", None, False),
        ("004", "钱塘区", "fixed_asset_investment", 300.0, "亿元", "亿元", "2021..2025", True),  # 五年累计
    ],
)
def test_seed_figures_of_the_new_indicators(
    seed_metrics, file, name, metric, value, unit, unit_text, period, target
):
    df = seed_metrics
    hit = df[df["file"].str.startswith(file) & (df["metric"] == metric) & (df["value"] == value)]
    hit = hit[hit["name"] == name]
    assert len(hit) == 1, df[df["metric"] == metric]
    r = hit.iloc[0]
    assert (r["unit"], r["unit_text"], r["is_target"]) == (unit, unit_text, target)
    assert (None if pd.isna(r["period"]) else r["period"]) == period
    assert re.sub(r"\s", "", r["value_text"]).endswith(unit_text)  # the figure as printed, 亩 and all


def test_periods_have_one_format(seed_metrics):
    """2024, 2024-Q1, 2024-H1, 2021-04, 2024-01..2024-08, a target's 2021..2025; XXXX for a year
    neither the text nor the document gives."""
    fmt = re.compile(
        r"(\d{4}|XXXX)(-(Q[1-4]|H[12]|\d{2}))?|(\d{4}|XXXX)-\d{2}\.\.(\d{4}|XXXX)-\d{2}|\d{4}\.\.\d{4}"
    )
    periods = seed_metrics["period"].dropna()
    assert len(periods) > 40 and all(fmt.fullmatch(p) for p in periods), set(periods)
    unknown = seed_metrics[seed_metrics["period"].str.startswith("XXXX", na=False)]
    assert unknown["year"].isna().all() and set(unknown["file"].str[:3]) == {"002"}
    known = seed_metrics[seed_metrics["period"].str.match(r"\d", na=False)]
    assert known["year"].notna().all()


def test_the_catalogue_is_a_csv_a_user_extends(tmp_path, monkeypatch):
    """A row added to the CSV is an indicator at the next extraction, no code changed."""
    import importlib

    from geo.errors import IndicatorError
    from geo.metrics import catalogue, lexicon

    extended = tmp_path / "indicators.csv"
    extended.write_text(
        catalogue.CATALOGUE_CSV.read_text(encoding="utf-8")
        + "digital_core_value_added,money,亿元,label value,any,数字经济核心产业增加值,\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue, "CATALOGUE_CSV", extended)
    try:
        importlib.reload(lexicon)
        text = "\n2023年，德清县数字经济核心产业增加值达到120.6亿元，同比增长11.2%。"
        a = Article("c", "c.txt", 0, len(text), "", (), 0, text)
        ms = mentions_for(a, text, {"德清县": ("330521", "德清县", "county")})
        r = one(mt.extract_metrics(a, text, ms, Y2024, None), metric="digital_core_value_added")
        assert (r.value, r.unit, r.period, r.yoy_pct, r.name) == (120.6, "亿元", "2023", 11.2, "德清县")
    finally:
        monkeypatch.undo()
        importlib.reload(lexicon)
    for bad, why in [
        ("x,money,万元,label value,any,某某收入,", "unit of a money figure is 亿元"),
        ("y,weight,吨,label value,any,产量,", "kind 'weight'"),
        ("z,money,亿元,label value,any,财政收入,", "also fiscal_revenue's"),
    ]:
        broken = tmp_path / "broken.csv"
        broken.write_text(catalogue.CATALOGUE_CSV.read_text(encoding="utf-8") + bad + "\n", encoding="utf-8")
        with pytest.raises(IndicatorError, match=re.escape(why)):
            catalogue.load_catalogue(broken)


def test_seed_company_figures_are_not_place_metrics(seed_metrics):
    """南都电源's 营收, 美迪凯's and 奥泰生物's 营业收入, 联德股份's 研发投入: companies, not places."""
    company = [12.21, 0.4071, 0.3633, 2.0, 3.3, 11.0, 9.09]
    revenue = seed_metrics[seed_metrics["metric"].isin(["operating_revenue", "sector_revenue"])]
    assert not revenue["value"].isin(company).any()
    assert not seed_metrics["label"].str.contains("销售额|净利润").any()
    assert set(revenue["label"]) <= {"软件和信息技术服务业收入", "营利性服务业收入", "数字经济产业营收"}


def test_seed_offsets_and_evidence_are_exact(seed_metrics, seed_texts):
    for r in seed_metrics.itertuples():
        assert seed_texts[r.file][r.start : r.end] == r.value_text
        assert re.sub(r"\s", "", r.value_text) in re.sub(r"\s", "", r.evidence)


def test_seed_precision_recall_on_the_annotated_set(seed_metrics):
    s = score_metrics(seed_metrics, load_gold(DEV))
    print(
        json.dumps(
            {
                k: s[k]
                for k in ("gold", "predicted", "found", "right", "precision", "recall", "attribute_accuracy")
            },
            ensure_ascii=False,
        )
    )
    assert s["precision"] >= 0.95 and s["recall"] >= 0.9
    assert s["attribute_accuracy"]["period"] >= 0.95 and s["attribute_accuracy"]["yoy_pct"] >= 0.95


def test_metrics_jsonl_written_by_the_pipeline(seeds_extraction, tmp_path):
    from geo.jsonl import write_extraction

    files = write_extraction(seeds_extraction, tmp_path)
    rows = [json.loads(line) for line in files["metrics"].read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(seeds_extraction.metrics) > 50
    assert {
        "place_id",
        "metric",
        "label",
        "value",
        "unit",
        "period",
        "yoy_pct",
        "is_target",
        "qualifier",
        "start",
        "end",
        "evidence",
        "year_source",
    } <= set(rows[0])


# --- held-out sentences ------------------------------------------------------------------------
# Written in the style of Zhejiang economic news *before* the extractor was run on them (not from
# the seeds); first run: 28 of 29 records exact (规划面积 was taken for a plan), now all.
# (title, text, {surface: (place_id, name, level)}, expected records)
HELD_OUT_PLACES = {
    '柯桥区': ('330603', '柯桥区', 'county'),
    '海宁市': ('330481', '海宁市', 'county'),
    '德清县': ('330521', '德清县', 'county'),
    '安吉县': ('330523', '安吉县', 'county'),
    '平湖经济技术开发区': ('zone:ph', '平湖经济技术开发区', 'zone'),
    '南浔区': ('330503', '南浔区', 'county'),
    '温岭市': ('331081', '温岭市', 'county'),
    '台州': ('3310', '台州市', 'city'),
    '舟山市': ('3309', '舟山市', 'city'),
    '吴兴区': ('330502', '吴兴区', 'county'),
    '萧山经济技术开发区': ('zone:xs', '萧山经济技术开发区', 'zone'),
    '义乌市': ('330782', '义乌市', 'county'),
    '临平区': ('330113', '临平区', 'county'),
    '嘉善县': ('330421', '嘉善县', 'county'),
    '瑞安市': ('330381', '瑞安市', 'county'),
    '桐乡市': ('330483', '桐乡市', 'county'),
    '余姚市': ('330281', '余姚市', 'county'),
    '东阳市': ('330783', '东阳市', 'county'),
    '横店镇': ('330783100', '横店镇', 'township'),
    '青田县': ('331121', '青田县', 'county'),
    '永嘉县': ('330324', '永嘉县', 'county'),
    '宁波市': ('3302', '宁波市', 'city'),
    '乐清市': ('330382', '乐清市', 'county'),
    '上虞区': ('330604', '上虞区', 'county'),
    '鹿城区': ('330302', '鹿城区', 'county'),
}
HELD_OUT = [
    (
        "",
        "今年1—6月，柯桥区实现规上工业总产值1523.6亿元，同比增长9.8%。",
        [("柯桥区", "industrial_output", 1523.6, "2024-01..2024-06", 9.8, False, None)],
    ),
    (
        "",
        "一季度，海宁市完成固定资产投资86.2亿元，同比下降4.3%，其中制造业投资32.1亿元，同比增长15.2%。",
        [
            ("海宁市", "fixed_asset_investment", 86.2, "2024-Q1", -4.3, False, None),
            ("海宁市", "manufacturing_investment", 32.1, "2024-Q1", 15.2, False, None),
        ],
    ),
    (
        "",
        "2023年，德清县实现地区生产总值670.5亿元，增长6.8%；财政总收入122.3亿元，其中一般公共预算收入71.4亿元。",
        [
            ("德清县", "gdp", 670.5, "2023", 6.8, False, None),
            ("德清县", "fiscal_revenue", 122.3, "2023", None, False, None),
            ("德清县", "general_budget_revenue", 71.4, "2023", None, False, None),
        ],
    ),
    (
        "安吉县：招大引强",
        "据统计，上半年全县共招引亿元以上项目38个，其中10亿元以上项目9个。",
        [("安吉县", "projects_introduced", 38, "2024-H1", None, False, None)],
    ),
    (
        "",
        "截至6月底，平湖经济技术开发区已累计签约项目56个，总投资超300亿元。",
        [
            ("平湖经济技术开发区", "signed_projects", 56, "2024-06", None, False, None),
            ("平湖经济技术开发区", "signed_investment", 300, "2024-06", None, False, "over"),
        ],
    ),
    (
        "",
        "到2027年，南浔区力争规上工业总产值突破1500亿元，研发投入强度达到3.5%。",
        [
            ("南浔区", "industrial_output", 1500, "2024..2027", None, True, "over"),
            ("南浔区", "rd_intensity", 3.5, "2024..2027", None, True, None),
        ],
    ),
    (
        "",
        "去年，温岭市规上工业增加值达到412亿元，同比增长7.9%，总量居台州第一。",
        [("温岭市", "industrial_value_added", 412, "2023", 7.9, False, None)],
    ),
    (
        "",
        "2023年全年舟山市实现社会消费品零售总额1011.2亿元，同比增长8.1%。",
        [("舟山市", "retail_sales", 1011.2, "2023", 8.1, False, None)],
    ),
    (
        "吴兴区：产城融合",
        "该区常住人口58.3万人，户籍人口41.2万人。",
        [
            ("吴兴区", "population", 583000, None, None, False, None),
            ("吴兴区", "registered_population", 412000, None, None, False, None),
        ],
    ),
    (
        "",
        "萧山经济技术开发区规划面积184平方公里，集聚企业2000余家。",
        [("萧山经济技术开发区", "area", 184, None, None, False, None)],
    ),
    ("", "南都电源今年前三季度实现营业收入85.6亿元，同比增长12%。", []),
    (
        "",
        "1月至9月，义乌市外贸进出口总额4235亿元，同比增长17.5%。",
        [("义乌市", "foreign_trade", 4235, "2024-01..2024-09", 17.5, False, None)],
    ),
    (
        "",
        "今年以来，临平区新招引亿元以上产业项目27个，计划总投资112亿元。",
        [("临平区", "projects_introduced", 27, "2024", None, False, None)],
    ),
    (
        "",
        "嘉善县上半年实现规上工业增加值195.3亿元，同比增长11.2%，增速居全市第二。",
        [("嘉善县", "industrial_value_added", 195.3, "2024-H1", 11.2, False, None)],
    ),
    (
        "",
        "前三季度，瑞安市实现GDP 805.6亿元，同比增长6.4%，高于全省平均1.2个百分点。",
        [("瑞安市", "gdp", 805.6, "2024-01..2024-09", 6.4, False, None)],
    ),
    (
        "",
        "2023年，桐乡市完成一般公共预算收入98.7亿元，比上年下降2.1%。",
        [("桐乡市", "general_budget_revenue", 98.7, "2023", -2.1, False, None)],
    ),
    (
        "",
        "截至2023年底，余姚市常住人口达126.5万人。",
        [("余姚市", "population", 1265000, "2023", None, False, None)],
    ),
    (  # out of scope when written; a place's 营业收入 is an indicator since issue 17
        "",
        "东阳市横店镇以影视文化产业为主导，2023年实现营业收入50亿元。",
        [("横店镇", "operating_revenue", 50, "2023", None, False, None)],
    ),
    (
        "",
        "今年一季度，青田县完成工业投资12.3亿元，同比增长30.5%。",
        [("青田县", "industrial_investment", 12.3, "2024-Q1", 30.5, False, None)],
    ),
    (
        "",
        "2022年，永嘉县地区生产总值首次突破500亿元。",
        [("永嘉县", "gdp", 500, "2022", None, False, "over")],
    ),
    (
        "",
        "2023年，宁波市经济运行稳中有进。全市实现规模以上工业增加值5290亿元，同比增长6.5%。",
        [("宁波市", "industrial_value_added", 5290, "2023", 6.5, False, None)],
    ),
    (
        "",
        "乐清市签约重大项目15个、总投资286亿元，其中外资项目3个。",
        [
            ("乐清市", "signed_projects", 15, None, None, False, None),
            ("乐清市", "signed_investment", 286, None, None, False, None),
        ],
    ),
    ("", "上虞区某新材料项目一期厂房面积约1.2万平方米，总投资5亿元。", []),
    (
        "",
        "今年1-8月，鹿城区实现财政总收入80.3亿元，同比增长5.2%，其中地方财政收入50.1亿元，同比增长4.8%。",
        [
            ("鹿城区", "fiscal_revenue", 80.3, "2024-01..2024-08", 5.2, False, None),
            ("鹿城区", "local_fiscal_revenue", 50.1, "2024-01..2024-08", 4.8, False, None),
        ],
    ),
]


@pytest.mark.parametrize("title, body, expected", HELD_OUT, ids=[c[1][:12] for c in HELD_OUT])
def test_held_out_sentences(title, body, expected):
    text = (title + "\n\n" if title else "\n") + body
    a = Article("h", "h.txt", 0, len(text), title, (), len(title), text)
    got = {
        (r.name, r.metric, r.value, r.period, r.yoy_pct, r.is_target, r.qualifier)
        for r in mt.extract_metrics(a, text, mentions_for(a, text, HELD_OUT_PLACES), Y2024, None)
    }
    assert got == {(n, k, float(v), p, y, t, q) for n, k, v, p, y, t, q in expected}


# --- held-out sentences for the indicators of issue 17 ------------------------------------------
# Written for this test before the extractor was run on them (not from the seeds). First run: 13 of
# 14 expected records exact ("约为" lost its qualifier) and one extra ("新增规上工业企业56家", an
# increase, not the number of firms); both fixed since.
HELD_OUT_17_PLACES = {
    **HELD_OUT_PLACES,
    '柯桥经济技术开发区': ('zone:kq', '柯桥经济技术开发区', 'zone'),
    '南湖区': ('330402', '南湖区', 'county'),
    '慈溪市': ('330282', '慈溪市', 'county'),
    '余杭区': ('330110', '余杭区', 'county'),
    '嘉善县': ('330421', '嘉善县', 'county'),
    '上城区': ('330102', '上城区', 'county'),
    '萧山区': ('330109', '萧山区', 'county'),
    '温州经开区': ('zone:wz', '温州经济技术开发区', 'zone'),
    '绍兴市': ('3306', '绍兴市', 'city'),
}
HELD_OUT_17 = [
    (
        "",
        "柯桥经济技术开发区规划用地3000亩，目前已入驻企业120余家。",
        [("柯桥经济技术开发区", "land_area", 2.0, None, None, False, None, "亩")],
    ),
    (
        "",
        "2023年，海宁市高新技术产业增加值达到356.2亿元，同比增长9.1%。",
        [("海宁市", "high_tech_value_added", 356.2, "2023", 9.1, False, None, "亿元")],
    ),
    (
        "",
        "一季度，南湖区战略性新兴产业增加值45.6亿元，同比增长12.3%。",
        [("南湖区", "strategic_emerging_value_added", 45.6, "2024-Q1", 12.3, False, None, "亿元")],
    ),
    (
        "",
        "去年，慈溪市装备制造业增加值突破300亿元。",
        [("慈溪市", "equipment_value_added", 300, "2023", None, False, "over", "亿元")],
    ),
    (
        "",
        "2023年，余杭区楼宇税收达到85亿元，其中亿元楼宇28幢。",
        [("余杭区", "building_tax", 85, "2023", None, False, None, "亿元")],
    ),
    (
        "",
        "昨日，临平区举行招商大会，现场15家企业签约落户。",
        [("临平区", "companies_signed", 15, None, None, False, None, "家")],
    ),
    (
        "",
        "截至2023年底，嘉善县拥有国家高新技术企业412家，规上工业企业1086家。",
        [
            ("嘉善县", "high_tech_enterprises", 412, "2023", None, False, None, "家"),
            ("嘉善县", "above_scale_industrial_firms", 1086, "2023", None, False, None, "家"),
        ],
    ),
    (
        "",
        "上城区人口密度约为1.2万人/平方公里。",
        [("上城区", "population_density", 12000, None, None, False, "about", "万人/平方公里")],
    ),
    (
        "",
        "到2025年，萧山区数字经济核心产业营收力争达到3000亿元，五年累计完成固定资产投资5000亿元。",
        [
            ("萧山区", "sector_revenue", 3000, "2024..2025", None, True, None, "亿元"),
            ("萧山区", "fixed_asset_investment", 5000, "2021..2025", None, True, None, "亿元"),
        ],
    ),
    (
        "",
        "义乌市数字贸易产业营业收入突破2000亿元。",
        [("义乌市", "sector_revenue", 2000, None, None, False, "over", "亿元")],
    ),
    ("", "华东医药今年上半年实现营业收入203亿元，同比增长10.4%。", []),
    (
        "",
        "今年1-5月，温州经开区实现营业收入326亿元，同比增长6.2%。",
        [("温州经济技术开发区", "operating_revenue", 326, "2024-01..2024-05", 6.2, False, None, "亿元")],
    ),
    (
        "绍兴市：资本市场再添新军",
        "全市累计A股上市企业达到42家，其中今年新增5家。",
        [("绍兴市", "listed_companies", 42, None, None, False, None, "家")],
    ),
    (
        "",
        "2022年，南湖区新增规上工业企业56家，总数达到1203家。",
        [],
    ),
]


@pytest.mark.parametrize("title, body, expected", HELD_OUT_17, ids=[c[1][:12] for c in HELD_OUT_17])
def test_held_out_sentences_for_the_new_indicators(title, body, expected):
    text = (title + "\n\n" if title else "\n") + body
    a = Article("h", "h.txt", 0, len(text), title, (), len(title), text)
    got = {
        (r.name, r.metric, r.value, r.period, r.yoy_pct, r.is_target, r.qualifier, r.unit_text)
        for r in mt.extract_metrics(a, text, mentions_for(a, text, HELD_OUT_17_PLACES), Y2024, None)
    }
    assert got == {(n, k, float(v), p, y, t, q, u) for n, k, v, p, y, t, q, u in expected}


# --- a text without line breaks (issue 19) -------------------------------------------------------
def _long_text(n_paragraphs: int) -> str:
    """Paragraphs of one figure without a period of its own and four sentences without dates: each
    figure looks back for its period, the case that was quadratic on one long line."""
    filler = (
        "园区坚持创新驱动，不断优化营商环境。企业负责人表示，将继续加大投入力度。"
        "这里的产业生态日益完善，吸引了大批人才。各方合作共赢，发展势头强劲。"
    )
    places = ("萧山区", "临安区", "余杭区", "建德市")
    return "\n\n".join(
        f"{places[i % 4]}实现规上工业总产值{100 + i / 10:.1f}亿元，同比增长{i % 30}.1%。{filler}"
        for i in range(n_paragraphs)
    )


def _metrics_seconds(text: str) -> tuple[float, int]:
    import time

    a = Article("long", "long.txt", 0, len(text), "", (), 0, text)
    places = {"萧山区": ("330109", "萧山区", "county"), "临安区": ("330112", "临安区", "county"),
              "余杭区": ("330110", "余杭区", "county"), "建德市": ("330182", "建德市", "county")}  # fmt: skip
    ms = mentions_for(a, text, places)
    t = time.process_time()
    n = len(mt.extract_metrics(a, text, ms, Y2024, None))
    return time.process_time() - t, n


def test_a_long_line_costs_what_the_same_text_in_paragraphs_costs():
    """Metrics on 4,000 figures as one line: linear, with a generous bound (it was 25–55 times
    slower than the same text in paragraphs, and growing with the length)."""
    paragraphs = _long_text(4000)
    line = paragraphs.replace("\n", "")
    t_para, n_para = _metrics_seconds(paragraphs)
    t_line, n_line = _metrics_seconds(line)
    assert n_line == n_para == 4000  # every figure is found, with its growth
    assert t_line < 3 * t_para + 1.0, (t_line, t_para)


@pytest.mark.slow
def test_a_5_mb_single_line_extracts_at_the_speed_of_text_in_paragraphs():
    """bench/bench_long_line.py: 5 MB through every stage, one line against the same text in
    paragraphs, CPU seconds (measured 0.8 s/MB as one line, 0.6 s/MB in paragraphs)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import bench_long_line

    r = bench_long_line.measure(5.0)
    assert r["ratio"] < 3.0, r  # before: 23 times at 100 KB, 56 at 200 KB, growing with the size
    assert r["s_per_mb_one_line"] < 20, r


def test_figures_in_a_list_take_the_place_of_their_own_line():
    """Not from the seeds: a sidebar list whose lines name their place after the figure; the
    sentence before names another place, the headline a third."""
    title = "杭州：招商引资捷报频传"
    body = "各区签约成果喜人。滨江区日前举行了专场推介会。\n\n12 家企业签约落户萧山区\n\n9 家企业签约落户余杭区\n"
    text = title + "\n\n" + body
    a = Article("s", "s.txt", 0, len(text), title, (), len(title), text)
    places = {
        "杭州": ("3301", "杭州市", "city"),
        "滨江区": ("330108", "滨江区", "county"),
        "萧山区": ("330109", "萧山区", "county"),
        "余杭区": ("330110", "余杭区", "county"),
    }
    got = [
        (r.name, r.value, r.place_basis) for r in mt.extract_metrics(a, text, mentions_for(a, text, places))
    ]
    assert got == [("萧山区", 12.0, "own line"), ("余杭区", 9.0, "own line")]


def test_a_figure_under_a_section_heading_takes_the_place_it_names():
    """Not from the seeds: sections of a city round-up, each headed by its county; the figures'
    sentences name no place."""
    from geo.corpus.reader import split_articles
    from geo.schema import Document

    text = (
        "湖州：三地齐发力 工业开门红\n\n张敏\n\n湖州各地工业经济实现良好开局。\n\n"
        "德清县 数字经济领跑\n\n一季度规上工业增加值 120.5 亿元，同比增长 8.2%。\n\n"
        "长兴县 新能源产业提速\n\n一季度规上工业增加值 98.3 亿元，同比增长 6.1%。\n"
    )
    (a,) = split_articles(Document("h.txt", Path("h.txt"), text, "utf-8"))
    assert [s.title for s in a.sections] == ["德清县 数字经济领跑", "长兴县 新能源产业提速"]
    places = {
        "湖州": ("3305", "湖州市", "city"),
        "德清县": ("330521", "德清县", "county"),
        "长兴县": ("330522", "长兴县", "county"),
    }
    got = [
        (r.name, r.value, r.place_basis)
        for r in mt.extract_metrics(a, text, mentions_for(a, text, places), Y2024)
    ]
    assert got == [("德清县", 120.5, "section heading"), ("长兴县", 98.3, "section heading")]
