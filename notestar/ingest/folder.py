"""Walk the landing folder, decode text files, hand PDFs to the PDF reader, split into notes."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..schemas import NOTES, QUARANTINE, conform, empty
from .decode import decode_note_bytes
from .errors import BadInput
from .split import SplitNote, detect_kind, detect_language, split_notes

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
DEFAULT_MAX_TEXT_BYTES = 8 * 1024 * 1024  # a research note is kilobytes; 8 MiB is surely not one note


@dataclass
class IngestResult:
    notes: pl.DataFrame  # schemas.NOTES
    quarantine: pl.DataFrame  # schemas.QUARANTINE
    files_seen: int = 0
    encodings: dict = field(default_factory=dict)  # file name -> codec used, for the run summary


def note_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def discover_files(notes_dir: Path) -> list[Path]:
    """Every regular, non-hidden file below the folder, in a stable order (that of sorting the Paths).

    os.scandir, not Path.rglob: an idle nightly run over an archive of 50k files spent seconds here on
    Path objects, per-file stats and Path comparisons."""
    if not notes_dir.is_dir():
        raise FileNotFoundError(f"landing folder not found: {notes_dir}")
    found: list[tuple[str, ...]] = []
    stack: list[tuple[str, tuple[str, ...]]] = [(str(notes_dir), ())]
    while stack:
        folder, rel = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, (*rel, entry.name)))
                elif entry.is_file():
                    found.append((*rel, entry.name))
    # Paths sort part by part: sorting the part tuples gives the same order without building Paths first
    return [notes_dir.joinpath(*parts) for parts in sorted(found)]


def _reject(path: Path, check: str, reason: str, severity: str = "error", note_id=None, **extra) -> dict:
    row = {"file": path.name, "path": str(path), **extra}
    return {
        "stage": "ingest", "source_file": path.name, "note_id": note_id, "check_name": check,
        "severity": severity, "reason": reason, "row_json": json.dumps(row, ensure_ascii=False, default=str),
    }


def _note_rows(path: Path, file_hash: str, notes: list[SplitNote]) -> list[dict]:
    return [
        {
            "note_id": note_hash(n.text), "file_hash": file_hash, "source_file": path.name,
            "source_path": str(path), "note_index": n.index, "title": n.title, "publisher": n.publisher,
            "published_at": n.published_at, "kind": n.kind, "language": n.language, "text": n.text,
        }
        for n in notes
    ]


def _read_text_file(path: Path, max_bytes: int) -> tuple[list[dict], list[dict], str | None]:
    size = path.stat().st_size
    if size > max_bytes:
        return [], [_reject(path, "ingest.too_large",
                            f"{size:,} bytes is over the {max_bytes:,}-byte limit for a text note", bytes=size)], None
    data = path.read_bytes()
    file_hash = hashlib.sha256(data).hexdigest()
    try:
        text, encoding = decode_note_bytes(data)
    except BadInput as exc:
        return [], [_reject(path, exc.check_name, exc.reason, bytes=size, file_hash=file_hash)], None
    notes = split_notes(text)
    if not notes:
        return [], [_reject(path, "ingest.no_note", "no note text found", bytes=size)], encoding
    return _note_rows(path, file_hash, notes), [], encoding


def _pdf_notes(paths: list[Path], cache_dir: Path | None, workers: int | None) -> tuple[list[dict], list[dict]]:
    if not paths:
        return [], []
    from .pdf import parse_pdfs  # imported only when PDFs are present: pdfminer is slow to import

    rows, rejects = [], []
    for out in parse_pdfs(paths, cache_dir=cache_dir, workers=workers):
        if out.text is None:
            rejects.append(_reject(out.path, out.check_name or "pdf.unreadable", out.reason or "unreadable PDF"))
            continue
        meta = out.meta or {}
        body = out.text.strip("\n")
        title = meta.get("title") or next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
        note = SplitNote(
            index=0, title=title, publisher=meta.get("publisher"), published_at=meta.get("published_at"),
            kind=meta.get("kind") or detect_kind(title, meta.get("publisher"), body),
            language=detect_language(body), text=body,
        )
        file_hash = hashlib.sha256(out.path.read_bytes()).hexdigest()
        rows.extend(_note_rows(out.path, file_hash, [note]))
    return rows, rejects


def _read_one(path: Path, max_text_bytes: int) -> tuple[list[dict], list[dict], str | None]:
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return [], [_reject(path, "ingest.unsupported_type",
                            f"'{suffix or 'no extension'}' files are not notes (.txt, .md, .pdf are)")], None
    try:
        return _read_text_file(path, max_text_bytes)
    except OSError as exc:  # unreadable file: permissions, vanished mid-run
        return [], [_reject(path, "ingest.unreadable", str(exc))], None


def _read_chunk(paths: list[Path], max_text_bytes: int) -> list[tuple[list[dict], list[dict], str | None]]:
    return [_read_one(p, max_text_bytes) for p in paths]


# Reading, decoding and splitting text files is pure Python: a large first ingest (an archive of 50k files)
# spreads it over the cores, in chunks of files whose results come back in order.
PARALLEL_MIN_FILES = 2000
FILES_PER_TASK = 500


def _read_text_files(paths: list[Path], max_text_bytes: int, workers: int | None):
    from notestar.parallel import POOL_ERRORS, default_workers, spawn_pool

    workers = workers or default_workers()
    if workers > 1 and len(paths) >= PARALLEL_MIN_FILES:
        chunks = [paths[i:i + FILES_PER_TASK] for i in range(0, len(paths), FILES_PER_TASK)]
        try:
            with spawn_pool(min(workers, len(chunks))) as pool:
                return [r for part in pool.map(_read_chunk, chunks, [max_text_bytes] * len(chunks)) for r in part]
        except POOL_ERRORS as exc:
            log.warning("ingest: process pool unavailable (%s); reading files in this process", exc)
    return _read_chunk(paths, max_text_bytes)


def read_files(paths: list[Path], cache_dir: Path | None = None, workers: int | None = None,
               max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> tuple[list[dict], list[dict], dict[str, str]]:
    """Note rows, reject rows and the codec per text file, for the given files (PDF notes after text notes)."""
    rows: list[dict] = []
    rejects: list[dict] = []
    encodings: dict[str, str] = {}
    pdfs = [p for p in paths if p.suffix.lower() in PDF_SUFFIXES]
    others = [p for p in paths if p.suffix.lower() not in PDF_SUFFIXES]
    for path, (note_rows, bad, encoding) in zip(others, _read_text_files(others, max_text_bytes, workers),
                                                strict=True):
        rows.extend(note_rows)
        rejects.extend(bad)
        if encoding:
            encodings[path.name] = encoding
    pdf_rows, pdf_rejects = _pdf_notes(pdfs, cache_dir, workers)
    return rows + pdf_rows, rejects + pdf_rejects, encodings


def drop_duplicate_notes(notes: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    """The same note in two files (a re-sent copy) is one note: keep the first, say so once per file."""
    dup_mask = notes["note_id"].is_duplicated() & ~notes["note_id"].is_first_distinct()
    rejects = []
    if dup_mask.any():
        first_file = dict(notes.group_by("note_id", maintain_order=True).agg(pl.col("source_file").first()).iter_rows())
        dups = notes.filter(dup_mask).group_by("source_path", maintain_order=True).agg("note_id")
        for source_path, note_ids in dups.iter_rows():
            originals = sorted({first_file[n] for n in note_ids})
            rejects.append(_reject(Path(source_path), "ingest.duplicate",
                                   f"{len(note_ids)} note(s) already read from {', '.join(originals)}; skipped",
                                   severity="warning", note_ids=note_ids))
    return notes.filter(~dup_mask), rejects


def quarantine_frame(rejects: list[dict]) -> pl.DataFrame:
    return conform(pl.DataFrame(rejects, schema=QUARANTINE), QUARANTINE) if rejects else empty(QUARANTINE)


def ingest_folder(notes_dir: Path, cache_dir: Path | None = None, workers: int | None = None,
                  max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> IngestResult:
    """Read every note under `notes_dir`. Bad files become quarantine rows; nothing raises per file."""
    files = discover_files(Path(notes_dir))
    rows, rejects, encodings = read_files(files, cache_dir, workers, max_text_bytes)
    notes = conform(pl.DataFrame(rows, schema=NOTES), NOTES) if rows else empty(NOTES)
    notes, dup_rejects = drop_duplicate_notes(notes)
    return IngestResult(notes=notes, quarantine=quarantine_frame(rejects + dup_rejects), files_seen=len(files),
                        encodings=encodings)
