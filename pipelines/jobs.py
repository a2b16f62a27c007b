"""The nightly job: every asset, in lineage order."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

nightly_job = define_asset_job(
    name="nightly_notes_job",
    selection=AssetSelection.all(),
    description="Landing folder -> notes -> facts -> validated facts -> warehouse -> data-quality report",
)
