"""Table and key-value facts: statement tables in their layouts, units, growth rows, 基本数据 boxes.

The notes below are written for these tests (invented companies and figures), in the genre of
PDF-converted broker reports and research-platform cards.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
from note_frames import notes_frame

from notestar import schemas
from notestar.extract.tables import extract_table_facts


def _notes(*texts: str, published: datetime | None = datetime(2026, 3, 31), company: str = "远峰电子",
           ticker: str | None = "688321.SH") -> pl.DataFrame:
    return notes_frame(texts, published=published, company=company, ticker=ticker, kind="pdf_report")


def _fact(facts: pl.DataFrame, metric: str, period: str, measure: str = "level", basis: str | None = None) -> dict:
    sel = facts.filter((pl.col("metric_code") == metric) & (pl.col("period_label") == period)
                       & (pl.col("measure") == measure))
    if basis:
        sel = sel.filter(pl.col("basis") == basis)
    assert sel.height == 1, (metric, period, measure, sel)
    return sel.row(0, named=True)


REPORT = """2026 年 03 月 31 日
## 远峰电子 (688321. SH)
投资评级： 买入（维持）

## 基本数据 2026 年 03 月 30 日
收盘价 (元)\t42.18
一年内最高/最低 (元)\t55.60/30.02
总市值 (百万元)\t12,406.75
总股本 (亿股)\t2.94
资产负债率 (%)\t35.10
每股净资产 (元/股)\t11.52

资料来源：万得

**盈利预测与估值（人民币）**

\t2024A\t2025A\t2026E\t2027E
营业收入（百万元）\t3,402\t4,118\t5,027\t6,233
同比增长率（%）\t12.40%\t21.05%\t22.07%\t23.99%
归母净利润（百万元）\t(152)\t310\t402\t-
同比增长率（%）\t-45.02%\tNA\t29.68%\t--
每股收益（元/股）\t-0.52\t1.05\t1.37\t1.71
市盈率（P/E）\t-81.15\t40.17\t30.79\t24.67
行业规模（亿元）\t900\t1,000\t1,100\t1,200

资料来源：公司公告，某证券研究所预测

**利润表 (百万元)**

会计年度\t2025A\t2026E\t2027E
<b>营业收入</b>\t<b>4,118</b>\t<b>5,027</b>\t<b>6,233</b>
营业税金及附加\t21\t25\t31
资产减值损失\t0\t0\t0
所得税费用\t(8)\t12\t15
<b>净利润</b>\t<b>322</b>\t<b>415</b>\t<b>520</b>
<b>归属母公司股东净利润</b>\t<b>310</b>\t<b>402</b>\t<b>506</b>
EPS(元)\t1.05\t1.37\t1.71

**主要财务比率**

