"""Nightly-at-scale benchmark: full run, incremental top-up, idle re-run, accuracy, on a generated corpus.

    python bench/bench_pipeline.py --notes 10000 100000     # the issue-7 figures (takes a while)
    python bench/bench_pipeline.py --notes 2000             # a quick look

For each size N it generates N notes with ../shared/tools/gen_corpus.py (plus --bad files), then runs the
engine's steps (notestar.pipeline, the same functions the Dagster assets call) in a fresh process and prints:
wall time and peak RSS per step (ingest, extract, validate, load, report), a top-up run with 1,000 new notes,
a re-run with nothing new, and precision/recall against the corpus gold. Figures are appended to
bench/results.csv so they can be compared over time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GEN = SHARED / "tools" / "gen_corpus.py"
SCORE = SHARED / "tools" / "score_extraction.py"
RESULTS = ROOT / "bench" / "results.csv"

# Runs inside a fresh interpreter so start-up and peak RSS are those of one nightly run.
CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from notestar.settings import Settings
from notestar import pipeline
import notestar.quality, notestar.extract, notestar.warehouse  # noqa: F401  (start-up cost measured here)
startup = time.perf_counter() - t0
args = json.loads(sys.argv[1])
s = Settings.from_env(notes_dir=args["notes"], db_path=args["db"], report_dir=args["reports"],
                      cache_dir=args["cache"])
steps, rss = {}, {}
def timed(name, fn, *a):
    t = time.perf_counter(); out = fn(*a); steps[name] = round(time.perf_counter() - t, 2)
    rss[name] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024); return out
run_id = pipeline.new_run_id()
ing = timed("ingest", pipeline.ingest_step, s)
text_mb = round(ing.notes["text"].str.len_bytes().sum() / 1e6, 2) if ing.notes.height else 0  # before extract frees it
ext = timed("extract", pipeline.extract_step, ing)
val = timed("validate", pipeline.validate_step, s, ing, ext)
timed("load", pipeline.load_step, s, run_id, ing, ext, val)
timed("report", pipeline.report_step, s)
from notestar.quality import gx_runner
print(json.dumps({"startup_s": round(startup, 2), "gx_import_s": round(gx_runner.IMPORT_SECONDS or 0, 2),
                  "steps_s": steps, "peak_rss_after_step_mb": rss,
                  "total_s": round(time.perf_counter() - t0, 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "notes_processed": ing.notes.height, "notes_seen": ing.notes_seen,
                  "facts": val.facts.height, "quarantined": ing.quarantine.height + val.quarantine.height,
                  "text_mb": text_mb, "extract_mb_s": round(text_mb / max(steps["extract"], 1e-9), 2),
                  "children_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}))
"""


def generate(out: Path, notes: int, seed: int, bad: int = 0) -> Path:
    cmd = [sys.executable, str(GEN), str(out), "--notes", str(notes), "--seed", str(seed), "--files-per-dir", "5000"]
    if bad:
        cmd += ["--bad", str(bad)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def run_once(notes: Path, work: Path) -> dict:
    args = {"notes": str(notes), "db": str(work / "wh.duckdb"), "reports": str(work / "reports"),
            "cache": str(work / "cache")}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], capture_output=True, text=True, env=env)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = round(time.perf_counter() - t, 2)
    return out


def score(db: Path, gold: Path) -> str:
    proc = subprocess.run([sys.executable, str(SCORE), "--db", str(db), "--gold", str(gold), "--show", "0"],
                          capture_output=True, text=True)
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()


def bench_size(n: int, tmp: Path, bad: int, corpus: Path | None = None) -> list[dict]:
    corpus = corpus or generate(tmp / f"corpus_{n}" / "notes", n, seed=1, bad=bad)
    work = tmp / f"work_{n}"
    work.mkdir()
    rows = []
    full = run_once(corpus, work)
    rows.append({"case": f"full {n}", **full})
    print(f"full run, {n} notes: {full}", flush=True)
    if n <= 20000:
        print(f"  accuracy vs corpus gold: {score(work / 'wh.duckdb', corpus.parent / 'notes_gold.csv')}", flush=True)
    # a reused corpus may already hold earlier top-ups: a fresh seed keeps these 1,000 notes new
    earlier = len(list(corpus.glob("part-new-*")))
    extra = generate(tmp / f"extra_{n}" / "notes", 1000, seed=2 + earlier)
    landing_new = corpus / f"part-new-{datetime.now():%Y%m%d%H%M%S}"
    landing_new.mkdir()
    for path in sorted(extra.rglob("*.txt")):
        shutil.copy(path, landing_new / f"new_{path.name}")
    top_up = run_once(corpus, work)
    rows.append({"case": f"+1000 on {n}", **top_up})
    print(f"top-up with 1,000 new notes: {top_up}", flush=True)
    idle = run_once(corpus, work)
    rows.append({"case": f"idle re-run {n}", **idle})
    print(f"re-run, nothing new: {idle}", flush=True)
    return rows


def append_results(rows: list[dict]) -> None:
    new = not RESULTS.exists()
    with RESULTS.open("a", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if new:
            w.writerow(["when", "machine", "case", "wall_s", "startup_s", "steps_s", "peak_rss_mb",
                        "notes_processed", "facts", "quarantined", "text_mb", "worker_peak_rss_mb"])
        machine = f"{platform.machine()} {os.cpu_count()} cores"  # extraction uses every core (extract_pool.py)
        for r in rows:
            w.writerow([datetime.now().isoformat(timespec="seconds"), machine, r["case"], r["wall_s"], r["startup_s"],
                        json.dumps(r["steps_s"]), r["peak_rss_mb"], r["notes_processed"], r["facts"],
                        r["quarantined"], r["text_mb"], r.get("children_peak_rss_mb", "")])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, nargs="+", default=[2000])
    ap.add_argument("--bad", type=int, default=10)
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora and warehouses")
    ap.add_argument("--corpus", type=Path, help="use this notes folder (one --notes size) instead of generating; "
                    "the top-up adds a part-new-* folder to it")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="notestar-bench-"))
    try:
        rows = [r for n in args.notes for r in bench_size(n, tmp, args.bad, args.corpus)]
        append_results(rows)
        print(f"appended {len(rows)} rows to {RESULTS}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
