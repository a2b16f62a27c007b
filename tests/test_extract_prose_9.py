"""Prose rules added with the ninth held-out set, each on invented notes: 同比持平 / 基本持平 / "flat YoY" as a
change of 0, "由<year>的X提升至Y" (the year dates X only), 全年 after an explicitly named report year, another
firm named after its kind ("另一家…企业X"), English topic periods and "from X% growth in 1H", an English
results headline under the company line, a close dated in the bracket after the price, breaks inside numbers
of a hard-wrapped note, and no fact for a month's flow, a region's line, a price cut, the part after 其中; 较期初
at a year end as a yoy change."""

from __future__ import annotations

import datetime as dt

from test_extract_prose import make_notes

from notestar.extract import extract_facts
from notestar.extract.sentences import unwrap_hard_breaks


def _rows(title: str, body: str, date: dt.datetime) -> set[tuple]:
    facts = extract_facts(make_notes((title, body, date))).facts
    return {(r["company_name"], r["metric_code"], r["segment_code"], r["measure"], r["period_label"], r["basis"],
             r["value"], r["unit"]) for r in facts.iter_rows(named=True)}


def test_flat_changes_are_zero():
    body = ("2025年四季度公司实现营业收入8.40亿元，同比增长6.1%；归母净利润0.75亿元，同比持平。"
            "2026年一季度净利率9.2%，环比基本持平；营业收入7.31亿元，同比大致持平（上年同期为7.28亿元）。")
    got = _rows("岚川股份(605877.SH)：2025年年报及2026年一季报点评", body, dt.datetime(2026, 4, 29))
    assert ("岚川股份", "net_profit_attributable", "", "yoy", "2025Q4", "actual", 0.0, "%") in got
    assert ("岚川股份", "net_margin", "", "qoq_pp", "2026Q1", "actual", 0.0, "pp") in got
    assert ("岚川股份", "revenue", "", "yoy", "2026Q1", "actual", 0.0, "%") in got
    assert ("岚川股份", "revenue", "", "level", "2025Q1", "actual", 728000000.0, "CNY") in got


def test_flat_growth_rate_and_flat_to_range_are_not_a_zero_change():
    body = "2025年公司营业收入12.6亿元，营收增速同比持平。公司指引2026年一季度收入环比持平至增长5%。"
    got = _rows("岚川股份(605877.SH)：年报点评", body, dt.datetime(2026, 3, 20))
    assert not any(r[3] == "yoy" and r[4] == "FY2025" for r in got)
    assert ("岚川股份", "revenue", "", "qoq", "2026Q1", "estimate", 0.0, "%") in got
    assert ("岚川股份", "revenue", "", "qoq", "2026Q1", "estimate", 5.0, "%") in got


def test_english_flat_yoy_and_own_periods():
    body = ("Q-Mart reported FY25 results on 10 March.\n"
            "Revenue rose 6.2% YoY to RMB12.40bn. 2H25 revenue grew 3.1% YoY to RMB6.55bn, down from 9.8% growth "
            "in 1H25. Gross margin widened 1.1ppt YoY to 38.6%, while 2H25 GPM was flat YoY at 37.9%. "
            "Basic EPS was RMB0.86.")
    got = _rows("Q-Mart Retail (七迈零售, 3318.HK)", "FY25 results: steady year\n" + body, dt.datetime(2026, 3, 12))
    name = "七迈零售"
    assert (name, "revenue", "", "level", "FY2025", "actual", 12400000000.0, "CNY") in got
    assert (name, "revenue", "", "yoy", "2025H1", "actual", 9.8, "%") in got
    assert (name, "gross_margin", "", "level", "FY2025", "actual", 38.6, "%") in got
    assert (name, "gross_margin", "", "yoy_pp", "FY2025", "actual", 1.1, "pp") in got
    assert (name, "gross_margin", "", "level", "2025H2", "actual", 37.9, "%") in got
    assert (name, "gross_margin", "", "yoy_pp", "2025H2", "actual", 0.0, "pp") in got
    assert (name, "eps", "", "level", "FY2025", "actual", 0.86, "CNY") in got
    assert not any(r[4] == "2025H2" and r[1] == "eps" for r in got)


def test_from_year_dates_the_start_only():
    body = ("2. 2025年公有云收入6.20亿元，同比增长40.1%，占总收入比重由2024年的28.5%提升至36.2%；行业云收入3.10亿元，"
            "同比增长5.5%。\n"
            "3. 2025年综合毛利率30.2%。其中行业云毛利率由2024年的22.4%下降至19.8%，主要是折旧增加。")
    got = _rows("云岫科技(301999.SZ)2025年年报点评", body, dt.datetime(2026, 4, 20))
    assert ("云岫科技", "revenue_share", "public_cloud", "level", "FY2024", "actual", 28.5, "%") in got
    assert ("云岫科技", "revenue_share", "public_cloud", "level", "FY2025", "actual", 36.2, "%") in got
    assert ("云岫科技", "revenue", "industry_cloud", "level", "FY2025", "actual", 310000000.0, "CNY") in got
    assert ("云岫科技", "gross_margin", "industry_cloud", "level", "FY2024", "actual", 22.4, "%") in got
    assert ("云岫科技", "gross_margin", "industry_cloud", "level", "FY2025", "actual", 19.8, "%") in got
    assert not any(r[4] == "FY2024" and r[6] in (36.2, 310000000.0, 19.8) for r in got)


