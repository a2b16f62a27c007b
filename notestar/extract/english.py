"""English grammar words and period spellings of the genre ("revenue of RMB3.14 billion, up 27.6%
year-over-year", "adjusted net loss narrowed to", "Q3 2025", "first half of 2025", "FY2025").

The prose reader is bilingual: these lists join the Chinese ones in `prose.py`, and `EN_PERIOD_PATTERN`
joins the period regex. Metric names come from the lexicon's `name_en` / `synonyms_en` columns.
"""

from __future__ import annotations

import datetime as dt
import re

from notestar.extract.periods import Period, fy, half, nine_months, quarter

EN_YOY = ["year-over-year", "year over year", "year-on-year", "year on year", "from a year earlier",
          "from a year ago", "compared with a year earlier", "y/y"]
EN_QOQ = ["quarter-over-quarter", "quarter over quarter", "quarter-on-quarter", "sequentially", "q/q"]
EN_UP = ["increased", "increase", "rose", "grew", "growth of", "growth", "up", "higher", "improved", "expanded"]
EN_DOWN = ["decreased", "decrease", "declined", "decline", "fell", "down", "lower", "dropped", "contracted",
           "contraction", "shrank", "compressed"]
EN_NARROW = ["narrowed", "narrowing"]
EN_WIDEN = ["widened", "widening"]
EN_LOSS = ["net loss", "loss"]
EN_FORECAST = ["expects", "expected", "expect", "forecast", "forecasts", "estimate", "estimates", "guidance",
               "projected", "we project", "guided", "guides", "guiding"]
EN_PRIOR = ["previous forecast", "prior forecast", "previously", "prior estimate"]
# a forecast revision: in "raise our forecast to A (from B)", B is the replaced forecast
EN_REVISE = ["raise", "raises", "raised", "raising", "lift", "lifts", "lifted", "lifting",
             "lower our", "lowered our", "lowering our", "lowers our", "cut",
             "cuts", "trim", "trims", "trimmed", "revise", "revised", "revises"]
EN_PRIOR_YEAR = ["a year earlier", "a year ago", "in the same period last year", "the same period last year"]

_MONTHS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_Q = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
EN_PERIOD_PATTERN = (
    rf"(?:the\s)?{_Q}\squarter(?:\sof)?\s20\d{{2}}"
    rf"|(?:the\s)?{_Q}\shalf(?:\sof)?\s20\d{{2}}"
    r"|first\snine\smonths(?:\sof)?\s20\d{2}"
    r"|Q[1-4]\s?(?:FY)?20\d{2}|Q[1-4]\s'?\d{2}(?![0-9])"
    r"|H[12]\s?20\d{2}"
    r"|(?:fiscal|full[- ]year)\s(?:year\s)?20\d{2}E?"
    r"|(?:for|in|of)\s20\d{2}E?(?![0-9%QHqh])"
    r"|(?:next|this)\s(?:fiscal\s|financial\s)?year(?![A-Za-z-])"
)
_EN_RX = re.compile(rf"^(?:{EN_PERIOD_PATTERN})$", re.IGNORECASE)


def resolve_en_period(text: str, note: dt.date | None) -> list[Period] | None:
    """Periods for an English spelling, or None when the text is not an English period."""
    t = text.strip()
    if not _EN_RX.match(t):
        return None
    low = t.lower()
    if low.startswith(("next", "this")):
        # "For next year, our target is…": against the note's date (rule 5), the calendar year after it
        return [fy(note.year + (1 if low.startswith("next") else 0))] if note else []
    year_m = re.search(r"20\d{2}", t)
    year = int(year_m[0]) if year_m else None
    if year is None:
        m2 = re.search(r"'?(\d{2})$", t)
        year = 2000 + int(m2[1]) if m2 else None
    if year is None:
        return []
    if "nine months" in low:
        return [nine_months(year)]
    m = re.search(rf"({_Q})\s(quarter|half)", low)
    if m:
        n = _MONTHS[m[1]]
        return [quarter(year, n)] if m[2] == "quarter" else ([half(year, n)] if n <= 2 else [])
    m = re.match(r"q([1-4])", low)
    if m:
        return [quarter(year, int(m[1]))]
    m = re.match(r"h([12])", low)
    if m:
        return [half(year, int(m[1]))]
    if "fiscal" in low or "year" in low or low.startswith(("for ", "in ", "of ")):
        return [fy(year, t.upper().endswith("E"))]
    return []
