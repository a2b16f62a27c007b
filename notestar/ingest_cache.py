"""Incremental ingest: re-read only the files that changed, or that hold notes still to be processed.

`ingest_folder` reads, hashes, decodes and splits every file on every run; at 100k notes that is most of
an idle night's run. This wrapper keeps a manifest in the cache dir — per file: its path, size, mtime and
ctime, the notes split out of it (NOTES columns without the text) and its ingest rejects — and reads a
file again only when its stat changed or one of its notes is not in `done` (the warehouse's notes at the
current extractor version). Everything else comes from the manifest, so the result has the same notes,
note ids, duplicate handling and quarantine as a full read; only notes that are done lack their text.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import polars as pl

from .ingest import folder
from .memory import release_memory
from .schemas import NOTES, QUARANTINE, conform, empty

log = logging.getLogger("notestar")

MANIFEST_VERSION = "1"
STAT_COLS = {"source_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "ctime_ns": pl.Int64}
NOTE_META = {k: v for k, v in NOTES.items() if k != "text"}


def _manifest_paths(cache_dir: Path) -> tuple[Path, Path, Path]:
    base = Path(cache_dir) / f"ingest_manifest_v{MANIFEST_VERSION}"
    return base.with_suffix(".files.parquet"), base.with_suffix(".notes.parquet"), base.with_suffix(".rejects.parquet")


def _stat_frame(files: list[Path]) -> pl.DataFrame:
    rows = []
    for p in files:
        try:
            st = p.stat()
        except OSError:
            rows.append((str(p), -1, -1, -1))
            continue
        rows.append((str(p), st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return pl.DataFrame(rows, schema=STAT_COLS, orient="row")


def _read_manifest(cache_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame] | None:
    paths = _manifest_paths(cache_dir)
    if not all(p.exists() for p in paths):
        return None
    try:
        return tuple(pl.read_parquet(p) for p in paths)  # type: ignore[return-value]
    except Exception as exc:  # a torn or foreign file: read everything again
        log.warning("ingest manifest unreadable (%s); reading every file", exc)
        return None


def _write_manifest(cache_dir: Path, files: pl.DataFrame, notes: pl.DataFrame, rejects: pl.DataFrame) -> None:
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    for path, frame in zip(_manifest_paths(cache_dir), (files, notes, rejects), strict=True):
        tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
        frame.write_parquet(tmp)
        os.replace(tmp, path)


def ingest_incremental(notes_dir: Path, cache_dir: Path, done: set[str] | frozenset = frozenset(),
                       max_text_bytes: int = folder.DEFAULT_MAX_TEXT_BYTES) -> tuple[folder.IngestResult, int]:
    """Like ingest_folder(notes_dir), reading only changed files and files with notes not in `done`.

    Returns the result (notes in `done` may have text = null) and the number of files actually read.
    """
    files = folder.discover_files(Path(notes_dir))
    stats = _stat_frame(files)
    cached = _read_manifest(cache_dir)
    if cached is not None:
        m_files, m_notes, m_rejects = cached
        same = stats.join(m_files, on=list(STAT_COLS), how="semi")
        pending = m_notes.filter(~pl.col("note_id").is_in(pl.Series(list(done), dtype=pl.String).implode()))
        reuse = same.join(pending.select("source_path").unique(), on="source_path", how="anti")
    else:
        m_notes = empty(NOTES).drop("text")
        m_rejects = empty(QUARANTINE).with_columns(source_path=pl.lit(None, pl.String))
        reuse = stats.clear()
    reuse_paths = set(reuse["source_path"].to_list())
    to_read = [p for p in files if str(p) not in reuse_paths]
    read_rows, read_rejects, _ = folder.read_files(to_read, cache_dir, max_text_bytes=max_text_bytes)

    fresh_notes = conform(pl.DataFrame(read_rows, schema=NOTES), NOTES) if read_rows else empty(NOTES)
    del read_rows  # the per-note dicts: as large as the frame again, and the sort below copies the frame
    release_memory(collect=False)
    kept_notes = m_notes.filter(pl.col("source_path").is_in(reuse["source_path"].implode()))
    fresh_rejects = folder.quarantine_frame(read_rejects).with_columns(
        source_path=pl.Series([r["row_json"] and _path_of(r) for r in read_rejects], dtype=pl.String))
    kept_rejects = m_rejects.filter(pl.col("source_path").is_in(reuse["source_path"].implode()))

    # discovery order, as ingest_folder: sorted paths, notes in file order
    # (ingest_folder appends PDF notes after all text files)
    order = pl.DataFrame({"source_path": [str(p) for p in files]}).with_row_index("_file").with_columns(
        (pl.col("source_path").str.to_lowercase().str.ends_with(".pdf").cast(pl.Int64) * len(files)
         + pl.col("_file")).alias("_file"))
    notes = (
        pl.concat([fresh_notes, kept_notes.with_columns(text=pl.lit(None, pl.String)).select(list(NOTES))])
        .join(order, on="source_path", how="left")
        .sort("_file", "note_index", maintain_order=True)
        .drop("_file")
    )
    rejects = (
        pl.concat([fresh_rejects, kept_rejects.select(fresh_rejects.columns)])
        .join(order, on="source_path", how="left")
        .sort("_file", maintain_order=True)
        .drop("_file")
    )
    _write_manifest(cache_dir, stats.filter(pl.col("size") >= 0), notes.drop("text"), rejects)

    notes, dup_rejects = folder.drop_duplicate_notes(notes)
    quarantine = pl.concat([conform(rejects, QUARANTINE), folder.quarantine_frame(dup_rejects)])
    log.info("ingest: %d files, %d re-read, %d from the manifest", len(files), len(to_read), len(reuse_paths))
    return folder.IngestResult(notes=notes, quarantine=quarantine, files_seen=len(files)), len(to_read)


def _path_of(reject: dict) -> str | None:
    import json

    try:
        return json.loads(reject["row_json"]).get("path")
    except (TypeError, ValueError, AttributeError):
        return None
