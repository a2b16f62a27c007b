"""Prose rules added with the seventh and eighth held-out sets, each on invented notes: Chinese-numeral years and
dates, 人民币…分 per-share amounts, "next year" / 明年, a bracketed comparison year, 全年 in a review of last year's
annual report, "降幅较…收窄", 扭亏为盈 with the prior level in brackets, a combined line (投资收益（含公允价值变动）),
PDF text broken inside numbers and words, enumerated product headings, the start of a "2020-2023年…由A增长至B"
range, figures of another company in a digest line or an aside, closes (截至今日收盘, 截至发稿 after the close, an
as-of day shared by "；" clauses), a bare quarter in a title, 年内 in a profit warning, and rating statements."""

from __future__ import annotations

import datetime as dt

import polars as pl
from test_extract_prose import make_notes

from notestar.extract import extract_facts
from notestar.extract.numbers import NumberGrammar
from notestar.extract.sentences import to_simplified, unwrap_hard_breaks
from notestar.lexicon import load_lexicon


def _run(title: str, body: str, date: dt.datetime):
    return extract_facts(make_notes((title, body, date)))


def _rows(title: str, body: str, date: dt.datetime) -> set[tuple]:
    return {(r["company_name"], r["metric_code"], r["measure"], r["period_label"], r["basis"], r["value"], r["unit"])
            for r in _run(title, body, date).facts.iter_rows(named=True)}


def test_chinese_numeral_years_and_dates_become_digits_of_the_same_length():
    text = "於二零二四年十二月三十一日，截至二〇二五年六月三十日止六個月；二零二六至二零二八年；二零二五年十月十日"
    out = pl.select(to_simplified(pl.lit(text))).item()
    assert len(out) == len(text)
    assert out.startswith("于2024年12月31日 ，截至2025年6月30日止六个月；2026至2028年；")
    assert out.endswith("2025年十月十日")  # shorter in numerals than in digits: left as written


def test_forecast_years_and_pe_in_chinese_numerals():
    body = ("估值：我們預測二零二七至二零二九年股東應佔溢利分別為人民幣8.40億、9.15億及10.02億元。"
            "目標價相當於二零二七年預測市盈率9.8倍。")
    got = _rows("瀾澤能源(2731.HK)二零二六年全年業績點評", body, dt.datetime(2027, 3, 20))
    assert ("澜泽能源", "net_profit_attributable", "level", "FY2027", "estimate", 840000000.0, "CNY") in got
    assert ("澜泽能源", "net_profit_attributable", "level", "FY2029", "estimate", 1002000000.0, "CNY") in got
    assert ("澜泽能源", "pe", "level", "FY2027", "estimate", 9.8, "x") in got


def test_renminbi_fen_and_hk_cents_are_a_hundredth():
    g = NumberGrammar(load_lexicon().units)
    fen = g.parse(g.regex.match("人民币9.86分"))
    assert (fen.value, fen.unit, fen.decimals) == (0.0986, "CNY", 4)
    xian = g.parse(g.regex.match("港币3.5仙"))
    assert (xian.value, xian.unit) == (0.035, "HKD")
    assert g.parse(g.regex.match("9.86分")).unit is None  # 分 alone is no currency
    body = "期內每股基本盈利為人民幣9.86分（二零二四年同期：每股基本虧損人民幣3.02分）。"
    got = _rows("安禾物業(6218.HK)：截至二零二五年六月三十日止六個月之中期業績", body, dt.datetime(2025, 8, 22))
    assert ("安禾物业", "eps", "level", "2025H1", "actual", 0.0986, "CNY") in got
    assert ("安禾物业", "eps", "level", "2024H1", "actual", -0.0302, "CNY") in got


