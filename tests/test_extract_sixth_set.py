"""Rules added with the sixth held-out set (extractor 0.9.0), each on invented inputs: an announcement's
证券代码/证券简称 header, "English Name (中文简称, code)", 业绩快报 tables (本报告期 / 本报告期末 / 本报告期初, a header
inside the table, "增加X个百分点"), an annual report's 分季度 table, a table whose columns each name a period and a
metric (a consensus of brokers), "-RMB88mn", "FY25E/26E", an English close date, "1Q-4Q…分别为", a segment's own
margin, a per-share stock dated 截至…末, and a count of brokers giving a rating."""

from __future__ import annotations

import datetime as dt

from test_extract_english import english_note, keyset
from test_extract_prose import make_notes, rows

from notestar.extract import extract_facts


def _run(title: str, body: str, date=dt.datetime(2026, 2, 26)):
    return extract_facts(make_notes((title, body, date)))


FLASH = (
    "单位：万元\n"
    "| 项目 | 本报告期 | 上年同期 | 增减变动幅度(%) |\n"
    "| 营业总收入 | 50,000.00 | 40,000.00 | 25.00 |\n"
    "| 加权平均净资产收益率 | 8.50% | 9.00% | 减少0.50个百分点 |\n"
    "| | 本报告期末 | 本报告期初 | 增减变动幅度(%) |\n"
    "| 总资产 | 120,000.00 | 100,000.00 | 20.00 |\n"
    "| 归属于母公司的所有者权益 | 60,000.00 | 55,000.00 | 9.09 |\n"
)


def test_announcement_header_names_the_company_not_its_label():
    body = "某某股份有限公司2024年度业绩快报公告\n2025-02-20\n\n" + FLASH
    res = _run("证券代码：002777        证券简称：松岭电气        公告编号：2025-003", body)
    assert set(res.facts["company_name"]) == {"松岭电气"}
    assert set(res.facts["company_ticker"]) == {"002777.SZ"}


def test_flash_report_table_in_wan_yuan_with_a_balance_header_inside_the_table():
    body = "松岭电气股份有限公司2024年度业绩快报公告\n2025-02-20\n\n" + FLASH
    got = rows(_run("证券代码：002777        证券简称：松岭电气", body).facts)
    assert got == {
        ("revenue", "", "level", "FY2024", "actual", 500000000.0, "CNY"),
        ("revenue", "", "level", "FY2023", "actual", 400000000.0, "CNY"),
        ("revenue", "", "yoy", "FY2024", "actual", 25.0, "%"),
        ("roe", "", "level", "FY2024", "actual", 8.5, "%"),
        ("roe", "", "level", "FY2023", "actual", 9.0, "%"),
        ("roe", "", "yoy_pp", "FY2024", "actual", -0.5, "pp"),
        # columns headed 本报告期末 / 本报告期初 (not by a year): balances at the year ends (rule 9)
        ("total_assets", "", "level", "2024-12-31", "actual", 1200000000.0, "CNY"),
        ("total_assets", "", "level", "2023-12-31", "actual", 1000000000.0, "CNY"),
        ("total_assets", "", "yoy", "2024-12-31", "actual", 20.0, "%"),
        ("equity_attributable", "", "level", "2024-12-31", "actual", 600000000.0, "CNY"),
        ("equity_attributable", "", "level", "2023-12-31", "actual", 550000000.0, "CNY"),
        ("equity_attributable", "", "yoy", "2024-12-31", "actual", 9.09, "%"),
    }


def test_annual_report_quarter_table_and_points_change_cell():
    body = ("松岭电气股份有限公司2024年年度报告摘要\n\n单位：元\n"
            "| 项目 | 2024年 | 2023年 | 本年比上年增减(%) |\n"
            "| 加权平均净资产收益率 | 10.20% | 9.10% | 增加1.10个百分点 |\n\n"
            "分季度主要会计数据\n单位：元\n"
            "| 项目 | 第一季度 | 第二季度 | 第三季度 | 第四季度 |\n"
            "| 营业收入 | 100,000,000.00 | 110,000,000.00 | 120,000,000.00 | 130,500,000.50 |\n")
    got = rows(_run("证券代码：002777  证券简称：松岭电气", body, dt.datetime(2025, 3, 28)).facts)
    assert got == {
        ("roe", "", "level", "FY2024", "actual", 10.2, "%"),
        ("roe", "", "level", "FY2023", "actual", 9.1, "%"),
        ("roe", "", "yoy_pp", "FY2024", "actual", 1.1, "pp"),
        ("revenue", "", "level", "2024Q1", "actual", 100000000.0, "CNY"),
        ("revenue", "", "level", "2024Q2", "actual", 110000000.0, "CNY"),
        ("revenue", "", "level", "2024Q3", "actual", 120000000.0, "CNY"),
        ("revenue", "", "level", "2024Q4", "actual", 130500000.5, "CNY"),
    }


