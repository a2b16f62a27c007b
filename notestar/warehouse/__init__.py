"""The DuckDB warehouse: star schema DDL (sql/), incremental atomic loads, publishing and export."""

from notestar.warehouse.export import export_star
from notestar.warehouse.load import LoadBatch, LoadSummary, load_batch, loaded_notes, recent_runs, table_counts
from notestar.warehouse.publish import connect_readonly
from notestar.warehouse.schema import apply_schema

__all__ = [
    "LoadBatch",
    "LoadSummary",
    "apply_schema",
    "connect_readonly",
    "export_star",
    "load_batch",
    "loaded_notes",
    "recent_runs",
    "table_counts",
]
