"""Warehouse loads: idempotent, incremental, extractor-version re-processing, company merging, export."""

from __future__ import annotations

import polars as pl
import pytest
from warehouse_batches import (
    EXTRACTOR,
    batch_1,
    fact,
    facts_1,
    make_batch,
    note,
    notes_1,
    query,
    ratings_1,
    revision_batch,
)

from notestar import schemas
from notestar.warehouse import (
    export_star,
    load_batch,
    loaded_notes,
    recent_runs,
    table_counts,
)

STAR_TABLES = ("dim_company", "dim_document", "dim_period", "dim_date", "fact_metric", "fact_rating",
               "dim_metric", "dim_segment", "dq_quarantine")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "warehouse" / "notestar.duckdb"


def test_first_load_counts_and_dedupes_repeated_fact(db):
    summary = load_batch(db, batch_1())
    # 19 fact rows, one of them the same public-cloud revenue repeated later in note A
    assert summary.facts_loaded == 18
    assert summary.notes_loaded == 3 and summary.notes_reprocessed == 0
    assert 0 < summary.publish_seconds <= summary.seconds  # copy, CHECKPOINT, fsync and swap are part of the load
    counts = table_counts(db)
    assert counts["fact_metric"] == 18
    assert counts["fact_rating"] == 2
    assert counts["dim_document"] == 3
    assert counts["dim_company"] == 2
    assert counts["dq_run"] == 1 and counts["dq_result"] == 2 and counts["dq_quarantine"] == 1
    # periods parsed with calendar dates
    assert query(db, "SELECT period_type, fiscal_year, fiscal_quarter, start_date::VARCHAR, end_date::VARCHAR "
                     "FROM dim_period WHERE period_label = '2025Q3'") == [("Q", 2025, 3, "2025-07-01", "2025-09-30")]
    assert query(db, "SELECT year_quarter, day_of_week FROM dim_date WHERE date_key = 20251120") == [("2025Q4", 4)]
    # the published file is the only file left beside the lock
    assert sorted(p.name for p in db.parent.iterdir()) == ["notestar.duckdb", "notestar.duckdb.lock"]


def test_reload_same_batch_changes_no_row_counts(db):
    load_batch(db, batch_1("run-1"))
    before = table_counts(db)
    again = load_batch(db, batch_1("run-1"))  # the very same run again
    assert table_counts(db) == before
    assert again.notes_reprocessed == 3 and again.facts_replaced == 18 and again.facts_loaded == 18

    load_batch(db, batch_1("run-2"))  # same content, a new run: only the run audit log grows
    after = table_counts(db)
    assert {t: after[t] for t in STAR_TABLES} == {t: before[t] for t in STAR_TABLES}
    assert after["dq_run"] == before["dq_run"] + 1
    assert after["dq_result"] == before["dq_result"] + 2
    assert query(db, "SELECT times_seen, first_run_id, last_run_id FROM dq_quarantine") == [(2, "run-1", "run-2")]
    # a nightly run that finds nothing new (every note skipped) records itself and changes nothing else
    nothing = load_batch(db, make_batch("run-3", [], [], companies=schemas.empty(schemas.COMPANIES), notes_seen=3))
    assert nothing.notes_loaded == 0 and nothing.facts_loaded == 0
    assert {t: table_counts(db)[t] for t in STAR_TABLES} == {t: before[t] for t in STAR_TABLES}
    assert query(db, "SELECT notes_seen, notes_loaded FROM dq_run WHERE run_id = 'run-3'") == [(3, 0)]
    runs = recent_runs(db)
    assert runs["run_id"].to_list() == ["run-3", "run-2", "run-1"]  # same started_at: by run_id, newest first


def test_incremental_add_loads_only_the_new_note(db):
    load_batch(db, batch_1("run-1"))
    old = query(db, "SELECT fact_id, run_id FROM fact_metric ORDER BY fact_id")
    summary = load_batch(db, revision_batch("run-2"))
    assert summary.notes_loaded == 1 and summary.notes_reprocessed == 0 and summary.facts_replaced == 0
    assert table_counts(db)["fact_metric"] == 20
    assert table_counts(db)["dim_document"] == 4
    # earlier facts untouched (still stamped with the run that loaded them)
    assert query(db, "SELECT fact_id, run_id FROM fact_metric WHERE run_id = 'run-1' ORDER BY fact_id") == old
    assert loaded_notes(db).height == 4


