"""Small parsers for statement tables and key-value boxes: cells, year headers, numbers, units.

Pure functions on strings; the frame-level work is in `tables.py` and `keyvalue.py`.
Unit words come from the lexicon's `units.yaml` (scales, currencies), never spelt here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from notestar.extract.sentences import CN_DIGITS, CN_ZEROS

TAG_RE = re.compile(r"</?b>|\*\*|</?strong>", re.IGNORECASE)
# Cells that mean "no value": skipped, never zero.
EMPTY_CELLS = {"", "-", "--", "---", "—", "——", "–", "na", "n/a", "n.a.", "nm", "n.m.", "/", "不适用", "无"}

_NUM = r"[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+"
# A value cell: optional sign, number or (number), optional %/x/倍 suffix.
VALUE_RE = re.compile(
    rf"^(?P<sign>[+\-−–]?)\s*(?:(?P<num>{_NUM})|\((?P<neg>{_NUM})\))\s*(?P<suffix>%|x|X|倍)?$"
)
# A year column header: 2024, 2025E, 2024A, FY2024, FY25E, 2025年, 2025Q1, 2025H1.
YEAR_RE = re.compile(
    r"^(?:FY)?\s*(?P<year>(?:19|20)[0-9]{2}|[0-9]{2}(?=[AEFP]))\s*"
    r"(?P<sub>Q[1-4]|H[12])?\s*(?P<flag>[AEFP])?\s*(?:年(?:度)?)?\s*(?P<flag2>[AEFP])?$",
    re.IGNORECASE,
)
FY_SHORT_RE = re.compile(r"^FY(?P<year>[0-9]{2})(?P<flag>[AEFP])?$", re.IGNORECASE)
# Short quarter / half-year columns: 3Q25, 25Q3, 1H25, 25H1 (optionally with A/E).
SHORT_SUB_RE = re.compile(
    r"^(?:(?P<n1>[1-4])(?P<k1>[QH])(?P<y1>[0-9]{2})|(?P<y2>[0-9]{2})(?P<k2>[QH])(?P<n2>[1-4]))(?P<flag>[AEFP])?$",
    re.IGNORECASE,
)


def clean_cell(text: str) -> str:
    """Remove bold tags and surrounding space; NFKC (full-width brackets, digits, ％)."""
    return unicodedata.normalize("NFKC", TAG_RE.sub("", text)).strip()


@dataclass(frozen=True)
class Column:
    period_label: str
    period_type: str
    basis: str
    header: str  # as written, for the evidence
    # what a relative or dated column holds: "" (a year/quarter column), "cur" / "prior" (flows of the
    # report period / the same period a year before), "end" / "start" (balances at its end / start)
    role: str = ""


# Filing headers: "2018年调整后" is the restated figure (kept), "2018年调整前" the original (ignored).
_RESTATED = re.compile(r"(?:调整后|重述后|\(经重述\)|\(已重述\)|\(重述后\)|\(调整后\))$")
_ORIGINAL = re.compile(r"(?:调整前|重述前|\(调整前\)|\(重述前\))$")
# "2025年1-3月" / "2019年1-12月": a cumulative period from January.
_MONTH_SPAN = re.compile(r"^(?P<year>(?:19|20)[0-9]{2})年(?P<first>[0-9]{1,2})[-~—至](?P<month>[0-9]{1,2})月(?:份)?$")
_CN_SUB = re.compile(r"^(?P<year>(?:19|20)[0-9]{2})年?(?P<sub>上半年|下半年|中期|半年度|第?[一二三四]季度|第[1-4]季度"
                     r"|Q1[-–]Q3)(?P<flag>[EA])?$")
_NINE_SHORT = re.compile(r"^(?P<sub>9M)(?P<year>(?:20)?[0-9]{2})(?P<flag>[EA])?$")
_NINE_MONTHS = re.compile(r"^(?P<year>(?:19|20)[0-9]{2})年?前三季度$")
_DATE_HEADER = re.compile(
    r"^(?P<year>(?:19|20)[0-9]{2})(?:年|[-/.])(?P<month>[0-9]{1,2})(?:月|[-/.])(?P<day>[0-9]{1,2})日?$")
IGNORED = Column("", "", "", "", "ignored")  # a column to skip (an original figure beside its restatement)


_CN_DIGITS = {**{ch: i for i, ch in enumerate(CN_DIGITS)}, **dict.fromkeys(CN_ZEROS, 0)}
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_CN_MONTH_DAY = re.compile(r"([一二三四五六七八九十]{1,3})(?=[月日])")
# "于2025年6月30日" (HK statements: "as at"), "截至2025年6月30日": the date the column is at
_AS_AT = re.compile(r"^(?:于|於|截至|截止|asat)")


def _cn_number(text: str) -> int:
    """一 … 三十一: a month or a day written in Chinese numerals."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def arabic_dates(text: str) -> str:
    """二零二五年六月三十日 -> 2025年6月30日 (HK announcements write their column heads in Chinese numerals)."""
    if not re.search(r"[〇○零一二三四五六七八九十]", text):
        return text
    text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[ch]) for ch in m[0]), text)
    return _CN_MONTH_DAY.sub(lambda m: str(_cn_number(m[1])), text)


