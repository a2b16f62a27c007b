"""Table and key-value layouts of held-out sets 7 and 8, on invented notes (companies and figures made up).

HK statements with Chinese-numeral column heads, a super-header naming the span (截至六月三十日止六个月),
unit and audit lines under the header, 以下人士应占 / 每股盈利（人民币分） sub-rows; label-less year headers
with a 变动 column; space-aligned 同比变动 columns; 分季度 tables dated by their title's year; statement
blocks under one 单位 line; segment tables whose segments have no code; peers' valuation tables; English
summaries in (RMB m); Key data lines with currency-written values; a filing's 变动原因 table.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
from note_frames import notes_frame, values

from notestar.extract import extract_facts
from notestar.extract.table_parse import arabic_dates, parse_unit, parse_year_header
from notestar.extract.tables import extract_table_facts


def _notes(*texts: str, published: datetime | None = datetime(2025, 9, 2), company: str = "澄湖服务",
           ticker: str | None = "02871.HK") -> pl.DataFrame:
    return notes_frame(texts, published=published, company=company, ticker=ticker, kind="txt")


def _facts(lexicon, text: str, **kw) -> pl.DataFrame:
    return extract_table_facts(_notes(text, **kw), lexicon)


def test_chinese_numeral_headers():
    assert arabic_dates("于二零二四年十二月三十一日") == "于2024年12月31日"
    assert arabic_dates("二〇二三年") == "2023年"
    assert parse_year_header("二零二五年").period_label == "FY2025"
    col = parse_year_header("於二零二五年九月三十日")
    assert (col.period_label, col.role) == ("2025-09-30", "end")


def test_cent_and_short_scale_units(lexicon):
    u = parse_unit("每股盈利(人民币分)", lexicon.units)
    assert (u.currency, u.fraction) == ("CNY", 0.01)
    u = parse_unit("Revenue (RMB m)", lexicon.units)
    assert (u.currency, u.scale) == ("CNY", 1e6)


HK_INTERIM = """澄湖服务(2871.HK)：截至二零二五年六月三十日止六个月之中期业绩公告

简明综合损益表
                                      截至六月三十日止六个月
                                    二零二五年          二零二四年
                                    人民币千元          人民币千元
                                   （未经审核）        （未经审核）
收入                                  946,210            903,574
毛利                                  201,377            214,006
经营溢利／（亏损）                     88,412            (31,270)
除所得税前溢利／（亏损）               91,030            (27,845)
期内溢利／（亏损）                     70,615            (40,112)
以下人士应占：
  本公司拥有人                         66,204            (37,958)
  非控股权益                            4,411             (2,154)
每股盈利／（亏损）（人民币分）
  －基本                                 6.62              (3.80)
  －摊薄                                 6.60              (3.80)

简明综合财务状况表
                                   于二零二五年          于二零二四年
                                   六月三十日          十二月三十一日
                                   人民币千元            人民币千元
                                  （未经审核）          （经审核）
