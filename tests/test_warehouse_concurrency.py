"""Readers are never blocked nor shown half a load; a SIGKILLed load leaves the published file untouched.

Readers and the killed loader run in subprocesses, as an analyst's DuckDB session and the nightly job would.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warehouse_batches import batch_1, revision_batch

from notestar.warehouse import load_batch, table_counts

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS_DIR.parent

READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
def snapshot():
    return [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("fact_metric", "dim_document", "v_metric_facts")]
print("before", *snapshot(), flush=True)
sys.stdin.readline()
print("after", *snapshot(), flush=True)
con.close()
"""

# Loads the revision batch but stops (sleeps) just before `target` runs, so the parent can kill it there.
KILLED_LOADER = """
import os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from warehouse_batches import revision_batch
from notestar.warehouse import load as load_module

db, marker, target = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
original = getattr(load_module, target)

def paused(*args, **kwargs):
    marker.write_text(str(os.getpid()))
    time.sleep(120)
    return original(*args, **kwargs)

setattr(load_module, target, paused)
load_module.load_batch(db, revision_batch("run-killed"))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spawn(script: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=PROJECT_ROOT, text=True, **kwargs)


def test_open_reader_keeps_its_snapshot_across_a_load(tmp_path):
    db = tmp_path / "notestar.duckdb"
    load_batch(db, batch_1("run-1"))
    reader = spawn(READER, str(db), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert reader.stdout.readline().split() == ["before", "18", "3", "18"]
        # the analyst's session stays open while the nightly load runs: the load is not blocked ...
        started = time.monotonic()
        summary = load_batch(db, revision_batch("run-2"))
        assert summary.facts_loaded == 2 and time.monotonic() - started < 30
        # ... new sessions see the new warehouse ...
        assert table_counts(db)["fact_metric"] == 20
        # ... and the open session still reads its own consistent snapshot
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["after", "18", "3", "18"]
        assert reader.wait(timeout=30) == 0, reader.stderr.read()
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()


@pytest.mark.parametrize(
    "kill_before",
    [
        "_insert_facts",  # mid-transaction: dims upserted, old facts deleted, new ones not yet inserted
        "swap_in",  # after COMMIT and CHECKPOINT, before the atomic rename
    ],
)
def test_sigkilled_load_leaves_published_file_as_before(tmp_path, kill_before):
    db = tmp_path / "notestar.duckdb"
    load_batch(db, batch_1("run-1"))
    before_hash, before_counts = sha256(db), table_counts(db)
    marker = tmp_path / "paused"

    loader = spawn(KILLED_LOADER, str(db), str(marker), kill_before, str(TESTS_DIR), stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert loader.poll() is None, f"loader ended early: {loader.stderr.read()}"
            assert time.monotonic() < deadline, "loader never reached the kill point"
            time.sleep(0.05)
        # the load is in flight in its own temp file; a new reader opens the published file meanwhile
        assert any(".loading-" in p.name for p in tmp_path.iterdir())
        assert table_counts(db) == before_counts
        os.kill(loader.pid, signal.SIGKILL)
        assert loader.wait(timeout=30) == -signal.SIGKILL
    finally:
        if loader.poll() is None:
            loader.kill()
            loader.wait()

    assert sha256(db) == before_hash
    assert table_counts(db) == before_counts

    # the next run takes the lock (the kernel released the dead loader's), clears the orphan and completes
    summary = load_batch(db, revision_batch("run-next"))
    assert summary.facts_loaded == 2
    after = table_counts(db)
    assert after["fact_metric"] == before_counts["fact_metric"] + 2
    assert after["dq_run"] == before_counts["dq_run"] + 1
    assert not any(".loading-" in p.name for p in tmp_path.iterdir())