# A forecast-revision table ("2026E 调整前 | 2026E 调整后 | 变动 | 2028E 新增"): beside a forecast year the
# earlier forecast is a prior estimate, the revised and the newly added ones are estimates.
_PRIOR_FORECAST = re.compile(r"(?:调整前|原预测|前次预测|上次预测|调整前预测|\((?:调整前|原预测)\))$")
_NEW_FORECAST = re.compile(r"(?:新增|新预测|本次预测|调整后预测|\((?:新增|新预测)\))$")


def parse_year_header(cell: str) -> Column | None:
    """A period column header, or IGNORED for an unadjusted column that a restated one replaces."""
    c = _AS_AT.sub("", arabic_dates(clean_cell(cell).replace(" ", "")))
    m = _PRIOR_FORECAST.search(c)
    if m:
        base = _base_header(c[:m.start()])
        if base is not None and base.basis == "estimate":
            return Column(base.period_label, base.period_type, "prior_estimate", c)
    m = _NEW_FORECAST.search(c)
    if m:
        base = _base_header(c[:m.start()])
        return replace(base, header=c) if base is not None and base.basis == "estimate" else None
    if _ORIGINAL.search(c):
        return IGNORED if _base_header(_ORIGINAL.sub("", c)) is not None else None
    return _base_header(_RESTATED.sub("", c))


def _cn_sub_header(c: str) -> Column | None:
    """"2025年上半年", "2025年中期", "2025年第三季度", "2025Q1-Q3", "9M25": a sub-year column."""
    m = _CN_SUB.match(c) or _NINE_SHORT.match(c)
    if not m:
        return None
    year = m["year"] if len(m["year"]) == 4 else "20" + m["year"]
    basis = "estimate" if m["flag"] == "E" else "actual"
    sub = m["sub"]
    if sub in ("上半年", "中期", "半年度"):
        return Column(f"{year}H1", "H", basis, c)
    if sub == "下半年":
        return Column(f"{year}H2", "H", basis, c)
    if sub == "9M" or sub.startswith("Q1"):
        return Column(f"{year}Q1-Q3", "9M", basis, c)
    q = next(ch for ch in sub if ch in "一二三四1234")
    return Column(f"{year}Q{'一二三四'.index(q) + 1 if q in '一二三四' else q}", "Q", basis, c)


