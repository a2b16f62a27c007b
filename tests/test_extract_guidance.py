"""Rules added with the fifth held-out set (extractor 0.8.0): guidance for the coming quarter, ranges that start
at 持平, guided values written "X亿元的指引", a balance date that opens a sentence, a balance against the quarter
end before, 上年同期 as a topic, lines net of an item (剔除…后的), dividend plans, consensus gaps with several
qualifiers, above-scale industry totals, product subjects, digest lines across sentences, trailing yields at a
close, and a few metric spellings (销售收入, Non-IFRS 归母, "net profit attributable").

The notes are invented for these tests (companies, figures and sentences appear in no corpus note).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from notestar.extract import extract_facts
from tests.test_extract_prose import make_notes, rows

TITLE = "岚桥精密(688913.SH)：三季报点评"
NOV = dt.datetime(2025, 11, 10)


def facts(body: str, title: str = TITLE, date: dt.datetime = NOV) -> pl.DataFrame:
    return extract_facts(make_notes((title, body, date))).facts


# --- guidance for the coming period ---------------------------------------------------------------------

def test_quarter_in_a_guidance_clause_is_the_coming_one():
    got = rows(facts("公司指引四季度营收52亿元至55亿元，毛利率在30%至32%之间。"))
    assert got == {("revenue", "", "level", "2025Q4", "estimate", 5.2e9, "CNY"),
                   ("revenue", "", "level", "2025Q4", "estimate", 5.5e9, "CNY"),
                   ("gross_margin", "", "level", "2025Q4", "estimate", 30.0, "%"),
                   ("gross_margin", "", "level", "2025Q4", "estimate", 32.0, "%")}


def test_quarter_without_guidance_stays_the_latest_ended():
    got = rows(facts("四季度营收48亿元，同比增长5%。"))
    assert got == {("revenue", "", "level", "2024Q4", "actual", 4.8e9, "CNY"),
                   ("revenue", "", "yoy", "2024Q4", "actual", 5.0, "%")}


def test_first_half_guided_in_march_is_this_years():
    got = rows(facts("管理层预计上半年收入约30亿元。", "岚桥精密(688913.SH)：年报点评", dt.datetime(2026, 3, 20)))
    assert got == {("revenue", "", "level", "2026H1", "estimate", 3.0e9, "CNY")}


def test_next_quarter_spelled_as_such():
    got = rows(facts("公司预计下一季度收入环比增长8%。"))
    assert got == {("revenue", "", "qoq", "2025Q4", "estimate", 8.0, "%")}


def test_flat_to_growth_is_a_range_from_zero():
    got = rows(facts("公司给出四季度展望：收入环比持平至增长5%。"))
    assert got == {("revenue", "", "qoq", "2025Q4", "estimate", 0.0, "%"),
                   ("revenue", "", "qoq", "2025Q4", "estimate", 5.0, "%")}


def test_year_compared_with_is_not_the_figures_year():
    got = rows(facts("全年资本开支预计与上年大致相当，约35亿元。"))
    assert got == {("capex", "", "level", "FY2025", "estimate", 3.5e9, "CNY")}


def test_value_of_the_guidance_written_before_it():
    got = rows(facts("公司重申全年资本开支25-28亿元的指引；另有15.6亿元的采购目标。"))
    assert got == {("capex", "", "level", "FY2025", "estimate", 2.5e9, "CNY"),
                   ("capex", "", "level", "FY2025", "estimate", 2.8e9, "CNY")}


# --- balances ---------------------------------------------------------------------------------------------

def test_balance_date_opening_a_sentence_holds_over_its_clauses():
    got = rows(facts("截至9月末，公司在手订单可覆盖2024年营收的1.2倍；货币资金86.2亿元，资产负债率58.4%。"))
    assert got == {("cash", "", "level", "2025-09-30", "actual", 8.62e9, "CNY"),
                   ("debt_to_asset_ratio", "", "level", "2025-09-30", "actual", 58.4, "%")}
    # within one clause list too; a year that dates a fact of its own still dates what follows it
    assert rows(facts("截至9月末，公司在手订单可覆盖2024年营收的1.2倍，货币资金86.2亿元。")) == {
        ("cash", "", "level", "2025-09-30", "actual", 8.62e9, "CNY")}
    got = rows(facts("截至2025年9月30日，公司总资产120亿元；2024年公司营收80亿元，货币资金20亿元。"))
    assert got == {("total_assets", "", "level", "2025-09-30", "actual", 1.2e10, "CNY"),
                   ("revenue", "", "level", "FY2024", "actual", 8.0e9, "CNY"),
                   ("cash", "", "level", "FY2024", "actual", 2.0e9, "CNY")}


def test_balance_against_the_quarter_end_before_is_qoq():
    got = rows(facts("三季度末存货25.3亿元，较二季度末增长4.2%；应收账款11.0亿元，较2024年末下降3.1%。"))
    assert got == {("inventory", "", "level", "2025-09-30", "actual", 2.53e9, "CNY"),
                   ("inventory", "", "qoq", "2025-09-30", "actual", 4.2, "%"),
                   ("notes_and_accounts_receivable", "", "level", "2025-09-30", "actual", 1.1e9, "CNY")}


def test_ratio_net_of_an_item_is_another_line():
    got = rows(facts("截至9月末，剔除预收款后的资产负债率为60.1%，资产负债率68.2%。"))
    assert got == {("debt_to_asset_ratio", "", "level", "2025-09-30", "actual", 68.2, "%")}


def test_net_profit_after_non_recurring_items_however_spelt_is_the_deducted_line():
    got = rows(facts("前三季度扣除非经常性损益后的归属于上市公司股东的净利润为2.46亿元。"))
    assert got == {("net_profit_attributable_deducted", "", "level", "2025Q1-Q3", "actual", 2.46e8, "CNY")}


# --- comparatives and topics ------------------------------------------------------------------------------

def test_prior_year_topic_holds_for_every_clause():
    got = rows(facts("前三季度营收9.8亿元。上年同期，公司营收为8.1亿元，扣非净利润为0.9亿元。"))
    assert got == {("revenue", "", "level", "2025Q1-Q3", "actual", 9.8e8, "CNY"),
                   ("revenue", "", "level", "2024Q1-Q3", "actual", 8.1e8, "CNY"),
                   ("net_profit_attributable_deducted", "", "level", "2024Q1-Q3", "actual", 9.0e7, "CNY")}


# --- no company facts -------------------------------------------------------------------------------------

def test_dividend_plan_gives_no_profit():
    assert rows(facts("同日公告2025年中期利润分配方案：每10股派发现金红利2.3元（含税），合计派息约4.1亿元。")) == set()


def test_gap_to_consensus_with_two_qualifiers_is_no_growth():
    got = rows(facts("三季度营收52.4亿元，同比增长12.1%，高于彭博一致预期2.3%。"))
    assert got == {("revenue", "", "level", "2025Q3", "actual", 5.24e9, "CNY"),
                   ("revenue", "", "yoy", "2025Q3", "actual", 12.1, "%")}


def test_above_scale_industry_total_is_no_company_fact():
    assert rows(facts("据协会统计，前三季度规上企业实现利润总额约5,200亿元，同比增长6%。")) == set()


def test_product_subject_is_no_company_fact():
    got = rows(facts("核心产品瑞宁片前三季度实现销售收入4.2亿元，同比增长33%。公司前三季度实现销售收入12.6亿元。"))
    assert got == {("revenue", "", "level", "2025Q1-Q3", "actual", 1.26e9, "CNY")}


# --- digest lines, yields, spellings ----------------------------------------------------------------------

def test_digest_line_company_holds_across_its_sentences():
    body = ("- **岭东食品(603901.SH)**：三季度营收6.2亿元，同比增长3.0%。维持“增持”评级，目标价21.5元。\n"
            "- **海泓物流(02677.HK)**：上半年收入40.1亿港元。首次覆盖，给予“买入”评级，目标价9.8港元。\n")
    f = facts(body, "晨会纪要 2025年11月10日")
    got = {(r["company_name"], r["metric_code"], r["period_label"], r["value"], r["unit"])
           for r in f.iter_rows(named=True)}
    assert got == {("岭东食品", "revenue", "2025Q3", 6.2e8, "CNY"), ("岭东食品", "revenue", "2025Q3", 3.0, "%"),
                   ("岭东食品", "target_price", "2025-11-10", 21.5, "CNY"),
                   ("海泓物流", "revenue", "2025H1", 4.01e9, "HKD"),
                   ("海泓物流", "target_price", "2025-11-10", 9.8, "HKD")}


def test_trailing_yield_is_dated_at_the_close_it_uses():
    got = rows(facts("以11月7日收盘价8.15元计算，近12个月股息率约5.2%。"))
    assert got == {("share_price_close", "", "level", "2025-11-07", "actual", 8.15, "CNY"),
                   ("dividend_yield", "", "level", "2025-11-07", "actual", 5.2, "%")}


def test_metric_spellings():
    got = rows(facts("公司第三季度实现销售收入3.12亿美元；经调整Non-IFRS归母净利润8.6亿元（+15.0%）。"))
    assert got == {("revenue", "", "level", "2025Q3", "actual", 3.12e8, "USD"),
                   ("adjusted_net_profit", "", "level", "2025Q3", "actual", 8.6e8, "CNY"),
                   ("adjusted_net_profit", "", "yoy", "2025Q3", "actual", 15.0, "%")}
    got = rows(facts("9M25 net profit attributable reached RMB 2.10 bn (+12.0% YoY).",
                     "Lanqiao Precision (688913.SH): 3Q25 review"))
    assert got == {("net_profit_attributable", "", "level", "2025Q1-Q3", "actual", 2.1e9, "CNY"),
                   ("net_profit_attributable", "", "yoy", "2025Q1-Q3", "actual", 12.0, "%")}


def test_sentence_led_by_a_data_source_is_industry_data_until_the_company_comes_back():
    got = rows(facts("据汽车工业协会数据，前三季度行业实现营业收入约9,000亿元，利润总额约450亿元，公司营收12.3亿元。"))
    assert got == {("revenue", "", "level", "2025Q1-Q3", "actual", 1.23e9, "CNY")}
    # a source that is the company's own is no industry lead
    assert rows(facts("据公司公告数据，前三季度营收10亿元。")) == {
        ("revenue", "", "level", "2025Q1-Q3", "actual", 1.0e9, "CNY")}


def test_english_guidance_for_a_bare_quarter():
    got = rows(facts("The company guided Q4 revenue of RMB 5.0-5.2 bn.", "Lanqiao Precision (688913.SH): 3Q25 review"))
    assert got == {("revenue", "", "level", "2025Q4", "estimate", 5.0e9, "CNY"),
                   ("revenue", "", "level", "2025Q4", "estimate", 5.2e9, "CNY")}