def test_english_next_year_and_growth_guidance():
    body = ("A: We keep our FY25 revenue growth guidance of 8-9%. For next year, our target is revenue growth of "
            "10-12%, and we expect adjusted net margin to stay at around 21%.")
    got = _rows("Lanfeng Foods (2981.HK): call takeaways", body, dt.datetime(2025, 8, 20, 9, 0))
    assert {("Lanfeng Foods", "revenue", "yoy", p, "estimate", v, "%")
            for p, v in (("FY2025", 8.0), ("FY2025", 9.0), ("FY2026", 10.0), ("FY2026", 12.0))} <= got
    assert ("Lanfeng Foods", "adjusted_net_margin", "level", "FY2026", "estimate", 21.0, "%") in got


def test_mingnian_is_the_year_after_the_note_date():
    got = _rows("川岳电子(300871.SZ)：调研纪要", "管理层表示，明年收入增长目标为18%-22%。", dt.datetime(2025, 9, 12))
    assert ("川岳电子", "revenue", "yoy", "FY2026", "estimate", 18.0, "%") in got
    assert ("川岳电子", "revenue", "yoy", "FY2026", "estimate", 22.0, "%") in got


def test_a_bracketed_year_and_a_narrowed_decline_do_not_date_the_sentence():
    body = ("全年亏损收窄：2025年公司实现营业收入88.20亿元，同比下滑12.3%，降幅较2024年收窄6.1个百分点；"
            "归母净亏损收窄至3.20亿元，同比减亏4.10亿元（2024年归母净亏损7.30亿元）；扣非归母净亏损4.05亿元，同比减亏40.2%。")
    got = _rows("岩拓硅业(688731.SH)2025年报点评", body, dt.datetime(2026, 4, 20))
    assert ("岩拓硅业", "net_profit_attributable", "level", "FY2025", "actual", -320000000.0, "CNY") in got
    assert ("岩拓硅业", "net_profit_attributable", "level", "FY2024", "actual", -730000000.0, "CNY") in got
    assert ("岩拓硅业", "net_profit_attributable_deducted", "level", "FY2025", "actual", -405000000.0, "CNY") in got
    assert ("岩拓硅业", "net_profit_attributable_deducted", "yoy", "FY2025", "actual", 40.2, "%") in got
    assert not any(r[1] == "revenue" and r[2] == "yoy_pp" for r in got)


def test_narrowed_decline_against_the_previous_quarter_keeps_the_quarter():
    body = ("2026年一季度公司实现营收9.10亿元，同比-4.1%，降幅较2025年第四季度收窄7.2个百分点；"
            "扣非归母净利润0.52亿元，同比下滑10.4%。")
    got = _rows("栖岭科技(002918.SZ)一季报快评", body, dt.datetime(2026, 4, 27))
    assert ("栖岭科技", "net_profit_attributable_deducted", "level", "2026Q1", "actual", 52000000.0, "CNY") in got
    assert ("栖岭科技", "net_profit_attributable_deducted", "yoy", "2026Q1", "actual", -10.4, "%") in got


def test_quanian_in_a_review_of_last_years_annual_report():
    body = ("毛利率：全年毛利率12.5%，同比提升1.2个百分点。\n现金流：全年经营活动现金流量净额为-1.08亿元。\n"
            "展望：公司预计全年收入增长10%。")
    got = _rows("川屿材料(603722.SH)2025年年报点评", body, dt.datetime(2026, 4, 22))
    assert ("川屿材料", "gross_margin", "level", "FY2025", "actual", 12.5, "%") in got
    assert ("川屿材料", "operating_cash_flow", "level", "FY2025", "actual", -108000000.0, "CNY") in got
    assert ("川屿材料", "revenue", "yoy", "FY2026", "estimate", 10.0, "%") in got  # a forecast: this year


def test_turnaround_with_the_prior_level_in_brackets():
    body = ("四季度单季归母净利润0.86亿元，同比扭亏为盈（上年同期为-2.47亿元）。"
            "公司2025年归母净利润5.62亿元，同比扭亏为盈（2024年归母净亏损1.93亿元）。")
    got = _rows("禾丰牧业(002991.SZ)2025年报点评", body, dt.datetime(2026, 4, 10))
    assert ("禾丰牧业", "net_profit_attributable", "level", "2024Q4", "actual", -247000000.0, "CNY") in got
    assert ("禾丰牧业", "net_profit_attributable", "level", "FY2024", "actual", -193000000.0, "CNY") in got
    assert ("禾丰牧业", "net_profit_attributable", "level", "FY2025", "actual", 562000000.0, "CNY") in got
    assert not any(r[2] == "yoy" for r in got)


