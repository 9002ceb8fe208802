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

from geo import metrics as mt
from geo.corpus import Article
from geo.metrics_eval import load_gold, score_metrics
from geo.metrics_lexicon import parse_number
from geo.metrics_periods import YearEvidence, find_period
from geo.settings import SEEDS_DIR

DEV = Path(__file__).parent / "data" / "metrics_dev.jsonl"
SEED = {p.name[:3]: p for p in SEEDS_DIR.glob("*.txt")}


def seed_text(prefix: str) -> str:
    return SEED[prefix].open(encoding="utf-8", newline="").read()


def article_between(prefix: str, title: str, end_marker: str | None = None,
                    byline: str | None = None) -> tuple[Article, str]:
    """An Article spanning from ``title`` to ``end_marker`` (or the end of the file); the body
    starts after the title line (and the byline, if given)."""
    text = seed_text(prefix)
    start = text.index(title)
    end = text.index(end_marker, start) if end_marker else len(text)
    title_end = text.index("\n", start)
    body_start = text.index(byline, title_end) + len(byline) if byline else title_end
    return Article(f"{prefix}-test", SEED[prefix].name, start, end, text[start:title_end].strip(" #"),
                   (byline,) if byline else (), body_start, text[start:end]), text


def mentions_for(article: Article, text: str, places: dict[str, tuple[str, str, str]],
                 orgs: tuple[str, ...] = ()) -> pd.DataFrame:
    """Hand-built mentions: every occurrence of each surface inside the article (file offsets)."""
    rows = []
    pattern = re.compile("|".join(sorted(map(re.escape, places), key=len, reverse=True)))
    for m in pattern.finditer(text, article.start, article.end):
        pid, name, level = places[m.group(0)]
        in_org = any(text.startswith(o, m.start()) for o in orgs)
        rows.append(dict(article_id=article.article_id, file=article.file, start=m.start(), end=m.end(),
                         text=m.group(0), place_id=pid, name=name, level=level, in_org=in_org))
    return pd.DataFrame(rows)


QSH = {"青山湖科技城": ("zone:qsh", "青山湖科技城", "zone"), "杭州": ("3301", "杭州市", "city"),
       "临安": ("330112", "临安区", "county"), "浙江省": ("33", "浙江省", "province"),
       "青山湖": ("landmark:qsh", "青山湖", "landmark")}


def one(records, **want):
    hits = [r for r in records if all(getattr(r, k) == v for k, v in want.items())]
    assert len(hits) == 1, (want, [(r.name, r.metric, r.value, r.period) for r in records])
    return hits[0]


# --- document year and periods ---------------------------------------------------------------
@pytest.mark.parametrize("prefix, year, kind", [
    ("000", 2024, "since_year_end"),     # "2023年底以来"
    ("003", 2024, "outlook"),            # "展望2024年"
    ("004", 2021, "issue_date"),         # "2021 \04 NO.9"
    ("002", None, None),                 # only past years mentioned: not evidence
])
def test_document_year_from_the_documents_own_evidence(prefix, year, kind):
    ev = mt.document_year(seed_text(prefix))
    assert (ev.year if ev else None) == year
    assert (ev.kind if ev else None) == kind
    if ev:
        assert str(ev.year - (1 if kind == "since_year_end" else 0)) in seed_text(prefix)[ev.start:ev.end]


Y2024 = YearEvidence(2024, "test", "outlook")


@pytest.mark.parametrize("text, period, year_source", [
    ("今年一季度，实现", "2024-Q1", "今年: test"),
    ("去年，路桥经济开发区全年完成", "2023", "去年: test"),
    ("2022年1月至8月，青山湖科技城累计完成", "2022-01/08", "stated"),
    ("2022年1—8月", "2022-01/08", "stated"),
    ("今年上半年,湘家荡区域", "2024-H1", "今年: test"),
    ("2021 年一季度，生命健康产业", "2021-Q1", "stated"),
    ("2020\n\n年钱塘区实现", "2020", "stated"),
    ("截至 2020 年底，街属企业", "2020", "stated"),
    ("2001 年 3 月，萧山、余杭撤市设区", "2001-03", "stated"),
    ("前三季度", "2024-01/09", "前三季度 (this year): test"),
])
def test_periods(text, period, year_source):
    p = find_period(text, len(text), Y2024)
    assert (p.period, p.year_source) == (period, year_source)


@pytest.mark.parametrize("text", ["诞生于2016年的科技", "自2023年开始施行", "2021年签约以来"])
def test_event_dates_are_not_periods(text):
    assert find_period(text, len(text), Y2024) is None


def test_unknown_year_keeps_the_sub_period_and_says_nothing_about_the_year():
    p = find_period("今年上半年,湘家荡区域", 10, None)
    assert (p.period, p.year, p.year_source) == ("H1", None, None)


def test_target_year():
    p = find_period("到2030年，力争", 8, Y2024)
    assert p.period == "2030" and p.is_target_year


@pytest.mark.parametrize("text, value", [("245.23", 245.23), ("1,095.7", 1095.7), ("千万", 1e7),
                                         ("两万", 2e4), ("一百二十", 120)])