会计年度\t2025A\t2026E\t2027E
<b>成长能力</b>\t\t\t
营收增长率\t21.05%\t22.07%\t23.99%
归母净利润增长率\tNA\t29.68%\t25.87%
<b>盈利能力</b>\t\t\t
毛利率\t28.40%\t29.10%\t29.85%
股息率\t0.00%\t0.50%\t0.80%
"""


def test_tab_report_statement_rows(lexicon):
    facts = extract_table_facts(_notes(REPORT), lexicon)
    rev = _fact(facts, "revenue", "FY2024")
    assert (rev["value"], rev["unit"], rev["basis"], rev["decimals"]) == (3402e6, "CNY", "actual", -6)
    assert _fact(facts, "revenue", "FY2026")["basis"] == "estimate"
    # bracketed negative, dash cells skipped
    assert _fact(facts, "net_profit_attributable", "FY2024")["value"] == -152e6
    assert facts.filter((pl.col("metric_code") == "net_profit_attributable")
                        & (pl.col("period_label") == "FY2027") & (pl.col("value") == 0)).is_empty()
    # the 同比增长率 row under a metric is that metric's yoy; NA cells are skipped
    assert _fact(facts, "revenue", "FY2025", "yoy")["value"] == 21.05
    assert _fact(facts, "net_profit_attributable", "FY2024", "yoy")["value"] == -45.02
    assert facts.filter((pl.col("metric_code") == "net_profit_attributable") & (pl.col("measure") == "yoy")
                        & (pl.col("period_label") == "FY2025")).is_empty()
    eps = _fact(facts, "eps", "FY2024")
    assert (eps["value"], eps["unit"], eps["decimals"]) == (-0.52, "CNY", 2)
    pe = _fact(facts, "pe", "FY2027")
    assert (pe["value"], pe["unit"], pe["basis"]) == (24.67, "x", "estimate")
    # 利润表: 营业税金及附加 / 所得税费用 synonyms, zero cells kept, bold tags
    assert _fact(facts, "taxes_and_surcharges", "FY2026")["value"] == 25e6
    assert _fact(facts, "income_tax", "FY2025")["value"] == -8e6
    assert _fact(facts, "asset_impairment_loss", "FY2027")["value"] == 0.0
    assert _fact(facts, "net_profit", "FY2027")["value"] == 520e6
    assert _fact(facts, "net_profit_attributable", "FY2027")["value"] == 506e6
    # ratios table: growth rows by their own label, ratios in %, zero dividend yield kept
    assert _fact(facts, "net_profit_attributable", "FY2027", "yoy")["value"] == 25.87
    gm = _fact(facts, "gross_margin", "FY2026")
    assert (gm["value"], gm["unit"], gm["decimals"]) == (29.1, "%", 2)
    assert _fact(facts, "dividend_yield", "FY2025")["value"] == 0.0
    # a row whose label has no metric code gives nothing (industry size)
    assert not facts["evidence"].str.contains("行业规模").any()
    assert set(facts["rule_id"]) == {"table.statement", "table.growth", "kv.box"}
    assert facts["company_name"].unique().to_list() == ["远峰电子"]


def test_spans_and_evidence_point_at_the_cell(lexicon):
    facts = extract_table_facts(_notes(REPORT), lexicon)
    for row in facts.iter_rows(named=True):
        cell = REPORT[row["span_start"]: row["span_end"]]
        assert cell.replace(",", "").strip("()%").lstrip("-") != "", row
        assert cell == row["value_text"] or cell.strip() in row["value_text"], (cell, row["value_text"])
    rev = _fact(facts, "revenue", "FY2026")
    assert REPORT[rev["span_start"]: rev["span_end"]] == "5,027"
    assert rev["evidence"].startswith("盈利预测与估值（人民币） 营业收入（百万元） 2026E: 5,027") or \
        rev["evidence"].startswith("盈利预测与估值(人民币) 营业收入(百万元) 2026E: 5,027")


def test_key_value_box_is_dated_by_its_own_date(lexicon):
    facts = extract_table_facts(_notes(REPORT), lexicon)
    box = facts.filter(pl.col("rule_id") == "kv.box").sort("metric_code")
    got = {r["metric_code"]: (r["period_label"], r["value"], r["unit"]) for r in box.iter_rows(named=True)}
    assert got == {
        "share_price_close": ("2026-03-30", 42.18, "CNY"),
        "market_cap": ("2026-03-30", 12406750000.0, "CNY"),
        "total_shares": ("2026-03-30", 294000000.0, "shares"),
        "debt_to_asset_ratio": ("2026-03-30", 35.1, "%"),
        "book_value_per_share": ("2026-03-30", 11.52, "CNY"),
    }
    assert set(box["period_type"]) == {"instant"}
    mc = box.filter(pl.col("metric_code") == "market_cap").row(0, named=True)
    assert mc["decimals"] == -4 and REPORT[mc["span_start"]: mc["span_end"]] == "12,406.75"


def test_paired_key_value_line_uses_note_date_or_nothing(lexicon):
    text = "某服饰公司点评\n基础数据\n投资评级\t优于大市(维持)\n收盘价\t8.12元\n总市值/流通市值\t31250/30980百万元\n"
    facts = extract_table_facts(_notes(text, published=datetime(2025, 11, 5, 9, 30), company="某服饰"), lexicon)
    got = {r["metric_code"]: (r["period_label"], r["value"]) for r in facts.iter_rows(named=True)}
    assert got == {
        "share_price_close": ("2025-11-05", 8.12),
        "market_cap": ("2025-11-05", 31250000000.0),
        "float_market_cap": ("2025-11-05", 30980000000.0),
    }
    undated = extract_table_facts(_notes(text, published=None, company="某服饰"), lexicon)
    assert undated.is_empty()


def test_markdown_table_with_unit_line_in_hkd(lexicon):
    text = """港股研报摘要：星河云 2025 年业绩