def test_a_combined_line_is_not_the_metric_it_starts_with():
    body = "分业务看：投资收益（含公允价值变动）31.4亿元，同比+22.0%；利息净收入8.8亿元。公司投资收益12.1亿元。"
    got = _rows("瀚川证券(601890.SH)：2025年报点评", body, dt.datetime(2026, 3, 30))
    assert {r for r in got if r[1] == "investment_income"} == {
        ("瀚川证券", "investment_income", "level", "FY2025", "actual", 1210000000.0, "CNY")}


def _wrapped(para: str, cut: str) -> list[str]:
    """para cut every 40 characters, padded at its start so that a line ends right after `cut`."""
    shift = (40 - (para.index(cut) + len(cut)) % 40) % 40
    para = para[:1] + ("公司持续加大研发投入，" * 4)[:shift] + para[1:]
    return [para[i:i + 40] for i in range(0, len(para), 40)]


def _pdf_page() -> str:
    """A page as pdfminer gives it: paragraphs cut every 40 characters (inside "EPS", inside a number), TOC lines
    with dot leaders that are longer than the wrap width."""
    one = (" 精密部件龙头，业绩稳健增长。公司深耕精密部件领域二十余年，产品覆盖轴承、齿轮及传动模组。"
           "2024年公司实现营业收入15.64亿元，同比增长16.2%；归母净利润1.83亿元，同比增长19.4%。2025年前三季度公司"
           "实现营业收入13.07亿元，同比增长22.8%；扣非归母净利润1.56亿元，同比增长27.1%，对应EPS为0.52元，增长提速。")
    two = (" 盈利能力持续改善。2025年前三季度公司毛利率33.4%，同比提升1.6个百分点；期间费用率下降至17.9%，"
           "经营活动现金流净额2.41亿元，同比增长35.2%，回款持续改善，在手订单充足。")
    toc = ["1. 精密部件龙头 " + "." * 48 + " 4", "2. 机器人打开成长空间 " + "." * 44 + " 9",
           "图表1：公司发展历程 " + "." * 46 + " 4", "图表18：公司分业务盈利预测 " + "." * 40 + " 17"]
    return ("证券研究报告 | 公司深度\n2025年11月12日\n\n岚舟精工（688452.SH）\n\n投资要点\n\n"
            + "\n".join(_wrapped(one, "EP")) + "\n\n" + "\n".join(_wrapped(two, "毛利率33.")) + "\n\n"
            + "\n".join(toc) + "\n")


def test_pdf_text_broken_inside_numbers_and_words_beside_toc_lines():
    page = _pdf_page()
    assert "EP\nS" in page and "33.\n4%" in page
    text, removed = unwrap_hard_breaks(page)
    assert "归母净利润1.83亿元" in text and "同比增长22.8%" in text and "对应EPS为0.52元" in text
    assert "毛利率33.4%" in text and len(removed) == 7
    got = _rows("岚舟精工（688452.SH）首次覆盖", page, dt.datetime(2025, 11, 12))
    assert ("岚舟精工", "net_profit_attributable", "level", "FY2024", "actual", 183000000.0, "CNY") in got
    assert ("岚舟精工", "revenue", "yoy", "2025Q1-Q3", "actual", 22.8, "%") in got
    assert ("岚舟精工", "net_profit_attributable_deducted", "level", "2025Q1-Q3", "actual", 156000000.0, "CNY") in got
    assert ("岚舟精工", "gross_margin", "level", "2025Q1-Q3", "actual", 33.4, "%") in got


