"""notestar: research notes -> validated facts -> DuckDB star schema.

The engine (ingest, extract, quality, warehouse, report) never imports Dagster;
`assets/` and `pipelines/` wire it into Dagster.
"""

__version__ = "0.1.0"
