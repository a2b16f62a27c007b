"""Ratings, actions, target prices and institutions, in notes written for these tests."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from notestar import schemas
from notestar.extract.ratings import extract_ratings


def _notes(*notes: dict) -> pl.DataFrame:
    rows = []
    for i, n in enumerate(notes):
        rows.append({
            "note_id": f"r{i}", "file_hash": "h", "source_file": f"r{i}.txt", "source_path": f"in/r{i}.txt",
            "note_index": 0, "title": n.get("title"), "publisher": n.get("publisher"),
            "published_at": n.get("published_at", datetime(2026, 4, 2, 8, 0)), "kind": "broker_report",
            "language": n.get("language", "zh"), "text": n["text"], "company_name": n.get("company", "远峰电子"),
            "company_ticker": n.get("ticker"),
        })
    return pl.DataFrame(rows, schema={**schemas.NOTES, "company_name": pl.String, "company_ticker": pl.String})


def _rows(df: pl.DataFrame) -> list[tuple]:
    return [(r["institution"], r["rating"], r["rating_zh"], r["action"], r["target_price"], r["currency"])
            for r in df.sort(["note_id", "target_price"], nulls_last=True).iter_rows(named=True)]


PDF_LIKE = """2026 年 04 月 02 日
## 远峰电子 (688321. SH)
—订单饱满，产能爬坡带动盈利修复
投资评级： 买入（首次）

- **盈利预测与评级：**我们预计公司 2026-2028 年归母净利润分别为 4.02/5.06/6.31 亿元，首次覆盖，给予“买入”评级。
资料来源：公司公告，启衡证券研究所预测

## 投资评级说明
买入：相对同期市场基准指数涨跌幅在20%以上；
增持：相对同期市场基准指数涨跌幅在5%~20%之间；
中性：相对同期市场基准指数涨跌幅在-5%~+5%之间；
卖出：相对同期市场基准指数涨跌幅低于-15%。
"""


def test_rating_in_the_report_not_in_its_rating_definitions(lexicon):
    out = extract_ratings(_notes({"text": PDF_LIKE}), lexicon)
    assert _rows(out) == [("启衡证券", "buy", "买入", "initiate", None, None)]
    row = out.row(0, named=True)
    assert row["rating_date"] == date(2026, 4, 2)
    assert PDF_LIKE[row["span_start"]: row["span_end"]] == "买入"
    assert row["rule_id"].startswith("rating.")


def test_definitions_alone_give_no_rating(lexicon):
    text = ("## 投资评级说明\n买入：相对同期市场基准指数涨跌幅在20%以上；\n"
            "增持：相对同期市场基准指数涨跌幅在5%~20%之间；\n")
    assert extract_ratings(_notes({"text": text}), lexicon).is_empty()
    defs_inline = "个股评级看发布后半年内相对基准指数的超额收益：超额收益高于20%为买入，5%到20%为增持。"
    assert extract_ratings(_notes({"text": defs_inline}), lexicon).is_empty()


def test_target_range_gives_two_rows_and_prior_target_is_ignored(lexicon):
    text = ("星河服饰：第三季度收入承压\n基于盈利预测下调，下调目标价至 12.5-13.0 元（前值为 14.2-15.0 元），"
            "对应 2026 年 15-16x PE，维持“优于大市”评级。")
    out = extract_ratings(_notes({"text": text, "company": "星河服饰"}), lexicon)
    assert _rows(out) == [(None, "outperform", "优于大市", "maintain", 12.5, "CNY"),
                          (None, "outperform", "优于大市", "maintain", 13.0, "CNY")]


def test_upgrade_with_hkd_target_and_broker_in_title(lexicon):
    text = ("【锐川国际】澜星科技 2025 年报点评：利润拐点已现\n锐川国际· 2026-03-28 08:12\n"
            "投资建议 - 评级由“中性”上调至“增持”，上调目标价 18%至 HK$10.03，现价 8.12 港元 [2]")
    out = extract_ratings(_notes({"text": text, "title": "【锐川国际】澜星科技 2025 年报点评：利润拐点已现",
                                  "publisher": None, "company": "澜星科技"}), lexicon)
    assert _rows(out) == [("锐川国际", "overweight", "增持", "upgrade", 10.03, "HKD")]


def test_media_publisher_and_broker_named_in_the_sentence(lexicon):
    text = ("远峰电子一季度净利润同比增长 31%\n格隆汇· 2026-04-30 19:20\n"
            "- 中信建投证券维持“增持”评级，目标价16.80美元，较现价13.20美元有27%上涨空间 [1][3]\n"
            "- 大股东拟增持公司股份不超过 1% [4]")
    out = extract_ratings(_notes({"text": text, "publisher": "格隆汇"}), lexicon)
    assert _rows(out) == [("中信建投证券", "overweight", "增持", "maintain", 16.8, "USD")]


def test_rating_table_card(lexicon):
    text = """远峰电子2025年报点评
