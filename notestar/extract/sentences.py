"""Notes -> sentences as rows, in Polars, with character offsets into the original note text.

Normalisation is same-length only (full-width ASCII -> half-width, ideographic space -> space), so an
offset in the normalised text is an offset in the note. Citation markers ([2], [26]) and bullet marks
( - , * ) are overwritten with newlines of the same length, then the text is split on newlines and
sentence ends; each piece keeps its start offset (a running sum of piece lengths per note).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cache
from pathlib import Path

import polars as pl

FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
HALF_WIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]
_TRADITIONAL = Path(__file__).resolve().parent.parent / "lexicon" / "traditional.txt"


@cache
def traditional_table() -> dict[int, int]:
    """Traditional -> simplified, one character for one (lexicon data), for str.translate."""
    out = {}
    for line in _TRADITIONAL.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#") and parts[0] != parts[1]:
            out[ord(parts[0])] = ord(parts[1])
    return out


CN_DIGITS = "零一二三四五六七八九"  # Chinese numerals 0-9 as dates write them (also read by table_parse)
CN_ZEROS = ("零", "〇", "○")


def _cn_number(n: int) -> str:
    """1-31 as written in a date: 九, 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


@cache
def cn_numeral_dates() -> tuple[list[str], list[str]]:
    """Years and dates written in Chinese numerals (HK announcements: 二零二五年, 二〇二五, 十二月三十一日) -> digits,
    same length: a year's four numerals are four digits; a month-day "十二月三十一日" (7) becomes "12月31日 " (a space
    after 日 makes up the length). The few dates shorter in numerals than in digits (十月一日) stay as written."""
    pats, subs = [], []
    for zero in CN_ZEROS:
        digits = zero + CN_DIGITS[1:]
        for century, head in (("二" + zero, "20"), ("一九", "19")):
            for a in range(10):
                for b in range(10):
                    pats.append(century + digits[a] + digits[b])
                    subs.append(f"{head}{a}{b}")
    for month in range(1, 13):
        for day in range(1, 32):
            cn, num = f"{_cn_number(month)}月{_cn_number(day)}日", f"{month}月{day}日"
            if len(cn) >= len(num):
                pats.append(cn)
                subs.append(num + " " * (len(cn) - len(num)))
    return pats, subs


def to_simplified(expr: pl.Expr) -> pl.Expr:
    """Traditional characters one for one, then Chinese-numeral years and dates as digits (same length)."""
    table = traditional_table()
    pats, subs = cn_numeral_dates()
    order = sorted(range(len(pats)), key=lambda i: -len(pats[i]))  # the longest date at a position wins
    return (expr.str.replace_many([chr(k) for k in table], [chr(v) for v in table.values()])
            .str.replace_many([pats[i] for i in order], [subs[i] for i in order], leftmost=True))


def normalise_same_length(expr: pl.Expr) -> pl.Expr:
    return to_simplified(expr.str.replace_many(FULL_WIDTH, HALF_WIDTH))


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


# --- hard-wrapped text (lines broken at a fixed width, as copied from a PDF or an e-mail) ---------------

_NO_JOIN_END = tuple("。！？!?；;")
_PARA_END = tuple("。！？!?；;.）)”\"」】")
_NUM = "[0-9一二三四五六七八九十]+"
_BLOCK_START = re.compile(rf"^\s*(?:[#>*•\-|【\[]|{_NUM}[、.）)]\s?\D|[（(]{_NUM}[）)])")  # heading, bullet
_TABLE_LINE = re.compile(r"\t|\|| {2,}|\u3000{2,}")


_LEADER = re.compile(r"\.{6,}|…{3,}|·{6,}")
_NOT_PROSE = re.compile(f"{_TABLE_LINE.pattern}|{_LEADER.pattern}")  # one scan per line, not two
_CAPS_END = re.compile(r"(?:^|[^A-Za-z])[A-Z]+$")
_CAPS_START = re.compile(r"[A-Z]+(?![a-z])")
_EN_HEADER = re.compile(r"^\s*[A-Z][A-Za-z ]{0,20}:")


def _is_latin(line: str) -> bool:
    s = line.strip()
    return len(s) >= 2 and len(s.encode("ascii", "ignore")) >= 0.9 * len(s)


# runs of East Asian wide / full-width characters (CJK, kana, hangul, full-width forms): two columns each
_WIDE = re.compile(r"[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF"
                   r"\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]+")


