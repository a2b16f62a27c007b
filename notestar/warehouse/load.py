"""Incremental, idempotent, atomic load of one pipeline run into the DuckDB star schema.

`load_batch` works on a private copy of the published file (see publish.py), which no reader sees until it
is swapped in, so atomicity comes from the swap. Dimensions are upserted; the facts and ratings of every
note in the batch are deleted and re-inserted (so a note re-processed by a new extractor version has its
facts replaced); new facts are keyed on md5(note content hash + fact key) and de-duplicated before the
insert (DuckDB's ON CONFLICT silently keeps the first of duplicate keys inside one statement). A large
batch's facts are committed part by part, because DuckDB holds a transaction's uncommitted rows and index
entries in memory beyond its memory limit. Any failure discards the copy. After the last COMMIT and a
CHECKPOINT the copy is swapped in with `os.replace`.

Idempotence: loading the same batch again leaves every star-schema table and dq_quarantine unchanged;
dq_run gains one row per run_id and dq_result one row per check per run_id (they are the run audit log).
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from notestar import schemas
from notestar.settings import duckdb_memory_limit
from notestar.warehouse import dims
from notestar.warehouse.publish import (
    connect_readonly,
    remove_orphans,
    swap_in,
    temp_copy,
    writer_lock,
)
from notestar.warehouse.schema import STORAGE_COMPATIBILITY, apply_schema, table_names

CURRENCIES = ("CNY", "USD", "HKD", "EUR", "JPY", "GBP")
FACT_KEY = ("note_id", "company_key", "metric_code", "segment_code", "measure", "period_label", "basis", "unit")
FACT_REQUIRED = ("note_id", "metric_code", "measure", "period_label", "basis", "value", "unit")


@dataclass
class LoadBatch:
    run_id: str
    started_at: datetime
    notes: pl.DataFrame  # schemas.NOTES (new or re-processed notes only; text is not stored)
    facts: pl.DataFrame  # schemas.FACTS (+ optional bool dq_warning, str dq_warnings)
    ratings: pl.DataFrame  # schemas.RATINGS
    companies: pl.DataFrame  # schemas.COMPANIES
    quarantine: pl.DataFrame  # schemas.QUARANTINE
    dq_results: pl.DataFrame  # schemas.DQ_RESULTS
    extractor_version: str
    notes_seen: int  # notes read this run (incl. skipped ones), for dq_run


@dataclass
class LoadSummary:
    run_id: str
    db_path: Path
    notes_loaded: int  # notes written (new + re-processed)
    notes_reprocessed: int  # of those, notes already in the warehouse (their facts were replaced)
    facts_loaded: int  # distinct facts inserted
    facts_replaced: int  # facts deleted because their note was re-processed
    ratings_loaded: int
    quarantined: int  # quarantine rows reported by this run (incl. load-stage rejects)
    load_rejects: int  # facts / ratings rejected by the load itself (no company, missing key)
    seconds: float
    table_counts: dict[str, int] = field(default_factory=dict)
    publish_seconds: float = 0.0  # of `seconds`: copying the published file, CHECKPOINT, fsync and swap


# ---- reading the published warehouse --------------------------------------------------------------


def loaded_notes(db_path: Path) -> pl.DataFrame:
    """note_id, extractor_version of the notes already in the published warehouse (empty without one)."""
    empty = pl.DataFrame(schema={"note_id": pl.String, "extractor_version": pl.String})
    if not Path(db_path).exists():
        return empty
    con = connect_readonly(Path(db_path))
    try:
        if not _has_table(con, "dim_document"):
            return empty
        return con.sql("SELECT note_id, extractor_version FROM dim_document ORDER BY note_id").pl()
    finally:
        con.close()


def table_counts(db_path: Path) -> dict[str, int]:
    """Row count of every warehouse table (dims, facts, dq) in the published file; {} without one."""
    if not Path(db_path).exists():
        return {}
    con = connect_readonly(Path(db_path))
    try:
        return _counts(con)
    finally:
        con.close()


def recent_runs(db_path: Path, limit: int = 10) -> pl.DataFrame:
    """The latest rows of dq_run, newest first (empty frame without a warehouse)."""
    if Path(db_path).exists():
        con = connect_readonly(Path(db_path))
        try:
            if _has_table(con, "dq_run"):
                return con.sql(
                    f"SELECT * FROM dq_run ORDER BY started_at DESC NULLS LAST, run_id DESC LIMIT {int(limit)}"
                ).pl()
        finally:
            con.close()
    return pl.DataFrame(schema={"run_id": pl.String, "started_at": pl.Datetime("us")})


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'",
            [name],
        ).fetchall()[0][0]
    )


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in table_names()
        if _has_table(con, t)
    }


# ---- the load -------------------------------------------------------------------------------------


def load_batch(db_path: Path, batch: LoadBatch, full_refresh: bool = False) -> LoadSummary:
    """Load one run into a copy of the warehouse and publish it atomically (see module docstring).

    full_refresh=True starts from an empty file instead of a copy of the published one.
    """
    db_path = Path(db_path)
    t0 = time.monotonic()
    with writer_lock(db_path):
        remove_orphans(db_path)
        t_copy = time.monotonic()
        tmp = temp_copy(db_path, fresh=full_refresh)
        publish = time.monotonic() - t_copy
        try:
            # a memory cap (DuckDB's default is 80 % of RAM): a 100k-note load spills instead of growing
            con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_COMPATIBILITY,
                                                   "memory_limit": duckdb_memory_limit()})
            try:
                stats = _load_in_transaction(con, batch, full_refresh)
                counts = _counts(con)
                t_pub = time.monotonic()
                _exec(con, "CHECKPOINT")
            finally:
                con.close()
            swap_in(tmp, db_path)
            publish += time.monotonic() - t_pub
        except BaseException:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
            raise
    return LoadSummary(
        run_id=batch.run_id, db_path=db_path, seconds=round(time.monotonic() - t0, 3), table_counts=counts,
        publish_seconds=round(publish, 3), **stats,
    )


def _load_in_transaction(con: duckdb.DuckDBPyConnection, batch: LoadBatch, full_refresh: bool) -> dict:
    notes = _with_text_chars(batch.notes)
    facts = _conform_facts(batch.facts)
    ratings = schemas.conform(batch.ratings, schemas.RATINGS)
    companies = schemas.conform(batch.companies, schemas.COMPANIES)
    quarantine = schemas.conform(batch.quarantine, schemas.QUARANTINE)
    dq_results = schemas.conform(batch.dq_results, schemas.DQ_RESULTS)

    _exec(con, "BEGIN TRANSACTION")
    try:
        apply_schema(con)
        company_lookup = _upsert_companies(con, companies, facts, ratings, batch.run_id)
        facts, fact_rejects = _resolve_companies(facts, company_lookup, "fact")
        ratings, rating_rejects = _resolve_companies(ratings, company_lookup, "rating")
        facts, key_rejects = _split_incomplete(facts)
        rejects = pl.concat([fact_rejects, rating_rejects, key_rejects])

        _upsert_simple_dims(con, facts, notes, ratings)
        notes = _add_orphan_notes(con, notes, facts, ratings)
        reprocessed = _upsert_documents(con, notes, batch)
        note_ids = pl.DataFrame({"note_id": notes["note_id"]}, schema={"note_id": pl.String})
        con.register("batch_note_ids", note_ids)
        replaced = _exec(con, "DELETE FROM fact_metric WHERE note_id IN (SELECT note_id FROM batch_note_ids)")[0][0]
        _exec(con, "DELETE FROM fact_rating WHERE note_id IN (SELECT note_id FROM batch_note_ids)")
        facts_loaded = _insert_facts(con, facts, batch.run_id)
        ratings_loaded = _insert_ratings(con, ratings, batch.run_id)

        all_quarantine = pl.concat([quarantine, rejects])
        _upsert_quarantine(con, all_quarantine, batch.run_id)
        _upsert_dq_results(con, dq_results, batch.run_id)
        stats = {
            "notes_loaded": notes.height,
            "notes_reprocessed": reprocessed,
            "facts_loaded": facts_loaded,
            "facts_replaced": replaced,
            "ratings_loaded": ratings_loaded,
            "quarantined": all_quarantine.height,
            "load_rejects": rejects.height,
        }
        _upsert_run(con, batch, full_refresh, stats, dq_results)
        _exec(con, "COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # keep the original error; the temp file is discarded anyway
            _exec(con, "ROLLBACK")
        raise
    return stats


def _conform_facts(frame: pl.DataFrame) -> pl.DataFrame:
    out = schemas.conform(frame, schemas.FACTS)
    warn = frame["dq_warning"].cast(pl.Boolean) if "dq_warning" in frame.columns else None
    warns = frame["dq_warnings"].cast(pl.String) if "dq_warnings" in frame.columns else None
    return out.with_columns(
        dq_warning=warn if warn is not None else pl.lit(None, pl.Boolean),
        dq_warnings=warns if warns is not None else pl.lit(None, pl.String),
        segment_code=pl.col("segment_code").fill_null(""),
    )


def _upsert_companies(con, companies: pl.DataFrame, facts: pl.DataFrame, ratings: pl.DataFrame,
                      run_id: str) -> dict[str, int]:
    existing = [
        dims.CompanyEntry(name, name_en, list(tickers or []), list(aliases or []), source, key, run)
        for key, name, name_en, tickers, aliases, source, run in _exec(
            con,
            "SELECT company_key, company_name, name_en, tickers, aliases, source, updated_run_id "
            "FROM dim_company ORDER BY company_key"
        )
    ]
    incoming = [
        dims.CompanyEntry(r["company_name"], r["name_en"], list(r["tickers"] or []), list(r["aliases"] or []),
                          r["source"] or "learnt")
        for r in companies.iter_rows(named=True)
        if r["company_name"]
    ]
    seen = pl.concat([facts.select("company_name", "company_ticker"),
                      ratings.select("company_name", "company_ticker")]).unique().sort(
        "company_name", "company_ticker", nulls_last=True)
    for name, ticker in seen.iter_rows():
        if name or ticker:
            tickers = [ticker] if ticker else []
            incoming.append(dims.CompanyEntry(name or ticker, None, tickers, [], "fact"))
    merged = dims.merge_companies(existing, incoming, run_id)
    _exec(con, "DELETE FROM dim_company")
    con.register("new_dim_company", merged.rows)
    _exec(con, "INSERT INTO dim_company BY NAME SELECT * FROM new_dim_company")
    for old, new in sorted(merged.remap.items()):
        for table in ("fact_metric", "fact_rating"):
            _exec(con, f"UPDATE {table} SET company_key = ? WHERE company_key = ?", [new, old])
    return merged.lookup


def _resolve_companies(frame: pl.DataFrame, lookup: dict[str, int], what: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    pairs = frame.select("company_name", "company_ticker").unique()
    keyed = pairs.with_columns(
        company_key=pl.Series(
            [dims.resolve_company(lookup, n, t) for n, t in pairs.iter_rows()], dtype=pl.Int32
        )
    )
    # only the key column is joined and then attached: joining the whole frame would copy every fact
    key = frame.select("company_name", "company_ticker").join(
        keyed, on=["company_name", "company_ticker"], how="left", nulls_equal=True, maintain_order="left")
    out = frame.with_columns(key["company_key"])
    return _split_off(out, pl.col("company_key").is_null(), f"load.{what}_company_unresolved",
                      f"{what} names no company the warehouse can resolve")


def _split_off(frame: pl.DataFrame, bad_rows: pl.Expr, check: str, reason: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows to load, quarantine rows for the others). A batch with no bad row is passed on as it is:
    filtering it would copy it."""
    mask = frame.select(bad_rows.fill_null(True)).to_series()
    if not mask.any():
        return frame, schemas.empty(schemas.QUARANTINE)
    return frame.filter(~mask), _rejects(frame.filter(mask), check, reason)


