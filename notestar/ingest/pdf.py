"""Read PDF research reports and filings into note text: the public API of the PDF reader.

    parse_pdfs(paths, cache_dir=..., workers=None, timeout_s=120, max_pages=400) -> list[PdfOutcome]
    pdf_to_text(path, max_pages=400) -> (text, meta)          # raises PdfRejected

`parse_pdfs` lays PDFs out in worker processes (one per core), with a per-file time limit, and caches
each result by the sha256 of the file's bytes under `cache_dir/pdf/<hash>.json`. A bad or stuck file
becomes an outcome with a check name (pdf.encrypted | pdf.truncated | pdf.image_only | pdf.too_large |
pdf.timeout | pdf.unreadable); it never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .pdf_chars import PdfRejected
from .pdf_pool import run_pool
from .pdf_text import pdf_to_text

__all__ = ["PdfOutcome", "PdfRejected", "parse_pdfs", "pdf_to_text", "PARSER_VERSION"]

PARSER_VERSION = "pdf-2"  # bump when the text shape changes, so cached results are re-parsed
UNCACHED_CHECKS = {"pdf.timeout", "pdf.too_large"}  # depend on this run's limits, not on the file


@dataclass
class PdfOutcome:
    path: Path
    text: str | None  # the note text, None when the PDF was rejected
    meta: dict = field(default_factory=dict)
    check_name: str | None = None
    reason: str | None = None
    cached: bool = False


def _meta_to_json(meta: dict) -> dict:
    out = dict(meta)
    if isinstance(out.get("published_at"), datetime):
        out["published_at"] = out["published_at"].isoformat()
    return out


def _meta_from_json(meta: dict) -> dict:
    out = dict(meta)
    if isinstance(out.get("published_at"), str):
        out["published_at"] = datetime.fromisoformat(out["published_at"])
    return out


def _cache_path(cache_dir: Path | None, digest: str) -> Path | None:
    return None if cache_dir is None else Path(cache_dir) / "pdf" / f"{digest}.json"


def _load_cached(path: Path | None, max_pages: int) -> dict | None:
    if path is None or not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("version") != PARSER_VERSION:
        return None
    if record.get("text") is not None and (record.get("meta") or {}).get("pages", 0) > max_pages:
        return None  # parsed under a looser page limit: let this run's limit decide
    return record


def _store(path: Path | None, record: dict) -> None:
    if path is None or record.get("check_name") in UNCACHED_CHECKS or record.get("transient"):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _outcome(path: Path, record: dict, cached: bool) -> PdfOutcome:
    return PdfOutcome(path=path, text=record.get("text"), meta=_meta_from_json(record.get("meta") or {}),
                      check_name=record.get("check_name"), reason=record.get("reason"), cached=cached)


def parse_pdfs(paths: list[Path], cache_dir: Path | None = None, workers: int | None = None,
               timeout_s: float = 120.0, max_pages: int = 400) -> list[PdfOutcome]:
    """Outcomes in the order of `paths`; cached files are not parsed again."""
    paths = [Path(p) for p in paths]
    records: list[dict | None] = [None] * len(paths)
    cached = [False] * len(paths)
    digests: list[str | None] = [None] * len(paths)
    todo: dict[str, Path] = {}  # digest -> first path with those bytes (a copy is parsed once)
    for i, path in enumerate(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            records[i] = {"text": None, "meta": {}, "check_name": "pdf.unreadable",
                          "reason": f"cannot read the file: {exc}"}
            continue
        digest = hashlib.sha256(data).hexdigest()
        digests[i] = digest
        hit = _load_cached(_cache_path(cache_dir, digest), max_pages)
        if hit is not None:
            records[i], cached[i] = hit, True
        else:
            todo.setdefault(digest, path)
    if todo:
        results = run_pool(list(todo.items()), workers=workers, timeout_s=timeout_s, max_pages=max_pages)
        for digest, record in results.items():
            record = {"version": PARSER_VERSION, **record, "meta": _meta_to_json(record.get("meta") or {})}
            _store(_cache_path(cache_dir, digest), record)
            for i, d in enumerate(digests):
                if d == digest and records[i] is None:
                    records[i] = record
    return [_outcome(path, rec or {"check_name": "pdf.unreadable", "reason": "no result"}, hit)
            for path, rec, hit in zip(paths, records, cached, strict=True)]
