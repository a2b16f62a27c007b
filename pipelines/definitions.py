"""Definitions assembled in one place: assets, asset checks, job, schedule, sensor, resources."""

from __future__ import annotations

from dagster import Definitions, load_assets_from_modules

from assets import facts, notes, quality, reports, warehouse
from notestar.settings import Settings

from .jobs import nightly_job
from .resources import build_resources
from .schedules import nightly_schedule
from .sensors import landing_folder_sensor


def build_defs(settings: Settings | None = None) -> Definitions:
    settings = settings or Settings.from_env()
    return Definitions(
        assets=load_assets_from_modules([notes, facts, quality, warehouse, reports]),
        jobs=[nightly_job],
        schedules=[nightly_schedule],
        sensors=[landing_folder_sensor],
        resources=build_resources(settings),
    )


defs = build_defs()