def _split_incomplete(facts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    missing = pl.any_horizontal([pl.col(c).is_null() for c in FACT_REQUIRED]) | ~pl.col("value").is_finite()
    return _split_off(facts, missing, "load.fact_key_incomplete",
                      f"fact lacks one of {', '.join(FACT_REQUIRED)} or has a non-finite value")


def _rejects(rows: pl.DataFrame, check: str, reason: str) -> pl.DataFrame:
    if rows.is_empty():
        return schemas.empty(schemas.QUARANTINE)
    payload = rows.drop("company_key", strict=False)
    return pl.DataFrame(
        {
            "stage": "load",
            "source_file": rows["source_file"],
            "note_id": rows["note_id"],
            "check_name": check,
            "severity": "error",
            "reason": reason,
            "row_json": [json.dumps(r, ensure_ascii=False, default=str) for r in payload.iter_rows(named=True)],
        }
    ).pipe(schemas.conform, schemas.QUARANTINE)


def _upsert_simple_dims(con, facts: pl.DataFrame, notes: pl.DataFrame, ratings: pl.DataFrame) -> None:
    con.register("new_dim_metric", dims.metric_rows(facts["metric_code"].unique().to_list()))
    _exec(con, "INSERT OR REPLACE INTO dim_metric BY NAME SELECT * FROM new_dim_metric")
    con.register("new_dim_segment", dims.segment_rows(facts["segment_code"].unique().to_list()))
    _exec(con, "INSERT OR REPLACE INTO dim_segment BY NAME SELECT * FROM new_dim_segment")
    periods = dims.period_rows(facts)
    con.register("new_dim_period", periods)
    _exec(con, "INSERT OR REPLACE INTO dim_period BY NAME SELECT * FROM new_dim_period")
    days = (
        notes["published_at"].dt.date().to_list()
        + ratings["rating_date"].to_list()
        + periods.filter(pl.col("period_type") == "instant")["start_date"].to_list()
    )
    con.register("new_dim_date", dims.date_rows(days))
    _exec(con, "INSERT OR IGNORE INTO dim_date BY NAME SELECT * FROM new_dim_date")


def _add_orphan_notes(con, notes: pl.DataFrame, facts: pl.DataFrame, ratings: pl.DataFrame) -> pl.DataFrame:
    """Facts whose note is neither in the batch nor in the warehouse get a minimal document row."""
    known = set(notes["note_id"]) | {r[0] for r in _exec(con, "SELECT note_id FROM dim_document")}
    refs = pl.concat([facts.select("note_id", "source_file"), ratings.select("note_id", "source_file")])
    orphans = refs.filter(~pl.col("note_id").is_in(list(known))).unique("note_id", keep="first")
    if orphans.is_empty():
        return notes
    orphan_notes = schemas.conform(orphans.with_columns(kind=pl.lit("unknown")), schemas.NOTES)
    return pl.concat([notes, orphan_notes.with_columns(text_chars=pl.lit(None, dtype=pl.Int64))])


def _with_text_chars(notes: pl.DataFrame) -> pl.DataFrame:
    """schemas.NOTES plus text_chars: the length the ingest step recorded when the text was released after
    extraction (pipeline.release_note_text), else the length of the text at hand."""
    length = pl.col("text").cast(pl.String).str.len_chars().cast(pl.Int64)
    if "text_chars" in notes.columns:
        length = pl.coalesce(pl.col("text_chars").cast(pl.Int64), length)
    chars = notes.select(length.alias("text_chars"))
    return pl.concat([schemas.conform(notes, schemas.NOTES), chars], how="horizontal")


def _upsert_documents(con, notes: pl.DataFrame, batch: LoadBatch) -> int:
    docs = (
        notes.unique("note_id", keep="first", maintain_order=True)
        .with_columns(
            published_date_key=pl.col("published_at").dt.strftime("%Y%m%d").cast(pl.Int32),
            extractor_version=pl.lit(batch.extractor_version),
            first_run_id=pl.lit(batch.run_id),
            loaded_run_id=pl.lit(batch.run_id),
        )
        .drop("text")
    )
    con.register("new_dim_document", docs)
    reprocessed = _exec(
        con,
        "SELECT count(*) FROM dim_document WHERE note_id IN (SELECT note_id FROM new_dim_document)"
    )[0][0]
    cols = [c for c in docs.columns if c not in ("note_id", "first_run_id")]
    _exec(
        con,
        "INSERT INTO dim_document BY NAME SELECT * FROM new_dim_document ON CONFLICT (note_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in cols)
    )
    return reprocessed


# facts are inserted and committed in parts of whole notes (the key holds note_id, so duplicates never straddle
# two parts): one transaction over a 100k-note batch held ~1.5 GB outside DuckDB's memory limit
INSERT_PART_ROWS = 200_000


def _insert_facts(con, facts: pl.DataFrame, run_id: str) -> int:
    n = max(1, -(-facts.height // INSERT_PART_ROWS))
    if n == 1:
        return _insert_fact_part(con, facts, run_id)
    part = facts.select(pl.col("note_id").fill_null("").hash(seed=3) % n).to_series()
    total = 0
    for k in range(n):
        total += _insert_fact_part(con, facts.filter(part == k), run_id)
        _exec(con, "COMMIT")  # into the private copy: a failure later still discards the whole copy
        _exec(con, "BEGIN TRANSACTION")
    return total


def _insert_fact_part(con, facts: pl.DataFrame, run_id: str) -> int:
    con.register("batch_facts", facts)
    key = ", ".join(f"CAST({c} AS VARCHAR)" for c in FACT_KEY)
    # the count DuckDB returns is of rows inserted or updated: one per distinct fact id of the part (rn = 1)
    return _exec(
        con,
        f"""
        INSERT INTO fact_metric BY NAME
        SELECT * EXCLUDE (rn) FROM (
            SELECT *, row_number() OVER (
                PARTITION BY fact_id ORDER BY span_start NULLS LAST, span_end NULLS LAST, rule_id) AS rn
            FROM (
                SELECT
                    md5(concat_ws(chr(31), {key}, CAST(value AS VARCHAR))) AS fact_id,
                    note_id, company_key, metric_code, segment_code, period_label, measure, basis, value, unit,
                    CASE WHEN unit IN {CURRENCIES} THEN unit END AS currency,
                    decimals, value_text, evidence, span_start, span_end, rule_id,
                    company_name AS company_name_raw, company_ticker AS company_ticker_raw,
                    extractor_version, dq_warning, dq_warnings, ? AS run_id
                FROM batch_facts
            )
        ) WHERE rn = 1
        ON CONFLICT (fact_id) DO UPDATE SET
            evidence = excluded.evidence, span_start = excluded.span_start, span_end = excluded.span_end,
            rule_id = excluded.rule_id, extractor_version = excluded.extractor_version,
            dq_warning = excluded.dq_warning, dq_warnings = excluded.dq_warnings, run_id = excluded.run_id
        """,
        [run_id],
    )[0][0]


RATING_KEY = (
    "note_id, CAST(company_key AS VARCHAR), coalesce(institution, ''), coalesce(rating, ''), "
    "coalesce(action, ''), coalesce(CAST(target_price AS VARCHAR), ''), coalesce(currency, ''), "
    "coalesce(CAST(rating_date AS VARCHAR), '')"
)


def _insert_ratings(con, ratings: pl.DataFrame, run_id: str) -> int:
    con.register("batch_ratings", ratings)
    _exec(
        con,
        f"""
        INSERT INTO fact_rating BY NAME
        SELECT * EXCLUDE (rn) FROM (
            SELECT
                md5(concat_ws(chr(31), {RATING_KEY})) AS rating_id,
                note_id, company_key, institution, rating, rating_zh, action, target_price, currency,
                rating_date,
                CAST(strftime(rating_date, '%Y%m%d') AS INTEGER) AS rating_date_key,
                evidence, span_start, span_end, rule_id,
                company_name AS company_name_raw, company_ticker AS company_ticker_raw,
                extractor_version, ? AS run_id,
                row_number() OVER (
                    PARTITION BY md5(concat_ws(chr(31), {RATING_KEY})) ORDER BY span_start NULLS LAST
                ) AS rn
            FROM batch_ratings
        ) WHERE rn = 1
        ON CONFLICT (rating_id) DO UPDATE SET
            evidence = excluded.evidence, span_start = excluded.span_start, span_end = excluded.span_end,
            rule_id = excluded.rule_id, extractor_version = excluded.extractor_version, run_id = excluded.run_id
        """,
        [run_id],
    )
    return _exec(
        con,
        f"SELECT count(DISTINCT md5(concat_ws(chr(31), {RATING_KEY}))) FROM batch_ratings"
    )[0][0]


QUARANTINE_KEY = (
    "coalesce(stage, ''), coalesce(source_file, ''), coalesce(note_id, ''), coalesce(check_name, ''), "
    "coalesce(row_json, '')"
)


def _upsert_quarantine(con, quarantine: pl.DataFrame, run_id: str) -> None:
    con.register("batch_quarantine", quarantine)
    _exec(
        con,
        f"""
        INSERT INTO dq_quarantine BY NAME
        SELECT * EXCLUDE (rn) FROM (
            SELECT md5(concat_ws(chr(31), {QUARANTINE_KEY})) AS quarantine_id,
                stage, source_file, note_id, check_name, severity, reason, row_json,
                ? AS first_run_id, ? AS last_run_id, 1 AS times_seen,
                row_number() OVER (PARTITION BY md5(concat_ws(chr(31), {QUARANTINE_KEY}))) AS rn
            FROM batch_quarantine
        ) WHERE rn = 1
        ON CONFLICT (quarantine_id) DO UPDATE SET
            severity = excluded.severity, reason = excluded.reason, last_run_id = excluded.last_run_id,
            times_seen = CASE WHEN dq_quarantine.last_run_id = excluded.last_run_id
                              THEN dq_quarantine.times_seen ELSE dq_quarantine.times_seen + 1 END
        """,
        [run_id, run_id],
    )


def _upsert_dq_results(con, dq_results: pl.DataFrame, run_id: str) -> None:
    rows = dq_results.with_columns(
        run_id=pl.lit(run_id), table_name=pl.col("table_name").fill_null("")
    ).unique(["check_name", "table_name"], keep="last", maintain_order=True)
    con.register("batch_dq_results", rows)
    _exec(con, "INSERT OR REPLACE INTO dq_result BY NAME SELECT * FROM batch_dq_results")


def _upsert_run(con, batch: LoadBatch, full_refresh: bool, stats: dict, dq_results: pl.DataFrame) -> None:
    failed = dq_results.filter(pl.col("success").not_()).height
    _exec(
        con,
        """
        INSERT OR REPLACE INTO dq_run
        (run_id, started_at, finished_at, extractor_version, full_refresh, notes_seen, notes_loaded,
         notes_reprocessed, facts_loaded, ratings_loaded, quarantined, checks_evaluated, checks_failed)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            batch.run_id, _naive_utc(batch.started_at), _naive_utc(datetime.now(UTC)), batch.extractor_version,
            full_refresh, batch.notes_seen,
            stats["notes_loaded"], stats["notes_reprocessed"], stats["facts_loaded"], stats["ratings_loaded"],
            stats["quarantined"], dq_results.height, failed,
        ],
    )


def _exec(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Execute and drain: DuckDB 2.0 refuses more work on a connection with an unfinished result."""
    return con.execute(sql, params or []).fetchall()


def _naive_utc(moment: datetime | None) -> datetime | None:
    """dq_run stores UTC wall-clock times (TIMESTAMP without zone)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