def _base_header(c: str) -> Column | None:
    sub = _cn_sub_header(c)
    if sub is not None:
        return sub
    m = _NINE_MONTHS.match(c)
    if m:
        return Column(f"{m['year']}Q1-Q3", "9M", "actual", c)
    m = _MONTH_SPAN.match(c)
    if m:
        spans = {(1, 3): ("Q1", "Q"), (1, 6): ("H1", "H"), (1, 9): ("Q1-Q3", "9M"), (1, 12): ("", "FY"),
                 (4, 6): ("Q2", "Q"), (7, 9): ("Q3", "Q"), (10, 12): ("Q4", "Q"), (7, 12): ("H2", "H")}
        kind = spans.get((int(m["first"]), int(m["month"])))
        if kind is None:
            return None
        label = f"{m['year']}{kind[0]}" if kind[0] else f"FY{m['year']}"
        return Column(label, kind[1], "actual", c)
    m = _DATE_HEADER.match(c)
    if m:
        # a balance at a date; a year-end balance is the fiscal year's (gold rule 9)
        try:
            day = date(int(m["year"]), int(m["month"]), int(m["day"]))
        except ValueError:
            return None
        if (day.month, day.day) == (12, 31):
            return Column(f"FY{day.year}", "FY", "actual", c, "end")
        return Column(day.isoformat(), "instant", "actual", c, "end")
    c = re.sub(r"年末$", "年", c)  # "2019年末": the balance at the fiscal year's end
    m = SHORT_SUB_RE.match(c)
    if m:
        kind, n = (m["k1"] or m["k2"]).upper(), m["n1"] or m["n2"]
        if kind == "H" and n not in "12":
            return None
        basis = "estimate" if m["flag"] and m["flag"].upper() in "EFP" else "actual"
        return Column(f"20{m['y1'] or m['y2']}{kind}{n}", kind, basis, c)
    m = FY_SHORT_RE.match(c)
    if m:
        year, sub, flag = "20" + m["year"], None, m["flag"]
    else:
        m = YEAR_RE.match(c)
        if not m:
            return None
        year = m["year"] if len(m["year"]) == 4 else "20" + m["year"]
        sub, flag = m["sub"], m["flag"] or m["flag2"]
    basis = "estimate" if flag and flag.upper() in "EFP" else "actual"
    if sub:
        sub = sub.upper()
        return Column(f"{year}{sub}", sub[0], basis, c)
    return Column(f"FY{year}", "FY", basis, c)


@dataclass(frozen=True)
class CellValue:
    value: float
    frac_digits: int
    suffix: str  # "", "%", "x"
    start: int  # offsets of the number inside the raw cell (brackets and sign included)
    end: int


_NUM_IN_CELL = re.compile(rf"[+\-−–]?\s*(?:\(\s*(?:{_NUM})\s*\)|(?:{_NUM}))\s*(?:%|％|x|X|倍)?")


def parse_value(raw: str) -> CellValue | None:
    """Parse one table cell as written; None for blanks, dashes, NA and text."""
    c = clean_cell(raw).replace(" ", "")
    if c.lower() in EMPTY_CELLS:
        return None
    m = VALUE_RE.match(c)
    if not m:
        return None
    num = m["num"] or m["neg"]
    value = float(num.replace(",", ""))
    if m["neg"] or m["sign"] in ("-", "−", "–"):
        value = -value
    if value == 0:
        value = 0.0  # no -0.0
    frac = len(num.split(".")[1]) if "." in num else 0
    suffix = m["suffix"] or ""
    suffix = "x" if suffix in ("x", "X", "倍") else suffix
    hit = _NUM_IN_CELL.search(raw)
    start, end = (hit.start(), hit.end()) if hit else (0, len(raw))
    return CellValue(value, frac, suffix, start, end)


def decimals_of(frac_digits: int, scale: float) -> int:
    """XBRL decimals: 1,116 in 百万 -> -6; 58.47% -> 2."""
    return frac_digits - round(math.log10(scale)) if scale and scale > 0 else frac_digits


