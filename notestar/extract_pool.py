"""Extraction over several cores, from outside the extractor: chunks of whole files in a process pool.

`extract_facts` keeps one piece of state across notes: the company book. `resolve_companies` learns
名称(代码) mentions from the whole batch and then resolves each note's subject in order, learning names
from titles as it goes, so a note's subject may depend on earlier notes. That pass therefore runs once,
here, over the whole batch (it is a few percent of the extraction time). Each worker then runs the
unchanged `extract_facts` on a chunk of whole files with `resolve_companies` answering from that
result, so rule-8 de-duplication (per file) and the fact order are those of one serial call.
`tests/test_scale.py` checks chunked == serial.
"""

from __future__ import annotations

import logging

import polars as pl

from notestar.parallel import POOL_ERRORS, default_workers, spawn_pool

log = logging.getLogger("notestar")

CHUNK_NOTES = 2000  # notes per task: small enough to balance two cores and bound a worker's memory
MIN_CHUNK_NOTES = 500  # a task's overhead (pickling the chunk and its facts back) stays small next to its work
MIN_PARALLEL_NOTES = 3000  # below this the pool's start-up (~1-2 s per worker) does not pay

_BOOK = None  # the batch's company book, sent once per worker


def file_chunks(notes: pl.DataFrame, chunk_notes: int = CHUNK_NOTES) -> list[tuple[int, int]] | None:
    """Row ranges [start, end) of about chunk_notes notes that never split a source file.

    None when a file's notes are not contiguous (chunks would then change the serial order).
    """
    files = notes["source_file"].to_list()
    bounds, start, seen = [], 0, set()
    for i in range(1, len(files) + 1):
        if i == len(files) or files[i] != files[i - 1]:
            if files[i - 1] in seen:
                return None
            seen.add(files[i - 1])
            if i == len(files) or i - start >= chunk_notes:
                bounds.append((start, i))
                start = i
    return bounds


def _init_worker(book) -> None:
    global _BOOK
    _BOOK = book


def extract_resolved(notes_with_company: pl.DataFrame, book, lexicon=None):
    """`extract_facts` on notes whose companies were already resolved (columns company_name/ticker)."""
    import notestar.extract as ex

    resolve = ex.resolve_companies
    ex.resolve_companies = lambda _notes, _lexicon: (notes_with_company, book)
    try:
        return ex.extract_facts(notes_with_company.drop("company_name", "company_ticker"), lexicon)
    finally:
        ex.resolve_companies = resolve


def _extract_chunk(notes_with_company: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    out = extract_resolved(notes_with_company, _BOOK)
    return out.facts, out.ratings


def runs_in_parallel(notes: pl.DataFrame, workers: int | None = None, min_notes: int = MIN_PARALLEL_NOTES) -> bool:
    """Whether `extract_parallel` will hand this batch to a pool (else it extracts in this process)."""
    return (workers or default_workers()) > 1 and notes.height >= min_notes


def extract_parallel(notes: pl.DataFrame, workers: int | None = None, chunk_notes: int = CHUNK_NOTES,
                     min_notes: int = MIN_PARALLEL_NOTES):
    """Same result as `extract_facts(notes)`, computed on `workers` processes. Falls back to serial
    for small batches, one worker, files split across rows, or a process that may not start children."""
    from notestar.extract import ExtractResult, extract_facts, resolve_companies
    from notestar.lexicon import load_lexicon

    workers = workers or default_workers()
    # at least four chunks per worker: with 5 chunks on 2 workers the last round ran on one core
    chunk_notes = max(1, min(chunk_notes, max(MIN_CHUNK_NOTES, -(-notes.height // (4 * workers)))))
    bounds = file_chunks(notes, chunk_notes) if notes.height else None
    if not runs_in_parallel(notes, workers, min_notes) or not bounds or len(bounds) < 2:
        return extract_facts(notes)
    lexicon = load_lexicon()
    with_company, book = resolve_companies(notes, lexicon)
    chunks = [with_company.slice(a, b - a) for a, b in bounds]
    try:
        with spawn_pool(min(workers, len(chunks)), initializer=_init_worker, initargs=(book,)) as pool:
            parts = list(pool.map(_extract_chunk, chunks))
    except POOL_ERRORS as exc:
        log.warning("extract: process pool unavailable (%s); extracting serially", exc)
        return extract_resolved(with_company, book, lexicon)
    # one chunk per column: later steps select and join these columns many times, and on a frame of many
    # chunks Polars rechunks behind each of those (a 2.3M-fact batch: +0.4 GB per select)
    ratings = pl.concat([r for _, r in parts], how="vertical")
    facts = pl.concat([f for f, _ in parts], how="vertical", rechunk=True)
    del parts
    log.info("extract: %d notes in %d chunks on %d processes", notes.height, len(chunks), workers)
    return ExtractResult(facts, ratings, book.frame())
