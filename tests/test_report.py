"""The offline data-quality report: built from a real DuckDB warehouse, checked as text and in Chromium."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from notestar.report import write_report
from notestar.warehouse.schema import apply_schema

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
EVIL = '<script>alert("x")</script> 营收24.8亿元 & more'


def _build_warehouse(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        apply_schema(con)  # the warehouse's own DDL (sql/*.sql)
        t0 = datetime(2026, 11, 19, 2, 0)
        for i, (loaded, quarantined, failed) in enumerate([(120, 3, 1), (135, 5, 2), (150, 2, 2)]):
            run = f"run-{i + 1}"
            con.execute(
                "INSERT INTO dq_run (run_id, started_at, finished_at, notes_seen, notes_loaded, facts_loaded, "
                "ratings_loaded, quarantined, checks_evaluated, checks_failed) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [run, t0 + timedelta(days=i), t0 + timedelta(days=i, seconds=42), 10 + i, 4, loaded, 2,
                 quarantined, 3, failed])
            results = [
                ("gx.metric_facts.unit_in_set", "metric_facts", "error", 200, i + 1,
                 [{"source_file": "a.txt", "metric_code": "revenue", "value_text": "5亿", "unit": "RMB",
                   "reason": "unit is a normalised unit — got unit='RMB'", "evidence": EVIL}]),
                ("cross.source_agreement", "metric_facts", "warning", 40, 2 if i else 0,
                 [{"source_file": "b.txt", "company_name": "示例科技", "metric_code": "gross_profit",
                   "period_label": "2025Q3", "value": 5.9e8,
                   "reason": "5.9亿元 in this note vs 4.0亿元 in a.txt (note n1)"}] if i else []),
                ("gx.metric_facts.metric_code_in_lexicon", "metric_facts", "error", 200, 0, []),
            ]
            for name, table, severity, evaluated, failed_rows, examples in results:
                con.execute(
                    "INSERT INTO dq_result (run_id, check_name, table_name, severity, success, evaluated, failed, "
                    "failing_examples, description) VALUES (?,?,?,?,?,?,?,?,?)",
                    [run, name, table, severity, failed_rows == 0, evaluated, failed_rows,
                     json.dumps(examples, ensure_ascii=False), f"description of {name}"])
        con.execute(
            "INSERT INTO dq_quarantine (quarantine_id, stage, source_file, note_id, check_name, severity, reason, "
            "row_json, first_run_id, last_run_id, times_seen) VALUES "
            "('q1', 'validate', 'a.txt', 'n1', 'gx.metric_facts.unit_in_set', 'error', ?, ?, 'run-1', 'run-3', 3),"
            "('q2', 'ingest', 'empty.txt', NULL, 'ingest.empty', 'error', 'file is empty', '{}', 'run-3', "
            "'run-3', 1)",
            [f"bad unit in {EVIL}", json.dumps({"unit": "RMB", "evidence": EVIL}, ensure_ascii=False)])
        con.execute("INSERT INTO dim_company (company_key, company_name, tickers) VALUES (1, '示例科技', ['00001.HK'])")
        con.execute("INSERT INTO dim_document (note_id, source_file, publisher, published_at) VALUES "
                    "('n1', 'a.txt', 'Broker A', '2025-11-20'), ('n2', 'b.txt', 'Broker B', '2025-11-21')")
        for fid, note, value, text, flag in [("f1", "n1", 4.0e8, "4.0亿元", True), ("f2", "n2", 5.9e8, "5.9亿元", True),
                                             ("f3", "n1", 2.478e9, "24.78亿元", False)]:
            metric = "revenue" if fid == "f3" else "gross_profit"
            con.execute(
                "INSERT INTO fact_metric (fact_id, note_id, company_key, metric_code, segment_code, period_label, "
                "measure, basis, value, unit, decimals, value_text, evidence, dq_warning, dq_warnings, run_id) "
                "VALUES (?, ?, 1, ?, '', '2025Q3', 'level', 'actual', ?, 'CNY', -7, ?, ?, ?, ?, 'run-3')",
                [fid, note, metric, value, text, EVIL if fid == "f2" else "e", flag,
                 "cross.source_agreement" if flag else ""])


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    db = tmp / "wh.duckdb"
    _build_warehouse(db)
    docs = tmp / "reports" / "gx_data_docs"
    docs.mkdir(parents=True)
    (docs / "index.html").write_text("<html><body>docs</body></html>", encoding="utf-8")
    return write_report(db, tmp / "reports")


def test_report_content(report):
    assert report.name == "dq_report.html"
    html = report.read_text(encoding="utf-8")
    # run summary of the latest run
    summary = html[html.index('id="summary"'):html.index('id="trends"')]
    assert "run-3" in summary and "150" in summary and "42.0 s" in summary
    # every check of the latest run with its pass rate (200 rows, 3 failed -> 98.5 %)
    assert 'data-check="gx.metric_facts.unit_in_set"' in html
    assert "98.5 %" in html and "95.0 %" in html and "100.0 %" in html
    # conflicts between sources (from the warehouse's v_conflicts view)
    conflicts = html[html.index('id="conflicts"'):html.index('id="quarantine"')]
    assert conflicts.count('class="conflict-row"') == 2 and "5.9亿元" in conflicts and "b.txt" in conflicts
    # quarantine list
    assert html.count('class="quarantine-row"') == 2 and "ingest.empty" in html
    # evidence is escaped, never live markup
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    # offline: no external resources; figures inline
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert html.count("<svg") >= 2
    assert 'href="gx_data_docs/index.html"' in html


def test_conflicts_are_reused_until_facts_change(tmp_path):
    db = tmp_path / "wh.duckdb"
    _build_warehouse(db)
    out = tmp_path / "reports"
    write_report(db, out)
    cache = out / "conflicts_cache.json"
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert len(stored["conflicts"]) == 2
    # an idle run (no fact loaded since) reuses the stored list instead of scanning every figure again
    stored["conflicts"][0]["value_text"] = "CACHED-VALUE"
    cache.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    assert "CACHED-VALUE" in write_report(db, out).read_text(encoding="utf-8")
    # a note loaded by a new run changes the facts' version: the conflicts are read again
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE dim_document SET loaded_run_id = 'run-4' WHERE note_id = 'n2'")
    html = write_report(db, out).read_text(encoding="utf-8")
    assert "CACHED-VALUE" not in html and "5.9亿元" in html


def test_report_without_warehouse(tmp_path):
    path = write_report(tmp_path / "missing.duckdb", tmp_path / "out")
    html = path.read_text(encoding="utf-8")
    assert 'id="no-runs"' in html and "gx_data_docs" not in html


def _chromium_missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"chromium not installed ({CHROMIUM}); apt-get install chromium chromium-driver"
    if not (Path(CHROMEDRIVER).exists() or shutil.which("chromedriver")):
        return f"chromedriver not installed ({CHROMEDRIVER}); apt-get install chromium-driver"
    return None


def test_report_in_headless_chromium(report):
    missing = _chromium_missing()
    if missing:
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=1400,1000"):
        opts.add_argument(flag)
    service = Service(CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    try:
        driver.get(report.resolve().as_uri())
        assert driver.find_element(By.TAG_NAME, "h1").text == "notestar data-quality report"
        assert driver.find_element(By.ID, "run-status").text.startswith("errors")
        figures = driver.find_elements(By.CSS_SELECTOR, "figure.plot svg")
        assert len(figures) >= 2
        for fig in figures:
            assert fig.is_displayed()
            assert fig.size["width"] > 200 and fig.size["height"] > 100
        ids = {f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, "figure.plot")}
        assert {"fig-facts_per_run", "fig-failure_rate"} <= ids
        # plot text is real text in the SVG: the failing check's name is in the legend
        assert "gx.metric_facts.unit_in_set" in driver.find_element(By.ID, "fig-failure_rate").text
        # no script ran from the escaped evidence, and it reads as text
        assert driver.execute_script("return document.scripts.length") == 0
        rows = driver.find_elements(By.CSS_SELECTOR, "tr.quarantine-row")
        assert len(rows) == 2 and '<script>alert("x")</script>' in rows[0].text + rows[1].text
    finally:
        driver.quit()
