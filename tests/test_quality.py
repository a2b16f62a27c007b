"""Data quality: real GX validation and DuckDB cross checks over a batch with injected faults."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from notestar.lexicon import load_lexicon
from notestar.quality import validate
from notestar.quality.expectations import all_checks
from notestar.quality.gx_runner import GX_ROOT, ensure_suite
from notestar.schemas import DQ_RESULTS, FACTS, NOTES, QUARANTINE, RATINGS, conform, empty

PUB = {"n1": datetime(2025, 11, 20, 9), "n2": datetime(2025, 11, 21, 9), "n3": None}


def _notes() -> pl.DataFrame:
    return conform(pl.DataFrame({
        "note_id": list(PUB), "file_hash": ["h1", "h2", "h3"], "source_file": ["a.txt", "b.txt", "c.txt"],
        "source_path": ["in/a.txt", "in/b.txt", "in/c.txt"], "note_index": [0, 0, 0],
        "title": ["Q3 results", "Q3 review", "undated"], "publisher": ["Broker A", "Broker B", None],
        "published_at": list(PUB.values()), "kind": ["broker_report", "news", "news"], "language": ["zh"] * 3,
        "text": ["...", "...", "..."],
    }), NOTES)


def fact(note: str, metric: str, value: float, unit: str, decimals: int | None, text: str, *, measure="level",
         period="2025Q3", ptype="Q", basis="actual", segment="", tag="") -> dict:
    return {
        "note_id": note, "source_file": {"n1": "a.txt", "n2": "b.txt", "n3": "c.txt"}[note],
        "company_name": "示例科技", "company_ticker": "00001.HK", "metric_code": metric, "segment_code": segment,
        "measure": measure, "period_label": period, "period_type": ptype, "basis": basis, "value": value,
        "unit": unit, "decimals": decimals, "value_text": text, "evidence": f"<b>{tag or metric}</b> {text}",
        "span_start": 10, "span_end": 10 + len(text), "rule_id": tag or "test", "extractor_version": "t1",
    }


VALID = [
    fact("n1", "revenue", 2.478e9, "CNY", -6, "24.78亿元", tag="ok_rev"),
    fact("n1", "revenue", 2.0e9, "CNY", -8, "20亿元", period="2024Q3", tag="ok_rev_prior"),
    fact("n1", "revenue", 23.9, "%", 1, "23.9%", measure="yoy", tag="ok_yoy"),
    fact("n1", "gross_profit", 4.0e8, "CNY", -7, "4.0亿元", tag="ok_gp"),
    fact("n1", "gross_margin", 16.1, "%", 1, "16.1%", tag="ok_gm"),
    fact("n1", "revenue", 1.2e9, "CNY", -8, "12亿元", segment="public_cloud", tag="ok_seg"),
    fact("n1", "net_profit", 3.0e8, "CNY", -8, "3亿元", period="FY2026", ptype="FY", basis="estimate", tag="ok_est"),
    fact("n1", "pe", 25.3, "x", 1, "25.3倍", period="FY2026", ptype="FY", basis="estimate", tag="ok_pe"),
    fact("n2", "revenue", 2.48e9, "CNY", -7, "24.8亿元", tag="ok_rev_n2"),  # agrees with 24.78亿 at its precision
    fact("n3", "revenue", 1.0e8, "CNY", -8, "1亿元", period="2025Q2", tag="undated"),
]
FAULTS = [
    fact("n1", "revenue", 5.0e8, "RMB", -8, "5亿", period="2025Q2", tag="bad_unit"),
    fact("n1", "net_margin", 500.0, "%", 0, "500%", tag="bad_margin"),
    fact("n1", "revenue", 9.0e9, "CNY", -8, "90亿元", period="FY2025", ptype="FY", tag="bad_future_actual"),
    fact("n1", "revenue", 2.478e9, "CNY", -6, "24.78亿元", tag="dup_of_ok_rev"),
    fact("n2", "gross_profit", 5.9e8, "CNY", -7, "5.9亿元", tag="conflict_gp"),  # vs 4.0亿 in n1
    fact("n1", "revenue", 3.0e9, "CNY", -8, "30亿元", period="FY2022", ptype="FY", basis="estimate", tag="old_est"),
    fact("n1", "revenue", 60.0, "%", 0, "60%", measure="yoy", tag="bad_yoy"),  # levels imply ~24 %
    fact("n2", "revenue", 3.1e9, "CNY", -8, "31亿元", segment="ai", tag="seg_over_total"),
    fact("n1", "gross_margin", 30.0, "%", 0, "30%", tag="bad_gm"),  # 4.0亿 or 5.9亿 / 24.8亿 is 16 % or 24 %
]


def _ratings() -> pl.DataFrame:
    base = {"source_file": "a.txt", "company_name": "示例科技", "company_ticker": "00001.HK",
            "institution": "Broker A", "rating_zh": "买入", "action": "maintain", "evidence": "维持买入",
            "span_start": 1, "span_end": 5, "rule_id": "t", "extractor_version": "t1"}
    return conform(pl.DataFrame([
        {**base, "note_id": "n1", "rating": "buy", "target_price": 12.5, "currency": "HKD",
         "rating_date": date(2025, 11, 20)},
        {**base, "note_id": "n1", "rating": "buy", "target_price": -3.0, "currency": "HKD",
         "rating_date": date(2025, 11, 20)},
    ]), RATINGS)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    facts = conform(pl.DataFrame(VALID + FAULTS), FACTS)
    return validate(_notes(), facts, _ratings(), data_docs_dir=docs), facts, docs


def _by_tag(df: pl.DataFrame, tag: str) -> pl.DataFrame:
    return df.filter(pl.col("rule_id") == tag)


def _quarantined(result, tag: str) -> set[str]:
    q = result.quarantine.filter(pl.col("row_json").str.contains(f'"rule_id": "{tag}"', literal=True))
    return set(q["check_name"])


def test_contracts_and_nothing_dropped(run):
    result, facts, _ = run
    assert result.facts.columns == [*FACTS, "dq_warning", "dq_warnings"]
    assert result.quarantine.schema == pl.Schema(QUARANTINE)
    assert result.results.schema == pl.Schema(DQ_RESULTS)
    rows = [json.loads(r) for r in result.quarantine["row_json"]]
    rejected = {r["rule_id"] for r in rows if "metric_code" in r}
    loaded = set(result.facts["rule_id"])
    assert loaded | rejected == set(facts["rule_id"])  # every input row is loaded or quarantined
    # the duplicate shares rule_id with nothing else, and its original is loaded
    assert result.facts.height + len(rejected) == facts.height


def test_valid_facts_load_without_warnings(run):
    result, _, _ = run
    ok = result.facts.filter(pl.col("rule_id").str.starts_with("ok_"))
    assert ok.height == sum(1 for f in VALID if f["rule_id"].startswith("ok_"))
    flagged = ok.filter(pl.col("dq_warning"))
    # the valid n1 gross profit conflicts with the faulty n2 one: both sides are flagged, nothing else
    assert flagged["rule_id"].to_list() == ["ok_gp"]
    assert flagged["dq_warnings"][0] == "cross.source_agreement"


@pytest.mark.parametrize("tag,check", [
    ("bad_unit", "gx.metric_facts.unit_in_set"),
    ("bad_margin", "gx.metric_facts.ratio_range"),
    ("bad_future_actual", "gx.metric_facts.actual_not_after_publication"),
    ("dup_of_ok_rev", "gx.metric_facts.fact_key_unique"),
    ("old_est", "gx.metric_facts.estimate_not_years_old"),
])
def test_errors_go_to_quarantine(run, tag, check):
    result, _, _ = run
    assert check in _quarantined(result, tag)
    assert _by_tag(result.facts, tag).height == 0
    row = result.quarantine.filter(pl.col("check_name") == check).row(0, named=True)
    assert row["stage"] == "validate" and row["severity"] == "error" and row["reason"]
    assert json.loads(row["row_json"])["metric_code"]


def test_wrong_unit_reason_and_duplicate_keeps_first(run):
    result, _, _ = run
    q = result.quarantine.filter(pl.col("check_name") == "gx.metric_facts.unit_in_set")
    assert "RMB" in q["reason"][0]
    assert "gx.metric_facts.unit_matches_value_type" in _quarantined(result, "bad_unit")
    assert _by_tag(result.facts, "ok_rev").height == 1  # the first of the duplicated pair loads
    q = result.quarantine.filter(pl.col("check_name") == "gx.metric_facts.actual_not_after_publication")
    assert "2025-12-31" in q["reason"][0] and "2025-11-20" in q["reason"][0]


@pytest.mark.parametrize("tag,check", [
    ("conflict_gp", "cross.source_agreement"),
    ("bad_yoy", "cross.yoy_consistency"),
    ("seg_over_total", "cross.segment_within_total"),
    ("bad_gm", "cross.margin_consistency"),
    ("undated", "gx.documents.published_at_not_null"),
])
def test_warnings_load_flagged(run, tag, check):
    result, _, _ = run
    row = _by_tag(result.facts, tag)
    assert row.height == 1
    assert row["dq_warning"][0] is True
    assert check in row["dq_warnings"][0].split(";")


def test_precision_aware_agreement(run):
    result, _, _ = run
    # 24.78亿 (decimals -6) and 24.8亿 (decimals -7) agree; both load unflagged
    for tag in ("ok_rev", "ok_rev_n2"):
        assert _by_tag(result.facts, tag)["dq_warning"][0] is False
    res = result.results.filter(pl.col("check_name") == "cross.source_agreement").row(0, named=True)
    assert res["success"] is False and res["failed"] == 2
    examples = json.loads(res["failing_examples"])
    assert any("5.9亿元" in e["reason"] and "4.0亿元" in e["reason"] for e in examples)


def test_results_one_row_per_check(run):
    result, _, _ = run
    names = result.results["check_name"].to_list()
    assert len(names) == len(set(names))
    expected = {c.name for checks in all_checks(load_lexicon()).values() for c in checks}
    assert expected <= set(names)
    assert {"cross.source_agreement", "cross.yoy_consistency", "cross.segment_within_total",
            "cross.margin_consistency"} <= set(names)
    ratio = result.results.filter(pl.col("check_name") == "gx.metric_facts.ratio_range").row(0, named=True)
    assert (ratio["evaluated"], ratio["failed"], ratio["severity"]) == (3, 1, "error")
    ex = json.loads(ratio["failing_examples"])
    assert ex[0]["value"] == 500.0 and "500" in ex[0]["reason"]
    passing = result.results.filter(pl.col("check_name") == "gx.metric_facts.metric_code_in_lexicon")
    assert passing["success"][0] is True and passing["failed"][0] == 0


def test_ratings(run):
    result, _, _ = run
    assert result.ratings.height == 1 and result.ratings["target_price"][0] == 12.5
    q = result.quarantine.filter(pl.col("check_name") == "gx.ratings.target_price_range")
    assert q.height == 1 and json.loads(q["row_json"][0])["target_price"] == -3.0


def test_suites_are_files_and_idempotent(run):
    _, _, docs = run
    checks = all_checks(load_lexicon())
    for table in ("documents", "metric_facts", "ratings"):
        path = GX_ROOT / f"{table}.json"
        suite = json.loads(path.read_text(encoding="utf-8"))
        assert suite["name"] == table and len(suite["expectations"]) == len(checks[table])
        assert ensure_suite(table, checks[table]) is False  # unchanged specs: file not rewritten
    assert (Path(docs) / "index.html").exists()
    assert any(Path(docs).glob("validations/**/*.html"))


def test_wrong_types_quarantine_the_whole_batch():
    facts = pl.DataFrame(VALID[:2]).with_columns(pl.col("value").cast(pl.String))
    result = validate(_notes(), facts, empty(RATINGS))
    assert result.facts.height == 0
    q = result.quarantine.filter(pl.col("check_name") == "gx.metric_facts.value_type")
    assert q.height == 2
    assert result.results.filter(pl.col("check_name") == "gx.metric_facts.value_type")["success"][0] is False


def test_reference_warehouse_conflict(tmp_path):
    """A new note is compared with the published warehouse's facts for the same keys."""
    sql_dir = Path(__file__).resolve().parent.parent / "sql"
    db = tmp_path / "published.duckdb"
    with duckdb.connect(str(db)) as con:
        for table in ("dim_company", "dim_document", "fact_metric"):
            con.execute((sql_dir / f"{table}.sql").read_text(encoding="utf-8"))
        con.execute("INSERT INTO dim_company (company_key, company_name) VALUES (1, '示例科技')")
        con.execute("INSERT INTO dim_document (note_id, source_file) VALUES ('old', 'old.txt')")
        con.execute("""INSERT INTO fact_metric (fact_id, note_id, company_key, metric_code, segment_code,
                       period_label, measure, basis, value, unit, decimals, value_text)
                       VALUES ('f1', 'old', 1, 'revenue', '', '2025Q3', 'level', 'actual', 2.59e9, 'CNY', -7,
                               '25.9亿元')""")
    facts = conform(pl.DataFrame([VALID[0], VALID[8]]), FACTS)
    result = validate(_notes(), facts, empty(RATINGS), reference_db=db)
    assert result.facts["dq_warnings"].to_list() == ["cross.source_agreement"] * 2
    res = result.results.filter(pl.col("check_name") == "cross.source_agreement")
    assert "old.txt" in res["failing_examples"][0]
    # a missing warehouse is not an error
    result = validate(_notes(), facts, empty(RATINGS), reference_db=tmp_path / "none.duckdb")
    assert result.facts["dq_warning"].to_list() == [False, False]


