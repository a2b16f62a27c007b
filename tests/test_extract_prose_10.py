"""Prose rules added with the tenth held-out set, each on invented notes: English change words after the rates in
the bracket of a Chinese figure ("（+12.4% YoY，-3.1% QoQ）"), "同环比分别+a/+bpct" (one ratio's yoy then qoq),
"X a、Y b，同比分别+c%、+d%" (the changes of the levels just listed), "环比转正（一季度为-0.12亿元）" (the bracket's
level of the quarter before), English "Cash and equivalents … as of <date>", and a level after a 较年初 change;
a header key-data line "Rating: … | Price (<date>): HK$… | TP: …" in a note with no table; one rating per company
named in its own clause ("维持A“买入”评级，维持B“增持”评级");
the longest broker spelling ("国泰君安国际", not "国泰君安")."""

from __future__ import annotations

import datetime as dt

from test_extract_prose import make_notes

from notestar.extract import extract_facts


def _rows(title: str, body: str, date: dt.datetime) -> set[tuple]:
    facts = extract_facts(make_notes((title, body, date))).facts
    return {(r["company_name"], r["metric_code"], r["segment_code"], r["measure"], r["period_label"], r["basis"],
             r["value"], r["unit"]) for r in facts.iter_rows(named=True)}


def test_english_change_words_after_rates_in_a_chinese_bracket():
    body = ("2025年四季度公司营业收入9.85亿元（+12.4% YoY，-3.1% QoQ），归母净利润0.92亿元（-5.5% YoY，+8.0% QoQ）。")
    got = _rows("岑川微电(688915.SH)：2025年年报点评", body, dt.datetime(2026, 3, 28))
    name = "岑川微电"
    assert (name, "revenue", "", "yoy", "2025Q4", "actual", 12.4, "%") in got
    assert (name, "revenue", "", "qoq", "2025Q4", "actual", -3.1, "%") in got
    assert (name, "net_profit_attributable", "", "yoy", "2025Q4", "actual", -5.5, "%") in got
    assert (name, "net_profit_attributable", "", "qoq", "2025Q4", "actual", 8.0, "%") in got
    assert len([r for r in got if r[3] in ("yoy", "qoq")]) == 4


def test_yoy_and_qoq_pair_of_one_margin():
    body = ("2026年一季度净利率11.3%，同环比分别下降0.8/1.6pct；毛利率27.5%，同环比分别+1.2/-0.4pct。"
            "营业收入6.10亿元，同比增长7.7%。")
    got = _rows("岑川微电(688915.SH)：2026年一季报点评", body, dt.datetime(2026, 4, 28))
    name = "岑川微电"
    assert (name, "net_margin", "", "yoy_pp", "2026Q1", "actual", -0.8, "pp") in got
    assert (name, "net_margin", "", "qoq_pp", "2026Q1", "actual", -1.6, "pp") in got
    assert (name, "gross_margin", "", "yoy_pp", "2026Q1", "actual", 1.2, "pp") in got
    assert (name, "gross_margin", "", "qoq_pp", "2026Q1", "actual", -0.4, "pp") in got
    assert (name, "revenue", "", "yoy", "2026Q1", "actual", 7.7, "%") in got
    assert not any(r[3] == "qoq" for r in got)


def test_respective_changes_of_the_levels_listed_before():
    body = ("2025年公司实现营业收入52.30亿元、归母净利润6.18亿元、扣非归母净利润5.77亿元，"
            "同比分别+9.4%、-2.1%、+3.3%。")
    got = _rows("葆川材料(301628.SZ)：年报点评", body, dt.datetime(2026, 4, 10))
    name = "葆川材料"
    assert (name, "revenue", "", "level", "FY2025", "actual", 5230000000.0, "CNY") in got
    assert (name, "revenue", "", "yoy", "FY2025", "actual", 9.4, "%") in got
    assert (name, "net_profit_attributable", "", "yoy", "FY2025", "actual", -2.1, "%") in got
    assert (name, "net_profit_attributable_deducted", "", "yoy", "FY2025", "actual", 3.3, "%") in got