def split_cells(line: str) -> list[tuple[str, int, int]]:
    """Split a table line into (cell, start, end), offsets relative to the line.

    Markdown `| a | b |`, tab-separated, or columns aligned with two or more spaces.
    """
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        parts = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[^|]+|(?<=\|)(?=\|)", line)]
        # drop what lies outside the outer pipes
        first, last = line.index("|"), line.rindex("|")
        parts = [p for p in parts if p[1] > first and p[2] <= last]
    elif "\t" in line:
        parts, pos = [], 0
        for piece in line.split("\t"):
            parts.append((piece, pos, pos + len(piece)))
            pos += len(piece) + 1
    else:
        parts, pos = [], 0
        for m in re.finditer(r"\S(?:.*?\S)?(?=\s{2,}|\s*$)", line):
            parts.append((m.group(0), m.start(), m.end()))
            pos = m.end()
    out = []
    for text, s, _e in parts:
        lead = len(text) - len(text.lstrip())
        core = text.strip()
        out.append((core, s + lead, s + lead + len(core)))
    return out


def split_words(line: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line)]


def is_markdown_rule(line: str) -> bool:
    return bool(re.fullmatch(r"\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*", line))


@dataclass(frozen=True)
class UnitSpec:
    scale: float | None = None  # multiplier for amounts / share counts
    currency: str | None = None  # CNY | HKD | USD
    percent: bool = False
    multiple: bool = False
    per_share: bool = False
    shares: bool = False
    plain_yuan: bool = False  # the currency was the bare unit word 元 (CNY only by default)
    fraction: float | None = None  # per-share figures in cents: 每股盈利（人民币分） -> x 0.01

    def merged_over(self, base: UnitSpec) -> UnitSpec:
        """This (row) unit, with the table's unit filling what the row does not say. A row in bare 元
        ("EPS(元)") of a table in 万港元 / 百万美元 is in the table's currency: 元 is the unit word there."""
        currency = base.currency if (self.plain_yuan and base.currency) else (self.currency or base.currency)
        if self.percent or self.multiple or self.shares or self.per_share or self.fraction:
            return UnitSpec(self.scale, currency, self.percent, self.multiple, self.per_share, self.shares,
                            fraction=self.fraction)
        if self.scale is not None or self.currency is not None:
            scale = self.scale if self.scale is not None else (1.0 if self.currency else base.scale)
            return UnitSpec(scale, currency)
        return base


@lru_cache(maxsize=4)
def _unit_regexes(scales_key: tuple, currencies_key: tuple) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    scales = "|".join(re.escape(s) for s, _ in sorted(scales_key, key=lambda kv: -len(kv[0])))
    currs = "|".join(re.escape(c) for c, _ in sorted(currencies_key, key=lambda kv: -len(kv[0])))
    money = re.compile(
        rf"(?P<scale>{scales})?\s*(?P<cur>{currs})(?:\s*(?P<scale2>{scales})(?![A-Za-z]))?", re.IGNORECASE
    )
    shares = re.compile(rf"(?P<scale>{scales})?\s*股(?!本|东|价|息|数)")
    bare_scale = re.compile(rf"^\s*(?P<scale>{scales})\s*$", re.IGNORECASE)
    return money, shares, bare_scale


