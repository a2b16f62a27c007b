#!/usr/bin/env python
"""Extract facts from a folder of notes and score them against a gold CSV.

    python scripts/score_notes.py NOTES_DIR --gold GOLD.csv [--out facts.csv] [--by file] [--show N]

Unknown options (--by file, --show N, --min-precision ...) are passed on to the scorer.

Ingests the folder (notestar.ingest.ingest_folder), runs notestar.extract.extract_facts, writes the facts
with the columns of the scorer's view and runs ../shared/tools/score_extraction.py on them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from notestar.extract import extract_facts  # noqa: E402
from notestar.ingest import ingest_folder  # noqa: E402

SCORER = Path("/work/shared/tools/score_extraction.py")
VIEW = ["source_file", "company_name", "company_ticker", "metric_code", "segment_code", "measure", "period_label",
        "basis", "value", "unit", "evidence"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notes_dir", type=Path)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=None, help="facts CSV to write (default: a temp file)")
    ap.add_argument("--scorer", type=Path, default=SCORER)
    args, extra = ap.parse_known_args(argv)
    t0 = time.perf_counter()
    ingested = ingest_folder(args.notes_dir)
    result = extract_facts(ingested.notes)
    secs = time.perf_counter() - t0
    out = args.out or Path(tempfile.mkdtemp(prefix="notestar_score_")) / "facts.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    facts = result.facts.with_columns(pl.col("value").map_elements(lambda v: f"{v:.10g}", return_dtype=pl.String))
    facts.select(VIEW).write_csv(out)
    print(f"{ingested.notes.height} notes, {result.facts.height} facts, {result.ratings.height} ratings "
          f"in {secs:.2f}s -> {out}", file=sys.stderr)
    cmd = [sys.executable, str(args.scorer), "--facts", str(out), "--gold", str(args.gold), *extra]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