def test_enumerated_product_headings_are_not_the_company():
    body = ("核心假设：1）精密轴承：受益于需求回暖，预计2025-2027年收入增速分别为15.0%/14.2%/13.1%；"
            "2）传动模组：预计收入分别为2.10/3.05/4.40亿元。\n"
            "盈利预测：1）收入端：预计2025-2027年营业收入分别为20.1/24.3/29.0亿元。")
    got = _rows("岚舟精工(688452.SH)深度", body, dt.datetime(2025, 11, 12))
    assert {r for r in got if r[1] == "revenue"} == {
        ("岚舟精工", "revenue", "level", f"FY{y}", "estimate", v, "CNY")
        for y, v in ((2025, 2010000000.0), (2026, 2430000000.0), (2027, 2900000000.0))}


def test_enumerated_commentary_headings_outside_assumptions_keep_the_company():
    body = "（1）量价齐升：三季度营收6.20亿元，同比+18.5%。\n（2）新品放量：三季度毛利率提升至35.1%。"
    got = _rows("岚舟精工(688452.SH)：三季报点评", body, dt.datetime(2025, 10, 30))
    assert ("岚舟精工", "revenue", "level", "2025Q3", "actual", 620000000.0, "CNY") in got
    assert ("岚舟精工", "gross_margin", "level", "2025Q3", "actual", 35.1, "%") in got


def test_the_start_of_a_range_of_years_is_its_first_year():
    body = "2020-2023年公司营业收入由5.10亿元增长至9.80亿元，CAGR为24.3%。"
    got = _rows("岚舟精工(688452.SH)深度", body, dt.datetime(2025, 11, 12))
    assert ("岚舟精工", "revenue", "level", "FY2020", "actual", 510000000.0, "CNY") in got
    assert ("岚舟精工", "revenue", "level", "FY2023", "actual", 980000000.0, "CNY") in got


def test_figures_belong_to_the_company_they_are_written_about():
    body = ("重点公司公告：\n"
            "沃岭电气（688540.SH）：拟以2.1亿元现金收购岭泰新材（873456.BJ）60%股权；岭泰新材2024年实现营业收入1.25亿元，"
            "净利润0.16亿元。\n"
            "青岚科技（300791.SZ）：三季度营收5.12亿元，同比-3.2%，主要受客户资本开支收缩影响（瀚星通信三季度资本开支同比下降12%）。")
    res = _run("电力设备行业周报", body, dt.datetime(2025, 11, 16, 20, 0))
    got = {(r["company_name"], r["company_ticker"], r["metric_code"], r["measure"], r["period_label"], r["value"])
           for r in res.facts.iter_rows(named=True)}
    assert ("岭泰新材", "873456.BJ", "revenue", "level", "FY2024", 125000000.0) in got
    assert ("岭泰新材", "873456.BJ", "net_profit", "level", "FY2024", 16000000.0) in got
    assert ("瀚星通信", None, "capex", "yoy", "2025Q3", -12.0) in got
    assert ("青岚科技", "300791.SZ", "revenue", "level", "2025Q3", 512000000.0) in got
    assert not any(r[0] in ("沃岭电气", "青岚科技") and r[2] in ("net_profit", "capex") for r in got)


def test_closes_today_after_the_close_and_intraday():
    closed = _rows("川溪药业三季报",
                   "川溪药业（300917.SZ）披露三季报。\n截至今日收盘，川溪药业报18.20元，跌0.82%，总市值56.3亿元。",
                   dt.datetime(2025, 10, 29, 18, 30))
    assert ("川溪药业", "share_price_close", "level", "2025-10-29", "actual", 18.2, "CNY") in closed
    assert ("川溪药业", "market_cap", "level", "2025-10-29", "actual", 5630000000.0, "CNY") in closed
    body = "港股上市公司云岭控股（01977.HK）发布三季度业绩。\n截至发稿，云岭控股报9.46港元，总市值41.2亿港元。"
    after = _rows("云岭控股三季度收入增一成", body, dt.datetime(2025, 10, 30, 19, 30))
    assert ("云岭控股", "share_price_close", "level", "2025-10-30", "actual", 9.46, "HKD") in after
    assert ("云岭控股", "market_cap", "level", "2025-10-30", "actual", 4120000000.0, "HKD") in after
    during = _rows("云岭控股三季度收入增一成", body, dt.datetime(2025, 10, 30, 10, 30))
    assert not any(r[1] in ("share_price_close", "market_cap") for r in during)