def _display_width(line: str) -> int:
    return len(line) + sum(map(len, _WIDE.findall(line)))  # runs of wide characters: 6x fewer matches


def _wrap_width(prose_lines: list[str], measure) -> int | None:
    """The width a text was wrapped at: a length (>= 20) shared by at least three prose lines."""
    counts = Counter(map(measure, prose_lines))
    # a wide character that does not fit leaves a line one column short: count w-1 with w
    support = {w: counts[w] + counts.get(w - 1, 0) for w in counts if w >= 20}
    best = max(support.values(), default=0)
    # the widest such length, unless it is rare beside the common one (a PDF's TOC lines, a long disclaimer)
    widths = [w for w, n in support.items() if n >= max(3, best / 4)]
    return max(widths) if widths else None


# a change word between a line cut after 同比 / 环比 and the figure on the next line ("同比" / "下降0.3pct。")
_CHANGE_WORDS = "增长|下降|提升|上升|下滑|减少|增加|提高|降低|回落|改善"


@cache
def _figure_break() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """A line break inside "metric | figure" or "figure | unit": a quick scan of a whole text, then the next
    line's start (a figure with its unit; a unit). Units come from the lexicon (units.yaml)."""
    from notestar.lexicon import load_lexicon

    units = load_lexicon().units
    words = [str(k) for key in ("scales", "currencies", "ratio_units", "currency_subunits")
             for k in (units.get(key) or {}) if not (str(k).isascii() and str(k).isalpha() and len(str(k)) == 1)]
    unit = "|".join(re.escape(u) for u in sorted(set(words), key=len, reverse=True))
    pre = r"(?:[-−+]|RMB|US\$|HK\$|人民币)?"
    scan = re.compile(rf"[\u4e00-\u9fff]\r?\n{pre}\s?[0-9]|[0-9]\r?\n(?:{unit})|[0-9][.,]\r?\n[0-9]|[0-9]\r?\n\.[0-9]"
                      rf"|[\u4e00-\u9fff]\r?\n(?:{_CHANGE_WORDS}){pre}\s?[0-9]")
    figure = re.compile(rf"(?:{_CHANGE_WORDS})?{pre}\s?[0-9][0-9,]*(?:\.[0-9]+)?\s?(?:{unit})")
    return scan, figure, re.compile(rf"(?:{unit})")


_PROSE_MARK = re.compile(r"[，,；;。]")
_IN_NUMBER = re.compile(r"[^0-9.,][0-9]{1,3}[.,]$")  # a figure cut after its point or thousands comma
_THOUSANDS_NEXT = re.compile(r"[0-9]{3}(?![0-9])")
_DECIMAL_NEXT = re.compile(r"\.[0-9]")


def _broken_at_figure(line: str, nxt: str) -> bool:
    """A two-line paragraph broken between a metric and its figure ("…实现营业收入" / "12.3亿元，同比增长15%。")
    or between a figure and its unit: the line is prose (10+ characters, no table cells) and stops on a CJK
    character (or a digit, before the unit); the next line opens with the figure and its unit (or the unit)
    and is prose too (a clause mark in it). A key-value box ("总市值" / "123.4亿元"), a title over a
    paragraph ("…点评" / "2025年前三季度…") and a date line stay apart."""
    s = line.rstrip("\r").rstrip()
    last = s[-1:]
    if len(s) < 10 or _TABLE_LINE.search(s) or not _PROSE_MARK.search(nxt):
        return False
    _, figure, unit = _figure_break()
    if _IN_NUMBER.search(s) and (nxt[:1].isdigit() if s.endswith(".") else _THOUSANDS_NEXT.match(nxt)) or (
            last.isdigit() and _DECIMAL_NEXT.match(nxt)):
        return True  # "归母净利润2." / "86亿元", "环比提升0" / ".4pct": a break inside a number
    if last.isdigit():
        return not nxt[:1].isdigit() and unit.match(nxt) is not None
    return s.endswith(_metric_line_ends()) and figure.match(nxt) is not None


