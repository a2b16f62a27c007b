"""Table and key-value layouts of held-out set 9, on invented notes (companies and figures made up).

Forecast-revision tables (调整前 / 调整后 / 变动 / 新增 beside forecast years), per-share rows in 港仙 / 仙 under a
百万港元 table, 按年变动 / 按季变动 growth rows, 净收益 as the top line, a header's key-data line split by " | "
("Price target: HK$… (from HK$…)", "Price (<date> close): HK$…"), and box-only labels read from the lexicon.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
from note_frames import notes_frame, values

from notestar.extract.keyvalue import note_kv_facts
from notestar.extract.metric_labels import MetricLabels
from notestar.extract.table_parse import IGNORED, parse_unit, parse_year_header
from notestar.extract.tables import extract_table_facts


def _notes(*texts: str, published: datetime | None = datetime(2026, 5, 12), company: str = "岚汐科技",
           ticker: str | None = "688912.SH") -> pl.DataFrame:
    return notes_frame(texts, published=published, company=company, ticker=ticker, kind="txt")


def _facts(lexicon, text: str, **kw) -> pl.DataFrame:
    return extract_table_facts(_notes(text, **kw), lexicon)


# -- forecast-revision tables ---------------------------------------------------------------------------

def test_revision_headers():
    prior = parse_year_header("2027E 调整前")
    assert (prior.period_label, prior.basis) == ("FY2027", "prior_estimate")
    assert parse_year_header("2027E 调整后").basis == "estimate"
    added = parse_year_header("2029E 新增")
    assert (added.period_label, added.basis) == ("FY2029", "estimate")
    assert parse_year_header("2027E(原预测)").basis == "prior_estimate"
    # a filing's unadjusted column beside its restatement is still skipped, a 新增 actual is no header
    assert parse_year_header("2024年调整前") is IGNORED
    assert parse_year_header("2024新增") is None


REVISION_MD = """## 盈利预测

表3：盈利预测调整（单位：百万元）

| 指标 | 2026E 调整前 | 2026E 调整后 | 变动 | 2027E 调整前 | 2027E 调整后 | 变动 | 2028E 新增 |
|---|---:|---:|---:|---:|---:|---:|---:|
| 营业收入 | 4,310 | 4,502 | 4.5% | 5,020 | 5,388 | 7.3% | 6,145 |
| 归母净利润 | 512 | 540 | 5.5% | 601 | 655 | 9.0% | 770 |

资料来源：公司公告，某某证券研究所
"""


def test_revision_table_prior_and_new_estimates(lexicon):
    facts = _facts(lexicon, REVISION_MD)
    assert values(facts, "revenue") == {
        ("FY2026", "prior_estimate"): 4_310_000_000.0, ("FY2026", "estimate"): 4_502_000_000.0,
        ("FY2027", "prior_estimate"): 5_020_000_000.0, ("FY2027", "estimate"): 5_388_000_000.0,
        ("FY2028", "estimate"): 6_145_000_000.0,
    }
    assert values(facts, "net_profit_attributable")[("FY2027", "prior_estimate")] == 601_000_000.0
    assert values(facts, "net_profit_attributable")[("FY2028", "estimate")] == 770_000_000.0
    # the 变动 columns revise a forecast: no change on a year before
    assert facts.filter(pl.col("measure") != "level").is_empty()


def test_change_column_without_revision_still_read(lexicon):
    text = """表2：季度经营数据（单位：百万元）

| 指标 | 2025Q3 | 2026Q3 | 变动 |
|---|---:|---:|---:|
| 营业收入 | 1,200 | 1,380 | 15.0% |
"""
    facts = _facts(lexicon, text)
    assert values(facts, "revenue", "yoy") == {("2026Q3", "actual"): 15.0}


# -- HK tables: cents, 按年变动, 净收益 -----------------------------------------------------------------

HK_TABLE = """主要财务数据（百万港元）
                      2025A      2026E      2027E
净收益               12,840     13,905     15,120
  按年变动(%)           9.6        8.3        8.7
股东应占溢利          1,506      1,730      1,982
每股盈利(港仙)         18.4       21.1       24.2
资料来源：公司资料、某某国际预测
"""


def test_hk_table_cents_growth_and_net_revenue(lexicon):
    facts = _facts(lexicon, HK_TABLE, ticker="06128.HK")
    assert values(facts, "revenue")[("FY2026", "estimate")] == 13_905_000_000.0
    assert values(facts, "revenue", "yoy") == {("FY2025", "actual"): 9.6, ("FY2026", "estimate"): 8.3,
                                                 ("FY2027", "estimate"): 8.7}
    eps = facts.filter(pl.col("metric_code") == "eps")
    assert dict(zip(eps["period_label"], eps["value"], strict=True)) == {"FY2025": 0.184, "FY2026": 0.211,
                                                                          "FY2027": 0.242}
    assert set(eps["unit"]) == {"HKD"}


def test_cent_words_as_row_units(lexicon):
    u = parse_unit("每股盈利(港仙)", lexicon.units)
    assert (u.currency, u.fraction) == ("HKD", 0.01)
    bare = parse_unit("EPS(仙)", lexicon.units)
    assert (bare.currency, bare.fraction) == (None, 0.01)  # the table's currency fills it in
    assert parse_unit("每股收益(元)", lexicon.units).fraction is None


def test_quarter_growth_row_by_season(lexicon):
    text = """经营数据（百万港元）
                2026Q1     2026Q2
