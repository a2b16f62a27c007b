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


def run_cross_checks(facts: pl.DataFrame, metrics: pl.DataFrame,
                     reference_db: Path | None = None) -> list[CrossOutcome]:
    """Run every sql/checks/*.sql over `facts` (FACTS columns + row_idx; only rows still to be loaded)."""
    batch = facts.select(ROW_IDX, *FACT_COLUMNS).with_columns(
        prior_year_label(pl.col("period_label")).alias("prior_label"))
    batch_notes = batch.select("note_id").unique()
    margin_pairs = pl.read_csv(MARGIN_PAIRS)
    # DuckDB takes up to 80 % of RAM by default; the checks' joins spill to disk beyond this instead
    con = duckdb.connect(config={"memory_limit": os.environ.get("NOTESTAR_DUCKDB_MEMORY", "512MB"),
                                 "temp_directory": str(Path(tempfile.gettempdir()) / "notestar_duckdb_spill")})
    try:
        con.execute(HALF_UNIT_MACRO)
        con.register("batch", batch)
        con.register("batch_notes", batch_notes)
        con.register("metrics", metrics.select("code", "value_type"))
        con.register("margin_pairs", margin_pairs)
        con.register("ref_keys", reference_keys(batch, margin_pairs))
        ref = _reference_facts(con, reference_db)
        if ref is not None and ref.height:
            ref = ref.with_columns(pl.lit(None, dtype=pl.Int64).alias(ROW_IDX),
                                   prior_year_label(pl.col("period_label")).alias("prior_label"))
            all_facts = pl.concat([batch, ref.select(batch.columns)], how="vertical_relaxed")
        else:
            all_facts = batch
        con.register("facts", all_facts)
        out = []
        for check in load_checks():
            rows = con.sql(check.sql).pl() if batch.height else pl.DataFrame(
                schema={ROW_IDX: pl.Int64, "failed": pl.Boolean, "reason": pl.String})
            # sorted: a GROUP BY returns rows in no fixed order, and the examples are the first failures
            failing = rows.filter(pl.col("failed").fill_null(False)).sort(ROW_IDX)
            out.append(CrossOutcome(check, rows.height,
                                    dict(zip(failing[ROW_IDX].to_list(), failing["reason"].to_list(), strict=True))))
        return out
    finally:
        con.close()
