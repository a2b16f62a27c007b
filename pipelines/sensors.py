"""Start the job when new or changed files land in the landing folder.

The cursor is a fingerprint of (relative path, size, mtime) of every note file; a new fingerprint with
files added or changed asks for one run keyed on that fingerprint, so a sensor tick never starts the
same run twice. The folder is only listed, never modified.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from notestar.ingest import discover_files
from notestar.settings import Settings

from .jobs import nightly_job


def folder_state(notes_dir: Path) -> dict[str, list]:
    if not notes_dir.is_dir():
        return {}
    state = {}
    for path in discover_files(notes_dir):
        st = path.stat()
        state[str(path.relative_to(notes_dir))] = [st.st_size, int(st.st_mtime)]
    return state


def new_or_changed(previous: dict, current: dict) -> list[str]:
    return sorted(name for name, sig in current.items() if previous.get(name) != sig)


@sensor(job=nightly_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.STOPPED)
def landing_folder_sensor(context: SensorEvaluationContext):
    notes_dir = Settings.from_env().notes_dir
    current = folder_state(notes_dir)
    previous = json.loads(context.cursor) if context.cursor else {}
    changed = new_or_changed(previous, current)
    context.update_cursor(json.dumps(current, sort_keys=True))
    if not changed:
        return SkipReason(f"no new files in {notes_dir}")
    key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    return RunRequest(run_key=key, tags={"notestar/new_files": str(len(changed))})
