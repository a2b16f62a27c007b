"""write_report(): render reports/dq_report.html from the warehouse (read-only) with jinja2 (autoescape)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import plots
from .data import ReportData, read_report_data

TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_NAME = "dq_report.html"
DOCS_INDEX = Path("gx_data_docs") / "index.html"
EXAMPLE_FIELDS = ["source_file", "company_name", "metric_code", "segment_code", "period_label", "basis",
                  "value_text", "value", "unit", "institution", "rating", "target_price", "title"]


def _examples(raw: str | None) -> list[dict]:
    try:
        items = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        return [{"reason": raw, "fields": [], "evidence": None}]
    out = []
    for ex in items if isinstance(items, list) else []:
        fields = [(k, ex[k]) for k in EXAMPLE_FIELDS if ex.get(k) not in (None, "")]
        out.append({"reason": ex.get("reason"), "fields": fields, "evidence": ex.get("evidence")})
    return out


def _check_rows(data: ReportData) -> list[dict]:
    rows = []
    for r in data.latest_results():
        evaluated, failed = r.get("evaluated") or 0, r.get("failed") or 0
        rows.append({
            **r,
            "pass_rate": None if not evaluated else 100.0 * (evaluated - failed) / evaluated,
            "examples": _examples(r.get("failing_examples")),
        })
    # failures first (errors before warnings), then by name
    return sorted(rows, key=lambda r: (bool(r.get("success")), r.get("severity") != "error", r["check_name"]))


def _summary(data: ReportData, checks: list[dict]) -> dict:
    run = data.latest or {}
    failed = [c for c in checks if not c.get("success")]
    status = run.get("status") or (
        "errors: rows quarantined" if any(c.get("severity") == "error" for c in failed)
        else "warnings: rows loaded flagged" if failed else "clean")
    started, finished = run.get("started_at"), run.get("finished_at")
    duration = (finished - started).total_seconds() if isinstance(started, datetime) and isinstance(
        finished, datetime) else None
    return {
        "run_id": run.get("run_id"), "started_at": started, "finished_at": finished, "duration": duration,
        "status": status,
        "figures": [
            ("notes seen", run.get("notes_seen")), ("notes loaded", run.get("notes_loaded")),
            ("facts loaded", run.get("facts_loaded")), ("ratings loaded", run.get("ratings_loaded")),
            ("rows quarantined", run.get("quarantined", run.get("facts_quarantined"))),
            ("checks evaluated", run.get("checks_evaluated", len(checks) or None)),
            ("checks failed", run.get("checks_failed", len(failed))),
            ("facts in warehouse", data.facts_total), ("facts flagged (warnings)", data.facts_flagged),
        ],
    }


def _num(value) -> str:
    """Numbers for people: thousands separators, no float noise (590000000.0 -> 590,000,000)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def render(data: ReportData, docs_link: str | None) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _num
    checks = _check_rows(data)
    figures = [
        ("facts_per_run", plots.facts_per_run(data.runs)),
        ("failure_rate", plots.failure_rate_per_check(data.runs, data.results)),
        ("quarantine_by_check", plots.quarantine_by_check(data.quarantine)),
    ]
    return env.get_template("dq_report.html.j2").render(
        generated_at=datetime.now().replace(microsecond=0),
        summary=_summary(data, checks) if data.latest else None,
        runs=list(reversed(data.runs)),
        checks=checks,
        conflicts=data.conflicts,
        quarantine=data.quarantine,
        quarantine_total=data.quarantine_total,
        figures=[(fid, Markup(svg)) for fid, svg in figures if svg],
        docs_link=docs_link,
    )


def write_report(db_path: Path, report_dir: Path) -> Path:
    """Write report_dir/dq_report.html from the warehouse at db_path; returns its path."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    docs_link = DOCS_INDEX.as_posix() if (report_dir / DOCS_INDEX).exists() else None
    html = render(read_report_data(Path(db_path), cache_dir=report_dir), docs_link)
    path = report_dir / REPORT_NAME
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)  # a reader never sees half a page
    return path
