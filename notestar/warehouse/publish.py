"""Build-new-file-then-swap publishing, so readers are never blocked and never see half a load.

DuckDB 2.0 lets one process open a file read-write or many read-only, never both. The loader therefore
never opens the published file for writing: it copies it to a private file beside it, loads that copy,
CHECKPOINTs and closes it, fsyncs, and `os.replace`s it over the published path (atomic on POSIX). A reader
already connected keeps the old inode (its snapshot); new readers open the new file. A crash at any point
leaves the published file as it was; the orphaned temp file is removed by the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

TMP_MARKER = ".loading-"


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextlib.contextmanager
def writer_lock(db_path: Path) -> Iterator[None]:
    """One loader at a time per warehouse (flock: released by the kernel if the process dies)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(db_path), "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def remove_orphans(db_path: Path) -> list[Path]:
    """Delete temp files left by a crashed load (call while holding the writer lock)."""
    removed = []
    for path in db_path.parent.glob(db_path.name + TMP_MARKER + "*"):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def temp_copy(db_path: Path, fresh: bool) -> Path:
    """A private working copy beside the published file (same filesystem, so the swap is a rename)."""
    tmp = db_path.with_name(f"{db_path.name}{TMP_MARKER}{os.getpid()}")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    if not fresh and db_path.exists():
        shutil.copyfile(db_path, tmp)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():  # only if someone wrote to the published file directly
            shutil.copyfile(wal, tmp.with_name(tmp.name + ".wal"))
    return tmp


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(tmp: Path, db_path: Path) -> None:
    """Atomically publish the closed, checkpointed temp file."""
    _fsync(tmp)
    os.replace(tmp, db_path)
    with contextlib.suppress(OSError):
        _fsync(db_path.parent)
    tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def connect_readonly(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only session on the published snapshot; never blocks, and is never blocked by, a load.

    Note: DuckDB caches database instances per path within one process, so reconnect after closing
    earlier connections to the same path to see a newly published file.
    """
    from notestar.settings import duckdb_memory_limit

    return duckdb.connect(str(db_path), read_only=True, config={"memory_limit": duckdb_memory_limit()})
