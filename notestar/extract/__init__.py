"""Fact extraction: notes -> facts (prose + tables), ratings and the companies seen.

    from notestar.extract import extract_facts
    result = extract_facts(notes)          # notes: schemas.NOTES frame
    result.facts, result.ratings, result.companies

Text is read as simplified Chinese (traditional characters mapped one for one, `lexicon/traditional.txt`) and
hard-wrapped lines are joined (`sentences.unwrap_hard_breaks`); spans and evidence still point into the note
as written.
Steps: companies (learn 名称(代码) mentions, resolve each note's subject) -> sentences as rows
(Polars, offsets into the note) -> the prose reader per sentence -> table and key-value facts and
ratings from `tables.py` / `ratings.py` -> rule-8 de-duplication (one row per file, company, metric,
segment, measure, period, basis, unit and value; the first occurrence keeps its evidence).

Polars does the column work: candidate 名称(代码) spans (`str.extract_all`), notes -> paragraphs ->
sentences (`replace_many` same-length NFKC subset, `split` + `explode(empty_as_null=True)`, running
offsets with `cum_sum().over(...)`), table-row and digit filters, the reader's pre-filter (`needs_reading`:
one `contains_any` pass for metric / segment names), ordering and rule-8 `unique`.
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

EXTRACTOR_VERSION = "0.12.0"

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
    from notestar.extract.sentences import normalise_same_length

    mentions = (
        notes.select(normalise_same_length(pl.col("text")).str.extract_all(mention).alias("m"))
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
    # full-width forms -> ASCII for every note at once (str.translate per note was a third of this pass)
    from notestar.extract.sentences import FULL_WIDTH, HALF_WIDTH

    half = notes.select(pl.col("title").str.replace_many(FULL_WIDTH, HALF_WIDTH),
                        pl.col("text").fill_null("").str.replace_many(FULL_WIDTH, HALF_WIDTH))
    for title, text, pub in zip(half["title"].to_list(), half["text"].to_list(), publishers, strict=True):
        first = title or text.strip().split("\n", 1)[0]
        subj = resolve_subject(first, text, book, pub)
        names.append(subj.name)
        tickers.append(subj.ticker)
    with_company = notes.with_columns(
        pl.Series("company_name", names, dtype=pl.String), pl.Series("company_ticker", tickers, dtype=pl.String)
    )
    return with_company, book


def _after_close(published, ticker: str | None) -> bool:
    """Published after the close of the company's market (A shares 15:00, Hong Kong 16:10, Beijing time); a
    note dated without a time (00:00) is not known to be."""
    if not isinstance(published, dt.datetime) or published.time() == dt.time(0, 0):
        return False
    if ticker and ticker.endswith(".HK"):
        return published.time() >= dt.time(16, 10)
    if ticker and not ticker.endswith((".SH", ".SZ", ".BJ")):
        return False  # a US listing trades overnight
    return published.time() >= dt.time(15, 0)


_ITEM_START = re.compile(r"[ \t*•\-]*[（(]?[0-9一二三四五六七八九][）)、.]")


def _in_assumptions(text: str, start: int) -> bool:
    """The sentence at start is in a paragraph of forecast assumptions by business line: its paragraph opens with
    核心假设 / 分业务 … (words.ASSUMPTION_HEADS), or the paragraph is an enumerated item under such a heading line
    (the items above it enumerated too)."""
    from notestar.extract.words import ASSUMPTION_HEADS

    heads = tuple(ASSUMPTION_HEADS)
    line_start = text.rfind("\n", 0, start) + 1
    for _ in range(8):
        line = text[line_start:text.find("\n", line_start) if "\n" in text[line_start:] else len(text)]
        body = line.lstrip(" \t*•-#\uf06c")
        if body.startswith(heads):
            return True
        if line_start == 0 or not _ITEM_START.match(line):
            return False
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    return False


def needs_reading(sentences: pl.DataFrame, lexicon: Lexicon) -> pl.DataFrame:
    """The sentences the prose reader must see, in order.

    A fact needs a metric: a metric name, a segment name that implies one, or an elliptical list whose
    last item is a full metric name ("销售、管理费用") — so a sentence that contains no metric or segment
    name (any letter case) yields nothing. It is still read when a later sentence of its paragraph is,
    because the period it names carries to that sentence; the sentences dropped are the trailing
    metric-free ones of each paragraph. One Aho-Corasick pass (`contains_any`) over all sentences.
    """
    names = sorted(set(lexicon.metric_names["name"].to_list()) | set(lexicon.segment_names["name"].to_list()))
    names = [n for n in names if n]
    if not names or sentences.height == 0:
        return sentences.head(0) if not names else sentences
    return (
        sentences.with_columns(_named=pl.col("text").str.contains_any(names, ascii_case_insensitive=True))
        .filter(pl.col("_named").reverse().cum_max().reverse().over("note_id", "para_idx"))
        .drop("_named")
    )


def extract_prose_facts(notes_with_company: pl.DataFrame, lexicon: Lexicon, book,
                        originals: dict[str, str] | None = None) -> pl.DataFrame:
    from notestar.extract.periods import default_period
    from notestar.extract.prose import NoteContext, SentenceReader, Vocabulary
    from notestar.extract.sentences import original_offset, split_sentences, unwrap_hard_breaks

    vocab = Vocabulary(lexicon, book.names)
    vt = lexicon.metric_value_type()
    cats = dict(zip(lexicon.metrics["code"], lexicon.metrics["category"], strict=True))
    reader = SentenceReader(vocab, vt, cats, _margin_of(list(vt), vt))
    other_tickers = {name: (sorted(ts)[0] if ts else None) for name, ts in book.tickers.items()}

    # hard-wrapped lines are joined before sentences are cut; spans map back to the note's own offsets
    unwrapped = {k: unwrap_hard_breaks(v or "") for k, v in zip(notes_with_company["note_id"],
                                                                 notes_with_company["text"], strict=True)}
    sentences = split_sentences(notes_with_company.select(
        "note_id", pl.Series("text", [unwrapped[k][0] for k in notes_with_company["note_id"]], dtype=pl.String)))
    meta = notes_with_company.select("note_id", "source_file", "title", "published_at", "company_name",
                                     "company_ticker", "text")
    contexts = {}
    texts = dict(zip(meta["note_id"], meta["text"], strict=True))
    texts = {k: (originals or {}).get(k, v) for k, v in texts.items()}
    for r in meta.iter_rows(named=True):
        nd = _note_date(r["published_at"])
        title = r["title"] or (r["text"] or "").strip().split("\n", 1)[0]
        ref = nd or _reference_date(r["text"])
        contexts[r["note_id"]] = NoteContext(r["note_id"], r["source_file"], r["company_name"], r["company_ticker"],
                                             nd, default_period(title, ref, r["text"]), other_tickers, ref,
                                             _after_close(r["published_at"], r["company_ticker"]))
    rows = []
    carry_key, carry, carry_company, carry_from, para_company = None, None, None, None, None
    clause_end = False
    for note_id, para, start, end, text, evidence in needs_reading(sentences, lexicon).select(
            "note_id", "para_idx", "start", "end", "text", "evidence").iter_rows():
        ctx = contexts[note_id]
        first_of_para = carry_key != (note_id, para)
        if first_of_para:
            carry_key, carry, carry_company, carry_from, para_company = (note_id, para), None, None, None, None
            clause_end = False
        utext, removed = unwrapped[note_id]
        found = reader.read(text, start, ctx, carry, carry_company or para_company, carry_from, clause_end,
                            _in_assumptions(utext, start))
        carry = reader.last_periods
        if first_of_para:
            # a digest line that opens with another company ("**某某(603317.SH)**：…。维持评级，目标价24.5元。")
            # is about it to the line's end
            para_company = reader.last_company
        # clauses split at "；" are one sentence: the company a digest line named holds across them
        if removed or texts[note_id] != utext:
            # quote the note as written (traditional characters, line breaks of a wrapped text dropped)
            evidence = (texts[note_id] or "")[original_offset(removed, start):original_offset(removed, end, end=True)]
            evidence = evidence.replace("\n", "").strip()
        clause_end = utext[end:end + 1] in ("；", ";")
        carry_company = reader.last_company if clause_end else None
        carry_from = reader.last_from if clause_end else None  # a parallel 由A至B clause dates its start alike
        for f in found:
            if f.company is None:
                continue
            s0, e0 = original_offset(removed, f.start), original_offset(removed, f.end, end=True)
            rows.append((
                note_id, ctx.source_file, f.company, f.ticker, f.metric, f.segment, f.measure, f.period.label,
                f.period.ptype, f.basis, f.value, f.unit, f.decimals,
                (texts[note_id] or "")[s0:e0].replace("\n", "").strip() or f.value_text, evidence, s0, e0, f.rule,
            ))
    if not rows:
        return schemas.empty(schemas.FACTS)
    frame = pl.DataFrame(rows, schema=_PROSE_COLUMNS, orient="row", infer_schema_length=None)
    return schemas.conform(frame.with_columns(extractor_version=pl.lit(EXTRACTOR_VERSION)), schemas.FACTS)


# the row tuples of extract_prose_facts (rows, not dicts: one batch makes tens of thousands)
_PROSE_COLUMNS = ["note_id", "source_file", "company_name", "company_ticker", "metric_code", "segment_code",
                  "measure", "period_label", "period_type", "basis", "value", "unit", "decimals", "value_text",
                  "evidence", "span_start", "span_end", "rule_id"]


def dedup_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """Rule 8: one row per file + company + metric + segment + measure + period + basis + unit + value."""
    return facts.unique(subset=DEDUP_KEY, keep="first", maintain_order=True)


def extract_facts(notes: pl.DataFrame, lexicon: Lexicon | None = None) -> ExtractResult:
    lexicon = lexicon or load_lexicon()
    if notes.height == 0:
        return ExtractResult(schemas.empty(schemas.FACTS), schemas.empty(schemas.RATINGS),
                             schemas.empty(schemas.COMPANIES))
    from notestar.extract.sentences import to_simplified

    # traditional characters read as simplified everywhere (same length: offsets hold); prose evidence
    # is still quoted from the original text
    originals = dict(zip(notes["note_id"], notes["text"], strict=True))
    notes = notes.with_columns(to_simplified(pl.col(c)) for c in ("text", "title", "publisher") if c in notes.columns)
    notes_with_company, book = resolve_companies(notes, lexicon)
    parts = [extract_prose_facts(notes_with_company, lexicon, book, originals)]
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