def test_numbers(text, value):
    assert parse_number(text) == value


# --- extraction with hand-built mentions ---------------------------------------------------
@pytest.fixture(scope="module")
def qsh_2024():
    a, text = article_between("000", "# 做强“千亿大平台”", "# 余杭仁和", byline="刘倩言 叶 蕾")
    recs = mt.extract_metrics(a, text, mentions_for(a, text, QSH), mt.document_year(text), None)
    return recs, text


@pytest.mark.parametrize("metric, value, yoy", [
    ("industrial_output", 245.23, 2.9), ("industrial_value_added", 44.1, 2.3),
    ("manufacturing_investment", 20.06, 23.7)])
def test_qingshanhu_first_quarter_2024(qsh_2024, metric, value, yoy):
    recs, text = qsh_2024
    r = one(recs, metric=metric, value=value)
    assert (r.name, r.unit, r.period, r.yoy_pct, r.is_target) == ("青山湖科技城", "亿元", "2024-Q1", yoy, False)
    assert r.year == 2024 and "2023年底以来" in r.year_source
    assert text[r.start:r.end] == r.value_text == f"{value:g}亿元"
    assert r.evidence.startswith("5月下旬") and f"{value:g}亿元" in r.evidence


def test_targets_are_kept_and_marked(qsh_2024):
    r = one(qsh_2024[0], metric="industrial_output", value=1800.0)
    assert (r.is_target, r.period, r.qualifier, r.name) == (True, "2030", "over", "青山湖科技城")


def test_project_counts_and_previous_sentence_subject(qsh_2024):
    recs, _ = qsh_2024
    assert one(recs, metric="projects_introduced", value=46.0).period == "2023"
    r = one(recs, metric="projects_introduced", value=20.0)     # "今年一季度更是引进了亿元以上项目20个"
    assert (r.period, r.name) == ("2024-Q1", "青山湖科技城")
    # "包括7个10亿元以上项目": thresholds and sub-counts are not figures
    assert not [r for r in recs if r.value in (7.0, 10.0, 2.0, 50.0)]


def test_company_revenue_is_not_a_place_metric():
    a, text = article_between("001", "# 争当杭州城西科创大走廊")
    recs = mt.extract_metrics(a, text, mentions_for(a, text, QSH), None, None)
    assert not [r for r in recs if r.value == 12.21 or "营收" in r.label]
    r = one(recs, metric="industrial_output")
    assert (r.value, r.period, r.yoy_pct, r.name) == (454.4, "2022-01/08", 8.5, "青山湖科技城")
    assert one(recs, metric="industrial_value_added").yoy_pct == 35.3


def test_company_rd_spending_is_left_out_with_a_reason():
    a, text = article_between("004", "除了对重点优势业务持续加码外", "“技术研发是公司的立足之本")
    recs, skipped = mt.explain_metrics(a, text, mentions_for(a, text, {"钱塘区": ("330114", "钱塘区", "county")}),
                                       mt.document_year(text), "330114")
    assert not recs
    assert any(fig.startswith("4071") and why.startswith("company") for fig, why in skipped)


def test_shares_and_subject_heading_the_sentence():
    a, text = article_between("003", "路桥经济开发区:坚持项目为王", "秉持着")
    ms = mentions_for(a, text, {"路桥经济开发区": ("zone:lq", "路桥经济开发区", "zone")})
    recs = mt.extract_metrics(a, text, ms, mt.document_year(text), None)
    assert [(r.metric, r.value, r.unit, r.period) for r in recs] == [
        ("fixed_asset_investment", 36.46, "亿元", "2023"), ("industrial_output", 606.77, "亿元", "2023"),
        ("industrial_output_share", 64.48, "%", "2023")]
    assert {r.name for r in recs} == {"路桥经济开发区"}
    assert recs[0].year_source.startswith("去年") and "展望2024年" in recs[0].year_source


def test_respectively_and_anaphor_street():
    a, text = article_between("004", "下沙街道：\n数字赋能高质量发展", "把 10% 留用地")
    ms = mentions_for(a, text, {"下沙街道": ("330114001", "下沙街道", "township")})
    recs = mt.extract_metrics(a, text, ms, mt.document_year(text), None)
    got = {(r.metric, r.value, r.yoy_pct, r.period) for r in recs}
    assert got == {("fiscal_revenue", 10.09, 17.3, "2020"), ("local_fiscal_revenue", 5.38, 11.3, "2020"),
                   ("industrial_output_all", 58.8, None, "2020"), ("industrial_value_added", 14.4, 3.1, "2020"),
                   ("fixed_asset_investment", 36.6, None, "2020")}
    assert {r.name for r in recs} == {"下沙街道"}
    fai = one(recs, metric="fixed_asset_investment")
    assert text[fai.start:fai.end] == "36.6\n\n亿元"          # a PDF line break inside the figure


