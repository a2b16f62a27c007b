"""Notes -> sentences as rows, in Polars, with character offsets into the original note text.

Normalisation is same-length only (full-width ASCII -> half-width, ideographic space -> space), so an
offset in the normalised text is an offset in the note. Citation markers ([2], [26]) and bullet marks
( - , * ) are overwritten with newlines of the same length, then the text is split on newlines and
sentence ends; each piece keeps its start offset (a running sum of piece lengths per note).
"""

from __future__ import annotations

import polars as pl

FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
HALF_WIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]


def normalise_same_length(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_many(FULL_WIDTH, HALF_WIDTH)


def _blank_markers(expr: pl.Expr) -> pl.Expr:
    # one replacement per marker length keeps offsets exact (no look-around in the Rust engine)
    for n in (3, 2, 1):
        expr = expr.str.replace_all(r"\[\d{" + str(n) + r"}\]", "\n" * (n + 2))
    expr = expr.str.replace_all(r"[ \t][*•][ \t]", "\n\n\n")
    expr = expr.str.replace_all(r"([^0-9])[ \t]-[ \t]", "${1}\n\n\n")
    expr = expr.str.replace_all(r"(^|\n)[*•\-] ", "${1}\n\n")
    # sentence ends inside a paragraph: "\r", so a period named in one sentence can carry to the next
    expr = expr.str.replace_all(r"[。！？；;!?]", "\r")
    expr = expr.str.replace_all(r"\.[ \t]", "\r ")  # English sentence ends
    return expr


def split_sentences(notes: pl.DataFrame) -> pl.DataFrame:
    """note_id, para_idx, sent_idx, start, end, text (normalised, same length), evidence (original, trimmed).

    Paragraphs are lines and bullets; sentences are split inside them at 。；!? so the reader can carry
    a period from one sentence of a paragraph to the next.
    """
    schema = {"note_id": pl.String, "para_idx": pl.Int64, "sent_idx": pl.Int64, "start": pl.Int64,
              "end": pl.Int64, "text": pl.String, "evidence": pl.String}
    if notes.height == 0:
        return pl.DataFrame(schema=schema)
    paras = (
        notes.select(
            "note_id",
            pl.col("text").fill_null("").alias("orig"),
            _blank_markers(normalise_same_length(pl.col("text").fill_null(""))).str.split("\n").alias("para"),
        )
        .explode("para", empty_as_null=True)
        .with_columns(pl.col("para").fill_null(""))
        .with_columns(pn=pl.col("para").str.len_chars().cast(pl.Int64) + 1)
        .with_columns(
            pstart=(pl.col("pn").cum_sum() - pl.col("pn")).over("note_id"),
            para_idx=pl.int_range(pl.len()).over("note_id"),
        )
        .filter(pl.col("para").str.contains(r"[0-9]"))
    )
    pieces = (
        paras.with_columns(pl.col("para").str.split("\r").alias("piece"))
        .explode("piece", empty_as_null=True)
        .with_columns(pl.col("piece").fill_null(""))
        .with_columns(n=pl.col("piece").str.len_chars().cast(pl.Int64) + 1)
        .with_columns(start=pl.col("pstart") + (pl.col("n").cum_sum() - pl.col("n")).over("note_id", "para_idx"))
        .with_columns(sent_idx=pl.int_range(pl.len()).over("note_id"))
    )
    return (
        # table rows (tab- or pipe-separated, or numbers aligned by runs of spaces) belong to tables.py
        pieces.filter(
            pl.col("piece").str.contains(r"[0-9]")
            & ~pl.col("piece").str.contains(r"\t|^\s*\||[0-9%]\s{2,}-?[0-9]")
        )
        .with_columns(
            end=pl.col("start") + pl.col("n") - 1,
            evidence=pl.col("orig").str.slice(pl.col("start"), pl.col("n") - 1).str.strip_chars(),
        )
        .select("note_id", "para_idx", "sent_idx", "start", "end", pl.col("piece").alias("text"), "evidence")
    )