现金及现金等价物                    1,204,880            1,318,442
资产总值                            3,027,515            2,966,031
权益总额                            1,410,362            1,352,907
"""


def test_hk_interim_statement(lexicon):
    f = _facts(lexicon, HK_INTERIM)
    assert values(f, "revenue") == {("2025H1", "actual"): 946210000.0, ("2024H1", "actual"): 903574000.0}
    assert values(f, "operating_profit")[("2024H1", "actual")] == -31270000.0
    assert values(f, "total_profit")[("2025H1", "actual")] == 91030000.0
    assert values(f, "net_profit")[("2024H1", "actual")] == -40112000.0
    assert values(f, "net_profit_attributable") == {("2025H1", "actual"): 66204000.0,
                                                     ("2024H1", "actual"): -37958000.0}
    assert values(f, "minority_interest_profit")[("2025H1", "actual")] == 4411000.0
    # basic EPS in cents; the diluted line is left out
    assert values(f, "eps") == {("2025H1", "actual"): 0.0662, ("2024H1", "actual"): -0.038}
    # an interim balance sheet: both columns are dates
    assert values(f, "cash_and_equivalents") == {("2025-06-30", "actual"): 1204880000.0,
                                                  ("2024-12-31", "actual"): 1318442000.0}
    assert values(f, "total_assets")[("2025-06-30", "actual")] == 3027515000.0
    assert values(f, "total_equity")[("2024-12-31", "actual")] == 1352907000.0
    assert f.filter(pl.col("metric_code") == "minority_interest").is_empty()


def test_traditional_statement_through_the_pipeline():
    text = HK_INTERIM.replace("简明综合损益表", "簡明綜合損益表").replace("经营溢利／（亏损）", "經營溢利／（虧損）") \
        .replace("人民币千元", "人民幣千元").replace("截至六月三十日止六个月\n", "截至六月三十日止六個月\n") \
        .replace("以下人士应占：", "以下人士應佔：").replace("本公司拥有人", "本公司擁有人")
    facts = extract_facts(_notes(text).drop("company_name", "company_ticker")).facts
    got = facts.filter(pl.col("rule_id").str.starts_with("table"))
    assert values(got, "operating_profit")[("2025H1", "actual")] == 88412000.0
    assert values(got, "net_profit_attributable")[("2024H1", "actual")] == -37958000.0


def test_year_header_without_label_and_change_column(lexicon):
    text = """泓源燃气(1432.HK)二零二四年业绩点评

主要财务数据（人民币百万元）
                            二零二四年    二零二三年    变动
收入                          8,352        7,911      +5.6%
股东应占溢利                    904          861      +5.0%
每股基本盈利（人民币分）        41.3         39.4      +4.8%
毛利率                        27.6%        26.9%      +0.7pct
"""
    f = _facts(lexicon, text)
    assert values(f, "revenue") == {("FY2024", "actual"): 8352000000.0, ("FY2023", "actual"): 7911000000.0}
    assert values(f, "revenue", "yoy") == {("FY2024", "actual"): 5.6}
    assert values(f, "eps") == {("FY2024", "actual"): 0.413, ("FY2023", "actual"): 0.394}
    assert values(f, "eps", "yoy") == {("FY2024", "actual"): 4.8}
    assert values(f, "gross_margin", "yoy_pp") == {("FY2024", "actual"): 0.7}


def test_space_aligned_change_column(lexicon):
    text = """沅江水务2025年报点评

核心财务数据
单位：百万元
项目                          2025年      2024年      同比变动
营业收入                       6,214       5,870      5.9%
归母净利润                       733         652      12.4%
毛利率                        31.05%      30.42%      +0.63pct
资料来源：公司年报
"""
    f = _facts(lexicon, text, company="沅江水务", ticker="600921.SH")
    assert values(f, "revenue") == {("FY2025", "actual"): 6214000000.0, ("FY2024", "actual"): 5870000000.0}
    assert values(f, "net_profit_attributable", "yoy") == {("FY2025", "actual"): 12.4}
    assert values(f, "gross_margin", "yoy_pp") == {("FY2025", "actual"): 0.63}


def test_quarter_columns_dated_by_the_title(lexicon):
    text = """禾丰牧业电话会纪要

附：2025年分季度主要财务数据
单位：千元
项目                            第一季度      第二季度      第三季度      第四季度
营业收入                        3,105,220     3,388,416     3,702,118     3,251,009
归属于上市公司股东的净利润        120,334       158,902       201,775       (46,310)
"""
    f = _facts(lexicon, text, company="禾丰牧业", ticker="002817.SZ")
    assert values(f, "revenue")[("2025Q2", "actual")] == 3388416000.0
    assert values(f, "net_profit_attributable")[("2025Q4", "actual")] == -46310000.0


PDF_REPORT = """盈利预测与估值
2024A 2025E 2026E 2027E
营业收入（百万元） 1,520 1,836 2,201 2,590
增长率（%） 12.1 20.8 19.9 17.7
资料来源：Wind