净收益           3,120      3,410
  按季变动(%)      4.2        9.3
"""
    facts = _facts(lexicon, text, ticker="06128.HK")
    assert values(facts, "revenue", "qoq") == {("2026Q1", "actual"): 4.2, ("2026Q2", "actual"): 9.3}


# -- a header's key-data line --------------------------------------------------------------------------

EN_STRIP = """Lanxi Technology (岚汐科技, 6128.HK)
1Q26 preview: margins hold up
Some Securities | Asia Equity Research | 11 May 2026

Rating: BUY (unchanged) | Target price: HK$41.50 (from HK$38.00) | Price (8 May 2026 close): HK$33.20

What happened
Revenue grew 11% YoY.
"""


def _kv(lexicon, text: str, published=datetime(2026, 5, 11)):
    note = _notes(text, published=published).row(0, named=True)
    return pl.DataFrame(note_kv_facts(note, MetricLabels(lexicon), lexicon.units, "t"))


def test_key_data_line_target_and_close(lexicon):
    kv = _kv(lexicon, EN_STRIP)
    got = {(r["metric_code"], r["period_label"], r["basis"]): r["value"] for r in kv.iter_rows(named=True)}
    assert got == {
        ("target_price", "2026-05-11", "estimate"): 41.5,
        ("target_price", "2026-05-11", "prior_estimate"): 38.0,
        ("share_price_close", "2026-05-08", "actual"): 33.2,
    }
    assert set(kv["unit"]) == {"HKD"}
    # spans point at the figures in the note
    for r in kv.iter_rows(named=True):
        assert EN_STRIP[r["span_start"]:r["span_end"]] in r["value_text"]


def test_key_data_line_dated_by_byline_when_note_has_no_date(lexicon):
    kv = _kv(lexicon, EN_STRIP, published=None)
    assert {(r["metric_code"], r["period_label"]) for r in kv.iter_rows(named=True)} == {
        ("target_price", "2026-05-11"), ("share_price_close", "2026-05-08")}


def test_not_a_key_data_line(lexicon):
    # one segment only, or prose with a pipe: nothing
    assert _kv(lexicon, "Header\nPrice target: HK$41.50 (from HK$38.00)\n").is_empty()
    assert _kv(lexicon, "We like the name | our TP of HK$41.50 implies upside\n").is_empty()
    # a segment whose label is no box label gives nothing
    assert _kv(lexicon, "Rating: BUY | Net cash: HK$2.1bn | 52w high: HK$40.10\n").is_empty()


def test_box_labels_from_lexicon(lexicon):
    assert lexicon.box_labels["Price"] == "share_price_close"
    labels = MetricLabels(lexicon)
    assert labels.lookup_box("Last price") == "share_price_close"
    assert labels.lookup("Last price") is None  # box-only: not a metric name of prose or tables
    assert labels.lookup_box("Market cap") == "market_cap"


def test_box_money_line_with_box_label(lexicon):
    text = """Key data
Share price (8 May 2026): HK$33.20
Market cap: HK$12,480m
"""
    kv = _kv(lexicon, text)
    got = {(r["metric_code"], r["period_label"]): r["value"] for r in kv.iter_rows(named=True)}
    assert got == {("share_price_close", "2026-05-08"): 33.2, ("market_cap", "2026-05-11"): 12_480_000_000.0}


ROW_REVISION = """表4：盈利预测调整（单位：亿元）

| 指标 | 2025A | 2026E | 2027E |
|---|---:|---:|---:|
| 营业收入（调整前） | 31.20 | 35.60 | 40.10 |
| 营业收入（调整后） | 31.20 | 34.85 | 38.70 |
| 变动率 | 0.0% | -2.1% | -3.5% |
| 归母净利润-原预测 | 4.05 | 4.62 | 5.30 |
| 归母净利润-新预测 | 4.05 | 4.41 | 4.96 |
"""


def test_row_revision_table(lexicon):
    facts = _facts(lexicon, ROW_REVISION)
    assert values(facts, "revenue") == {
        ("FY2025", "actual"): 3_120_000_000.0,
        ("FY2026", "prior_estimate"): 3_560_000_000.0, ("FY2027", "prior_estimate"): 4_010_000_000.0,
        ("FY2026", "estimate"): 3_485_000_000.0, ("FY2027", "estimate"): 3_870_000_000.0,
    }
    assert values(facts, "net_profit_attributable")[("FY2027", "prior_estimate")] == 530_000_000.0
    assert values(facts, "net_profit_attributable")[("FY2027", "estimate")] == 496_000_000.0
    assert facts.filter(pl.col("measure") != "level").is_empty()


def test_restated_row_beside_actual_columns_skipped(lexicon):
    text = """| 项目（百万元） | 2024 | 2025 |
|---|---:|---:|
| 营业收入（调整前） | 980 | 1,120 |
| 营业收入 | 1,005 | 1,150 |
"""
    facts = _facts(lexicon, text)
    assert values(facts, "revenue") == {("FY2024", "actual"): 1_005_000_000.0, ("FY2025", "actual"): 1_150_000_000.0}
