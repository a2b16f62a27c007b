"""Validated facts: GX suites + cross-fact checks; failures quarantined, warnings flagged.

The validation results are reported as Dagster asset checks on this asset, so the UI shows pass/fail
per check group per run. `batch_usable` is blocking: when a whole batch is unusable the warehouse
is not touched.
"""


import json

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    Output,
    asset,
)

from notestar.pipeline import IngestOutput, validate_step
from pipelines.resources import NotestarSettings

# Check groups shown in the Dagster UI; each groups the DQ_RESULTS rows named in CHECK_GROUPS.
CHECK_GROUPS = {
    "gx_documents": "GX suite over the documents (notes) table",
    "gx_metric_facts": "GX suite over the extracted metric facts",
    "gx_ratings": "GX suite over ratings and target prices",
    "cross_fact_checks": "Consistency across facts and notes (agreement, yoy vs levels, segments vs total, margins)",
}
MAX_UNUSABLE_SHARE = 0.5  # more than half of a batch's facts quarantined: something upstream broke


def _group_of(check_name: str, table_name: str) -> str:
    if check_name.startswith("cross"):
        return "cross_fact_checks"
    group = f"gx_{table_name}"
    return group if group in CHECK_GROUPS else "gx_metric_facts"


def check_results(results: pl.DataFrame) -> list[AssetCheckResult]:
    """One AssetCheckResult per group: passed when every check in it passed; per-check figures in metadata."""
    out = []
    for group, description in CHECK_GROUPS.items():
        rows = [r for r in results.iter_rows(named=True) if _group_of(r["check_name"], r["table_name"]) == group]
        failed = [r for r in rows if not r["success"]]
        errors = [r for r in failed if r["severity"] == "error"]
        out.append(AssetCheckResult(
            check_name=group,
            passed=not failed,
            severity=AssetCheckSeverity.ERROR if errors else AssetCheckSeverity.WARN,
            description=description,
            metadata={
                "checks": len(rows),
                "checks_failed": len(failed),
                "failed_rows": sum(int(r["failed"] or 0) for r in failed),
                "results": json.dumps(
                    {r["check_name"]: {"success": r["success"], "severity": r["severity"],
                                       "evaluated": r["evaluated"], "failed": r["failed"]} for r in rows},
                    ensure_ascii=False),
            },
        ))
    return out


def batch_usable(extracted_count: int, loaded_count: int) -> tuple[bool, str]:
    if extracted_count == 0:
        return True, "no new facts in this batch"
    share = 1 - loaded_count / extracted_count
    ok = share <= MAX_UNUSABLE_SHARE
    return ok, f"{share:.0%} of {extracted_count} facts quarantined (limit {MAX_UNUSABLE_SHARE:.0%})"


@asset(
    group_name="quality",
    kinds={"great_expectations", "polars"},
    check_specs=[AssetCheckSpec(name, asset="validated_facts", description=d) for name, d in CHECK_GROUPS.items()]
    + [AssetCheckSpec("batch_usable", asset="validated_facts", blocking=True,
                      description="Stops the load when most of a batch fails validation")],
)
def validated_facts(context: AssetExecutionContext, notestar: NotestarSettings, raw_notes: IngestOutput,
                    extracted_facts):
    """Facts and ratings that passed the error-severity checks, plus the quarantine and the check results."""
    validated = validate_step(notestar.settings(), raw_notes, extracted_facts)
    yield Output(validated, metadata={
        "facts_passed": validated.facts.height,
        "ratings_passed": validated.ratings.height,
        "rows_quarantined": validated.quarantine.height,
        "checks": validated.results.height,
        "checks_failed": int((~validated.results["success"]).sum()) if validated.results.height else 0,
    })
    yield from check_results(validated.results)
    ok, why = batch_usable(extracted_facts.facts.height, validated.facts.height)
    yield AssetCheckResult(check_name="batch_usable", passed=ok, description=why)
