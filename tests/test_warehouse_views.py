"""Analyst views (issue 5): consensus and revisions across institutions, best actuals, conflicts, timeline."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import datetime

import pytest
from warehouse_batches import batch_1, fact, make_batch, note, query, revision_batch

from notestar.warehouse import connect_readonly, load_batch

SCORER_COLUMNS = ["source_file", "company_name", "company_ticker", "metric_code", "segment_code", "measure",
                  "period_label", "basis", "value", "unit", "evidence"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "notestar.duckdb"
    load_batch(path, batch_1("run-1"))
    return path


CONSENSUS_SQL = """
    SELECT n_institutions, mean_estimate, median_estimate, min_estimate, max_estimate,
           CAST(latest_date AS DATE)::VARCHAR, institutions
    FROM v_consensus_estimates
    WHERE company_name = '金山云' AND metric_code = 'adjusted_net_profit' AND fiscal_year = 2026
"""


def test_second_institution_revision_shows_in_revisions_and_consensus(db):
    # before: 国元香港 -2.9亿 (11-20), 华源证券 -3.2亿 (11-22)
    assert query(db, CONSENSUS_SQL) == [
        (2, -305_000_000.0, -305_000_000.0, -320_000_000.0, -290_000_000.0, "2025-11-22", "华源证券, 国元香港")
    ]
    # 华源证券 publishes a later note raising its FY2026 forecast from -3.2亿 to -2.0亿
    load_batch(db, revision_batch("run-2"))

    revisions = query(db, """
        SELECT institution, previous_value, revised_value, change, change_pct, direction, revision_source,
               CAST(previous_date AS DATE)::VARCHAR, CAST(revised_date AS DATE)::VARCHAR
        FROM v_estimate_revisions
        WHERE company_name = '金山云' AND metric_code = 'adjusted_net_profit' AND period_label = 'FY2026'
        ORDER BY institution, revision_source""")
    assert revisions == [
        ("华源证券", -320_000_000.0, -200_000_000.0, 120_000_000.0, 37.5, "up", "across_notes",
         "2025-11-22", "2025-12-01"),
        ("华源证券", -320_000_000.0, -200_000_000.0, 120_000_000.0, 37.5, "up", "stated_in_note", None,
         "2025-12-01"),
        # 国元香港's own note says it raised the forecast from -3.7亿 (a prior_estimate fact)
        ("国元香港", -370_000_000.0, -290_000_000.0, 80_000_000.0, 21.62, "up", "stated_in_note", None,
         "2025-11-20"),
    ]
    # still two institutions: 华源证券 counts once, with its latest estimate only
    assert query(db, CONSENSUS_SQL) == [
        (2, -245_000_000.0, -245_000_000.0, -290_000_000.0, -200_000_000.0, "2025-12-01", "华源证券, 国元香港")
    ]


def test_consensus_counts_one_institution_with_one_estimate(db):
    assert query(db, """
        SELECT company_name, n_institutions, mean_estimate, institutions FROM v_consensus_estimates
        WHERE metric_code = 'net_profit_attributable' AND fiscal_year = 2026""") == [
        ("并行科技", 1, 36_000_000.0, "华源证券")
    ]


LATEST_SQL = """
    SELECT value, value_text, decimals, n_sources, n_values, sources_agree, source_file
    FROM v_latest_actuals
    WHERE company_name = '金山云' AND metric_code = 'revenue' AND segment_code = '' AND measure = 'level'
      AND period_label = ?