def test_full_year_after_a_named_report_year_and_another_firm():
    body = ("行业协会数据显示，2026年行业规模有望继续增长。"
            "上市公司方面，禾岳厨具（002777.SZ）日前发布的2025年年报显示，公司全年实现营业收入31.50亿元，同比增长7.2%；归母净利润3.05亿元，同比增长10.1%。"
            "另一家厨电企业青芮电器此前披露的业绩快报显示，2025年营业收入同比下降4.6%，主要受海外需求拖累。")
    got = _rows("厨电板块迎来政策窗口", body, dt.datetime(2026, 4, 3))
    assert ("禾岳厨具", "revenue", "", "level", "FY2025", "actual", 3150000000.0, "CNY") in got
    assert ("禾岳厨具", "net_profit_attributable", "", "yoy", "FY2025", "actual", 10.1, "%") in got
    assert ("青芮电器", "revenue", "", "yoy", "FY2025", "actual", -4.6, "%") in got
    assert not any(r[4] == "FY2026" for r in got)
    assert not any(r[0] == "禾岳厨具" and r[6] == -4.6 for r in got)


def test_close_dated_in_the_bracket_after_the_price():
    body = "投资评级：增持（维持）\n当前股价：15.62元（2026年3月30日收盘）\n公司2025年营业收入20.1亿元。"
    got = _rows("澄湖科技(688111.SH)2025年年报点评", body, dt.datetime(2026, 3, 31))
    assert ("澄湖科技", "share_price_close", "", "level", "2026-03-30", "actual", 15.62, "CNY") in got


def test_breaks_inside_numbers_of_a_wrapped_note():
    text = ("事件：公司发布一季报，一季度实现营业收入40.22亿元，同比增长12.0\n"
            "%，环比增长2.2%；归母净利润1.\n"
            "95亿元，同比增长20.5%。毛利率11.4%，同比提升0.6pct，环比提升0\n"
            ".3pct；期间费用率5.1%，同比\n"
            "下降0.2pct。\n")
    joined, removed = unwrap_hard_breaks(text)
    assert "归母净利润1.95亿元" in joined and "环比提升0.3pct" in joined and "同比下降0.2pct" in joined
    got = _rows("祁山铝材(002999.SZ)2026年一季报点评", text, dt.datetime(2026, 4, 28))
    assert ("祁山铝材", "net_profit_attributable", "", "level", "2026Q1", "actual", 195000000.0, "CNY") in got
    assert ("祁山铝材", "gross_margin", "", "qoq_pp", "2026Q1", "actual", 0.3, "pp") in got
    assert ("祁山铝材", "expense_ratio", "", "yoy_pp", "2026Q1", "actual", -0.2, "pp") in got


def test_no_fact_for_a_month_a_region_a_price_cut_or_a_part():
    body = ("公司一季度实现营业收入320亿元，同比增长15%。据公司月度快报，3月单月营业收入约121亿元，同比增长21%。\n"
            "2025年公司营业收入45.2亿元，同比增长10.3%；其中境外收入12.6亿元，同比增长25.0%，"
            "部分品类平均降价约30%。截至2025年末，应收账款余额9.8亿元，其中政府补贴款约4.1亿元。")
    got = _rows("恒舸电子(603777.SH)：年报及一季报点评", body, dt.datetime(2026, 4, 28))
    values = {r[6] for r in got}
    assert ("恒舸电子", "revenue", "", "level", "2026Q1", "actual", 32000000000.0, "CNY") in got
    assert ("恒舸电子", "revenue", "", "level", "FY2025", "actual", 4520000000.0, "CNY") in got
    assert ("恒舸电子", "notes_and_accounts_receivable", "", "level", "2025-12-31", "actual", 980000000.0,
            "CNY") in got
    assert not values & {12100000000.0, 21.0, 1260000000.0, 25.0, -30.0, 30.0, 410000000.0}


def test_change_since_period_start_at_a_year_end_is_yoy():
    body = ("2025年公司实现营业总收入21.3亿元，同比增长8.8%。报告期末，公司总资产52.10亿元，较期初增长9.4%。")
    got = _rows("舜景医疗(688358.SH)2025年业绩快报", body, dt.datetime(2026, 2, 27))
    assert ("舜景医疗", "total_assets", "", "level", "2025-12-31", "actual", 5210000000.0, "CNY") in got
    assert ("舜景医疗", "total_assets", "", "yoy", "2025-12-31", "actual", 9.4, "%") in got
    q1 = _rows("舜景医疗(688358.SH)2026年一季报点评", "截至2026年3月末，公司总资产53.0亿元，较年初增长1.7%。",
               dt.datetime(2026, 4, 28))
    assert not any(r[3] == "yoy" for r in q1)


def test_english_topic_period_still_carries_and_flat_after_a_figure():
    body = ("Lumo reported FY25 results on 12 March.\n"
            "In 2H25, revenue rose 7.5% YoY to RMB4.10bn. Gross margin was 41.2%. "
            "Net profit attributable was RMB0.62bn, flat YoY.")
    got = _rows("Lumo Tech (露摩科技, 6632.HK)", "FY25 results: a stable second half\n" + body,
                dt.datetime(2026, 3, 13))
    assert ("露摩科技", "revenue", "", "level", "2025H2", "actual", 4100000000.0, "CNY") in got
    assert ("露摩科技", "gross_margin", "", "level", "2025H2", "actual", 41.2, "%") in got
    assert ("露摩科技", "net_profit_attributable", "", "yoy", "2025H2", "actual", 0.0, "%") in got
