"""Small parsers for statement tables and key-value boxes: cells, year headers, numbers, units.

Pure functions on strings; the frame-level work is in `tables.py` and `keyvalue.py`.
Unit words come from the lexicon's `units.yaml` (scales, currencies), never spelt here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


def parse_year_header(cell: str) -> Column | None:
    c = clean_cell(cell).replace(" ", "")
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

    def merged_over(self, base: UnitSpec) -> UnitSpec:
        """This (row) unit, with the table's unit filling what the row does not say."""
        if self.percent or self.multiple or self.shares or self.per_share:
            currency = self.currency or base.currency
            return UnitSpec(self.scale, currency, self.percent, self.multiple, self.per_share, self.shares)
        if self.scale is not None or self.currency is not None:
            scale = self.scale if self.scale is not None else (1.0 if self.currency else base.scale)
            return UnitSpec(scale, self.currency or base.currency)
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
    m_unit = re.search(r"单位\s*[:：]?\s*([^\s,;，；)]+)", t)
    if m_unit:
        chunks.append(m_unit.group(1))
    for chunk in chunks:
        c = chunk.strip()
        if not c:
            continue
        if "%" in c or "pct" in c.lower():
            return UnitSpec(percent=True)
        if c in ("x", "X", "倍"):
            return UnitSpec(multiple=True)
        if "/股" in c or "每股" in c:
            m = money_re.search(c)
            return UnitSpec(currency=currencies.get(m["cur"]) if m else None, per_share=True)
        m = money_re.search(c)
        if m:
            cur = currencies.get(m["cur"]) or currencies.get(m["cur"].upper())
            word = m["scale"] or m["scale2"]
            scale = (scales.get(word) or scales.get(word.lower())) if word else None
            # a Chinese unit word (元, 港元, 美元) names whole units; a bare code or symbol (RMB, HK$) does not
            whole = "元" in m["cur"] or m["cur"] == "港币"
            return UnitSpec(scale if scale else (1.0 if whole else None), cur)
        m = shares_re.search(c)
        if m:
            return UnitSpec(scale=scales.get(m["scale"], 1.0) if m["scale"] else 1.0, shares=True)
        m = bare_scale_re.match(c)
        if m:
            return UnitSpec(scale=scales.get(m["scale"]) or scales.get(m["scale"].lower()))
    return UnitSpec()


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
