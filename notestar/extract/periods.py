"""Period spellings and their resolution against the note's date.

`PERIOD_PATTERN` finds period expressions (3Q25, 25Q3, 2025Q3, 2025年第三季度, Q3, 上半年, 2025H1,
前三季度, 1-9月, 2025年, FY24, 2024财年, 2025E, 2025–2027年, 25-27年, 2025/2026/2027年, 截至6月末,
2025年6月30日 …). `resolve_period(text, note_date)` turns one into a list of `Period`s (a range gives
one per year). Relative spellings take the latest such period that has ended by the note's date
(第一季度 in a note of 2025-05-28 is 2025Q1); 全年/今年 is the note's fiscal year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"(?:20\d{2}|\d{2})"
_DASH = r"\s?[-–—~至到]\s?"

# Ordered: the first alternative that matches at a position wins, so specific forms come first.
_PARTS = [
    ("ending", r"(?:截至|截止)\s?20\d{2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s?止\s?(?:三|六|九|十二|3|6|9|12)\s?个月"
               r"|(?:截至|截止)\s?20\d{2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s?止\s?(?:年度|财政年度)"),
    ("date", r"(?:截至|截止|于)?\s?20\d{2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日(?:末)?"),
    ("date", r"20\d{2}-\d{1,2}-\d{1,2}|20\d{2}/\d{1,2}/\d{1,2}"),
    # "截至6月30日" with no year: a balance date in the latest such day up to the note's date
    ("dayend", r"(?:截至|截止)\s?\d{1,2}\s?月\s?\d{1,2}\s?日(?:末)?"),
    ("monthend", r"(?:截至|截止)?\s?(?:20\d{2}\s?年\s?)?\d{1,2}\s?月(?:末|底|份末)"),
    ("qend", r"(?:截至|截止)?\s?(?:20\d{2}\s?年\s?)?(?:第?[一二三四]季度|Q[1-4])末"),
    ("reportend", r"(?:截至|截止)?\s?报告期末"),
    ("yearend", r"(?:截至|截止)?\s?20\d{2}\s?年(?:末|底)"),
    ("month", r"20\d{2}\s?年\s?\d{1,2}\s?月(?:份)?|\d{1,2}月\d{1,2}日"),
    ("ninem", rf"{_Y}\s?年?\s?(?:前三(?:个)?季度|1-9月|1～9月|Q1-Q3|Q1–Q3)|{_Y}Q1-Q3|{_Y}Q1–Q3"
              r"|9M\s?(?:20)?\d{2}(?![0-9])|1-3Q\s?\d{2}(?![0-9])"),
    # "FY25-27E", "FY25E-FY27E": a forecast range (FY2024-25 without E is one split fiscal year: not read)
    ("yrange", rf"{_Y}\s?E?\s?年?{_DASH}{_Y}\s?E?\s?年|20\d{{2}}E?{_DASH}20\d{{2}}E?|{_Y}E{_DASH}{_Y}E"
               rf"|FY\s?{_Y}E?{_DASH}(?:FY\s?)?{_Y}E(?![0-9A-Za-z])"),
    # "FY25E/26E", "FY25/FY26E": an English forecast-year list
    ("ylist", rf"{_Y}E?(?:\s?[/、]\s?{_Y}E?)+\s?年|20\d{{2}}E(?:\s?[/、]\s?20\d{{2}}E)+"
              rf"|FY\s?{_Y}E?(?:/(?:FY)?{_Y}E?)+(?![0-9A-Za-z])"
              rf"|20\d{{2}}\s?年(?:\s?(?:及|和|与|、)\s?20\d{{2}}\s?年)+|20\d{{2}}(?:\s?(?:及|和|与)\s?20\d{{2}})+\s?年"),
    ("yq", rf"{_Y}\s?年\s?(?:第?[一二三四1-4]季度|Q[1-4])"),
    # "1Q-4Q", "Q2-Q4", "一至四季度" with no year: each quarter of the span (a bare "Q1-Q3" is nine months)
    ("qlist", r"[1-4]Q\s?[-–~]\s?[1-4]Q(?![0-9A-Za-z])|Q(?!1\s?[-–~]\s?Q3)[1-4]\s?[-–~]\s?Q[1-4](?![0-9])"
              r"|第?[一二三四]至第?[一二三四]季度"),
    ("yh", rf"{_Y}\s?年\s?(?:[上下]半年|半年度|中期|H[12])"),
    ("cq", r"(?:20\d{2}\s?Q[1-4]|\d{2}Q[1-4]|[1-4]Q\d{2}|20\d{2}\s?H[12]|\d{2}H[12]|[12]H\d{2})(?![0-9])"),
    # "FY2023EBITDA": the E starts EBITDA / EBIT, not an estimate mark
    ("fy", rf"FY\s?{_Y}(?:E(?!BIT))?(?![0-9])|{_Y}\s?财年|20\d{{2}}\s?(?:年度|年全年|全年|年)|20\d{{2}}E(?![0-9]|BIT)"
           r"|20\d{2}(?=EBIT)"),
    ("rel", r"Q1\s?[-–]\s?Q3"  # a bare "Q1-Q3" is the first nine months, not Q1 then Q3
            r"|今年(?:第?[一二三四]季度|Q[1-4]|[上下]半年|前三(?:个)?季度)?|去年全年|上年全年|去年(?!同期|末|底)"
            r"|上年(?!同期|末|底|度末)|全年|本年|年内|明年(?:全年)?|下一?个?季度|第[一二三四]季度|[一二三四]季度|Q[1-4]|[上下]半年"
            r"|H[12](?![0-9])"
            r"|前三(?:个)?季度|1-9月|1-6月"),
]
PERIOD_PATTERN = "|".join(f"(?:{p})" for _, p in _PARTS)
# a whole token is matched without the context look-ahead ("2024" of "2024EBITDA")
_COMPILED = [(kind, re.compile(rf"^(?:{p.replace('(?=EBIT)', '')})$")) for kind, p in _PARTS]


@dataclass(frozen=True)
class Period:
    label: str  # FY2025 | 2025H1 | 2025Q3 | 2025Q1-Q3 | YYYY-MM-DD
    ptype: str  # FY | H | Q | 9M | instant
    end: dt.date
    marked_estimate: bool = False  # written with E (2025E)
    kind: str = ""  # the spelling family that produced it

    def prior_year(self) -> Period:
        y = self.end.year - 1
        label = self.label
        if self.ptype == "FY":
            label = f"FY{y}"
        elif self.ptype in ("H", "Q", "9M"):
            label = str(y) + self.label[4:]
        else:
            label = _safe_date(y, self.end.month, self.end.day).isoformat()
        return Period(label, self.ptype, _safe_date(y, self.end.month, self.end.day), False, self.kind)


    def in_year(self, y: int) -> Period:
        """The same span in year y ("2024年同期" of a 2025Q1-Q3 figure is 2024Q1-Q3)."""
        p = self
        while p.end.year > y:
            p = p.prior_year()
        return p

    def prior_quarter(self) -> Period | None:
        """The period a 环比 (sequential) change compares with: the quarter (half) before; None for others."""
        y = self.end.year
        if self.ptype == "Q":
            q = self.end.month // 3
            return quarter(y, q - 1) if q > 1 else quarter(y - 1, 4)
        if self.ptype == "H":
            return half(y - 1, 2) if self.end.month == 6 else half(y, 1)
        return None


def _safe_date(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, min(d, calendar.monthrange(y, m)[1]))


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def fy(y: int, est: bool = False) -> Period:
    return Period(f"FY{y}", "FY", dt.date(y, 12, 31), est, "fy")


def quarter(y: int, q: int) -> Period:
    m = 3 * q
    return Period(f"{y}Q{q}", "Q", _safe_date(y, m, 31), False, "q")


def half(y: int, h: int) -> Period:
    return Period(f"{y}H{h}", "H", dt.date(y, 6, 30) if h == 1 else dt.date(y, 12, 31), False, "h")


def nine_months(y: int) -> Period:
    return Period(f"{y}Q1-Q3", "9M", dt.date(y, 9, 30), False, "9m")


def instant(d: dt.date, kind: str = "instant") -> Period:
    return Period(d.isoformat(), "instant", d, False, kind)


def _latest_year(month_end: int, day_end: int, note: dt.date) -> int:
    """Year of the latest period ending at month_end/day_end on or before the note date."""
    return note.year if dt.date(note.year, month_end, day_end) <= note else note.year - 1


def note_fiscal_year(note: dt.date) -> int:
    # in January-March a note still talks about the year just closed
    return note.year if note.month > 3 else note.year - 1


_NOTE_KINDS = {"monthend", "dayend", "qend", "rel", "qlist"}  # the only spellings whose resolution reads the note date


def resolve_period(text: str, note: dt.date | None) -> list[Period]:
    # a pure function of the spelling (and, for relative spellings only, the note date), repeated a lot
    # in a batch: memoised on (text, note date if the spelling needs it)
    kind = _kind(text)
    relative = kind in _NOTE_KINDS or (kind == "en" and not any(c.isdigit() for c in text))  # "next year"
    return list(_resolve_cached(text, kind, note if relative else None))


def clear_period_cache() -> None:
    """Forget memoised resolutions (benchmarks time a cold start)."""
    _kind.cache_clear()
    _resolve_cached.cache_clear()


@functools.lru_cache(maxsize=65536)
def _kind(text: str) -> str | None:
    from notestar.extract.english import _EN_RX

    if _EN_RX.match(text.strip()):
        return "en"
    t = re.sub(r"\s", "", text)
    return next((k for k, rx in _COMPILED if rx.match(text) or rx.match(t)), None)


@functools.lru_cache(maxsize=65536)
def _resolve_cached(text: str, kind: str | None, note: dt.date | None) -> tuple[Period, ...]:
    return tuple(_resolve(text, kind, note))


def _resolve(text: str, kind: str | None, note: dt.date | None) -> list[Period]:
    if kind == "en":
        from notestar.extract.english import resolve_en_period

        return resolve_en_period(text, note) or []
    t = re.sub(r"\s", "", text)
    years = [_year(y) for y in re.findall(r"20\d{2}|(?<![0-9])\d{2}(?![0-9])", t)]
    est = "E" in t
    if kind == "ending":
        # HK style "截至2025年9月30日止三个月": the period that ends on that date
        m = re.match(r"(?:截至|截止)(20\d{2})年(\d{1,2})月(\d{1,2})日止(.*)", t)
        y, mo = int(m[1]), int(m[2])
        span = m[4]
        months = {"三": 3, "3": 3, "六": 6, "6": 6, "九": 9, "9": 9, "十二": 12, "12": 12}
        n = next((v for k, v in months.items() if span.startswith(k)), 12)
        if "年度" in span or n == 12:
            return [fy(y)] if mo == 12 else []
        if n == 3 and mo in (3, 6, 9, 12):
            return [quarter(y, mo // 3)]
        if n == 6 and mo == 6:
            return [half(y, 1)]
        if n == 6 and mo == 12:
            return [half(y, 2)]
        if n == 9 and mo == 9:
            return [nine_months(y)]
        return []
    if kind in ("date", "month"):
        m = re.match(r"(?:截至|截止|于)?(20\d{2})[年\-/](\d{1,2})[月\-/](\d{1,2})", t)
        if kind == "date" and m:
            d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
            # "于2024年12月31日，集团总借款…": 于 before a quarter-end date is a balance date, like 截至
            quarter_end = d.month % 3 == 0 and d == _safe_date(d.year, d.month, 31)
            return [instant(d, "asof" if "截" in t or (t.startswith("于") and quarter_end) else "date")]
        return []  # a month or a day mention: never a fact period
    if kind == "dayend":
        md = re.search(r"(\d{1,2})月(\d{1,2})日", t)
        mm, dd = int(md[1]), int(md[2])
        if not note or not 1 <= mm <= 12 or not 1 <= dd <= calendar.monthrange(2001, mm)[1]:
            return []
        return [instant(_safe_date(_latest_year(mm, dd, note), mm, dd), "asof")]
    if kind == "monthend":
        mm = int(re.search(r"(\d{1,2})月", t)[1])
        y = re.search(r"(20\d{2})年", t)
        if y:
            year = int(y[1])
        elif note:
            year = _latest_year(mm, calendar.monthrange(2001, mm)[1], note)
        else:
            return []
        return [instant(_safe_date(year, mm, 31), "asof")]
    if kind == "qend":
        qm = re.search(r"Q([1-4])|([一二三四])季度", t)
        q = int(qm[1]) if qm[1] else _CN_DIGIT[qm[2]]
        y = re.search(r"(20\d{2})年", t)
        year = int(y[1]) if y else (_latest_year(3 * q, 28, note) if note else None)
        if year is None:
            return []
        return [instant(_safe_date(year, 3 * q, 31), "asof")]
    if kind == "yearend":
        return [instant(dt.date(years[0], 12, 31), "asof")]
    if kind == "reportend":
        return [Period("", "reportend", dt.date.min, False, "reportend")]
    if kind == "ninem":
        return [nine_months(years[0])] if years else []
    if kind in ("yrange",):
        if len(years) < 2 or not (0 < years[1] - years[0] <= 6):
            return []
        return [fy(y, est) for y in range(years[0], years[1] + 1)]
    if kind == "ylist":
        return [fy(y, est) for y in years] if len(years) >= 2 else []
    if kind == "qlist":
        ns = [int(x) if x.isdigit() else _CN_DIGIT[x] for x in re.findall(r"[1-4一二三四]", t)]
        if len(ns) != 2 or ns[0] >= ns[1] or note is None:
            return []
        y = _latest_year(3 * ns[1], 28 if ns[1] == 1 else 30, note)
        return [quarter(y, q) for q in range(ns[0], ns[1] + 1)]
    if kind == "yq":
        qm = re.search(r"Q([1-4])|第?([一二三四1-4])季度", t)
        q = int(qm[1]) if qm[1] else _CN_DIGIT[qm[2]]
        return [quarter(years[0], q)]
    if kind == "yh":
        h = 2 if ("下" in t or "H2" in t) else 1
        return [half(years[0], h)]
    if kind == "cq":
        m = re.fullmatch(r"(20\d{2}|\d{2})([QH])([1-4])", t)
        if m:
            y, qh, n = _year(m[1]), m[2], int(m[3])
        else:
            m = re.fullmatch(r"([1-4])([QH])(\d{2})", t)
            if not m:
                return []
            y, qh, n = _year(m[3]), m[2], int(m[1])
        if qh == "H" and n > 2:
            return []
        return [quarter(y, n) if qh == "Q" else half(y, n)]
    if kind == "fy":
        return [fy(years[0], est)] if years else []
    if kind == "rel":
        if note is None:
            return []
        if t.startswith("今年"):
            y = note.year
            rest = t[2:]
            if not rest:
                return [fy(y)]
            return _relative(rest, note, year=y)
        if t in ("去年全年", "上年全年", "去年", "上年"):
            return [fy(note_fiscal_year(note) - (0 if note.month <= 3 else 1))]
        if t in ("明年", "明年全年"):
            return [fy(note.year + 1)]  # against the note's date, like 今年 (rule 5)
        if t in ("全年", "本年", "年内"):
            return [fy(note_fiscal_year(note))]
        if t.startswith("下") and t.endswith("季度"):
            # "下季度", "下一季度": the quarter after the one reported, i.e. the one in progress at the note date
            return [quarter(note.year, (note.month - 1) // 3 + 1)]
        return _relative(t, note)
    return []


def _relative(t: str, note: dt.date, year: int | None = None) -> list[Period]:
    qm = re.fullmatch(r"第?([一二三四])季度|Q([1-4])", t)
    if qm:
        q = int(qm[2]) if qm[2] else _CN_DIGIT[qm[1]]
        y = year if year is not None else _latest_year(3 * q, 28 if q == 1 else 30, note)
        return [quarter(y, q)]
    if t in ("上半年", "H1", "1-6月"):
        return [half(year if year is not None else _latest_year(6, 30, note), 1)]
    if t in ("下半年", "H2"):
        # in January-March (annual results) the second half is the year just closed's, like 全年
        return [half(year if year is not None else note_fiscal_year(note), 2)]
    if t in ("前三季度", "前三个季度", "1-9月", "Q1-Q3", "Q1–Q3"):
        return [nine_months(year if year is not None else _latest_year(9, 30, note))]
    return []


# a one-character guard: most positions cannot start a period
_TITLE_RX = re.compile(rf"(?=[0-9截于今去上下全本第一二三四QHF前报年明])(?:{PERIOD_PATTERN})")


_EN_RESULTS_RX = re.compile(rf"(?<![A-Za-z0-9])((?:{PERIOD_PATTERN}))\s(?:annual\s|interim\s|quarterly\s)?results\b")


def default_period(title: str | None, note: dt.date | None, body: str | None = None) -> Period | None:
    """The results period a note covers: from its title (3Q25, Q3, 2025年第一季度 …), else the quarter or
    half-year the body names most often (a note on Q2 results that writes 二季度 in its bullets)."""
    title = title or ""
    found = _from_title(title, note)
    if found is not None or not body:
        return found
    head = body[:300]
    for m in _EN_RESULTS_RX.finditer(head) if "results" in head else ():  # the scan is costly: gate on its word
        # "FY25 results: solid year, cautious FY26" in the opening lines (a headline under the company line)
        ps = resolve_period(m.group(1), note)
        if len(ps) == 1 and (note is None or ps[0].end <= note):
            return ps[0]
    counts: dict[str, tuple[int, int, Period]] = {}
    for i, m in enumerate(_TITLE_RX.finditer(body[:4000])):
        ps = resolve_period(m.group(0), note)
        if len(ps) == 1 and ps[0].ptype in ("Q", "H", "9M") and (note is None or ps[0].end <= note):
            n, first, p = counts.get(ps[0].label, (0, i, ps[0]))
            counts[ps[0].label] = (n + 1, first, p)
    if not counts:
        # "某公司公布中期业绩，营业额…": the results the opening names
        report = _report_period(body[:300], note)
        return report if report is not None and (note is None or report.end <= note) else None
    best = sorted(counts.values(), key=lambda x: (-x[0], x[1]))
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # no clear subject period
    return best[0][2]


# a title that names the report it reviews ("2025年三季报点评", "2024年年报点评", "中报点评"): the period the
# report covers; an A-share 三季报 is cumulative (前三季度)
_REPORT_RX = re.compile(r"(?:(?P<y>20\d{2}|\d{2})\s?年)?\s?(?P<r>一季报|一季度报告|第一季度报告|中报|半年报"
                        r"|半年度报告|中期报告|三季报|三季度报告|第三季度报告|年报|年度报告|中期业绩|半年度业绩|年度业绩|全年业绩)(?!告)")
_REPORT_PERIOD = {
    **dict.fromkeys(("一季报", "一季度报告", "第一季度报告"), (3, "Q")),
    **dict.fromkeys(("中报", "半年报", "半年度报告", "中期报告", "中期业绩", "半年度业绩"), (6, "H")),
    **dict.fromkeys(("三季报", "三季度报告", "第三季度报告"), (9, "9M")),
    **dict.fromkeys(("年报", "年度报告", "年度业绩", "全年业绩"), (12, "FY")),
}


def _report_period(title: str, note: dt.date | None) -> Period | None:
    m = _REPORT_RX.search(title)
    if m is None:
        return None
    month, ptype = _REPORT_PERIOD[m["r"]]
    if m["y"]:
        y = _year(m["y"])
    elif note is not None:
        y = _latest_year(month, 30 if month in (6, 9) else 31, note)
    else:
        return None
    return {"Q": lambda: quarter(y, 1), "H": lambda: half(y, 1), "9M": lambda: nine_months(y),
            "FY": lambda: fy(y)}[ptype]()


def _from_title(title: str, note: dt.date | None) -> Period | None:
    report = _report_period(title, note)
    if report is not None and (note is None or report.end <= note):
        return report
    for m in _TITLE_RX.finditer(title):
        ps = resolve_period(m.group(0), note)
        if len(ps) == 1 and ps[0].ptype in ("Q", "H", "9M", "FY") and ps[0].kind != "fy":
            return ps[0]
        if len(ps) == 1 and ps[0].ptype == "FY" and note and ps[0].end < note:
            return ps[0]
    return None
