"""Period spellings resolved against the note's date."""

from __future__ import annotations

import datetime as dt

import pytest

from notestar.extract.periods import default_period, resolve_period

NOTE = dt.date(2025, 5, 28)
AUG = dt.date(2025, 8, 25)


def labels(text: str, note: dt.date | None = NOTE) -> list[str]:
    return [p.label for p in resolve_period(text, note)]


@pytest.mark.parametrize("text,expected", [
    ("3Q25", ["2025Q3"]), ("25Q3", ["2025Q3"]), ("2025Q3", ["2025Q3"]), ("2025年第三季度", ["2025Q3"]),
    ("2025年三季度", ["2025Q3"]), ("2025年Q3", ["2025Q3"]), ("1H25", ["2025H1"]), ("2025H1", ["2025H1"]),
    ("2025年上半年", ["2025H1"]), ("2025年半年度", ["2025H1"]), ("2025年前三季度", ["2025Q1-Q3"]),
    ("2025年前三个季度", ["2025Q1-Q3"]), ("2025年1-9月", ["2025Q1-Q3"]), ("25Q1-Q3", ["2025Q1-Q3"]),
    ("FY2024", ["FY2024"]), ("FY24", ["FY2024"]), ("2024财年", ["FY2024"]), ("2024年", ["FY2024"]),
    ("2022全年", ["FY2022"]), ("2025E", ["FY2025"]),
    ("2025–2027年", ["FY2025", "FY2026", "FY2027"]), ("25-27年", ["FY2025", "FY2026", "FY2027"]),
    ("2025E-2027E", ["FY2025", "FY2026", "FY2027"]), ("2025/2026/2027年", ["FY2025", "FY2026", "FY2027"]),
    ("2025年至2027年", ["FY2025", "FY2026", "FY2027"]), ("2024年及2025年", ["FY2024", "FY2025"]),
])
def test_explicit_spellings(text, expected):
    assert labels(text) == expected


def test_relative_spellings_take_the_latest_period_ended_by_the_note():
    assert labels("第一季度") == ["2025Q1"]  # note of 2025-05-28
    assert labels("Q3") == ["2024Q3"]  # 2025Q3 had not ended on 2025-05-28
    assert labels("二季度", AUG) == ["2025Q2"]
    assert labels("上半年", AUG) == ["2025H1"]
    assert labels("前三季度", dt.date(2025, 11, 26)) == ["2025Q1-Q3"]
    assert labels("全年", AUG) == ["FY2025"]
    assert labels("全年", dt.date(2025, 2, 10)) == ["FY2024"]  # January-March: the year just closed
    assert labels("今年第一季度", AUG) == ["2025Q1"]
    assert labels("去年", AUG) == ["FY2024"]


def test_points_in_time():
    assert labels("截至6月末", AUG) == ["2025-06-30"]
    assert labels("截至9月末", dt.date(2025, 11, 20)) == ["2025-09-30"]
    assert labels("截至2024年12月31日") == ["2024-12-31"]
    assert labels("截至2023年末") == ["2023-12-31"]
    assert labels("三季度末", dt.date(2025, 11, 1)) == ["2025-09-30"]


def test_month_and_day_mentions_are_not_fact_periods():
    assert labels("2025年5月") == []
    assert labels("11月4日") == []


def test_estimate_marker_and_prior_year_shift():
    p = resolve_period("2026E", NOTE)[0]
    assert p.marked_estimate and p.ptype == "FY"
    assert resolve_period("3Q25", NOTE)[0].prior_year().label == "2024Q3"
    assert resolve_period("2025H1", NOTE)[0].prior_year().label == "2024H1"


def test_english_spellings():
    assert labels("third quarter of 2025") == ["2025Q3"]
    assert labels("Q2 2025") == ["2025Q2"]
    assert labels("first half of 2025") == ["2025H1"]
    assert labels("fiscal 2024") == ["FY2024"]


def test_default_period_from_title_or_body():
    assert default_period("【某证券】云帆数据3Q25：收入提速", dt.date(2025, 11, 21)).label == "2025Q3"
    assert default_period("某某：第一季度总收入19.7亿元", dt.date(2025, 5, 28)).label == "2025Q1"
    body = "二季度营收10亿元。二季度毛利率20%。2024年净利润1亿元。"
    assert default_period("某某：AI驱动增长", AUG, body).label == "2025Q2"
    assert default_period("某某：AI驱动增长", AUG, "2024年净利润1亿元") is None


def test_hong_kong_style_periods_ending_on_a_date():
    assert labels("截至2025年9月30日止三个月") == ["2025Q3"]
    assert labels("截至2025年6月30日止六个月") == ["2025H1"]
    assert labels("截至2025年9月30日止九个月") == ["2025Q1-Q3"]
    assert labels("截至2024年12月31日止年度") == ["FY2024"]


def test_day_balance_date_without_a_year_takes_the_latest_such_day():
    # 0.6.0: "截至9月30日" (no year) is a balance date; a day after the note's date is last year's
    assert labels("截至9月30日", dt.date(2025, 11, 2)) == ["2025-09-30"]
    assert labels("截止12月31日", dt.date(2025, 3, 15)) == ["2024-12-31"]
    assert labels("截至2月30日", dt.date(2025, 3, 15)) == []
    assert labels("9月30日", dt.date(2025, 11, 2)) == []  # without 截至 a day mention stays no period


def test_bare_q1_to_q3_spelling():
    assert labels("Q1-Q3", dt.date(2025, 10, 28)) == ["2025Q1-Q3"]
    assert labels("Q1–Q3", dt.date(2025, 8, 28)) == ["2024Q1-Q3"]
