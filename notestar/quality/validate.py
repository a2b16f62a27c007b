"""validate(): GX suites + cross-fact checks -> rows to load, quarantine and one result row per check.

Severity decides what happens to a failing row: `error` sends it to the quarantine (one row per failing
check, with the reason and the row as JSON) instead of the load; `warning` loads it with dq_warning=True
and the check names in dq_warnings. A document (note) that fails a check passes the failure on to its
facts: error -> its facts and ratings are quarantined, warning -> its facts are flagged.
Cross-fact checks run only over the facts that survived the error checks.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..lexicon import load_lexicon
from ..memory import release_memory
from ..schemas import DQ_RESULTS, FACTS, QUARANTINE, RATINGS, conform
from . import gx_runner
from .cross_checks import FACT_COLUMNS, run_cross_checks
from .expectations import ERROR, all_checks
from .frames import ROW_IDX, documents_frame, facts_frame, lenient, ratings_frame

log = logging.getLogger("notestar.quality")

MAX_EXAMPLES = 5
EXAMPLE_COLUMNS = {
    "metric_facts": ["note_id", "source_file", "company_name", "metric_code", "segment_code", "measure",
                     "period_label", "basis", "value", "unit", "value_text", "evidence"],
    "ratings": ["note_id", "source_file", "company_name", "institution", "rating", "target_price", "currency",
                "evidence"],
    "documents": ["note_id", "source_file", "title", "publisher", "published_at", "kind"],
}


@dataclass
class ValidationResult:
    facts: pl.DataFrame  # schemas.FACTS + dq_warning (bool) + dq_warnings (str, ';'-joined check names)
    ratings: pl.DataFrame  # schemas.RATINGS rows to load
    quarantine: pl.DataFrame  # schemas.QUARANTINE: rows sent away by error-severity checks
    results: pl.DataFrame  # schemas.DQ_RESULTS: one row per check


class _Rows:
    """Row dicts of one frame, materialised only for the rows a check names (failures are few;
    turning a whole batch into dicts cost ~3 KB per fact and most of validate's memory)."""

    def __init__(self, df: pl.DataFrame):
        self.df = df
        self._cache: dict[int, dict] = {}

    def __len__(self) -> int:
        return self.df.height

    def fetch(self, idxs) -> None:
        missing = sorted({i for i in idxs if i not in self._cache and 0 <= i < self.df.height})
        if missing:
            self._cache.update(zip(missing, self.df[missing].to_dicts(), strict=True))

    def __getitem__(self, idx: int) -> dict:
        if idx not in self._cache:
            self.fetch([idx])
        return self._cache.get(idx, {})

    def column(self, name: str) -> list:
        return self.df[name].to_list() if name in self.df.columns else [None] * self.df.height


class _Ledger:
    """Failures per table and row: errors (with reasons) and warnings, plus one result row per check."""

    def __init__(self, frames: dict[str, pl.DataFrame]):
        self.rows = {t: _Rows(f) for t, f in frames.items()}
        self.errors: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        self.warnings: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.results: list[dict] = []

    def record(self, table: str, name: str, severity: str, description: str, evaluated: int,
               failures: dict[int, str], example_table: str | None = None) -> None:
        for idx, reason in failures.items():
            if severity == ERROR:
                self.errors[table][idx].append((name, reason))
            else:
                self.warnings[table][idx].append(name)
        src = self.rows[example_table or table]
        examples = []
        for idx, reason in list(failures.items())[:MAX_EXAMPLES]:
            row = src[idx] if idx < len(src) else {}
            ex = {k: row.get(k) for k in EXAMPLE_COLUMNS[example_table or table] if k in row}
            examples.append({**ex, "row_idx": idx, "reason": reason})
        self.results.append({
            "check_name": name, "table_name": example_table or table, "severity": severity,
            "success": not failures, "evaluated": evaluated, "failed": len(failures),
            "failing_examples": json.dumps(examples, ensure_ascii=False, default=str),
            "description": description,
        })


def _reason(outcome, row: dict) -> str:
    check = outcome.check
    if outcome.all_rows:
        return f"{check.description} — {outcome.detail}"
    col = check.column
    if check.expectation == "ExpectCompoundColumnsToBeUnique":
        return f"{check.description} — duplicate of an earlier row"
    if col == "unit_key":
        return f"{check.description} — unit {row.get('unit')!r} for a {row.get('value_type')} {row.get('measure')}"
    if col == "period_key":
        return f"{check.description} — {row.get('period_type')!r} / {row.get('period_label')!r}"
    if col == "days_after_pub":
        return (f"{check.description} — period {row.get('period_label') or row.get('rating_date')} "
                f"ends {row.get('period_end') or ''} vs published {row.get('published_date')}")
    if col:
        return f"{check.description} — got {col}={row.get(col)!r}"
    return check.description


def _keep_first_failures(outcome, rows: _Rows) -> list[int]:
    """For a uniqueness check: every duplicated row except the first of its key."""
    cols = outcome.check.kwargs["column_list"]
    rows.fetch(outcome.failed_rows)
    seen, later = set(), []
    for idx in outcome.failed_rows:
        key = tuple(str(rows[idx].get(c)) for c in cols)
        if key in seen:
            later.append(idx)
        seen.add(key)
    return later


def _apply_gx(ledger: _Ledger, table: str, outcomes, n_rows: int) -> None:
    rows = ledger.rows[table]
    for o in outcomes:
        if o.all_rows:
            idxs = list(range(n_rows))
        elif o.check.keep_first:
            idxs = _keep_first_failures(o, rows)
        else:
            idxs = o.failed_rows
        if not o.all_rows:
            rows.fetch(idxs)
        failures = {i: _reason(o, rows[i] if not o.all_rows else {}) for i in idxs}
        evaluated = n_rows if o.all_rows else o.evaluated
        ledger.record(table, o.check.name, o.check.severity, o.check.description, evaluated, failures)


def _row_json(row: dict, schema: dict) -> str:
    return json.dumps({k: row.get(k) for k in schema if k in row}, ensure_ascii=False, default=str)


def _split(table: str, df: pl.DataFrame, schema: dict, ledger: _Ledger) -> tuple[pl.DataFrame, list[dict]]:
    """Rows without error -> the frame to load; rows with errors -> quarantine rows (one per check)."""
    errors = ledger.errors.get(table, {})
    if not errors:
        return df, []  # the usual night: nothing to send away, no copy of the batch
    rows = ledger.rows[table]
    rows.fetch(errors)
    quarantine = []
    for idx in sorted(errors):
        row = rows[idx]
        for name, reason in dict.fromkeys(errors[idx]):  # same check twice (doc + row) -> once
            quarantine.append({"stage": "validate", "source_file": row.get("source_file"),
                               "note_id": row.get("note_id"), "check_name": name, "severity": ERROR,
                               "reason": reason, "row_json": _row_json(row, schema)})
    bad = pl.Series("_i", sorted(errors), dtype=pl.UInt32)
    kept = df.with_row_index("_i").filter(~pl.col("_i").is_in(bad.implode())).drop("_i")
    return kept, quarantine


def _nothing_to_validate(checks: dict) -> ValidationResult:
    """An empty batch (nothing new tonight): every check is reported, with nothing evaluated, and GX is
    not imported — its import alone costs more than an idle run may take."""
    from .cross_checks import load_checks

    specs = [(c.name, table, c.severity, c.description) for table, suite in checks.items() for c in suite]
    specs += [(c.name, "metric_facts", c.severity, c.description) for c in load_checks()]
    results = pl.DataFrame([{"check_name": n, "table_name": t, "severity": sev, "success": True, "evaluated": 0,
                             "failed": 0, "failing_examples": "[]", "description": d} for n, t, sev, d in specs],
                           schema=DQ_RESULTS)
    facts = pl.DataFrame(schema={**FACTS, "dq_warning": pl.Boolean, "dq_warnings": pl.String})
    return ValidationResult(facts=facts, ratings=pl.DataFrame(schema=RATINGS),
                            quarantine=pl.DataFrame(schema=QUARANTINE), results=results)


def validate(notes: pl.DataFrame, facts: pl.DataFrame, ratings: pl.DataFrame,
             reference_db: Path | None = None, data_docs_dir: Path | None = None) -> ValidationResult:
    t0 = time.perf_counter()
    lex = load_lexicon()
    checks = all_checks(lex)
    if notes.height == 0 and facts.height == 0 and ratings.height == 0:
        return _nothing_to_validate(checks)
    frames = {
        "documents": documents_frame(notes, facts, ratings),
        "metric_facts": facts_frame(notes, facts, lex),
        "ratings": ratings_frame(notes, ratings),
    }
    ledger = _Ledger(frames)
    outcomes = gx_runner.run_suites(frames, checks, data_docs_dir)
    for table, outs in outcomes.items():
        _apply_gx(ledger, table, outs, frames[table].height)

    # A note's failures reach its facts and ratings.
    doc_notes = ledger.rows["documents"].column("note_id")
    flagged = {doc_notes[i] for i in [*ledger.errors["documents"], *ledger.warnings["documents"]]
               if i < len(doc_notes)}
    for table in ("metric_facts", "ratings"):
        by_note = defaultdict(list)
        frame = ledger.rows[table].df
        if flagged and "note_id" in frame.columns:  # only the rows of flagged notes, not the whole batch
            hits = (lenient(frame, {"note_id": pl.String}).with_row_index("_i")
                    .filter(pl.col("note_id").is_in(pl.Series([str(n) for n in flagged if n is not None],
                                                              dtype=pl.String).implode())
                            | (pl.col("note_id").is_null() & (None in flagged))))
            for i, note_id in hits.iter_rows():
                by_note[note_id].append(i)
        for d_idx, errs in ledger.errors["documents"].items():
            for i in by_note.get(doc_notes[d_idx] if d_idx < len(doc_notes) else None, []):
                ledger.errors[table][i].extend((name, f"note: {reason}") for name, reason in errs)
        if table == "metric_facts":
            for d_idx, names in ledger.warnings["documents"].items():
                for i in by_note.get(doc_notes[d_idx] if d_idx < len(doc_notes) else None, []):
                    ledger.warnings[table][i].extend(names)

    release_memory()  # what GX allocated for its parts, before the cross checks allocate theirs
    # Cross-fact checks over the facts still to be loaded.
    checked = frames["metric_facts"]
    if set(FACTS) <= set(checked.columns):
        # only the columns the SQL checks read (not evidence): this copy is the size of the batch
        cols = {c: FACTS[c] for c in FACT_COLUMNS}
        # rows with errors are left out part by part inside the checks (a filter here would copy the batch)
        safe = pl.concat([lenient(checked, cols), checked.select(ROW_IDX)], how="horizontal")
        cross = run_cross_checks(safe, lex.metrics, reference_db, exclude_rows=set(ledger.errors["metric_facts"]))
        del safe
        for co in cross:
            ledger.record("metric_facts", co.check.name, co.check.severity, co.check.description,
                          co.evaluated, co.failures)

    facts_ok, fq = _split("metric_facts", facts, FACTS, ledger)
    ratings_ok, rq = _split("ratings", ratings, RATINGS, ledger)
    fact_errors, fact_warnings = ledger.errors["metric_facts"], ledger.warnings["metric_facts"]
    warned = sorted(i for i in fact_warnings if i not in fact_errors)
    warn = pl.DataFrame({"_i": warned, "dq_warnings": [";".join(sorted(set(fact_warnings[i]))) for i in warned]},
                        schema={"_i": pl.UInt32, "dq_warnings": pl.String})
    kept_idx = (pl.DataFrame({"_i": pl.arange(0, facts.height, eager=True, dtype=pl.UInt32)})
                .filter(~pl.col("_i").is_in(pl.Series(sorted(fact_errors), dtype=pl.UInt32).implode())))
    flags = kept_idx.join(warn, on="_i", how="left", maintain_order="left").select(
        pl.col("dq_warnings").is_not_null().alias("dq_warning"), pl.col("dq_warnings").fill_null(""))
    facts_out = pl.concat([conform(facts_ok, FACTS), flags], how="horizontal")
    quarantine = pl.DataFrame(fq + rq, schema=QUARANTINE) if fq or rq else pl.DataFrame(schema=QUARANTINE)
    results = pl.DataFrame(ledger.results, schema=DQ_RESULTS)
    log.info("validate: %d facts (%d flagged), %d ratings loaded; %d quarantine rows; %d/%d checks failed; %.1f s",
             facts_out.height, int(facts_out["dq_warning"].sum()), ratings_ok.height, quarantine.height,
             int((~results["success"]).sum()), results.height, time.perf_counter() - t0)
    return ValidationResult(facts=facts_out, ratings=conform(ratings_ok, RATINGS), quarantine=quarantine,
                            results=results)
