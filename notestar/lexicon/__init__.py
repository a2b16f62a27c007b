"""The lexicon: metric names, segments, units, companies, rating words — as data files.

Code reads these files through `load_lexicon()`; no metric name, unit or company
is spelt in extraction code. Files live beside this module:

- metrics.csv    code, name_zh, synonyms_zh (|-separated), name_en, synonyms_en, category, value_type
- segments.csv   code, name_zh, synonyms_zh, name_en
- units.yaml     scales, currencies, ratio units, count units, approximation words
- companies.csv  company_name, name_en, tickers (|), aliases (|)
- ratings.yaml   rating and action words (zh/en) -> codes
- box_labels.csv label, code: labels read only in a key-value box or a header's key-data line, where the
                 box is about the stock (a bare "Price" is its share price); not prose vocabulary
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

LEXICON_DIR = Path(__file__).resolve().parent


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def _read_csv(name: str) -> list[dict]:
    with (LEXICON_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _read_yaml(name: str) -> dict:
    path = LEXICON_DIR / name
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@dataclass(frozen=True)
class Lexicon:
    metrics: pl.DataFrame  # code, name_zh, name_en, category, value_type
    metric_names: pl.DataFrame  # name, code, lang  (every spelling -> code), longest name first
    segments: pl.DataFrame  # code, name_zh, name_en
    segment_names: pl.DataFrame  # name, code
    companies: pl.DataFrame  # company_name, name_en, tickers (list), aliases (list)
    units: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)
    box_labels: dict = field(default_factory=dict)  # box-only label -> metric code (box_labels.csv)

    def metric_value_type(self) -> dict[str, str]:
        return dict(zip(self.metrics["code"], self.metrics["value_type"], strict=True))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    metric_rows = _read_csv("metrics.csv")
    names = []
    for r in metric_rows:
        for n in [r["name_zh"], *_split(r["synonyms_zh"])]:
            names.append((n, r["code"], "zh"))
        for n in [r["name_en"], *_split(r.get("synonyms_en"))]:
            names.append((n, r["code"], "en"))
    metric_names = (
        pl.DataFrame(names, schema=["name", "code", "lang"], orient="row")
        .unique(subset=["name", "lang"], keep="first", maintain_order=True)
        .sort(pl.col("name").str.len_chars(), descending=True, maintain_order=True)
    )
    metrics = pl.DataFrame(
        [{k: r[k] for k in ("code", "name_zh", "name_en", "category", "value_type")} for r in metric_rows]
    )
    seg_rows = _read_csv("segments.csv")
    seg_names = [(n, r["code"]) for r in seg_rows for n in [r["name_zh"], *_split(r["synonyms_zh"])]]
    segment_names = (
        pl.DataFrame(seg_names, schema=["name", "code"], orient="row")
        .unique(subset=["name"], keep="first", maintain_order=True)
        .sort(pl.col("name").str.len_chars(), descending=True, maintain_order=True)
    )
    segments = pl.DataFrame([{k: r[k] for k in ("code", "name_zh", "name_en")} for r in seg_rows])
    comp_rows = _read_csv("companies.csv")
    companies = pl.DataFrame(
        {
            "company_name": [r["company_name"] for r in comp_rows],
            "name_en": [r["name_en"] for r in comp_rows],
            "tickers": [_split(r["tickers"]) for r in comp_rows],
            "aliases": [_split(r["aliases"]) for r in comp_rows],
        },
        schema={
            "company_name": pl.String,
            "name_en": pl.String,
            "tickers": pl.List(pl.String),
            "aliases": pl.List(pl.String),
        },
    )
    return Lexicon(
        metrics=metrics,
        metric_names=metric_names,
        segments=segments,
        segment_names=segment_names,
        companies=companies,
        units=_read_yaml("units.yaml"),
        ratings=_read_yaml("ratings.yaml"),
        box_labels={r["label"]: r["code"] for r in _read_csv("box_labels.csv") if r["label"] and r["code"]},
    )
