"""Fact extraction: notes -> facts (prose + tables), ratings and the companies seen.

    from notestar.extract import extract_facts
    result = extract_facts(notes)          # notes: schemas.NOTES frame
    result.facts, result.ratings, result.companies

Steps: companies (learn 名称(代码) mentions, resolve each note's subject) -> sentences as rows
(Polars, offsets into the note) -> the prose reader per sentence -> table and key-value facts and
ratings from `tables.py` / `ratings.py` -> rule-8 de-duplication (one row per file, company, metric,
segment, measure, period, basis, unit and value; the first occurrence keeps its evidence).

Polars does the column work: candidate 名称(代码) spans (`str.extract_all`), notes -> paragraphs ->
sentences (`replace_many` same-length NFKC subset, `split` + `explode(empty_as_null=True)`, running
offsets with `cum_sum().over(...)`), table-row and digit filters, ordering and rule-8 `unique`.
Python is used where an expression cannot do the work, each documented at its place: canonicalising a
ticker, choosing a note's subject, and reading a sentence left to right (prose.py).
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from dataclasses import dataclass

import polars as pl

from notestar import schemas
from notestar.lexicon import Lexicon, load_lexicon

EXTRACTOR_VERSION = "0.3.0"

DEDUP_KEY = ["source_file", "company_name", "metric_code", "segment_code", "measure", "period_label", "basis",
             "unit", "value"]


@dataclass
class ExtractResult:
    facts: pl.DataFrame  # schemas.FACTS
    ratings: pl.DataFrame  # schemas.RATINGS
    companies: pl.DataFrame  # schemas.COMPANIES


def _margin_of(codes: list[str], value_types: dict[str, str]) -> dict[str, str]:
    out = {}
    for c in codes:
        for cand in (c + "_margin", c.replace("_profit", "_margin"), c.replace("profit", "margin")):
            if cand != c and value_types.get(cand) == "ratio":
                out[c] = cand
                break
    return out


def _optional(module: str, func: str):
    """The tables / ratings helpers are written in parallel: use them when they exist."""
    try:
        mod = importlib.import_module(f"notestar.extract.{module}")
    except ImportError:
        return None
    return getattr(mod, func, None)


def _note_date(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _reference_date(text: str | None) -> dt.date | None:
    """A note without a date: relative periods (三季度) resolve within the first year the note names
    ("2024年以来…三季度…" -> 2024Q3). Point-in-time facts stay undated (and are left out)."""
    m = re.search(r"(20[0-9]{2})\s?年", text or "")
    return dt.date(int(m[1]), 12, 31) if m else None


def resolve_companies(notes: pl.DataFrame, lexicon: Lexicon):
    """Learn companies named with a ticker anywhere in the batch, then each note's subject."""
    from notestar.extract.companies import (
        CompanyBook,
        _strip_prefix_words,
        canonical_ticker,
        resolve_subject,
        ticker_mentions,
    )

    book = CompanyBook.from_lexicon(lexicon.companies)
    # candidate 名称(代码) spans column-wise: extract_all -> explode -> extract_groups (name, code);
    # canonicalising a code and trimming lead words off a name is Python (companies.ticker_mentions)
    mention = (r"(?P<name>[A-Z][A-Za-z0-9&.\-]*(?:\s[A-Z][A-Za-z0-9&.\-]*){0,3}"
               r"|[\p{Han}A-Za-z][\p{Han}A-Za-z0-9\-]{0,15}?)\s?[(（](?P<code>[^()（）]{2,16})[)）]")
    mentions = (
        notes.select(pl.col("text").str.extract_all(mention).alias("m"))
        .explode("m", empty_as_null=False)
        .drop_nulls()
        .unique(maintain_order=True)
        .select(pl.col("m"), pl.col("m").str.extract_groups(mention).alias("g"))
        .unnest("g")
    )
    for full, code in mentions.select("m", "code").iter_rows():
        if canonical_ticker(code) is None:
            continue  # (2025), (核心), (百万元): not a listing code
        for n2, ticker, _ in ticker_mentions(full):
            book.learn(_strip_prefix_words(n2, book), ticker)
    names, tickers = [], []
    publishers = notes["publisher"].to_list() if "publisher" in notes.columns else [None] * notes.height
    for title, text, pub in zip(notes["title"].to_list(), notes["text"].to_list(), publishers, strict=True):
        first = title or (text or "").strip().split("\n", 1)[0]
        subj = resolve_subject(first, text or "", book, pub)
        names.append(subj.name)
        tickers.append(subj.ticker)
    with_company = notes.with_columns(
        pl.Series("company_name", names, dtype=pl.String), pl.Series("company_ticker", tickers, dtype=pl.String)
    )
    return with_company, book


