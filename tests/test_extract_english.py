"""English notes of the genre: revenue, profits, margins, growth, target price."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from notestar import schemas
from notestar.extract import extract_facts


def english_note(title: str, body: str, date: dt.datetime, source_file: str = "en.txt") -> pl.DataFrame:
    text = f"{title}\n{body}"
    return schemas.conform(pl.DataFrame([{
        "note_id": hashlib.sha256(text.encode()).hexdigest(), "file_hash": "h", "source_file": source_file,
        "source_path": source_file, "note_index": 0, "title": title, "publisher": "Example Securities",
        "published_at": date, "kind": "broker_report", "language": "en", "text": text,
    }]), schemas.NOTES)


def keyset(df: pl.DataFrame) -> set[tuple]:
    return {(r["company_name"], r["metric_code"], r["measure"], r["period_label"], r["basis"], r["value"], r["unit"])
            for r in df.iter_rows(named=True)}


def test_results_note_with_growth_losses_margins_and_target():
    notes = english_note(
        "Kingsoft Cloud (KC): AI demand lifts third-quarter results",
        "Kingsoft Cloud reported third quarter of 2025 revenue of RMB2.48 billion, up 31.4% year-over-year and "
        "5.5% quarter-over-quarter. Adjusted net loss narrowed to RMB29 million. Gross margin was 15.4%, down 0.7 "
        "percentage points year-over-year. We maintain Buy with a target price of HK$10.03.",
        dt.datetime(2025, 11, 20))
    got = keyset(extract_facts(notes).facts)
    assert ("金山云", "revenue", "level", "2025Q3", "actual", 2480000000.0, "CNY") in got
    assert ("金山云", "revenue", "yoy", "2025Q3", "actual", 31.4, "%") in got
    assert ("金山云", "revenue", "qoq", "2025Q3", "actual", 5.5, "%") in got
    assert ("金山云", "adjusted_net_profit", "level", "2025Q3", "actual", -29000000.0, "CNY") in got
    assert ("金山云", "gross_margin", "level", "2025Q3", "actual", 15.4, "%") in got
    assert ("金山云", "gross_margin", "yoy_pp", "2025Q3", "actual", -0.7, "pp") in got
    assert ("金山云", "target_price", "level", "2025-11-20", "estimate", 10.03, "HKD") in got


def test_unknown_us_listed_company_is_learnt_with_its_ticker():
    notes = english_note(
        "Orbital Robotics (ORBR) Q2 2025 review",
        "Orbital Robotics posted Q2 2025 revenue of US$412 million, up 18.2% year-over-year. "
        "Net loss was US$35 million. Adjusted EBITDA margin reached 9.5%. Price target US$58.",
        dt.datetime(2025, 8, 12))
    res = extract_facts(notes)
    f = res.facts
    assert set(f["company_name"]) == {"Orbital Robotics"} and set(f["company_ticker"]) == {"ORBR"}
    got = keyset(f)
    assert ("Orbital Robotics", "revenue", "level", "2025Q2", "actual", 412000000.0, "USD") in got
    assert ("Orbital Robotics", "revenue", "yoy", "2025Q2", "actual", 18.2, "%") in got
    assert ("Orbital Robotics", "net_profit", "level", "2025Q2", "actual", -35000000.0, "USD") in got
    assert ("Orbital Robotics", "adjusted_ebitda_margin", "level", "2025Q2", "actual", 9.5, "%") in got
    assert ("Orbital Robotics", "target_price", "level", "2025-08-12", "estimate", 58.0, "USD") in got
    assert "Orbital Robotics" in res.companies["company_name"].to_list()


def test_change_after_figure_prior_year_comparison_and_from_base():
    notes = english_note(
        "Nimbus Data (NMBD) 2Q25 results",
        "In the second quarter of 2025, total revenues rose 12.5% YoY to RMB1.2bn. Net loss was RMB85 million, "
        "compared with a net loss of RMB140 million a year earlier. Gross margin improved to 21.3% from 18.9%. "
        "We expect FY2025 revenue of RMB5.1 billion.",
        dt.datetime(2025, 8, 20))
    got = keyset(extract_facts(notes).facts)
    assert got == {
        ("Nimbus Data", "revenue", "yoy", "2025Q2", "actual", 12.5, "%"),
        ("Nimbus Data", "revenue", "level", "2025Q2", "actual", 1200000000.0, "CNY"),
        ("Nimbus Data", "net_profit", "level", "2025Q2", "actual", -85000000.0, "CNY"),
        ("Nimbus Data", "net_profit", "level", "2024Q2", "actual", -140000000.0, "CNY"),
        ("Nimbus Data", "gross_margin", "level", "2025Q2", "actual", 21.3, "%"),  # undated base 18.9% left out
        ("Nimbus Data", "revenue", "level", "FY2025", "estimate", 5100000000.0, "CNY"),
    }


def test_period_written_after_the_figures_and_bare_year():
    notes = english_note(
        "Nimbus Data (NMBD) results review",
        "Revenue grew 25% YoY to RMB3.2bn in 3Q25, while gross margin expanded 1.5 percentage points YoY to 30.1%. "
        "For 2026, we forecast revenue of RMB12.5bn.",
        dt.datetime(2025, 11, 12))
    got = keyset(extract_facts(notes).facts)
    assert got == {
        ("Nimbus Data", "revenue", "yoy", "2025Q3", "actual", 25.0, "%"),
        ("Nimbus Data", "revenue", "level", "2025Q3", "actual", 3200000000.0, "CNY"),
        ("Nimbus Data", "gross_margin", "yoy_pp", "2025Q3", "actual", 1.5, "pp"),
        ("Nimbus Data", "gross_margin", "level", "2025Q3", "actual", 30.1, "%"),
        ("Nimbus Data", "revenue", "level", "FY2026", "estimate", 12500000000.0, "CNY"),
    }


def test_guidance_range_forecast_revision_prior_year_loss_and_multiple():
    notes = english_note(
        "Veridian Bio (VRDN): 3Q25 beat; raise forecasts",
        "For 4Q25, management guided revenue of US$610-640 million.\n"
        "We raise our FY26E revenue forecast to US$2.62 billion (from US$2.48 billion).\n"
        "We cut FY27E revenue forecast to US$3.05 billion from US$3.20 billion previously.\n"
        "In 3Q25, adjusted net loss narrowed to US$42 million from US$77 million a year ago.\n"
        "Our price target is based on 4.5x FY26E P/S.",
        dt.datetime(2025, 11, 6))
    got = keyset(extract_facts(notes).facts)
    c = "Veridian Bio"
    assert got == {
        (c, "revenue", "level", "2025Q4", "estimate", 610000000.0, "USD"),
        (c, "revenue", "level", "2025Q4", "estimate", 640000000.0, "USD"),
        (c, "revenue", "level", "FY2026", "estimate", 2620000000.0, "USD"),
        (c, "revenue", "level", "FY2026", "prior_estimate", 2480000000.0, "USD"),
        (c, "revenue", "level", "FY2027", "estimate", 3050000000.0, "USD"),
        (c, "revenue", "level", "FY2027", "prior_estimate", 3200000000.0, "USD"),
        (c, "adjusted_net_profit", "level", "2025Q3", "actual", -42000000.0, "USD"),
        (c, "adjusted_net_profit", "level", "2024Q3", "actual", -77000000.0, "USD"),
        (c, "ps", "level", "FY2026", "estimate", 4.5, "x"),
    }


def test_gap_to_an_estimate_is_no_growth_figure():
    notes = english_note(
        "Veridian Bio (VRDN): 3Q25 beat",
        "Veridian Bio reported 3Q25 revenue of US$575 million, up 19.5% year-over-year and 4.1% "
        "quarter-over-quarter, 2.5% above consensus estimates.",
        dt.datetime(2025, 11, 6))
    got = keyset(extract_facts(notes).facts)
    assert got == {("Veridian Bio", "revenue", "level", "2025Q3", "actual", 575000000.0, "USD"),
                   ("Veridian Bio", "revenue", "yoy", "2025Q3", "actual", 19.5, "%"),
                   ("Veridian Bio", "revenue", "qoq", "2025Q3", "actual", 4.1, "%")}


def test_short_million_basis_points_and_lifted_forecasts():
    notes = english_note(
        "Harbourline Foods (1637.HK): 1H25 in line; Overweight",
        "Harbourline Foods reported 1H25 net profit attributable to shareholders of RMB356m, up 9.1% YoY. "
        "Gross margin contracted 120bp YoY to 28.4%. "
        "We lift our FY25E/FY26E EPS to RMB1.21/RMB1.40 (from RMB1.15/RMB1.33).",
        dt.datetime(2025, 8, 27))
    got = keyset(extract_facts(notes).facts)
    c = "Harbourline Foods"
    assert got == {
        (c, "net_profit_attributable", "level", "2025H1", "actual", 356000000.0, "CNY"),
        (c, "net_profit_attributable", "yoy", "2025H1", "actual", 9.1, "%"),
        (c, "gross_margin", "yoy_pp", "2025H1", "actual", -1.2, "pp"),
        (c, "gross_margin", "level", "2025H1", "actual", 28.4, "%"),
        (c, "eps", "level", "FY2025", "estimate", 1.21, "CNY"),
        (c, "eps", "level", "FY2026", "estimate", 1.4, "CNY"),
        (c, "eps", "level", "FY2025", "prior_estimate", 1.15, "CNY"),
        (c, "eps", "level", "FY2026", "prior_estimate", 1.33, "CNY"),
    }


def test_forecast_year_range_and_a_list_with_the_currency_written_once():
    notes = english_note(
        "Qingshan Auto Parts (2391.HK): trimming forecasts",
        "We cut our FY25-27E net profit forecasts by 4-7% to RMB0.9/1.1/1.3bn. "
        "NPAT in 2Q25 was RMB210m, down 2.5% QoQ.",
        dt.datetime(2025, 10, 16))
    got = keyset(extract_facts(notes).facts)
    c = "Qingshan Auto Parts"
    assert got == {
        (c, "net_profit", "level", "FY2025", "estimate", 900000000.0, "CNY"),
        (c, "net_profit", "level", "FY2026", "estimate", 1100000000.0, "CNY"),
        (c, "net_profit", "level", "FY2027", "estimate", 1300000000.0, "CNY"),
        (c, "net_profit", "level", "2025Q2", "actual", 210000000.0, "CNY"),
        (c, "net_profit", "qoq", "2025Q2", "actual", -2.5, "%"),
    }


def test_nine_month_spelling_and_a_period_right_after_the_starting_value():
    notes = english_note(
        "Larchmont Devices (LRCH): 9M25 update",
        "For 9M25, revenue reached US$860 million, up 17% YoY. "
        "Net loss narrowed to US$8.4m in 3Q25 from US$21.7m in 3Q24.",
        dt.datetime(2025, 11, 12))
    got = keyset(extract_facts(notes).facts)
    c = "Larchmont Devices"
    assert got == {
        (c, "revenue", "level", "2025Q1-Q3", "actual", 860000000.0, "USD"),
        (c, "revenue", "yoy", "2025Q1-Q3", "actual", 17.0, "%"),
        (c, "net_profit", "level", "2025Q3", "actual", -8400000.0, "USD"),
        (c, "net_profit", "level", "2024Q3", "actual", -21700000.0, "USD"),
    }


def test_margin_abbreviations_and_slash_pairs_of_metrics():
    notes = english_note(
        "Ridgeway Brewing (1976.HK): 1H25 results",
        "Revenue/net profit grew 9%/13% YoY to RMB2.6bn/RMB0.4bn in 1H25. GPM was 38.2% in 1H25, +0.9ppt YoY.",
        dt.datetime(2025, 8, 26))
    got = keyset(extract_facts(notes).facts)
    c = "Ridgeway Brewing"
    assert got == {
        (c, "revenue", "yoy", "2025H1", "actual", 9.0, "%"),
        (c, "net_profit", "yoy", "2025H1", "actual", 13.0, "%"),
        (c, "revenue", "level", "2025H1", "actual", 2600000000.0, "CNY"),
        (c, "net_profit", "level", "2025H1", "actual", 400000000.0, "CNY"),
        (c, "gross_margin", "level", "2025H1", "actual", 38.2, "%"),
        (c, "gross_margin", "yoy_pp", "2025H1", "actual", 0.9, "pp"),
    }


def test_word_wrapped_english_lines_are_read_as_one_sentence_and_eps_per_ads_is_not_eps():
    # 0.6.0: an e-mail wrapped at word boundaries; "EPS per ADS" is per depositary share, not `eps`
    body = ("Fenmore Robotics posted 3Q25 revenue of RMB812 million, up\n"
            "17.6% year-over-year, and adjusted net income of RMB96 million,\n"
            "compared with RMB71 million a year ago. Diluted EPS per ADS\n"
            "was RMB0.88.\n")
    notes = english_note("Fenmore Robotics (FNMR.US): 3Q25 review", body, dt.datetime(2025, 11, 14))
    f = extract_facts(notes).facts
    got = keyset(f)
    assert ("Fenmore Robotics", "revenue", "yoy", "2025Q3", "actual", 17.6, "%") in got
    assert ("Fenmore Robotics", "adjusted_net_profit", "level", "2024Q3", "actual", 71000000.0, "CNY") in got
    assert not [g for g in got if g[1] == "eps"]
    yoy = f.filter(pl.col("measure") == "yoy").row(0, named=True)
    assert notes["text"][0][yoy["span_start"]:yoy["span_end"]] == yoy["value_text"]


def test_margin_points_without_yoy_word_are_year_on_year():
    f = extract_facts(english_note("Brightfield Foods (BRFD.US): 2Q25", "In 2Q25, gross margin improved 1.4ppt to "
                                   "36.8%, while operating margin fell 0.6ppt.", dt.datetime(2025, 8, 12))).facts
    got = keyset(f)
    assert ("Brightfield Foods", "gross_margin", "yoy_pp", "2025Q2", "actual", 1.4, "pp") in got
    assert ("Brightfield Foods", "gross_margin", "level", "2025Q2", "actual", 36.8, "%") in got
