"""Ingest: landing folder -> one row per note (schemas.NOTES) + quarantine rows for bad inputs.

notestar only reads the landing folder: it never moves, rewrites or deletes an input file.
Names are imported lazily so a PDF worker process (which imports notestar.ingest.pdf) does not pay
for Polars at start-up.
"""

from __future__ import annotations

__all__ = ["IngestResult", "discover_files", "ingest_folder"]


def __getattr__(name: str):
    if name in __all__:
        from . import folder

        return getattr(folder, name)
    raise AttributeError(name)