def parse_unit(text: str, units: dict) -> UnitSpec:
    """Read a unit from a row label, a table title or a 单位 line.

    Looks inside brackets first ("营业收入（百万元）", "ROE (%)", "EPS(元)"), then at
    "单位：亿元" / "单位:百万港元" anywhere in the text.
    """
    t = unicodedata.normalize("NFKC", TAG_RE.sub("", text or ""))
    scales = {str(k): float(v) for k, v in (units.get("scales") or {}).items()}
    currencies = {str(k): str(v) for k, v in (units.get("currencies") or {}).items()}
    money_re, shares_re, bare_scale_re = _unit_regexes(tuple(scales.items()), tuple(currencies.items()))
    chunks = re.findall(r"\(([^()]*)\)", t)
    # "单位：元"; not "编制单位：某公司" (the preparer of a filing's statement)
    chunks += [m.group(1) for m in re.finditer(r"(?<!编制)单位\s*[:：]?\s*([^\s,;，；)]+)", t)]
    for chunk in chunks:
        c = chunk.strip()
        if not c:
            continue
        if "%" in c or "pct" in c.lower():
            return UnitSpec(percent=True)
        if c in ("x", "X", "倍"):
            return UnitSpec(multiple=True)
        sub = _cent_word(c, units)
        if sub is not None:
            # "每股盈利(港仙)", "EPS(仙)": per-share figures in cents (a bare 仙 / 分 takes the table's currency)
            return UnitSpec(currency=sub[0], fraction=sub[1])
        if "/股" in c or "每股" in c:
            m = money_re.search(c)
            return UnitSpec(currency=currencies.get(m["cur"]) if m else None, per_share=True,
                            plain_yuan=bool(m) and m["cur"] == "元")
        m = money_re.search(c)
        if m:
            cur = currencies.get(m["cur"]) or currencies.get(m["cur"].upper())
            word = m["scale"] or m["scale2"]
            scale = (scales.get(word) or scales.get(word.lower())) if word else None
            rest = c[m.end():].strip()
            cent = _cent_unit(c, m["cur"], rest, units)
            if cent is not None and word is None:
                # "人民币分", "港仙": per-share figures written in cents of the currency
                return UnitSpec(currency=cent[0] or cur, fraction=cent[1])
            small = {str(k).lower(): float(v) for k, v in (units.get("currency_scales") or {}).items()}
            if scale is None and rest.lower() in small:
                scale = small[rest.lower()]  # "RMB m", "US$ k": a short scale word right after the currency
            if scale is None and rest in ("'000", "’000", "‘000"):
                scale = 1000.0  # "RMB'000": thousands (HK statements)
            # a Chinese unit word (元, 港元, 美元) names whole units; a bare code or symbol (RMB, HK$) does not
            whole = "元" in m["cur"] or m["cur"] == "港币"
            return UnitSpec(scale if scale else (1.0 if whole else None), cur, plain_yuan=m["cur"] == "元")
        m = shares_re.search(c)
        if m:
            return UnitSpec(scale=scales.get(m["scale"], 1.0) if m["scale"] else 1.0, shares=True)
        m = bare_scale_re.match(c)
        if m:
            return UnitSpec(scale=scales.get(m["scale"]) or scales.get(m["scale"].lower()))
    return UnitSpec()


def _cent_word(chunk: str, units: dict) -> tuple[str | None, float] | None:
    """(currency, fraction) of a unit chunk that is only a cent word: 港仙, 美分, or a bare 仙 / 分."""
    for word, spec in (units.get("currency_subunits") or {}).items():
        if chunk == str(word) and isinstance(spec, dict):
            return spec.get("currency"), float(spec.get("scale", 0.01))
    written = {str(k): float(v) for k, v in (units.get("written_currency_subunits") or {}).items()}
    return (None, written[chunk]) if chunk in written else None


def _cent_unit(chunk: str, cur_word: str, rest: str, units: dict) -> tuple[str | None, float] | None:
    """(currency, fraction) when a unit chunk names a currency's cent: 人民币分 / 港仙 / 美分."""
    for word, spec in (units.get("currency_subunits") or {}).items():
        if str(word) in chunk and isinstance(spec, dict):
            return spec.get("currency"), float(spec.get("scale", 0.01))
    written = {str(k): float(v) for k, v in (units.get("written_currency_subunits") or {}).items()}
    if rest in written and not cur_word.endswith("元"):
        return None, written[rest]
    return None


