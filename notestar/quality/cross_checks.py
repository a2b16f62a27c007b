"""Cross-fact checks: SQL files in `sql/checks/`, run by an in-memory DuckDB over the batch (Arrow).

Each file starts with `-- check:`, `-- severity:` and `-- description:` lines and returns one row per
batch fact it looked at: `row_idx`, `failed`, `reason`. The view `facts` holds the batch's facts
(with `row_idx`) plus, when a published warehouse is given, its facts for the companies and periods
this batch touches (row_idx NULL), so a new note is compared with what is already loaded.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from ..settings import PROJECT_ROOT
from .frames import ROW_IDX, prior_year_label

log = logging.getLogger("notestar.quality")

CHECKS_DIR = PROJECT_ROOT / "sql" / "checks"
MARGIN_PAIRS = Path(__file__).resolve().parent / "margin_pairs.csv"
FACT_COLUMNS = ["note_id", "source_file", "company_name", "metric_code", "segment_code", "measure", "period_label",
                "basis", "value", "unit", "decimals", "value_text"]

# Half a unit of the last digit as written (XBRL decimals); an exact-ish tolerance when unknown.
HALF_UNIT_MACRO = """
CREATE OR REPLACE MACRO half_unit(v, d) AS
    CASE WHEN d IS NULL THEN abs(v) * 1e-6 + 1e-9 ELSE 0.5 * pow(10, -d) END
"""

# The warehouse's facts for the keys this batch touches (sql/fact_metric.sql, dim_company, dim_document):
# company x metric x period, where the metric is the batch fact's own or a margin's profit / revenue and the
# period its own or the prior year's. A top-up thus reads a few facts per new fact, not every fact of the
# companies it names (which, with hundreds of notes a night, is most of the warehouse).
REFERENCE_SQL = """
SELECT f.note_id, d.source_file, c.company_name, f.metric_code, f.segment_code, f.measure, f.period_label,
       f.basis, f.value, f.unit, f.decimals, f.value_text
FROM ref_keys k
JOIN ref.dim_company c ON c.company_name = k.company_name
JOIN ref.fact_metric f
  ON f.company_key = c.company_key AND f.metric_code = k.metric_code AND f.period_label = k.period_label
LEFT JOIN ref.dim_document d ON d.note_id = f.note_id
WHERE f.note_id NOT IN (SELECT note_id FROM batch_notes)
"""


def reference_keys(batch: pl.DataFrame, margin_pairs: pl.DataFrame) -> pl.DataFrame:
    """(company_name, metric_code, period_label) the cross checks may compare a batch fact with."""
    own = batch.select("company_name", "metric_code", "period_label", "prior_label")
    partners = (
        own.join(margin_pairs.select(pl.col("margin_code").alias("metric_code"), "profit_code", "revenue_code"),
                 on="metric_code")
        .select("company_name", "period_label", pl.concat_list("profit_code", "revenue_code").alias("metric_code"))
        .explode("metric_code")
    )
    keys = pl.concat([
        own.select("company_name", "metric_code", "period_label"),
        own.select("company_name", "metric_code", pl.col("prior_label").alias("period_label")),
        partners.select("company_name", "metric_code", "period_label"),
    ])
    return keys.drop_nulls().unique()


@dataclass(frozen=True)
class SqlCheck:
    name: str
    severity: str
    description: str
    sql: str


@dataclass
class CrossOutcome:
    check: SqlCheck
    evaluated: int
    failures: dict[int, str]  # row_idx -> reason


def load_checks(folder: Path = CHECKS_DIR) -> list[SqlCheck]:
    checks = []
    for path in sorted(folder.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        header = dict(re.findall(r"^--\s*(check|severity|description):\s*(.+?)\s*$", text, flags=re.M))
        checks.append(SqlCheck(header.get("check", f"cross.{path.stem}"), header.get("severity", "warning"),
                               header.get("description", ""), text))
    return checks


def _reference_facts(con: duckdb.DuckDBPyConnection, reference_db: Path | None) -> pl.DataFrame | None:
    if reference_db is None or not Path(reference_db).exists():
        return None
    try:
        con.execute(f"ATTACH '{Path(reference_db).as_posix()}' AS ref (READ_ONLY)")
    except duckdb.Error as exc:  # e.g. a writer holds the file: check the batch alone, say so
        log.warning("reference warehouse %s not readable, cross-note checks use this batch only: %s",
                    reference_db, exc)
        return None
    try:
        return con.sql(REFERENCE_SQL).pl()
    except duckdb.Error as exc:
        log.warning("reference warehouse %s has no usable fact_metric: %s", reference_db, exc)
        return None
    finally:
        con.execute("DETACH ref")


# Every check compares facts of one company only (all join on company_name), so the batch is checked in
# parts of about this many facts, each part holding whole companies: memory stays that of one part.
PART_ROWS = 250_000


def _part_of(df: pl.DataFrame, n: int) -> pl.Series:
    return df.select(pl.col("company_name").fill_null("").hash(seed=11) % n).to_series()


def _company_parts(batch: pl.DataFrame, ref: pl.DataFrame | None, part_rows: int, exclude_rows: set[int]):
    """(batch part, reference part) pairs that split the companies between them, one pair at a time;
    batch rows in exclude_rows are left out."""
    n = max(1, -(-batch.height // part_rows))
    keep = (~batch[ROW_IDX].is_in(pl.Series(sorted(exclude_rows), dtype=pl.Int64).implode())
            if exclude_rows else None)
    if n == 1:
        yield (batch.filter(keep) if keep is not None else batch), ref
        return
    batch_part = _part_of(batch, n)
    ref_part = _part_of(ref, n) if ref is not None and ref.height else None
    for k in range(n):
        mask = (batch_part == k) & keep if keep is not None else batch_part == k
        yield batch.filter(mask), (ref.filter(ref_part == k) if ref_part is not None else None)


def _run_check(con: duckdb.DuckDBPyConnection, check: SqlCheck) -> tuple[int, pl.DataFrame]:
    """(rows evaluated, failing rows): the check's one-row-per-fact output stays inside DuckDB, which
    spills beyond its memory limit; only the failures come back."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE check_out AS {check.sql.strip().rstrip(';')}").fetchall()
    evaluated = con.execute("SELECT count(*) FROM check_out").fetchall()[0][0]
    failing = con.sql(f"SELECT {ROW_IDX}, reason FROM check_out WHERE failed ORDER BY {ROW_IDX}").pl()
    con.execute("DROP TABLE check_out").fetchall()  # drained: DuckDB 2.0 refuses work past an open result
    return evaluated, failing


