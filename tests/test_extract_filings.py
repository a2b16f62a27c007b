"""Facts from company filings: the 主要会计数据 table of annual and quarterly reports, read from PDFs.

The generated filings (reportlab, STSong-Light) are invented companies and figures laid out the way
Shenzhen/Shanghai periodic reports are: a cover with 证券代码/证券简称, a 主要会计数据和财务指标 table
with a change column between the year columns (annual) or 本报告期/上年同期 columns (quarterly), and
a balance sheet with 期末余额/期初余额. The real reports in ../shared/corpus/pdf are checked when present.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from notestar import schemas
from notestar.extract import extract_facts
from notestar.ingest.pdf import pdf_to_text
from tests import pdf_fixtures as fx

REAL_PDFS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pdf"

LABEL_W = 190


def _filing_pdf(path: Path, cover: list[str], sections: list[tuple[str, list[str] | None, list[list[str]]]],
                size: float = 6.5, wide: bool = False) -> Path:
    """A cover page, then each (heading, header, rows) table under its heading on the next pages;
    `wide`: landscape pages for a table with many columns."""
    buf = io.BytesIO()
    c = fx.new_canvas(buf)
    page_w, page_h = (fx.PAGE_H, fx.PAGE_W) if wide else (fx.PAGE_W, fx.PAGE_H)
    c.setPageSize((page_w, page_h))
    f = fx.Flow(c, x=30, width=page_w - 60, top=page_h - 70, header=cover[1], footer="", decorate=not wide)
    for line in cover:
        f.text(line, size=16 if "报告" in line else 10, gap=10)
    f.new_page()
    for heading, header, rows in sections:
        for line in heading.split("\n"):  # a statement's heading, preparer, date and unit lines
            f.text(line, size=10)
        f.table(None, header, rows, size=size, label_w=LABEL_W)
    return fx.save(c, buf, path)


def _note(path: Path) -> pl.DataFrame:
    """The NOTES row the ingest step makes of a PDF."""
    text, meta = pdf_to_text(path)
    row = {"note_id": path.stem, "file_hash": "h", "source_file": path.name, "source_path": str(path),
           "note_index": 0, "title": meta["title"], "publisher": meta["publisher"],
           "published_at": meta["published_at"], "kind": meta["kind"], "language": "zh", "text": text.strip()}
    return pl.DataFrame([row], schema=schemas.NOTES)


def _facts(path: Path) -> pl.DataFrame:
    return extract_facts(_note(path)).facts


def _key(facts: pl.DataFrame, metrics: set[str] | None = None) -> set[tuple]:
    sel = facts.filter(pl.col("rule_id").str.starts_with("table"))
    if metrics:
        sel = sel.filter(pl.col("metric_code").is_in(sorted(metrics)))
    return {(r["metric_code"], r["measure"], r["period_label"], r["basis"], round(r["value"], 4), r["unit"])
            for r in sel.iter_rows(named=True)}


ANNUAL_COVER = ["证券代码：002999        证券简称：安和制药        公告编号：2020-015",
                "浙江安和制药股份有限公司", "2019年年度报告", "2020年03月"]
QUARTER_COVER = ["证券代码：601888        证券简称：远川汽车        公告编号：2025-041",
                 "远川汽车股份有限公司", "2025年第一季度报告"]
MAIN_METRICS = {"revenue", "net_profit_attributable", "net_profit_attributable_deducted", "operating_cash_flow",
                "eps", "roe", "total_assets", "equity_attributable"}


def test_annual_report_change_column_between_years(tmp_path):
    rows = [
        ["营业收入（元）", "1,862,304,518.26", "1,650,871,402.10", "12.81%", "1,402,556,913.48"],
        ["归属于上市公司股东的净利润（元）", "215,330,617.42", "240,118,205.77", "-10.32%", "198,604,117.35"],
        ["归属于上市公司股东的扣除非经常性损益的净利润（元）", "201,447,908.13", "229,870,551.02", "-12.36%",
         "190,114,286.51"],
        ["经营活动产生的现金流量净额（元）", "305,712,884.90", "268,401,372.66", "13.90%", "150,338,470.14"],
        ["基本每股收益（元/股）", "0.36", "0.40", "-10.00%", "0.33"],
        ["加权平均净资产收益率", "9.85%", "11.42%", "-1.57%", "10.20%"],
    ]
    balance = [
        ["总资产（元）", "3,540,118,216.77", "3,201,992,580.31", "10.56%", "2,880,417,311.09"],
        ["归属于上市公司股东的净资产（元）", "2,250,613,300.18", "2,101,004,992.45", "7.12%", "1,930,220,118.62"],
    ]
    path = _filing_pdf(tmp_path / "annual.pdf", ANNUAL_COVER, [
        ("六、主要会计数据和财务指标", ["", "2019年", "2018年", "本年比上年增减", "2017年"], rows),
        ("（续）", ["", "2019年末", "2018年末", "本年末比上年末增减", "2017年末"], balance),
    ])
    facts = _facts(path)
    assert set(facts["company_name"]) == {"安和制药"} and set(facts["company_ticker"]) == {"002999.SZ"}
    got = _key(facts)
    fy = [("FY2019", 1), ("FY2018", 2), ("FY2017", 4)]
    expected = set()
    for label, *cells in rows + balance:
        code = {"营业收入": "revenue", "归属于上市公司股东的净利润": "net_profit_attributable",
                "归属于上市公司股东的扣除非经常性损益的净利润": "net_profit_attributable_deducted",
                "经营活动产生的现金流量净额": "operating_cash_flow", "基本每股收益": "eps",
                "加权平均净资产收益率": "roe", "总资产": "total_assets",
                "归属于上市公司股东的净资产": "equity_attributable"}[label.split("（")[0]]
        unit = "%" if code == "roe" else "CNY"
        row = [label, *cells]
        for period, i in fy:
            expected.add((code, "level", period, "actual", round(float(row[i].strip("%").replace(",", "")), 4), unit))
        change = float(row[3].strip("%"))
        expected.add((code, "yoy_pp" if code == "roe" else "yoy", "FY2019", "actual", change,
                      "pp" if code == "roe" else "%"))
    assert got == expected
    rev = facts.filter((pl.col("metric_code") == "revenue") & (pl.col("period_label") == "FY2019")
                       & (pl.col("measure") == "level")).row(0, named=True)
    assert rev["value"] == 1862304518.26 and rev["decimals"] == 2
    assert rev["value_text"] == "1,862,304,518.26"


def test_annual_report_restated_two_level_header_keeps_adjusted_column(tmp_path):
    header = ["", "2019年", "2018年调整前", "2018年调整后", "本年比上年增减调整后", "2017年调整前", "2017年调整后"]
    rows = [
        ["营业收入（元）", "3,960,834.04", "3,668,329.29", "3,703,632.10", "6.94%", "3,371,378.65", "3,371,378.65"],
        ["归属于上市公司股东的净利润（元）", "99,295.15", "105,536.36", "114,440.72", "-13.23%", "184,527.89",
         "184,527.89"],
    ]
    path = _filing_pdf(tmp_path / "restated.pdf", ANNUAL_COVER,
                       [("六、主要会计数据和财务指标", header, rows)], wide=True)
    text, _ = pdf_to_text(path)
    assert "2018年调整后" in text
    assert _key(_facts(path)) == {
        ("revenue", "level", "FY2019", "actual", 3960834.04, "CNY"),
        ("revenue", "level", "FY2018", "actual", 3703632.10, "CNY"),
        ("revenue", "level", "FY2017", "actual", 3371378.65, "CNY"),
        ("revenue", "yoy", "FY2019", "actual", 6.94, "%"),
        ("net_profit_attributable", "level", "FY2019", "actual", 99295.15, "CNY"),
        ("net_profit_attributable", "level", "FY2018", "actual", 114440.72, "CNY"),
        ("net_profit_attributable", "level", "FY2017", "actual", 184527.89, "CNY"),
        ("net_profit_attributable", "yoy", "FY2019", "actual", -13.23, "%"),
    }


def test_quarterly_report_relative_columns_resolve_against_the_report_period(tmp_path):
    main = [
        ["营业收入（元）", "52,310,448,000.00", "41,944,397,000.00", "24.71%"],
        ["归属于上市公司股东的净利润（元）", "3,154,985,000.00", "2,568,793,000.00", "22.82%"],
        ["加权平均净资产收益率", "4.37%", "3.24%", "1.13%"],
        ["总资产（元）", "340,527,145,000.00", "303,355,855,000.00", "12.25%"],
    ]
    sheet = [["存货", "54,373,616,000.00", "46,036,237,000.00"],
             ["负债合计", "194,365,580,000.00", "184,667,646,000.00"]]
    path = _filing_pdf(tmp_path / "q1.pdf", QUARTER_COVER, [
        ("（一）主要会计数据和财务指标", ["", "本报告期", "上年同期", "本报告期比上年同期增减（%）"], main),
        ("1、合并资产负债表", ["项目", "期末余额", "期初余额"], sheet),
    ])
    text, meta = pdf_to_text(path)
    assert meta["report_period"] == "2025Q1"
    assert "报告期：2025年第一季度" in text.splitlines()[:8]
    assert "单位：元" not in text  # units come from the row labels here, the sheet's from its header
    facts = _facts(path)
    assert set(facts["company_ticker"]) == {"601888.SH"}
    assert _key(facts, {"revenue", "net_profit_attributable", "roe", "total_assets"}) == {
        ("revenue", "level", "2025Q1", "actual", 52310448000.0, "CNY"),
        ("revenue", "level", "2024Q1", "actual", 41944397000.0, "CNY"),
        ("revenue", "yoy", "2025Q1", "actual", 24.71, "%"),
        ("net_profit_attributable", "level", "2025Q1", "actual", 3154985000.0, "CNY"),
        ("net_profit_attributable", "level", "2024Q1", "actual", 2568793000.0, "CNY"),
        ("net_profit_attributable", "yoy", "2025Q1", "actual", 22.82, "%"),
        ("roe", "level", "2025Q1", "actual", 4.37, "%"),
        ("roe", "level", "2024Q1", "actual", 3.24, "%"),
        ("roe", "yoy_pp", "2025Q1", "actual", 1.13, "pp"),
        # a balance in the 本报告期 column is the quarter-end's; its change is against the year-end: no yoy
        ("total_assets", "level", "2025-03-31", "actual", 340527145000.0, "CNY"),
    }


def test_quarterly_balance_sheet_end_and_opening_balances(tmp_path):
    sheet = [["存货", "54,373,616,000.00", "46,036,237,000.00"],
             ["负债合计", "194,365,580,000.00", "184,667,646,000.00"]]
    heading = "1、合并资产负债表\n编制单位：远川汽车股份有限公司\n2025年03月31日\n单位：元"
    path = _filing_pdf(tmp_path / "q1bs.pdf", QUARTER_COVER, [(heading, ["项目", "期末余额", "期初余额"], sheet)])
    facts = _facts(path)
    got = {(r["metric_code"], r["period_label"], r["period_type"], r["value"])
           for r in facts.filter(pl.col("rule_id").str.starts_with("table")).iter_rows(named=True)}
    assert got == {
        ("inventory", "2025-03-31", "instant", 54373616000.0),
        # 期初余额 is not headed by a year: the balance at the previous fiscal year's end (rule 9)
        ("inventory", "2024-12-31", "instant", 46036237000.0),
        ("total_liabilities", "2025-03-31", "instant", 194365580000.0),
        ("total_liabilities", "2024-12-31", "instant", 184667646000.0),
    }


def test_relative_columns_without_a_report_period_give_nothing(tmp_path):
    from notestar.extract.tables import extract_table_facts
    from notestar.lexicon import load_lexicon

    text = ("某公司经营数据\n\n单位：元\n\t本报告期\t上年同期\t本报告期比上年同期增减（%）\n"
            "营业收入\t1,000.00\t800.00\t25.00%\n")
    notes = pl.DataFrame([{"note_id": "n", "source_file": "n.txt", "company_name": "某公司", "company_ticker": None,
                           "published_at": None, "text": text}])
    assert extract_table_facts(notes, load_lexicon()).height == 0
    dated = notes.with_columns(pl.lit("报告期：2024年半年度\n" + text).alias("text"))
    got = {(r["period_label"], r["measure"], r["value"])
           for r in extract_table_facts(dated, load_lexicon()).iter_rows(named=True)}
    assert got == {("2024H1", "level", 1000.0), ("2023H1", "level", 800.0), ("2024H1", "yoy", 25.0)}


def test_third_quarter_report_quarter_and_year_to_date_columns():
    from notestar.extract.tables import extract_table_facts
    from notestar.lexicon import load_lexicon

    text = ("某公司2024年第三季度报告\n\n报告期：2024年第三季度\n\n"
            "项目\t本报告期\t本报告期比上年同期增减\t年初至报告期末\t年初至报告期末比上年同期增减\n"
            "营业收入（元）\t300.00\t10.00%\t900.00\t-5.00%\n\n"
            "2、合并利润表\n\n单位：元\n\n项目\t本期发生额\t上期发生额\n营业收入\t900.00\t947.37\n")
    notes = pl.DataFrame([{"note_id": "n", "source_file": "n.txt", "company_name": "某公司", "company_ticker": None,
                           "published_at": None, "text": text}])
    got = {(r["period_label"], r["period_type"], r["measure"], r["value"])
           for r in extract_table_facts(notes, load_lexicon()).iter_rows(named=True)}
    assert got == {("2024Q3", "Q", "level", 300.0), ("2024Q3", "Q", "yoy", 10.0),
                   ("2024Q1-Q3", "9M", "level", 900.0), ("2024Q1-Q3", "9M", "yoy", -5.0),
                   ("2023Q1-Q3", "9M", "level", 947.37)}


def test_filing_row_whose_label_wrapped_onto_its_own_line():
    from notestar.extract.tables import extract_table_facts
    from notestar.lexicon import load_lexicon

    text = ("报告期：2019年度\n\n\t2019年末\t2018年末\t本年末比上年末增减\t2017年末\n"
            "总资产（元）\t900,000.00\t800,000.00\t12.50%\t700,000.00\n\n归属于上市公司股东的净资产\n\n"
            "600,000.00\t500,000.00\t20.00%\t400,000.00\n\n（元）\n\n七、其他\n")
    notes = pl.DataFrame([{"note_id": "n", "source_file": "n.txt", "company_name": "某公司", "company_ticker": None,
                           "published_at": None, "text": text}])
    facts = extract_table_facts(notes, load_lexicon())
    got = {(r["metric_code"], r["period_label"], r["measure"], r["value"])
           for r in facts.filter(pl.col("metric_code") == "equity_attributable").iter_rows(named=True)}
    assert got == {("equity_attributable", "FY2019", "level", 600000.0), ("equity_attributable", "FY2018", "level",
                   500000.0), ("equity_attributable", "FY2017", "level", 400000.0),
                   ("equity_attributable", "FY2019", "yoy", 20.0)}
    row = facts.filter((pl.col("metric_code") == "equity_attributable") & (pl.col("period_label") == "FY2019")
                       & (pl.col("measure") == "level")).row(0, named=True)
    assert text[row["span_start"]:row["span_end"]] == "600,000.00"


# ------------------------------------------------------------------------------- the real filings

@pytest.mark.skipif(not (REAL_PDFS / "annual_002099_2019.pdf").exists(), reason="../shared/corpus/pdf absent")
def test_real_annual_report_002099():
    facts = _facts(REAL_PDFS / "annual_002099_2019.pdf")
    assert set(facts["company_name"]) == {"海翔药业"} and set(facts["company_ticker"]) == {"002099.SZ"}
    got = _key(facts, MAIN_METRICS)
    assert ("revenue", "level", "FY2019", "actual", 2941412770.30, "CNY") in got
    assert ("revenue", "level", "FY2018", "actual", 2718608796.51, "CNY") in got
    assert ("revenue", "level", "FY2017", "actual", 2308922170.29, "CNY") in got
    assert ("revenue", "yoy", "FY2019", "actual", 8.20, "%") in got
    assert ("net_profit_attributable", "level", "FY2019", "actual", 770782185.09, "CNY") in got
    assert ("net_profit_attributable", "yoy", "FY2019", "actual", 27.40, "%") in got
    assert ("roe", "yoy_pp", "FY2019", "actual", 2.72, "pp") in got
    # its label wraps in the PDF cell: label line, figures line, "（元）" line
    assert ("equity_attributable", "level", "FY2019", "actual", 5724462095.55, "CNY") in got
    # one value per fact: the parent-only statements (母公司利润表) do not add a second eps
    main = facts.filter(pl.col("metric_code").is_in(sorted(MAIN_METRICS)))
    assert main.group_by("metric_code", "measure", "period_label").len()["len"].max() == 1


@pytest.mark.skipif(not (REAL_PDFS / "q1report_002594_byd_2025.pdf").exists(), reason="../shared/corpus/pdf absent")
def test_real_quarterly_report_byd():
    facts = _facts(REAL_PDFS / "q1report_002594_byd_2025.pdf")
    assert set(facts["company_name"]) == {"比亚迪"} and set(facts["company_ticker"]) == {"002594.SZ"}
    got = _key(facts, MAIN_METRICS)
    assert ("revenue", "level", "2025Q1", "actual", 170360448000.0, "CNY") in got
    assert ("revenue", "level", "2024Q1", "actual", 124944397000.0, "CNY") in got
    assert ("revenue", "yoy", "2025Q1", "actual", 36.35, "%") in got
    assert ("net_profit_attributable", "level", "2025Q1", "actual", 9154985000.0, "CNY") in got
    assert ("net_profit_attributable", "level", "2024Q1", "actual", 4568793000.0, "CNY") in got
    assert ("net_profit_attributable", "yoy", "2025Q1", "actual", 100.38, "%") in got
    assert ("total_assets", "level", "2025-03-31", "actual", 840527145000.0, "CNY") in got
    assert not any(k[0] == "total_assets" and k[2] == "2024Q1" for k in got)
