"""Dimension rows built in Python from the batch: company merging, period parsing, calendar days.

Small frames (tens to thousands of rows), so plain Python is clearer than SQL here; load.py upserts them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from notestar.lexicon import load_lexicon

SOURCE_RANK = {"lexicon": 0, "learnt": 1, "fact": 2}


def ticker_key(ticker: str) -> str:
    """Matching form of a listing code: '03896.HK' and '3896.hk' -> '3896.HK' (as the scorer compares)."""
    code, dot, market = re.sub(r"\s+", "", ticker).upper().partition(".")
    return (code.lstrip("0") or code) + dot + market


def name_key(name: str) -> str:
    return re.sub(r"\s+", "", name).casefold()


@dataclass
class CompanyEntry:
    company_name: str
    name_en: str | None = None
    tickers: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    source: str = "fact"
    company_key: int | None = None  # set for rows already in dim_company
    updated_run_id: str | None = None

    def keys(self) -> set[str]:
        names = {"n:" + name_key(n) for n in [self.company_name, *self.aliases] if n}
        return names | {"t:" + ticker_key(t) for t in self.tickers if t}


def _uniq(values) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


@dataclass
class CompanyMerge:
    rows: pl.DataFrame  # dim_company rows to upsert
    remap: dict[int, int]  # old company_key -> surviving key (listings found to be one company)
    lookup: dict[str, int]  # name / ticker key -> company_key


def merge_companies(existing: list[CompanyEntry], incoming: list[CompanyEntry], run_id: str) -> CompanyMerge:
    """Union-find over shared names, aliases and tickers: entries sharing any of them are one company.

    An existing company keeps its key (the smallest wins when a batch shows two of them are one); the
    canonical name is the best-sourced one (lexicon > learnt > fact), existing rows winning ties.
    """
    entries = existing + incoming
    parent = list(range(len(entries)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, entry in enumerate(entries):
        for k in entry.keys():
            if k in owner:
                parent[find(i)] = find(owner[k])
            else:
                owner[k] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(entries)):
        groups.setdefault(find(i), []).append(i)

    next_key = max((e.company_key for e in existing if e.company_key is not None), default=0) + 1
    rows, remap, lookup = [], {}, {}
    for members in groups.values():
        group = [entries[i] for i in members]
        keys = sorted(e.company_key for e in group if e.company_key is not None)
        if keys:
            key = keys[0]
            remap.update({k: key for k in keys[1:]})
        else:
            key, next_key = next_key, next_key + 1
        # stable sort: existing entries come first in `entries`, so they win ties of equal source rank
        best = sorted(group, key=lambda e: SOURCE_RANK.get(e.source, 3))[0]
        tickers = _uniq(t for e in [best, *group] for t in e.tickers)
        names = _uniq(n for e in group for n in [e.company_name, *e.aliases])
        if all(e.company_key is not None for e in group) and len(group) == 1:
            run_of_row = group[0].updated_run_id  # untouched by this batch
        else:
            run_of_row = run_id
        rows.append(
            {
                "company_key": key,
                "company_name": best.company_name,
                "name_en": best.name_en or next((e.name_en for e in group if e.name_en), None),
                "tickers": tickers,
                "primary_ticker": tickers[0] if tickers else None,
                "aliases": [n for n in names if n != best.company_name],
                "source": best.source,
                "updated_run_id": run_of_row,
            }
        )
        for e in group:
            lookup.update({k: key for k in e.keys()})
    frame = pl.DataFrame(
        rows,
        schema={
            "company_key": pl.Int32,
            "company_name": pl.String,
            "name_en": pl.String,
            "tickers": pl.List(pl.String),
            "primary_ticker": pl.String,
            "aliases": pl.List(pl.String),
            "source": pl.String,
            "updated_run_id": pl.String,
        },
    )
    return CompanyMerge(rows=frame.sort("company_key"), remap=remap, lookup=lookup)


def resolve_company(lookup: dict[str, int], name: str | None, ticker: str | None) -> int | None:
    """Company key of a fact: by name first, then by ticker."""
    if name and ("n:" + name_key(name)) in lookup:
        return lookup["n:" + name_key(name)]
    for t in re.split(r"[,|;/\s]+", ticker or ""):
        if t and ("t:" + ticker_key(t)) in lookup:
            return lookup["t:" + ticker_key(t)]
    return None


# ---- periods -------------------------------------------------------------------------------------

_FY = re.compile(r"^FY(\d{4})$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_QRANGE = re.compile(r"^(\d{4})Q([1-4])-Q([1-4])$")
_INSTANT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_row(label: str, type_hint: str | None = None) -> dict:
    """dim_period row for a label; calendar fiscal years (December year-end) are assumed."""
    row = {"period_label": label, "period_type": type_hint, "fiscal_year": None, "fiscal_quarter": None,
           "fiscal_half": None, "start_date": None, "end_date": None, "months": None}
    if m := _FY.match(label):
        y = int(m[1])
        row.update(period_type="FY", fiscal_year=y, start_date=date(y, 1, 1), end_date=date(y, 12, 31), months=12)
    elif m := _HALF.match(label):
        y, h = int(m[1]), int(m[2])
        row.update(period_type="H", fiscal_year=y, fiscal_half=h, start_date=date(y, 6 * h - 5, 1),
                   end_date=_month_end(y, 6 * h), months=6)
    elif m := _QUARTER.match(label):
        y, q = int(m[1]), int(m[2])
        row.update(period_type="Q", fiscal_year=y, fiscal_quarter=q, start_date=date(y, 3 * q - 2, 1),
                   end_date=_month_end(y, 3 * q), months=3)
    elif (m := _QRANGE.match(label)) and int(m[2]) <= int(m[3]):
        y, a, b = int(m[1]), int(m[2]), int(m[3])
        months = 3 * (b - a + 1)
        kind = {9: "9M", 6: "H", 3: "Q", 12: "FY"}.get(months, type_hint)
        row.update(period_type=kind if a == 1 else (type_hint or kind), fiscal_year=y,
                   start_date=date(y, 3 * a - 2, 1), end_date=_month_end(y, 3 * b), months=months)
    elif m := _INSTANT.match(label):
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return row
        row.update(period_type="instant", fiscal_year=d.year, start_date=d, end_date=d, months=0)
    return row


PERIOD_SCHEMA = {
    "period_label": pl.String, "period_type": pl.String, "fiscal_year": pl.Int32, "fiscal_quarter": pl.Int32,
    "fiscal_half": pl.Int32, "start_date": pl.Date, "end_date": pl.Date, "months": pl.Int32,
}


def period_rows(facts: pl.DataFrame) -> pl.DataFrame:
    pairs = facts.select("period_label", "period_type").unique(subset="period_label", keep="first")
    rows = [period_row(label, hint) for label, hint in pairs.iter_rows() if label]
    return pl.DataFrame(rows, schema=PERIOD_SCHEMA)


# ---- calendar days -------------------------------------------------------------------------------

DATE_SCHEMA = {
    "date_key": pl.Int32, "full_date": pl.Date, "year": pl.Int32, "quarter": pl.Int32, "month": pl.Int32,
    "day": pl.Int32, "iso_week": pl.Int32, "day_of_week": pl.Int32, "year_quarter": pl.String,
    "year_month": pl.String, "is_weekend": pl.Boolean,
}


def date_key(d: date | None) -> int | None:
    return None if d is None else d.year * 10000 + d.month * 100 + d.day


def date_rows(days) -> pl.DataFrame:
    rows = []
    for d in sorted({d for d in days if d is not None}):
        q = (d.month - 1) // 3 + 1
        rows.append({
            "date_key": date_key(d), "full_date": d, "year": d.year, "quarter": q, "month": d.month,
            "day": d.day, "iso_week": d.isocalendar()[1], "day_of_week": d.isoweekday(),
            "year_quarter": f"{d.year}Q{q}", "year_month": f"{d.year}-{d.month:02d}",
            "is_weekend": d.isoweekday() >= 6,
        })
    return pl.DataFrame(rows, schema=DATE_SCHEMA)


# ---- metrics and segments ------------------------------------------------------------------------


def metric_rows(seen_codes) -> pl.DataFrame:
    lex = load_lexicon().metrics.with_columns(source=pl.lit("lexicon"))
    extra = sorted(set(seen_codes) - set(lex["code"]) - {None})
    extra_df = pl.DataFrame({"code": extra, "source": ["fact"] * len(extra)}, schema={"code": pl.String,
                                                                                       "source": pl.String})
    return pl.concat([lex, extra_df], how="diagonal").rename({"code": "metric_code"}).select(
        "metric_code", "name_zh", "name_en", "category", "value_type", "source"
    )


def segment_rows(seen_codes) -> pl.DataFrame:
    lex = load_lexicon().segments.with_columns(source=pl.lit("lexicon"))
    whole = pl.DataFrame({"code": [""], "name_zh": ["整体"], "name_en": ["Whole company"], "source": ["builtin"]})
    extra = sorted(set(seen_codes) - set(lex["code"]) - {None, ""})
    extra_df = pl.DataFrame({"code": extra, "source": ["fact"] * len(extra)}, schema={"code": pl.String,
                                                                                       "source": pl.String})
    return pl.concat([whole, lex, extra_df], how="diagonal").rename({"code": "segment_code"}).select(
        "segment_code", "name_zh", "name_en", "source"
    )