def test_cross_checks_in_company_parts_equal_one_pass(tmp_path):
    """Checked in parts of whole companies (bounded memory), the outcome is that of one pass over the batch."""
    from notestar.quality.cross_checks import run_cross_checks
    from notestar.quality.frames import ROW_IDX

    other = [{**f, "company_name": "另一控股", "value": f["value"] * 1.5} for f in VALID + FAULTS]
    facts = conform(pl.DataFrame(VALID + FAULTS + other), FACTS).with_row_index(ROW_IDX).with_columns(
        pl.col(ROW_IDX).cast(pl.Int64))
    metrics = load_lexicon().metrics
    whole = {o.check.name: (o.evaluated, o.failures) for o in run_cross_checks(facts, metrics)}
    parts = {o.check.name: (o.evaluated, o.failures) for o in run_cross_checks(facts, metrics, part_rows=5)}
    assert parts == whole
    # rows left out by exclude_rows are as if absent, in one pass or in parts
    excluded = {1, 4, len(VALID) + 4, facts.height - 1}
    absent = {o.check.name: (o.evaluated, o.failures) for o in run_cross_checks(
        facts.filter(~pl.col(ROW_IDX).is_in(sorted(excluded))), metrics)}
    for part_rows in (10**6, 5):
        left_out = {o.check.name: (o.evaluated, o.failures) for o in run_cross_checks(
            facts, metrics, part_rows=part_rows, exclude_rows=excluded)}
        assert left_out == absent
    assert absent != whole
    assert whole["cross.source_agreement"][1]  # the conflicting gross profit fails in both companies
    assert {i for _, fails in whole.values() for i in fails} & set(range(len(VALID + FAULTS), facts.height))
