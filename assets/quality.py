"""Validated facts: GX suites + cross-fact checks; failures quarantined, warnings flagged.

Every check (each GX expectation of `expectations/*.json` and each `sql/checks/*.sql`) is a Dagster asset
check on this asset, so the UI shows pass/fail per check per run. The check list is read from the same
data the validator uses (`notestar.quality.expectations`, `sql/checks/`), without importing GX.
`batch_usable` is blocking: when a whole batch is unusable the warehouse is not touched.
"""

import json
import re

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    Output,
    asset,
)

from notestar.lexicon import load_lexicon
from notestar.pipeline import IngestOutput, validate_step
from notestar.quality.cross_checks import load_checks
from notestar.quality.expectations import all_checks
from pipelines.resources import NotestarSettings

MAX_UNUSABLE_SHARE = 0.5  # more than half of a batch's facts quarantined: something upstream broke


def dagster_check_name(check_name: str) -> str:
    """gx.metric_facts.unit_in_set -> gx__metric_facts__unit_in_set (Dagster names are [A-Za-z0-9_])."""
    return re.sub(r"[^A-Za-z0-9_]", "_", check_name.replace(".", "__"))


def declared_checks() -> dict[str, str]:
    """Every validation check by name, with its description."""
    checks = {c.name: f"[{c.severity}] {c.description or c.expectation}"
              for suite in all_checks(load_lexicon()).values() for c in suite}
    checks.update({c.name: f"[{c.severity}] {c.description}" for c in load_checks()})
    return checks


DECLARED = declared_checks()


def check_results(results: pl.DataFrame) -> list[AssetCheckResult]:
    """One AssetCheckResult per declared check; a check the validator did not report is a failure."""
    by_name = {r["check_name"]: r for r in results.iter_rows(named=True)}
    out = []
    for name in DECLARED:
        row = by_name.get(name)
        if row is None:
            out.append(AssetCheckResult(check_name=dagster_check_name(name), passed=False,
                                        severity=AssetCheckSeverity.WARN,
                                        description="the validator reported no result for this check"))
            continue
        examples = row["failing_examples"] or "[]"
        out.append(AssetCheckResult(
            check_name=dagster_check_name(name),
            passed=bool(row["success"]),
            severity=AssetCheckSeverity.ERROR if row["severity"] == "error" else AssetCheckSeverity.WARN,
            metadata={"evaluated": int(row["evaluated"] or 0), "failed": int(row["failed"] or 0),
                      "severity": row["severity"], "failing_examples": json.loads(examples)[:5] if examples else []},
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
    check_specs=[AssetCheckSpec(dagster_check_name(n), asset="validated_facts", description=d)
                 for n, d in DECLARED.items()]
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