def extract_prose_facts(notes_with_company: pl.DataFrame, lexicon: Lexicon, book) -> pl.DataFrame:
    from notestar.extract.periods import default_period
    from notestar.extract.prose import NoteContext, SentenceReader, Vocabulary
    from notestar.extract.sentences import split_sentences

    vocab = Vocabulary(lexicon, book.names)
    vt = lexicon.metric_value_type()
    cats = dict(zip(lexicon.metrics["code"], lexicon.metrics["category"], strict=True))
    reader = SentenceReader(vocab, vt, cats, _margin_of(list(vt), vt))
    other_tickers = {name: (sorted(ts)[0] if ts else None) for name, ts in book.tickers.items()}

    sentences = split_sentences(notes_with_company.select("note_id", "text"))
    meta = notes_with_company.select("note_id", "source_file", "title", "published_at", "company_name",
                                     "company_ticker", "text")
    contexts = {}
    texts = dict(zip(meta["note_id"], meta["text"], strict=True))
    for r in meta.iter_rows(named=True):
        nd = _note_date(r["published_at"])
        title = r["title"] or (r["text"] or "").strip().split("\n", 1)[0]
        ref = nd or _reference_date(r["text"])
        contexts[r["note_id"]] = NoteContext(r["note_id"], r["source_file"], r["company_name"], r["company_ticker"],
                                             nd, default_period(title, ref, r["text"]), other_tickers, ref)
    rows = []
    carry_key, carry = None, None
    for note_id, para, start, text, evidence in sentences.select(
            "note_id", "para_idx", "start", "text", "evidence").iter_rows():
        ctx = contexts[note_id]
        if carry_key != (note_id, para):
            carry_key, carry = (note_id, para), None
        found = reader.read(text, start, ctx, carry)
        carry = reader.last_periods
        for f in found:
            if f.company is None:
                continue
            rows.append(
                {
                    "note_id": note_id, "source_file": ctx.source_file, "company_name": f.company,
                    "company_ticker": f.ticker, "metric_code": f.metric, "segment_code": f.segment,
                    "measure": f.measure, "period_label": f.period.label, "period_type": f.period.ptype,
                    "basis": f.basis, "value": f.value, "unit": f.unit, "decimals": f.decimals,
                    "value_text": (texts[note_id] or "")[f.start:f.end].strip() or f.value_text,
                    "evidence": evidence, "span_start": f.start, "span_end": f.end,
                    "rule_id": f.rule, "extractor_version": EXTRACTOR_VERSION,
                }
            )
    if not rows:
        return schemas.empty(schemas.FACTS)
    return schemas.conform(pl.DataFrame(rows), schemas.FACTS)


def dedup_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """Rule 8: one row per file + company + metric + segment + measure + period + basis + unit + value."""
    return facts.unique(subset=DEDUP_KEY, keep="first", maintain_order=True)


def extract_facts(notes: pl.DataFrame, lexicon: Lexicon | None = None) -> ExtractResult:
    lexicon = lexicon or load_lexicon()
    if notes.height == 0:
        return ExtractResult(schemas.empty(schemas.FACTS), schemas.empty(schemas.RATINGS),
                             schemas.empty(schemas.COMPANIES))
    notes_with_company, book = resolve_companies(notes, lexicon)
    parts = [extract_prose_facts(notes_with_company, lexicon, book)]
    table_fn = _optional("tables", "extract_table_facts")
    if table_fn is not None:
        parts.insert(0, schemas.conform(table_fn(notes_with_company, lexicon), schemas.FACTS))
    facts = pl.concat(parts, how="vertical")
    facts = facts.with_columns(
        pl.col("segment_code").fill_null(""),
        pl.col("extractor_version").fill_null(EXTRACTOR_VERSION),
    )
    # rule 8 keeps the first occurrence: order by file, note position and offset in the note
    order = notes.select("note_id", pl.col("note_index").alias("_ni"), pl.int_range(pl.len()).alias("_row"))
    facts = (
        facts.join(order, on="note_id", how="left")
        .sort(["_row", "_ni", "span_start"], nulls_last=True, maintain_order=True)
        .drop("_ni", "_row")
    )
    facts = dedup_facts(facts)
    ratings_fn = _optional("ratings", "extract_ratings")
    ratings = (
        schemas.conform(ratings_fn(notes_with_company, lexicon), schemas.RATINGS)
        if ratings_fn is not None
        else schemas.empty(schemas.RATINGS)
    )
    return ExtractResult(facts, ratings, book.frame())
