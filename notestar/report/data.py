"""What the report shows, read from the warehouse (read-only): runs, check results, quarantine, conflicts.

Columns are read by name with `SELECT *` and picked in Python, so a column added to or missing from the
warehouse DDL (sql/dq_*.sql) degrades one cell of the page, not the whole report.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from notestar.warehouse.publish import connect_readonly

log = logging.getLogger("notestar.report")

MAX_QUARANTINE_ROWS = 500
MAX_CONFLICT_ROWS = 200


@dataclass
class ReportData:
    runs: list[dict] = field(default_factory=list)  # oldest first
    results: list[dict] = field(default_factory=list)  # every run's check results
    quarantine: list[dict] = field(default_factory=list)
    quarantine_total: int = 0
    conflicts: list[dict] = field(default_factory=list)
    facts_total: int = 0
    facts_flagged: int = 0
    tables: set[str] = field(default_factory=set)

    @property
    def latest(self) -> dict | None:
        return self.runs[-1] if self.runs else None

    def latest_results(self) -> list[dict]:
        if not self.latest:
            return []
        run_id = self.latest.get("run_id")
        return [r for r in self.results if r.get("run_id") == run_id]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    rel = con.sql(sql)
    cols = rel.columns
    return [dict(zip(cols, row, strict=True)) for row in rel.fetchall()]


def _has_column(con, table: str, column: str) -> bool:
    return bool(con.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = ?", [table, column]
    ).fetchall())


def read_report_data(db_path: Path, cache_dir: Path | None = None) -> ReportData:
    """Everything the page shows. `cache_dir` keeps the conflicts list between runs that loaded nothing new:
    it is the one costly query (a scan of every reported figure) and only changes when facts do."""
    data = ReportData()
    if not Path(db_path).exists():
        return data
    con = connect_readonly(Path(db_path))  # with the memory cap: the conflicts query scans every fact
    try:
        data.tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "dq_run" in data.tables:
            order = "started_at" if _has_column(con, "dq_run", "started_at") else "run_id"
            data.runs = _rows(con, f"SELECT * FROM dq_run ORDER BY {order} NULLS FIRST, run_id")
        if "dq_result" in data.tables:
            data.results = _rows(con, "SELECT * FROM dq_result ORDER BY check_name, table_name")
        if "dq_quarantine" in data.tables:
            data.quarantine_total = con.execute("SELECT count(*) FROM dq_quarantine").fetchall()[0][0]
            order = ("last_run_id DESC NULLS LAST, " if _has_column(con, "dq_quarantine", "last_run_id") else "")
            data.quarantine = _rows(con, f"SELECT * FROM dq_quarantine ORDER BY {order}check_name, source_file "
                                         f"LIMIT {MAX_QUARANTINE_ROWS}")
        if "fact_metric" in data.tables:
            data.facts_total = con.execute("SELECT count(*) FROM fact_metric").fetchall()[0][0]
            if _has_column(con, "fact_metric", "dq_warning"):
                data.facts_flagged = con.execute(
                    "SELECT count(*) FROM fact_metric WHERE dq_warning").fetchall()[0][0]
        data.conflicts = _cached_conflicts(con, data, cache_dir)
    finally:
        con.close()
    return data


def _facts_version(con, data: ReportData) -> str | None:
    """Changes whenever a note's facts are (re)loaded: the fact count and every document's loading run."""
    if "dim_document" not in data.tables or not _has_column(con, "dim_document", "loaded_run_id"):
        return None
    docs, digest = con.execute(
        "SELECT count(*), bit_xor(hash(note_id || coalesce(loaded_run_id, ''))) FROM dim_document").fetchall()[0]
    return f"{data.facts_total}:{docs}:{digest}"


def _cached_conflicts(con, data: ReportData, cache_dir: Path | None) -> list[dict]:
    version = _facts_version(con, data) if cache_dir is not None else None
    cache = Path(cache_dir) / "conflicts_cache.json" if cache_dir is not None else None
    if version and cache.exists():
        with contextlib.suppress(ValueError, OSError, KeyError):
            stored = json.loads(cache.read_text(encoding="utf-8"))
            if stored["version"] == version:
                return stored["conflicts"]
    conflicts = _conflicts(con, data)
    if version:
        with contextlib.suppress(OSError, TypeError):
            cache.write_text(json.dumps({"version": version, "conflicts": conflicts}, default=str, ensure_ascii=False),
                             encoding="utf-8")
    return conflicts


def _conflicts(con, data: ReportData) -> list[dict]:
    """Sources that disagree: the warehouse's v_conflicts view, else the latest run's agreement check."""
    if "v_conflicts" in data.tables:
        try:
            return _rows(con, "SELECT company_name, metric_code, segment_code, measure, period_label, unit, "
                              "best_value, best_source_file, value, value_text, source_file, publisher, evidence "
                              f"FROM v_conflicts ORDER BY company_name, metric_code, period_label "
                              f"LIMIT {MAX_CONFLICT_ROWS}")
        except duckdb.Error as exc:
            log.warning("v_conflicts not readable, conflicts taken from the latest run's checks: %s", exc)
    out = []
    for r in data.latest_results():
        if r.get("check_name") == "cross.source_agreement" and r.get("failing_examples"):
            for ex in json.loads(r["failing_examples"]):
                out.append({**ex, "best_value": None, "best_source_file": None})
    return out
