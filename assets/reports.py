"""The nightly data-quality report (offline HTML) and GX Data Docs."""


from dagster import AssetExecutionContext, MetadataValue, asset

from notestar.pipeline import report_step
from pipelines.resources import NotestarSettings

from .warehouse import WAREHOUSE_TABLES


@asset(group_name="reports", kinds={"html"}, deps=list(WAREHOUSE_TABLES))
def dq_report(context: AssetExecutionContext, notestar: NotestarSettings) -> str:
    """reports/dq_report.html: run summary, checks, conflicts, quarantine, trends."""
    path = report_step(notestar.settings())
    context.add_output_metadata({"path": MetadataValue.path(str(path))})
    return str(path)