def normalise_cell(measure: str, vtype: str | None, unit: UnitSpec, cv: CellValue):
    """(unit, value, decimals) of a cell, or (None, None, None) when the row's unit does not fit.

    Ratios and growth rates are % whatever the table's amount unit; per-share values take the
    currency but not the scale of a 百万元 table; amounts need a scale (a table with no unit says
    nothing about its amounts).
    """
    if measure in ("yoy", "qoq") or vtype == "ratio":
        if cv.suffix == "x" or unit.multiple or unit.per_share or unit.shares:
            return None, None, None
        return "%", cv.value, cv.frac_digits
    if vtype == "multiple":
        if cv.suffix == "%" or unit.percent:
            return None, None, None
        return "x", cv.value, cv.frac_digits
    if cv.suffix:
        return None, None, None
    if vtype == "per_share":
        if unit.percent or unit.shares or unit.multiple:
            return None, None, None
        if unit.fraction:
            dec = cv.frac_digits + round(-math.log10(unit.fraction))
            return unit.currency or "CNY", round(cv.value * unit.fraction, dec) + 0.0, dec
        return unit.currency or "CNY", cv.value, cv.frac_digits
    if vtype == "count":
        if not unit.shares:
            return None, None, None
        scale = unit.scale or 1.0
        dec = decimals_of(cv.frac_digits, scale)
        return "shares", round(cv.value * scale, dec) + 0.0, dec
    if vtype == "amount":
        if unit.percent or unit.multiple or unit.shares or unit.per_share or not unit.scale:
            return None, None, None
        dec = decimals_of(cv.frac_digits, unit.scale)
        return unit.currency or "CNY", round(cv.value * unit.scale, dec) + 0.0, dec
    return None, None, None


# -- filings: the report period and columns named relative to it ---------------------------------------

@dataclass(frozen=True)
class ReportPeriod:
    """The period a filing reports on: FY2019, 2025H1, 2025Q1, 2025Q3."""

    year: int
    kind: str  # FY | H1 | Q1 | Q3

    @property
    def label(self) -> str:
        return f"FY{self.year}" if self.kind == "FY" else f"{self.year}{self.kind}"

    @property
    def end(self) -> date:
        month = {"Q1": 3, "H1": 6, "Q3": 9, "FY": 12}[self.kind]
        return date(self.year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)

    def column(self, role: str, header: str, year_to_date: bool = False) -> Column:
        """The period a relative column holds, under the conventions of the gold README."""
        y = self.year
        if role in ("end", "start"):
            # a balance column headed 期末 / 期初, not by a year, is a balance at a date (rule 9): the
            # report's end, and for the opening balance the previous fiscal year's end
            if role == "start":
                return Column(f"{y - 1}-12-31", "instant", "actual", header, role)
            return Column(self.end.isoformat(), "instant", "actual", header, role)
        if role == "prior":
            y -= 1
        if self.kind == "FY":
            return Column(f"FY{y}", "FY", "actual", header, role)
        # a third-quarter report's statements (本期发生额 / 上期金额) run from January: nine months
        if self.kind == "Q3" and (year_to_date or re.search(r"发生额|金额|累计", header)):
            return Column(f"{y}Q1-Q3", "9M", "actual", header, role)
        return Column(f"{y}{self.kind}", self.kind[0], "actual", header, role)


# "报告期：2025年第一季度" (the PDF reader writes it under a filing's title) or the title itself.
_REPORT_LINE = re.compile(r"(?m)^\s*报告期\s*[:：]\s*((?:19|20)[0-9]{2})\s*年\s*(年度|度|半年度|第一季度|第三季度)")
_REPORT_TITLE = re.compile(r"((?:19|20)[0-9]{2})\s*年\s*(年度|度|半年度|第一季度|一季度|第三季度|三季度)\s*"
                           r"(?:报告(?:摘要|全文|正文)?|业绩快报(?:公告)?)\s*$")
_REPORT_KINDS = {"年度": "FY", "度": "FY", "半年度": "H1", "第一季度": "Q1", "一季度": "Q1", "第三季度": "Q3",
                 "三季度": "Q3"}


_REPORT_NAMED = re.compile(r"((?:19|20)[0-9]{2})\s*年\s*(年度|半年度|第一季度|一季度|第三季度|三季度)\s*报告")


def find_report_period(text: str, loose: bool = False) -> ReportPeriod | None:
    """The report period a filing's note states near its top (reader line first, then a title).
    `loose`: a report named anywhere in the first line ("…2025年半年度报告摘要解读")."""
    head = (text or "")[:1500]
    if loose:
        first = next((ln for ln in head.splitlines() if ln.strip()), "")
        m = _REPORT_NAMED.search(first)
        return ReportPeriod(int(m[1]), _REPORT_KINDS[m[2]]) if m else None
    # the title fallback (a note cached before the reader wrote the line): a filing's own title among the
    # first lines (a date may come first), not a broker's "2024年年度报告点评"
    firsts = [ln for ln in head.splitlines() if ln.strip()][:3]
    m = _REPORT_LINE.search(head) or next((t for t in map(_REPORT_TITLE.search, firsts) if t), None)
    return ReportPeriod(int(m[1]), _REPORT_KINDS[m[2]]) if m else None