| 编号 | 机构 | 研究员 | 评级调整 | 最新评级 | 报告名称 | 发布日期 |
| --- | --- | --- | --- | --- | --- | --- |
| 1 | 启衡证券 | 王某,李某 | 维持 | 推荐 | 远峰电子年报点评：产能爬坡 | 2026-04-01 |
"""
    out = extract_ratings(_notes({"text": text, "publisher": None}), lexicon)
    assert _rows(out) == [("启衡证券", "recommend", "推荐", "maintain", None, None)]


def test_english_note(lexicon):
    text = ("Kestrel Cloud (KSC US): Q4 beat; margins turning\n"
            "We reiterate our Buy rating and raise our target price to US$23.40 from US$19.80. "
            "Investors who buy the stock today get exposure to AI inference demand.")
    out = extract_ratings(_notes({"text": text, "publisher": "Haitong International", "language": "en",
                                  "company": "Kestrel Cloud"}), lexicon)
    # the publisher is a broker listed in lexicon/institutions.csv: its canonical name is kept
    assert _rows(out) == [("海通国际", "buy", None, "maintain", 23.4, "USD")]
    other = extract_ratings(_notes({"text": text, "publisher": "Ridgeway Securities", "language": "en"}), lexicon)
    assert other["institution"].to_list() == ["Ridgeway Securities"]


def test_no_rating_words_no_rows(lexicon):
    text = "远峰电子公告：控股股东计划增持公司股份，金额不低于 5000 万元。公司2025年营收41.18亿元。"
    assert extract_ratings(_notes({"text": text}), lexicon).is_empty()
    assert extract_ratings(_notes({"text": text}).clear(), lexicon).schema == pl.Schema(schemas.RATINGS)


def test_digest_gives_one_statement_per_company_line(lexicon):
    text = ("# 晨会纪要 2026年4月2日\n"
            "- **远峰电子(688321.SH)**：一季度营收4.1亿元。维持“买入”评级。[1]\n"
            "- **泓川食品(603902.SH)**：一季度营收2.2亿元。维持“增持”评级，目标价18.6元。[2]\n"
            "- **岭海航运(02689.HK)**：首次覆盖，给予“买入”评级，目标价7.4港元。[3]\n")
    out = extract_ratings(_notes({"text": text, "publisher": "华源证券", "ticker": "688321.SH"}), lexicon)
    got = sorted((r["company_name"], r["company_ticker"], r["rating"], r["action"], r["target_price"], r["currency"])
                 for r in out.iter_rows(named=True))
    assert got == [("岭海航运", "02689.HK", "buy", "initiate", 7.4, "HKD"),
                   ("泓川食品", "603902.SH", "overweight", "maintain", 18.6, "CNY"),
                   ("远峰电子", "688321.SH", "buy", "maintain", None, None)]
    assert set(out["institution"]) == {"华源证券"}


def test_one_company_note_with_a_peer_line_keeps_one_statement(lexicon):
    text = ("远峰电子(688321.SH)：一季度营收4.1亿元，维持“买入”评级，目标价30元。\n"
            "同业对比：泓川食品(603902.SH)一季度营收2.2亿元。\n")
    out = extract_ratings(_notes({"text": text, "publisher": "华源证券"}), lexicon)
    assert [(r["company_name"], r["rating"], r["target_price"]) for r in out.iter_rows(named=True)] == [
        ("远峰电子", "buy", 30.0)]


def test_rating_word_alone_ending_an_english_line(lexicon):
    text = ("FLASH | Yuanfeng Electronics (688321.SH): 1Q26 beat\n"
            "- Target price US$16.00 (from US$14.50), implying 20x FY27E P/E. Buy.\n")
    out = extract_ratings(_notes({"text": text, "publisher": "Citi Research", "language": "en"}), lexicon)
    assert _rows(out) == [("花旗", "buy", None, "unknown", 16.0, "USD")]
    # a rating word ending a sentence that is not the word alone is no rating
    text = "Shares rose after management said the dividend policy would Hold.\n"
    assert extract_ratings(_notes({"text": text, "publisher": "Citi Research"}), lexicon).is_empty()


@pytest.mark.parametrize("publisher", ["启衡证券电子团队", "启衡证券研究团队", "启衡证券食品饮料研究小组"])
def test_publisher_with_a_sector_team_tail_is_the_broker(lexicon, publisher):
    text = f"云杉材料 2025年报点评：盈利修复\n{publisher}· 2026-04-02 21:10\n我们维持“买入”评级。"
    out = extract_ratings(_notes({"text": text, "publisher": publisher, "company": "云杉材料"}), lexicon)
    assert [r[0] for r in _rows(out)] == ["启衡证券"]
