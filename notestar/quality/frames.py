"""Frames handed to GX and to the SQL checks: the batch as received plus derived columns.

The received columns are kept as they came (so the type expectations see what the extractor produced);
derived columns are computed from a leniently cast copy so a wrong type cannot crash the preparation.
`row_idx` is the row's position in the input frame: GX reports failures by it.
"""

from __future__ import annotations

import polars as pl

from ..lexicon import Lexicon
from ..schemas import FACTS, NOTES, RATINGS

ROW_IDX = "row_idx"


def lenient(df: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Contract columns cast without failing (bad values -> null), missing ones as nulls."""
    return df.select([
        (pl.col(c) if df.schema[c] == t else pl.col(c).cast(t, strict=False)) if c in df.columns
        else pl.lit(None, dtype=t).alias(c)
        for c, t in schema.items()
    ])  # a column already of its type is passed through, not cast: a cast copies it (GBs on a large batch)


def _published_dates(notes: pl.DataFrame) -> pl.DataFrame:
    safe = lenient(notes, NOTES)
    return (
        safe.select("note_id", pl.col("published_at").dt.date().alias("published_date"))
        .drop_nulls("note_id")
        .unique("note_id", keep="first", maintain_order=True)
    )


def period_end(label: pl.Expr) -> pl.Expr:
    """Last day of a period label: FY2025 -> 2025-12-31, 2025H1 -> 06-30, 2025Q1-Q3 -> 09-30, a date -> itself."""
    year = label.str.extract(r"^(?:FY)?([0-9]{4})", 1).cast(pl.Int32, strict=False)
    quarter = (
        pl.when(label.str.contains(r"^[0-9]{4}Q[1-4]$|^[0-9]{4}Q[1-4]-Q[1-4]$"))
        .then(label.str.extract(r"Q([1-4])$", 1).cast(pl.Int32, strict=False))
        .when(label.str.contains(r"^[0-9]{4}H1$")).then(pl.lit(2))
        .when(label.str.contains(r"^[0-9]{4}H2$|^FY[0-9]{4}$")).then(pl.lit(4))
    )
    quarter_end = pl.date(year, quarter * 3, 1).dt.month_end()
    instant = label.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(label.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")).then(instant).otherwise(quarter_end)


def prior_year_label(label: pl.Expr) -> pl.Expr:
    """The same period one year earlier: FY2025 -> FY2024, 2025Q1-Q3 -> 2024Q1-Q3 (null for dates)."""
    m = label.str.extract_groups(r"^(FY)?([0-9]{4})((?:H[12]|Q[1-4](?:-Q[1-4])?)?)$")
    year = m.struct.field("2").cast(pl.Int32, strict=False)
    return pl.concat_str([m.struct.field("1").fill_null(""), (year - 1).cast(pl.String), m.struct.field("3")])


def facts_frame(notes: pl.DataFrame, facts: pl.DataFrame, lex: Lexicon) -> pl.DataFrame:
    read = ["note_id", "metric_code", "measure", "period_type", "period_label", "unit"]
    safe = lenient(facts, {c: FACTS[c] for c in read}).with_row_index(ROW_IDX).with_columns(
        pl.col(ROW_IDX).cast(pl.Int64))
    vt = lex.metrics.select(pl.col("code").alias("metric_code"), "value_type")
    measure_class = (
        pl.when(pl.col("measure") == "level").then(pl.lit("level"))
        .when(pl.col("measure").is_in(["yoy", "qoq"])).then(pl.lit("change"))
        .when(pl.col("measure").is_in(["yoy_pp", "qoq_pp"])).then(pl.lit("pp_change"))
        .otherwise(pl.lit("other"))
    )
    derived = (
        # only the columns the derivations read: casting and joining the whole batch would copy it
        safe.join(vt, on="metric_code", how="left", maintain_order="left")
        .join(_published_dates(notes), on="note_id", how="left", maintain_order="left")
        .sort(ROW_IDX)
        .with_columns(
            measure_class.alias("measure_class"),
            pl.col("value_type").is_not_null().alias("metric_known"),
            period_end(pl.col("period_label")).alias("period_end"),
            pl.concat_str([pl.col("period_type").fill_null("?"), pl.col("period_label").fill_null("?")],
                          separator="|").alias("period_key"),
        )
        .with_columns(
            pl.concat_str([pl.col("value_type").fill_null("?"), pl.col("measure_class"),
                           pl.col("unit").fill_null("?")], separator="|").alias("unit_key"),
            (pl.col("period_end") - pl.col("published_date")).dt.total_days().alias("days_after_pub"),
        )
        .select(ROW_IDX, "value_type", "metric_known", "measure_class", "unit_key", "period_key", "period_end",
                "published_date", "days_after_pub")
    )
    return pl.concat([facts.drop(derived.columns, strict=False), derived], how="horizontal")


def documents_frame(notes: pl.DataFrame, facts: pl.DataFrame, ratings: pl.DataFrame) -> pl.DataFrame:
    safe = lenient(notes, NOTES).with_row_index(ROW_IDX).with_columns(pl.col(ROW_IDX).cast(pl.Int64))
    key = ("note_id", "company_name")  # cast only these: a lenient copy of the whole batch is its size again
    f = lenient(facts, {c: FACTS[c] for c in key})
    r = lenient(ratings, {c: RATINGS[c] for c in key})
    n_facts = f.group_by("note_id").agg(pl.len().cast(pl.Int64).alias("n_facts"))
    n_comp = (
        pl.concat([f, r]).drop_nulls().group_by("note_id")
        .agg(pl.col("company_name").n_unique().cast(pl.Int64).alias("n_companies"))
    )
    derived = (
        safe.select(ROW_IDX, "note_id")
        .join(n_facts, on="note_id", how="left", maintain_order="left")
        .join(n_comp, on="note_id", how="left", maintain_order="left")
        .sort(ROW_IDX)
        .select(ROW_IDX, pl.col("n_facts").fill_null(0), pl.col("n_companies").fill_null(0))
    )
    # `text` is large and only its type is checked: hand GX a short head of it
    if "text" in notes.columns and notes.schema["text"] == pl.String:
        notes = notes.with_columns(pl.col("text").str.slice(0, 80))
    return pl.concat([notes.drop(derived.columns, strict=False), derived], how="horizontal")


def ratings_frame(notes: pl.DataFrame, ratings: pl.DataFrame) -> pl.DataFrame:
    safe = lenient(ratings, RATINGS).with_row_index(ROW_IDX).with_columns(pl.col(ROW_IDX).cast(pl.Int64))
    derived = (
        safe.join(_published_dates(notes), on="note_id", how="left", maintain_order="left")
        .sort(ROW_IDX)
        .select(
            ROW_IDX,
            (pl.col("rating").is_not_null() | pl.col("target_price").is_not_null()).alias("has_content"),
            pl.col("target_price").is_not_null().alias("has_target"),
            (pl.col("rating_date") - pl.col("published_date")).dt.total_days().alias("days_after_pub"),
        )
    )
    return pl.concat([ratings.drop(derived.columns, strict=False), derived], how="horizontal")
