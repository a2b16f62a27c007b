"""02:00 Asia/Shanghai, every night."""

from __future__ import annotations

from dagster import DefaultScheduleStatus, ScheduleDefinition

from .jobs import nightly_job

nightly_schedule = ScheduleDefinition(
    name="nightly_notes_schedule",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=DefaultScheduleStatus.RUNNING,
)
