"""Every analyst query in sql/queries/ runs on a warehouse built from the bundled sample notes and returns rows.

The warehouse is built by the real ingest and extract steps (validation is skipped here: it does not change
which facts reach the views, and GX is slow to import). The DuckDB CLI from PyPI (duckdb-cli 1.5.x) must
open the same file, as the README documents.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from notestar import schemas
from notestar.extract import EXTRACTOR_VERSION, extract_facts
from notestar.ingest import ingest_folder
from notestar.warehouse import LoadBatch, connect_readonly, load_batch

ROOT = Path(__file__).resolve().parent.parent
QUERIES = sorted((ROOT / "sql" / "queries").glob("*.sql"))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("queries") / "notestar.duckdb"
    ingested = ingest_folder(ROOT / "samples" / "notes")
    extracted = extract_facts(ingested.notes)
    batch = LoadBatch(
        run_id="queries-test", started_at=datetime(2026, 1, 1, 2, 0), notes=ingested.notes,
        facts=extracted.facts, ratings=extracted.ratings, companies=extracted.companies,
        quarantine=schemas.conform(ingested.quarantine, schemas.QUARANTINE),
        dq_results=schemas.empty(schemas.DQ_RESULTS), extractor_version=EXTRACTOR_VERSION,
        notes_seen=ingested.notes.height,
    )
    load_batch(db, batch)
    return db


def test_there_are_at_least_eight_queries():
    assert len(QUERIES) >= 8
    for path in QUERIES:
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("-- Question:"), f"{path.name} should start with the question it answers"


@pytest.mark.parametrize("query_file", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_returns_rows_on_sample_notes(sample_db, query_file):
    con = connect_readonly(sample_db)
    try:
        rows = con.execute(query_file.read_text(encoding="utf-8")).fetchall()
    finally:
        con.close()
    assert rows, f"{query_file.name} returned no rows on the sample notes"


def test_sample_warehouse_answers_with_figures_from_the_notes(sample_db):
    con = connect_readonly(sample_db)
    try:
        q3 = con.execute(
            "SELECT value, unit FROM v_latest_actuals WHERE company_name = '金山云' AND metric_code = 'revenue' "
            "AND segment_code = '' AND measure = 'level' AND period_label = '2025Q3' AND unit = 'CNY'"
        ).fetchall()
        sources = {r[0] for r in con.execute("SELECT DISTINCT source_file FROM v_metric_facts").fetchall()}
    finally:
        con.close()
    assert q3 == [(2_478_000_000.0, "CNY")]
    assert sources == {p.name for p in (ROOT / "samples" / "notes").iterdir() if p.suffix in (".txt", ".md")}


def test_duckdb_cli_from_pypi_opens_the_warehouse(sample_db):
    cli = Path(sys.executable).parent / "duckdb"
    assert cli.exists(), "duckdb-cli is a declared dependency; its binary should be in the venv"
    out = subprocess.run(
        [str(cli), "-readonly", "-csv", str(sample_db), "-c",
         "SELECT count(*) AS n FROM v_metric_facts; "
         "SELECT count(*) AS n FROM v_consensus_estimates WHERE fiscal_year = 2026"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split()
    assert lines[0] == "n" and int(lines[1]) > 0 and int(lines[3]) > 0, out.stdout