# Column headers named relative to the report period (spaces, brackets and 调整后 removed first).
RELATIVE_HEADERS = {
    "cur": ("本报告期", "本期", "本年", "本年度", "本期金额", "本期发生额", "本期数", "本年数", "本年金额",
            "本年发生额", "本期累计", "本年累计", "本报告期金额"),
    "prior": ("上年同期", "上期", "上年", "上年度", "上期金额", "上期发生额", "上期数", "上年数", "上年金额",
              "上年发生额", "上年同期金额", "上年同期数", "上期累计", "上年累计", "上年同期累计"),
    "end": ("期末", "期末余额", "期末数", "期末金额", "本报告期末", "本期末", "年末", "年末余额", "年末数",
            "本年末"),
    "start": ("期初", "期初余额", "期初数", "期初金额", "上年度末", "上年末", "年初", "年初余额", "年初数",
              "本报告期初", "本期初"),
}
_RELATIVE = {name: role for role, names in RELATIVE_HEADERS.items() for name in names}
YEAR_TO_DATE = ("年初至报告期末", "年初至本报告期末")
_HEADER_NOTE = re.compile(r"\([^()]*\)$")
_QUARTER_OF_REPORT = re.compile(r"^第?([一二三四1-4])季度(?:\(\d{1,2}-\d{1,2}月(?:份)?\))?$")


def parse_relative_header(cell: str, report: ReportPeriod | None) -> Column | None:
    """本报告期 / 上年同期 / 期末余额 … resolved against the filing's report period."""
    if report is None:
        return None
    c = clean_cell(cell).replace(" ", "")
    if _ORIGINAL.search(c):
        return IGNORED if _relative_key(_ORIGINAL.sub("", c)) is not None else None
    c = _RESTATED.sub("", c)
    if c in YEAR_TO_DATE:
        return report.column("cur", c, year_to_date=True)
    m = _QUARTER_OF_REPORT.match(c)
    if m and report.kind == "FY":
        # an annual report's 分季度 table: 第一季度 … 第四季度 are the quarters of the reported year
        n = "一二三四".index(m[1]) + 1 if m[1] in "一二三四" else int(m[1])
        return Column(f"{report.year}Q{n}", "Q", "actual", c, "")
    role = _relative_key(c)
    return report.column(role, c) if role else None


def _relative_key(c: str) -> str | None:
    c = _HEADER_NOTE.sub("", c)  # "上期发生额(经重述)", "本期金额(元)"
    return _RELATIVE.get(c)


# A change column: "本年比上年增减", "本报告期比上年同期增减(%)", "同期变动率", "同比".
_CHANGE_HEADER = re.compile(r"(?:增减|变动率?|增长率?|变化率?|增速|同比|幅度)(?:\(%\)|%|\(百分比\))?$")


def change_column(cell: str) -> tuple[str, bool] | None:
    """(measure, of the year-to-date column) of a change column header, else None."""
    c = _RESTATED.sub("", clean_cell(cell).replace(" ", ""))
    if not _CHANGE_HEADER.search(c):
        return None
    return ("qoq" if "环比" in c else "yoy"), c.startswith(YEAR_TO_DATE)


def prior_period(label: str) -> str | None:
    """The same period a year before: FY2019 -> FY2018, 2025Q1 -> 2024Q1; None for dates."""
    m = re.fullmatch(r"(FY)?((?:19|20)[0-9]{2})([QH][-Q0-9]*)?", label)
    if not m or (not m[1] and not m[3]):
        return None
    return f"{m[1] or ''}{int(m[2]) - 1}{m[3] or ''}"