图表12：公司分业务盈利预测（百万元）
2024A 2025E 2026E 2027E
精密轴承 营业收入 902 1,068 1,262 1,470
同比（%） 10.3 18.4 18.2 16.5
毛利率（%） 33.2 33.8 34.1 34.5
密封件 营业收入 618 768 939 1,120
同比（%） 14.9 24.3 22.3 19.3
毛利率（%） 24.0 24.6 25.1 25.3
合计 营业收入 1,520 1,836 2,201 2,590
同比（%） 12.1 20.8 19.9 17.7
毛利率（%） 29.5 30.0 30.4 30.7
资料来源：Wind

图表15：可比公司估值
证券代码 证券简称 PE（倍）
2025E 2026E 2027E
603811.SH 泊川精工 35.1 28.4 23.0
300744.SZ 启衡股份 41.6 33.0 26.9
平均值 38.4 30.7 25.0
资料来源：Wind一致预期

财务报表预测（单位：百万元）

资产负债表
会计年度 2024A 2025E 2026E 2027E
资产总计 2,860 3,120 3,455 3,810

利润表
会计年度 2024A 2025E 2026E 2027E
营业成本 1,072 1,285 1,531 1,795
净利润 176 214 262 311

主要财务比率
会计年度 2024A 2025E 2026E 2027E
净利率（%） 11.6 11.7 11.9 12.0
资料来源：Wind
"""


def test_pdf_statement_blocks_segments_and_peers(lexicon):
    f = _facts(lexicon, PDF_REPORT, company="衡川传动", ticker="688555.SH")
    own = f.filter(pl.col("company_name") == "衡川传动")
    # statements printed one after another under one 单位 line, and a header below a sub-heading
    assert values(own, "cost_of_revenue")[("FY2024", "actual")] == 1072000000.0
    assert values(own, "net_profit")[("FY2027", "estimate")] == 311000000.0
    assert values(own, "net_margin")[("FY2025", "estimate")] == 11.7
    # segments with no code: only the 合计 rows are the company's
    assert values(own, "gross_margin") == {("FY2024", "actual"): 29.5, ("FY2025", "estimate"): 30.0,
                                            ("FY2026", "estimate"): 30.4, ("FY2027", "estimate"): 30.7}
    assert 902000000.0 not in values(own, "revenue").values()
    assert 10.3 not in values(own, "revenue", "yoy").values()
    # a named peer's P/E is the peer's; the average row is no company
    peer = f.filter(pl.col("company_name") == "泊川精工")
    assert set(peer["company_ticker"]) == {"603811.SH"}
    assert values(peer, "pe") == {("FY2025", "estimate"): 35.1, ("FY2026", "estimate"): 28.4,
                                   ("FY2027", "estimate"): 23.0}
    assert 38.4 not in f.filter(pl.col("metric_code") == "pe")["value"].to_list()


def test_english_summary_and_key_data(lexicon):
    text = """Hanlin Dental (3318.HK): 1H25 in line; Maintain Overweight
Key data
Price / market cap (8 Sep 2025): HK$8.40 / HK$3,150m
Target price: HK$10.20 (from HK$9.60)

Financial summary
Year to Dec              FY24A     FY25E     FY26E
Revenue (RMB m)          2,410     2,795     3,188
Adj. net profit (RMB m)    302       361       420
EPS (RMB)                 0.27      0.32      0.37
"""
    f = _facts(lexicon, text, company="Hanlin Dental", ticker="03318.HK", published=datetime(2025, 9, 9))
    assert values(f, "revenue") == {("FY2024", "actual"): 2410000000.0, ("FY2025", "estimate"): 2795000000.0,
                                     ("FY2026", "estimate"): 3188000000.0}
    assert values(f, "adjusted_net_profit")[("FY2024", "actual")] == 302000000.0
    assert values(f, "share_price_close") == {("2025-09-08", "actual"): 8.4}
    assert values(f, "market_cap") == {("2025-09-08", "actual"): 3150000000.0}
    assert set(f.filter(pl.col("metric_code") == "market_cap")["unit"]) == {"HKD"}
    assert f.filter(pl.col("metric_code") == "target_price").is_empty()


def test_filing_change_reason_table(lexicon):
    text = """证券代码：301266                证券简称：岱山新材
