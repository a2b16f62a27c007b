"""Ingest: landing folder -> one row per note (schemas.NOTES) + quarantine rows for bad inputs.

notestar only reads the landing folder: it never moves, rewrites or deletes an input file.
"""

from __future__ import annotations

from .folder import IngestResult, discover_files, ingest_folder

__all__ = ["IngestResult", "discover_files", "ingest_folder"]