单位：亿港元
| 指标 | 2024 | 2025 | 2026E |
| --- | --- | --- | --- |
| 总收入 | 88.40 | 101.25 | 118.00 |
| 同比 | 9.5% | 14.5% | 16.5% |
| 经调整净利润 | -3.10 | 2.05 | 6.80 |
| 经调整净利率(%) | -3.5 | 2.0 | 5.8 |
| 客户数（万家） | 12 | 15 | 18 |
"""
    facts = extract_table_facts(_notes(text, company="星河云", ticker="02718.HK"), lexicon)
    rev = _fact(facts, "revenue", "FY2025")
    assert (rev["value"], rev["unit"], rev["basis"], rev["decimals"]) == (10125000000.0, "HKD", "actual", -6)
    assert _fact(facts, "revenue", "FY2026", "yoy")["value"] == 16.5
    assert _fact(facts, "adjusted_net_profit", "FY2024")["value"] == -310000000.0
    assert _fact(facts, "adjusted_net_margin", "FY2026")["value"] == 5.8
    assert facts.height == 12  # 4 rows x 3 years; the customer count row has no code


def test_quarterly_markdown_table_with_change_columns(lexicon):
    text = """澜星云 3Q25 业绩速览
| 人民币百万元 | 3Q24 | 2Q25 | 3Q25 | 同比 | 环比 |
| --- | --- | --- | --- | --- | --- |
| 总收入 | 2,255 | 2,349 | 2,478 | 9.9% | 5.5% |
| 经调整净利润 | (120) | (30) | 12 | - | - |
| 毛利率 | 14.5% | 15.2% | 16.0% | 1.5ppt | 0.8ppt |
"""
    facts = extract_table_facts(_notes(text, company="澜星云", ticker="09911.HK"), lexicon)
    assert _fact(facts, "revenue", "2024Q3")["value"] == 2255e6
    assert _fact(facts, "revenue", "2025Q3", "yoy")["value"] == 9.9
    assert _fact(facts, "revenue", "2025Q3", "qoq")["value"] == 5.5
    assert _fact(facts, "adjusted_net_profit", "2025Q2")["value"] == -30e6
    assert _fact(facts, "gross_margin", "2025Q3")["value"] == 16.0
    assert set(facts["period_type"]) == {"Q"}
    assert _fact(facts, "gross_margin", "2025Q3", "yoy_pp")["value"] == 1.5  # the ppt changes are read (0.5.0)
    assert _fact(facts, "gross_margin", "2025Q3", "qoq_pp")["value"] == 0.8
    assert facts.height == 13  # 3 revenue + 2 changes, 3 profit, 3 margins + 2 point changes


def test_space_aligned_table_with_fy_headers(lexicon):
    text = """Financial summary
利润表（百万元）      FY2024A    FY2025E    FY2026E
营业收入                 1,204      1,530      1,862
营业成本                  (802)      (990)    (1,180)
归属于母公司净利润          -35         48        112
EPS (元)                  -0.12       0.16       0.37
ROE (%)                     -3.1        4.2        8.9

