"""The process pools' shared settings: how many workers, and a pool that never forks Polars' threads."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

# What a pool that cannot start raises: e.g. a daemonic process (Dagster's multiprocess executor step) may not
# have children. Callers fall back to doing the work in-process.
POOL_ERRORS = (AssertionError, OSError, RuntimeError)


def default_workers() -> int:
    """NOTESTAR_EXTRACT_WORKERS, else the cores this process may use."""
    env = os.environ.get("NOTESTAR_EXTRACT_WORKERS")
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def spawn_pool(workers: int, **kwargs) -> ProcessPoolExecutor:
    """A pool of `spawn`ed processes: no fork, since Polars' thread pool must not be forked."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), **kwargs)
