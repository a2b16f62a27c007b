"""Figures that must never become company facts (rule 10): industry-wide figures, operating counts,
dates, phone numbers, citation numbers, intraday moves, CAGRs, shares of one segment in another."""

from __future__ import annotations

import datetime as dt

import polars as pl

from notestar.extract import extract_facts
from tests.test_extract_prose import make_notes

TITLE = "澜海智能(688901.SH)：三季度点评"
DATE = dt.datetime(2025, 10, 30)


def facts(body: str) -> pl.DataFrame:
    return extract_facts(make_notes((TITLE, body, DATE))).facts


def test_industry_wide_figures():
    f = facts("- 行业数据显示，2024年中国智能算力规模达725.3EFLOPS，同比增长74.1% [3]\n"
              "- 预计到2025年中国超算服务市场规模将达到466亿元 [4]\n"
              "- 行业平均毛利率约为25%，全国数据中心收入同比增长12% [5]")
    assert f.height == 0


def test_operating_counts_are_not_amounts():
    f = facts("- 公司总调度能力超过200万个CPU核及5万卡GPU [1]\n- 规划建设4,000个高功率机柜，支持单一集群6万张卡 [2]\n"
              "- 公司研发人员2544人，累计服务企业客户超过1,200家 [3]")
    assert f.height == 0


def test_dates_phone_numbers_and_citations():
    f = facts("- 2025年10月29日晚间公司发布三季报，联系电话0755-81234567，SAC: S1350524110004 [12][26]\n"
              "- 3Q25实现营收5.2亿元 [7][19]")
    assert f["value"].to_list() == [520000000.0]
    assert f["evidence"].to_list() == ["3Q25实现营收5.2亿元"]


def test_intraday_moves_and_turnover():
    f = facts("- 公司股价盘中涨幅超6%，截至发稿涨4.37%，报26.21元，成交额2.04亿元 [1]")
    assert f.height == 0


def test_cagr_and_share_of_another_segment():
    f = facts("- 预计2025-2027年营收复合增长率约18% [1]\n- AI收入占公有云收入比例达45% [2]\n"
              "- 在公有云收入中占比达44.6% [3]")
    assert f.filter(pl.col("unit") == "%").height == 0


def test_related_party_cap_and_undated_starting_balance():
    f = facts("- 预计全年有望完成27.8亿元的关联交易目标 [1]\n- 物业及设备净额从46.3亿元增至103.3亿元 [2]")
    assert f.select("metric_code", "period_label", "value").rows() == [
        ("property_and_equipment", "2025-09-30", 10330000000.0)]


def test_incentive_targets_and_buyback_caps_are_conditions():
    f = facts("- 股权激励考核目标为2025年营收不低于80亿元 [1]\n- 公司拟回购不超过5亿元股份 [2]")
    assert f.height == 0


def test_close_at_a_stated_date_uses_that_date():
    f = facts("截至2025年10月20日收盘，公司股价为45.6元，总市值230亿元。")
    assert sorted(f.select("metric_code", "period_label", "value").rows()) == [
        ("market_cap", "2025-10-20", 23000000000.0), ("share_price_close", "2025-10-20", 45.6)]


def test_qualified_lines_are_not_company_totals():
    f = facts("- 3Q25海外收入3.2亿元，同比增长40% [1]\n- 3Q25扣非净利润0.9亿元 [2]\n- 3Q25销售费用率为8.1% [3]\n"
              "- 3Q25实现营收12.5亿元 [4]")
    # 扣非净利润 is its own line (deducted non-recurring net profit), never the net_profit total
    assert f.select("metric_code", "measure", "value").rows() == [
        ("net_profit_attributable_deducted", "level", 90000000.0), ("revenue", "level", 1250000000.0)]


def test_gap_to_expectations_interbank_and_peer_group_figures():
    f = facts("- 三季度营收超市场预期,高于市场预期6%,净利润低于我们的预期3% [1]\n"
              "- 三季度同业存单余额为120亿元,同业平均毛利率约为31% [2]")
    assert f.height == 0


def test_other_lines_share_of_revenue_and_dividends_are_no_company_facts():
    f = facts("- 三季度财务费用占收入比例为1.8%，管理费用占营收比重为7.2% [1]\n"
              "- 三季度净利润2.1亿元，拟派发股息每股0.15元 [2]")
    assert sorted((r["metric_code"], r["value"]) for r in f.iter_rows(named=True)) == [
        ("net_profit", 210000000.0)]


def test_lower_bound_of_an_incentive_target_stays_a_condition_even_with_a_forecast_word():
    f = facts("- 公司预计摊销费用可控，股权激励考核目标为2026年营收同比增长不低于25% [1]")
    assert f.height == 0


def test_bank_and_insurer_ratios_without_a_code_give_nothing():
    f = facts("- 上半年净息差为1.71%，较年初下降9bp；不良贷款率0.88%，拨备覆盖率为402.5%，核心一级资本充足率9.87% [2]\n"
              "- 年化总投资收益率为4.6%，同比提升0.3个百分点；新业务价值率提升2.7个百分点 [3]")
    assert f.height == 0


def test_share_of_revenue_of_another_line_is_no_fact():
    f = facts("- 前三季度研发投入1.36亿元，占营业收入的7.9%；销售费用0.52亿元，同比增长6%，占营收比重约3.1% [4]")
    got = sorted((r["metric_code"], r["measure"], r["value"]) for r in f.iter_rows(named=True))
    assert got == [("rd_expense", "level", 136000000.0), ("selling_expense", "level", 52000000.0),
                   ("selling_expense", "yoy", 6.0)]


def test_change_against_an_earlier_base_year_is_no_yoy():
    f = facts("- 2025年前三季度营收较2023年同期增长50%，较2024年同期增长12% [6]\n- 公司营收较2021年增长120% [7]")
    got = sorted((r["metric_code"], r["measure"], r["period_label"], r["value"]) for r in f.iter_rows(named=True))
    assert got == [("revenue", "yoy", "2025Q1-Q3", 12.0)]
