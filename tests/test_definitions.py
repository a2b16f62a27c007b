"""Every Dagster definition loads: assets in lineage order, checks, job, schedule, sensor, resources."""

from __future__ import annotations

import json
from pathlib import Path

from dagster import AssetKey, DagsterInstance, build_sensor_context

from notestar.settings import Settings
from pipelines.definitions import build_defs, defs
from pipelines.sensors import landing_folder_sensor


def test_definitions_load_everything():
    job = defs.resolve_job_def("nightly_notes_job")
    assert job is not None
    schedule = defs.resolve_schedule_def("nightly_notes_schedule")
    assert schedule.cron_schedule == "0 2 * * *" and schedule.execution_timezone == "Asia/Shanghai"
    assert defs.resolve_sensor_def("landing_folder_sensor").job_name == "nightly_notes_job"
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw_notes", "extracted_facts", "validated_facts", "fact_metric", "fact_rating", "dim_company",
            "dim_period", "dq_quarantine", "dq_report"} <= keys
    # lineage: raw notes -> facts -> validated -> warehouse tables -> report
    assert AssetKey("raw_notes") in graph.get(AssetKey("extracted_facts")).parent_keys
    assert AssetKey("validated_facts") in graph.get(AssetKey("fact_metric")).parent_keys
    assert AssetKey("fact_metric") in graph.get(AssetKey("dq_report")).parent_keys
    checks = {k.name for k in graph.asset_check_keys}
    assert "batch_usable" in checks and len(checks) > 50
    assert {"gx__metric_facts__unit_in_set", "cross__source_agreement"} <= checks, sorted(checks)[:20]


def test_paths_follow_settings(tmp_path: Path):
    settings = Settings.from_env(notes_dir=tmp_path / "in", db_path=tmp_path / "w.duckdb",
                                 report_dir=tmp_path / "r", cache_dir=tmp_path / "c")
    resource = build_defs(settings).resources["notestar"]
    assert resource.settings().db_path == tmp_path / "w.duckdb"
    assert resource.settings().notes_dir == tmp_path / "in"


def test_sensor_requests_a_run_only_when_files_change(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("NOTESTAR_NOTES_DIR", str(tmp_path))
    (tmp_path / "a.txt").write_text("note a", encoding="utf-8")
    instance = DagsterInstance.ephemeral()
    first = landing_folder_sensor(build_sensor_context(instance=instance))
    assert first.run_key
    cursor = json.dumps({"a.txt": [(tmp_path / "a.txt").stat().st_size, int((tmp_path / "a.txt").stat().st_mtime)]})
    idle = landing_folder_sensor(build_sensor_context(instance=instance, cursor=cursor))
    assert "no new files" in idle.skip_message
    (tmp_path / "b.txt").write_text("note b", encoding="utf-8")
    again = landing_folder_sensor(build_sensor_context(instance=instance, cursor=cursor))
    assert again.run_key and again.run_key != first.run_key
