#!/usr/bin/env python
"""Extraction throughput (MB of note text per second) on a generated corpus.

    python bench/bench_extract.py [--notes 2000] [--seed 1] [--corpus DIR]

Prints, in one run:
- `extract_facts`       the whole extractor (companies, Polars sentences, prose reader, tables, ratings, dedup);
- `prose (Polars)`      the prose path as shipped: notes -> sentence rows in Polars, reader per sentence;
- `prose (Python loop)` the same rules in a plain per-note loop: `re` sentence split per note, same reader.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notestar.extract import (  # noqa: E402
    _margin_of,
    _note_date,
    _reference_date,
    extract_facts,
    extract_prose_facts,
    resolve_companies,
)
from notestar.extract.periods import default_period  # noqa: E402
from notestar.extract.prose import NoteContext, SentenceReader, Vocabulary  # noqa: E402
from notestar.ingest import ingest_folder  # noqa: E402
from notestar.lexicon import load_lexicon  # noqa: E402

GEN = Path("/work/shared/tools/gen_corpus.py")
_CITE = re.compile(r"\[\d{1,3}\]")
_PARA = re.compile(r"\n|[ \t][*•][ \t]|(?<=[^0-9])[ \t]-[ \t]|\[\d{1,3}\]")
_SENT = re.compile(r"[。！？；;!?]|\.[ \t]")
_FW = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_TABLE = re.compile(r"\t|^\s*\||[0-9%]\s{2,}-?[0-9]")


def python_loop(notes, lexicon) -> int:
    """The prose rules note by note with the `re` module only (no Polars)."""
    notes_wc, book = resolve_companies(notes, lexicon)
    vocab = Vocabulary(lexicon, book.names)
    vt = lexicon.metric_value_type()
    cats = dict(zip(lexicon.metrics["code"], lexicon.metrics["category"], strict=True))
    reader = SentenceReader(vocab, vt, cats, _margin_of(list(vt), vt))
    tickers = {n: (sorted(ts)[0] if ts else None) for n, ts in book.tickers.items()}
    n_facts = 0
    for r in notes_wc.iter_rows(named=True):
        text = r["text"] or ""
        nd = _note_date(r["published_at"])
        ref = nd or _reference_date(text)
        title = r["title"] or text.strip().split("\n", 1)[0]
        ctx = NoteContext(r["note_id"], r["source_file"], r["company_name"], r["company_ticker"], nd,
                          default_period(title, ref, text), tickers, ref)
        norm = text.translate(_FW)
        pos = 0
        for para in _PARA.split(norm):
            start = pos
            pos += len(para) + 1  # approximate offsets are enough for a timing baseline
            carry = None
            for sent in _SENT.split(para):
                if not re.search(r"[0-9]", sent) or _TABLE.search(sent):
                    start += len(sent) + 1
                    continue
                found = reader.read(_CITE.sub(" ", sent), start, ctx, carry)
                carry = reader.last_periods
                n_facts += len(found)
                start += len(sent) + 1
    return n_facts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=None, help="use an existing folder instead of generating one")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="notestar_bench_") as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            subprocess.run([sys.executable, str(GEN), str(corpus), "--notes", str(args.notes), "--seed",
                            str(args.seed)], check=True, capture_output=True)
        notes = ingest_folder(corpus).notes
        lexicon = load_lexicon()
        mb = sum(len(t.encode("utf-8")) for t in notes["text"].to_list() if t) / 1e6
        print(f"{notes.height} notes, {mb:.2f} MB of note text ({dt.date.today()})")

        t0 = time.perf_counter()
        full = extract_facts(notes, lexicon)
        t_full = time.perf_counter() - t0

        t0 = time.perf_counter()
        nwc, book = resolve_companies(notes, lexicon)
        prose = extract_prose_facts(nwc, lexicon, book)
        t_polars = time.perf_counter() - t0

        t0 = time.perf_counter()
        n_loop = python_loop(notes, lexicon)
        t_loop = time.perf_counter() - t0

        print(f"{'path':<22}{'seconds':>9}{'MB/s':>9}{'facts':>9}")
        for name, secs, n in (("extract_facts", t_full, full.facts.height),
                              ("prose (Polars)", t_polars, prose.height),
                              ("prose (Python loop)", t_loop, n_loop)):
            print(f"{name:<22}{secs:>9.2f}{mb / secs:>9.2f}{n:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
