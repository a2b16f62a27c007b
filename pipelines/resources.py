"""Resources: the notestar settings (paths, full refresh) and DuckDB through dagster-duckdb.

Defaults come from `notestar.settings.Settings.from_env()` — the same env vars and defaults as the CLI.
"""

from __future__ import annotations

from dagster import ConfigurableResource
from dagster_duckdb import DuckDBResource

from notestar.settings import Settings, duckdb_memory_limit


class NotestarSettings(ConfigurableResource):
    """Paths of one deployment; every field can be set in run config or by NOTESTAR_* env vars."""

    notes_dir: str
    db_path: str
    report_dir: str
    cache_dir: str
    env: str = "dev"
    full_refresh: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> NotestarSettings:
        return cls(notes_dir=str(settings.notes_dir), db_path=str(settings.db_path),
                   report_dir=str(settings.report_dir), cache_dir=str(settings.cache_dir),
                   env=settings.env, full_refresh=settings.full_refresh)

    def settings(self) -> Settings:
        return Settings.from_env(notes_dir=self.notes_dir, db_path=self.db_path, report_dir=self.report_dir,
                                 cache_dir=self.cache_dir, env=self.env, full_refresh=self.full_refresh)


def build_resources(settings: Settings) -> dict:
    return {
        "notestar": NotestarSettings.from_settings(settings),
        # Read-only: the load writes a new file and swaps it in (notestar/warehouse/publish.py), so Dagster
        # only ever reads the published file and never takes the write lock an analyst's session would block.
        "duckdb": DuckDBResource(database=str(settings.db_path), connection_config={"access_mode": "READ_ONLY",
                                                                                "memory_limit": duckdb_memory_limit()}),
    }