def test_columns_that_each_name_a_period_and_a_metric():
    body = ("| 来源 | 日期 | 2026E营业收入(亿元) | 2027E营业收入(亿元) | 2026E EPS(元) |\n"
            "| --- | --- | --- | --- | --- |\n"
            "| 甲证券 | 2026/01/10 | 30.5 | 36.0 | 0.82 |\n"
            "| 乙证券 | 2026/01/12 | 31.0 | 36.0 | 0.85 |\n"
            "| 均值 | | 30.75 | 36.0 | 0.835 |\n\n"
            "- 近60天共8家机构覆盖，其中6家给予买入评级。")
    res = _run("松岭电气（002777.SZ）盈利预测汇总", body, dt.datetime(2026, 1, 20))
    assert rows(res.facts) == {
        ("revenue", "", "level", "FY2026", "estimate", 3050000000.0, "CNY"),
        ("revenue", "", "level", "FY2026", "estimate", 3100000000.0, "CNY"),
        ("revenue", "", "level", "FY2026", "estimate", 3075000000.0, "CNY"),
        ("revenue", "", "level", "FY2027", "estimate", 3600000000.0, "CNY"),
        ("eps", "", "level", "FY2026", "estimate", 0.82, "CNY"),
        ("eps", "", "level", "FY2026", "estimate", 0.85, "CNY"),
        ("eps", "", "level", "FY2026", "estimate", 0.835, "CNY"),
    }
    assert res.ratings.height == 0  # "6家给予买入评级" counts brokers: not this note's rating


def test_english_bracket_name_minus_before_currency_year_list_and_close_day():
    notes = english_note(
        "Northgate Marine (北门海运, 2288.HK) - 1H24 results",
        "- Net loss attributable RMB(42)mn in 1H24; operating cash flow -RMB15mn.\n"
        "- We lift FY24E/25E EPS to RMB0.12/0.20 (from RMB0.10/0.16). TP HK$5.50.\n"
        "- Shares closed at HK$4.40 on 27 Aug.",
        dt.datetime(2024, 8, 28))
    got = keyset(extract_facts(notes).facts)
    assert got == {
        ("北门海运", "net_profit_attributable", "level", "2024H1", "actual", -42000000.0, "CNY"),
        ("北门海运", "operating_cash_flow", "level", "2024H1", "actual", -15000000.0, "CNY"),
        ("北门海运", "eps", "level", "FY2024", "estimate", 0.12, "CNY"),
        ("北门海运", "eps", "level", "FY2025", "estimate", 0.2, "CNY"),
        ("北门海运", "eps", "level", "FY2024", "prior_estimate", 0.1, "CNY"),
        ("北门海运", "eps", "level", "FY2025", "prior_estimate", 0.16, "CNY"),
        ("北门海运", "target_price", "level", "2024-08-28", "estimate", 5.5, "HKD"),
        ("北门海运", "share_price_close", "level", "2024-08-27", "actual", 4.4, "HKD"),
    }


def test_a_range_of_currency_amounts_is_not_read_as_a_negative():
    notes = english_note("Northgate Marine (北门海运, 2288.HK) - update", "- Our TP range is HK$5.10-HK$5.60.",
                         dt.datetime(2024, 8, 28))
    values = {k[5] for k in keyset(extract_facts(notes).facts)}
    assert values == {5.1, 5.6}


def test_quarter_span_with_respectively():
    body = "分季度看，1Q-4Q营收分别为10.1/11.2/12.3/13.4亿元；Q2-Q4归母净利润分别为1.1/1.2/1.3亿元。"
    got = rows(_run("松岭电气（002777.SZ）2024年报点评", body, dt.datetime(2025, 3, 30)).facts)
    assert got == {
        ("revenue", "", "level", "2024Q1", "actual", 1010000000.0, "CNY"),
        ("revenue", "", "level", "2024Q2", "actual", 1120000000.0, "CNY"),
        ("revenue", "", "level", "2024Q3", "actual", 1230000000.0, "CNY"),
        ("revenue", "", "level", "2024Q4", "actual", 1340000000.0, "CNY"),
        ("net_profit_attributable", "", "level", "2024Q2", "actual", 110000000.0, "CNY"),
        ("net_profit_attributable", "", "level", "2024Q3", "actual", 120000000.0, "CNY"),
        ("net_profit_attributable", "", "level", "2024Q4", "actual", 130000000.0, "CNY"),
    }


def test_a_segments_margin_beside_its_revenue_stays_with_the_segment():
    body = ("- 公有云收入3.20亿元，同比+8.0%，占总收入比重30.0%，毛利率12.5%\n"
            "- 行业云收入2.10亿元，公司整体毛利率15.0%")
    got = rows(_run("松岭科技（688777.SH）3Q25分部拆分", body, dt.datetime(2025, 11, 10)).facts)
    assert ("gross_margin", "public_cloud", "level", "2025Q3", "actual", 12.5, "%") in got
    assert ("gross_margin", "", "level", "2025Q3", "actual", 15.0, "%") in got
    assert not any(r[0] == "gross_margin" and r[1] == "industry_cloud" for r in got)


def test_book_value_per_share_at_a_quarter_end():
    res = _run("松岭电气（002777.SZ）三季报点评", "截至三季度末每股净资产8.8元。", dt.datetime(2025, 10, 30))
    got = rows(res.facts)
    assert got == {("book_value_per_share", "", "level", "2025-09-30", "actual", 8.8, "CNY")}


def test_wechat_byline_is_the_rating_institution_when_no_broker_is_named():
    body = "原创 松果研究社 2025年10月30日 21:06 上海\n\n松岭电气(002777.SZ)三季报：营收10亿元。维持“买入”评级。"
    res = _run("【松岭电气】Q3业绩点评", body, dt.datetime(2025, 10, 30))
    assert res.ratings.select("institution", "rating", "action").rows() == [("松果研究社", "buy", "maintain")]
