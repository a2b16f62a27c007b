"""Worker processes for PDF layout with a per-file time limit.

concurrent.futures' ProcessPoolExecutor cannot stop one stuck task (a hung worker keeps its slot and
shutdown waits for it), so this is a small pool of long-lived workers, one pipe each: a file that
runs past its limit gets its worker killed and replaced, and the other files carry on.
Workers are spawned (not forked): the caller may be a threaded Dagster process.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from pathlib import Path

log = logging.getLogger("notestar.ingest")


def _read(path: str, max_pages: int) -> dict:
    """One PDF's record: its text and metadata, or the check it fails and why."""
    from .pdf_chars import PdfRejected
    from .pdf_text import pdf_to_text

    try:
        text, meta = pdf_to_text(Path(path), max_pages=max_pages)
        return {"text": text, "meta": meta, "check_name": None, "reason": None}
    except PdfRejected as exc:
        return {"text": None, "meta": {}, "check_name": exc.check_name, "reason": exc.reason}
    except Exception as exc:  # a pdfminer bug on one file must not take the worker down
        return {"text": None, "meta": {}, "check_name": "pdf.unreadable", "reason": f"{type(exc).__name__}: {exc}"}


def _worker(conn: Connection, max_pages: int) -> None:
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        digest, path = job
        conn.send(("done", digest, _read(path, max_pages)))


class _Timeout(BaseException):  # not caught by _read's `except Exception`
    pass


def _read_here(path: str, max_pages: int, timeout_s: float) -> dict:
    """A PDF read in this process, when no worker process can start (a script without an
    `if __name__ == "__main__":` guard re-runs itself in every spawned child, which then dies). The time limit
    holds on the main thread (SIGALRM); elsewhere the file is read without one."""
    if threading.current_thread() is not threading.main_thread():
        return _read(path, max_pages)

    def alarm(_signum, _frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        return _read(path, max_pages)
    except _Timeout:
        return {"text": None, "meta": {}, "check_name": "pdf.timeout", "transient": True,
                "reason": f"layout took longer than the {timeout_s:g} s limit; reading was stopped"}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Slot:
    def __init__(self, ctx, max_pages: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, max_pages), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.job: tuple[str, str] | None = None
        self.deadline = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def run_pool(jobs: list[tuple[str, Path]], workers: int | None, timeout_s: float,
             max_pages: int) -> dict[str, dict]:
    """{digest: record} for every (digest, path) job."""
    ctx = mp.get_context("spawn")
    n = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    # biggest files first: a long one started last would leave the other workers idle at the end
    ordered = sorted(jobs, key=lambda job: -_size(job[1]))
    queue = deque((d, str(p)) for d, p in ordered)
    results: dict[str, dict] = {}
    slots = [_Slot(ctx, max_pages) for _ in range(n)]

    restarts = 0
    started = False  # some worker reached "ready"

    def fail(slot: _Slot, check: str, reason: str) -> _Slot:
        nonlocal restarts
        digest, _path = slot.job
        # transient: not cached, a later run tries the file again
        results[digest] = {"text": None, "meta": {}, "check_name": check, "reason": reason, "transient": True}
        slot.job = None
        slot.stop(kill=True)
        restarts += 1
        return _Slot(ctx, max_pages) if queue else slot

    try:
        while queue or any(s.job for s in slots):
            for s in slots:
                if s.ready and s.job is None and queue:
                    s.job = queue.popleft()
                    s.deadline = time.monotonic() + timeout_s
                    s.conn.send(s.job)
            busy = [s.deadline for s in slots if s.job]
            wait_for = max(0.0, min(busy) - time.monotonic()) if busy else None
            live = [s for s in slots if not s.conn.closed]
            if not live:
                log.warning("no PDF worker process could be started; reading %d PDF(s) in this process", len(queue))
                for digest, path in queue:
                    results[digest] = _read_here(path, max_pages, timeout_s)
                break
            ready = wait([s.conn for s in live], timeout=wait_for)
            for i, s in enumerate(slots):
                if s.conn.closed:
                    continue
                if s.conn in ready:
                    try:
                        msg = s.conn.recv()
                    except (EOFError, OSError):
                        if s.job:  # the worker died on this file (e.g. out of memory)
                            slots[i] = fail(s, "pdf.unreadable", "the PDF worker process died while reading it")
                        else:  # died before taking a job: cannot even start
                            s.stop(kill=True)
                            restarts += 1
                            # retried while some worker ever started; otherwise every start fails alike
                            if queue and started and restarts <= 2 * len(jobs) + n:
                                slots[i] = _Slot(ctx, max_pages)
                        continue
                    if msg[0] == "ready":
                        s.ready = started = True
                    elif msg[0] == "done":
                        results[msg[1]] = msg[2]
                        s.job = None
                elif s.job and time.monotonic() >= s.deadline:
                    slots[i] = fail(s, "pdf.timeout", f"layout took longer than the {timeout_s:g} s limit; "
                                                     "the worker was stopped")
    finally:
        for s in slots:
            if not s.conn.closed:
                s.stop(kill=s.job is not None)
    return results