后文为正文。
"""
    facts = extract_table_facts(_notes(text, company="澜海软件", ticker="300999.SZ"), lexicon)
    assert _fact(facts, "revenue", "FY2024")["value"] == 1204e6
    assert _fact(facts, "revenue", "FY2025")["basis"] == "estimate"
    assert _fact(facts, "cost_of_revenue", "FY2026")["value"] == -1180e6
    assert _fact(facts, "net_profit_attributable", "FY2024")["value"] == -35e6
    assert _fact(facts, "eps", "FY2026")["value"] == 0.37
    assert _fact(facts, "roe", "FY2025")["value"] == 4.2
    assert facts.height == 15
    assert facts["evidence"].str.starts_with("利润表（百万元） ").all() or \
        facts["evidence"].str.starts_with("利润表(百万元) ").all()


def test_english_table_rmb_mn(lexicon):
    text = """Kestrel Cloud (KSC US) results review
Key financials (RMB mn)   FY2024A   FY2025E   FY2026E
Revenue                     7,215     8,640    10,120
YoY (%)                      12.0      19.8      17.1
Net income                   (410)      (95)       260
Gross margin (%)             18.2      20.5      22.0
"""
    facts = extract_table_facts(_notes(text, company="Kestrel Cloud", ticker="KSC"), lexicon)
    assert _fact(facts, "revenue", "FY2026")["value"] == 10120e6
    assert _fact(facts, "revenue", "FY2025", "yoy")["value"] == 19.8
    assert _fact(facts, "net_profit", "FY2024")["value"] == -410e6
    assert _fact(facts, "gross_margin", "FY2025")["value"] == 20.5


def test_extra_cagr_column_and_text_lines_inside_a_table(lexicon):
    text = """盈利预测（单位：亿元）
\t2024\t2025E\t2026E\tCAGR
营业收入\t10.0\t12.0\t14.4\t20%
毛利\t3.1\t3.9\t4.8\t24%
注：公司 2026 年收入目标 15 亿元 20 30
"""
    facts = extract_table_facts(_notes(text, company="澜海软件", ticker="300999.SZ"), lexicon)
    assert _fact(facts, "revenue", "FY2026")["value"] == 1440000000.0
    assert _fact(facts, "gross_profit", "FY2024")["value"] == 310000000.0
    assert facts.height == 6
    assert not (facts["value"] == 20).any() and not (facts["value"] == 30).any()


def test_summary_net_profit_equal_to_parent_share_is_relabelled(lexicon):
    text = """表1：盈利预测和财务指标
\t2023\t2024E\t2025E
营业收入(百万元)\t9,120\t9,860\t10,410
(+/-%)\t5.2%\t8.1%\t5.6%
净利润(百万元)\t820\t905\t960
(+/-%)\t3.3%\t10.4%\t6.1%

利润表（百万元）
\t2023\t2024E\t2025E
少数股东损益\t12\t15\t16
归属于母公司净利润\t820\t905\t960

