"""End to end: the Dagster job materialises every asset over sample notes into a real DuckDB file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from notestar.cli import run_job
from notestar.settings import Settings

pytestmark = pytest.mark.slow

TABLES = ("dim_company", "dim_metric", "dim_segment", "dim_period", "dim_date", "dim_document",
          "fact_metric", "fact_rating", "dq_run", "dq_result", "dq_quarantine")
VIEWS = ("v_metric_facts", "v_ratings")

NEW_NOTE = """星河算力(301888.SZ)：三季度收入同比增长25%
财经日报· 2025-10-28 20:15
- 2025年第三季度公司实现营业收入8.6亿元，同比增长25.3% [1]
- 归母净利润0.92亿元，同比增长12.1% [2]
"""


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES + VIEWS}
    finally:
        con.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("e2e")
    landing = root / "landing"
    shutil.copytree(Path(__file__).resolve().parent.parent / "samples" / "notes", landing)
    (landing / "empty.txt").write_bytes(b"")
    (landing / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x01\x02" * 50)
    (landing / "undecodable.txt").write_bytes("营业收入".encode() + b"\xff\xfe\xc3\x28" + "亿元".encode())
    settings = Settings.from_env(notes_dir=landing, db_path=root / "wh" / "notestar.duckdb",
                                 report_dir=root / "reports", cache_dir=root / "cache")
    result = run_job(settings)
    return {"root": root, "landing": landing, "settings": settings, "result": result}


def test_job_materialises_every_asset_and_check(workdir):
    result = workdir["result"]
    assert result.success
    materialised = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"raw_notes", "extracted_facts", "validated_facts", "fact_metric", "dq_report"} <= materialised
    checks = {e.check_name for e in result.get_asset_check_evaluations()}
    assert "batch_usable" in checks and any(c.startswith("gx__metric_facts__") for c in checks)
    # the sample notes are clean: every declared check reports and passes
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) > 50 and all(e.passed for e in evaluations), [e.check_name for e in evaluations
                                                                           if not e.passed]


def test_warehouse_holds_facts_from_both_seed_notes_with_evidence(workdir):
    db = workdir["settings"].db_path
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""
            SELECT source_file, count(*), count(*) FILTER (WHERE evidence IS NULL OR evidence = '')
            FROM v_metric_facts GROUP BY 1 ORDER BY 1""").fetchall()
        assert [r[0] for r in rows] == ["000_1df9bbaade28d23b.txt", "002_0ad95f4fee22534a.txt"]
        assert all(r[1] >= 20 and r[2] == 0 for r in rows)
        # a statement-table cell of the report: income statement revenue, 2025 estimate, in 百万元
        revenue = con.execute("""
            SELECT value, unit, basis FROM v_metric_facts
            WHERE source_file = '002_0ad95f4fee22534a.txt' AND metric_code = 'revenue' AND segment_code = ''
              AND measure = 'level' AND period_label = 'FY2025'""").fetchall()
        assert (863000000.0, "CNY", "estimate") in revenue
        assert con.execute("SELECT count(*) FROM v_ratings").fetchone()[0] >= 1
        # the text is released after extraction; the document keeps the length of the note as read
        chars = dict(con.execute("SELECT note_id, text_chars FROM dim_document").fetchall())
    finally:
        con.close()
    from notestar.ingest import ingest_folder

    notes = ingest_folder(workdir["landing"]).notes
    lengths = dict(zip(notes["note_id"], notes["text"].str.len_chars(), strict=True))
    assert chars and {k: chars[k] for k in notes["note_id"]} == lengths
    assert min(chars.values()) > 200
    report = workdir["settings"].report_dir / "dq_report.html"
    assert report.exists() and "quarantine" in report.read_text(encoding="utf-8").lower()


def test_bad_files_are_quarantined_with_reasons(workdir):
    con = duckdb.connect(str(workdir["settings"].db_path), read_only=True)
    try:
        rows = dict(con.execute("""
            SELECT source_file, check_name FROM dq_quarantine
            WHERE source_file IN ('empty.txt', 'binary.txt', 'undecodable.txt')""").fetchall())
    finally:
        con.close()
    assert rows == {"empty.txt": "ingest.empty", "binary.txt": "ingest.binary", "undecodable.txt": "ingest.undecodable"}


def test_rerun_changes_nothing_and_a_new_file_loads_only_that_note(workdir):
    settings = workdir["settings"]
    before = counts(settings.db_path)
    assert run_job(settings).success
    after = counts(settings.db_path)
    assert {k: v for k, v in after.items() if k not in ("dq_run", "dq_result")} == \
        {k: v for k, v in before.items() if k not in ("dq_run", "dq_result")}
    assert after["dq_run"] == before["dq_run"] + 1  # each run is recorded in the history

    (workdir["landing"] / "new_note.txt").write_text(NEW_NOTE, encoding="utf-8")
    result = run_job(settings)
    assert result.success
    assert result.asset_value("raw_notes").notes.height == 1
    grown = counts(settings.db_path)
    assert grown["dim_document"] == before["dim_document"] + 1
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        new_facts = con.execute("""
            SELECT metric_code, measure, period_label, value FROM v_metric_facts
            WHERE source_file = 'new_note.txt' ORDER BY 1, 2""").fetchall()
    finally:
        con.close()
    assert ("revenue", "level", "2025Q3", 860000000.0) in new_facts
    assert ("revenue", "yoy", "2025Q3", 25.3) in new_facts
    assert grown["fact_metric"] == before["fact_metric"] + len(new_facts)


def test_cli_status_sql_and_export(workdir, tmp_path):
    from typer.testing import CliRunner

    from notestar.cli import app

    db = str(workdir["settings"].db_path)
    runner = CliRunner()
    status = runner.invoke(app, ["status", "--db", db])
    assert status.exit_code == 0, status.output
    assert "fact_metric" in status.output and "dq_run" in status.output
    query = "SELECT company_name, count(*) AS n FROM v_metric_facts GROUP BY 1 ORDER BY 1"
    out = runner.invoke(app, ["sql", query, "--db", db, "--csv"])
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert lines[0] == "company_name,n" and any(line.startswith("金山云,") for line in lines[1:])
    exported = runner.invoke(app, ["export", str(tmp_path / "star"), "--db", db, "--format", "parquet"])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "star" / "fact_metric.parquet").exists()
