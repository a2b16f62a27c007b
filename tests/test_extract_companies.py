"""Company resolution: subjects from titles and tickers, learning, canonical tickers, digests, peers."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from notestar.extract import extract_facts, resolve_companies
from notestar.extract.companies import canonical_ticker
from notestar.lexicon import load_lexicon
from tests.test_extract_prose import make_notes


@pytest.mark.parametrize("code,expected", [
    ("03896.HK", "03896.HK"), ("3896.HK", "03896.HK"), ("03896", "03896.HK"), ("839493. BJ", "839493.BJ"),
    ("688158.SH", "688158.SH"), ("600519", "600519.SH"), ("300750", "300750.SZ"), ("873012", "873012.BJ"),
    ("KC", "KC"), ("NASDAQ: XPR", "XPR"), ("AAPL.O", "AAPL"), ("2025", None), ("GPU", None),
])
def test_canonical_ticker(code, expected):
    assert canonical_ticker(code) == expected


def subjects(*titles_bodies) -> list[tuple]:
    notes = make_notes(*[(t, b, dt.datetime(2025, 11, 1)) for t, b in titles_bodies])
    nwc, book = resolve_companies(notes, load_lexicon())
    return list(zip(nwc["company_name"], nwc["company_ticker"], strict=True))


def test_subject_from_ticker_mentions_and_titles():
    got = subjects(
        ("云帆数据(688321.SH)：三季度点评", "正文"),
        ("港股异动 | 星河智联(02177)绩后涨超5%", "正文"),
        ("研报速递｜某某证券：维持恒锐科技“买入”评级", "正文"),
        ("【某某证券】澜海智能3Q25：盈利拐点", "正文"),
        ("北辰芯片-W(688991.SH)：收入高增", "正文"),
        ("比亚迪：三季度销量创新高", "正文"),
        ("宇航云20251125", "纪要正文"),
    )
    assert got == [
        ("云帆数据", "688321.SH"), ("星河智联", "02177.HK"), ("恒锐科技", None), ("澜海智能", None),
        ("北辰芯片", "688991.SH"), ("比亚迪", None), ("宇航云", None),
    ]


def test_lexicon_alias_maps_to_short_name_and_learnt_companies_are_listed():
    notes = make_notes(("宁德时代(300750.SZ)：业绩点评", "2025年前三季度营收2830亿元。", dt.datetime(2025, 10, 30)),
                       ("云帆数据(688321.SH)：三季度点评", "3Q25营收5.2亿元。", dt.datetime(2025, 10, 30)))
    res = extract_facts(notes)
    comp = res.companies
    learnt = comp.filter(pl.col("source") == "learnt")
    assert "云帆数据" in learnt["company_name"].to_list()
    row = comp.filter(pl.col("company_name") == "云帆数据").row(0, named=True)
    assert row["tickers"] == ["688321.SH"]
    assert set(comp.filter(pl.col("source") == "lexicon")["company_name"]) >= {"宁德时代", "金山云"}


def test_multi_note_file_keeps_each_notes_subject_and_digest_lines():
    notes = make_notes(
        ("云帆数据(688321.SH)：三季度点评", "- 3Q25实现营收5.2亿元，同比增长12% [1]", dt.datetime(2025, 10, 30)),
        ("早盘晨报：算力公司三季报速览",
         "- 澜海智能2025年前三季度营收18.3亿元(同比+21%) [1]\n- 恒锐科技今年第三季度营收4.4亿元，同比下降3.1% [2]",
         dt.datetime(2025, 10, 31)),
    )
    f = extract_facts(notes).facts
    by_company = {(r["company_name"], r["measure"], r["period_label"]): r["value"] for r in f.iter_rows(named=True)}
    assert by_company[("云帆数据", "level", "2025Q3")] == 520000000.0
    assert by_company[("澜海智能", "level", "2025Q1-Q3")] == 1830000000.0
    assert by_company[("澜海智能", "yoy", "2025Q1-Q3")] == 21.0
    assert by_company[("恒锐科技", "yoy", "2025Q3")] == -3.1


def test_peer_named_in_a_sentence_is_not_the_subject():
    body = "- 3Q25实现营收5.2亿元 [1]\n- 可比公司宁德时代3Q25营收1041.9亿元 [2]"
    notes = make_notes(("云帆数据(688321.SH)：三季度点评", body, dt.datetime(2025, 10, 30)))
    f = extract_facts(notes).facts
    subject = f.filter(pl.col("company_name") == "云帆数据")
    assert subject["value"].to_list() == [520000000.0]
    assert 104190000000.0 not in f.filter(pl.col("company_name") == "云帆数据")["value"].to_list()


def test_hong_kong_results_note_product_lines_and_intraday_price():
    body = ("公司公布，截至2025年9月30日止三个月，收入86.4亿元人民币，按年增长21.5%。智能手机收入46亿元，按年下降3.1%。"
            "毛利率为22.9%。同期，宁德时代收入1041亿元。公司股价收跌2.1%，报45.6港元。")
    notes = make_notes(("北辰芯片-W(02199.HK)：三季度收入创新高", body, dt.datetime(2025, 11, 20)))
    got = {(r["company_name"], r["metric_code"], r["measure"], r["period_label"], r["value"])
           for r in extract_facts(notes).facts.iter_rows(named=True)}
    assert got == {
        ("北辰芯片", "revenue", "level", "2025Q3", 8640000000.0),
        ("北辰芯片", "revenue", "yoy", "2025Q3", 21.5),
        ("北辰芯片", "gross_margin", "level", "2025Q3", 22.9),
        ("宁德时代", "revenue", "level", "2025Q3", 104100000000.0),
    }
