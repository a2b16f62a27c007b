"""Known gaps of the prose reader, closed: bracketed negatives, a start value compared 同比 / 环比, 扣非 as the
deducted net profit, a two-line paragraph broken between a metric and its figure.

The notes are invented for these tests (companies, figures and sentences appear in no corpus note).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from notestar.extract import EXTRACTOR_VERSION, extract_facts
from notestar.extract.sentences import unwrap_hard_breaks
from tests.test_extract_prose import make_notes, rows

TITLE = "岑溪电子(688765.SH)：三季报点评"
DATE = dt.datetime(2025, 10, 29)


def facts(body: str, title: str = TITLE, date: dt.datetime = DATE) -> pl.DataFrame:
    return extract_facts(make_notes((title, body, date))).facts


# --- a. bracketed negatives in running prose -------------------------------------------------------------

def test_bracketed_amounts_in_prose_are_negative():
    f = facts("2025年前三季度经营活动现金流净额为(3.2)亿元，净利润(1,234)万元，同比下降(12.5)%。")
    assert rows(f) == {
        ("operating_cash_flow", "", "level", "2025Q1-Q3", "actual", -320000000.0, "CNY"),
        ("net_profit", "", "level", "2025Q1-Q3", "actual", -12340000.0, "CNY"),
        ("net_profit", "", "yoy", "2025Q1-Q3", "actual", -12.5, "%"),
    }
    # the figure is quoted as written, brackets included
    assert sorted(f["value_text"]) == ["(1,234)万元", "(12.5)%", "(3.2)亿元"]
    assert set(f["extractor_version"]) == {EXTRACTOR_VERSION}


def test_bracketed_amounts_after_a_currency_in_english_and_chinese():
    got = rows(facts("In 3Q25, operating cash flow was RMB(3.2) billion. Net income was US$ (12.5) million in 3Q25. "
                     "Q3净利润为人民币(0.5)亿元。", "Cenxi Electronics (688765.SH): 3Q25 review"))
    assert got == {("operating_cash_flow", "", "level", "2025Q3", "actual", -3200000000.0, "CNY"),
                   ("net_profit", "", "level", "2025Q3", "actual", -12500000.0, "USD"),
                   ("net_profit", "", "level", "2025Q3", "actual", -50000000.0, "CNY")}


def test_lower_case_net_loss_opening_a_clause_names_the_line():
    got = rows(facts("In 3Q25, net loss was RMB3.1 billion. Net loss was RMB85 million in 2Q25, compared with a net "
                     "loss of RMB140 million a year earlier.", "Cenxi Electronics (688765.SH): 3Q25 review"))
    assert got == {("net_profit", "", "level", "2025Q3", "actual", -3100000000.0, "CNY"),
                   ("net_profit", "", "level", "2025Q2", "actual", -85000000.0, "CNY"),
                   ("net_profit", "", "level", "2024Q2", "actual", -140000000.0, "CNY")}


def test_brackets_that_are_not_negatives_stay_as_they_were():
    got = rows(facts("（1）前三季度营收12.4亿元（+8.5%），毛利率30.2%（较上年同期提升1.1个百分点）。"))
    assert got == {
        ("revenue", "", "level", "2025Q1-Q3", "actual", 1240000000.0, "CNY"),
        ("revenue", "", "yoy", "2025Q1-Q3", "actual", 8.5, "%"),
        ("gross_margin", "", "level", "2025Q1-Q3", "actual", 30.2, "%"),
        ("gross_margin", "", "yoy_pp", "2025Q1-Q3", "actual", 1.1, "pp"),
    }


# --- b. from / to: the start value ------------------------------------------------------------------------

def test_start_compared_yoy_or_qoq_is_the_prior_period_level():
    got = rows(facts("2025年第三季度，公司毛利率同比由28.1%上升至31.5%，净利率环比从10.2%提升至11.0%。"
                     "前三季度营收同比从10.5亿元增至12.6亿元。"))
    assert got == {
        ("gross_margin", "", "level", "2024Q3", "actual", 28.1, "%"),
        ("gross_margin", "", "level", "2025Q3", "actual", 31.5, "%"),
        ("net_margin", "", "level", "2025Q2", "actual", 10.2, "%"),
        ("net_margin", "", "level", "2025Q3", "actual", 11.0, "%"),
        ("revenue", "", "level", "2024Q1-Q3", "actual", 1050000000.0, "CNY"),
        ("revenue", "", "level", "2025Q1-Q3", "actual", 1260000000.0, "CNY"),
    }


def test_sequential_start_of_a_half_is_the_half_before():
    got = rows(facts("2025年上半年毛利率环比由20.4%升至22.6%。", "岑溪电子(688765.SH)：半年报点评",
                     dt.datetime(2025, 8, 28)))
    assert got == {("gross_margin", "", "level", "2024H2", "actual", 20.4, "%"),
                   ("gross_margin", "", "level", "2025H1", "actual", 22.6, "%")}


def test_undated_start_is_not_labelled_only_the_end():
    # the gold rules: a start with no period of its own and no 同比 / 环比 is left out (a balance's start date,
    # a ratio's base period are unknown); the end value is the note's period
    got = rows(facts("前三季度毛利率由28.1%上升至31.5%。截至9月末，存货由3.1亿元降至2.5亿元。"))
    assert got == {("gross_margin", "", "level", "2025Q1-Q3", "actual", 31.5, "%"),
                   ("inventory", "", "level", "2025-09-30", "actual", 250000000.0, "CNY")}


def test_a_change_word_of_an_earlier_clause_does_not_date_the_start():
    got = rows(facts("前三季度营收同比增长20%，毛利率由28.1%上升至31.5%。"))
    assert got == {("revenue", "", "yoy", "2025Q1-Q3", "actual", 20.0, "%"),
                   ("gross_margin", "", "level", "2025Q1-Q3", "actual", 31.5, "%")}


# --- c. 扣非 on its own -------------------------------------------------------------------------------------

def test_kou_fei_shorthands_are_the_deducted_net_profit():
    got = rows(facts("前三季度扣非净利润1.2亿元，同比增长15%；Q3扣非1.1亿元，同比+20%；"
                     "Q3扣非后净利润为1.05亿元。2025年第三季度扣非后归母净亏损0.3亿元。"))
    code = "net_profit_attributable_deducted"
    assert got == {
        (code, "", "level", "2025Q1-Q3", "actual", 120000000.0, "CNY"),
        (code, "", "yoy", "2025Q1-Q3", "actual", 15.0, "%"),
        (code, "", "level", "2025Q3", "actual", 110000000.0, "CNY"),
        (code, "", "yoy", "2025Q3", "actual", 20.0, "%"),
        (code, "", "level", "2025Q3", "actual", 105000000.0, "CNY"),
        (code, "", "level", "2025Q3", "actual", -30000000.0, "CNY"),
    }


def test_kou_fei_in_a_list_and_before_the_deduction():
    got = rows(facts("Q3归母/扣非净利润分别为1.5/1.3亿元。Q3扣非前净利润2.1亿元，扣非前归母净利润1.9亿元。"))
    assert got == {
        ("net_profit_attributable", "", "level", "2025Q3", "actual", 150000000.0, "CNY"),
        ("net_profit_attributable_deducted", "", "level", "2025Q3", "actual", 130000000.0, "CNY"),
        # 扣非前 (before the deduction) names no line of its own; with 归母 it is the attributable profit
        ("net_profit_attributable", "", "level", "2025Q3", "actual", 190000000.0, "CNY"),
    }


def test_kou_fei_margin_is_not_a_profit_figure():
    assert facts("Q3扣非净利率为9.5%。").height == 0


# --- d. a two-line paragraph broken at its figure -----------------------------------------------------------

def test_two_line_paragraph_broken_between_metric_and_figure_joins():
    body = ("公司2025年前三季度实现营业收入\n12.3亿元，同比增长15.2%。\n"
            "前三季度归母净利润为3.2\n亿元，同比增长5.1%。")
    notes = make_notes((TITLE, body, DATE))
    f = extract_facts(notes).facts
    assert rows(f) == {
        ("revenue", "", "level", "2025Q1-Q3", "actual", 1230000000.0, "CNY"),
        ("revenue", "", "yoy", "2025Q1-Q3", "actual", 15.2, "%"),
        ("net_profit_attributable", "", "level", "2025Q1-Q3", "actual", 320000000.0, "CNY"),
        ("net_profit_attributable", "", "yoy", "2025Q1-Q3", "actual", 5.1, "%"),
    }
    text = notes["text"][0]
    for r in f.iter_rows(named=True):  # spans still point into the note as written
        assert text[r["span_start"]:r["span_end"]].replace("\n", "") == r["value_text"]


def test_short_lines_that_are_not_a_broken_sentence_stay_apart():
    for text in [
        "标题\n总市值\n123.4亿元\n",  # a key-value box
        "标题\n岑溪电子三季报点评报告摘要\n2025年前三季度营收12亿元，同比+3%。\n",  # title over a paragraph
        "标题\n2025年10月29日 星期三 研究所\n12.3亿元，同比增长15%。\n",  # a date line
        "标题\n- 前三季度公司实现营业收入\n- 12.3亿元，同比增长15%。\n",  # a bullet
        "标题\n盈利预测：预计公司营业收入\n|12.3亿元|，同比增长15%。\n",  # a table row
        "标题\n前三季度营收\t12.3亿元\n毛利率\t30.1%，同比+1pct\n",  # tab-separated cells
        "岑溪电子营业收入\n12.3亿元，同比增长15%。\n",  # the title line is never joined
    ]:
        assert unwrap_hard_breaks(text) == (text, []), text


def test_two_line_join_keeps_windows_line_ends_mapped():
    text = "标题\r\n公司2025年前三季度实现营业收入\r\n12.3亿元，同比增长15.2%。\r\n"
    joined, removed = unwrap_hard_breaks(text)
    assert "营业收入12.3亿元" in joined and len(removed) == 2


# --- a year's 同期: the figures' own span in that year -----------------------------------------------------

def test_named_year_same_period_is_that_years_span_not_the_fiscal_year():
    got = rows(facts("前三季度毛利率30.2%（2024年同期：29.1%）。Q3营收2.1亿元，2024年同期为1.8亿元。"))
    assert got == {
        ("gross_margin", "", "level", "2025Q1-Q3", "actual", 30.2, "%"),
        ("gross_margin", "", "level", "2024Q1-Q3", "actual", 29.1, "%"),
        ("revenue", "", "level", "2025Q3", "actual", 210000000.0, "CNY"),
        ("revenue", "", "level", "2024Q3", "actual", 180000000.0, "CNY"),
    }


def test_currency_named_before_the_figure_wins_over_the_unit_word():
    got = rows(facts("上半年收益按年增长12%至港币5.6亿元，毛利为美元1.2亿，股东应占溢利为人民币3.2亿元。",
                     "岑溪控股(01765.HK)：中期业绩点评", dt.datetime(2025, 8, 28)))
    assert got == {("revenue", "", "yoy", "2025H1", "actual", 12.0, "%"),
                   ("revenue", "", "level", "2025H1", "actual", 560000000.0, "HKD"),
                   ("gross_profit", "", "level", "2025H1", "actual", 120000000.0, "USD"),
                   ("net_profit_attributable", "", "level", "2025H1", "actual", 320000000.0, "CNY")}


def test_change_on_the_quarter_named_before_is_sequential():
    got = rows(facts("第三季度毛利率为33.5%，较二季度提升1.2个百分点。Q3营收4.2亿元，较Q2增长5%。"
                     "2025Q3净利率11%，较2024Q3提升1pct，较2024Q2提升2pct。"))
    assert got == {("gross_margin", "", "level", "2025Q3", "actual", 33.5, "%"),
                   ("gross_margin", "", "qoq_pp", "2025Q3", "actual", 1.2, "pp"),
                   ("revenue", "", "level", "2025Q3", "actual", 420000000.0, "CNY"),
                   ("revenue", "", "qoq", "2025Q3", "actual", 5.0, "%"),
                   ("net_margin", "", "level", "2025Q3", "actual", 11.0, "%"),
                   ("net_margin", "", "yoy_pp", "2025Q3", "actual", 1.0, "pp")}


# --- rules found on the fourth held-out set (sentences here are invented, not the set's) ----------------------

def test_annualised_roe_is_the_roe():
    got = rows(facts("前三季度年化加权ROE为10.7%，同比下降0.35个百分点；年化ROE为11.2%。"))
    assert got == {("roe", "", "level", "2025Q1-Q3", "actual", 10.7, "%"),
                   ("roe", "", "yoy_pp", "2025Q1-Q3", "actual", -0.35, "pp"),
                   ("roe", "", "level", "2025Q1-Q3", "actual", 11.2, "%")}


def test_close_on_a_day_named_without_a_year():
    f = facts("以10月24日收盘价12.30元计，对应2025年PE 18倍。")
    assert rows(f) == {("share_price_close", "", "level", "2025-10-24", "actual", 12.3, "CNY"),
                       ("pe", "", "level", "FY2025", "estimate", 18.0, "x")}


def test_second_half_in_an_annual_results_note_is_the_closed_year():
    got = rows(facts("下半年收入为人民币18.40亿元，按年增长9.5%。", "岑溪控股(01765.HK)：2025年全年业绩点评",
                     dt.datetime(2026, 3, 25)))
    assert got == {("revenue", "", "level", "2025H2", "actual", 1840000000.0, "CNY"),
                   ("revenue", "", "yoy", "2025H2", "actual", 9.5, "%")}


def test_english_target_from_in_brackets_is_the_prior_target_and_the_multiple_after_it_counts():
    got = rows(facts("We lift our TP to US$24.10 (from US$21.80), based on 18x FY26E P/E.",
                     "Cenxi Electronics (1765.HK): 3Q25 review"))
    assert got == {("target_price", "", "level", "2025-10-29", "estimate", 24.1, "USD"),
                   ("target_price", "", "level", "2025-10-29", "prior_estimate", 21.8, "USD"),
                   ("pe", "", "level", "FY2026", "estimate", 18.0, "x")}
    got = rows(facts("Our new TP of HK$12.40 (from HK$11.00) implies 15x FY26E P/E.",
                     "Cenxi Electronics (1765.HK): 3Q25 review"))
    assert ("target_price", "", "level", "2025-10-29", "prior_estimate", 11.0, "HKD") in got
    assert ("pe", "", "level", "FY2026", "estimate", 15.0, "x") in got
    # Chinese: a target price's starting value is the replaced target, with or without 上调
    got = rows(facts("目标价从32元提高至36元。"))
    assert got == {("target_price", "", "level", "2025-10-29", "prior_estimate", 32.0, "CNY"),
                   ("target_price", "", "level", "2025-10-29", "estimate", 36.0, "CNY")}


def test_parallel_from_to_clause_takes_the_dating_of_the_clause_before():
    got = rows(facts("Q3单季毛利率从去年同期的24.6%提升至26.0%，净利率由7.7%上升至8.4%。"))
    assert got == {("gross_margin", "", "level", "2024Q3", "actual", 24.6, "%"),
                   ("gross_margin", "", "level", "2025Q3", "actual", 26.0, "%"),
                   ("net_margin", "", "level", "2024Q3", "actual", 7.7, "%"),
                   ("net_margin", "", "level", "2025Q3", "actual", 8.4, "%")}


def test_opening_balances_from_year_start_and_a_parallel_clause():
    got = rows(facts("存货由年初的8.6亿元降至7.9亿元；应收账款从11.3亿元增加至12.8亿元。截至上年末，货币资金5.2亿元。"))
    assert got == {("inventory", "", "level", "2024-12-31", "actual", 860000000.0, "CNY"),
                   ("inventory", "", "level", "2025-09-30", "actual", 790000000.0, "CNY"),
                   ("notes_and_accounts_receivable", "", "level", "2024-12-31", "actual", 1130000000.0, "CNY"),
                   ("notes_and_accounts_receivable", "", "level", "2025-09-30", "actual", 1280000000.0, "CNY"),
                   ("cash", "", "level", "2024-12-31", "actual", 520000000.0, "CNY")}


def test_a_parallel_clause_of_another_kind_keeps_its_start_undated():
    # a balance start (a year-end) does not date a margin's start; the margin's start stays out
    got = rows(facts("存货由年初的8.6亿元降至7.9亿元；毛利率由20.1%提升至21.4%。"))
    assert got == {("inventory", "", "level", "2024-12-31", "actual", 860000000.0, "CNY"),
                   ("inventory", "", "level", "2025-09-30", "actual", 790000000.0, "CNY"),
                   ("gross_margin", "", "level", "2025Q1-Q3", "actual", 21.4, "%")}


# --- rules found on the generated corpus ------------------------------------------------------------------

def test_elliptical_list_after_a_name_holding_he():
    got = rows(facts("前三季度岑溪和信销售、管理、研发费用分别为1.12、0.86、2.04亿元。"))
    assert got == {("selling_expense", "", "level", "2025Q1-Q3", "actual", 112000000.0, "CNY"),
                   ("admin_expense", "", "level", "2025Q1-Q3", "actual", 86000000.0, "CNY"),
                   ("rd_expense", "", "level", "2025Q1-Q3", "actual", 204000000.0, "CNY")}


def test_year_glued_to_ebitda_is_no_estimate_mark():
    got = rows(facts("FY2024EBITDA为-12.5亿元，2023EBITDA为-15亿元；2027EEPS为0.9元。"))
    assert got == {("ebitda", "", "level", "FY2024", "actual", -1250000000.0, "CNY"),
                   ("ebitda", "", "level", "FY2023", "actual", -1500000000.0, "CNY"),
                   ("eps", "", "level", "FY2027", "estimate", 0.9, "CNY")}


def test_bare_yuan_row_of_a_hong_kong_dollar_table_is_in_hkd():
    body = ("**利润表 (百万港元)**\n\n会计年度\t2025\t2026E\n营业收入\t1,204\t1,388\n"
            "归属母公司股东净利润\t210\t251\nEPS(元)\t0.42\t0.50\n")
    got = rows(facts(body, "岑溪控股(01765.HK)：首次覆盖", dt.datetime(2026, 4, 2)))
    assert ("eps", "", "level", "FY2025", "actual", 0.42, "HKD") in got
    assert ("eps", "", "level", "FY2026", "estimate", 0.5, "HKD") in got
    assert ("revenue", "", "level", "FY2025", "actual", 1204000000.0, "HKD") in got
    assert not any(r[6] == "CNY" for r in got)


def test_prior_year_value_in_brackets_is_the_year_earlier_level():
    got = rows(facts("Q3单季度归母净利润为0.45亿元（上年同期：0.31亿元），"
                     "前三季度净利润1.1亿元（上年同期为1.0亿元，同比+10%）。"))
    assert got == {("net_profit_attributable", "", "level", "2025Q3", "actual", 45000000.0, "CNY"),
                   ("net_profit_attributable", "", "level", "2024Q3", "actual", 31000000.0, "CNY"),
                   ("net_profit", "", "level", "2025Q1-Q3", "actual", 110000000.0, "CNY"),
                   ("net_profit", "", "level", "2024Q1-Q3", "actual", 100000000.0, "CNY"),
                   ("net_profit", "", "yoy", "2025Q1-Q3", "actual", 10.0, "%")}


def test_close_written_as_shou_bao_or_after_shou_pan():
    got = rows(facts("截至10月28日收盘，岑溪电子报42.15元，涨1.2%，总市值178亿元。"))
    assert got == {("share_price_close", "", "level", "2025-10-28", "actual", 42.15, "CNY"),
                   ("market_cap", "", "level", "2025-10-28", "actual", 17800000000.0, "CNY")}
    got = rows(facts("公司今日收报12.36港元。", "岑溪控股(01765.HK)：中期业绩点评", dt.datetime(2025, 8, 28)))
    assert got == {("share_price_close", "", "level", "2025-08-28", "actual", 12.36, "HKD")}


def test_a_flow_started_at_a_date_has_no_start_fact():
    got = rows(facts("前三季度毛利率由年初的20%提升至22%，毛利率由2024年末的19%提升至22.5%。"))
    assert got == {("gross_margin", "", "level", "2025Q1-Q3", "actual", 22.0, "%"),
                   ("gross_margin", "", "level", "2025Q1-Q3", "actual", 22.5, "%")}


def test_a_period_then_a_segment_opening_a_line_is_no_company():
    f = facts("第三季度行业云毛利率达41.2%，同比减少1.5个百分点。")
    assert rows(f) == {("gross_margin", "industry_cloud", "level", "2025Q3", "actual", 41.2, "%"),
                       ("gross_margin", "industry_cloud", "yoy_pp", "2025Q3", "actual", -1.5, "pp")}
    assert set(f["company_name"]) == {"岑溪电子"}


def test_a_clause_naming_its_own_period_drops_the_dates_of_the_pair_before():
    got = rows(facts("毛利率从2020年的62.1%回升至4Q24的64%，2025年Q1毛利率从去年同期的63.6%降至63.2%。",
                     "岑溪电子(688765.SH)：一季报点评", dt.datetime(2025, 4, 28)))
    assert got == {("gross_margin", "", "level", "FY2020", "actual", 62.1, "%"),
                   ("gross_margin", "", "level", "2024Q4", "actual", 64.0, "%"),
                   ("gross_margin", "", "level", "2024Q1", "actual", 63.6, "%"),
                   ("gross_margin", "", "level", "2025Q1", "actual", 63.2, "%")}


def test_figure_after_zhi_with_a_change_word_is_the_level_reached():
    got = rows(facts("前三季度营收同比增长至10.2亿元；毛利率同比提升至31.5%；归母净利润同比下降至0.8亿元（-12%）。"))
    assert got == {("revenue", "", "level", "2025Q1-Q3", "actual", 1020000000.0, "CNY"),
                   ("gross_margin", "", "level", "2025Q1-Q3", "actual", 31.5, "%"),
                   ("net_profit_attributable", "", "level", "2025Q1-Q3", "actual", 80000000.0, "CNY"),
                   ("net_profit_attributable", "", "yoy", "2025Q1-Q3", "actual", -12.0, "%")}
    # a growth rate after 至 stays a rate
    assert rows(facts("前三季度营收同比增长20%至12亿元，增速提升至25%。")) >= {
        ("revenue", "", "yoy", "2025Q1-Q3", "actual", 20.0, "%"),
        ("revenue", "", "level", "2025Q1-Q3", "actual", 1200000000.0, "CNY")}


def test_english_gap_to_consensus_is_no_fact_and_no_forecast():
    got = rows(facts("Adjusted net profit grew 20% YoY to RMB1.1bn, beating consensus by 5%. Revenue missed our "
                     "estimate by 3% and grew by 12% YoY. In line with our estimates, net profit rose by 8% YoY "
                     "in 3Q25.",
                     "Cenxi Electronics (1765.HK): 3Q25 review"))
    assert got == {("adjusted_net_profit", "", "yoy", "2025Q3", "actual", 20.0, "%"),
                   ("adjusted_net_profit", "", "level", "2025Q3", "actual", 1100000000.0, "CNY"),
                   ("revenue", "", "yoy", "2025Q3", "actual", 12.0, "%"),
                   ("net_profit", "", "yoy", "2025Q3", "actual", 8.0, "%")}
