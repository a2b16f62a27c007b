"""Notes as the extractor receives them (schemas.NOTES plus the resolved company), for the table tests."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from notestar import schemas


def notes_frame(texts, *, published: datetime | None, company: str | None, ticker: str | None,
                kind: str = "txt") -> pl.DataFrame:
    """One note per text, its title the first line."""
    rows = [
        {
            "note_id": f"n{i}", "file_hash": "h", "source_file": f"note_{i}.txt", "source_path": f"in/note_{i}.txt",
            "note_index": 0, "title": t.strip().split("\n")[0], "publisher": None, "published_at": published,
            "kind": kind, "language": "zh", "text": t, "company_name": company, "company_ticker": ticker,
        }
        for i, t in enumerate(texts)
    ]
    return pl.DataFrame(rows, schema={**schemas.NOTES, "company_name": pl.String, "company_ticker": pl.String})


def values(facts: pl.DataFrame, metric: str, measure: str = "level") -> dict:
    """{(period_label, basis): value} of one metric and measure."""
    sel = facts.filter((pl.col("metric_code") == metric) & (pl.col("measure") == measure))
    return {(r["period_label"], r["basis"]): r["value"] for r in sel.iter_rows(named=True)}