"""


def test_latest_actuals_prefers_precision_then_recency_and_checks_agreement(db):
    # 2025Q3: 24.78亿 (国元香港, 11-20, decimals -6) vs 24.8亿 (华源证券, 11-22, decimals -7): the more precise
    # value wins although older, and the two agree within the rounding of 24.8亿
    assert query(db, LATEST_SQL, ["2025Q3"]) == [
        (2_478_000_000.0, "24.78亿元", -6, 2, 2, True, "kc_3q25_guoyuan.txt")
    ]
    # a newer note, same precision as 华源证券's 23.5亿, says 23.6亿 for 2025Q2: most recent wins, and the
    # sources disagree (0.1亿 apart, beyond the half-unit 0.05亿 of either)
    later = note("金山云二季度回顾\n某资讯\n公司2Q25收入23.6亿元。", "kc_q2_review.txt", "某资讯",
                 datetime(2025, 12, 5, 10, 0), kind="news")
    load_batch(db, make_batch("run-2", [later], [
        fact(later, "金山云", None, "revenue", "2025Q2", 2_360_000_000, decimals=-7, value_text="23.6亿元"),
    ]))
    assert query(db, LATEST_SQL, ["2025Q2"]) == [
        (2_360_000_000.0, "23.6亿元", -7, 2, 2, False, "kc_q2_review.txt")
    ]
    assert query(db, LATEST_SQL, ["2025Q3"])[0][5] is True
    conflicts = query(db, """
        SELECT period_label, best_value, value, difference, source_file FROM v_conflicts ORDER BY value""")
    assert conflicts == [
        ("2025Q2", 2_360_000_000.0, 2_350_000_000.0, -10_000_000.0, "kc_tracking.md"),
        ("2025Q2", 2_360_000_000.0, 2_360_000_000.0, 0.0, "kc_q2_review.txt"),
    ]


def test_v_metric_facts_is_the_scoring_contract(db, tmp_path, shared_dir):
    con = connect_readonly(db)
    try:
        assert [r[0] for r in con.execute("DESCRIBE v_metric_facts").fetchall()] == SCORER_COLUMNS
        rows = con.execute("SELECT DISTINCT source_file, company_name, company_ticker FROM v_metric_facts "
                           "ORDER BY 1").fetchall()
    finally:
        con.close()
    assert rows == [
        ("kc_3q25_guoyuan.txt", "金山云", "03896.HK, KC"),
        ("kc_tracking.md", "金山云", "03896.HK, KC"),
        ("paratera_2025h1.txt", "并行科技", "839493.BJ"),
    ]
    # the shared scorer reads the view: two gold rows, one matched by name and one by ticker (KC)
    gold = tmp_path / "gold.csv"
    with gold.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "company", "ticker", "metric", "segment", "measure", "period", "basis", "value",
                    "unit", "evidence"])
        w.writerow(["kc_3q25_guoyuan.txt", "金山云", "", "revenue", "", "level", "2025Q3", "actual",
                    "2478000000", "CNY", ""])
        w.writerow(["kc_tracking.md", "Kingsoft Cloud", "KC", "revenue", "", "level", "2025Q2", "actual",
                    "2350000000", "CNY", ""])
    scorer = shared_dir / "tools" / "score_extraction.py"
    out = subprocess.run([sys.executable, str(scorer), "--db", str(db), "--gold", str(gold)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    assert "recall 1.000" in out.stdout and "matched 2)" in out.stdout, out.stdout


def test_company_timeline_and_ratings(db):
    load_batch(db, revision_batch("run-2"))
    timeline = query(db, """
        SELECT published_date::VARCHAR, publisher, n_actual, n_estimate, latest_revenue_period, latest_revenue,
               ratings, target_price
        FROM v_company_timeline WHERE company_name = '金山云' ORDER BY published_at""")
    assert timeline == [
        ("2025-11-20", "国元香港", 5, 4, "2025Q3", 2_478_000_000.0, "国元香港: 买入", 16.8),
        ("2025-11-22", "华源证券", 3, 1, "2025Q3", 2_480_000_000.0, None, None),
        ("2025-12-01", "华源证券", 0, 2, None, None, None, None),
    ]
    assert query(db, "SELECT company_ticker, institution, rating, action, target_price, currency, "
                     "rating_date::VARCHAR FROM v_ratings WHERE company_name = '金山云'") == [
        ("03896.HK, KC", "国元香港", "buy", "maintain", 16.8, "USD", "2025-11-20")
    ]
