"""Column contracts of the frames that flow between engine steps.

Every step takes and returns Polars frames with exactly these columns (extra
columns are allowed only where a docstring says so). `empty(SCHEMA)` builds a
typed empty frame so an empty batch never changes a dtype downstream.
"""

from __future__ import annotations

import polars as pl

# One row per note (a file may hold several notes).
NOTES = {
    "note_id": pl.String,  # sha256 of the note's normalised text: the content hash
    "file_hash": pl.String,  # sha256 of the whole input file's bytes
    "source_file": pl.String,  # basename of the input file
    "source_path": pl.String,  # path as found in the landing folder
    "note_index": pl.Int32,  # position of the note inside its file, 0-based
    "title": pl.String,
    "publisher": pl.String,  # institution / outlet, null when the note gives none
    "published_at": pl.Datetime("us"),  # null when the note gives no date
    "kind": pl.String,  # news | broker_report | minutes | flash | article | filing | pdf_report | unknown
    "language": pl.String,  # zh | en
    "text": pl.String,  # the note body (title and publisher line included), NFKC not applied
}

# One row per rejected input or row, at any stage.
QUARANTINE = {
    "stage": pl.String,  # ingest | extract | validate | load
    "source_file": pl.String,
    "note_id": pl.String,  # null for whole-file rejects
    "check_name": pl.String,  # e.g. ingest.empty, ingest.binary, ingest.undecodable, gx.metric_facts.unit
    "severity": pl.String,  # error | warning
    "reason": pl.String,  # human-readable, says what was wrong
    "row_json": pl.String,  # the offending row (or file metadata) as JSON
}

# One row per extracted fact (XBRL-like: entity, concept, period, dimension, unit, decimals).
FACTS = {
    "note_id": pl.String,
    "source_file": pl.String,
    "company_name": pl.String,  # Chinese short name as the notes use it
    "company_ticker": pl.String,  # canonical listing code (00700.HK, 688123.SH, XPR) or null
    "metric_code": pl.String,  # code from lexicon/metrics.csv
    "segment_code": pl.String,  # code from lexicon/segments.csv, "" for the whole company
    "measure": pl.String,  # level | yoy | qoq | yoy_pp | qoq_pp
    "period_label": pl.String,  # FY2025 | 2025H1 | 2025Q3 | 2025Q1-Q3 | YYYY-MM-DD
    "period_type": pl.String,  # FY | H | Q | 9M | instant
    "basis": pl.String,  # actual | estimate | prior_estimate
    "value": pl.Float64,  # normalised: whole currency units, % points, multiples
    "unit": pl.String,  # CNY | USD | HKD | % | pp | x | shares | count
    "decimals": pl.Int32,  # XBRL decimals of the value as written: 12.35亿 -> -6, 41.27% -> 2
    "value_text": pl.String,  # the number as written, e.g. "12.35亿元"
    "evidence": pl.String,  # the sentence (citation markers removed)
    "span_start": pl.Int64,  # character offsets of the value in the note text
    "span_end": pl.Int64,
    "rule_id": pl.String,  # which rule produced it, e.g. prose.level_yoy, table.statement
    "extractor_version": pl.String,
}

# One row per rating / target price statement.
RATINGS = {
    "note_id": pl.String,
    "source_file": pl.String,
    "company_name": pl.String,
    "company_ticker": pl.String,
    "institution": pl.String,
    "rating": pl.String,  # buy | overweight | neutral | underweight | sell | outperform | ...
    "rating_zh": pl.String,
    "action": pl.String,  # maintain | upgrade | downgrade | initiate | unknown
    "target_price": pl.Float64,
    "currency": pl.String,
    "rating_date": pl.Date,
    "evidence": pl.String,
    "span_start": pl.Int64,
    "span_end": pl.Int64,
    "rule_id": pl.String,
    "extractor_version": pl.String,
}

# Companies seen in a batch (lexicon entries plus ones learnt from the text).
COMPANIES = {
    "company_name": pl.String,
    "name_en": pl.String,
    "tickers": pl.List(pl.String),
    "aliases": pl.List(pl.String),
    "source": pl.String,  # lexicon | learnt
}

# One row per data-quality check evaluated in a run (GX expectation or cross-fact check).
DQ_RESULTS = {
    "check_name": pl.String,  # stable id, e.g. gx.metric_facts.unit_in_set, cross.yoy_consistency
    "table_name": pl.String,  # documents | metric_facts | ratings
    "severity": pl.String,  # error (failing rows quarantined) | warning (rows loaded, flagged)
    "success": pl.Boolean,
    "evaluated": pl.Int64,  # rows looked at
    "failed": pl.Int64,  # rows that failed
    "failing_examples": pl.String,  # JSON list of up to 5 failing rows
    "description": pl.String,
}


def empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(df: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Select and cast to the contract's columns, adding missing ones as nulls."""
    exprs = [
        (pl.col(name) if name in df.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    ]
    return df.select(exprs)