def test_declines_are_negative_and_money_is_normalised():
    text = "\n湖州市2023年实现一般公共预算收入8500万元，同比下降3.5%。"
    a = Article("t", "t.txt", 0, len(text), "", (), 0, text)
    ms = pd.DataFrame([dict(start=1, end=4, text="湖州市", place_id="3305", name="湖州市", level="city",
                            in_org=False)])
    r = one(mt.extract_metrics(a, text, ms, None, None), metric="general_budget_revenue")
    assert (r.value, r.unit, r.yoy_pct, r.period) == (0.85, "亿元", -3.5, "2023")


def test_articles_without_places_or_mentions_do_not_fail():
    a, text = article_between("004", "具体来说", "技术供给力显著增强")
    for ms in (None, pd.DataFrame(), pd.DataFrame(columns=["start", "end", "place_id"])):
        assert mt.extract_metrics(a, text, ms, None, None) == []
    recs = mt.extract_metrics(a, text, None, mt.document_year(text), None, context_place=("zone:kxc", "杭州钱塘科学城"))
    assert {(r.value, r.is_target, r.period, r.place_basis) for r in recs} >= {(2100.0, True, "2025", "document context")}


def test_metrics_frame_has_the_contract_columns(qsh_2024):
    df = mt.metrics_frame(qsh_2024[0])
    contract = ["article_id", "file", "place_id", "name", "metric", "label", "value", "unit", "period",
                "yoy_pct", "is_target", "qualifier", "start", "end", "evidence", "year_source"]
    assert list(df.columns[:len(contract)]) == contract
    assert mt.metrics_frame([]).columns.tolist() == mt.METRIC_COLUMNS


# --- the annotated set -----------------------------------------------------------------------
def test_dev_set_offsets_are_exact():
    gold = load_gold(DEV)
    assert len(gold) >= 60 and len({g["file"] for g in gold}) == 5
    for g in gold:
        text = (SEEDS_DIR / g["file"]).open(encoding="utf-8", newline="").read()
        assert text[g["start"]:g["end"]] == g["value_text"]


# --- end to end on the seeds -----------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_metrics(seeds_extraction):
    return seeds_extraction.metrics


@pytest.mark.parametrize("file, name, metric, value, period, yoy", [
    ("000", "青山湖科技城", "industrial_output", 245.23, "2024-Q1", 2.9),
    ("000", "青山湖科技城", "industrial_value_added", 44.1, "2024-Q1", 2.3),
    ("000", "青山湖科技城", "manufacturing_investment", 20.06, "2024-Q1", 23.7),
    ("003", "路桥经济开发区", "fixed_asset_investment", 36.46, "2023", None),
    ("003", "路桥经济开发区", "industrial_output", 606.77, "2023", None),
    ("003", "路桥经济开发区", "industrial_output_share", 64.48, "2023", None),
    ("002", "湘家荡区域", "industrial_output", 38.09, "H1", 7.1),
    ("002", "湘家荡区域", "fiscal_revenue", 3.35, "H1", 19.3),
    ("004", "钱塘区", "industrial_value_added", 166.6, "2021-Q1", 36.9),
    ("003", "江山经济开发区", "industrial_output", 253.63, "2023", 2.08),
    ("001", "青山湖科技城", "industrial_output", 454.4, "2022-01/08", 8.5),
])
def test_seed_figures_from_the_issue(seed_metrics, file, name, metric, value, period, yoy):
    df = seed_metrics
    hit = df[df["file"].str.startswith(file) & (df["metric"] == metric) & (df["value"] == value)]
    assert len(hit) == 1, hit
    r = hit.iloc[0]
    assert (r["name"], r["period"]) == (name, period)
    assert (None if pd.isna(r["yoy_pct"]) else r["yoy_pct"]) == yoy


def test_seed_company_figures_are_not_place_metrics(seed_metrics):
    assert not ((seed_metrics["value"] == 12.21) | (seed_metrics["value"] == 0.4071)).any()
    assert not seed_metrics["label"].str.contains("营收|营业收入|销售额|净利润").any()


def test_seed_offsets_and_evidence_are_exact(seed_metrics, seed_texts):
    for r in seed_metrics.itertuples():
        assert seed_texts[r.file][r.start:r.end] == r.value_text
        assert re.sub(r"\s", "", r.value_text) in re.sub(r"\s", "", r.evidence)


def test_seed_precision_recall_on_the_annotated_set(seed_metrics):
    s = score_metrics(seed_metrics, load_gold(DEV))
    print(json.dumps({k: s[k] for k in ("gold", "predicted", "found", "right", "precision", "recall",
                                        "attribute_accuracy")}, ensure_ascii=False))
    assert s["precision"] >= 0.95 and s["recall"] >= 0.9
    assert s["attribute_accuracy"]["period"] >= 0.95 and s["attribute_accuracy"]["yoy_pct"] >= 0.95


def test_metrics_jsonl_written_by_the_pipeline(seeds_extraction, tmp_path):
    from geo.extract import write_extraction

    files = write_extraction(seeds_extraction, tmp_path)
    rows = [json.loads(line) for line in files["metrics"].read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(seeds_extraction.metrics) > 50
    assert {"place_id", "metric", "label", "value", "unit", "period", "yoy_pct", "is_target", "qualifier",
            "start", "end", "evidence", "year_source"} <= set(rows[0])
