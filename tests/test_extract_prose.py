"""Prose facts: levels, changes, losses, comparatives, lists, ranges, currencies, forecasts, balances, prices.

Sentences are written for these tests in the genre of the notes (not copied from the seeds) and are about
companies that are not in the seed notes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl
import pytest

from notestar import schemas
from notestar.extract import EXTRACTOR_VERSION, extract_facts


def make_notes(*notes: tuple[str, str, dt.datetime | None], source_file: str = "t.txt") -> pl.DataFrame:
    rows = []
    for i, (title, body, date) in enumerate(notes):
        text = f"{title}\n{body}"
        rows.append({
            "note_id": hashlib.sha256(text.encode()).hexdigest(), "file_hash": "h", "source_file": source_file,
            "source_path": source_file, "note_index": i, "title": title, "publisher": None, "published_at": date,
            "kind": "news", "language": "zh", "text": text,
        })
    return schemas.conform(pl.DataFrame(rows), schemas.NOTES)


def facts_of(title: str, body: str, date=dt.datetime(2025, 11, 3)) -> pl.DataFrame:
    return extract_facts(make_notes((title, body, date))).facts


def rows(df: pl.DataFrame) -> set[tuple]:
    return {
        (r["metric_code"], r["segment_code"], r["measure"], r["period_label"], r["basis"], r["value"], r["unit"])
        for r in df.iter_rows(named=True)
    }


def test_level_yoy_qoq_and_margin_pp():
    f = facts_of("宁德时代(300750.SZ)：3Q25业绩稳健",
                 "- 3Q25实现营收1041.86亿元，同比增长12.9%，环比增长1.7% [1]\n"
                 "- 毛利率为25.8%，同比提升2.6个百分点，环比下降0.5个百分点 [2]")
    got = rows(f)
    assert ("revenue", "", "level", "2025Q3", "actual", 104186000000.0, "CNY") in got
    assert ("revenue", "", "yoy", "2025Q3", "actual", 12.9, "%") in got
    assert ("revenue", "", "qoq", "2025Q3", "actual", 1.7, "%") in got
    assert ("gross_margin", "", "level", "2025Q3", "actual", 25.8, "%") in got
    assert ("gross_margin", "", "yoy_pp", "2025Q3", "actual", 2.6, "pp") in got
    assert ("gross_margin", "", "qoq_pp", "2025Q3", "actual", -0.5, "pp") in got
    assert set(f["company_name"]) == {"宁德时代"} and set(f["company_ticker"]) == {"300750.SZ"}


def test_losses_are_negative_and_narrowing_loss_is_positive_change():
    f = facts_of("星河智联：二季度亏损收窄",
                 "2025年第二季度，公司归母净亏损1.25亿元，同比减亏18.4%；经调整经营亏损为3,420万元，同比收窄22%。"
                 "调整后净亏损0.8亿元，亏损率为6.5%。",
                 dt.datetime(2025, 8, 20))
    got = rows(f)
    assert ("net_profit_attributable", "", "level", "2025Q2", "actual", -125000000.0, "CNY") in got
    assert ("net_profit_attributable", "", "yoy", "2025Q2", "actual", 18.4, "%") in got
    assert ("adjusted_operating_profit", "", "level", "2025Q2", "actual", -34200000.0, "CNY") in got
    assert ("adjusted_operating_profit", "", "yoy", "2025Q2", "actual", 22.0, "%") in got
    assert ("adjusted_net_margin", "", "level", "2025Q2", "actual", -6.5, "%") in got


def test_prior_year_comparatives_and_from_to():
    f = facts_of("比亚迪(002594.SZ)三季度点评",
                 "- 3Q25经调整净利润为4.6亿元，去年同期为亏损0.9亿元 [1]\n"
                 "- 3Q25毛利率由去年同期的17.1%提升至18.9% [2]\n"
                 "- 公司毛利率从2023年的20.2%回落至2025年上半年的17.6%，期间费用率从9.1%降至8.4% [3]")
    got = rows(f)
    assert ("adjusted_net_profit", "", "level", "2025Q3", "actual", 460000000.0, "CNY") in got
    assert ("adjusted_net_profit", "", "level", "2024Q3", "actual", -90000000.0, "CNY") in got
    assert ("gross_margin", "", "level", "2024Q3", "actual", 17.1, "%") in got
    assert ("gross_margin", "", "level", "2025Q3", "actual", 18.9, "%") in got
    assert ("gross_margin", "", "level", "FY2023", "actual", 20.2, "%") in got
    assert ("gross_margin", "", "level", "2025H1", "actual", 17.6, "%") in got
    assert ("expense_ratio", "", "level", "FY2023", "actual", 9.1, "%") in got
    assert ("expense_ratio", "", "level", "2025H1", "actual", 8.4, "%") in got


def test_lists_paired_with_metrics_segments_and_years():
    f = facts_of("云帆数据(688321.SH)：上调盈利预测",
                 "- 调整后经营利润与调整后净利润分别为1.12亿元和0.86亿元 [1]\n"
                 "- 公有云、行业云收入分别为8.8亿元、3.1亿元 [2]\n"
                 "- 预计2025-2027年归母净利润分别为2.10/2.86/3.57亿元，对应PE分别为41/30/24倍 [3]\n"
                 "- 2025年第三季度销售、管理、研发费用分别为0.52、0.33、0.91亿元 [4]",
                 dt.datetime(2025, 10, 30))
    got = rows(f)
    assert ("adjusted_operating_profit", "", "level", "2025Q3", "actual", 112000000.0, "CNY") in got
    assert ("adjusted_net_profit", "", "level", "2025Q3", "actual", 86000000.0, "CNY") in got
    assert ("revenue", "public_cloud", "level", "2025Q3", "actual", 880000000.0, "CNY") in got
    assert ("revenue", "industry_cloud", "level", "2025Q3", "actual", 310000000.0, "CNY") in got
    for year, v in (("FY2025", 210000000.0), ("FY2026", 286000000.0), ("FY2027", 357000000.0)):
        assert ("net_profit_attributable", "", "level", year, "estimate", v, "CNY") in got
    assert ("pe", "", "level", "FY2026", "estimate", 30.0, "x") in got
    assert ("selling_expense", "", "level", "2025Q3", "actual", 52000000.0, "CNY") in got
    assert ("admin_expense", "", "level", "2025Q3", "actual", 33000000.0, "CNY") in got
    assert ("rd_expense", "", "level", "2025Q3", "actual", 91000000.0, "CNY") in got


def test_revision_prior_estimate_and_maintained_forecast():
    f = facts_of("云帆数据(688321.SH)：下调预测",
                 "下调2025-2027年营收预测至31.2/38.5/45.0亿元（原预测为33.0/40.1/47.6亿元）。"
                 "将2025-2026年归母净利润预测由2.4/3.1亿元下调至2.1/2.9亿元。维持2025年至2027年毛利率预测为30%、31%和32%。",
                 dt.datetime(2025, 9, 1))
    got = rows(f)
    assert ("revenue", "", "level", "FY2025", "estimate", 3120000000.0, "CNY") in got
    assert ("revenue", "", "level", "FY2027", "prior_estimate", 4760000000.0, "CNY") in got
    assert ("net_profit_attributable", "", "level", "FY2025", "prior_estimate", 240000000.0, "CNY") in got
    assert ("net_profit_attributable", "", "level", "FY2026", "estimate", 290000000.0, "CNY") in got
    assert ("gross_margin", "", "level", "FY2026", "estimate", 31.0, "%") in got
    assert not any(b == "prior_estimate" for (m, *_x, b, _v, _u) in [(r[0], r[1], r[2], r[3], r[4], r[5], r[6])
                                                                   for r in got] if m == "gross_margin")


def test_range_currency_conversion_and_approximation():
    f = facts_of("星河智联：业绩预告",
                 "公司预计2025年营收60亿元-70亿元，同比增长50%-60%。第一季度总收入达12.4亿元(171.3百万美元)，"
                 "同比增长约18%。公司全年利润约9000万。",
                 dt.datetime(2026, 1, 20))
    got = rows(f)
    assert ("revenue", "", "level", "FY2025", "estimate", 6000000000.0, "CNY") in got
    assert ("revenue", "", "level", "FY2025", "estimate", 7000000000.0, "CNY") in got
    assert ("revenue", "", "yoy", "FY2025", "estimate", 50.0, "%") in got
    assert ("revenue", "", "yoy", "FY2025", "estimate", 60.0, "%") in got
    assert ("revenue", "", "level", "2025Q1", "actual", 1240000000.0, "CNY") in got
    assert ("revenue", "", "level", "2025Q1", "actual", 171300000.0, "USD") in got
    assert ("revenue", "", "yoy", "2025Q1", "actual", 18.0, "%") in got


def test_balances_prices_and_market_values_are_dated():
    f = facts_of("云帆数据(688321.SH)：三季度点评",
                 "- 截至9月末，公司货币资金为18.6亿元，总借款12.4亿元，同比增长8.2% [1]\n"
                 "- 维持“买入”评级，目标价58.20元，当前股价45.10元，总市值约210亿元 [2]",
                 dt.datetime(2025, 10, 28))
    got = rows(f)
    assert ("cash", "", "level", "2025-09-30", "actual", 1860000000.0, "CNY") in got
    assert ("total_borrowings", "", "level", "2025-09-30", "actual", 1240000000.0, "CNY") in got
    assert ("total_borrowings", "", "yoy", "2025-09-30", "actual", 8.2, "%") in got
    assert ("target_price", "", "level", "2025-10-28", "estimate", 58.2, "CNY") in got
    assert ("share_price_close", "", "level", "2025-10-28", "actual", 45.1, "CNY") in got
    assert ("market_cap", "", "level", "2025-10-28", "actual", 21000000000.0, "CNY") in got


def test_provenance_columns_evidence_span_decimals_and_dedup():
    body = "- 3Q25实现营收24.12亿元，同比增长8.0% [2][13]\n- 3Q25实现营收24.12亿元 [5]"
    notes = make_notes(("宁德时代：3Q25点评", body, dt.datetime(2025, 10, 25)))
    f = extract_facts(notes).facts
    assert f.columns == list(schemas.FACTS)
    level = f.filter((pl.col("metric_code") == "revenue") & (pl.col("measure") == "level"))
    assert level.height == 1  # rule 8: the repeated figure is one row
    r = level.row(0, named=True)
    text = notes["text"][0]
    assert text[r["span_start"]:r["span_end"]] == "24.12亿元" == r["value_text"]
    assert r["decimals"] == -6
    assert "[" not in r["evidence"] and r["evidence"].startswith("3Q25实现营收24.12亿元")
    assert r["rule_id"].startswith("prose.") and r["extractor_version"] == EXTRACTOR_VERSION
    yoy = f.filter(pl.col("measure") == "yoy").row(0, named=True)
    assert yoy["decimals"] == 1 and yoy["value"] == 8.0


@pytest.mark.parametrize("sentence,expected", [
    ("2025H1 实现营收 4.12 亿元(yoy+35%/qoq+12%)", {("revenue", "yoy", 35.0), ("revenue", "qoq", 12.0)}),
    ("上半年经营活动现金净流出2.3亿元", {("operating_cash_flow", "level", -230000000.0)}),
    ("上半年投资收益0.5亿元，计提了1.2亿元资产减值", {("investment_income", "level", 50000000.0),
                                              ("asset_impairment_loss", "level", 120000000.0)}),
])
def test_sentence_patterns(sentence, expected):
    f = facts_of("宁德时代(300750.SZ)：中报点评", sentence, dt.datetime(2025, 8, 28))
    got = {(r["metric_code"], r["measure"], r["value"]) for r in f.iter_rows(named=True)}
    assert expected <= got


def test_peer_named_without_ticker_keeps_its_own_figures():
    f = facts_of("启辰光学(688777)：三季度点评",
                 "2025年第三季度公司营收8.6亿元，同比增长22.4%，快于同业明途光学同期约15%的增速；毛利率33.2%，"
                 "而竞争对手沃川精密为28.7%。同期同业汇扬智造净利润亏损0.9亿元。三季度同业平均毛利率为26%。",
                 dt.datetime(2025, 10, 28))
    got = {(r["company_name"], r["company_ticker"], r["metric_code"], r["measure"], r["period_label"], r["value"])
           for r in f.iter_rows(named=True)}
    assert ("启辰光学", "688777.SH", "revenue", "level", "2025Q3", 860000000.0) in got
    assert ("启辰光学", "688777.SH", "gross_margin", "level", "2025Q3", 33.2) in got
    assert ("明途光学", None, "revenue", "yoy", "2025Q3", 15.0) in got
    assert ("沃川精密", None, "gross_margin", "level", "2025Q3", 28.7) in got
    assert ("汇扬智造", None, "net_profit", "level", "2025Q3", -90000000.0) in got
    subject = f.filter(pl.col("company_name") == "启辰光学")
    # the peers' figures and the peer-group average are never the subject's
    assert not set(subject["value"].to_list()) & {15.0, 28.7, -90000000.0, 26.0}
    assert f.height == 6


def test_digest_line_company_holds_across_semicolon_clauses():
    f = facts_of("【盘前公司速递】10月30日",
                 "1. 北辰环保(603777)：前三季度营收21.5亿元，同比增长8.2%。\n"
                 "2. 宏远储能(300999)：第三季度营收4.1亿元，同比增长12%；"
                 "归母净利润亏损2300万元，去年同期亏损4100万元。",
                 dt.datetime(2025, 10, 30))
    got = {(r["company_name"], r["metric_code"], r["period_label"], r["value"]) for r in f.iter_rows(named=True)}
    assert ("宏远储能", "net_profit_attributable", "2025Q3", -23000000.0) in got
    assert ("宏远储能", "net_profit_attributable", "2024Q3", -41000000.0) in got
    assert ("北辰环保", "revenue", "2025Q1-Q3", 2150000000.0) in got
    assert f.filter(pl.col("company_name") == "北辰环保").height == 2


def test_hk_interim_terms_revenue_cents_and_shares_of_other_lines():
    f = facts_of("港股公告｜泓景物管(06877.HK)中期业绩",
                 "泓景物管截至2025年6月30日止六个月，收益为9.42亿港元，按年增长4.8%；每股基本盈利12.5港仙，"
                 "中期股息每股5港仙。期内投资收益占收入比例为2.1%，销售费用占营收比重为6.3%。",
                 dt.datetime(2025, 8, 25))
    assert rows(f) == {
        ("revenue", "", "level", "2025H1", "actual", 942000000.0, "HKD"),
        ("revenue", "", "yoy", "2025H1", "actual", 4.8, "%"),
        ("eps", "", "level", "2025H1", "actual", 0.125, "HKD"),
    }
    assert f.filter(pl.col("metric_code") == "eps")["decimals"].to_list() == [3]


def test_company_guidance_lower_bound_is_an_estimate():
    f = facts_of("曜石医疗(02698.HK)：全年指引积极", "公司预计2026年全年营收同比增长不低于28%。",
                 dt.datetime(2025, 11, 12))
    assert rows(f) == {("revenue", "", "yoy", "FY2026", "estimate", 28.0, "%")}


def test_range_with_currency_before_and_scale_after():
    f = facts_of("曜石医疗(02698.HK)：全年指引", "公司预计2025年全年收入为人民币16-18亿元。", dt.datetime(2025, 11, 12))
    assert rows(f) == {("revenue", "", "level", "FY2025", "estimate", 1600000000.0, "CNY"),
                       ("revenue", "", "level", "FY2025", "estimate", 1800000000.0, "CNY")}


def test_multiple_written_before_its_name():
    f = facts_of("启辰光学(688777)：首次覆盖", "我们预计公司2026年归母净利润为3.4亿元，对应 2026 年 21-23x PE。",
                 dt.datetime(2025, 10, 28))
    got = rows(f)
    assert ("pe", "", "level", "FY2026", "estimate", 21.0, "x") in got
    assert ("pe", "", "level", "FY2026", "estimate", 23.0, "x") in got


# ---------------------------------------------------------------- patterns of the second held-out set (0.5.0)


def test_single_quarter_in_a_review_of_a_q3_report():
    # the title names the report (三季报: nine months); 单季度 with no quarter is its last quarter
    got = rows(facts_of("【某证券】岭北机电(603611)2025年三季报点评：利润率回升",
                        "单季度毛利率为31.2%，同比提升0.9个百分点；单季度净利率8.4%。\n期间费用率为12.5%。",
                        dt.datetime(2025, 10, 29)))
    assert got == {("gross_margin", "", "level", "2025Q3", "actual", 31.2, "%"),
                   ("gross_margin", "", "yoy_pp", "2025Q3", "actual", 0.9, "pp"),
                   ("net_margin", "", "level", "2025Q3", "actual", 8.4, "%"),
                   ("expense_ratio", "", "level", "2025Q1-Q3", "actual", 12.5, "%")}


def test_rate_noun_without_change_word_is_year_on_year():
    got = rows(facts_of("松岩股份(002871)：前三季度业绩点评",
                        "2025年前三季度扣非归母净利润3.05亿元，降幅为12.4%。\n2025年前三季度营业收入12.6亿元，增幅达8.8%。",
                        dt.datetime(2025, 10, 30)))
    assert ("net_profit_attributable_deducted", "", "yoy", "2025Q1-Q3", "actual", -12.4, "%") in got
    assert ("revenue", "", "yoy", "2025Q1-Q3", "actual", 8.8, "%") in got
    assert len(got) == 4


def test_change_since_year_start_and_unknown_lines_give_no_fact():
    got = rows(facts_of("青漪银行(601899)：三季报点评",
                        "截至9月末，总资产为5,123亿元，较年初增长4.1%，贷款总额2,876亿元，存款余额3,455亿元。"
                        "净资产较上年末增长2.0%。", dt.datetime(2025, 10, 30)))
    assert got == {("total_assets", "", "level", "2025-09-30", "actual", 512300000000.0, "CNY")}


def test_list_takes_the_years_the_sentence_named_apart():
    got = rows(facts_of("茂川科技(300911)：年报点评",
                        "我们上调公司2025-2026年营业收入预测至45.2/52.8亿元，新增2027年预测60.1亿元，"
                        "对应EPS分别为1.12/1.35/1.61元。", dt.datetime(2025, 4, 20)))
    for year, eps in (("FY2025", 1.12), ("FY2026", 1.35), ("FY2027", 1.61)):
        assert ("eps", "", "level", year, "estimate", eps, "CNY") in got
    assert ("revenue", "", "level", "FY2027", "estimate", 6010000000.0, "CNY") in got


def test_price_is_not_dated_by_the_balance_date_of_the_sentence_before():
    got = rows(facts_of("嘉禾物产(600725)：半年报点评",
                        "截至2025年6月30日，公司货币资金为8.6亿元。公司股价当日收报12.35元，总市值约98.7亿元。",
                        dt.datetime(2025, 8, 25)))
    assert ("cash", "", "level", "2025-06-30", "actual", 860000000.0, "CNY") in got
    assert ("share_price_close", "", "level", "2025-08-25", "actual", 12.35, "CNY") in got
    assert ("market_cap", "", "level", "2025-08-25", "actual", 9870000000.0, "CNY") in got


def test_yu_before_a_quarter_end_is_a_balance_date():
    got = rows(facts_of("柏宁控股(01937.HK)年度业绩",
                        "截至2024年12月31日止年度，收益为32.5亿港元。于2024年12月31日，集团总借款为45.6亿港元。",
                        dt.datetime(2025, 3, 20)))
    assert ("total_borrowings", "", "level", "2024-12-31", "actual", 4560000000.0, "HKD") in got
    assert ("revenue", "", "level", "FY2024", "actual", 3250000000.0, "HKD") in got


def test_deducted_profit_spelled_with_hou():
    got = rows(facts_of("闻溪新材(301672)：半年报点评", "2025年上半年扣非后归母净利润0.87亿元，同比增长15.3%。",
                        dt.datetime(2025, 8, 22)))
    assert got == {("net_profit_attributable_deducted", "", "level", "2025H1", "actual", 87000000.0, "CNY"),
                   ("net_profit_attributable_deducted", "", "yoy", "2025H1", "actual", 15.3, "%")}


def test_results_named_in_the_opening_date_the_figures():
    # no period in the title or the figures: "公布中期业绩" makes them the latest first half
    got = rows(facts_of("云杉健康(02391.HK)业绩速递",
                        "云杉健康公布中期业绩，营业额同比增长7.4%，达到人民币18.6亿元；期内溢利2.25亿元。",
                        dt.datetime(2025, 8, 19)))
    assert got == {("revenue", "", "yoy", "2025H1", "actual", 7.4, "%"),
                   ("revenue", "", "level", "2025H1", "actual", 1860000000.0, "CNY"),
                   ("net_profit", "", "level", "2025H1", "actual", 225000000.0, "CNY")}


def test_signed_rate_alone_in_brackets_is_the_yoy_change():
    got = rows(facts_of("汀兰制造(603977)：三季报点评",
                        "2025年前三季度公司实现营收 9.6 亿元（+11.3%），归母净利润 1.4 亿元（-6.2%），"
                        "毛利率27.9%（+0.8pct），海外收入占比18%（占营收）。", dt.datetime(2025, 10, 29)))
    assert got == {("revenue", "", "level", "2025Q1-Q3", "actual", 960000000.0, "CNY"),
                   ("revenue", "", "yoy", "2025Q1-Q3", "actual", 11.3, "%"),
                   ("net_profit_attributable", "", "level", "2025Q1-Q3", "actual", 140000000.0, "CNY"),
                   ("net_profit_attributable", "", "yoy", "2025Q1-Q3", "actual", -6.2, "%"),
                   ("gross_margin", "", "level", "2025Q1-Q3", "actual", 27.9, "%"),
                   ("gross_margin", "", "yoy_pp", "2025Q1-Q3", "actual", 0.8, "pp")}


def test_compared_with_the_year_earlier_level_then_the_change():
    got = rows(facts_of("鹭岛食品(603890)：半年报点评",
                        "2025年上半年毛利率为31.6%，较去年同期的30.2%提升1.4个百分点；"
                        "2025年上半年销售费用2.3亿元，较上年同期的2.0亿元增长15%。", dt.datetime(2025, 8, 23)))
    assert got == {("gross_margin", "", "level", "2025H1", "actual", 31.6, "%"),
                   ("gross_margin", "", "level", "2024H1", "actual", 30.2, "%"),
                   ("gross_margin", "", "yoy_pp", "2025H1", "actual", 1.4, "pp"),
                   ("selling_expense", "", "level", "2025H1", "actual", 230000000.0, "CNY"),
                   ("selling_expense", "", "level", "2024H1", "actual", 200000000.0, "CNY"),
                   ("selling_expense", "", "yoy", "2025H1", "actual", 15.0, "%")}


def test_growth_of_a_flow_without_a_change_word_is_year_on_year():
    got = rows(facts_of("东岭股份(300786)调研纪要",
                        "公司预计2026年收入增长20%左右。截至9月末，总资产较年初增长6%。", dt.datetime(2025, 11, 5)))
    assert got == {("revenue", "", "yoy", "FY2026", "estimate", 20.0, "%")}


# ---------------------------------------------------------------- patterns of the third held-out set (0.6.0)
def _wrap_like_a_pdf(text: str, width: int) -> str:
    """Break a paragraph at a display width (CJK characters two columns), as a PDF copy does."""
    lines, cur, w = [], "", 0
    for ch in text:
        cw = 2 if ord(ch) > 0x2E80 else 1
        if w + cw > width:
            lines.append(cur)
            cur, w = "", 0
        cur, w = cur + ch, w + cw
    return "\n".join([*lines, cur]) + "\n"


def test_hard_wrapped_lines_join_and_spans_stay_in_the_original_text():
    body = _wrap_like_a_pdf("公司2025年上半年实现营业收入36.72亿元，同比增长14.8%；归母净利润4.05亿元，同比增长21.3%，"
                            "毛利率为29.6%，同比提升1.2个百分点，经营向好，费用率继续下降，现金流改善明显，"
                            "在手订单充足。", 44)
    notes = make_notes(("澜庭家居(603181)：半年报点评", body, dt.datetime(2025, 8, 26)))
    f = extract_facts(notes).facts
    got = rows(f)
    assert ("revenue", "", "yoy", "2025H1", "actual", 14.8, "%") in got
    assert ("gross_margin", "", "level", "2025H1", "actual", 29.6, "%") in got
    assert ("gross_margin", "", "yoy_pp", "2025H1", "actual", 1.2, "pp") in got
    text = notes["text"][0]
    gm = f.filter((pl.col("metric_code") == "gross_margin") & (pl.col("measure") == "level")).row(0, named=True)
    assert text[gm["span_start"]:gm["span_end"]].replace("\n", "") == "29.6%" == gm["value_text"]
    # every span, also those after a removed line break, points at its figure in the note as written
    assert all(text[r["span_start"]:r["span_end"]] == r["value_text"] for r in f.iter_rows(named=True))
    npa = f.filter(pl.col("metric_code") == "net_profit_attributable").filter(pl.col("measure") == "level")
    assert text[npa["span_start"][0]:npa["span_end"][0]] == "4.05亿元"


def test_lines_of_one_length_that_are_headings_or_bullets_are_not_joined():
    from notestar.extract.sentences import unwrap_hard_breaks

    text = ("标题\n- 1Q25公司研发费用812.5万元，同比提升2%\n盈利预测\n"
            "- 对应2025E-2027E的EPS分别为0.4元\n- 预计全年归母净利润约为9千万元\n")
    assert unwrap_hard_breaks(text) == (text, [])


def test_traditional_characters_read_as_simplified():
    f = facts_of("翠峰零售(02739.HK)全年業績",
                 "翠峰零售公佈2024年全年業績：營業額為人民幣18.25億元，按年增長6.4%；本公司擁有人應佔虧損為"
                 "0.42億元；每股基本虧損為人民幣3.1分。", dt.datetime(2025, 3, 27))
    got = rows(f)
    assert ("revenue", "", "level", "FY2024", "actual", 1825000000.0, "CNY") in got
    assert ("revenue", "", "yoy", "FY2024", "actual", 6.4, "%") in got
    assert ("net_profit_attributable", "", "level", "FY2024", "actual", -42000000.0, "CNY") in got
    r = f.filter(pl.col("measure") == "yoy").row(0, named=True)
    assert r["evidence"].startswith("翠峰零售公佈2024年全年業績：營業額為") and r["value_text"] == "6.4%"


def test_full_width_digits_in_the_ticker_and_figures():
    f = facts_of("溪山材料（６０３２７８）：三季报点评", "前三季度实现营业收入２１．０４亿元，同比下降３．５％。",
                 dt.datetime(2025, 10, 30))
    assert rows(f) == {("revenue", "", "level", "2025Q1-Q3", "actual", 2104000000.0, "CNY"),
                       ("revenue", "", "yoy", "2025Q1-Q3", "actual", -3.5, "%")}
    assert set(f["company_ticker"]) == {"603278.SH"}


def test_balance_day_without_a_year_in_a_survey_summary():
    got = rows(facts_of("【调研纪要】岚川股份(002916)",
                        "公司预计下半年毛利率有所回升。截至9月30日，公司货币资金3.18亿元。", dt.datetime(2025, 10, 15)))
    assert got == {("cash", "", "level", "2025-09-30", "actual", 318000000.0, "CNY")}


def test_margin_points_with_no_base_word_are_the_change_on_a_year_before():
    got = rows(facts_of("松岩医疗(688317)：半年报点评",
                        "2025年上半年公司销售净利率为14.2%，提升0.9个百分点；毛利率下滑1.3pct至48.6%。",
                        dt.datetime(2025, 8, 29)))
    assert got == {("net_margin", "", "level", "2025H1", "actual", 14.2, "%"),
                   ("net_margin", "", "yoy_pp", "2025H1", "actual", 0.9, "pp"),
                   ("gross_margin", "", "level", "2025H1", "actual", 48.6, "%"),
                   ("gross_margin", "", "yoy_pp", "2025H1", "actual", -1.3, "pp")}
    # 环比 stays a change on the quarter before
    got = rows(facts_of("松岩医疗(688317)：三季报点评", "2025年第三季度毛利率环比提升0.5个百分点。",
                        dt.datetime(2025, 10, 28)))
    assert got == {("gross_margin", "", "qoq_pp", "2025Q3", "actual", 0.5, "pp")}


def test_rate_with_yoy_written_after_it_in_brackets():
    got = rows(facts_of("栖霞装备(300618)：三季报点评",
                        "2025年前三季度公司实现营收7.36亿元(+18.4% YoY)，归母净利润0.62亿元(-5.7% YoY)，"
                        "毛利率33.1%（-0.9pct YoY）。", dt.datetime(2025, 10, 27)))
    assert ("revenue", "", "yoy", "2025Q1-Q3", "actual", 18.4, "%") in got
    assert ("net_profit_attributable", "", "yoy", "2025Q1-Q3", "actual", -5.7, "%") in got
    assert ("gross_margin", "", "yoy_pp", "2025Q1-Q3", "actual", -0.9, "pp") in got


def test_bare_q1_to_q3_is_the_first_nine_months():
    got = rows(facts_of("栖霞装备(300618)：三季报点评", "公司Q1-Q3实现营收7.36亿元，其中Q3营收2.71亿元。",
                        dt.datetime(2025, 10, 27)))
    assert got == {("revenue", "", "level", "2025Q1-Q3", "actual", 736000000.0, "CNY"),
                   ("revenue", "", "level", "2025Q3", "actual", 271000000.0, "CNY")}


def test_hard_wrapped_text_with_windows_line_ends():
    body = _wrap_like_a_pdf("2025年上半年公司实现营业收入18.07亿元，同比增长9.6%；归母净利润2.33亿元，同比增长12.4%；"
                            "扣非归母净利润2.05亿元，同比增长10.8%，经营质量稳步改善。", 40).replace("\n", "\r\n")
    notes = make_notes(("栖霞装备(300618)：半年报点评", body, dt.datetime(2025, 8, 27)))
    f = extract_facts(notes).facts
    assert len(rows(f)) == 6
    text = notes["text"][0]
    for r in f.iter_rows(named=True):
        assert text[r["span_start"]:r["span_end"]].replace("\r\n", "") == r["value_text"]


def test_signed_change_after_a_slash_and_shorthand_profit_names():
    got = rows(facts_of("栖霞装备(300618)：半年报速评",
                        "25H1营收6.48亿元/+14%，归母3.1亿(+9%)，归母扣非净利润2.7亿元(-3%)，毛利率41.5%/-0.6pct。",
                        dt.datetime(2025, 8, 27)))
    assert got == {("revenue", "", "level", "2025H1", "actual", 648000000.0, "CNY"),
                   ("revenue", "", "yoy", "2025H1", "actual", 14.0, "%"),
                   ("net_profit_attributable", "", "level", "2025H1", "actual", 310000000.0, "CNY"),
                   ("net_profit_attributable", "", "yoy", "2025H1", "actual", 9.0, "%"),
                   ("net_profit_attributable_deducted", "", "level", "2025H1", "actual", 270000000.0, "CNY"),
                   ("net_profit_attributable_deducted", "", "yoy", "2025H1", "actual", -3.0, "%"),
                   ("gross_margin", "", "level", "2025H1", "actual", 41.5, "%"),
                   ("gross_margin", "", "yoy_pp", "2025H1", "actual", -0.6, "pp")}