def test_changed_extractor_version_replaces_the_notes_facts(db):
    load_batch(db, batch_1("run-1"))
    a, b, c = notes_1()
    # extractor v2 re-reads note A: one corrected fact set (the duplicate revenue and the estimates differ)
    v2 = "test-2"
    new_facts = [
        fact(a, "金山云", "03896.HK", "revenue", "2025Q3", 2_478_000_000, decimals=-6, value_text="24.78亿元",
             span=40, version=v2),
        fact(a, "金山云", "03896.HK", "adjusted_ebitda", "2025Q3", 827_000_000, decimals=-6,
             value_text="8.27亿元", span=90, version=v2),
    ]
    summary = load_batch(db, make_batch("run-2", [a], new_facts, version=v2))
    assert summary.notes_reprocessed == 1
    assert summary.facts_replaced == 9  # all of note A's v1 facts
    rows = query(db, "SELECT metric_code, extractor_version FROM fact_metric WHERE note_id = ? ORDER BY 1",
                 [a["note_id"]])
    assert rows == [("adjusted_ebitda", v2), ("revenue", v2)]
    # notes B and C keep their facts; A's rating (from v1) is gone with its facts
    assert table_counts(db)["fact_metric"] == 2 + 4 + 5
    assert query(db, "SELECT count(*) FROM fact_rating WHERE note_id = ?", [a["note_id"]]) == [(0,)]
    versions = dict(loaded_notes(db).iter_rows())
    assert versions == {a["note_id"]: v2, b["note_id"]: EXTRACTOR, c["note_id"]: EXTRACTOR}


def test_dim_company_merges_listings_listed_together(db):
    a, b, _ = notes_1()
    # run 1: no company list; the two listings look like two companies
    facts = [f for f in facts_1() if f["note_id"] in (a["note_id"], b["note_id"])]
    for f in facts:
        if f["note_id"] == b["note_id"]:
            f["company_name"] = "Kingsoft Cloud"
    empty_companies = schemas.empty(schemas.COMPANIES)
    load_batch(db, make_batch("run-1", [a, b], facts, companies=empty_companies))
    assert sorted(query(db, "SELECT company_name, tickers FROM dim_company")) == [
        ("Kingsoft Cloud", ["KC"]),
        ("金山云", ["03896.HK"]),
    ]
    # run 2: the company list names both listings (and the English name as an alias) -> one company
    companies = pl.DataFrame(
        {"company_name": ["金山云"], "name_en": ["Kingsoft Cloud"], "tickers": [["03896.HK", "KC"]],
         "aliases": [["Kingsoft Cloud", "金山云控股"]], "source": ["lexicon"]},
        schema=schemas.COMPANIES,
    )
    d = note("金山云跟踪\n某证券\n维持买入。", "kc_more.txt", "某证券", a["published_at"])
    load_batch(db, make_batch("run-2", [d], [], ratings=[], companies=companies))
    assert query(db, "SELECT company_key, company_name, name_en, tickers, primary_ticker FROM dim_company") == [
        (1, "金山云", "Kingsoft Cloud", ["03896.HK", "KC"], "03896.HK")  # the smaller key survives
    ]
    # facts loaded under the second listing were re-pointed to the surviving company
    assert query(db, "SELECT DISTINCT company_name, company_ticker FROM v_metric_facts") == [
        ("金山云", "03896.HK, KC")
    ]
    assert query(db, "SELECT count(*) FROM fact_metric WHERE company_key = 1") == [(len(facts) - 1,)]


def test_company_list_in_same_batch_resolves_both_tickers(db):
    load_batch(db, batch_1())
    assert query(db, "SELECT company_name, tickers, aliases FROM dim_company ORDER BY company_key") == [
        ("金山云", ["03896.HK", "KC"], ["金山云控股"]),
        ("并行科技", ["839493.BJ"], ["北京并行科技"]),
    ]
    assert query(db, "SELECT count(DISTINCT company_key) FROM fact_metric f JOIN dim_document d USING (note_id) "
                     "WHERE d.source_file LIKE 'kc_%'") == [(1,)]


