"""Export the star schema (every table) to Parquet or CSV files, one file per table.

Parquet is also the lock-free way to hand the data to another engine; reading from the published file
read-only never blocks a running load (the loader writes to its own copy).
"""

from __future__ import annotations

from pathlib import Path

from notestar.warehouse.publish import connect_readonly
from notestar.warehouse.schema import table_names

FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER true)"}


def export_star(db_path: Path, out_dir: Path, fmt: str = "parquet") -> list[Path]:
    """Write <out_dir>/<table>.<fmt> for every dim_*, fact_* and dq_* table; returns the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {sorted(FORMATS)}")
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect_readonly(db_path)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        written = []
        for table in table_names():
            if table not in present:
                continue
            path = out_dir / f"{table}.{fmt}"
            # CSV cannot hold lists: write them as '|'-joined text, the lexicon's own convention
            cols = con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table],
            ).fetchall()
            select = ", ".join(
                f"array_to_string({name}, '|') AS {name}" if fmt == "csv" and dtype.endswith("[]") else name
                for name, dtype in cols
            )
            target = str(path).replace("'", "''")
            con.execute(f"COPY (SELECT {select} FROM {table}) TO '{target}' {FORMATS[fmt]}")
            written.append(path)
        return written
    finally:
        con.close()