@cache
def _metric_line_ends() -> tuple[str, ...]:
    """What a line cut before a figure ends with: a metric name (lexicon) or a linking / change word."""
    from notestar.extract import words as w
    from notestar.lexicon import load_lexicon

    names = [n for n in load_lexicon().metric_names["name"].to_list() if n and not n.isascii()]
    links = ["为", "达", "达到", "约", "约为", "实现", "录得", "至", "同比", "环比", "分别为", "合计", "共计", "累计"]
    return tuple(sorted({*names, *links, *(x for x in w.UP_WORDS + w.DOWN_WORDS if len(x.strip("+-−")) == len(x))}))


def unwrap_hard_breaks(text: str) -> tuple[str, list[int]]:
    """Join lines broken at a fixed width back into paragraphs.

    Returns the joined text and, ascending, the positions in it where a line break was removed (between
    CJK text or inside a number); between two words of Latin script the break becomes a space instead, so
    no character is removed there. A line is joined to the next when it is as long as the note's wrap width
    (the length of at least three lines; by characters or by display width), does not end a sentence, and
    the next line does not start a heading, bullet or table row and is full too or ends a sentence.
    English wrapped at word boundaries (lines of varying length) is joined with a space where a long line
    stops mid-sentence and the next line is English too.
    """
    lines = text.split("\n")
    # a table of contents' dot leaders are no wrapped prose: their lengths say nothing of the wrap width
    prose = [ln for ln in lines if ln.strip() and not _NOT_PROSE.search(ln)]
    by_chars = _wrap_width(prose, len)
    by_width = _wrap_width(prose, _display_width)
    latin = [len(ln.rstrip()) for ln in lines if _is_latin(ln)]
    word_wrap = max(latin) if len(latin) >= 3 else None
    two_line = _figure_break()[0].search(text) is not None
    if by_chars is None and by_width is None and word_wrap is None and not two_line:
        return text, []

    def full(line: str) -> bool:
        s = line.rstrip("\r")
        return bool(s.strip()) and not _TABLE_LINE.search(s) and (
            (by_chars is not None and by_chars - 1 <= len(s) <= by_chars)
            or (by_width is not None and by_width - 2 <= _display_width(s) <= by_width))

    def english_wrap(line: str, nxt: str) -> bool:
        # English wrapped at word boundaries: a long Latin line that stops mid-sentence, a Latin line next
        return (word_wrap is not None and _is_latin(line) and _is_latin(nxt)
                and len(line.rstrip()) >= max(30, 0.75 * word_wrap)
                and not line.rstrip().endswith(tuple(".!?:;")) and not _EN_HEADER.match(nxt))

    out: list[str] = []
    removed: list[int] = []
    pos = 0
    first_line = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
    for i, line in enumerate(lines):
        out.append(line)
        pos += len(line)
        if i == len(lines) - 1:
            break
        nxt = lines[i + 1]
        opened = i > first_line  # the title (first line) is never joined to the header
        blocked = bool(_BLOCK_START.match(nxt) or _TABLE_LINE.search(nxt))
        # ... and the next line goes on the paragraph: full itself, or its last line (ends a sentence)
        join = (opened and not blocked and full(line) and not line.rstrip().endswith(_NO_JOIN_END)
                and (full(nxt) or nxt.rstrip().endswith(_PARA_END)))
        join = join or (two_line and opened and not blocked and _broken_at_figure(line, nxt))
        if not join and not (opened and not blocked and english_wrap(line, nxt)):
            out.append("\n")
            pos += 1
            continue
        crlf = line.endswith("\r")  # a Windows line end: "\r" would end the sentence, it goes too
        if crlf:
            out[-1] = line[:-1]
        word = line.rstrip("\r")[-1:]
        latin = word.isascii() and word.isalpha() and nxt[:1].isascii() and nxt[:1].isalpha()
        if latin and join and _CAPS_END.search(line.rstrip("\r")) and _CAPS_START.match(nxt):
            latin = False  # a fixed-width wrap inside an upper-case abbreviation ("对应EP" / "S分别为"): one word
        if not join or latin:
            out.append("  " if crlf else " ")  # English words: a space, same length, nothing to map back
            pos += 2 if crlf else 1
        else:
            pos -= 1 if crlf else 0
            removed.extend([pos, pos] if crlf else [pos])
    return "".join(out), removed


def original_offset(removed: list[int], pos: int, end: bool = False) -> int:
    """An offset in the unwrapped text -> the offset in the original (an exclusive end with end=True)."""
    if end:
        return pos + bisect.bisect_right(removed, pos - 1) if pos > 0 else 0
    return pos + bisect.bisect_right(removed, pos)
