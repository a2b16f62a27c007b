"""Per-environment settings: one place that turns env vars / overrides into paths.

Defaults are relative to the project root so `make run` works from a fresh clone.
Env vars: NOTESTAR_NOTES_DIR, NOTESTAR_DB, NOTESTAR_REPORT_DIR, NOTESTAR_CACHE_DIR, NOTESTAR_ENV.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "notes_dir": "samples/notes",
    "db_path": "warehouse/notestar.duckdb",
    "report_dir": "reports",
    "cache_dir": ".cache",
}
ENV_VARS = {
    "notes_dir": "NOTESTAR_NOTES_DIR",
    "db_path": "NOTESTAR_DB",
    "report_dir": "NOTESTAR_REPORT_DIR",
    "cache_dir": "NOTESTAR_CACHE_DIR",
}


def _resolve(value: str | os.PathLike) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path)


@dataclass(frozen=True)
class Settings:
    notes_dir: Path
    db_path: Path
    report_dir: Path
    cache_dir: Path
    env: str = "dev"
    full_refresh: bool = False

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Settings from env vars, with explicit (non-None) overrides winning."""
        values = {}
        for field, default in DEFAULTS.items():
            raw = overrides.get(field) or os.environ.get(ENV_VARS[field]) or default
            values[field] = _resolve(raw)
        return cls(
            **values,
            env=overrides.get("env") or os.environ.get("NOTESTAR_ENV", "dev"),
            full_refresh=bool(overrides.get("full_refresh", False)),
        )

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def duckdb_memory_limit() -> str:
    """DuckDB's memory cap for the warehouse's connections (NOTESTAR_DUCKDB_MEMORY, default 1GB). DuckDB would
    otherwise take up to 80 % of RAM; beyond the cap its joins and sorts spill to disk. One value for every
    connection to the warehouse file: DuckDB refuses a second connection to a file with a different config."""
    return os.environ.get("NOTESTAR_DUCKDB_MEMORY", "1GB")


def gx_helpers() -> int:
    """Helper processes that share a large batch's GX parts with this one (NOTESTAR_GX_HELPERS, default 0). Each
    imports GX and holds a part of its own: at 2.3M facts one helper cut GX from 46 s to 36 s but added 1.3 GB to
    the run's memory, which took a 2-core, 4 GiB budget over; worth it where cores and memory are to spare."""
    return max(0, int(os.environ.get("NOTESTAR_GX_HELPERS", "0")))