def test_turnaround_on_the_quarter_before_with_its_level_in_brackets():
    body = ("2026年二季度扣非归母净利润0.46亿元，环比转正（一季度为-0.08亿元）。"
            "二季度归母净利润0.52亿元，环比扭亏（上季度为-0.05亿元），营业收入4.40亿元，环比扭亏。")
    got = _rows("葆川材料(301628.SZ)：半年报点评", body, dt.datetime(2026, 8, 25))
    name = "葆川材料"
    assert (name, "net_profit_attributable_deducted", "", "level", "2026Q2", "actual", 46000000.0, "CNY") in got
    assert (name, "net_profit_attributable_deducted", "", "level", "2026Q1", "actual", -8000000.0, "CNY") in got
    assert (name, "net_profit_attributable", "", "level", "2026Q1", "actual", -5000000.0, "CNY") in got
    assert (name, "revenue", "", "level", "2026Q2", "actual", 440000000.0, "CNY") in got
    assert not any(r[4] == "2026Q2" and r[6] < 0 for r in got)
    assert not any(r[3] == "qoq" for r in got)


def test_english_cash_and_equivalents_as_of_a_date():
    body = "FY25 results: in line\nCash and equivalents stood at RMB3.15bn as of 31 Dec 2025."
    got = _rows("Hexun Biotech (禾讯生物, 2496.HK)", body, dt.datetime(2026, 3, 20))
    assert ("禾讯生物", "cash_and_equivalents", "", "level", "2025-12-31", "actual", 3150000000.0, "CNY") in got


def test_level_after_a_change_since_the_year_start():
    body = "截至4月15日收盘，葆川材料股价报18.20元，较年初下跌12%，总市值95.4亿元。"
    got = _rows("葆川材料(301628.SZ)一季度净利增长", body, dt.datetime(2026, 4, 15))
    name = "葆川材料"
    assert (name, "share_price_close", "", "level", "2026-04-15", "actual", 18.2, "CNY") in got
    assert (name, "market_cap", "", "level", "2026-04-15", "actual", 9540000000.0, "CNY") in got
    assert not any(r[6] in (12.0, -12.0) for r in got)


def test_header_key_data_line_in_a_note_without_tables():
    body = ("Zenith Research | 12 March 2026\n\n"
            "Rating: Buy (maintained) | Price (11 Mar 2026): HK$7.35 | TP: HK$9.10 (from HK$8.60)\n\n"
            "FY25 revenue of RMB4.12bn, up 8.8% YoY.")
    got = _rows("Lingshan Foods (灵山食品, 2871.HK)", "FY25 results: steady\n" + body, dt.datetime(2026, 3, 12))
    name = "灵山食品"
    assert (name, "share_price_close", "", "level", "2026-03-11", "actual", 7.35, "HKD") in got
    assert (name, "target_price", "", "level", "2026-03-12", "estimate", 9.1, "HKD") in got
    assert (name, "target_price", "", "level", "2026-03-12", "prior_estimate", 8.6, "HKD") in got


def test_one_rating_per_company_named_in_its_clause():
    body = ("示例证券 新材料组　2026-05-06\n\n"
            "岑江材料（301915.SZ）：2026年一季度营收6.21亿元，同比+12.0%。\n\n"
            "禾映科技（688977.SH）：2026年一季度营收3.05亿元，同比-4.4%。\n\n"
            "投资建议：首次覆盖岑江材料给予“买入”评级，维持禾映科技“中性”评级。")
    ratings = extract_facts(make_notes(("新材料行业一季报点评", body, dt.datetime(2026, 5, 6)))).ratings
    got = {(r["company_name"], r["company_ticker"], r["rating"]) for r in ratings.iter_rows(named=True)}
    assert ("岑江材料", "301915.SZ", "buy") in got
    assert ("禾映科技", "688977.SH", "neutral") in got


def test_hk_arm_of_a_broker_is_its_own_institution():
    body = ("国泰君安国际　2026年3月20日\n\n评级：买入（维持）　目标价：8.20港元\n\n"
            "2025年收入人民币42.1亿元，按年增长6.0%。")
    ratings = extract_facts(make_notes(("岭屿服务（02398.HK）2025年业绩点评", body, dt.datetime(2026, 3, 20)))).ratings
    assert ratings["institution"].to_list() == ["国泰君安国际"]
