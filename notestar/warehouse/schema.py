"""The warehouse DDL: one SQL file per model in `sql/`, applied in dependency order.

Tables (`dim_*`, `fact_*`, `dq_*`) are created first with CREATE TABLE IF NOT EXISTS; views (`v_*`) are
CREATE OR REPLACE and ordered so every view comes after the models it reads (found from the names each
file mentions), which is what DuckDB needs to bind them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import duckdb

from notestar.settings import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "sql"
TABLE_PREFIXES = ("dim_", "fact_", "dq_")
# Written with this storage version so the DuckDB CLI from PyPI (duckdb-cli 1.5.x) can open the file.
STORAGE_COMPATIBILITY = "v1.5.0"


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


@lru_cache(maxsize=4)
def model_files(sql_dir: Path = SQL_DIR) -> dict[str, str]:
    """Model name -> SQL text for every top-level `*.sql` file (queries/ excluded)."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(sql_dir.glob("*.sql"))}


def dependency_order(models: dict[str, str]) -> list[str]:
    """Tables first (alphabetical within dims, facts, dq), then views topologically sorted."""
    tables = [m for m in models if m.startswith(TABLE_PREFIXES)]
    tables.sort(key=lambda m: (TABLE_PREFIXES.index(m[: m.index("_") + 1]), m))
    views = [m for m in models if m not in tables]
    deps = {
        v: {
            o
            for o in views
            if o != v and re.search(rf"\b{re.escape(o)}\b", _strip_comments(models[v]))
        }
        for v in views
    }
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(view: str) -> None:
        if view in ordered:
            return
        if view in visiting:
            raise ValueError(f"circular view dependency through {view}")
        visiting.add(view)
        for dep in sorted(deps[view]):
            visit(dep)
        visiting.discard(view)
        ordered.append(view)

    for view in sorted(views):
        visit(view)
    return tables + ordered


def table_names(sql_dir: Path = SQL_DIR) -> list[str]:
    return [m for m in dependency_order(model_files(sql_dir)) if m.startswith(TABLE_PREFIXES)]


def view_names(sql_dir: Path = SQL_DIR) -> list[str]:
    return [m for m in dependency_order(model_files(sql_dir)) if not m.startswith(TABLE_PREFIXES)]


def apply_schema(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    """Create missing tables, add columns new to the DDL, (re)create every view; returns the models applied."""
    models = model_files(sql_dir)
    order = dependency_order(models)
    tables = [m for m in order if m.startswith(TABLE_PREFIXES)]
    for name in tables:
        con.execute(models[name]).fetchall()
    add_missing_columns(con, {m: models[m] for m in tables})
    for name in order[len(tables):]:
        con.execute(models[name]).fetchall()
    return order


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index"
    ).fetchall()
    for table, column, dtype in rows:
        out.setdefault(table, {})[column] = dtype
    return out


def add_missing_columns(con: duckdb.DuckDBPyConnection, table_ddl: dict[str, str]) -> list[str]:
    """A warehouse built by an older DDL gets the columns added since (nullable; keys are not migrated)."""
    reference = duckdb.connect(":memory:")
    try:
        for ddl in table_ddl.values():
            reference.execute(ddl).fetchall()
        wanted = _columns(reference)
    finally:
        reference.close()
    present = _columns(con)
    added = []
    for table, columns in wanted.items():
        for column, dtype in columns.items():
            if table in present and column not in present[table]:
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {dtype}').fetchall()
                added.append(f"{table}.{column}")
    return added