资产负债表（百万元）
\t2023\t2024E\t2025E
少数股东权益\t40\t55\t71
股东权益\t6,210\t6,480\t6,790
"""
    facts = extract_table_facts(_notes(text, company="华庭服饰", ticker="603999.SH"), lexicon)
    assert facts.filter(pl.col("metric_code") == "net_profit").is_empty()
    assert _fact(facts, "net_profit_attributable", "FY2024", "yoy")["value"] == 10.4
    assert _fact(facts, "revenue", "FY2023", "yoy")["value"] == 5.2
    assert _fact(facts, "equity_attributable", "FY2025")["value"] == 6790e6
    assert facts.filter(pl.col("metric_code") == "total_equity").is_empty()


def test_prose_and_empty_input_give_nothing(lexicon):
    prose = "2025年中国智能算力规模达725EFLOPS，同比增长74%。公司GPU卡数量超过2万张。"
    assert extract_table_facts(_notes(prose), lexicon).is_empty()
    empty = extract_table_facts(_notes(prose).clear(), lexicon)
    assert empty.schema == pl.Schema(schemas.FACTS)


def test_space_aligned_filing_table_in_a_write_up_titled_by_the_report(lexicon):
    # the report is named only in the title; 本报告期 / 上年同期 resolve against it, the change column is yoy
    text = ("川屿电子(301388)2025年半年度报告摘要解读\n"
            "2025-08-26\n"
            "主要会计数据（单位：千元）\n"
            "项目                          本报告期        上年同期      本报告期比上年同期增减\n"
            "营业收入                      245,310.2      221,004.8       11.00%\n"
            "归属于上市公司股东的净利润      41,208.5       38,650.1        6.62%\n")
    facts = extract_table_facts(_notes(text, published=datetime(2025, 8, 26), company="川屿电子", ticker="301388"),
                                lexicon)
    assert _fact(facts, "revenue", "2025H1")["value"] == 245310200.0
    assert _fact(facts, "revenue", "2024H1")["value"] == 221004800.0
    assert _fact(facts, "revenue", "2025H1", "yoy")["value"] == 11.0
    assert _fact(facts, "net_profit_attributable", "2024H1")["value"] == 38650100.0
    assert _fact(facts, "net_profit_attributable", "2025H1", "yoy")["value"] == 6.62
    assert facts.height == 6


def test_change_columns_written_in_points_beside_ratio_rows(lexicon):
    text = ("单季度财务数据（单位：亿元）\n"
            "| 指标 | 2025Q3 | 2024Q3 | 同比 | 2025Q2 | 环比 |\n"
            "|---|---|---|---|---|---|\n"
            "| 营业收入 | 9.4 | 8.1 | 16.0% | 9.0 | 4.4% |\n"
            "| 毛利率 | 33.5% | 31.9% | +1.6pct | 34.1% | -0.6pct |\n"
            "| 净利率 | 10.2% | 9.1% | 1.1个百分点 | 9.8% | 0.4个百分点 |\n")
    facts = extract_table_facts(_notes(text, published=datetime(2025, 10, 28)), lexicon)
    assert _fact(facts, "gross_margin", "2025Q3", "yoy_pp")["value"] == 1.6
    assert _fact(facts, "gross_margin", "2025Q3", "qoq_pp")["value"] == -0.6
    assert _fact(facts, "net_margin", "2025Q3", "yoy_pp")["unit"] == "pp"
    assert _fact(facts, "net_margin", "2025Q3", "qoq_pp")["value"] == 0.4
    assert _fact(facts, "revenue", "2025Q3", "qoq")["value"] == 4.4


def test_half_year_headers_in_chinese_and_a_bare_change_column(lexicon):
    # "2025年上半年" columns in 人民币千元; "变动" beside the year-earlier column is yoy (points for a ratio row)
    text = ("| 人民币千元 | 2025年上半年 | 2024年上半年 | 变动 |\n"
            "|---|---|---|---|\n"
            "| 收入 | 863,120 | 790,004 | 9.3% |\n"
            "| 毛利率 | 41.7% | 40.2% | 1.5个百分点 |\n")
    facts = extract_table_facts(_notes(text, published=datetime(2025, 8, 27), company="汇川医疗", ticker="02615.HK"),
                                lexicon)
    assert _fact(facts, "revenue", "2025H1")["value"] == 863120000.0
    assert _fact(facts, "revenue", "2024H1")["value"] == 790004000.0
    assert _fact(facts, "revenue", "2025H1", "yoy")["value"] == 9.3
    assert _fact(facts, "gross_margin", "2025H1", "yoy_pp")["value"] == 1.5
    assert facts.height == 6


def test_bare_change_column_beside_the_quarter_before_is_qoq(lexicon):
    text = ("| 百万元 | 2025年第三季度 | 2025年第二季度 | 变动 |\n"
            "|---|---|---|---|\n"
            "| 营业收入 | 1,530 | 1,410 | 8.5% |\n")
    facts = extract_table_facts(_notes(text, published=datetime(2025, 10, 30)), lexicon)
    assert _fact(facts, "revenue", "2025Q3", "qoq")["value"] == 8.5
    assert _fact(facts, "revenue", "2025Q2")["value"] == 1410e6
    assert facts.height == 3
