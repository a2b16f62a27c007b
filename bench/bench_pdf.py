"""Benchmark the PDF reader (pdfminer.six layout from glyph positions) on the real PDFs.

    .venv/bin/python bench/bench_pdf.py [--pdf-dir ../shared/corpus/pdf] [--pages 30] [--workers N]

Prints, over every PDF in the folder:
  1. full layout, single process: pages/s when every page is laid out (annual reports: first --pages pages);
  2. the pipeline path, single process (`pdf_to_text`: long filings laid out only where the outline puts
     主要会计数据 and the statements): document pages/s;
  3. the same through `parse_pdfs` with a process pool over the cores, cold cache;
  4. a second `parse_pdfs` run on the same cache (every file a cache hit).
pypdfium2 (the ~220 pages/s anchor in issue 6) is not installed, so only pdfminer figures are printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from notestar.ingest.pdf import parse_pdfs  # noqa: E402
from notestar.ingest.pdf_text import read_pdf  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdf-dir", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    ap.add_argument("--pages", type=int, default=30, help="pages of each long PDF for the full-layout figure")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    pdfs = sorted(args.pdf_dir.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs in {args.pdf_dir}", file=sys.stderr)
        return 2

    print(f"{len(pdfs)} PDFs in {args.pdf_dir}, {os.cpu_count()} cores\n")
    print("1. full layout of every page, single process")
    total_pages = total_s = 0.0
    for pdf in pdfs:
        t = time.perf_counter()
        _text, meta = read_pdf(pdf, only_pages=args.pages)
        dt = time.perf_counter() - t
        n = meta["pages_laid_out"]
        total_pages += n
        total_s += dt
        print(f"   {pdf.name:34s} {n:4d} pages {dt:6.2f} s {n / dt:6.1f} pages/s")
    print(f"   all: {total_pages:.0f} pages in {total_s:.2f} s = {total_pages / total_s:.1f} pages/s\n")

    print("2. pipeline path (pdf_to_text), single process")
    doc_pages = laid = 0
    t0 = time.perf_counter()
    for pdf in pdfs:
        t = time.perf_counter()
        _text, meta = read_pdf(pdf)
        dt = time.perf_counter() - t
        doc_pages += meta["pages"]
        laid += meta["pages_laid_out"]
        print(f"   {pdf.name:34s} {meta['pages']:4d} pages ({meta['pages_laid_out']:3d} laid out) {dt:6.2f} s")
    single = time.perf_counter() - t0
    print(f"   all: {doc_pages} document pages ({laid} laid out) in {single:.2f} s = "
          f"{doc_pages / single:.1f} document pages/s\n")

    with tempfile.TemporaryDirectory() as cache:
        print(f"3. parse_pdfs, pool of {args.workers} workers, cold cache")
        t = time.perf_counter()
        outs = parse_pdfs(pdfs, cache_dir=Path(cache), workers=args.workers)
        pool = time.perf_counter() - t
        bad = [(o.path.name, o.check_name) for o in outs if o.check_name]
        print(f"   {len(outs)} files, {doc_pages} document pages in {pool:.2f} s = {doc_pages / pool:.1f} "
              f"document pages/s (x{single / pool:.2f} vs single process){'; rejected: ' + str(bad) if bad else ''}")
        print("4. second run, same cache")
        t = time.perf_counter()
        outs = parse_pdfs(pdfs, cache_dir=Path(cache), workers=args.workers)
        cached = time.perf_counter() - t
        print(f"   {sum(o.cached for o in outs)}/{len(outs)} cache hits in {cached * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