def test_unresolvable_fact_is_quarantined_by_the_load(db):
    a, _, _ = notes_1()
    bad = fact(a, None, None, "revenue", "2025Q3", 2_478_000_000, decimals=-6)
    missing_unit = fact(a, "金山云", "KC", "revenue", "2025Q3", 2_478_000_000)
    missing_unit["unit"] = None
    summary = load_batch(db, make_batch("run-1", [a], [bad, missing_unit]))
    assert summary.facts_loaded == 0 and summary.load_rejects == 2
    assert query(db, "SELECT stage, check_name FROM dq_quarantine ORDER BY check_name") == [
        ("load", "load.fact_company_unresolved"),
        ("load", "load.fact_key_incomplete"),
    ]


def test_full_refresh_rebuilds_from_an_empty_file(db):
    load_batch(db, batch_1("run-1"))
    load_batch(db, revision_batch("run-2"), full_refresh=True)
    counts = table_counts(db)
    assert counts["dim_document"] == 1 and counts["fact_metric"] == 2 and counts["dq_run"] == 1
    assert query(db, "SELECT full_refresh FROM dq_run") == [(True,)]


def test_reading_helpers_without_a_warehouse(tmp_path):
    missing = tmp_path / "none.duckdb"
    assert loaded_notes(missing).columns == ["note_id", "extractor_version"]
    assert loaded_notes(missing).height == 0
    assert table_counts(missing) == {}
    assert recent_runs(missing).height == 0


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_star_writes_every_table(db, tmp_path, fmt):
    load_batch(db, batch_1())
    paths = export_star(db, tmp_path / "export", fmt=fmt)
    names = sorted(p.stem for p in paths)
    assert names == sorted(table_counts(db))
    read = pl.read_parquet if fmt == "parquet" else pl.read_csv
    facts = read(tmp_path / "export" / f"fact_metric.{fmt}")
    assert facts.height == 18
    company = read(tmp_path / "export" / f"dim_company.{fmt}")
    tickers = company.filter(pl.col("company_name") == "金山云")["tickers"].to_list()[0]
    assert (tickers == ["03896.HK", "KC"]) if fmt == "parquet" else (tickers == "03896.HK|KC")


def test_ratings_loaded_with_dates(db):
    load_batch(db, batch_1())
    assert query(db, "SELECT institution, rating, target_price, currency, rating_date_key FROM fact_rating "
                     "ORDER BY institution") == [
        ("华源证券", "overweight", None, None, 20250729),
        ("国元香港", "buy", 16.8, "USD", 20251120),
    ]
    assert len(ratings_1()) == 2


def test_warehouse_from_an_older_ddl_gets_new_columns(db):
    import duckdb

    db.parent.mkdir(parents=True)
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE dq_run (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP)").fetchall()
    con.execute("INSERT INTO dq_run VALUES ('old-run', TIMESTAMP '2025-11-01 02:00:00')").fetchall()
    con.close()
    load_batch(db, batch_1("run-1"))
    assert query(db, "SELECT run_id, facts_loaded FROM dq_run ORDER BY run_id") == [("old-run", None), ("run-1", 18)]


def test_facts_committed_in_parts_equal_one_statement(tmp_path, monkeypatch):
    """A large batch's facts go in by parts of whole notes; the table is the same as from one insert."""
    import notestar.warehouse.load as load_module

    columns = "fact_id, note_id, metric_code, period_label, value, evidence, span_start, rule_id"
    whole = tmp_path / "whole.duckdb"
    summary_whole = load_batch(whole, batch_1())
    monkeypatch.setattr(load_module, "INSERT_PART_ROWS", 2)
    parts = tmp_path / "parts.duckdb"
    summary_parts = load_batch(parts, batch_1())
    rows = query(whole, f"SELECT {columns} FROM fact_metric ORDER BY fact_id")
    assert len(rows) == summary_whole.facts_loaded == summary_parts.facts_loaded == 18
    assert query(parts, f"SELECT {columns} FROM fact_metric ORDER BY fact_id") == rows
    # the repeated fact keeps its first occurrence in both
    assert summary_parts.table_counts == summary_whole.table_counts