def run_cross_checks(facts: pl.DataFrame, metrics: pl.DataFrame, reference_db: Path | None = None,
                     part_rows: int = PART_ROWS, exclude_rows: set[int] | None = None) -> list[CrossOutcome]:
    """Run every sql/checks/*.sql over `facts` (FACTS columns + row_idx), leaving out the rows in
    exclude_rows (those not to be loaded)."""
    batch = facts.select(pl.col(ROW_IDX).cast(pl.Int64), *FACT_COLUMNS).with_columns(
        prior_year_label(pl.col("period_label")).alias("prior_label"))
    margin_pairs = pl.read_csv(MARGIN_PAIRS)
    checks = load_checks()
    evaluated = {c.name: 0 for c in checks}
    failures: dict[str, dict[int, str]] = {c.name: {} for c in checks}
    # DuckDB takes up to 80 % of RAM by default; the checks' joins spill to disk beyond this instead
    con = duckdb.connect(config={"memory_limit": os.environ.get("NOTESTAR_DUCKDB_MEMORY", "512MB"),
                                 "temp_directory": str(Path(tempfile.gettempdir()) / "notestar_duckdb_spill")})
    try:
        con.execute(HALF_UNIT_MACRO)
        con.register("batch_notes", batch.select("note_id").unique())
        con.register("metrics", metrics.select("code", "value_type"))
        con.register("margin_pairs", margin_pairs)
        con.register("ref_keys", reference_keys(batch, margin_pairs))
        ref = _reference_facts(con, reference_db)
        if ref is not None and ref.height:
            ref = ref.with_columns(pl.lit(None, dtype=pl.Int64).alias(ROW_IDX),
                                   prior_year_label(pl.col("period_label")).alias("prior_label")
                                   ).select(batch.columns)
        for batch_part, ref_part in _company_parts(batch, ref, part_rows, exclude_rows or set()):
            if batch_part.height == 0:
                continue
            part = (pl.concat([batch_part, ref_part], how="vertical_relaxed")
                    if ref_part is not None and ref_part.height else batch_part)
            con.register("facts", part)
            for check in checks:
                n, failing = _run_check(con, check)
                evaluated[check.name] += n
                failures[check.name].update(zip(failing[ROW_IDX].to_list(), failing["reason"].to_list(),
                                                strict=True))
            con.unregister("facts")
        # sorted: the examples in the report are the first failures of the batch
        return [CrossOutcome(c, evaluated[c.name], dict(sorted(failures[c.name].items()))) for c in checks]
    finally:
        con.close()
