"""Warehouse tables: dimensions, facts and data-quality history, published in one atomic load."""


from dagster import AssetExecutionContext, AssetIn, AssetSpec, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource

from notestar.pipeline import IngestOutput, load_step
from pipelines.resources import NotestarSettings

UPSTREAM = ["raw_notes", "extracted_facts", "validated_facts"]
WAREHOUSE_TABLES = (
    "dim_company", "dim_metric", "dim_segment", "dim_period", "dim_date", "dim_document",
    "fact_metric", "fact_rating", "dq_run", "dq_result", "dq_quarantine",
)


@multi_asset(
    specs=[AssetSpec(name, group_name="warehouse", kinds={"duckdb"}, deps=UPSTREAM) for name in WAREHOUSE_TABLES],
    ins={"raw_notes": AssetIn(), "extracted_facts": AssetIn(), "validated_facts": AssetIn()},
)
def warehouse_tables(context: AssetExecutionContext, notestar: NotestarSettings, duckdb: DuckDBResource,
                     raw_notes: IngestOutput, extracted_facts, validated_facts):
    """One transaction into a copy of the warehouse, then an atomic swap (readers keep their snapshot)."""
    load_step(notestar.settings(), context.run.run_id, raw_notes, extracted_facts, validated_facts)
    with duckdb.get_connection() as con:
        counts = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in WAREHOUSE_TABLES}
    for name in WAREHOUSE_TABLES:
        yield MaterializeResult(asset_key=name, metadata={"rows": counts[name]})
