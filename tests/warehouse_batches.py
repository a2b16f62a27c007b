"""Hand-written, realistic warehouse batches for the warehouse tests (helper module, not a test file).

Values are the kind research notes report: Kingsoft Cloud (金山云, 03896.HK / KC) quarterly results and
broker forecasts, Paratera (并行科技, 839493.BJ) half-year results. Each builder returns frames that follow
notestar.schemas exactly.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import polars as pl

from notestar import schemas
from notestar.warehouse import LoadBatch, connect_readonly

EXTRACTOR = "test-1"


def query(db, sql: str, params=None) -> list[tuple]:
    con = connect_readonly(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def note_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def note(text: str, source_file: str, publisher: str | None, published: datetime, index: int = 0,
         kind: str = "broker_report", title: str | None = None) -> dict:
    return {
        "note_id": note_id(text), "file_hash": hashlib.sha256(source_file.encode()).hexdigest(),
        "source_file": source_file, "source_path": f"landing/{source_file}", "note_index": index,
        "title": title or text.splitlines()[0], "publisher": publisher, "published_at": published,
        "kind": kind, "language": "zh", "text": text,
    }


def fact(nt: dict, company: str, ticker: str | None, metric: str, period: str, value: float, unit: str = "CNY",
         measure: str = "level", basis: str = "actual", segment: str = "", decimals: int | None = None,
         value_text: str | None = None, evidence: str = "", span: int = 0, version: str = EXTRACTOR) -> dict:
    ptype = ("FY" if period.startswith("FY") else "9M" if "-Q" in period else "H" if "H" in period
             else "Q" if "Q" in period else "instant")
    return {
        "note_id": nt["note_id"], "source_file": nt["source_file"], "company_name": company,
        "company_ticker": ticker, "metric_code": metric, "segment_code": segment, "measure": measure,
        "period_label": period, "period_type": ptype, "basis": basis, "value": float(value), "unit": unit,
        "decimals": decimals, "value_text": value_text, "evidence": evidence or f"{metric} {period} {value_text}",
        "span_start": span, "span_end": span + 6, "rule_id": "prose.level_yoy", "extractor_version": version,
    }


def rating(nt: dict, company: str, ticker: str | None, institution: str, rating_code: str, rating_zh: str,
           action: str, target: float | None, currency: str | None, version: str = EXTRACTOR) -> dict:
    return {
        "note_id": nt["note_id"], "source_file": nt["source_file"], "company_name": company,
        "company_ticker": ticker, "institution": institution, "rating": rating_code, "rating_zh": rating_zh,
        "action": action, "target_price": target, "currency": currency,
        "rating_date": nt["published_at"].date() if nt["published_at"] else None,
        "evidence": f"{rating_zh} {target}", "span_start": 10, "span_end": 14, "rule_id": "rating.prose",
        "extractor_version": version,
    }


COMPANIES = pl.DataFrame(
    {
        "company_name": ["金山云", "并行科技"],
        "name_en": ["Kingsoft Cloud", "Paratera"],
        "tickers": [["03896.HK", "KC"], ["839493.BJ"]],
        "aliases": [["金山云控股"], ["北京并行科技"]],
        "source": ["lexicon", "lexicon"],
    },
    schema=schemas.COMPANIES,
)

NOTE_A_TEXT = (
    "金山云(03896.HK)3Q25业绩点评:AI驱动收入加速\n国元香港\n"
    "3Q25实现营收24.78亿元,同比增长31.4%,环比增长5.5%,去年同期18.86亿元。公有云收入17.52亿元。"
    "预计2025-2027年营收95/110/125亿元,经调整净利润-5.5/-2.9/-0.1亿元(原预测-8.1/-3.7/-3.4亿元)。"
    "维持买入评级,目标价16.8美元。"
)
NOTE_B_TEXT = (
    "金山云季度跟踪\n华源证券\n公司第三季度收入24.8亿元,2Q25收入23.5亿元,2Q25公有云收入16.2亿元。"
    "预计2026年经调整净利润-3.2亿元。"
)
NOTE_C_TEXT = (
    "并行科技(839493.BJ)2025H1点评\n华源证券\n2025H1实现营收4.58亿元(yoy+69%),归母净利润508万元,毛利率34.27%。"
    "预计2025-2027年归母净利润0.24/0.36/0.48亿元。增持(维持)。"
)


def notes_1() -> tuple[dict, dict, dict]:
    a = note(NOTE_A_TEXT, "kc_3q25_guoyuan.txt", "国元香港", datetime(2025, 11, 20, 9, 0))
    b = note(NOTE_B_TEXT, "kc_tracking.md", "华源证券", datetime(2025, 11, 22, 8, 30), kind="article")
    c = note(NOTE_C_TEXT, "paratera_2025h1.txt", "华源证券", datetime(2025, 7, 29, 7, 0))
    return a, b, c


def facts_1(version: str = EXTRACTOR) -> list[dict]:
    a, b, c = notes_1()
    return [
        # note A (国元香港): KC results, listed under the HK ticker
        fact(a, "金山云", "03896.HK", "revenue", "2025Q3", 2_478_000_000, decimals=-6, value_text="24.78亿元",
             span=40, version=version),
        fact(a, "金山云", "03896.HK", "revenue", "2025Q3", 31.4, unit="%", measure="yoy", decimals=1,
             value_text="31.4%", span=52, version=version),
        fact(a, "金山云", "03896.HK", "revenue", "2025Q3", 5.5, unit="%", measure="qoq", decimals=1,
             value_text="5.5%", span=62, version=version),
        fact(a, "金山云", "03896.HK", "revenue", "2024Q3", 1_886_000_000, decimals=-6, value_text="18.86亿元",
             span=68, version=version),
        fact(a, "金山云", "03896.HK", "revenue", "2025Q3", 1_752_000_000, segment="public_cloud", decimals=-6,
             value_text="17.52亿元", span=75, version=version),
        # the same fact repeated later in the note: one row in the warehouse
        fact(a, "金山云", "03896.HK", "revenue", "2025Q3", 1_752_000_000, segment="public_cloud", decimals=-6,
             value_text="17.52亿元", span=300, version=version),
        fact(a, "金山云", "03896.HK", "revenue", "FY2025", 9_500_000_000, basis="estimate", decimals=-8,
             value_text="95亿元", span=100, version=version),
        fact(a, "金山云", "03896.HK", "revenue", "FY2026", 11_000_000_000, basis="estimate", decimals=-8,
             value_text="110亿元", span=103, version=version),
        fact(a, "金山云", "03896.HK", "adjusted_net_profit", "FY2026", -290_000_000, basis="estimate",
             decimals=-7, value_text="-2.9亿元", span=120, version=version),
        fact(a, "金山云", "03896.HK", "adjusted_net_profit", "FY2026", -370_000_000, basis="prior_estimate",
             decimals=-7, value_text="-3.7亿元", span=140, version=version),
        # note B (华源证券): same company under the US ticker; a rounder Q3 revenue and Q2 figures
        fact(b, "金山云", "KC", "revenue", "2025Q3", 2_480_000_000, decimals=-7, value_text="24.8亿元",
             span=20, version=version),
        fact(b, "金山云", "KC", "revenue", "2025Q2", 2_350_000_000, decimals=-7, value_text="23.5亿元",
             span=35, version=version),
        fact(b, "金山云", "KC", "revenue", "2025Q2", 1_620_000_000, segment="public_cloud", decimals=-7,
             value_text="16.2亿元", span=50, version=version),
        fact(b, "金山云", "KC", "adjusted_net_profit", "FY2026", -320_000_000, basis="estimate", decimals=-7,
             value_text="-3.2亿元", span=70, version=version),
        # note C (华源证券): Paratera
        fact(c, "并行科技", "839493.BJ", "revenue", "2025H1", 458_000_000, decimals=-6, value_text="4.58亿元",
             span=30, version=version),
        fact(c, "并行科技", "839493.BJ", "revenue", "2025H1", 69, unit="%", measure="yoy", decimals=0,
             value_text="69%", span=40, version=version),
        fact(c, "并行科技", "839493.BJ", "net_profit_attributable", "2025H1", 5_080_000, decimals=-4,
             value_text="508万元", span=50, version=version),
        fact(c, "并行科技", "839493.BJ", "gross_margin", "2025H1", 34.27, unit="%", decimals=2,
             value_text="34.27%", span=60, version=version),
        fact(c, "并行科技", "839493.BJ", "net_profit_attributable", "FY2026", 36_000_000, basis="estimate",
             decimals=-6, value_text="0.36亿元", span=80, version=version),
    ]


def ratings_1(version: str = EXTRACTOR) -> list[dict]:
    a, _, c = notes_1()
    return [
        rating(a, "金山云", "KC", "国元香港", "buy", "买入", "maintain", 16.8, "USD", version=version),
        rating(c, "并行科技", "839493.BJ", "华源证券", "overweight", "增持", "maintain", None, None,
               version=version),
    ]


def quarantine_1() -> pl.DataFrame:
    return pl.DataFrame(
        [{"stage": "ingest", "source_file": "scan.bin", "note_id": None, "check_name": "ingest.binary",
          "severity": "error", "reason": "binary file (NUL bytes in the first 4 KiB)",
          "row_json": '{"size": 2048}'}],
        schema=schemas.QUARANTINE,
    )


def dq_results_1() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"check_name": "gx.metric_facts.unit_in_set", "table_name": "metric_facts", "severity": "error",
             "success": True, "evaluated": 17, "failed": 0, "failing_examples": "[]",
             "description": "unit is one of CNY USD HKD % pp x shares count"},
            {"check_name": "cross.yoy_consistency", "table_name": "metric_facts", "severity": "warning",
             "success": False, "evaluated": 4, "failed": 1, "failing_examples": "[]",
             "description": "level and yoy agree with the prior-year level"},
        ],
        schema=schemas.DQ_RESULTS,
    )


def make_batch(run_id: str, notes: list[dict], facts: list[dict], ratings: list[dict] | None = None,
               companies: pl.DataFrame | None = None, quarantine: pl.DataFrame | None = None,
               dq_results: pl.DataFrame | None = None, version: str = EXTRACTOR,
               notes_seen: int | None = None) -> LoadBatch:
    return LoadBatch(
        run_id=run_id,
        started_at=datetime(2025, 11, 23, 2, 0),
        notes=pl.DataFrame(notes, schema=schemas.NOTES),
        facts=pl.DataFrame(facts, schema=schemas.FACTS),
        ratings=pl.DataFrame(ratings or [], schema=schemas.RATINGS),
        companies=COMPANIES if companies is None else companies,
        quarantine=schemas.empty(schemas.QUARANTINE) if quarantine is None else quarantine,
        dq_results=schemas.empty(schemas.DQ_RESULTS) if dq_results is None else dq_results,
        extractor_version=version,
        notes_seen=len(notes) if notes_seen is None else notes_seen,
    )


def batch_1(run_id: str = "run-1", version: str = EXTRACTOR) -> LoadBatch:
    return make_batch(run_id, list(notes_1()), facts_1(version), ratings_1(version), quarantine=quarantine_1(),
                      dq_results=dq_results_1(), version=version)


NOTE_D_TEXT = (
    "金山云:上调盈利预测\n华源证券\n智算需求超预期,我们将2026年经调整净利润预测由-3.2亿元上调至-2.0亿元。"
)


def revision_batch(run_id: str = "run-2") -> LoadBatch:
    """A later note from the second institution (华源证券) revising its FY2026 forecast for 金山云."""
    d = note(NOTE_D_TEXT, "kc_revision.txt", "华源证券", datetime(2025, 12, 1, 8, 0))
    facts = [
        fact(d, "金山云", "03896.HK", "adjusted_net_profit", "FY2026", -200_000_000, basis="estimate",
             decimals=-7, value_text="-2.0亿元", span=40),
        fact(d, "金山云", "03896.HK", "adjusted_net_profit", "FY2026", -320_000_000, basis="prior_estimate",
             decimals=-7, value_text="-3.2亿元", span=30),
    ]
    return make_batch(run_id, [d], facts)


def rating_date(nt: dict) -> date:
    return nt["published_at"].date()