岱山新材料股份有限公司2025年第三季度报告

（三）主要会计数据、财务指标发生变动的情况、原因
项目名称\t变动比例(%)\t主要原因
销售费用_年初至报告期末\t31.07\t主要系市场推广投入增加所致
投资收益_本报告期\t-54.20\t主要系联营企业亏损所致
其他应收款\t-38.55\t主要系押金收回所致
"""
    f = _facts(lexicon, text, company="岱山新材", ticker="301266.SZ", published=datetime(2025, 10, 27))
    assert values(f, "selling_expense", "yoy") == {("2025Q1-Q3", "actual"): 31.07}
    assert values(f, "investment_income", "yoy") == {("2025Q3", "actual"): -54.2}
    assert f.height == 2


def test_english_hk_interim_statement(lexicon):
    text = """Qinglan Logistics (6129.HK) interim results

Condensed consolidated income statement
                               Six months ended 30 June
                                2025          2024
                             RMB'000       RMB'000
                           (unaudited)   (unaudited)
Revenue                        512,300       488,120
Profit/(loss) for the period    41,250        (8,930)
Attributable to:
  Owners of the Company         39,800        (8,410)
  Non-controlling interests      1,450          (520)
"""
    f = _facts(lexicon, text, company="Qinglan Logistics", ticker="06129.HK")
    assert values(f, "revenue") == {("2025H1", "actual"): 512300000.0, ("2024H1", "actual"): 488120000.0}
    assert values(f, "net_profit")[("2024H1", "actual")] == -8930000.0
    assert values(f, "net_profit_attributable")[("2025H1", "actual")] == 39800000.0
    assert values(f, "minority_interest_profit")[("2024H1", "actual")] == -520000.0


def test_words_before_a_metric_that_are_not_segments(lexicon):
    text = """洛川科技2025年报点评

盈利预测（百万元）
2024A 2025E 2026E
营业收入 1,200 1,410 1,650
其中 研发费用 96 118 140
毛利率（%） 41.2 41.8 42.3
"""
    f = _facts(lexicon, text, company="洛川科技", ticker="688901.SH")
    assert values(f, "rd_expense")[("FY2025", "estimate")] == 118000000.0
    assert values(f, "gross_margin")[("FY2026", "estimate")] == 42.3


def test_segment_lines_in_a_segment_table(lexicon):
    text = """云岫科技2025年中报点评

表3：分业务收入预测（百万元）
2024A 2025E 2026E
公有云
营业收入 3,210 3,820 4,460
同比（%） 18.0 19.0 16.8
毛利率（%） 12.5 14.0 15.2
工业软件
营业收入 860 990 1,130
毛利率（%） 55.1 56.0 56.4
边缘计算收入 240 310 395
毛利率（%） 21.0 23.5 25.0
合计
营业收入 4,310 5,120 5,985
毛利率（%） 22.3 23.2 24.0
资料来源：公司公告
"""
    f = _facts(lexicon, text, company="云岫科技", ticker="688930.SH")
    seg = f.filter(pl.col("segment_code") == "public_cloud")
    assert values(seg, "revenue")[("FY2025", "estimate")] == 3820000000.0
    assert values(seg, "revenue", "yoy")[("FY2026", "estimate")] == 16.8
    assert values(seg, "gross_margin")[("FY2024", "actual")] == 12.5
    own = f.filter(pl.col("segment_code") == "")
    # uncoded segments (工业软件, 边缘计算) give nothing; the 合计 rows are the company's
    assert values(own, "gross_margin") == {("FY2024", "actual"): 22.3, ("FY2025", "estimate"): 23.2,
                                            ("FY2026", "estimate"): 24.0}
    assert values(own, "revenue") == {("FY2024", "actual"): 4310000000.0, ("FY2025", "estimate"): 5120000000.0,
                                       ("FY2026", "estimate"): 5985000000.0}