def test_an_as_of_day_holds_for_the_clauses_of_its_sentence():
    body = ("正股基本面：正股岳川股份（603819.SH）前三季度实现营业收入22.10亿元。\n"
            "估值：截至11月5日，岳川转债收盘价118.20元，转股溢价率9.1%；正股收盘价16.40元，总市值约72.5亿元。")
    got = _rows("岳川转债（113690）跟踪", body, dt.datetime(2025, 11, 7, 8, 0))
    assert ("岳川股份", "share_price_close", "level", "2025-11-05", "actual", 16.4, "CNY") in got
    assert ("岳川股份", "market_cap", "level", "2025-11-05", "actual", 7250000000.0, "CNY") in got
    assert not any(r[1] == "share_price_close" and r[5] == 118.2 for r in got)


def test_a_bare_quarter_in_a_title_about_the_quarter_to_come():
    got = _rows("云岭控股三季度经调整净利润增15% 管理层：四季度收入增速8%-10%",
                "云岭控股（01977.HK）公布三季度业绩，三季度收入12.4亿元。", dt.datetime(2025, 10, 30, 19, 30))
    assert ("云岭控股", "revenue", "yoy", "2025Q4", "estimate", 8.0, "%") in got
    assert ("云岭控股", "revenue", "yoy", "2025Q4", "estimate", 10.0, "%") in got
    assert not any(r[3] == "2024Q4" for r in got)


def test_profit_warning_revenue_within_the_year():
    body = ("董事会认为，上述亏损主要由于：(i)本集团主要产品售价下降，预期年内收益较去年同期下降约12%；"
            "(ii)汇兑亏损增加。")
    got = _rows("岚石控股：盈利警告", "岚石控股（股份代号：2371）\n" + body, dt.datetime(2026, 1, 22, 17, 0))
    assert ("岚石控股", "revenue", "yoy", "FY2025", "estimate", -12.0, "%") in got


def test_multiple_with_its_year_and_name_after_a_target():
    got = _rows("Lanfeng Foods (2981.HK): raise TP", "Our new TP of HK$21.50 is based on 17x FY26E P/E and implies "
                "30% upside.", dt.datetime(2025, 11, 12, 7, 0))
    assert ("Lanfeng Foods", "pe", "level", "FY2026", "estimate", 17.0, "x") in got
    assert ("Lanfeng Foods", "target_price", "level", "2025-11-12", "estimate", 21.5, "HKD") in got


def test_rating_statements_downgrade_hk_dollar_target_and_morning_brief_headers():
    res = _run("海岳航运(01966.HK)2025年业绩点评：下调评级至“中性”",
               "目标价由港币15.20元下调至港币12.80元；下调评级至“中性”。", dt.datetime(2026, 3, 25))
    r = res.ratings.row(0, named=True)
    assert (r["rating"], r["action"], r["target_price"], r["currency"]) == ("neutral", "downgrade", 12.8, "HKD")
    brief = ("【公司点评】\n岭海股份（603938.SH）\n首次覆盖给予“买入”评级。前三季度归母净利润3.10亿元。\n\n"
             "青屿科技（300785.SZ）\n三季度营收4.20亿元。维持“增持”评级。\n\n"
             "凯岭医药（688268.SH）\n维持“买入”评级，目标价48.5元。\n")
    res = _run("开源晨会 1114", brief, dt.datetime(2025, 11, 14, 7, 30))
    got = {(r["company_name"], r["rating"], r["action"], r["target_price"]) for r in res.ratings.iter_rows(named=True)}
    assert got == {("岭海股份", "buy", "initiate", None), ("青屿科技", "overweight", "maintain", None),
                   ("凯岭医药", "buy", "maintain", 48.5)}
