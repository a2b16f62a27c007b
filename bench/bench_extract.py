#!/usr/bin/env python
"""Extraction throughput (MB of note text per second) on a generated corpus.

    python bench/bench_extract.py [--notes 2000] [--seed 1] [--corpus DIR] [--no-regex-check]

Prints, in one run (wall and CPU seconds; MB/s is on wall time):
- `extract_facts`          the whole extractor (companies, Polars sentences, prose reader, tables, ratings, dedup);
- `prose (Polars)`         the prose path as shipped: notes -> sentence rows in Polars, a Polars pre-filter
                           (`needs_reading`), the reader on the sentences left;
- `prose (per-note loop)`  the same rules in a plain loop: note by note, the same sentence rules written with `re`,
                           the per-sentence tokenizer + reader on every sentence; its fact count must equal the
                           Polars path's (checked);
then the ratios to the loop, and (unless --no-regex-check) the time of the tokenizer regex itself over all
sentences: Python `re.finditer` vs Polars `str.extract_all` of the same vocabulary (look-arounds stripped for
the Rust engine, so a timing comparison only).
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

import polars as pl

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
from notestar.extract.periods import clear_period_cache, default_period  # noqa: E402
from notestar.extract.prose import NoteContext, SentenceReader, Vocabulary  # noqa: E402
from notestar.extract.sentences import FULL_WIDTH, HALF_WIDTH, split_sentences  # noqa: E402
from notestar.ingest import ingest_folder  # noqa: E402
from notestar.lexicon import load_lexicon  # noqa: E402

GEN = Path("/work/shared/tools/gen_corpus.py")

# sentences.py's Polars rules, one note at a time with the `re` module
_FW = str.maketrans(dict(zip(FULL_WIDTH, HALF_WIDTH, strict=True)))
_MARKERS = [(re.compile(r"\[\d{" + str(n) + r"}\]"), "\n" * (n + 2)) for n in (3, 2, 1)] + [
    (re.compile(r"[ \t][*•][ \t]"), "\n\n\n"),
    (re.compile(r"([^0-9])[ \t]-[ \t]"), "\\1\n\n\n"),
    (re.compile(r"(^|\n)[*•\-] "), "\\1\n\n"),
    (re.compile(r"[。！？；;!?]"), "\r"),
    (re.compile(r"\.[ \t]"), "\r "),
]
_DIGIT = re.compile(r"[0-9]")
_TABLE = re.compile(r"\t|^\s*\||[0-9%]\s{2,}-?[0-9]")


def note_sentences(text: str):
    """(para_idx, start, sentence, evidence) of one note, as `split_sentences` cuts them."""
    norm = text.translate(_FW)
    for rx, repl in _MARKERS:
        norm = rx.sub(repl, norm)
    pos = 0
    for para_idx, para in enumerate(norm.split("\n")):
        pstart, pos = pos, pos + len(para) + 1
        if not _DIGIT.search(para):
            continue
        start = pstart
        for piece in para.split("\r"):
            if _DIGIT.search(piece) and not _TABLE.search(piece):
                yield para_idx, start, piece, text[start:start + len(piece)].strip()
            start += len(piece) + 1


def python_loop(notes, lexicon) -> int:
    """The prose rules note by note: `re` sentence split, then tokenizer + reader on every sentence."""
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
        carry_para, carry, carry_company, carry_from = None, None, None, None
        for para_idx, start, sent, _evidence in note_sentences(text):
            if para_idx != carry_para:
                carry_para, carry, carry_company, carry_from = para_idx, None, None, None
            found = reader.read(sent, start, ctx, carry, carry_company, carry_from)
            carry = reader.last_periods
            end = start + len(sent)
            clause_end = text[end:end + 1] in ("；", ";")
            carry_company = reader.last_company if clause_end else None
            carry_from = reader.last_from if clause_end else None
            n_facts += sum(1 for f in found if f.company is not None)
    return n_facts


def regex_check(notes, lexicon) -> tuple[float, float, int, int]:
    nwc, book = resolve_companies(notes, lexicon)
    texts = split_sentences(nwc.select("note_id", "text")).select("text")
    rx = Vocabulary(lexicon, book.names).regex
    t0 = time.perf_counter()
    n_py = sum(1 for t in texts["text"].to_list() for _ in rx.finditer(t))
    t_py = time.perf_counter() - t0
    rust = re.sub(r"\(\?<?[=!](?:\[[^\]]*\]|[^()\[\]])*\)", "", rx.pattern)  # the Rust engine has no look-around
    t0 = time.perf_counter()
    n_rs = texts.select(pl.col("text").str.extract_all(rust).list.len().sum()).item()
    return t_py, time.perf_counter() - t0, n_py, n_rs


def timed(fn):
    clear_period_cache()  # every path starts cold (the Vocabulary's number memo is per instance already)
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=None, help="use an existing folder instead of generating one")
    ap.add_argument("--no-regex-check", action="store_true")
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
    extract_facts(notes.head(20), lexicon)  # warm-up: imports, regex compilation

    full, t_full, c_full = timed(lambda: extract_facts(notes, lexicon))

    def polars_prose():
        nwc, book = resolve_companies(notes, lexicon)
        return extract_prose_facts(nwc, lexicon, book)

    prose, t_polars, c_polars = timed(polars_prose)
    n_loop, t_loop, c_loop = timed(lambda: python_loop(notes, lexicon))

    print(f"{'path':<24}{'wall s':>8}{'cpu s':>8}{'MB/s':>8}{'facts':>8}")
    for name, secs, cpu, n in (("extract_facts", t_full, c_full, full.facts.height),
                               ("prose (Polars)", t_polars, c_polars, prose.height),
                               ("prose (per-note loop)", t_loop, c_loop, n_loop)):
        print(f"{name:<24}{secs:>8.2f}{cpu:>8.2f}{mb / secs:>8.2f}{n:>8}")
    print(f"ratio prose (Polars) / loop: {t_loop / t_polars:.2f}x wall, {c_loop / c_polars:.2f}x cpu; "
          f"extract_facts (prose + tables + ratings) / loop (prose only): {t_loop / t_full:.2f}x wall")
    if n_loop != prose.height:
        print(f"WARNING: the loop found {n_loop} prose facts, the Polars path {prose.height}")
    if not args.no_regex_check:
        try:
            t_py, t_rs, n_py, n_rs = regex_check(notes, lexicon)
        except pl.exceptions.ComputeError as exc:  # Python-only syntax (conditionals) has no Rust equivalent
            print(f"tokenizer regex: not comparable with Polars ({str(exc).splitlines()[0][:80]})")
        else:
            print(f"tokenizer regex over all sentences: Python re {t_py:.2f} s ({n_py} tokens), "
                  f"Polars extract_all {t_rs:.2f} s ({n_rs} tokens, look-arounds stripped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
